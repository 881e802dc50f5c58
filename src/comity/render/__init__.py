"""Renderers: turn assessments and traces into terminal tables, Markdown or trees."""
