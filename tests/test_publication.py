"""Publication quality, proven by the web's own checkers (slow; run by `make test`):

- the Nu HTML Checker (vnu.jar from npm, on the machine's Java): zero errors;
- axe-core in headless Chromium (Debian's, driven by Playwright): zero WCAG 2.0/2.1
  A and AA violations at desktop and phone width, with a screenshot of each;
- the PDF (Typst): every section's text, running header, page numbers, a table
  of contents with page numbers, a sane page count, the same bytes on a rebuild.

Every example is built in every profile. Screenshots land in build/test-screenshots/.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdf
import pytest
from browser import VNU, WIDTHS, axe_violations, chromium, describe, open_page, require, screenshot
from conftest import EXAMPLES, ROOT, TODAY, visible

import sopc
from sopc.models import PROFILES

pytestmark = pytest.mark.slow

EXAMPLE_FILES = [EXAMPLES / "op-de-heuvel.yaml", EXAMPLES / "ppo-noord-kennemerland.yaml"]
SCREENSHOTS = ROOT / "build" / "test-screenshots"
# Page counts: the full SOP is long, the parent version one to two pages.
# the chapter for the schoolgids lists every approach of every need (PPO: 8 pages)
PAGES = {"volledig": range(8, 41), "ouders": range(1, 3), "schoolgids": range(1, 11)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, sopc.api.Report]:
    out = tmp_path_factory.mktemp("publicatie")
    report = sopc.build(EXAMPLE_FILES, out, ("html", "md", "pdf"), today=TODAY,
                        profiles=PROFILES, keep_documents=True)
    assert report.diagnostics == []
    return out, report


def html_files(out: Path) -> list[Path]:
    files = sorted(out.glob("*.html"))
    assert len(files) == len(EXAMPLE_FILES) * len(PROFILES)
    return files


def test_nu_html_checker_finds_no_errors(built: tuple[Path, object]) -> None:
    out, _ = built
    run = subprocess.run(["java", "-jar", str(require(VNU)), "--errors-only", "--format",
                          "json", *map(str, html_files(out))],
                         capture_output=True, text=True, check=False)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages, indent=1, ensure_ascii=False)
    assert run.returncode == 0


def test_axe_finds_no_wcag_violations_at_both_widths(built: tuple[Path, object]) -> None:
    out, _ = built
    checked = 0
    with chromium() as browser:
        for html in html_files(out):
            for label, width in WIDTHS.items():
                page = open_page(browser, html, width)
                shot = screenshot(page, SCREENSHOTS / f"{html.stem}-{label}.png")
                violations = axe_violations(page)
                page.close()
                assert violations == [], f"{html.name} at {width}px:\n{describe(violations)}"
                assert shot.stat().st_size > 5_000
                checked += 1
    assert checked == len(EXAMPLE_FILES) * len(PROFILES) * len(WIDTHS)


def test_phone_width_has_no_horizontal_scroll(built: tuple[Path, object]) -> None:
    out, _ = built
    with chromium() as browser:
        for html in html_files(out):
            page = open_page(browser, html, WIDTHS["telefoon"])
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            page.close()
            assert overflow <= 0, f"{html.name} scrolls sideways by {overflow}px on a phone"


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_pdf_holds_every_section(built: tuple[Path, sopc.api.Report], example: Path,
                                 profile: str) -> None:
    out, report = built
    [result] = [r for r in report.files if r.path == example]
    document = result.documents[profile]
    name = example.stem if profile == "volledig" else f"{example.stem}.{profile}"
    pages = pdf_pages(out / f"{name}.pdf")
    assert len(pages) in PAGES[profile], f"{name}.pdf has {len(pages)} pages"
    text = normal(" ".join(pages))

    def titles(sections: list[sopc.view.Section]) -> list[str]:
        return [t for s in sections for t in (f"{s.number} {s.title}", *titles(s.subsections))]

    for title in titles(document.sections):
        assert normal(title) in text, f"section '{title}' missing from {name}.pdf"
    last = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {last}" in page
        if number > 1:  # the running header: school name and school year
            assert document.school_name.split(" (")[0] in page
            assert f"Schooljaar {document.school_year}" in page


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_pdf_table_of_contents_has_page_numbers(built: tuple[Path, sopc.api.Report],
                                                example: Path) -> None:
    out, report = built
    pages = pdf_pages(out / f"{example.stem}.pdf")
    [result] = [r for r in report.files if r.path == example]
    first = next(index for index, page in enumerate(pages) if "Inhoudsopgave" in page)
    toc = "\n".join(pages[first:first + 3])  # it may run onto a second page
    for section in result.documents["volledig"].sections:
        # "2 Onze school & passend onderwijs . . . . 4": the page where it starts
        # a long title may wrap onto a second line, in the contents and on its page
        title = r"\s+".join(re.escape(word) for word in section.title.split())
        match = re.search(title + r"[ .]*?(\d+)\s*$", toc, re.MULTILINE)
        assert match, f"no page number for '{section.title}' in the table of contents"
        page_number = int(match.group(1))
        assert normal(section.title) in normal(pages[page_number - 1])


def test_pdf_is_reproducible(built: tuple[Path, object], tmp_path: Path) -> None:
    out, _ = built
    sopc.build([EXAMPLE_FILES[0]], tmp_path, ("pdf",), today=TODAY)
    name = f"{EXAMPLE_FILES[0].stem}.pdf"
    assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


def test_parent_version_in_every_format_from_the_command_line(tmp_path: Path) -> None:
    from conftest import run_cli

    result = run_cli("build", str(EXAMPLE_FILES[0]), "--format", "html,md,pdf", "--profiel",
                     "ouders", "-o", str(tmp_path), "--today", "2022-03-01")
    assert result.code == 0, result.out + result.err
    assert visible(tmp_path) == [
        "op-de-heuvel.ouders.html", "op-de-heuvel.ouders.md", "op-de-heuvel.ouders.pdf"]
    assert len(pdf_pages(tmp_path / "op-de-heuvel.ouders.pdf")) in PAGES["ouders"]


@pytest.fixture(scope="module")
def swv_pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The SWV's pages: the site index, the dekkend-aanbod overview, a diff report."""
    import datetime

    from sopc.diff import diff, diff_folders, folder_reports, render_html
    from sopc.site import site

    out = tmp_path_factory.mktemp("swv")
    repo = EXAMPLES / "schools-repo"
    site([repo], out, today=datetime.date(2026, 11, 1))
    school = repo / "scholen" / "de-regenboog.yaml"
    changed = out / "de-regenboog.yaml"
    changed.write_text(school.read_text(encoding="utf-8").replace(
        "dyslexiespecialist: [op-school]", "dyslexiespecialist: [via-bestuur]").replace(
        "Samenwerking met anderen is hierbij het sleutelwoord.",  # words in <del> and <ins>
        "Samenwerking met ouders is hierbij het belangrijkste."), encoding="utf-8")
    (out / "verschillen.html").write_text(render_html(diff(str(school), str(changed))),
                                          encoding="utf-8")
    folder = out / "nieuwe-versie"
    shutil.copytree(repo / "scholen", folder)
    shutil.copy(changed, folder / "de-regenboog.yaml")
    (out / "verschillen-index.html").write_text(folder_reports(
        diff_folders(str(repo / "scholen"), str(folder)), "html", "vorige", "nieuwe")[
        "index.html"], encoding="utf-8")
    return [out / "index.html", out / "dekkend-aanbod.html", out / "verschillen.html",
            out / "verschillen-index.html"]


