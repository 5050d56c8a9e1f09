"""Golden diagnostics: each invalid fixture ↔ its expected lines (code, path, line, col).

Update with `make golden` (SOPC_UPDATE_GOLDEN=1) and review the diff by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT

import sopc
from sopc.output import render_diagnostics

INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
UPDATE = os.environ.get("SOPC_UPDATE_GOLDEN") == "1"


def diagnostics_text(path: Path) -> str:
    report = sopc.validate([path.relative_to(ROOT)])
    return "\n".join(render_diagnostics(report.diagnostics, "parsable")) + "\n"


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_diagnostics(fixture: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    expected_file = fixture.with_suffix(".expected")
    actual = diagnostics_text(fixture)
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


def test_examples_are_valid() -> None:
    report = sopc.validate([EXAMPLES])
    assert report.diagnostics == []
    assert sorted(r.kind for r in report.files) == ["school", "school", "swv"]


def test_all_errors_of_a_file_at_once() -> None:
    report = sopc.validate([FIXTURES / "invalid" / "bad-brin.yaml"])
    assert [d.code for d in report.diagnostics] == ["brin-formaat", "vestiging-formaat"]


def test_broken_swv_layer_is_reported_in_its_own_file(tmp_path: Path) -> None:
    (tmp_path / "swv.yaml").write_text("sopc: 1\nsoort: swv\nswv:\n  id: x\n  naaam: X\n",
                                       encoding="utf-8")
    school = (EXAMPLES / "op-de-heuvel.yaml").read_text(encoding="utf-8").replace(
        "swv: swv-po-stroomland.yaml", "swv: swv.yaml")
    (tmp_path / "school.yaml").write_text(school, encoding="utf-8")
    report = sopc.validate([tmp_path / "school.yaml"])
    files = {(Path(d.file).name, d.code) for d in report.diagnostics}
    assert ("swv.yaml", "onbekende-sleutel") in files
    assert ("school.yaml", "ongeldige-swv") in files


def test_unknown_base_preset_names_the_swv_file(tmp_path: Path) -> None:
    layer = tmp_path / "swv.yaml"
    layer.write_text("sopc: 1\nsoort: swv\nbasis: ppo-nh\nswv: {id: x, naam: X}\n",
                     encoding="utf-8")
    [diagnostic] = sopc.validate([layer]).diagnostics
    assert (diagnostic.file, diagnostic.code) == (str(layer), "onbekende-swv")
