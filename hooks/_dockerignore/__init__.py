"""The model of ``.dockerignore`` files: patterns matched as BuildKit matches them
(moby/patternmatcher), and the file read as BuildKit reads it (its ``ignorefile``)."""
