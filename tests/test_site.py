"""sopc site / overview / diff on the sample repository, and -j N = -j 1."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run_cli

import sopc
from sopc.diff import diff, grouped, render_html, render_markdown, render_text
from sopc.overview import GAP_COLUMNS, OFFER_COLUMNS, OTHER_COLUMNS
from sopc.progress import ProgressReporter
from sopc.site import site

REPO = EXAMPLES / "schools-repo"
TODAY = datetime.date(2026, 11, 1)
SCHOOLS = {"Basisschool De Regenboog", "Basisschool Het Anker", "Daltonschool De Duinroos",
           "Jenaplanschool De Zeester"}


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = site([REPO], out, today=TODAY)
    assert {p.name for p in result.written} >= {"index.html", "dekkend-aanbod.html"}
    return out


def test_index_lists_every_school_with_its_documents(built_site: Path) -> None:
    index = (built_site / "index.html").read_text(encoding="utf-8")
    for name in SCHOOLS:
        assert name in index
    # grouped by werkgebied, then bestuur
    assert index.index("<h2 id=\"werkgebied-1\">Berg en Dal</h2>") < index.index(
        "<h2 id=\"werkgebied-3\">Nijmegen</h2>")
    assert "<h3>Stichting Kindwijs</h3>" in index
    links = re.findall(r'href="(scholen/[^"]+)"', index)
    assert sorted(set(links)) == [
        "scholen/de-duinroos.html", "scholen/de-duinroos.md", "scholen/de-regenboog.html",
        "scholen/de-regenboog.md", "scholen/de-zeester.html", "scholen/de-zeester.md",
        "scholen/het-anker.html", "scholen/het-anker.md"]
    assert all((built_site / link).is_file() for link in links)
    # the stale school stays published in its werkgebied, its age said; a public page
    # never tells parents to run a command
    groesbeek = index[index.index("Groesbeek</h2>"):index.index("Nijmegen</h2>")]
    assert "Basisschool Het Anker" in groesbeek and "scholen/het-anker.html" in groesbeek
    assert "SOP verouderd (ouder dan vier jaar)" in groesbeek
    assert "sopc" not in index.replace('content="sopc"', "").replace("Gemaakt met sopc", "")
    assert "SOP verouderd (ouder dan vier jaar)" in index  # Het Anker's age status
    # search works without the script: the box is hidden until the script shows it
    assert '<form class="zoeken" hidden' in index and 'data-zoek="daltonschool' in index


def test_overview_finds_the_gaps_the_sample_was_built_with(built_site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(
        (built_site / "dekkend-aanbod-hiaten.csv").read_text(encoding="utf-8"))))
    gaps = {(r["werkgebied"], r["soort"], r["item_id"], r["school"]) for r in rows}
    assert gaps == {
        ("Berg en Dal", "cluster", "lezen", ""),  # De Duinroos leaves 'lezen' out
        ("Nijmegen", "catalogus", "logopedist", ""),  # De Regenboog dropped its logopedist
        ("Nijmegen", "cluster", "toegankelijke-omgeving", ""),  # only 'in ontwikkeling'
        ("Nijmegen", "cluster", "toegankelijke-omgeving", "Jenaplanschool De Zeester"),
        # Het Anker (stale, but its offer still counts) is alone in Groesbeek: no gaps
    }


def test_overview_tables_have_their_documented_columns(built_site: Path) -> None:
    for name, columns in (("dekkend-aanbod.csv", OFFER_COLUMNS),
                          ("dekkend-aanbod-hiaten.csv", GAP_COLUMNS),
                          ("dekkend-aanbod-anders.csv", OTHER_COLUMNS)):
        text = (built_site / name).read_text(encoding="utf-8")
        assert text.splitlines()[0] == ",".join(columns)
    offer = list(csv.DictReader(io.StringIO(
        (built_site / "dekkend-aanbod.csv").read_text(encoding="utf-8"))))
    assert {"werkgebied": "Nijmegen", "soort": "catalogus", "groep": "Deskundigheid",
            "item_id": "dyslexiespecialist", "item": "Dyslexiespecialist",
            "school": "Basisschool De Regenboog", "brin": "12AB00",
            "hoe": "Op de school"} in offer
    document = json.loads((built_site / "dekkend-aanbod.json").read_text(encoding="utf-8"))
    assert document["werkgebieden"] == ["Berg en Dal", "Groesbeek", "Nijmegen"]
    assert {s["name"] for s in document["scholen"]} == SCHOOLS
    assert len(document["aanbod"]) == len(offer)
    others = {(o["naam"], o["school"]) for o in document["anders"]}
    assert ("Leren en gedragsspecialist", "Basisschool De Regenboog") in others
    markdown = (built_site / "dekkend-aanbod.md").read_text(encoding="utf-8")
    assert "## Hiaten" in markdown and "| Logopedist |" in markdown


def test_overview_command_writes_each_format(tmp_path: Path) -> None:
    result = run_cli("overview", str(REPO), "-o", str(tmp_path), "--format", "csv,json",
                     "--today", "2026-11-01", "-q")
    assert result.code == 1  # the stale school is still an error
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dekkend-aanbod-anders.csv", "dekkend-aanbod-hiaten.csv", "dekkend-aanbod.csv",
        "dekkend-aanbod.json"]


def test_parallel_output_is_identical(tmp_path: Path) -> None:
    results = {}
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}"
        report = sopc.build([REPO, EXAMPLES / "op-de-heuvel.yaml"], out, today=TODAY,
                            jobs=jobs)
        results[jobs] = (report.diagnostics, [[p.name for p in r.outputs] for r in report.files])
        site([REPO], out / "site", today=TODAY, jobs=jobs)
    assert results[1] == results[2]
    # every output, not the build manifest (it records file times)
    one = sorted(p.relative_to(tmp_path / "j1") for p in (tmp_path / "j1").rglob("*")
                 if not p.name.startswith("."))
    two = sorted(p.relative_to(tmp_path / "j2") for p in (tmp_path / "j2").rglob("*")
                 if not p.name.startswith("."))
    assert one == two and len(one) > 10
    for relative in one:
        if (tmp_path / "j1" / relative).is_file():
            assert (tmp_path / "j1" / relative).read_bytes() == \
                (tmp_path / "j2" / relative).read_bytes(), relative


def test_progress_on_a_terminal_and_in_ci() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    plain = io.StringIO()
    reporter = ProgressReporter("site", plain)
    for done in range(1, 151):
        reporter(done, 150)
    lines = plain.getvalue().splitlines()
    assert lines[0] == "site: 1/150" and lines[-1] == "site: 150/150" and len(lines) == 11
    bar = Terminal()
    reporter = ProgressReporter("site", bar)
    for done in range(1, 31):
        reporter(done, 30)
    assert bar.getvalue().endswith("site: [" + "#" * 30 + "] 30/30\n")
    quiet = io.StringIO()
    ProgressReporter("site", quiet)(1, 3)  # small runs say nothing
    assert quiet.getvalue() == ""


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_diff_reports_exactly_the_changes_made(tmp_path: Path) -> None:
    old = REPO / "scholen" / "de-duinroos.yaml"
    text = old.read_text(encoding="utf-8")
    text = edit(text, "  schooljaar: 2026-2027\n", "  schooljaar: 2027-2028\n")
    text = edit(text, "      - De school heeft een rustige ruimte met tekenmateriaal, leesboeken "
                      "en spelmateriaal.\n", "")
    dropped = ("Voor leerlingen die het groepsaanbod voor rekenen en spelling niet meer kunnen "
             "volgen, wordt een OOP opgesteld.")
    text = edit(text, f"      - {dropped}\n", "")
    text = edit(text, "  - cluster: eigen-leerlijn\n    aanpakken:\n",
                "  - cluster: eigen-leerlijn\n    aanpakken:\n      - \"Nieuwe aanpak: "
                "remedial teaching in kleine groepjes.\"\n")
    new = tmp_path / "de-duinroos.yaml"
    new.write_text(text, encoding="utf-8")
    result = diff(str(old), str(new))
    assert result.diagnostics == []
    lines = [(c.section.split(":")[0], c.kind, c.subject[:40], c.old, c.new)
             for c in result.changes]
    assert lines == [
        ("Over dit SOP", "gewijzigd", "Schooljaar", "2026-2027", "2027-2028"),
        ("Cluster", "verwijderd", "De school heeft een rustige ruimte met t", "aanpakken",
         None),
        ("Cluster", "verwijderd", "Voor leerlingen die het groepsaanbod voo", "aanpakken",
         None),
        ("Cluster", "toegevoegd", "Nieuwe aanpak: remedial teaching in klei", None,
         "aanpakken"),
    ]
    text_report = render_text(result)
    assert "4 wijzigingen." in text_report
    assert "gewijzigd: Schooljaar: 2026-2027 → 2027-2028" in text_report
    assert render_markdown(result).startswith("# Verschillen in het SOP")
    assert "<li>toegevoegd aan aanpakken: Nieuwe aanpak" in render_html(result)


def test_diff_moves_availability_and_boundaries(tmp_path: Path) -> None:
    old = REPO / "scholen" / "de-zeester.yaml"
    text = old.read_text(encoding="utf-8")
    text = edit(text, "    # Nog niets in gebruik: sopc overview toont dit als hiaat (cluster "
                      "zonder aanpakken).\n    in_ontwikkeling:\n", "    aanpakken:\n")
    new = tmp_path / "z.yaml"
    new.write_text(text, encoding="utf-8")
    changes = diff(str(old), str(new)).changes
    assert {c.kind for c in changes} == {"verplaatst"} and len(changes) == 4
    assert all((c.old, c.new) == ("in ontwikkeling", "aanpakken") for c in changes)

    regenboog = REPO / "scholen" / "de-regenboog.yaml"
    text = regenboog.read_text(encoding="utf-8")
    text = edit(text, "      dyslexiespecialist: [op-school]", "      dyslexiespecialist: "
                                                                "[via-bestuur]")
    changed = tmp_path / "r.yaml"
    changed.write_text(text, encoding="utf-8")
    [change] = diff(str(regenboog), str(changed)).changes
    assert (change.section, change.kind, change.subject, change.old, change.new) == (
        "Aanbod: Deskundigheid", "gewijzigd", "Dyslexiespecialist", "Op de school",
        "Via het bestuur")


@pytest.fixture
def committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample repository, committed in git, as the current folder."""
    if shutil.which("git") is None:
        pytest.fail("git is needed for `sopc diff REVISION:PATH`")
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    monkeypatch.chdir(repo)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}
    for command in (["git", "init", "-q"], ["git", "add", "."],
                    ["git", "commit", "-q", "-m", "SOP 2026"]):
        subprocess.run(command, check=True, env=env)
    return repo


