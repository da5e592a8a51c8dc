"""One module per input format. Every module here is imported by
:func:`rootout.ingest.base.all_readers`, and registers its readers with
:func:`rootout.ingest.base.register`."""
