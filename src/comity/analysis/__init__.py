"""Analyses built on assessments: comparison, redlines, audit plans, OSCAL, Canada's AIA."""
