"""Detection content compiled from the catalog: osquery packs, Fleet policies, Sigma rules.

Each exporter is a pure function from a :class:`~rootout.catalog.catalog.Catalog` to
text; writing files is left to the caller (the ``rootout export`` command).
"""
