"""Exports: per-district statistics read from the published snapshot.

What other packages may use of export (the dashboard's download page; they import
nothing else of it): the bundle of every export file (``build_bundle``, ``ZIP_NAME``),
the errors it raises (``ExportError``, ``NoActivity``), and the returns to schools
(``returned_files``, ``return_bytes``, ``return_name``: the data-quality page)."""

from export.bundle import ZIP_NAME, build_bundle
from export.district_monthly import ExportError, NoActivity
from export.returns import return_bytes, return_name, returned_files

__all__ = [
    "ZIP_NAME",
    "ExportError",
    "NoActivity",
    "build_bundle",
    "return_bytes",
    "return_name",
    "returned_files",
]
