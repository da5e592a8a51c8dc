"""Labelled evaluation of the matcher: precision and recall per covered entity and basis.

``python -m tests.eval`` (or ``make eval``) runs it and prints the tables;
``tests/eval/test_eval.py`` runs the same harness under pytest. The labelled
cases live in ``cases/*.yaml``; the many registry, SBOM and hard-negative cases
are generated from the real files in ``../shared/data`` by ``generate.py`` and
``registry.py``. See docs/accuracy.md.
"""
