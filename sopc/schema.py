"""JSON Schema of both layers, generated from the Pydantic models, shaped for editors.

`schemas/` holds the committed copy (editors point at it); a test fails when it is
stale, and `make schemas` regenerates it.

Pydantic's schema says what the models take after sopc has read a file; an editor
validates what YAML 1.2 makes of the file, and shows a property's title on hover. So
the generated schema is reshaped (`for_editors`) without changing what it accepts from
sopc's point of view:
- an optional value is one schema with a list of types, not `anyOf: [X, null]`: the
  YAML language server shows the title of every alternative that matches, which read
  "Vastgesteld op || Vastgesteld op";
- a choice between a text and a group of fields (`swv:`) becomes one schema as well:
  the keywords of each alternative apply only to values of its own type;
- the model's class names are not titles (the property has the Dutch one);
- free text also takes a number or yes/no, because sopc takes every value as the text
  that is written and YAML 1.2 reads `naam: 123` or `telefoon: 0243972412` as numbers.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel

from sopc.models import SchoolFile, SwvLayer

SCHEMA_KINDS = ("school", "swv")
_MODELS: dict[str, type[BaseModel]] = {"school": SchoolFile, "swv": SwvLayer}

# the keywords that apply to values of one JSON type only
_TYPE_KEYWORDS = {
    "string": {"pattern", "minLength", "maxLength", "format", "contentMediaType"},
    "integer": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "object": {"properties", "required", "additionalProperties", "patternProperties",
               "propertyNames", "minProperties", "maxProperties"},
    "array": {"items", "prefixItems", "minItems", "maxItems", "uniqueItems"},
    "boolean": set(),
    "null": set(),
}
_ANNOTATIONS = {"title", "description", "examples", "default"}
FREE_TEXT = ["string", "number", "boolean"]


def schema(kind: str) -> dict[str, object]:
    generated = _MODELS[kind].model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"sopc-{kind}-v1.schema.json", **for_editors(generated)}


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def for_editors(generated: dict[str, Any]) -> dict[str, Any]:
    """The generated schema reshaped as the module docstring says."""
    result = copy.deepcopy(generated)
    definitions = result.get("$defs", {})
    for definition in definitions.values():
        definition.pop("title", None)
    _reshape(result, definitions)
    return result


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("type")
    return [kind] if isinstance(kind, str) else list(kind or [])


def _reshape(node: Any, definitions: dict[str, Any]) -> None:
    if isinstance(node, list):
        for item in node:
            _reshape(item, definitions)
        return
    if not isinstance(node, dict):
        return
    if "anyOf" in node:  # merged first: its alternatives are then reshaped as one
        merged = _merged(node["anyOf"], definitions)
        if merged is not None:
            del node["anyOf"]
            annotations = {key: value for key, value in node.items() if key in _ANNOTATIONS}
            node.clear()
            node.update(copy.deepcopy(merged))
            node.update(annotations)  # the property's own title and description
    for value in node.values():
        _reshape(value, definitions)
    kinds = _types(node)
    if "string" in kinds and not {"pattern", "enum", "const", "format"} & set(node):
        node["type"] = [*FREE_TEXT, *(kind for kind in kinds
                                      if kind not in FREE_TEXT and kind != "integer")]


def _merged(branches: list[dict[str, Any]], definitions: dict[str, Any]
            ) -> dict[str, Any] | None:
    """One schema for alternatives of different JSON types, or None when they overlap
    (two alternatives for the same type can only stay an anyOf)."""
    resolved = []
    for branch in branches:
        if "$ref" in branch:
            branch = {**definitions[branch["$ref"].rsplit("/", 1)[-1]],
                      **{k: v for k, v in branch.items() if k != "$ref"}}
        resolved.append(branch)
    if all("enum" in branch or _types(branch) == ["null"] for branch in resolved):
        values = [value for branch in resolved for value in branch.get("enum", [None])]
        return {"enum": list(dict.fromkeys(values))}
    merged: dict[str, Any] = {"type": []}
    for branch in resolved:
        kinds = _types(branch)
        keywords = [key for key in branch if key not in _ANNOTATIONS and key != "type"]
        allowed = set().union(*(_TYPE_KEYWORDS.get(kind, {"?"}) for kind in kinds))
        if not kinds or set(keywords) - allowed or set(kinds) & set(merged["type"]) \
                or {"integer", "number"} <= set(kinds) | set(merged["type"]):
            return None
        merged["type"] += kinds
        for key in keywords:  # in the branch's order: the same schema on every run
            merged[key] = branch[key]
        if "examples" in branch:
            merged.setdefault("examples", []).extend(branch["examples"])
    if len(merged["type"]) == 1:
        merged["type"] = merged["type"][0]
    return merged
