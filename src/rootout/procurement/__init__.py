"""Public procurement: what was bought from covered vendors, by whom, and when.

Contract records (USAspending downloads and API results, FPDS-NG ATOM feeds) are
read into ``contract_award`` observations (:mod:`rootout.procurement.records`),
with removal work split from purchases (:mod:`rootout.procurement.purpose`).
The existing matcher finds the covered vendors; :mod:`rootout.procurement.actions`
turns its hits into per-action results and :mod:`rootout.procurement.analysis`
into totals. Large CSV files take a DuckDB candidate stage first
(:mod:`rootout.procurement.bulk`).

This package's ``__init__`` imports nothing: readers import
:mod:`rootout.procurement.records` without pulling in the rest.
"""
