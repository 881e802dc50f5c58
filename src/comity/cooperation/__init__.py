"""Cooperation analytics: readiness of two parties on an AI issue, a technology-transfer
proportionality screen, scores for joint R&D projects, and a dialogue agenda."""