def test_swv_pages_are_valid_html(swv_pages: list[Path]) -> None:
    run = subprocess.run(["java", "-jar", str(require(VNU)), "--errors-only", "--format",
                          "json", *map(str, swv_pages)], capture_output=True, text=True,
                         check=False)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages, indent=1, ensure_ascii=False)


def test_swv_pages_pass_axe_at_both_widths(swv_pages: list[Path]) -> None:
    with chromium() as browser:
        for html in swv_pages:
            for label, width in WIDTHS.items():
                page = open_page(browser, html, width)
                screenshot(page, SCREENSHOTS / f"swv-{html.stem}-{label}.png")
                violations = axe_violations(page)
                page.close()
                assert violations == [], f"{html.name} at {width}px:\n{describe(violations)}"


def test_swv_pages_and_school_pages_fit_a_phone(swv_pages: list[Path]) -> None:
    """The site's pages and its schools' pages (whose title pages list the MR's consent,
    a long label) never scroll sideways at 375 px (found in a user trial)."""
    pages = [*swv_pages, *sorted((swv_pages[0].parent / "scholen").glob("*.html"))]
    assert len(pages) > 6
    with chromium() as browser:
        for html in pages:
            page = open_page(browser, html, WIDTHS["telefoon"])
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            page.close()
            assert overflow <= 0, f"{html.name} scrolls sideways by {overflow}px on a phone"


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample repository's site, with one school renamed to a name with an accent."""
    import datetime

    from sopc.site import site

    repo = tmp_path_factory.mktemp("zoeken") / "repo"
    shutil.copytree(EXAMPLES / "schools-repo", repo)
    school = repo / "scholen" / "de-zeester.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace(
        "naam: Jenaplanschool De Zeester", "naam: Jenaplanschool De Mozaïek"), encoding="utf-8")
    site([repo], repo.parent / "site", today=datetime.date(2026, 11, 1))
    return repo.parent / "site" / "index.html"


