"""`sopc new`: one table of placeholders (sopc.placeholders), a starter that never
validates clean untouched, and the SWV layer of the repository's sopc.toml."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from sopc import placeholders
from sopc.layers import PRESETS, SwvRegistry
from sopc.loader import load_text
from sopc.placeholders import ANSWER, PLACEHOLDERS, is_placeholder, placeholder_diagnostics
from sopc.regime import school_year_of as school_year
from sopc.scaffold import own_outline_layer, preset_layer, starter

PLACEHOLDER_VALUES = [placeholder.value for placeholder in PLACEHOLDERS]
# The only values a starter writes that a school may keep: they are true for many schools.
KEPT = {("sopc",), ("swv",), ("school", "vestiging"), ("school", "onderwijstype"),
        ("sop", "schooljaar")}


def strings(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in strings(item, (*path, key))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value)
                for found in strings(item, (*path, index))]
    return [(path, value)]


def placeholder_lines(text: str) -> set[int]:
    """The lines of a starter that hold a placeholder value (comments left out)."""
    return {number for number, line in enumerate(text.splitlines(), start=1)
            if not line.lstrip().startswith("#")
            and any(value in line for value in PLACEHOLDER_VALUES)}


def validate_json(*args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("validate", "--format", "json", *args)
    document = json.loads(result.out)
    return result.code, [d for f in document["files"] for d in f["diagnostics"]]


# -- the table ---------------------------------------------------------------------------

@pytest.mark.parametrize("preset", PRESETS)
def test_every_example_value_of_the_starter_comes_from_the_table(preset: str) -> None:
    text = starter(preset_layer(preset), "school.schema.json")
    data = yaml.safe_load(text)
    leftovers = [(path, value) for path, value in strings(data)
                 if not is_placeholder(value) and path not in KEPT
                 and path[::2] != ("clusters", "cluster")]  # the ids of the SWV layer
    assert leftovers == []
    assert data["school"]["naam"] == placeholders.SCHOOL_NAME
    assert data["school"]["brin"] == placeholders.BRIN
    assert data["school"]["bestuur"] == placeholders.BOARD
    assert data["school"]["plaats"] == placeholders.PLACE
    assert data["sop"] == {"schooljaar": school_year(datetime.date.today())}


def test_every_placeholder_of_the_table_is_used_by_a_starter() -> None:
    texts = "".join(starter(preset_layer(preset)) for preset in PRESETS) + starter(
        own_outline_layer())
    assert all(value in texts for value in PLACEHOLDER_VALUES)


def test_is_placeholder() -> None:
    assert all(is_placeholder(value) for value in PLACEHOLDER_VALUES)
    assert is_placeholder("Nog in te  vullen") and is_placeholder(" basisschool de voorbeeld\n")
    for value in ("op-school", "ja", "Basisschool De Kompas", "00", None, 0, ["x"]):
        assert not is_placeholder(value)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.lists(st.one_of(
        st.sampled_from([word for value in PLACEHOLDER_VALUES for word in value.split()]),
        st.text(alphabet=" \t\n\u00a0\u2028", min_size=1, max_size=300),
        st.text(alphabet="aZ. ßſK", max_size=40)), max_size=8).map("".join),
    # a placeholder with runs of spaces anywhere: long, and still the placeholder
    st.tuples(st.sampled_from(PLACEHOLDER_VALUES),
              st.text(alphabet=" \t\n\u00a0\u2028", min_size=1, max_size=300),
              st.integers(0, 60)).map(
        lambda made: made[1] + made[0].replace(" ", made[1][:made[2] + 1]) + made[1])))
def test_a_long_value_is_ruled_out_as_the_whole_normal_form_would(value: str) -> None:
    """The short cut for long values (their characters that are not spaces) gives the
    same verdict as normalising all of the value."""
    whole = " ".join(value.split()).casefold() in placeholders._BY_VALUE
    assert is_placeholder(value) == whole
    assert is_placeholder(value.upper()) == (
        " ".join(value.upper().split()).casefold() in placeholders._BY_VALUE)


def test_placeholders_are_found_anywhere_in_the_data() -> None:
    assert placeholders.contains_placeholder({"a": [1, {"b": ["x", "Nog in  te vullen"]}]})
    assert not placeholders.contains_placeholder({"nog in te vullen": ["x", 3, None]})


def test_school_year_turns_on_the_first_of_august() -> None:
    assert school_year(datetime.date(2026, 7, 31)) == "2025-2026"
    assert school_year(datetime.date(2026, 8, 1)) == "2026-2027"


def test_one_diagnostic_per_placeholder_at_its_own_line() -> None:
    text = ("sopc: 1\nschool:\n  naam: Basisschool De Voorbeeld\n  brin: 00AA\n"
            "teksten:\n  a: |\n    Vervang deze tekst door de tekst van uw school.\n"
            "  b: Onze eigen tekst\n"
            "aanbod:\n  x:\n    items:\n      y: [nog in te vullen]\n"
            "    anders:\n      - naam: Eigen\n        waarde: Nog in te vullen\n")
    found = placeholder_diagnostics(load_text(text, "s.yaml"))
    assert [(d.span.line, d.code, d.path) for d in found] == [
        (3, "voorbeeldtekst", ("school", "naam")), (4, "voorbeeldtekst", ("school", "brin")),
        (6, "voorbeeldtekst", ("teksten", "a")),
        (12, "voorbeeldtekst", ("aanbod", "x", "items", "y", 0)),
        (15, "voorbeeldtekst", ("aanbod", "x", "anders", 0, "waarde"))]
    assert found[2].message == ("'Vervang deze tekst door de tekst van uw school.' is nog de "
                                "voorbeeldtekst van `sopc new`")
    assert all(d.severity.value == "warning" and d.hint for d in found)


def test_a_placeholder_written_with_yaml_escapes_is_found() -> None:
    """The check looks at the values as YAML reads them, not at the file's text: a
    placeholder spelled with escapes ('\\t', '\\x6c') is one all the same."""
    text = ('sopc: 1\nschool:\n  naam: "Basisschool\\tDe Voorbeeld"\n'
            'teksten:\n  a: "Nog in te vu\\x6clen"\n')
    found = placeholder_diagnostics(load_text(text, "s.yaml"))
    assert [(d.span.line, d.path) for d in found] == [
        (3, ("school", "naam")), (5, ("teksten", "a"))]


def test_unanswered_item_hint_names_the_answers_of_its_catalogue() -> None:
    layer = SwvRegistry().preset("perspectief-op-school")
    text = starter(preset_layer("perspectief-op-school"))
    found = {d.path: d.hint for d in placeholder_diagnostics(load_text(text, "s.yaml"),
                                                             layer=layer)}
    assert "op-school, via-bestuur of via-swv" in found[
        ("aanbod", "deskundigheid", "items", "dyslexiespecialist")]
    assert found[("aanbod", "veiligheid", "items", "leerlingen-veilig")].endswith("ja of nee")
    assert "Actief toegepast" in found[("aanbod", "protocollen", "items", "meldcode")]


# -- an untouched starter ----------------------------------------------------------------

@pytest.mark.parametrize("preset", PRESETS)
def test_untouched_starter_fails_strict_with_every_placeholder_line(tmp_path: Path,
                                                                    preset: str) -> None:
    target = tmp_path / "nieuw.yaml"
    assert run_cli("new", str(target), "--preset", preset).code == 0
    text = target.read_text(encoding="utf-8")
    code, diagnostics = validate_json(str(target))
    assert code == 0  # warnings only
    found = [d for d in diagnostics if d["code"] == "voorbeeldtekst"]
    expected = placeholder_lines(text)
    assert len(expected) > 10
    assert sorted(d["line"] for d in found) == sorted(expected)  # each at its own line
    assert all(d["severity"] == "warning" for d in found)
    # Apart from the placeholders only the missing MR consent (no invented dates) and, in
    # ppo-nk, the paragraph on the home situation that only population figures fill.
    assert {d["code"] for d in diagnostics} - {"voorbeeldtekst"} == (
        {"instemming-ontbreekt", "lege-paragraaf"} if preset == "ppo-nk"
        else {"instemming-ontbreekt"})
    strict = run_cli("validate", "--strict", str(target))
    assert strict.code == 1
    for line in expected:
        assert f"nieuw.yaml:{line}:" in strict.out
    assert "onbekend" not in strict.out and "verwacht ja of nee" not in strict.out
    plain = run_cli("validate", str(target))
    assert plain.code == 0 and f"0 fouten, {len(diagnostics)} waarschuwingen" in plain.out


def test_every_catalogue_kind_takes_the_placeholder_answer(tmp_path: Path) -> None:
    target = tmp_path / "nieuw.yaml"
    assert run_cli("new", str(target)).code == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    offer = data["aanbod"]
    offer["deskundigheid"]["items"]["logopedist"] = [ANSWER]
    offer["deskundigheid"]["items"]["psycholoog"] = ["op-school", "Nog in te vullen"]
    offer["deskundigheid"]["anders"] = [{"naam": "Eigen", "waarde": ANSWER}]
    offer["ruimten"]["anders"] = [{"naam": "Gymzaal", "waarde": ANSWER}]
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, diagnostics = validate_json(str(target))
    assert code == 0 and {d["severity"] for d in diagnostics} == {"warning"}
    kinds = {c.kind for c in SwvRegistry().preset("perspectief-op-school").catalogues}
    assert kinds == {"beschikbaarheid", "lijst", "status", "ja-nee"}


# -- after filling in --------------------------------------------------------------------

def fill_in(data: dict[str, Any], layer_kinds: dict[str, str]) -> None:
    """What a school does with a starter: every placeholder replaced, the dates set."""
    real = {placeholders.SCHOOL_NAME: "Basisschool Op de Heuvel", placeholders.BRIN: "06KG",
            placeholders.BOARD: "Stichting Kompas", placeholders.PLACE: "Nijmegen",
            placeholders.TEXT: "Op onze school leren kinderen samen.",
            placeholders.APPROACH: "Wij werken met kleine groepjes.",
            placeholders.BOUNDARY: "Kinderen die de hele dag een eigen begeleider nodig hebben."}
    answers = {"beschikbaarheid": ["op-school"], "lijst": "ja", "ja-nee": "nee",
               "status": "Actief toegepast"}

    def replace(value: Any, path: tuple[Any, ...]) -> Any:
        if isinstance(value, dict):
            return {key: replace(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [replace(item, (*path, index)) for index, item in enumerate(value)]
        if value == ANSWER:
            return answers[layer_kinds[path[1]]]
        return real.get(value, value)

    data.update(replace(data, ()))
    last_week = datetime.date.today() - datetime.timedelta(days=7)
    # a schoolgids (sopc.regime) needs the consent of the MR's parents, an SOP its advice
    consent = "instemming" if "leerlingeninbreng" in data else "mr_advies"
    data["sop"][consent] = (last_week - datetime.timedelta(days=7)).isoformat()
    data["sop"]["vastgesteld"] = last_week.isoformat()


@pytest.mark.parametrize("preset", PRESETS)
def test_filled_in_starter_validates_clean(tmp_path: Path, preset: str) -> None:
    target = tmp_path / "nieuw.yaml"
    assert run_cli("new", str(target), "--preset", preset).code == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    kinds = {c.id: c.kind for c in SwvRegistry().preset(preset).catalogues}
    fill_in(data, kinds)
    assert not [value for _, value in strings(data) if is_placeholder(value)]
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # A paragraph that only figures the starter cannot invent would fill is reported;
    # leaving it out, as the hint says, makes the file clean.
    _, diagnostics = validate_json(str(target))
    empty = [d for d in diagnostics if d["code"] == "lege-paragraaf"]
    assert [d["code"] for d in diagnostics if d not in empty] == []
    if empty:
        data["opbouw_aanpassen"] = [{"laat_weg": d["message"].split("(id '")[1].split("'")[0]}
                                    for d in empty]
        target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_cli("validate", "--strict", str(target))
    assert result.code == 0, result.out
    assert "0 fouten, 0 waarschuwingen" in result.out


# -- in a schools repository -------------------------------------------------------------

@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of examples/schools-repo (sopc.toml: swv = "swv/stroomland.yaml")."""
    copy = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "schools-repo", copy)
    return copy


