"""examples/schools-repo: a real SWV repository, checked exactly, in every output format."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT, run_cli, sopc_url, visible

import sopc
from sopc.schema import SCHEMA_KINDS, schema_text

REPO = EXAMPLES / "schools-repo"
REPO_ARG = str(REPO.relative_to(ROOT))
GOLDEN = ROOT / "tests" / "golden" / "schools-repo.parsable"
TODAY = "2026-11-01"
UPDATE = os.environ.get("SOPC_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def _from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)


def test_exact_diagnostics() -> None:
    result = run_cli("validate", REPO_ARG, "--format", "parsable", "--today", TODAY)
    if UPDATE:
        GOLDEN.write_text(result.out, encoding="utf-8")
    assert result.out == GOLDEN.read_text(encoding="utf-8")
    assert result.code == 1
    codes = sorted(re.findall(r"\[([a-z-]+)\]$", result.out, re.MULTILINE))
    assert codes == ["cluster-ontbreekt", "instemming-ontbreekt", "leerlingeninbreng-ontbreekt",
                     "sop-verouderd", "swv-tekst-vervangen"]


def test_json_counts_match_text() -> None:
    text = run_cli("validate", REPO_ARG, "--today", TODAY)
    report = run_cli("validate", REPO_ARG, "--format", "json", "--today", TODAY)
    document = json.loads(report.out)
    summary = document["summary"]
    assert text.out.splitlines()[-1] == (
        f"{summary['files']} bestanden gecontroleerd: {summary['errors']} fout, "
        f"{summary['warnings']} waarschuwingen, {summary['infos']} opmerking.")
    assert (summary["files"], summary["errors"], summary["warnings"], summary["infos"]) == (
        6, 1, 3, 1)
    assert document["exit_code"] == report.code == text.code == 1
    assert document["tool"] == "sopc" and document["version"]
    every = [d for f in document["files"] for d in f["diagnostics"]]
    assert len(every) == 5
    assert set(every[0]) == {"file", "line", "column", "end_line", "end_column", "severity",
                             "code", "message", "hint", "path", "path_parts", "related"}
    statuses = {Path(f["file"]).name: f["status"] for f in document["files"]}
    assert statuses == {"de-duinroos.yaml": "warning", "de-regenboog.yaml": "ok",
                        "de-zeester.yaml": "info", "het-anker.yaml": "error",
                        "stroomland.yaml": "ok", "stroomland-clusters.yaml": "ok"}


def test_github_annotations_carry_position(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    summary_file = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # chosen automatically
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    result = run_cli("validate", REPO_ARG, "--today", TODAY)
    annotations = [line for line in result.out.splitlines() if line.startswith("::")]
    assert len(annotations) == 5
    pattern = re.compile(r"^::(error|warning|notice) file=[^,]+\.yaml,line=\d+,col=\d+,"
                         r"endLine=\d+,endColumn=\d+,title=[a-z-]+::.+$")
    assert all(pattern.match(line) for line in annotations), annotations
    stale = next(line for line in annotations if "sop-verouderd" in line)
    assert stale.startswith(f"::error file={REPO_ARG}/scholen/het-anker.yaml,line=17,col=16,")
    assert result.code == 1
    summary = summary_file.read_text(encoding="utf-8")
    assert summary.startswith("### sopc: 6 bestanden gecontroleerd")
    rows = [line for line in summary.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + 5  # the header and one row per problem


@pytest.mark.parametrize("output_format", ["text", "parsable", "json", "github"])
@pytest.mark.parametrize(("today", "strict", "expected"), [
    (TODAY, False, 1), ("2027-01-10", False, 1), ("2026-10-01", True, 1)])
def test_exit_codes_agree(output_format: str, today: str, strict: bool, expected: int) -> None:
    args = ["validate", REPO_ARG, "--format", output_format, "--today", today]
    assert run_cli(*args, *(["--strict"] if strict else [])).code == expected


def test_clean_schools_exit_zero_in_every_format() -> None:
    schools = [f"{REPO_ARG}/scholen/de-regenboog.yaml", f"{REPO_ARG}/scholen/de-zeester.yaml"]
    for output_format in ("text", "parsable", "json", "github"):
        assert run_cli("validate", *schools, "-f", output_format, "--today", TODAY).code == 0
        # the info of De Zeester does not count as a warning, even under --strict
        assert run_cli("validate", *schools, "-f", output_format, "--today", TODAY,
                       "--strict").code == 0


def test_stale_school_fails_at_its_date_and_passes_in_its_year() -> None:
    stale = f"{REPO_ARG}/scholen/het-anker.yaml"
    result = run_cli("validate", stale, "-f", "parsable", "--today", TODAY)
    assert result.code == 1
    assert result.out.startswith(f"{stale}:17:16: error: sop.vastgesteld: ")
    assert result.out.rstrip().endswith("[sop-verouderd]")
    assert "vastgesteld: 2021-06-15" in (ROOT / stale).read_text(encoding="utf-8").splitlines()[16]
    passing = run_cli("validate", stale, "-f", "parsable", "--today", "2021-12-01")
    assert (passing.code, passing.out) == (0, "")


def test_validate_without_paths_uses_the_repository_settings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("validate", "-f", "parsable", "--today", TODAY)
    assert result.code == 1
    assert "scholen/het-anker.yaml:17:16: error:" in result.out
    verbose = run_cli("validate", "-v", "--today", TODAY)
    assert "ok: scholen/de-regenboog.yaml" in verbose.out
    assert "ok: swv/stroomland.yaml" in verbose.out
    quiet = run_cli("validate", "-q", "--today", TODAY)
    assert "gecontroleerd" not in quiet.out and "ok:" not in quiet.out
    assert "sop-verouderd" in quiet.out


def test_build_writes_every_passing_school(tmp_path: Path) -> None:
    result = run_cli("build", REPO_ARG, "-o", str(tmp_path), "--today", TODAY)
    assert result.code == 1  # Het Anker is stale
    built = visible(tmp_path)
    assert built == ["de-duinroos.html", "de-duinroos.md", "de-regenboog.html",
                     "de-regenboog.md", "de-zeester.html", "de-zeester.md"]


PRE_COMMIT_HOOK = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_pre_commit_hook_runs_for_schools_layers_and_settings_only() -> None:
    [hook] = PRE_COMMIT_HOOK
    assert hook["id"] == "sopc-validate"
    assert hook["entry"] == "sopc validate --hele-repository"
    assert hook["require_serial"] is True
    pattern = re.compile(hook["files"])  # pre-commit uses re.search on the path
    in_repo = [p.relative_to(REPO).as_posix() for p in REPO.rglob("*") if p.is_file()]
    matched = sorted(p for p in in_repo if pattern.search(p))
    assert matched == ["scholen/de-duinroos.yaml", "scholen/de-regenboog.yaml",
                       "scholen/de-zeester.yaml", "scholen/het-anker.yaml", "sopc.toml",
                       "swv/stroomland-clusters.yaml", "swv/stroomland.yaml"]
    for unrelated in (".github/workflows/sopc.yml", ".gitlab-ci.yml",
                      ".pre-commit-config.yaml", "docker-compose.yml", "mkdocs.yml",
                      "scholenlijst/x.yaml", "scholen/logo.png", "schemas/school.schema.json",
                      "scholen/notities.txt", "oud-scholen/a.yaml"):
        assert not pattern.search(unrelated), unrelated
    for school in ("regio/noord/scholen/a.yml", "scholen/archief/2020/b.yaml"):
        assert pattern.search(school), school


def test_sample_pre_commit_config_takes_the_hook_from_sopc_at_a_tag() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [source] = config["repos"]
    assert source["repo"] == sopc_url() and source["rev"] == f"v{sopc.__version__}"
    assert source["hooks"] == [{"id": PRE_COMMIT_HOOK[0]["id"]}]


def test_ci_files_publish_every_school_that_builds_and_still_fail_on_errors() -> None:
    """One `sopc build` checks and builds (exit 1 on any error, every school without one
    written); the documents are kept even when that step failed."""
    github = yaml.safe_load((REPO / ".github/workflows/sopc.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["sopc"]["steps"]
    assert [step["run"] for step in steps if "run" in step][-1] == "sopc build -o publicatie"
    [upload] = [step for step in steps if step.get("uses", "").startswith(
        "actions/upload-artifact@")]
    assert upload["if"].startswith("${{ !cancelled()") and upload["with"]["path"] == \
        "publicatie/"
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["sopc"]["script"][-1] == "sopc build -o publicatie"
    assert gitlab["sopc"]["artifacts"]["when"] == "always"
    assert "publicatie/" in gitlab["sopc"]["artifacts"]["paths"]


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_sample_repo_schema_is_current(kind: str) -> None:
    committed = (REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), "run `make schemas`"


def test_every_sample_file_names_its_schema() -> None:
    for folder, kind in (("scholen", "school"), ("swv", "swv")):
        for path in (REPO / folder).glob("*.yaml"):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"
