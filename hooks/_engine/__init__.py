"""The engine: rules, the registry of hook specs, pragmas, configuration, and the
runner that reads, checks, fixes and writes files.
"""
