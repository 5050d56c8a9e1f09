"""The JSON Schema under schemas/: current, Dutch on every field, and accepting what sopc accepts.

Editors validate with the schema alone, so a file that sopc accepts but the schema
rejects would show false errors in the editor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import EXAMPLES, ROOT

SCHEMAS = ROOT / "schemas"


class _Yaml12Loader(yaml.SafeLoader):
    """Like an editor's YAML 1.2 parser: dates stay text, as they do in sopc."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def properties(node: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            found.append((f"{where}.{name}", value))
        for key, value in node.items():
            found += properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for value in node:
            found += properties(value, where)
    return found


@pytest.mark.parametrize("kind", ["school", "swv"])
def test_every_field_has_a_dutch_title_and_description(kind: str) -> None:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    fields = properties(schema)
    assert len(fields) > 20
    missing = [name for name, spec in fields
               if not spec.get("title") or not spec.get("description")]
    assert missing == []


SCHOOL_FILES = sorted(path for path in [*EXAMPLES.glob("*.yaml"),
                                        *(EXAMPLES / "schools-repo").rglob("*.yaml")]
                      if not path.name.startswith("."))  # .pre-commit-config.yaml


@pytest.mark.parametrize("path", SCHOOL_FILES, ids=lambda p: p.name)
def test_examples_are_valid_for_the_editor_schema(path: Path) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
    kind = "swv" if data.get("soort") == "swv" else "school"
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_presets_are_valid_for_the_editor_schema() -> None:
    schema = json.loads((SCHEMAS / "swv.schema.json").read_text(encoding="utf-8"))
    for path in (ROOT / "sopc" / "presets").glob("*.yaml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_the_date_pattern_is_sopcs_date_rule() -> None:
    """The editor's pattern and sopc say the same of every day and month of several
    centuries (leap years included: 1900 and 2100 are none, 2000 and 2400 are)."""
    import re

    from sopc.dates import DATE_PATTERN, date_problem

    pattern = re.compile(DATE_PATTERN)
    years = [*range(1895, 1905), *range(1995, 2105), 2399, 2400, 2401, 2800, 2999, 3000]
    differ = [text for year in years for month in range(14)
              for text in [f"{year:04d}-{month:02d}",
                           *(f"{year:04d}-{month:02d}-{day:02d}" for day in range(33))]
              if bool(pattern.fullmatch(text)) != (date_problem(text) is None)]
    assert differ == []


def test_the_school_year_pattern_is_sopcs_rule() -> None:
    import re

    from pydantic import TypeAdapter, ValidationError

    from sopc.models import SchoolYear, school_year_pattern

    pattern = re.compile(school_year_pattern())
    adapter = TypeAdapter(SchoolYear)

    def sopc_accepts(text: str) -> bool:
        try:
            adapter.validate_python(text)
        except ValidationError:
            return False
        return True

    differ = [text for year in range(10000) for other in (year - 1, year, year + 1, year + 2)
              if 0 <= other <= 9999
              for text in [f"{year:04d}-{other:04d}"]
              if bool(pattern.fullmatch(text)) != sopc_accepts(text)]
    assert differ == []
