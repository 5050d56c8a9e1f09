"""Nothing is silently lost (issue 11, point 3), as a property.

For generated school files with generated outlines — the school's own, or the ppo-nk
outline with generated adjustments — every text value the school wrote is found in
the built HTML, Markdown and Word file, or a diagnostic names it (its path, or a
part of the file that contains it).
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

import yaml
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textextract import docx_text, normalise

import sopc

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8)
_counter = itertools.count()


@st.composite
def phrase(draw: Any) -> str:
    """A few plain words plus a unique marker, so each value can be looked for."""
    words = draw(st.lists(WORDS, min_size=1, max_size=4))
    return " ".join([*words, f"waarde{next(_counter)}"])


@st.composite
def outline(draw: Any, depth: int, text_ids: list[str], known: list[str]) -> list[Any]:
    parts: list[Any] = []
    for _ in range(draw(st.integers(0, 3 if depth else 4))):
        kind = draw(st.sampled_from(["paragraaf", "tekst", "blok"] + (["deel"] if depth == 0
                                                                      else [])))
        if kind in ("paragraaf", "deel") and depth < 3:
            part: dict[str, Any] = {kind: draw(phrase()),
                                    "onderdelen": draw(outline(depth + 1, text_ids, known))}
            style = draw(st.sampled_from([None, "geen", "letters", "romeins"]))
            if style:
                part["nummering"] = style
            if draw(st.booleans()):
                part["voorvoegsel"] = "Bijlage"
        elif kind == "blok":
            part = {"blok": draw(st.sampled_from(["school-gegevens", "inspectie", "grenzen",
                                                  "documenten"]))}
            if draw(st.booleans()):
                part["titel"] = draw(phrase())
        else:
            text_id = f"t{len(known)}"
            known.append(text_id)
            part = {"tekst": text_id}
            if draw(st.booleans()):
                part["titel"] = draw(phrase())
            if draw(st.booleans()):
                text_ids.append(text_id)
        parts.append(part)
    return parts


def head(draw: Any, swv: Any) -> dict[str, Any]:
    school: dict[str, Any] = {"naam": draw(phrase()), "brin": "12AB", "vestiging": "00"}
    for key in ("plaats", "bestuur", "onderwijstype", "werkgebied", "adres",
                "contactpersoon"):
        if draw(st.booleans()):
            school[key] = draw(phrase())
    data: dict[str, Any] = {"sopc": 1, "swv": swv, "school": school,
                            "sop": {"schooljaar": "2021-2022"}}
    if draw(st.booleans()):
        data["sop"]["vastgesteld_door"] = draw(phrase())
    if draw(st.booleans()):
        data["inspectie"] = {"waardering": draw(phrase())}
    if draw(st.booleans()):
        data["grenzen"] = {"lijst": draw(st.lists(phrase(), min_size=1, max_size=3))}
    if draw(st.booleans()):
        data["documenten"] = [{"titel": draw(phrase()), "vindplaats": draw(phrase())}]
    return data


@st.composite
def own_school(draw: Any) -> dict[str, Any]:
    data = head(draw, {"naam": draw(phrase())})
    text_ids: list[str] = []
    known: list[str] = []
    data["opbouw"] = draw(outline(0, text_ids, known))
    # the texts the outline places, and some it does not
    data["teksten"] = {text_id: draw(phrase()) for text_id in text_ids}
    return data


PPO_REQUIRED = {"ouders-en-kind-school": "x", "visie-onderwijsondersteuning": "x",
                "leerstijl-en-motivatie": "x", "inrichting-onderwijsondersteuning": "x"}
PPO_PARTS = ["inleiding-schoolondersteuningsprofiel", "algemeen", "wat-is-passend-onderwijs",
             "onderwijsondersteuning", "werkwijze", "clusters", "niveaus", "wat-is-een-sop",
             "relatie-schoolgids", "ons-schoolondersteuningsprofiel"]


@st.composite
def ppo_school(draw: Any) -> dict[str, Any]:
    data = head(draw, "ppo-nk")
    data["teksten"] = {key: draw(phrase()) for key in PPO_REQUIRED}
    changes = []
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["hernoem", "laat_weg", "verplaats", "voeg_toe"]))
        target = draw(st.sampled_from(PPO_PARTS))
        if action == "hernoem":
            changes.append({"hernoem": target, "titel": draw(phrase())})
        elif action == "laat_weg":
            changes.append({"laat_weg": target})
        elif action == "verplaats":
            changes.append({"verplaats": target, "na": draw(st.sampled_from(PPO_PARTS))})
        else:
            text_id = f"eigen{len(changes)}"
            data["teksten"][text_id] = draw(phrase())
            changes.append({"voeg_toe": {"tekst": text_id, "titel": draw(phrase())},
                            draw(st.sampled_from(["voor", "na", "in"])):
                                draw(st.sampled_from(PPO_PARTS))})
    if changes:
        data["opbouw_aanpassen"] = changes
    if draw(st.booleans()):
        data["clusters"] = [{"cluster": "lezen", "aanpakken": [draw(phrase())]}]
    return data


SKIPPED_KEYS = {"sopc", "brin", "vestiging", "schooljaar", "tekst", "blok", "id", "catalogus",
                "nummering", "hernoem", "laat_weg", "verplaats", "voor", "na", "in",
                "cluster", "swv"}


def text_values(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if key in SKIPPED_KEYS and not isinstance(item, dict):
                continue
            found += text_values(item, (*path, key))
        return found
    if isinstance(value, list):
        return [pair for index, item in enumerate(value)
                for pair in text_values(item, (*path, index))]
    return [(path, value)] if isinstance(value, str) else []


def check_nothing_lost(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "school.yaml"
        source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")
        report = sopc.build([source], Path(folder) / "uit", ("html", "md", "docx"),
                            today=TODAY, incremental=False)
        if any(d.severity == "error" for d in report.diagnostics):
            # a refused file writes nothing; every error is at a line of the file
            assert all(d.span.line >= 1 for d in report.diagnostics)
            return
        html = (Path(folder) / "uit" / "school.html").read_text(encoding="utf-8")
        md = (Path(folder) / "uit" / "school.md").read_text(encoding="utf-8")
        word = docx_text((Path(folder) / "uit" / "school.docx").read_bytes())
    named = [d.path for d in report.diagnostics]
    for path, value in text_values(data):
        if value in html and value in md and normalise(value) in word:
            continue
        assert any(path[:len(where)] == where for where in named if where), (
            f"{'.'.join(map(str, path))} = {value!r} is not in the output and no "
            f"diagnostic names it: {[(d.code, d.path) for d in report.diagnostics]}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(own_school())
def test_nothing_of_a_school_with_its_own_outline_is_lost(data: dict[str, Any]) -> None:
    check_nothing_lost(data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ppo_school())
def test_nothing_of_a_school_that_adjusts_its_swv_outline_is_lost(data: dict[str, Any]
                                                                  ) -> None:
    check_nothing_lost(data)
