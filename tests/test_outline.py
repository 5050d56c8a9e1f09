"""The school-owned outline (issue 11): adjustments, numbering, and nothing lost.

Each case of the issue's "Why" has a test here that failed on the code before it;
the rest pins how the outline behaves (ids, adjustments, numbering styles).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, run_cli

import sopc

SCHOOL_HEAD = """\
sopc: 1
swv: {swv}
school:
  naam: Basisschool De Linde
  brin: 08DJ
  vestiging: "00"
  plaats: Lindendorp
sop:
  schooljaar: 2021-2022
  vastgesteld: 2021-10-01
  mr_advies: 2021-09-15
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def build(path: Path, tmp_path: Path, **options: Any) -> tuple[Any, dict[str, str]]:
    out = tmp_path / "uit"
    report = sopc.build([path], out, today=TODAY, incremental=False, **options)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()
             if p.is_file() and not p.name.startswith(".")} if out.exists() else {}
    return report, texts


def codes(report: Any) -> list[str]:
    return [d.code for d in report.diagnostics]


def headings(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines()
            if re.match(r"#{2,6} ", line) and "Inhoudsopgave" not in line]


def own_swv_school(outline: str, texts: str = "", extra: str = "") -> str:
    """A school in an SWV without a layer of its own: its name and the school's outline."""
    return (SCHOOL_HEAD.format(swv="\n  naam: Samenwerkingsverband Zuid-West")
            + "opbouw:\n" + textwrap.indent(textwrap.dedent(outline), "  ")
            + ("teksten:\n" + textwrap.indent(textwrap.dedent(texts), "  ") if texts else "")
            + textwrap.dedent(extra))


# ----------------------------------------------------------------------------------------
# The cases of "Why"
# ----------------------------------------------------------------------------------------

def test_a_text_or_block_at_the_top_of_an_outline_is_shown(tmp_path: Path) -> None:
    """Was: an empty, untitled chapter '1', its text gone."""
    path = write(tmp_path, "s.yaml", own_swv_school("""\
        - tekst: voorwoord
          titel: Voorwoord
        - blok: school-gegevens
        - paragraaf: Onze school
          onderdelen:
            - tekst: visie
        """, "voorwoord: Dit is ons voorwoord.\nvisie: Onze visie.\n"))
    report, out = build(path, tmp_path)
    assert codes(report) == []
    md = out["s.md"]
    assert "Dit is ons voorwoord." in md and "Onze visie." in md
    assert headings(md) == ["Voorwoord", "1 Onze school"]
    assert "BRIN en vestiging" in md  # the block, unnumbered, before chapter 1


def test_an_swv_outline_on_a_preset_that_leaves_out_school_content_says_so(
        tmp_path: Path) -> None:
    """Was: with `basis: ppo-nk` and an own `opbouw`, the school's texts and clusters that
    the new outline does not place vanished without a word."""
    write(tmp_path, "swv.yaml", """\
        sopc: 1
        soort: swv
        basis: ppo-nk
        swv: {id: eigen, naam: SWV Eigen}
        opbouw:
          - paragraaf: Visie
            onderdelen:
              - tekst: visie-onderwijsondersteuning
        """)
    path = write(tmp_path, "s.yaml", SCHOOL_HEAD.format(swv="swv.yaml") + """\
teksten:
  visie-onderwijsondersteuning: Onze visie.
  inrichting-onderwijsondersteuning: Zo richten wij het in.
clusters:
  - cluster: lezen
    aanpakken: [Extra leestijd]
""")
    report, out = build(path, tmp_path)
    lost = {d.dotted_path: d for d in report.diagnostics if d.code == "niet-geplaatst"}
    assert set(lost) == {"teksten.inrichting-onderwijsondersteuning", "clusters"}
    assert "(wel in de versie 'schoolgids')" in lost[
        "teksten.inrichting-onderwijsondersteuning"].message
    assert all(d.file.endswith("s.yaml") and d.span.line > 1 for d in lost.values())
    assert "Onze visie." in out["s.md"]


