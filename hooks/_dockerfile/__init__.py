"""The Dockerfile model: text decoding, parsing, the shell view and BuildKit word rules.

Immutable data computed once per file. Imports nothing from the engine or a hook.
"""