def test_new_in_a_schools_repository_follows_sopc_toml(repo: Path) -> None:
    target = repo / "scholen" / "nieuw.yaml"
    result = run_cli("new", str(target))
    assert result.code == 0, result.err
    assert "let op" not in result.out  # scholen/ is checked by sopc.toml
    text = target.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "swv" not in data  # sopc.toml supplies it, as for the other schools
    assert "# Geen 'swv:' in dit bestand: de SWV-laag komt uit sopc.toml " \
           "(swv = \"swv/stroomland.yaml\")." in text
    assert text.startswith("# yaml-language-server: $schema=../schemas/school.schema.json\n")
    code, diagnostics = validate_json(str(target))
    assert code == 0 and "voorbeeldtekst" in {d["code"] for d in diagnostics}
    layer, problems = SwvRegistry().file(repo / "swv" / "stroomland.yaml")
    assert layer is not None and not problems
    fill_in(data, {c.id: c.kind for c in layer.catalogues})
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_cli("validate", "--strict", str(target))
    assert result.code == 0, result.out


def test_new_uses_the_file_layer_sopc_toml_names(repo: Path) -> None:
    """The clusters layer (basis ppo-nk): clusters, no catalogues, although no --preset
    was given and the default preset has catalogues and no clusters."""
    settings = repo / "sopc.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'swv = "swv/stroomland.yaml"', 'swv = "swv/stroomland-clusters.yaml"'),
        encoding="utf-8")
    target = repo / "scholen" / "nieuw.yaml"
    assert run_cli("new", str(target)).code == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert "swv" not in data and "aanbod" not in data
    layer, _ = SwvRegistry().file(repo / "swv" / "stroomland-clusters.yaml")
    assert layer is not None
    assert [c["cluster"] for c in data["clusters"]] == [c.id for c in layer.clusters
                                                       if not c.open]
    code, diagnostics = validate_json(str(target))
    assert code == 0 and {d["code"] for d in diagnostics} == {"voorbeeldtekst",
                                                             "instemming-ontbreekt",
                                                             "lege-paragraaf"}