def test_the_ppo_nk_starter_has_no_empty_paragraph_and_no_dangling_lead_in(
        tmp_path: Path) -> None:
    """Was: an empty '3.2.2' and a '3.2.3' whose SWV lead-in ended in ':' with nothing
    after it."""
    starter = tmp_path / "nieuw.yaml"
    assert run_cli("new", str(starter), "--preset", "ppo-nk").code == 0
    text = starter.read_text(encoding="utf-8")
    text = re.sub(r"^  netwerk-[a-z-]+: .*\n", "", text, flags=re.M)  # leave them empty
    starter.write_text(text, encoding="utf-8")
    report, out = build(starter, tmp_path)
    md = out["nieuw.md"]
    empty = [d for d in report.diagnostics if d.code == "lege-paragraaf"]
    assert ["Opvoedsituatie thuis" in d.message for d in empty] == [True, False]
    assert "'teksten: netwerk-wijk'" in (empty[1].hint or "")  # what would fill it
    assert "inleiding-zonder-vervolg" not in codes(report)  # said once, not twice
    assert "Opvoedsituatie thuis" not in headings(md)
    assert "aandacht besteed aan de volgende omgevingsinvloeden:" not in md
    for index, line in enumerate(lines := md.splitlines()):  # no heading without content
        if line.startswith("#") and "Inhoudsopgave" not in line:
            following = [x for x in lines[index + 1:] if x.strip() and not x.startswith("<a")]
            assert following, line


def test_a_profile_the_layer_does_not_define_is_an_error(tmp_path: Path) -> None:
    """Was: `--profiel ouders` with a layer without profiles wrote the full document under
    that name."""
    path = write(tmp_path, "s.yaml", own_swv_school("- tekst: visie\n", "visie: Tekst.\n"))
    report, out = build(path, tmp_path, profiles=("ouders",))
    assert "onbekend-profiel" in codes(report) and report.files[0].failed
    assert out == {}
    result = run_cli("build", str(path), "-o", str(tmp_path / "cli"), "--profiel", "ouders",
                     "--today", TODAY.isoformat())
    assert result.code == 1 and "kent geen versie 'ouders'" in result.out + result.err


def test_every_fact_of_the_school_is_on_the_title_page(tmp_path: Path) -> None:
    """Was: `vastgesteld` and `mr_advies` printed nowhere with ppo-nk; `vastgesteld`
    never on the title page; the title always got ' (SOP)'."""
    path = write(tmp_path, "s.yaml", SCHOOL_HEAD.format(swv="ppo-nk").replace(
        "  vastgesteld: 2021-10-01\n",
        "  vastgesteld: 2018-03-27\n  vastgesteld_door: het college van bestuur\n").replace(
        "  plaats: Lindendorp\n", "  plaats: Lindendorp\n  adres: Lindelaan 1, 1234 AB "
        "Lindendorp\n  telefoon: 012-3456789\n  email: info@delinde.nl\n"
        "  contactpersoon: Anna de Vries, intern begeleider\n") + """\
documenttitel: Ondersteuningsprofiel
teksten:
  ouders-en-kind-school: Ouders zijn welkom.
  visie-onderwijsondersteuning: Visie.
  leerstijl-en-motivatie: Betrokken.
  inrichting-onderwijsondersteuning: Zo.
""")
    report, out = build(path, tmp_path)
    assert [d for d in report.diagnostics if d.code == "niet-geplaatst"] == []
    html = out["s.html"]
    title_page = html[html.index('<header class="voorblad'):html.index("</header>")]
    for fact in ("Vastgesteld", "27 maart 2018 door het college van bestuur",
                 "Advies medezeggenschapsraad", "15 september 2021", "Lindendorp",
                 "Lindelaan 1, 1234 AB Lindendorp", "012-3456789", "info@delinde.nl",
                 "Anna de Vries, intern begeleider", "08DJ00", "2021-2022",
                 "Passend primair onderwijs Noord-Kennemerland"):
        assert fact in title_page, fact
    assert ">Ondersteuningsprofiel</p>" in title_page and "(SOP)" not in title_page


def test_a_starter_left_untouched_builds_as_concept(tmp_path: Path) -> None:
    starter = tmp_path / "nieuw.yaml"
    assert run_cli("new", str(starter)).code == 0
    _, out = build(starter, tmp_path)
    assert "CONCEPT" in out["nieuw.html"] and "CONCEPT" in out["nieuw.md"]
    rows = [line for line in out["nieuw.md"].splitlines() if line.count("|") > 3]
    assert rows and not any(" ja |" in row for row in rows)  # no item marked by default
    assert all("nog in te vullen" in row for row in rows if "– nee" not in row
               and "---" not in row and "nog in te vullen" in row) and any(
        "nog in te vullen" in row for row in rows)
    assert "nog in te vullen</td>" in out["nieuw.html"]


# ----------------------------------------------------------------------------------------
# Adjustments
# ----------------------------------------------------------------------------------------

PPO_TEXTS = """\
teksten:
  ouders-en-kind-school: Ouders zijn welkom.
  visie-onderwijsondersteuning: Onze visie.
  leerstijl-en-motivatie: Betrokken leerlingen.
  inrichting-onderwijsondersteuning: Zo is het ingericht.
"""


