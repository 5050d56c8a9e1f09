"""sopc.toml / [tool.sopc]: found by walking up, selecting files, changing severities."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import EXAMPLES, run_cli

import sopc
from sopc.config import ConfigError, ConfigFinder, read_config

SCHOOL = (EXAMPLES / "op-de-heuvel.yaml").read_text(encoding="utf-8").replace(
    "swv: swv-po-stroomland.yaml\n", "")


def make_repo(root: Path, settings: str, name: str = "sopc.toml") -> Path:
    (root / "swv").mkdir(parents=True)
    (root / "scholen" / "archief").mkdir(parents=True)
    (root / "swv" / "laag.yaml").write_bytes((EXAMPLES / "swv-po-stroomland.yaml").read_bytes())
    (root / "scholen" / "a.yaml").write_text(SCHOOL, encoding="utf-8")
    (root / "scholen" / "archief" / "oud.yaml").write_text("kapot: [", encoding="utf-8")
    (root / "elders.yaml").write_text("niet: van sopc\n", encoding="utf-8")
    (root / name).write_text(settings, encoding="utf-8")
    return root


REPO_SETTINGS = """[sopc]
swv = "swv/laag.yaml"
bestanden = ["scholen/**/*.yaml", "swv/*.yaml"]
negeer = ["archief/"]
peildatum = 2022-03-01
"""


def test_settings_select_files_and_give_the_swv_layer(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, REPO_SETTINGS)
    report = sopc.validate([repo])
    assert sorted(Path(r.display).name for r in report.files) == ["a.yaml", "laag.yaml"]
    assert report.skipped == 2  # the archive and elders.yaml
    # the school has no 'swv:' and got the layer from sopc.toml; it is two months old
    assert [d.code for d in report.diagnostics] == ["mr-advies-ontbreekt"]


def test_settings_are_found_from_a_file_deep_inside(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path, REPO_SETTINGS)
    monkeypatch.chdir(repo / "scholen")
    result = run_cli("validate", "a.yaml", "-f", "parsable")
    assert result.code == 0, result.out
    assert "mr-advies-ontbreekt" in result.out


def test_pyproject_tool_table(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, "[project]\nname = 'x'\n\n" + REPO_SETTINGS.replace(
        "[sopc]", "[tool.sopc]"), name="pyproject.toml")
    report = sopc.validate([repo])
    assert report.skipped == 2
    assert [d.code for d in report.diagnostics] == ["mr-advies-ontbreekt"]


def test_pyproject_without_table_keeps_searching(tmp_path: Path) -> None:
    (tmp_path / "sopc.toml").write_text("[sopc]\npeildatum = 2022-01-01\n", encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    config = ConfigFinder().for_path(inner / "a.yaml")
    assert config.today == datetime.date(2022, 1, 1)


def test_severities_can_change_or_switch_off(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, REPO_SETTINGS + """
[sopc.meldingen]
mr-advies-ontbreekt = "fout"
""")
    report = sopc.validate([repo / "scholen" / "a.yaml"])
    assert [(d.code, d.severity.value) for d in report.diagnostics] == [
        ("mr-advies-ontbreekt", "error")]
    (repo / "sopc.toml").write_text(REPO_SETTINGS + "[sopc.meldingen]\nmr-advies-ontbreekt = "
                                    "\"uit\"\n", encoding="utf-8")
    assert sopc.validate([repo / "scholen" / "a.yaml"]).diagnostics == []


def test_today_on_the_command_line_wins(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, REPO_SETTINGS)
    school = str(repo / "scholen" / "a.yaml")
    assert run_cli("validate", school, "--today", "2026-11-23").code == 1
    assert run_cli("validate", school, "--today", "2022-02-01").code == 0
    assert run_cli("validate", school, "--today", "23-11-2026").code == 2


def test_explicit_config_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, REPO_SETTINGS)
    other = tmp_path / "ander.toml"
    other.write_text("[sopc]\nswv = \"perspectief-op-school\"\npeildatum = 2022-03-01\n",
                     encoding="utf-8")
    report = sopc.validate([repo / "scholen" / "a.yaml"], config=other)
    assert [d.code for d in report.diagnostics] == ["mr-advies-ontbreekt"]


@pytest.mark.parametrize(("text", "fragment"), [
    ("[sopc]\npeildatum = 'gisteren'\n", "geen datum"),
    ("[sopc]\nbestand = ['x']\n", "bedoelde u 'bestanden'?"),
    ("[sopc]\n[sopc.meldingen]\nmr-advies = 'uit'\n", "bedoelde u 'mr-advies-ontbreekt'?"),
    ("[sopc]\n[sopc.meldingen]\nyaml-syntax = 'uit'\n", "kan niet worden aangepast"),
    ("[sopc]\n[sopc.meldingen]\nmr-advies-ontbreekt = 'zacht'\n", "'fout', 'waarschuwing'"),
    ("[sopc\n", "geen geldige TOML"),
    ("[ander]\n", "[sopc] ontbreekt"),
    ("[sopc]\nswv = 3\n", "'swv' moet een tekst"),
])
def test_bad_settings_are_usage_errors(tmp_path: Path, text: str, fragment: str) -> None:
    settings = tmp_path / "sopc.toml"
    settings.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment.replace("[", r"\[").replace("?", r"\?")
                       .replace("(", r"\(")):
        read_config(settings)
    (tmp_path / "a.yaml").write_text(SCHOOL, encoding="utf-8")
    result = run_cli("validate", str(tmp_path / "a.yaml"))
    assert result.code == 2 and fragment in result.err and "Traceback" not in result.err


def test_explicitly_named_but_ignored_file_is_skipped_not_an_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, REPO_SETTINGS)
    result = run_cli("validate", str(repo / "scholen" / "archief" / "oud.yaml"))
    assert result.code == 0
    assert "0 bestanden gecontroleerd" in result.out


def test_school_without_any_swv_layer(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(SCHOOL, encoding="utf-8")
    report = sopc.validate([tmp_path / "a.yaml"], today=datetime.date(2022, 3, 1))
    assert [d.code for d in report.diagnostics] == ["swv-ontbreekt"]