def test_new_with_a_preset_in_sopc_toml(repo: Path) -> None:
    settings = repo / "sopc.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'swv = "swv/stroomland.yaml"', 'swv = "ppo-nk"'), encoding="utf-8")
    target = repo / "scholen" / "nieuw.yaml"
    assert run_cli("new", str(target)).code == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert "swv" not in data and len(data["clusters"]) == 9  # the clusters of ppo-nk


def test_preset_option_wins_over_sopc_toml(repo: Path) -> None:
    target = repo / "scholen" / "nieuw.yaml"
    assert run_cli("new", str(target), "--preset", "ppo-nk").code == 0
    text = target.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["swv"] == "ppo-nk"
    assert "# SWV-laag: de ingebouwde preset 'ppo-nk'." in text


@pytest.mark.parametrize(("setting", "expected"), [
    ("swv/kapot.yaml", "swv/kapot.yaml:6:3: fout: swv.naaam: onbekende sleutel 'naaam'"),
    ("swv/bestaat-niet.yaml", "het SWV-bestand 'swv/bestaat-niet.yaml' bestaat niet"),
    ("ppo-nkk", "bedoelde u 'ppo-nk'?"),
    ("../buiten.yaml", "buiten de repository"),
])
def test_new_with_an_unusable_layer_in_sopc_toml_writes_nothing(
        repo: Path, monkeypatch: pytest.MonkeyPatch, setting: str, expected: str) -> None:
    monkeypatch.chdir(repo)
    (repo / "swv" / "kapot.yaml").write_text(
        "sopc: 1\nsoort: swv\nbasis: perspectief-op-school\nswv:\n  id: x\n  naaam: y\n",
        encoding="utf-8")
    (repo.parent / "buiten.yaml").write_text("sopc: 1\n", encoding="utf-8")
    settings = repo / "sopc.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "swv/stroomland.yaml", setting), encoding="utf-8")
    result = run_cli("new", "scholen/nieuw.yaml")
    assert result.code == 1
    assert expected in result.out
    assert "sopc.toml:4:1: fout: swv: " in result.out  # the line of 'swv = ...'
    assert "(document)" not in result.out
    assert f"de SWV-laag die 'swv' noemt ({setting}) kan niet worden gebruikt; er is niets " \
           "geschreven" in result.err
    assert not (repo / "scholen" / "nieuw.yaml").exists()


