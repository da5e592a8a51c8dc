"""The ``rootout`` command line: thin commands over the library."""
