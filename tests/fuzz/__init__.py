"""Property-based tests: generated and mutated Dockerfiles through every hook."""
