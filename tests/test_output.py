"""Output formats: excerpt with caret, colour rules, GitHub escaping, JSON fields."""

from __future__ import annotations

import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_cli

from sopc.diagnostics import Diagnostic, Severity, Span
from sopc.output import (
    FileOutcome,
    format_github,
    format_text,
    render_json,
    step_summary,
    use_colour,
)

BAD_BRIN = str((FIXTURES / "invalid" / "bad-brin.yaml").relative_to(ROOT))


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_shows_the_source_line_with_a_caret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = run_cli("validate", BAD_BRIN)
    lines = result.out.splitlines()
    assert lines[0].startswith(f"{BAD_BRIN}:5:9: fout: school.brin: '6KG' is geen BRIN-code")
    assert lines[1] == "  5 |   brin: 6KG"
    assert lines[2] == "    |         ^^^"
    assert "\033[" not in result.out  # not a terminal: no colour


def test_a_tab_in_the_indentation_is_shown_in_the_excerpt(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    fixture = str((FIXTURES / "invalid" / "tab-als-inspringing.yaml").relative_to(ROOT))
    lines = run_cli("validate", fixture).out.splitlines()
    assert lines[0] == (f"{fixture}:5:1: fout: regel 5 springt in met een tab (→); YAML "
                        "staat alleen spaties toe als inspringing [yaml-syntax]")
    assert lines[1:3] == ["  5 | →brin: 12AB", "    | ^"]


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    assert use_colour(FakeTerminal(), {}) is True
    assert use_colour(FakeTerminal(), {"NO_COLOR": "1"}) is False
    assert use_colour(io.StringIO(), {}) is False
    assert use_colour(io.StringIO(), {"FORCE_COLOR": "1"}) is True
    diagnostic = Diagnostic("x.yaml", Span(1, 1, 1, 2), "yaml-syntax", "kapot")
    assert "\033[1;31m" in format_text(diagnostic, colour=True)
    assert "\033[" not in format_text(diagnostic, colour=False)


def test_excerpt_of_a_very_long_line_stays_short(tmp_path: Path) -> None:
    from sopc.diagnostics import Excerpt

    path = tmp_path / "lang.yaml"
    path.write_text("a: " + "x" * 5000 + " fout hier\n", encoding="utf-8")
    diagnostic = Diagnostic(str(path), Span(1, 5005, 1, 5009), "verkeerd-type", "m")
    line = path.read_text(encoding="utf-8").rstrip("\n")
    text = format_text(replace(diagnostic, excerpt=Excerpt.of(line, 5005)))
    excerpt, caret = text.splitlines()[1:3]
    assert len(excerpt) < 200
    assert excerpt[caret.index("^")] == "f"  # the caret still points at the right column


def test_github_escapes_properties_and_data() -> None:
    diagnostic = Diagnostic("map, met: komma.yaml", Span(3, 4, 3, 9), "onbekende-sleutel",
                            "100% fout\nregel twee", ("a",), Severity.WARNING, hint="tip")
    line = format_github(diagnostic, environ={})
    assert line == ("::warning file=map%2C met%3A komma.yaml,line=3,col=4,endLine=3,"
                    "endColumn=9,title=onbekende-sleutel::a: 100%25 fout\\nregel twee (tip)")


def test_github_names_files_relative_to_the_workspace(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A job that runs sopc in a subfolder (`working-directory: scholen-repo`) still puts
    its annotations on the file in the checkout; outside the workspace nothing changes."""
    (tmp_path / "scholen-repo" / "scholen").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "scholen-repo")
    diagnostic = Diagnostic("scholen/a.yaml", Span(2, 1, 2, 5), "onbekende-sleutel", "x")
    workspace = {"GITHUB_WORKSPACE": str(tmp_path)}
    assert "file=scholen-repo/scholen/a.yaml," in format_github(diagnostic, environ=workspace)
    assert "file=scholen/a.yaml," in format_github(diagnostic, environ={})
    elsewhere = {"GITHUB_WORKSPACE": str(tmp_path / "ander")}
    assert "file=scholen/a.yaml," in format_github(diagnostic, environ=elsewhere)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    summary = step_summary([FileOutcome("scholen/a.yaml", "school", [diagnostic])])
    assert "scholen\\-repo\\/scholen\\/a\\.yaml\\:2\\:1" in summary


def test_step_summary_without_problems() -> None:
    text = step_summary([FileOutcome("a.yaml", "school", [])])
    assert "Alle bestanden zijn in orde." in text


def test_json_includes_related_positions_and_outputs() -> None:
    diagnostic = Diagnostic("b.yaml", Span(5, 9, 5, 13), "dubbele-school", "dubbel",
                            ("school", "brin"), related=(("a.yaml", Span(5, 9, 5, 13)),))
    document = json.loads(render_json(
        [FileOutcome("b.yaml", "school", [diagnostic], ["build/b.html"])], "9.9", 1))
    [entry] = document["files"]
    assert entry["outputs"] == ["build/b.html"]
    assert entry["diagnostics"][0]["related"] == [
        {"file": "a.yaml", "line": 5, "column": 9, "end_line": 5, "end_column": 13}]
    assert entry["diagnostics"][0]["path_parts"] == ["school", "brin"]


def test_unknown_output_format_is_a_usage_error() -> None:
    result = run_cli("validate", "--format", "xml", BAD_BRIN)
    assert result.code == 2 and "text, parsable, json, github" in result.err


def test_build_reports_in_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_cli("build", "examples/op-de-heuvel.yaml", "-o", str(tmp_path),
                     "--meldingen", "json")
    document = json.loads(result.out)
    assert result.code == document["exit_code"] == 0
    assert [Path(p).name for p in document["files"][0]["outputs"]] == [
        "op-de-heuvel.html", "op-de-heuvel.md"]


def emitted_codes() -> set[str]:
    """Codes passed as string literals to the calls that create diagnostics."""
    import ast
    import re

    makers = {"Diagnostic", "_abort", "problem", "report", "severity", "LogoProblem",
              "InputRefused", "RenderProblem"}
    code = re.compile(r"^[a-z]+(-[a-z]+)*$")
    found: set[str] = set()
    for path in (ROOT / "sopc").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(
                node.func, "attr", "")
            if name in makers:
                found |= {arg.value for arg in node.args if isinstance(arg, ast.Constant)
                          and isinstance(arg.value, str) and code.match(arg.value)}
    from sopc.validation import _CUSTOM_CODES

    return found | set(_CUSTOM_CODES.values())


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    from sopc.codes import CODES, codes_table

    docs_file = ROOT / "docs" / "meldingen.md"
    docs = docs_file.read_text(encoding="utf-8")
    if os.environ.get("SOPC_UPDATE_GOLDEN") == "1":
        start = docs.index("| Code |")
        end = docs.index("\n\n", start) + 1
        docs = docs[:start] + codes_table() + docs[end:]
        docs_file.write_text(docs, encoding="utf-8")
    assert codes_table() in docs, "docs/meldingen.md is stale: run `make golden`"
    emitted = emitted_codes()
    assert emitted - set(CODES) == set()
    assert set(CODES) - emitted == set()


def test_a_diagnostic_has_its_codes_severity_from_the_moment_it_is_made() -> None:
    """One place sets a problem's level (the code table): no stage decides 'has errors'
    on a severity nobody chose."""
    from sopc.codes import CODES

    for code, info in CODES.items():
        assert Diagnostic("x.yaml", Span.start_of_file(), code, "m").severity is info.severity
    explicit = Diagnostic("x.yaml", Span.start_of_file(), "sop-verouderd", "m",
                          severity=Severity.WARNING)
    assert explicit.severity is Severity.WARNING


def test_no_message_says_mapping_or_document() -> None:
    """'mapping' and '(document)' are jargon for an IB'er: no summary of the code table
    and no expected diagnostic of the fixtures uses them (a code name may: it is a
    contract)."""
    import re

    from sopc.codes import CODES

    texts = [info.summary for info in CODES.values()]
    texts += [re.sub(r"\[[a-z-]+\]", "", path.read_text(encoding="utf-8"))
              for path in (FIXTURES / "invalid").glob("*.expected")]
    for text in texts:
        assert "mapping" not in text.lower() and "(document)" not in text, text
