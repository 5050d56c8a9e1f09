"""`sopc presets list|show|export`: what a school builds on, as YAML it can copy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, TODAY, run_cli

import sopc
from sopc.export import with_ids
from sopc.layers import PRESETS, SwvRegistry
from sopc.loader import load_file
from sopc.models import SwvLayer
from sopc.validation import validate_loaded

SCHOOLS = {"ppo-nk": "ppo-noord-kennemerland.yaml", "perspectief-op-school": None}


def test_list_names_every_preset_with_its_swv() -> None:
    result = run_cli("presets", "list")
    assert result.code == 0
    lines = result.out.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(PRESETS)
    assert "Passend primair onderwijs Noord-Kennemerland: 6 hoofdstukken, 10 clusters" in \
        result.out


@pytest.mark.parametrize("name", PRESETS)
def test_export_reads_back_as_the_same_layer(tmp_path: Path, name: str) -> None:
    target = tmp_path / f"{name}.yaml"
    assert run_cli("presets", "export", name, "-o", str(target)).code == 0
    assert run_cli("presets", "export", name, "-o", str(target)).code == 2  # never overwrites
    shown = run_cli("presets", "show", name)
    assert shown.out == target.read_text(encoding="utf-8")
    loaded = load_file(target)
    model, diagnostics = validate_loaded(loaded)
    assert diagnostics == [] and isinstance(model, SwvLayer)
    assert model.model_dump() == with_ids(SwvRegistry().preset(name)).model_dump()
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    headings = [part for part in data["opbouw"] if "paragraaf" in part]
    assert headings and all("id" in part for part in headings)  # every id written out


def test_a_school_built_on_the_export_is_the_same_document(tmp_path: Path) -> None:
    target = tmp_path / "swv.yaml"
    assert run_cli("presets", "export", "ppo-nk", "-o", str(target)).code == 0
    (tmp_path / "sopc.toml").write_text((EXAMPLES / "sopc.toml").read_text(encoding="utf-8"),
                                        encoding="utf-8")  # the same settings
    school = tmp_path / "school.yaml"
    school.write_text((EXAMPLES / "ppo-noord-kennemerland.yaml").read_text(encoding="utf-8")
                      .replace("swv: ppo-nk", "swv: swv.yaml"), encoding="utf-8")
    ours = sopc.build([school], tmp_path / "a", today=TODAY, incremental=False)
    builtin = sopc.build([EXAMPLES / "ppo-noord-kennemerland.yaml"], tmp_path / "b",
                         today=TODAY, incremental=False)
    assert [d.code for d in ours.diagnostics] == [d.code for d in builtin.diagnostics]
    for suffix in ("html", "md"):
        assert (tmp_path / "a" / f"school.{suffix}").read_text(encoding="utf-8") == (
            tmp_path / "b" / f"ppo-noord-kennemerland.{suffix}").read_text(encoding="utf-8")


def test_an_unknown_preset_is_a_usage_error() -> None:
    result = run_cli("presets", "show", "ppo")
    assert result.code == 2 and "kies uit perspectief-op-school, ppo-nk" in result.err
