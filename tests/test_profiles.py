"""The schoolgids era: the regime per school, its checks, the chapter for the schoolgids
and the parents' version (docs/schoolgids.md)."""

from __future__ import annotations

import datetime
import re
import textwrap
from pathlib import Path

import pytest
from conftest import EXAMPLES

import sopc
from sopc.config import ConfigError, from_table
from sopc.layers import SwvRegistry
from sopc.models import SwvLayer
from sopc.regime import REGIMES, SCHOOLGIDS_2025, SOP_2014, choose, school_year_of
from sopc.theme import PRESETS

TODAY = datetime.date(2026, 11, 1)


def test_the_regime_follows_the_school_year_unless_a_setting_says_otherwise() -> None:
    assert choose("2024-2025").name == SOP_2014
    assert choose("2025-2026").name == SCHOOLGIDS_2025
    later = datetime.date(2026, 8, 1)  # a commencement moved by a year
    assert choose("2025-2026", layer_commencement=later).name == SOP_2014
    assert choose("2025-2026", layer=SOP_2014).name == SOP_2014
    setting = choose("2021-2022", configured=SCHOOLGIDS_2025, layer=SOP_2014)
    assert (setting.name, setting.chosen_by) == (SCHOOLGIDS_2025, "sopc.toml")
    assert school_year_of(datetime.date(2026, 7, 31)) == "2025-2026"
    assert school_year_of(datetime.date(2026, 8, 1)) == "2026-2027"


def test_the_model_offers_exactly_the_regimes() -> None:
    schema = SwvLayer.model_json_schema(by_alias=True)
    field = schema["properties"]["regime"]
    listed = {value for option in field.get("anyOf", [field]) for value in
              option.get("enum", [])}
    assert listed == set(REGIMES)


def test_sopc_toml_checks_its_regime(tmp_path: Path) -> None:
    config = from_table({"regime": "sop-2014", "schoolgids_vanaf": "2026-08-01"},
                        tmp_path / "sopc.toml")
    assert config.regime == "sop-2014" and config.schoolgids_from == datetime.date(2026, 8, 1)
    with pytest.raises(ConfigError, match="'regime' moet"):
        from_table({"regime": "schoolgids"}, tmp_path / "sopc.toml")


SCHOOL = """\
sopc: 1
swv: ppo-nk
school:
  naam: Basisschool De Linde
  brin: 08DJ
  vestiging: "00"
sop:
  schooljaar: {year}
  instemming: 2026-06-01
teksten:
  ouders-en-kind-school: Ouders zijn welkom.
  visie-onderwijsondersteuning: Onze visie.
  leerstijl-en-motivatie: Betrokken leerlingen.
  inrichting-onderwijsondersteuning: Zo werken wij.
clusters:
  - cluster: lezen
    aanpakken: [Extra leestijd]
grenzen:
  lijst: [Leerlingen die de hele dag een eigen begeleider nodig hebben.]
"""


