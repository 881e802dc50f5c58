"""How ``comity serve`` hands its settings to uvicorn's worker processes."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import uvicorn
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


@contextmanager
def running_server(app: FastAPI, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` with uvicorn in a background thread on a free loopback port.

    For browser tests and the screenshot script; yields the base URL and stops the
    server on exit.
    """
    with socket.socket() as probe:
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
