"""The HTTP API (FastAPI): thin routes over the engine, comparison and the store.

``create_app()`` builds the application; ``comity serve`` runs it under uvicorn.
"""

from comity.api.app import create_app
from comity.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
