"""Print the OpenAPI document (committed as ``docs/openapi.json``; a test checks it).

    python -m comity.api.openapi > docs/openapi.json
"""

from __future__ import annotations

import json

from comity.api.app import create_app
from comity.api.settings import ApiSettings


def openapi_text() -> str:
    app = create_app(ApiSettings(seed_empty_store=False))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(openapi_text(), end="")
