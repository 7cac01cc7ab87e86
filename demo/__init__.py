"""Deterministic demo data: the inbox a city education bureau receives, with its faults.

``python -m demo --out data/inbox`` writes districts, organizations, rosters (.xlsx)
and 24 months of activity logs (CSV in GB18030, UTF-8 with BOM, UTF-8 and UTF-16)
modelled on the source article in ``domain/GLOSSARY.md``. The same seed and row
count always give byte-identical files; see ``demo.generate`` for the pipeline.
"""