def _shown(page: Any) -> list[str]:
    """The names of the schools the list shows, and the headings still standing."""
    return page.eval_on_selector_all(
        "li[data-zoek], h2, h3", "nodes => nodes.filter(n => n.offsetParent !== null)"
        ".map(n => n.matches('li') ? n.querySelector('.naam').textContent : n.textContent)")


def test_site_search_folds_accents_and_finds_werkgebied_and_bestuur(search_site: Path
                                                                   ) -> None:
    with chromium() as browser:
        page = open_page(browser, search_site, WIDTHS["desktop"])
        assert page.is_visible("#zoek")  # the script shows the search
        page.fill("#zoek", "MOZAIEK")
        assert _shown(page) == ["Nijmegen", "Stichting Kindwijs", "Jenaplanschool De Mozaïek"]
        assert page.text_content("#zoek-aantal") == "1 van 4 scholen"
        page.fill("#zoek", "kindwijs")  # a bestuur: its schools, empty groups hidden
        assert _shown(page) == ["Berg en Dal", "Stichting Kindwijs", "Daltonschool De Duinroos",
                                "Nijmegen", "Stichting Kindwijs", "Jenaplanschool De Mozaïek"]
        page.fill("#zoek", "nijmegen")  # a werkgebied
        assert [n for n in _shown(page) if "school" in n.lower()] == [
            "Jenaplanschool De Mozaïek", "Basisschool De Regenboog"]  # per bestuur
        page.fill("#zoek", "")
        assert len([n for n in _shown(page) if "school" in n.lower()]) == 4
        page.close()


def test_site_filters_on_what_a_school_offers_and_on_its_age(search_site: Path) -> None:
    """'Which schools offer a dyslexia specialist at school?'"""
    with chromium() as browser:
        page = open_page(browser, search_site, WIDTHS["telefoon"])
        page.select_option("#aanbod", label="Dyslexiespecialist")
        ways = page.eval_on_selector_all("#hoe option", "options => options.filter("
                                         "o => !o.hidden).map(o => o.textContent)")
        assert ways[0] == "(maakt niet uit)" and "Op de school" in ways
        page.select_option("#hoe", label="Op de school")
        # Het Anker's profile is past its date, but still says what it offers
        assert [n for n in _shown(page) if "school" in n.lower()] == [
            "Basisschool Het Anker", "Basisschool De Regenboog"]
        page.fill("#zoek", "nijmegen")  # near me: the filters and the search together
        assert [n for n in _shown(page) if "school" in n.lower()] == [
            "Basisschool De Regenboog"]
        assert page.text_content("#zoek-aantal") == "1 van 4 scholen"
        page.fill("#zoek", "")
        page.select_option("#aanbod", value="")
        assert page.input_value("#hoe") == ""  # another item: its own ways
        page.select_option("#status", label="verouderd (ouder dan vier jaar)")
        assert [n for n in _shown(page) if "school" in n.lower()] == ["Basisschool Het Anker"]
        assert _shown(page)[0] == "Groesbeek"  # the other werkgebieden are hidden
        page.close()


def test_site_compact_view_and_the_list_without_javascript(search_site: Path) -> None:
    with chromium() as browser:
        page = open_page(browser, search_site, WIDTHS["desktop"])
        tall = page.eval_on_selector(".scholen", "list => list.offsetHeight")
        page.click("#compact")
        assert page.get_attribute("#compact", "aria-pressed") == "true"
        assert page.eval_on_selector(".scholen", "list => list.offsetHeight") < tall
        page.close()
        context = browser.new_context(java_script_enabled=False)
        plain = context.new_page()
        plain.goto(search_site.resolve().as_uri())
        assert not plain.is_visible("#zoek")  # no search that cannot work
        assert len([n for n in _shown(plain) if "school" in n.lower()]) == 4
        context.close()


