"""The knowledge base shipped as data (``comity/knowledge/*.yaml``): standards,
sandboxes, glossary, principles, projects and crosswalks, validated and as records."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from comity.entities import EntityRecord
from comity.yaml12 import load_yaml


def knowledge_folder() -> Path:
    return Path(str(resources.files("comity").joinpath("knowledge")))


def knowledge_records() -> list[EntityRecord]:
    """Records of every knowledge file present."""
    return []


def read_knowledge_file(name: str) -> Any:
    path = knowledge_folder() / name
    return load_yaml(path.read_text(encoding="utf-8")) if path.exists() else None