def test_diff_against_a_git_revision(committed: Path) -> None:
    school = Path("scholen/de-duinroos.yaml")
    school.write_text(school.read_text(encoding="utf-8").replace(
        "  vastgesteld: 2026-06-10\n", "  vastgesteld: 2026-06-20\n  instemming: 2026-06-01\n"),
        encoding="utf-8")
    result = run_cli("diff", "HEAD:scholen/de-duinroos.yaml", "scholen/de-duinroos.yaml")
    assert result.code == 0
    assert "gewijzigd: Vastgesteld: 10-6-2026 → 20-6-2026" in result.out
    assert "toegevoegd: Instemming MR: 1-6-2026" in result.out
    assert "2 wijzigingen." in result.out
    missing = run_cli("diff", "HEAD~5:scholen/de-duinroos.yaml", "scholen/de-duinroos.yaml")
    assert missing.code == 2 and "git kent" in missing.err
    same = run_cli("diff", "scholen/de-zeester.yaml", "scholen/de-zeester.yaml")
    assert same.code == 0 and "Geen inhoudelijke verschillen." in same.out


def test_site_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_cli("site", str(REPO), "-o", str(tmp_path), "--today", "2026-11-01",
                     "-j", "2")
    assert result.code == 1  # the stale school
    assert f"geschreven: {tmp_path / 'index.html'}" in result.out
    assert (tmp_path / "scholen" / "de-regenboog.html").is_file()


