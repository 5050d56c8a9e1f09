"""Fuzzing: mutated and truncated versions of valid school files.

The property: sopc answers with diagnostics (each with a known code, a file and a
line) and exit code 0 or 1, never with an unhandled exception.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sopc
from sopc.codes import CODES
from sopc.diagnostics import exit_code

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2022, 3, 1)
EXAMPLE = (ROOT / "examples" / "ppo-noord-kennemerland.yaml").read_text(encoding="utf-8")
BASE = yaml.safe_load(EXAMPLE)
COMPACT = """sopc: 1
swv: ppo-nk
school:
  naam: De Kleine Wereld
  brin: 12AB
  vestiging: "00"
  plaats: Heiloo
sop:
  schooljaar: 2021-2022
  vastgesteld: 2022-01-10
  mr_advies: 2021-12-15
teksten:
  ouders-en-kind-school: Ouders zijn welkom; we maken samen een plan.
  visie-onderwijsondersteuning: "Elk kind hoort erbij: *samen* leren."
  leerstijl-en-motivatie: Kinderen plannen hun eigen werk.
  inrichting-onderwijsondersteuning: Zie [de website](https://example.org).
clusters:
  - cluster: lezen
    aanpakken:
      - Extra leesbeurten in de ochtend.
      - tekst: Dyslexiebegeleiding
        sub: [Voorleessoftware]
    in_ontwikkeling: [Leesclub]
niveaus:
  - niveau: niveau-1
    team: [leerkracht, intern begeleider]
grenzen:
  lijst:
    - die intensieve medische zorg nodig hebben.
"""


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


ALL_PATHS = paths(BASE)
REPLACEMENTS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**12), st.text(max_size=30),
                         st.lists(st.text(max_size=5), max_size=3),
                         st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))


def mutate(data: Any, path: tuple[Any, ...], action: str, value: Any, name: str) -> Any:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "drop":
        del parent[last]
    elif action == "retype":
        parent[last] = value
    elif action == "rename" and isinstance(parent, dict):
        parent[name or f"{last}x"] = parent.pop(last)
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif action == "duplicate" and isinstance(parent, dict):
        parent[f"{last}"] = parent[last]
    return data


def check(path: Path) -> None:
    report = sopc.validate([path], today=TODAY)
    assert exit_code(report.diagnostics) in (0, 1)
    for diagnostic in report.diagnostics:
        assert diagnostic.code in CODES, diagnostic
        assert diagnostic.file and diagnostic.span.line >= 1


@pytest.mark.slow
@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, len(ALL_PATHS) - 1),
       action=st.sampled_from(["drop", "retype", "rename", "duplicate"]),
       value=REPLACEMENTS, name=st.text(max_size=12))
def test_mutated_examples_give_only_diagnostics(tmp_path: Path, index: int, action: str,
                                                value: Any, name: str) -> None:
    data = mutate(yaml.safe_load(EXAMPLE), ALL_PATHS[index], action, value, name)
    path = tmp_path / "gemuteerd.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    check(path)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(EXAMPLE.encode())), junk=st.binary(max_size=8))
def test_truncated_example_with_junk(tmp_path: Path, cut: int, junk: bytes) -> None:
    path = tmp_path / "afgebroken.yaml"
    path.write_bytes(EXAMPLE.encode()[:cut] + junk)
    check(path)


def test_compact_school_truncated_at_every_byte(tmp_path: Path) -> None:
    data = COMPACT.encode()
    whole = sopc.validate([_write(tmp_path / "heel.yaml", data)], today=TODAY)
    assert exit_code(whole.diagnostics) == 0  # valid (it describes one cluster: warnings)
    for cut in range(len(data)):
        check(_write(tmp_path / "afgebroken.yaml", data[:cut]))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
