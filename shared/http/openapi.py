"""The API's OpenAPI 3.0.3 document as get-profile serves it: ``openapi.json`` beside this module,
generated from the route table and the models by ``python -m functions.openapi`` and committed (a
unit test fails when it is not what the code generates). Serving it builds and imports no model."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DOCUMENT = Path(__file__).with_name("openapi.json")
# The media type registered for OpenAPI documents, with the major.minor of the specification.
OPENAPI_MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0"


@lru_cache(maxsize=1)
def openapi_json() -> str:
    """The document as served: the committed file as it is, read once per process."""
    return DOCUMENT.read_text(encoding="utf-8")


def openapi_document() -> dict[str, Any]:
    """The served document, parsed: a copy to change."""
    return json.loads(openapi_json())
