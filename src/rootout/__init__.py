"""rootout: find covered-vendor technology, explain every finding, drive its removal."""

__version__ = "0.1.0"
