"""Every hook on real files after byte-level damage (``../shared/corpus``).

Mutations insert the characters parsers trip on (escapes, line breaks, heredoc
markers, quotes, brackets, NUL, invalid UTF-8, a BOM), delete, duplicate and splice
ranges, flip line endings and truncate. The properties are those of
``test_generated.check_fix_properties``; the ``_full`` test, of the heavy profile,
runs the profile's full count.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.strategies import CORPUS_ABSENT, corpus_files, mutated
from fuzz.support import FUZZ_MUTATED, FUZZ_QUICK_MUTATED, HOOK_IDS
from fuzz.test_generated import check_fix_properties

FILES = corpus_files()


@pytest.mark.skipif(not FILES, reason=CORPUS_ABSENT)
@pytest.mark.parametrize("hook_id", HOOK_IDS)
@FUZZ_QUICK_MUTATED
@given(data=mutated(FILES or [b"FROM scratch\n"]), unsafe=st.booleans())
def test_hooks_on_mutated_corpus_files(hook_id: str, data: bytes, unsafe: bool) -> None:
    check_fix_properties(data, hook_id, unsafe)


@pytest.mark.heavy
@pytest.mark.skipif(not FILES, reason=CORPUS_ABSENT)
@pytest.mark.parametrize("hook_id", HOOK_IDS)
@FUZZ_MUTATED
@given(data=mutated(FILES or [b"FROM scratch\n"]), unsafe=st.booleans())
def test_hooks_on_mutated_corpus_files_full(
    hook_id: str, data: bytes, unsafe: bool
) -> None:
    check_fix_properties(data, hook_id, unsafe)
