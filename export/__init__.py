"""Exports: per-district statistics read from the published snapshot.

What other packages may use of export (the dashboard's download page; they import
nothing else of it): the bundle of every export file (``build_bundle``, ``ZIP_NAME``)
and the errors it raises (``ExportError``, ``NoActivity``)."""

from export.bundle import ZIP_NAME, build_bundle
from export.district_monthly import ExportError, NoActivity

__all__ = ["ZIP_NAME", "ExportError", "NoActivity", "build_bundle"]
