"""Intake: building a profile with a person, field by field and question by question."""
