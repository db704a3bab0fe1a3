"""python-docker-hooks: pre-commit hooks for Python container images."""
