"""Reports and machine-readable outputs over the store.

Each format is a small module with a pure ``render(data)`` over one
:class:`~rootout.report.data.ReportData` gathered from the store
(:func:`~rootout.report.data.gather`); :func:`render_to_file` does both and writes
the file. The formats and their variants are listed in ``formats.FORMATS``.
"""

from rootout.report.data import ReportData, Scope, gather
from rootout.report.formats import FORMATS, render, render_to_file

__all__ = ["FORMATS", "ReportData", "Scope", "gather", "render", "render_to_file"]
