"""Deterministic demo data: the inbox a city education bureau receives, with its faults.

``python -m demo --out data/inbox`` writes districts, organizations, rosters (.xlsx)
and 24 months of activity logs (CSV in GB18030, UTF-8 with BOM, UTF-8 and UTF-16)
modelled on the source article in ``domain/GLOSSARY.md``, and three schools' monthly
event summaries (活动汇总: headcounts and hours, no person; ``demo.summaries``). The
same seed and row count always give byte-identical files; see ``demo.generate`` for the
pipeline.

The figures have the spread a real bureau shows (``demo.shape``): districts whose
participation ranges from about 55% to 95%, a weak February (寒假, 春节), one
district improving through the 2025/26 school year, one school silent for two
months, branches that often miss their activity day. Participation reaches these
levels from the default 300,000 rows up; smaller inboxes keep the shape, lower.
"""