def test_unreadable_school_is_listed_apart(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    (repo / "scholen" / "kapot.yaml").write_text("sopc: 1\nschool: [\n", encoding="utf-8")
    site([repo], tmp_path / "uit", today=TODAY)
    index = (tmp_path / "uit" / "index.html").read_text(encoding="utf-8")
    apart = index[index.index("Nog niet te tonen"):]
    assert "kapot.yaml" in apart and "sopc validate" not in apart


def test_a_document_past_its_date_stays_published_with_a_banner(built_site: Path) -> None:
    """Het Anker's SOP is more than four years old: `sopc validate` and the site run
    report it as an error, but parents keep its profile, with the reason above it, in
    every format."""
    banner = ("Dit profiel is ouder dan vier jaar: het is vastgesteld op 15-6-2021. Vraag de "
              "school welke ondersteuning er nu is.")
    html = (built_site / "scholen" / "het-anker.html").read_text(encoding="utf-8")
    assert f'<p class="melding" role="note"><strong>Let op:</strong> {banner}</p>' in html
    markdown = (built_site / "scholen" / "het-anker.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"> **Let op:** {banner}\n")
    current = (built_site / "scholen" / "de-regenboog.html").read_text(encoding="utf-8")
    assert 'class="melding"' not in current


def test_the_banner_is_in_every_format(tmp_path: Path) -> None:
    from textextract import docx_text, normalise, pdf_text

    site([REPO], tmp_path, ("pdf", "docx", "fragment"), today=TODAY)
    folder = tmp_path / "scholen"
    banner = "Let op: Dit profiel is ouder dan vier jaar: het is vastgesteld op 15-6-2021."
    assert banner in pdf_text(folder / "het-anker.pdf")
    assert banner in docx_text((folder / "het-anker.docx").read_bytes())
    fragment = (folder / "het-anker.fragment.html").read_text(encoding="utf-8")
    assert '<p class="melding" role="note"><strong>Let op:</strong> Dit profiel' in fragment
    assert banner not in normalise(pdf_text(folder / "de-regenboog.pdf"))


def test_a_school_whose_file_breaks_keeps_its_earlier_documents(tmp_path: Path) -> None:
    """A later run in which a school's file has an error leaves the documents an earlier
    run published where they are, and the index still links them, saying so."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    out = tmp_path / "uit"
    site([repo], out, today=TODAY)
    published = (out / "scholen" / "de-zeester.html").read_bytes()
    school = repo / "scholen" / "de-zeester.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace(
        "schooljaar: 2026-2027", "schooljaar: 2026-2028"), encoding="utf-8")
    report = site([repo], out, today=TODAY).report
    assert any(d.code == "schooljaar-formaat" for d in report.diagnostics)
    assert (out / "scholen" / "de-zeester.html").read_bytes() == published
    index = (out / "index.html").read_text(encoding="utf-8")
    entry = index[index.index("Jenaplanschool De Zeester"):]
    entry = entry[:entry.index("</li>")]
    assert 'href="scholen/de-zeester.html"' in entry
    assert "Dit is de versie die hier eerder stond" in entry
    # listed under its own name and werkgebied, read from the file despite its error
    assert "SOP wordt bijgewerkt" in entry and "2026-2028" not in entry
    nijmegen = index[index.index("Nijmegen</h2>"):]
    assert "Jenaplanschool De Zeester" in nijmegen
    assert "Nog niet te tonen" not in index


def _changed_school(tmp_path: Path, name: str, *edits: tuple[str, str]) -> tuple[str, str]:
    old = REPO / "scholen" / name
    text = old.read_text(encoding="utf-8")
    for before, after in edits:
        text = edit(text, before, after)
    new = tmp_path / name
    new.write_text(text, encoding="utf-8")
    return str(old), str(new)


def test_diff_shows_the_words_that_changed_in_a_text(tmp_path: Path) -> None:
    """An MR judges a changed sentence, not 'gewijzigd: Toelichting'."""
    old, new = _changed_school(tmp_path, "de-regenboog.yaml", (
        "Samenwerking met anderen is hierbij het sleutelwoord.",
        "Samenwerking met ouders en anderen is hierbij het sleutelwoord."))
    result = diff(old, new)
    [change] = result.changes
    assert change.words[-2:] == (("+", "ouders en"), ("=", "anderen is hierbij het sleutelwoord."))
    text = render_text(result)
    assert ("gewijzigd: Onze visie op passend onderwijs: … het basisonderwijs als voor onze "
            "gezinnen. Samenwerking met {+ouders en+} anderen is hierbij het sleutelwoord.") \
        in text
    assert "Samenwerking met **ouders en** anderen" in render_markdown(result)
    assert ("Samenwerking met <ins><span class=\"sr\">nieuw: </span>ouders en</ins> anderen"
            in render_html(result))


def test_diff_says_old_and_new_with_labels_and_dutch_dates(tmp_path: Path) -> None:
    old, new = _changed_school(
        tmp_path, "de-regenboog.yaml", ("  waardering: Voldoende", "  waardering: Goed"),
        ("  datum: 2021-07-20", "  datum: 2026-05-19"),
        ("      - naam: TOP voorziening\n        waarde: [op-school]",
         "      - naam: TOP voorziening\n        waarde: [via-bestuur]\n"
         "      - naam: Time-out ruimte\n        waarde: [op-school]"))
    result = diff(old, new)
    lines = [line for _, changes in grouped(result) for line in changes]
    assert lines == ["gewijzigd: TOP voorziening: Op de school → Via het bestuur",
                     "toegevoegd: Time-out ruimte: Op de school",
                     "gewijzigd: Datum laatste onderzoek: 20-7-2021 → 19-5-2026",
                     "gewijzigd: Waardering: Voldoende → Goed"]
    text = render_text(result)
    assert text.startswith("Verschillen in het SOP van Basisschool De Regenboog\n"
                           "Schooljaar 2026-2027\n")
    assert "op-school" not in text and "via-bestuur" not in text
    assert "  Inspectie: 2\n" in text  # the count per part


def test_diff_shows_a_team_old_and_new_and_a_move_between_clusters(tmp_path: Path) -> None:
    moved = ("De school heeft een rustige ruimte met tekenmateriaal, leesboeken en "
             "spelmateriaal.")
    old, new = _changed_school(
        tmp_path, "de-duinroos.yaml",
        ("    team: [Kind, Ouders, Leerkracht, Bouwteam]",
         "    team: [Kind, Ouders, Leerkracht, Bouwteam, Intern begeleider]"),
        (f"      - {moved}\n", ""),
        ("  - cluster: eigen-leerlijn\n    aanpakken:\n",
         f"  - cluster: eigen-leerlijn\n    aanpakken:\n      - {moved}\n"),
        ("  schooljaar: 2026-2027\n", "  schooljaar: 2027-2028\n"))
    result = diff(old, new)
    lines = [(section, line) for section, changes in grouped(result) for line in changes]
    # the names are the SWV layer's (swv/stroomland-clusters.yaml), never its ids
    assert ("Ondersteuningsniveaus", "gewijzigd: lichte ondersteuning als onderdeel van de "
            "basisondersteuning › Ondersteuningsteam: Kind, Ouders, Leerkracht, Bouwteam → "
            "Kind, Ouders, Leerkracht, Bouwteam, Intern begeleider") in lines
    moves = [line for _, line in lines if line.startswith("verplaatst")]
    assert len(moves) == 1 and moves[0].startswith(
        "verplaatst van specifieke behoefte aan een leeromgeving die voorspelbaar en "
        "gestructureerd is. (aanpakken) naar specifieke behoefte aan uitdagend")
    assert moves[0].endswith(f": {moved}")
    assert not any(line.startswith(("verwijderd", "toegevoegd")) for _, line in lines)
    assert "Schooljaar 2026-2027 → 2027-2028" in render_text(result)


def test_diff_of_a_folder_against_a_git_revision(committed: Path, tmp_path: Path) -> None:
    """The SWV before a round of MR advice: every school of the repository against the
    last release, one report per changed school and an index; an added and a removed
    school are named, SWV layers are no schools."""
    regenboog = Path("scholen/de-regenboog.yaml")
    regenboog.write_text(regenboog.read_text(encoding="utf-8").replace(
        "  waardering: Voldoende", "  waardering: Goed"), encoding="utf-8")
    Path("scholen/het-anker.yaml").unlink()
    (Path("scholen") / "sub").mkdir()
    shutil.copy(REPO / "scholen" / "de-zeester.yaml", "scholen/sub/nieuw.yaml")
    out = tmp_path / "verslagen"
    result = run_cli("diff", "HEAD:scholen", "scholen", "-o", str(out), "-f", "md")
    assert result.code == 0, result.out + result.err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "de-regenboog.verschillen.md", "index.md"]
    index = (out / "index.md").read_text(encoding="utf-8")
    assert ("- [Basisschool De Regenboog](de-regenboog.verschillen.md) "
            "(`de-regenboog.yaml`): 1 wijziging: Inspectie 1") in index
    assert "- Basisschool Het Anker (`het-anker.yaml`): niet meer in deze versie" in index
    assert "- Jenaplanschool De Zeester (`sub/nieuw.yaml`): nieuw in deze versie" in index
    assert "(`de-duinroos.yaml`): geen inhoudelijke verschillen" in index
    assert "stroomland" not in index  # the SWV layers are not in scholen/, and no school
    report = (out / "de-regenboog.verschillen.md").read_text(encoding="utf-8")
    assert "gewijzigd: Waardering: Voldoende → Goed" in report
    assert "5 scholen vergeleken, 1 met inhoudelijke verschillen." in result.out
    # the whole repository: only what `sopc validate` takes for school files (no CI
    # configuration, no SWV layer)
    whole = run_cli("diff", "HEAD:.", ".", "-o", str(tmp_path / "alles"))
    assert whole.code == 0, whole.out
    listed = (tmp_path / "alles" / "index.txt").read_text(encoding="utf-8")
    assert listed.count("\n- ") == 5 and ".yml" not in listed and "swv/" not in listed
    assert (tmp_path / "alles" / "scholen" / "de-regenboog.verschillen.txt").is_file()
    assert run_cli("diff", "HEAD:scholen", "scholen").code == 2  # -o is needed
    unknown = run_cli("diff", "HEAD~9:scholen", "scholen", "-o", str(out))
    assert unknown.code == 2 and "git kent de map 'HEAD~9:scholen' niet" in unknown.err
    # the changed school first, then new and gone ones, the unchanged last
    lines = [line for line in index.splitlines() if line.startswith("- ")]
    assert lines[0].startswith("- [Basisschool De Regenboog]")
    assert lines[-1].endswith("geen inhoudelijke verschillen")
    assert run_cli("diff", "HEAD:scholen", "scholen/de-zeester.yaml", "-o",
                   str(out)).code == 2


def test_minimum_aanbod_adds_the_thin_spots_first(tmp_path: Path) -> None:
    """With `minimum_aanbod = 2`, an item only one school of a werkgebied offers is a thin
    spot, listed with the gaps before the tables, with how it is offered and where
    else; a wrong value is a usage error."""
    from sopc.site import overview

    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    settings = repo / "sopc.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "[sopc]\n", "[sopc]\nminimum_aanbod = 2\n", 1), encoding="utf-8")
    # a second school of the same layer in Nijmegen, without a dyslexia specialist
    regenboog = (repo / "scholen" / "de-regenboog.yaml").read_text(encoding="utf-8")
    (repo / "scholen" / "de-brug.yaml").write_text(
        regenboog.replace("naam: Basisschool De Regenboog", "naam: Basisschool De Brug")
        .replace("brin: 12AB", "brin: 12AC")
        .replace("dyslexiespecialist: [op-school]", "dyslexiespecialist: []"),
        encoding="utf-8")
    overview([repo], tmp_path / "uit", ("md",), today=TODAY)
    page = (tmp_path / "uit" / "dekkend-aanbod.md").read_text(encoding="utf-8")
    missing = page[page.index("## Hiaten en dunne plekken"):page.index("## Aanbod per")]
    assert ("- **Dyslexiespecialist** (Deskundigheid): 1 van 2 scholen (1 op de school). "
            "Wel in: Groesbeek (1).") in missing
    # a werkgebied with one school of that layer is judged by that one school: not thin
    groesbeek = missing[missing.index("### Groesbeek"):] if "### Groesbeek" in missing else ""
    assert "Dyslexiespecialist" not in groesbeek
    assert "geen enkele school in dit werkgebied biedt dit" in missing  # the gaps too
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "minimum_aanbod = 2", "minimum_aanbod = 0"), encoding="utf-8")
    result = run_cli("overview", str(repo), "-o", str(tmp_path / "uit"))
    assert result.code == 2 and "'minimum_aanbod' is een heel getal" in result.err


def test_a_school_with_errors_is_named_not_silently_left_out(tmp_path: Path) -> None:
    """A typo in one school file must not make the overview show gaps without saying
    why (found in a user trial): the school is named as not counted, in its werkgebied;
    a typo in 'naam' still lists the school under its werkgebied, by BRIN."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    school = repo / "scholen" / "de-regenboog.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace(
        "  naam: Basisschool De Regenboog", "  naaam: Basisschool De Regenboog"),
        encoding="utf-8")
    site([repo], tmp_path / "uit", today=TODAY)
    page = (tmp_path / "uit" / "dekkend-aanbod.html").read_text(encoding="utf-8")
    assert "3 scholen in 3 werkgebieden, 1 niet meegeteld" in page
    assert ('<strong>Niet meegeteld:</strong> de-regenboog.yaml (naam niet te lezen) '
            "(Nijmegen). Het bestand van deze school heeft fouten.") in page
    assert "Nijmegen <span class=\"aantal\">(1 school niet meegeteld)</span>" in page
    index = (tmp_path / "uit" / "index.html").read_text(encoding="utf-8")
    nijmegen = index[index.index("Nijmegen</h2>"):]
    assert "de-regenboog.yaml (naam niet te lezen)" in nijmegen
    assert 'data-zoek="de-regenboog.yaml (naam niet te lezen) 12ab00 nijmegen' in nijmegen


def test_diff_from_git_without_git_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A REVISIE:PAD on a computer without git: a Dutch message and exit 2, never an
    internal error (it was exit 3 once the folder check asked git first)."""
    monkeypatch.setenv("PATH", "/nonexistent")
    for old, new in (("HEAD:scholen/x.yaml", str(REPO / "scholen" / "de-zeester.yaml")),
                     ("HEAD:scholen", str(REPO / "scholen"))):
        result = run_cli("diff", old, new, "-o", "/nonexistent/uit")
        assert result.code == 2, result.err
        assert "git is niet gevonden op deze computer; installeer git" in result.err
