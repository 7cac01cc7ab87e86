"""Baselines ``make bench`` compares the pipeline with: what a user would write instead."""
