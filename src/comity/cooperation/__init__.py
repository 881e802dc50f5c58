"""Cooperation analytics: readiness of two parties on an AI issue, a technology-transfer
proportionality screen, scores for joint R&D projects, and a dialogue agenda.

>>> from comity.cooperation import rate
>>> rate("US", "CN", "facial_recognition").rating          # doctest: +SKIP
'red'
"""

from comity.cooperation.agenda import Agenda, dialogue_agenda
from comity.cooperation.projects import ProjectScore, Proposal, parse_proposal, score_project
from comity.cooperation.readiness import Readiness, rate, rate_matrix
from comity.cooperation.transfer import TransferScreen, screen_transfer

__all__ = ["Agenda", "ProjectScore", "Proposal", "Readiness", "TransferScreen",
           "dialogue_agenda", "parse_proposal", "rate", "rate_matrix", "score_project",
           "screen_transfer"]