def ppo_school(tmp_path: Path, changes: str) -> Path:
    return write(tmp_path, "s.yaml", SCHOOL_HEAD.format(swv="ppo-nk") + PPO_TEXTS
                 + "opbouw_aanpassen:\n" + textwrap.indent(textwrap.dedent(changes), "  "))


def test_rename_move_insert_and_leave_out(tmp_path: Path) -> None:
    path = ppo_school(tmp_path, """\
        - hernoem: algemeen
          titel: Over passend onderwijs
        - verplaats: ouders-en-kind
          voor: wat-is-passend-onderwijs
        - voeg_toe:
            paragraaf: Onze eigen aanpak
            id: eigen-aanpak
            onderdelen:
              - tekst: eigen-aanpak-tekst
          na: algemeen
        - laat_weg: relatie-schoolgids
        - voeg_toe: {tekst: slotwoord, titel: Slotwoord}
        """)
    path.write_text(path.read_text(encoding="utf-8")
                    + "\n# eigen teksten\n" + "", encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace(
        "  inrichting-onderwijsondersteuning: Zo is het ingericht.\n",
        "  inrichting-onderwijsondersteuning: Zo is het ingericht.\n"
        "  eigen-aanpak-tekst: Wij werken in units.\n  slotwoord: Tot ziens.\n")
    path.write_text(text, encoding="utf-8")
    report, out = build(path, tmp_path)
    assert [d for d in report.diagnostics if d.severity == "error"] == []
    titles = headings(out["s.md"])
    assert titles[:8] == [
        "1 Inleiding schoolondersteuningsprofiel", "Wat is een schoolondersteuningsprofiel?",
        "Waarom een schoolondersteuningsprofiel?",
        "Relatie met het ondersteuningsplan van Passend primair onderwijs Noord-Kennemerland",
        "2 Over passend onderwijs", "2.1 Ouders en kind", "Ouders en kind op onze school",
        "2.2 Wat is passend onderwijs?"]
    assert "3 Onze eigen aanpak" in titles and "Wij werken in units." in out["s.md"]
    assert "Relatie met schoolontwikkelplan-schoolgids" not in titles
    assert titles[-1] == "Slotwoord" and out["s.md"].rstrip().endswith("Tot ziens.")


def test_an_adjustment_that_names_no_part_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = ppo_school(tmp_path, """\
        - hernoem: algemeen
          titel: Nieuw
        - laat_weg: bestaat-niet
        - verplaats: werkwijze
          na: ook-niet
        - laat_weg: visie-onderwijsondersteuning
        """)
    report = sopc.validate([path], today=TODAY)
    found = [(d.code, d.span.line, d.hint) for d in report.diagnostics
             if d.severity == "error"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [(code, lines[line - 1].strip()) for code, line, _ in found] == [
        ("onbekend-onderdeel", "- laat_weg: bestaat-niet"),
        ("onbekend-onderdeel", "na: ook-niet"),
        ("verplicht-onderdeel", "- laat_weg: visie-onderwijsondersteuning"),
    ]


@pytest.mark.parametrize(("change", "message"), [
    ("- hernoem: algemeen\n", "zeg wat er verandert"),
    ("- verplaats: algemeen\n", "zeg waar het heen gaat"),
    ("- laat_weg: algemeen\n  voor: werkwijze\n", "hoort bij 'verplaats' of 'voeg_toe'"),
    ("- hernoem: algemeen\n  laat_weg: werkwijze\n", "precies één van"),
])
def test_a_malformed_adjustment_is_explained(tmp_path: Path, change: str,
                                             message: str) -> None:
    path = ppo_school(tmp_path, change)
    report = sopc.validate([path], today=TODAY)
    assert [d.code for d in report.diagnostics if d.severity == "error"] == [
        "ongeldige-aanpassing"]
    assert message in report.diagnostics[0].message


def test_a_school_outline_must_keep_what_the_swv_requires(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", SCHOOL_HEAD.format(swv="ppo-nk") + PPO_TEXTS + """\
opbouw:
  - paragraaf: Alles
    onderdelen:
      - tekst: visie-onderwijsondersteuning
      - tekst: ouders-en-kind-school
      - tekst: leerstijl-en-motivatie
""")
    report = sopc.validate([path], today=TODAY)
    missing = [d.message for d in report.diagnostics if d.code == "verplicht-onderdeel"]
    assert len(missing) == 1 and "inrichting-onderwijsondersteuning" in missing[0]


# ----------------------------------------------------------------------------------------
# Numbering
# ----------------------------------------------------------------------------------------

def test_front_matter_deel_chapters_and_appendices(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", own_swv_school("""\
        - paragraaf: Toelichting
          nummering: geen
          onderdelen:
            - tekst: toelichting
            - paragraaf: Leeswijzer
              onderdelen: [{tekst: leeswijzer}]
        - deel: Inventarisatie
          onderdelen:
            - paragraaf: Gegevens
              onderdelen:
                - blok: school-gegevens
                - paragraaf: Inspectie
                  onderdelen: [{blok: inspectie}]
            - paragraaf: Visie
              onderdelen: [{tekst: visie}]
        - deel: Ambities
          onderdelen:
            - paragraaf: Doelen
              onderdelen: [{tekst: doelen}]
        - paragraaf: Kengetallen
          voorvoegsel: Bijlage
          nummering: letters
          onderdelen: [{tekst: kengetallen}]
        - paragraaf: Scores
          voorvoegsel: Bijlage
          nummering: letters
          onderdelen:
            - paragraaf: Toetsen
              onderdelen: [{tekst: scores}]
        """, """\
        toelichting: T.
        leeswijzer: L.
        visie: V.
        doelen: D.
        kengetallen: K.
        scores: S.
        """, "inspectie:\n  waardering: Voldoende\n"))
    report, out = build(path, tmp_path)
    assert codes(report) == []
    assert headings(out["s.md"]) == [
        "Toelichting", "Leeswijzer", "Deel I Inventarisatie", "1 Gegevens", "1.1 Inspectie",
        "2 Visie", "Deel II Ambities", "1 Doelen", "Bijlage A Kengetallen",
        "Bijlage B Scores", "B.1 Toetsen"]
    html = out["s.html"]
    assert re.findall(r"<h([2-6])[^>]*>(?:Deel I |1 |1\.1 )", html) == ["2", "3", "4", "3"]
    assert len(set(re.findall(r'id="(sop-[^"]+)"', html))) == len(
        re.findall(r'id="(sop-[^"]+)"', html))  # anchors unique across the two 'deel's


def test_derived_ids_are_slugs_and_a_written_id_wins() -> None:
    from sopc.models import OutlinePart
    from sopc.outline import build_tree, walk

    parts = [OutlinePart.model_validate(p) for p in (
        {"paragraaf": "Verklaring afkortingen"}, {"paragraaf": "Één école"},
        {"blok": "beschikbaarheid", "catalogus": "deskundigheid"}, {"blok": "niveaus"},
        {"blok": "niveaus"}, {"paragraaf": "X", "id": "eigen"}, {"tekst": "visie"})]
    assert [node.id for node in walk(build_tree(parts, (), own=False))] == [
        "verklaring-afkortingen", "een-ecole", "deskundigheid", "niveaus", "niveaus-2",
        "eigen", "visie"]


def test_a_short_version_shows_how_to_reach_the_school(tmp_path: Path) -> None:
    """The parents' version has no table of school facts: its title page says where the
    school is, its contact section how to reach it (even what the full SOP's table shows),
    and no more."""
    path = write(tmp_path, "s.yaml", SCHOOL_HEAD.format(swv="ppo-nk").replace(
        "  plaats: Lindendorp\n", "  plaats: Lindendorp\n  bestuur: Stichting Linde\n"
        "  telefoon: 012-3456789\n") + PPO_TEXTS)
    _, out = build(path, tmp_path, profiles=("volledig", "ouders"))
    full, parents = out["s.md"].split("## ")[0], out["s.ouders.md"]
    assert "Schoolbestuur: Stichting Linde" in full and "Vastgesteld" in full
    assert "Plaats: Lindendorp" in parents.split("## ")[0]
    assert "- Telefoon: 012-3456789" in parents.split(" Contact\n")[1]
    assert "Stichting Linde" not in parents and "Vastgesteld" not in parents


@pytest.mark.slow
def test_the_pdf_page_header_names_school_code_place_year_and_swv(tmp_path: Path) -> None:
    import pypdf
    from conftest import EXAMPLES

    report = sopc.build([EXAMPLES / "opbouw" / "het-baken.yaml"], tmp_path, formats=("pdf",),
                        today=TODAY, incremental=False)
    assert [d.code for d in report.diagnostics] == ["sop-ouder-dan-een-jaar"]
    pages = [page.extract_text() or "" for page in
             pypdf.PdfReader(tmp_path / "het-baken.pdf").pages]
    assert "Vastgesteld" in pages[0] and "27 maart 2018 door het college van bestuur" in \
        pages[0]
    for page in pages[1:]:
        assert "Het Baken College (95TS00), Zaandam" in page
        assert "Schooljaar 2021-2022 · Samenwerkingsverband VO Zaanstreek" in page
