"""How ``comity serve`` hands its settings to uvicorn's worker processes."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from fastapi import FastAPI

from comity.api.app import create_app
from comity.api.settings import ApiSettings

SETTINGS_VARIABLE = "COMITY_SERVE_SETTINGS"


def encode_settings(settings: ApiSettings) -> str:
    data = asdict(settings)
    data["rules_folder"] = str(settings.rules_folder) if settings.rules_folder else None
    data["cors_origins"] = list(settings.cors_origins)
    return json.dumps(data)


def decode_settings(text: str) -> ApiSettings:
    data = json.loads(text)
    folder = data.pop("rules_folder")
    origins = tuple(data.pop("cors_origins"))
    return ApiSettings(rules_folder=Path(folder) if folder else None, cors_origins=origins,
                       **data)


def app_from_environment() -> FastAPI:
    """The application for uvicorn (``factory=True``), configured by ``comity serve``."""
    text = os.environ.get(SETTINGS_VARIABLE)
    return create_app(decode_settings(text) if text else ApiSettings())