def test_branding_in_html_and_pdf_still_passes_axe(tmp_path: Path) -> None:
    import base64
    import datetime

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "logo.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="))
    (repo / "swv.yaml").write_text(
        "sopc: 1\nsoort: swv\nbasis: perspectief-op-school\nswv:\n  id: swv-x\n  naam: SWV X\n"
        "huisstijl:\n  logo: logo.png\n  accentkleur: '#7a1f5c'\n"
        "  voettekst: SWV X, Postbus 1, 1234 AB Stad\n", encoding="utf-8")
    (repo / "school.yaml").write_text(EXAMPLE_FILES[0].read_text(encoding="utf-8").replace(
        "swv: swv-po-stroomland.yaml", "swv: swv.yaml"), encoding="utf-8")
    out = tmp_path / "uit"
    report = sopc.build([repo / "school.yaml"], out, ("html", "pdf"),
                        today=datetime.date(2022, 3, 1))
    assert [d for d in report.diagnostics if d.severity.value == "error"] == []
    pages = pdf_pages(out / "school.pdf")
    assert all("SWV X, Postbus 1, 1234 AB Stad" in page for page in pages[1:])
    assert b"/Image" in (out / "school.pdf").read_bytes()  # the logo is in the PDF
    with chromium() as browser:
        for label, width in WIDTHS.items():
            page = open_page(browser, out / "school.html", width)
            screenshot(page, SCREENSHOTS / f"huisstijl-{label}.png")
            violations = axe_violations(page)
            page.close()
            assert violations == [], describe(violations)


def test_fragments_pasted_into_one_page_are_valid_and_accessible(tmp_path: Path) -> None:
    """Every version of both examples as a website's CMS would show them: pasted under the
    page's own h1, all six on one page (no id may clash), checked by the Nu HTML Checker
    and axe at both widths."""
    sopc.build(EXAMPLE_FILES, tmp_path, ("fragment",), today=TODAY, profiles=PROFILES)
    fragments = sorted(tmp_path.glob("*.fragment.html"))
    assert len(fragments) == len(EXAMPLE_FILES) * len(PROFILES)
    page = tmp_path / "cms-pagina.html"
    page.write_text(
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Ondersteuning - website van de school</title></head>\n"
        "<body><header><p>Website van de school</p></header><main><h1>Ondersteuning</h1>\n"
        + "".join(path.read_text(encoding="utf-8") for path in fragments)
        + "</main></body></html>\n", encoding="utf-8")
    run = subprocess.run(["java", "-jar", str(require(VNU)), "--errors-only", "--format",
                          "json", str(page)], capture_output=True, text=True, check=False)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages, indent=1, ensure_ascii=False)
    with chromium() as browser:
        for label, width in WIDTHS.items():
            opened = open_page(browser, page, width)
            violations = axe_violations(opened)
            opened.close()
            assert violations == [], f"fragments at {width}px ({label}):\n{describe(violations)}"


@pytest.fixture(scope="module")
def large_overview(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A generated SWV of 300 schools: six werkgebieden, five besturen, two SWV layers,
    eight planted gaps (benchmarks/generate.py)."""
    import datetime
    import sys

    from sopc.site import overview

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import AREAS, generate, planted_gaps

    work = tmp_path_factory.mktemp("groot")
    boards = tuple(f"Stichting {name}" for name in ("Aa", "Bb", "Cc", "Dd", "Ee"))
    generate(work / "scholen", 300, target_bytes=8_000, boards=boards, gaps=8)
    overview([work / "scholen"], work / "uit", today=datetime.date(2022, 3, 1), jobs=2)
    return work / "uit", planted_gaps(AREAS, 8)


def _cells(page: str, section: str) -> dict[tuple[str, str, str], str]:
    """(column, part, item) → the cell's text, from the tables of one section."""
    import html as markup

    part = page[page.index(f'<h2 id="{section}">'):]
    part = part[:part.index("</section>")]
    found = {}
    for table in re.findall(r"<table class=\"dekking\">(.*?)</table>", part, re.S):
        group = markup.unescape(re.search(r"<caption>(.*?): scholen", table).group(1))
        columns = [markup.unescape(name) for name in
                   re.findall(r'<th scope="col">([^<]*) <span class="aantal">', table)]
        for item, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.S):
            texts = re.findall(r"<td[^>]*>(?:<details><summary>([^<]*)|(niet gevraagd))", cells)
            for column, (count, absent) in zip(columns, texts, strict=True):
                found[(column, group, markup.unescape(item))] = count or absent
    return found


