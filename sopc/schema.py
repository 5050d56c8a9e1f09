"""JSON Schema of both layers, generated from the Pydantic models.

`schemas/` holds the committed copy (editors point at it); a test fails when it is
stale, and `make schemas` regenerates it.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from sopc.models import SchoolFile, SwvLayer

SCHEMA_KINDS = ("school", "swv")
_MODELS: dict[str, type[BaseModel]] = {"school": SchoolFile, "swv": SwvLayer}


def schema(kind: str) -> dict[str, object]:
    generated = _MODELS[kind].model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"sopc-{kind}-v1.schema.json", **generated}


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"
