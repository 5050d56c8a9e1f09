"""docs/opbouw.md is true: its table of blocks comes from the registry, and every YAML
example in it validates and builds (a school file, an SWV file, each adjustment)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, TODAY

import sopc
from sopc.blocks import blocks_table

DOC = ROOT / "docs" / "opbouw.md"
# What the bare test school gets whatever the example: it describes no clusters and no
# home situation (the paragraph that only those figures fill is left out).
# the schools in the guide are made up: DUO does not know their BRIN codes
UNRELATED = {"cluster-ontbreekt", "lege-paragraaf", "onbekende-vestiging"}
PPO_TEXTS = {"ouders-en-kind-school": "x", "visie-onderwijsondersteuning": "x",
             "leerstijl-en-motivatie": "x", "inrichting-onderwijsondersteuning": "x"}


def examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_table_of_blocks_is_the_registry() -> None:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("| Blok |")
    end = text.index("<!-- einde blokken -->")
    if os.environ.get("SOPC_UPDATE_GOLDEN") == "1":
        text = text[:start] + blocks_table() + text[end:]
        DOC.write_text(text, encoding="utf-8")
    assert text[start:end] == blocks_table(), "docs/opbouw.md is stale: run `make golden`"


def build(tmp_path: Path, data: dict[str, object], name: str = "school.yaml") -> sopc.Report:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return sopc.build([path], tmp_path / "uit", today=TODAY, incremental=False)


def school(swv: str) -> dict[str, object]:
    return {"sopc": 1, "swv": swv,
            "school": {"naam": "Basisschool De Proef", "brin": "12AB", "vestiging": "00"},
            "sop": {"schooljaar": "2021-2022", "vastgesteld": "2021-10-01",
                    "mr_advies": "2021-09-15"},
            "teksten": dict(PPO_TEXTS)}


@pytest.mark.parametrize("index", range(len(examples())))
def test_every_example_is_real(tmp_path: Path, index: int) -> None:
    text = examples()[index]
    data = yaml.safe_load(text)
    if text.startswith("# voorbeeld: schoolbestand"):
        (tmp_path / "school.yaml").write_text(text, encoding="utf-8")  # exactly as written
        report = sopc.build([tmp_path / "school.yaml"], tmp_path / "uit", today=TODAY,
                            incremental=False)
        assert [d.code for d in report.diagnostics if d.code not in UNRELATED] == []
        md = (tmp_path / "uit" / "school.md").read_text(encoding="utf-8")
        headings = [line.lstrip("#").strip() for line in md.splitlines()
                    if line.startswith("## ") or line.startswith("### ")][1:]
        assert headings == ["Verklaring afkortingen", "1 Onze school", "1.1 Visie",
                            "2 Grenzen", "Bijlage A Kengetallen"]
        return
    if text.startswith("# voorbeeld: swv-bestand"):
        (tmp_path / "swv.yaml").write_text(text, encoding="utf-8")
        report = build(tmp_path, school("swv.yaml"))
        assert [d.code for d in report.diagnostics if d.code not in UNRELATED] == []
        md = (tmp_path / "uit" / "school.md").read_text(encoding="utf-8")
        assert "## 2 Passend onderwijs in onze regio" in md
        return
    # an adjustment of the ppo-nk outline, with the texts it adds
    adjusted = school("ppo-nk")
    adjusted["opbouw_aanpassen"] = data["opbouw_aanpassen"]
    adjusted["teksten"].update(data.get("teksten", {}))  # type: ignore[attr-defined]
    report = build(tmp_path, adjusted)
    assert [d.code for d in report.diagnostics if d.code not in UNRELATED] == []
    md = (tmp_path / "uit" / "school.md").read_text(encoding="utf-8")
    for value in yaml.safe_load(text).get("teksten", {}).values():
        assert value in md