def test_sopc_toml_can_make_placeholders_stop_the_build(repo: Path) -> None:
    settings = repo / "sopc.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "[sopc.meldingen]\n", '[sopc.meldingen]\nvoorbeeldtekst = "fout"\n'), encoding="utf-8")
    target = repo / "scholen" / "nieuw.yaml"
    assert run_cli("new", str(target)).code == 0
    out = repo / "uit"
    result = run_cli("build", str(target), "-o", str(out))
    assert result.code == 1 and "fout: school.naam: 'Basisschool De Voorbeeld'" in result.out
    assert not (out / "nieuw.html").exists()


def test_new_warns_when_sopc_toml_would_skip_the_file(repo: Path) -> None:
    result = run_cli("new", str(repo / "nieuw.yaml"))
    assert result.code == 0
    assert "let op: sopc validate en sopc build slaan" in result.out


def test_new_help_describes_the_sopc_toml_default() -> None:
    result = run_cli("new", "--help")
    assert result.code == 0
    assert "'swv' in sopc.toml" in " ".join(result.out.split())
    assert "anders perspectief-op-school" in " ".join(result.out.split())


def test_a_school_in_an_swv_without_a_layer_starts_with_its_own_outline(
        tmp_path: Path) -> None:
    """`sopc new --zonder-preset`: the SWV's name and an outline of the school's own; an
    untouched file reports each placeholder, a filled-in one is clean."""
    target = tmp_path / "nieuw.yaml"
    assert run_cli("new", str(target), "--zonder-preset").code == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["swv"] == {"naam": placeholders.SWV_NAME} and data["opbouw"]
    code, diagnostics = validate_json(str(target))
    assert code == 0 and {d["code"] for d in diagnostics} == {"voorbeeldtekst",
                                                             "instemming-ontbreekt"}
    assert sum(d["code"] == "voorbeeldtekst" for d in diagnostics) == 14
    fill_in(data, {})
    data["swv"]["naam"] = "Samenwerkingsverband Rivierenland"
    data["sop"].update({"instemming": "2026-09-01", "vastgesteld": "2026-09-15"})
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_cli("validate", "--strict", "--today", "2026-10-01", str(target))
    assert result.code == 0 and "0 fouten, 0 waarschuwingen" in result.out, result.out
    assert run_cli("new", str(tmp_path / "x.yaml"), "--zonder-preset", "--preset",
                   "ppo-nk").code == 2


