"""Exports: per-district statistics read from the published snapshot."""
