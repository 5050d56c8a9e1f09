"""The editor and sopc agree: for every file of a corpus, the committed JSON Schema (as
check-jsonschema applies it, reading YAML 1.2 like VS Code's YAML extension) and sopc
give the same verdict.

The corpus: tests/fixtures/editor/goed/ (both must accept) and fout/ (both must
reject), each file one way of writing a field, plus every school and SWV file under
examples/ and the built-in presets.

sopc's verdict is about the shape of the file, which is all a schema can know: an
error with a code of reading and schema checking (stages 1 and 2 of sopc.codes, up to
`datum-formaat`), a refused web address (`ongeldige-url`), or an SWV layer that is no
preset and no file (`onbekende-swv`: the schema lists the presets). What needs the SWV
layer's content (a text the school must fill in, an unknown catalogue item), the date
of today (an SOP's age) or DUO's list is sopc's alone and not compared.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT

import sopc
from sopc.codes import CODES
from sopc.diagnostics import Severity

CORPUS = FIXTURES / "editor"
_ORDER = list(CODES)
SHAPE_CODES = {*_ORDER[:_ORDER.index("datum-formaat") + 1], "ongeldige-url", "onbekende-swv"}
# what only sopc can know, as the corpus files meet it (they are small on purpose)
CONTENT_CODES = {"ontbrekende-tekst", "onbekend-id", "sop-verouderd"}


def corpus() -> list[Path]:
    examples = [path for path in EXAMPLES.rglob("*.yaml")
                if not any(part.startswith(".") for part in path.relative_to(EXAMPLES).parts)]
    presets = sorted((ROOT / "sopc" / "presets").glob("*.yaml"))
    return sorted(CORPUS.rglob("*.yaml")) + sorted(examples) + presets


def kind(path: Path) -> str:
    """Which schema a file's editor would use (a line `soort: swv` makes an SWV layer);
    read as text, since some files of the corpus are not valid YAML dates on purpose."""
    text = path.read_text(encoding="utf-8")
    return "swv" if re.search(r"^soort:\s*swv\s*$", text, re.MULTILINE) else "school"


def schema_rejects(files: list[Path]) -> dict[Path, str]:
    """File → check-jsonschema's first complaint, for the files its schema rejects."""
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert checker is not None, "check-jsonschema is a dev dependency"
    rejected: dict[Path, str] = {}
    for schema_kind in ("school", "swv"):
        chosen = [path for path in files if kind(path) == schema_kind]
        run = subprocess.run([checker, "--schemafile",
                              str(ROOT / "schemas" / f"{schema_kind}.schema.json"),
                              "--output-format", "json", *map(str, chosen)],
                             capture_output=True, text=True, check=False)
        report = json.loads(run.stdout)
        for problem in report.get("errors", []) + report.get("parse_errors", []):
            rejected.setdefault(Path(problem["filename"]).resolve(), problem.get("message", ""))
    return rejected


def sopc_rejects(files: list[Path]) -> dict[Path, str]:
    rejected: dict[Path, str] = {}
    for path in files:
        report = sopc.validate([path])
        errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
        # anything else (a refused path, an unreadable file) would hide a verdict
        assert {d.code for d in errors} <= SHAPE_CODES | CONTENT_CODES, (path, errors)
        shape = [d for d in errors if d.code in SHAPE_CODES]
        if shape:
            rejected[path.resolve()] = f"{shape[0].code}: {shape[0].message}"
    return rejected


@pytest.mark.slow
def test_the_schema_and_sopc_give_every_file_the_same_verdict() -> None:
    files = corpus()
    assert len(files) > 50
    by_schema, by_sopc = schema_rejects(files), sopc_rejects(files)
    table = []
    for path in files:
        resolved = path.resolve()
        schema_says = "fout" if resolved in by_schema else "goed"
        sopc_says = "fout" if resolved in by_sopc else "goed"
        expected = path.parent.name if path.is_relative_to(CORPUS) else "goed"
        if not schema_says == sopc_says == expected:
            table.append(f"{path.relative_to(ROOT)}: verwacht {expected}, schema {schema_says} "
                         f"({by_schema.get(resolved, '')[:80]}), sopc {sopc_says} "
                         f"({by_sopc.get(resolved, '')[:80]})")
    assert table == [], "\n".join(table)


def test_the_corpus_covers_what_users_write() -> None:
    names = {path.stem for path in CORPUS.rglob("*.yaml")}
    assert {"vestiging-00-zonder-aanhalingstekens", "naam-is-een-getal", "sopc-als-tekst",
            "datum-maand-13", "datum-30-februari", "onbekende-preset"} <= names


def _titled_alternatives(node: object, definitions: dict[str, dict[str, object]],
                         where: str = "") -> list[str]:
    found = []
    if isinstance(node, dict):
        if "title" in node:
            if any(key in node for key in ("anyOf", "oneOf", "allOf")):
                found.append(where)
            reference = node.get("$ref")
            if isinstance(reference, str) and "title" in definitions[reference.split("/")[-1]]:
                found.append(where)
        for key, value in node.items():
            found += _titled_alternatives(value, definitions, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _titled_alternatives(value, definitions, f"{where}/{index}")
    return found


@pytest.mark.parametrize("schema_kind", ["school", "swv"])
def test_every_field_has_one_title_on_hover(schema_kind: str) -> None:
    """The YAML language server shows the title of every schema that matches a value,
    joined by '||': a titled field has no alternatives and refers to no titled
    definition, so it shows its own title once."""
    schema = json.loads((ROOT / "schemas" / f"{schema_kind}.schema.json")
                        .read_text(encoding="utf-8"))
    definitions = schema.get("$defs", {})
    assert _titled_alternatives(schema, definitions) == []
    assert [name for name, definition in definitions.items() if "title" in definition] == []