def test_the_overview_of_300_schools_lists_every_planted_gap_first(
        large_overview: tuple[Path, dict[str, Any]]) -> None:
    out, planted = large_overview
    page = (out / "dekkend-aanbod.html").read_text(encoding="utf-8")
    gaps = page[page.index('<h2 id="hiaten">'):page.index('<h2 id="per-werkgebied">')]
    assert page.index('<h2 id="hiaten">') < page.index('<table class="dekking">')
    listed = set()
    for area, found in re.findall(r"<h3>(.*?)</h3>\s*<ul class=\"tekort\">(.*?)</ul>", gaps,
                                  re.S):
        listed |= {(area, item) for item in re.findall(r"<strong>(.*?)</strong>", found)}
    data = json.loads((out / "dekkend-aanbod.json").read_text(encoding="utf-8"))
    item_names = {row["item_id"]: row["item"] for rows in (data["aanbod"], data["hiaten"])
                  for row in rows}
    expected = {(area, item_names[item]) for area, items in planted.items() for item in items}
    assert len(expected) == 8 and expected == listed
    # and the JSON's gaps are exactly the planted ones
    assert {(row["werkgebied"], row["item_id"]) for row in data["hiaten"]} == {
        (area, item) for area, items in planted.items() for item in items}


def test_the_overview_counts_equal_a_count_from_the_json(
        large_overview: tuple[Path, dict[str, Any]]) -> None:
    out, _ = large_overview
    page = (out / "dekkend-aanbod.html").read_text(encoding="utf-8")
    data = json.loads((out / "dekkend-aanbod.json").read_text(encoding="utf-8"))
    offering: dict[tuple[str, str, str], set[str]] = {}
    for row in data["aanbod"]:
        key = (row["werkgebied"], row["groep"], row["item"])
        if row["hoe"] != "in ontwikkeling":
            offering.setdefault(key, set()).add(row["brin"])
        else:
            offering.setdefault(key, set())
    cells = _cells(page, "per-werkgebied")
    assert len(cells) > 300
    for key, text in cells.items():
        if text == "niet gevraagd":
            assert not offering.get(key), key
        else:
            assert int(text.split("/")[0]) == len(offering.get(key, set())), (key, text)
    # the number of schools under each werkgebied, as the JSON lists them
    schools: dict[str, int] = {}
    for row in data["scholen"]:
        schools[row["work_area"]] = schools.get(row["work_area"], 0) + 1
    first_table = page[page.index('<h2 id="per-werkgebied">'):]
    first_table = first_table[:first_table.index("</thead>")]
    assert dict((name, int(size)) for name, size in re.findall(
        r'<th scope="col">([^<]*) <span class="aantal">\((\d+)\)', first_table)) == schools


def test_the_overview_of_300_schools_fits_the_screen_and_passes_the_checkers(
        large_overview: tuple[Path, dict[str, Any]]) -> None:
    page_file = large_overview[0] / "dekkend-aanbod.html"
    run = subprocess.run(["java", "-jar", str(require(VNU)), "--errors-only", "--format",
                          "json", str(page_file)], capture_output=True, text=True, check=False)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages[:5], indent=1, ensure_ascii=False)
    with chromium() as browser:
        page = open_page(browser, page_file, WIDTHS["desktop"])
        assert page.evaluate("document.documentElement.scrollWidth") <= 1400
        # the header row and the item column stay in view while a table scrolls
        assert page.eval_on_selector(".dekking thead th",
                                     "th => getComputedStyle(th).position") == "sticky"
        assert page.eval_on_selector(".dekking tbody th",
                                     "th => getComputedStyle(th).position") == "sticky"
        violations = axe_violations(page)
        screenshot(page, SCREENSHOTS / "dekkend-aanbod-300-desktop.png")
        page.close()
    assert violations == [], describe(violations)