def test_new_starts_the_school_year_of_the_reference_date(tmp_path: Path) -> None:
    """`--today` (or 'peildatum' in sopc.toml) picks the school year, as docs/schoolgids.md
    tells a school that prepares next year's schoolgids."""
    target = tmp_path / "volgend-jaar.yaml"
    assert run_cli("new", str(target), "--preset", "ppo-nk", "--today", "2025-09-15").code == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["sop"]["schooljaar"] == "2025-2026"
    (tmp_path / "sopc.toml").write_text("[sopc]\npeildatum = 2028-03-01\n", encoding="utf-8")
    second = tmp_path / "later.yaml"
    assert run_cli("new", str(second), "--preset", "ppo-nk").code == 0
    assert yaml.safe_load(second.read_text(encoding="utf-8"))["sop"]["schooljaar"] == "2027-2028"
    wrong = run_cli("new", str(tmp_path / "fout.yaml"), "--today", "2025-13-01")
    assert wrong.code == 2 and "is geen datum" in wrong.err
    assert not (tmp_path / "fout.yaml").exists()


def test_the_starter_says_which_sentence_the_boundaries_finish(tmp_path: Path) -> None:
    """ppo-nk puts the points under "... voldoen van kinderen:": a point that starts
    "Kinderen die ..." reads twice (found in a user trial)."""
    target = tmp_path / "school.yaml"
    assert run_cli("new", str(target), "--preset", "ppo-nk").code == 0
    text = target.read_text(encoding="utf-8")
    assert ('grenzen:\n  # Elk punt maakt deze zin af: "Wij kunnen niet aan de '
            "onderwijsbehoefte voldoen van kinderen:\"\n  # Begin een punt dus bijvoorbeeld "
            "met 'die ...'.\n  lijst:\n") in text


