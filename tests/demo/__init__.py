"""Tests of the demo-data generator (``python -m demo``)."""
