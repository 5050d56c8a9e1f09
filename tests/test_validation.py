"""Golden diagnostics: each invalid fixture ↔ its expected lines (code, path, line, col).

Update with `make golden` (SOPC_UPDATE_GOLDEN=1) and review the diff by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import EXAMPLE_DIAGNOSTICS, EXAMPLES, FIXTURES, ROOT, example_diagnostics

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
    assert example_diagnostics(report) == EXAMPLE_DIAGNOSTICS
    assert sorted(r.kind for r in report.files) == ["school"] * 7 + ["swv"]


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



def _text_shape_repo(tmp_path: Path, settings: str = "") -> Path:
    """The op-de-heuvel example and its SWV layer, each with a ' #' that drops text, and a
    school text over several lines without '|'."""
    school = (EXAMPLES / "op-de-heuvel.yaml").read_text(encoding="utf-8")
    layer = (EXAMPLES / "swv-po-stroomland.yaml").read_text(encoding="utf-8")
    place, concept, short = ("  plaats: Nijmegen\n", "  onderwijsconcept: IWC\n",
                             "  korte_naam: Stroomland\n")
    assert place in school and concept in school and short in layer
    school = school.replace(place, "  plaats: Nijmegen #Oost\n").replace(
        concept, "  onderwijsconcept: IWC\n\n    Integraal Wijkcentrum\n")
    (tmp_path / "op-de-heuvel.yaml").write_text(school, encoding="utf-8")
    (tmp_path / "swv-po-stroomland.yaml").write_text(
        layer.replace(short, "  korte_naam: Stroomland #PO\n"), encoding="utf-8")
    (tmp_path / "sopc.toml").write_text(
        "[sopc]\npeildatum = 2022-03-01\n[sopc.meldingen]\nmr-advies-ontbreekt = \"uit\"\n"
        + settings, encoding="utf-8")
    return tmp_path


def test_text_shape_warnings_reach_validate_in_school_and_swv_files(tmp_path: Path) -> None:
    from conftest import run_cli

    repo = _text_shape_repo(tmp_path)
    report = sopc.validate([repo])
    found = sorted((Path(d.file).name, d.span.line, d.code, d.severity.value)
                   for d in report.diagnostics)
    assert found == [("op-de-heuvel.yaml", 12, "commentaar-in-tekst", "warning"),
                     ("op-de-heuvel.yaml", 24, "tekst-zonder-blokteken", "warning"),
                     ("swv-po-stroomland.yaml", 10, "commentaar-in-tekst", "warning")]
    assert all(d.excerpt is not None for d in report.diagnostics)
    result = run_cli("validate", str(repo))
    assert result.code == 0, result.out
    assert "12 |   plaats: Nijmegen #Oost" in result.out
    assert "10 |   korte_naam: Stroomland #PO" in result.out
    assert "dus '#PO' valt weg" in result.out
    assert run_cli("validate", "--strict", str(repo)).code == 1
    # the layer on its own, and a school on its own (its layer's warnings stay with it)
    assert [d.code for d in sopc.validate([repo / "swv-po-stroomland.yaml"]).diagnostics] \
        == ["commentaar-in-tekst"]
    assert sorted(d.code for d in sopc.validate([repo / "op-de-heuvel.yaml"]).diagnostics) \
        == ["commentaar-in-tekst", "tekst-zonder-blokteken"]


def test_text_shape_warnings_never_stop_a_build_and_can_be_switched_off(
        tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = _text_shape_repo(tmp_path / "repo")
    report = sopc.build([repo], tmp_path / "uit", ("md",))
    assert [r.outputs for r in report.files if r.kind == "school"] == [
        [tmp_path / "uit" / "op-de-heuvel.md"]]
    assert {d.code for d in report.diagnostics} == {"commentaar-in-tekst",
                                                     "tekst-zonder-blokteken"}
    (repo / "sopc.toml").write_text(
        "[sopc]\npeildatum = 2022-03-01\n[sopc.meldingen]\nmr-advies-ontbreekt = \"uit\"\n"
        "commentaar-in-tekst = \"uit\"\ntekst-zonder-blokteken = \"fout\"\n",
        encoding="utf-8")
    report = sopc.validate([repo])
    assert [(d.code, d.severity.value) for d in report.diagnostics] == [
        ("tekst-zonder-blokteken", "error")]


@pytest.mark.parametrize(("written", "example"), [
    ("2026-2028", "2026-2027"), ("2026/2027", "2026-2027"), ("26-27", "2021-2022"),
    ("2026", "2026-2027")])
def test_a_wrong_school_year_is_answered_with_the_year_it_starts(
        written: str, example: str) -> None:
    from pydantic import ValidationError

    from sopc.models import SopInfo

    with pytest.raises(ValidationError) as raised:
        SopInfo.model_validate({"schooljaar": written})
    assert f"'{written}' is geen schooljaar; schrijf het als '{example}'" in str(raised.value)
