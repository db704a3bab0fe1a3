"""The ``live`` profile: fixes whose shell commands are run for real (not by default)."""
