"""Ingest: read inbox files, map headers, validate rows, pseudonymize and land batches."""
