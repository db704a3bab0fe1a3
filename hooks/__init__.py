"""python-docker-hooks: pre-commit hooks for Python container images."""

# The release; a test holds it equal to pyproject.toml's.
__version__ = "0.1.0"