def check(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    (tmp_path / "sopc.toml").write_text("[sopc]\nduo = false\n[sopc.meldingen]\n"
                                        "cluster-ontbreekt = 'uit'\nlege-paragraaf = 'uit'\n",
                                        encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    report = sopc.validate([path], today=TODAY)
    return [(d.span.line, d.code, d.severity.value) for d in report.diagnostics]


def test_a_schoolgids_without_pupils_input_is_warned_at_its_school_year(tmp_path: Path) -> None:
    found = check(tmp_path, SCHOOL.format(year="2026-2027"))
    assert found == [(8, "leerlingeninbreng-ontbreekt", "warning")]


def test_part_of_the_pupils_input_missing_is_warned_at_its_key(tmp_path: Path) -> None:
    text = SCHOOL.format(year="2026-2027") + "leerlingeninbreng:\n  hoe: In de klas.\n"
    found = check(tmp_path, text)
    assert found == [(20, "leerlingeninbreng-ontbreekt", "warning")]
    report = sopc.validate([tmp_path / "s.yaml"], today=TODAY)
    assert "'wat_leerlingen_zeiden' en 'wat_er_veranderde'" in report.diagnostics[0].message


def test_a_schoolgids_without_boundaries_is_warned_at_its_school_year(tmp_path: Path) -> None:
    """Grenzen as a list are enough (as the text a layer asks for too: Op de Heuvel, whose
    perspectief-op-school layer asks for them as `teksten.grenzen`, validates clean)."""
    text = SCHOOL.format(year="2026-2027") + textwrap.dedent("""\
        leerlingeninbreng:
          hoe: a
          wat_leerlingen_zeiden: b
          wat_er_veranderde: c
        """)
    assert check(tmp_path, text) == []
    without = text.replace("grenzen:\n  lijst: [Leerlingen die de hele dag een eigen begeleider "
                           "nodig hebben.]\n", "")
    assert check(tmp_path, without) == [(8, "grenzen-ontbreken", "warning")]


def test_a_chapter_for_an_earlier_school_year_is_out_of_date(tmp_path: Path) -> None:
    text = SCHOOL.format(year="2025-2026") + textwrap.dedent("""\
        leerlingeninbreng:
          hoe: a
          wat_leerlingen_zeiden: b
          wat_er_veranderde: c
        """)
    assert check(tmp_path, text) == [(8, "schoolgids-verouderd", "error")]
    # the coming school year, prepared in spring, is fine; so is the running one
    assert check(tmp_path, text.replace("2025-2026", "2027-2028")) == []


def test_an_sop_of_before_the_law_keeps_its_own_checks(tmp_path: Path) -> None:
    text = SCHOOL.format(year="2024-2025").replace("  instemming: 2026-06-01\n",
                                                   "  vastgesteld: 2024-06-01\n")
    assert sorted(code for _, code, _ in check(tmp_path, text)) == [
        "mr-advies-ontbreekt", "sop-ouder-dan-een-jaar"]


# -- the presets' short versions ----------------------------------------------------------

def outline_ids(layer: SwvLayer, profile: str) -> list[str]:
    return [part.id or "" for part in layer.profiles[profile].outline]  # type: ignore[index]


def test_both_presets_have_the_same_parts_in_the_same_order() -> None:
    registry = SwvRegistry()
    for profile in ("ouders", "schoolgids"):
        orders = {preset: outline_ids(registry.preset(preset), profile) for preset in PRESETS}
        assert len(set(map(tuple, orders.values()))) == 1, orders
    assert outline_ids(registry.preset("ppo-nk"), "ouders") == [
        "wat-wij-bieden", "wat-wij-niet-kunnen-bieden", "hulp-vragen", "contact"]
    assert outline_ids(registry.preset("ppo-nk"), "schoolgids") == [
        "basisondersteuning", "extra-ondersteuning", "grenzen", "organisatie",
        "inbreng-van-leerlingen", "meer-informatie"]


EXAMPLE_SCHOOLS = ("op-de-heuvel", "ppo-noord-kennemerland")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    report = sopc.build([EXAMPLES / f"{name}.yaml" for name in EXAMPLE_SCHOOLS], out,
                        profiles=("volledig", "ouders", "schoolgids"), incremental=False)
    assert not any(d.severity.value == "error" for d in report.diagnostics)
    return out


@pytest.mark.parametrize("name", EXAMPLE_SCHOOLS)
def test_the_parents_version_names_a_contact_and_links_the_full_document(
        built: Path, name: str) -> None:
    html = (built / f"{name}.ouders.html").read_text(encoding="utf-8")
    markdown = (built / f"{name}.ouders.md").read_text(encoding="utf-8")
    assert "<dt>Contactpersoon</dt><dd>de intern begeleider</dd>" in html
    assert re.search(r'<dt>Telefoon</dt><dd><a href="tel:0[0-9]+">', html)
    assert f'href="{name}.html"' in html and f"]({name}.md)" in markdown
    assert "<a id=" not in markdown  # pastes into a schoolgids without stray anchors


@pytest.mark.parametrize("name", EXAMPLE_SCHOOLS)
def test_the_parents_version_has_no_ids_or_internal_counts(built: Path, name: str) -> None:
    markdown = (built / f"{name}.ouders.md").read_text(encoding="utf-8")
    registry = SwvRegistry()
    layer = registry.preset("perspectief-op-school" if name == "op-de-heuvel" else "ppo-nk")
    ids = {item.id for catalogue in layer.catalogues for item in catalogue.items}
    ids |= {cluster.id for cluster in layer.clusters} | {c.id for c in layer.catalogues}
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", markdown))
    assert not words & {i for i in ids if "-" in i}
    assert not re.search(r"\(\d+ aanpak", markdown)
    assert "## " in markdown and "Wat wij niet kunnen bieden" in markdown


@pytest.mark.parametrize("name", EXAMPLE_SCHOOLS)
def test_the_schoolgids_chapter_has_the_parts_the_law_asks(built: Path, name: str) -> None:
    markdown = (built / f"{name}.schoolgids.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (?:\d+ )?(.+)$", markdown, re.MULTILINE)
    assert headings == ["Basisondersteuning", "Extra ondersteuning",
                        "Grenzen aan onze ondersteuning", "Hoe wij de ondersteuning organiseren",
                        "Wat leerlingen ervan vinden", "Meer informatie"]
    assert "vat ons schoolondersteuningsprofiel" not in markdown
    assert "Wat wij met hun inbreng doen" in markdown
    assert f"]({name}.md)" in markdown and "<a id=" not in markdown


@pytest.mark.slow
def test_the_parents_version_of_both_examples_is_at_most_two_pages(tmp_path: Path) -> None:
    import pypdf

    report = sopc.build([EXAMPLES / f"{name}.yaml" for name in EXAMPLE_SCHOOLS], tmp_path,
                        formats=("pdf",), profiles=("ouders",), incremental=False)
    assert not any(d.severity.value == "error" for d in report.diagnostics)
    for name in EXAMPLE_SCHOOLS:
        pages = pypdf.PdfReader(tmp_path / f"{name}.ouders.pdf").pages
        assert 1 <= len(pages) <= 2, (name, len(pages))
        text = " ".join(page.extract_text() or "" for page in pages)
        assert "Contactpersoon" in text and "de intern begeleider" in text
