"""Names in the package that vulture cannot see used (``[tool.vulture]`` in
pyproject.toml; tests/test_dead_code.py): each line says what reaches it.

vulture reads this file and never runs it; a name written here counts as used
wherever it is defined, so a line names one thing that is used some other way.
"""

from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# The sections of a rule's DOC, in order (ruff's): tests/test_manifest.py holds
# every rule's DOC to them.
_.DOC_SECTIONS

# A rule DOC's Example and Use instead blocks as files: tests/test_rule_docs.py
# runs each rule's hook on them.
_.example_files
