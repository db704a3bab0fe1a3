"""A rule doc's examples read as files (``_output/docs.py``)."""

from __future__ import annotations

import pytest

from python_docker_hooks._output.docs import ExampleError, example_files, section_files

DOC = """\
## What it does
Something.

## Example
With this configuration:

```toml title="pyproject.toml"
[tool.python-docker-hooks.python-slim-base]
require-codename = true
```

```dockerfile
# a comment, not a heading
FROM python:3.12-slim
```

## Use instead
```dockerfile
FROM python:3.12-slim-trixie
```
Prose after the block.

```dockerignore
.git
```

## Fix safety
```text
not a file of the example
```
"""


def test_the_blocks_of_a_section_are_its_files() -> None:
    assert section_files(DOC, "Example") == {
        "pyproject.toml": "[tool.python-docker-hooks.python-slim-base]\nrequire-codename = true\n",
        "Dockerfile": "# a comment, not a heading\nFROM python:3.12-slim\n",
    }


def test_use_instead_replaces_the_example_s_files() -> None:
    example, instead = example_files(DOC)
    assert instead == {
        "pyproject.toml": example["pyproject.toml"],
        "Dockerfile": "FROM python:3.12-slim-trixie\n",
        ".dockerignore": ".git\n",
    }


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        pytest.param(
            "## Example\n```toml\na = 1\n```\n",
            '## Example: a `toml` block needs title="<path>" naming its file',
            id="untitled-toml",
        ),
        pytest.param("## Example\nOnly prose.\n", "## Example: no file shown", id="no-block"),
        pytest.param(
            "## Example\n```dockerfile\nFROM a\n```\n```dockerfile title=\"Dockerfile\"\nFROM b\n```\n",
            "## Example: Dockerfile is shown twice",
            id="twice",
        ),
    ],
)
def test_a_block_that_names_no_file_is_refused(doc: str, message: str) -> None:
    with pytest.raises(ExampleError) as raised:
        section_files(doc, "Example")
    assert str(raised.value) == message
