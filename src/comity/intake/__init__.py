"""Intake: from free-text inventories (CSV, JSON Lines, Parquet) to v1 profiles.

Each inferred value carries a confidence and its evidence; weak values are flagged for
review, and a field without evidence stays unset (the rules then say "undetermined").
"""

from comity.intake.cues import CueSet, load_cues
from comity.intake.evidence import Evidence, Inference, IntakeRecord
from comity.intake.mapping import Mapping, load_mapping
from comity.intake.run import IntakeRun, intake_file, write_outputs
from comity.intake.text_model import LinearTextModel, load_text_model

__all__ = [
    "CueSet",
    "Evidence",
    "Inference",
    "IntakeRecord",
    "IntakeRun",
    "LinearTextModel",
    "Mapping",
    "intake_file",
    "load_cues",
    "load_mapping",
    "load_text_model",
    "write_outputs",
]