def test_the_commented_levels_and_documents_work_when_uncommented(tmp_path: Path) -> None:
    """The starter shows 'niveaus' and 'documenten' as commented examples (found missing
    in a user trial); taking away the '#' gives a file whose document has them."""
    target = tmp_path / "nieuw.yaml"
    assert run_cli("new", str(target), "--preset", "ppo-nk").code == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    example = ("# niveaus:", "#   - niveau:", "#     team:", "# documenten:", "#   - {titel:")
    uncommented = [line[2:] if line.startswith(example) else line for line in lines]
    assert len([1 for a, b in zip(lines, uncommented, strict=True) if a != b]) == 5
    data = yaml.safe_load("\n".join(uncommented))
    assert data["niveaus"] == [{"niveau": "niveau-1",
                                "team": ["Leerkracht", "Intern begeleider", "Ouders"]}]
    fill_in(data, {})
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "uit"
    assert run_cli("build", str(target), "-o", str(out), "-f", "md").code == 0
    markdown = (out / "nieuw.md").read_text(encoding="utf-8")
    assert "Dyslexieprotocol" in markdown and "Intern begeleider" in markdown


def test_the_contact_examples_are_placeholders_once_uncommented(tmp_path: Path) -> None:
    """Found in a user trial: taking away the '#' of the commented contact lines kept
    'Anna de Vries' and '024 123 45 67' without a word, and the parents' version printed
    them. Each is a `voorbeeldtekst` now, at its own line."""
    target = tmp_path / "nieuw.yaml"
    assert run_cli("new", str(target), "--preset", "ppo-nk").code == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    keys = ("contactpersoon", "telefoon", "email", "website")
    uncommented = [line.replace("# ", "", 1) if line.lstrip().startswith(
        tuple(f"# {key}:" for key in keys)) else line for line in lines]
    changed = [number for number, (a, b) in enumerate(zip(lines, uncommented, strict=True),
                                                      start=1) if a != b]
    assert len(changed) == 4
    target.write_text("\n".join(uncommented) + "\n", encoding="utf-8")
    _, diagnostics = validate_json(str(target))
    found = {d["line"]: d for d in diagnostics if d["code"] == "voorbeeldtekst"}
    assert all(line in found for line in changed), diagnostics
    assert "haal de regel weg" in found[changed[1]]["hint"]
