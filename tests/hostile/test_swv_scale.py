"""`sopc site` and `sopc overview` at SWV scale and against a hostile output folder.

- Work grows linearly with the schools of one werkgebied (issue 10, finding 6):
  counted in executed lines of sopc's own code and templates, not in seconds.
- CSV cells that a spreadsheet would run as a formula are written as text (13).
- Nothing is written through a symlink out of the output folder (19).
- Temporaries of a killed run at the output folder's top level are removed (22).
- Links on the index page are percent-encoded path segments (28).

Process cases run `sopc` as a real process (tests/hostile/processes.py) and are
marked slow; the pure-function cases beside them are not.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from processes import ROOT, sopc_process

from sopc import render
from sopc.overview import (
    Catalogue,
    Offer,
    Other,
    Overview,
    SchoolSummary,
    _write_json_document,
    csv_cell,
)
from sopc.site import SiteEntry, index_page, link_to, write_overview

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate

REPO = ROOT / "examples" / "schools-repo"
TODAY = "2026-11-01"
SOPC = ROOT / "sopc"
TEMPLATES = ROOT / "templates"


# -- finding 6: linear in the number of schools ----------------------------------------

GROUPS = ("Deskundigheid", "Voorzieningen", "Clusters", "Ondersteuningsniveaus")
ITEMS = [Catalogue("catalogus" if group != "Clusters" else "cluster", group, f"{group}-{i}",
                   f"{group} item {i}") for group in GROUPS for i in range(8)]
HOWS = ("Op de school", "Via het bestuur", "Via SWV/derden")


def school(index: int, area: str = "Alkmaar") -> SchoolSummary:
    """A synthetic school of one SWV layer: offers most items, a few free entries."""
    summary = SchoolSummary(
        name=f"School {index}", brin=f"{index:04d}00", place="Alkmaar", work_area=area,
        board="Stichting Kindwijs", school_year="2021-2022", status="actueel",
        reference_date="2022-01-10", layer_key="swv", style="beschikbaarheid",
        display=f"scholen/school-{index}.yaml")
    summary.offers = [Offer(item.kind, item.group, item.item_id, item.item,
                            HOWS[(index + position) % len(HOWS)])
                      for position, item in enumerate(ITEMS) if (index + position) % 5]
    summary.others = [Other("Deskundigheid", f"eigen specialist {index}", "Op de school")]
    summary.empty_clusters = [("Clusters-1", "Clusters item 1")] if index % 7 == 0 else []
    return summary


def executed_lines(work: Callable[[], Any]) -> int:
    """Lines executed in sopc's own code and in the templates while `work` runs.

    A loop iteration counts again, so a loop over all schools inside a loop over all
    schools shows up as n² however fast the machine is. Library code (Jinja's runtime,
    json, csv) is not traced: its work is driven by what sopc hands it.
    """
    count = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        filename = frame.f_code.co_filename
        if filename.startswith((str(SOPC), str(TEMPLATES))):
            return local
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    threading.settrace(tracer)
    try:
        work()
    finally:
        sys.settrace(previous)
        threading.settrace(previous)  # type: ignore[arg-type]
    return count


def overview_of(count: int) -> Overview:
    overview = Overview()
    for index in range(count):
        overview.add(school(index), ITEMS)
    return overview


def test_overview_work_is_linear_in_the_schools_of_one_werkgebied(tmp_path: Path) -> None:
    def write(count: int) -> int:
        out = tmp_path / f"uit-{count}"
        return executed_lines(lambda: write_overview(overview_of(count), out,
                                                     ("html", "md", "csv", "json")))

    small, large = write(40), write(160)
    # four times the schools: linear work is ~4x the lines, quadratic ~16x
    assert large < 6 * small, (small, large)


def test_site_index_work_is_linear_in_the_schools_of_one_werkgebied() -> None:
    def index(count: int) -> int:
        entries = [SiteEntry(school(i), f"scholen/school-{i}.yaml",
                             [("HTML", f"scholen/school-{i}.html")], 0) for i in range(count)]
        return executed_lines(lambda: index_page(entries))

    small, large = index(40), index(160)
    assert large < 6 * small, (small, large)


@pytest.mark.slow
def test_overview_of_many_schools_in_one_werkgebied_stays_small(tmp_path: Path) -> None:
    generate(tmp_path / "scholen", 400, target_bytes=1, areas=("Alkmaar",))
    out = tmp_path / "overzicht"
    outcome = sopc_process("overview", "-q", "-j", "1", "--today", "2022-03-01",
                           str(tmp_path / "scholen"), "-o", str(out))
    assert outcome.code == 0, outcome.err
    assert 0 < outcome.peak_kib < 200 * 1024
    data = json.loads((out / "dekkend-aanbod.json").read_text(encoding="utf-8"))
    assert data["werkgebieden"] == ["Alkmaar"] and len(data["scholen"]) == 400
    html = (out / "dekkend-aanbod.html").read_text(encoding="utf-8")
    assert html.count('<th scope="col">School ') == 400 * html.count('<table class="matrix">')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(max_size=6), json_values | st.lists(json_values, max_size=3),
                       max_size=4),
       st.sets(st.integers(0, 3)))
def test_streamed_json_is_the_same_as_json_dumps(document: dict[str, Any],
                                                 streamed: set[int]) -> None:
    # some top-level lists are handed over as iterators (written element by element)
    handed = {key: iter(value) if position in streamed and isinstance(value, list) else value
              for position, (key, value) in enumerate(document.items())}
    buffer = io.StringIO()
    _write_json_document(buffer, handed)
    assert buffer.getvalue() == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def tidy_as_before(text: str) -> str:
    """render._tidy as it was before pages were written line by line."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    result: list[str] = []
    for line in lines:
        if not line and result and not result[-1]:
            continue
        result.append(line)
    return "\n".join(result) + "\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab \t\n", max_size=8), max_size=8))
def test_pages_written_line_by_line_are_tidied_as_before(chunks: list[str]) -> None:
    text = "".join(chunks)
    assert render._tidy(text) == tidy_as_before(text)
    assert "".join(render._tidy_lines(render._lines(chunks))) == tidy_as_before(text)


def test_long_pages_are_split_into_the_same_lines() -> None:
    """Past the 64 K blocks in which render._lines joins chunks: lines across blocks."""
    short_lines = [f"<td>{i}</td>" if i % 97 else "  \n\n\n" for i in range(40_000)]
    long_lines = [f"<td>{i}</td>" if i % 30_000 else "\n" for i in range(1, 100_000)]
    for chunks in (short_lines, long_lines, [*long_lines, *short_lines, "\n"]):
        text = "".join(chunks)
        assert list(render._lines(chunks)) == text.split("\n")
        assert "".join(render._tidy_lines(render._lines(chunks))) == tidy_as_before(text)


def test_splitting_one_very_long_line_is_linear() -> None:
    """Joining happens in C, invisible to a line count: time 4x the text instead,
    best of several runs, with room for a busy machine (quadratic would be ~16x)."""
    def best_time(count: int, runs: int) -> float:
        chunks = ["<td>cel</td>"] * count
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            for _line in render._lines(chunks):
                pass
            times.append(time.perf_counter() - start)
        return min(times)

    assert best_time(32_000, 3) < 8 * best_time(8_000, 7)


# -- finding 13: CSV formula injection ------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@\t\r\n\",;ax "), max_size=12))
def test_a_csv_cell_never_starts_a_formula(value: str) -> None:
    """Written and read back as the overview writes CSV: one row, no cell (nor a row that
    a line break inside a value could start) begins a formula."""
    import csv
    import io

    cell = csv_cell(value)
    assert cell.replace("\n", "").lstrip("'") == value.replace("\r", "").replace("\n", "")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([cell, "x"])
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert len(rows) == 1 and rows[0][1] == "x", rows
    assert not rows[0][0].startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


@pytest.mark.parametrize("value", ["=1+1", "+31 20", "-2", "@SUM(A1)", "\tx", "\nx"])
def test_formula_starts_get_a_single_quote(value: str) -> None:
    assert csv_cell(value) == "'" + value


def test_a_carriage_return_cannot_start_a_row() -> None:
    assert csv_cell("\r=3") == "'\n=3" and csv_cell("a\r=3") == "a\n=3"


def hostile_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    for name in ("de-regenboog.yaml", "de-zeester.yaml"):
        path = repo / "scholen" / name
        text = path.read_text(encoding="utf-8").replace("werkgebied: Nijmegen",
                                                        'werkgebied: "=Nijmegen"')
        text = text.replace("naam: Jenaplanschool De Zeester", 'naam: "-Zeester"')
        text = text.replace("naam: Basisschool De Regenboog",
                            'naam: "@HYPERLINK(\\"https://example.org\\")"')
        text = text.replace("naam: gymzaal", 'naam: "+gymzaal"')
        path.write_text(text, encoding="utf-8")
    return repo


@pytest.mark.slow
def test_overview_csv_cells_are_never_formulas(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path)
    out = tmp_path / "overzicht"
    outcome = sopc_process("overview", "-q", "--today", TODAY, "-f", "csv",
                           str(repo / "scholen"), "-o", str(out), cwd=repo)
    assert outcome.code in (0, 1), outcome.err
    seen: set[str] = set()
    for name in ("dekkend-aanbod.csv", "dekkend-aanbod-hiaten.csv",
                 "dekkend-aanbod-anders.csv"):
        rows = list(csv.reader(io.StringIO((out / name).read_text(encoding="utf-8"))))
        assert len(rows) > 1, name
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
            seen.update(row)
        assert any(row[0] == "'=Nijmegen" for row in rows[1:]), name
    assert {"'-Zeester", "'@HYPERLINK(\"https://example.org\")", "'+gymzaal"} <= seen


# -- finding 19: no write through a symlink out of the output folder -------------------

def link_out(tmp_path: Path, site: Path, name: str, *, folder: bool) -> Path:
    outside = tmp_path / "buiten"
    outside.mkdir()
    site.mkdir(exist_ok=True)
    target = outside if folder else outside / name
    if not folder:
        target.write_text("van iemand anders\n", encoding="utf-8")
    (site / name).symlink_to(target, target_is_directory=folder)
    return outside


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


@pytest.mark.slow
def test_site_refuses_a_schools_folder_linked_out_of_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    outside = link_out(tmp_path, site, "scholen", folder=True)
    outcome = sopc_process("site", "-q", "--today", TODAY, str(REPO / "scholen"),
                           "-o", str(site), cwd=REPO)
    assert outcome.code == 2, outcome.err
    assert "buiten de uitvoermap" in outcome.err and "Traceback" not in outcome.err
    assert list(outside.iterdir()) == []
    assert not (site / "index.html").exists()  # refused before any work


@pytest.mark.slow
@pytest.mark.parametrize("name", ["index.html", "dekkend-aanbod.html", "dekkend-aanbod.csv"])
def test_site_refuses_a_page_linked_out_of_the_site(tmp_path: Path, name: str) -> None:
    site = tmp_path / "site"
    outside = link_out(tmp_path, site, name, folder=False)
    before = snapshot(outside)
    outcome = sopc_process("site", "-q", "--today", TODAY, str(REPO / "scholen"),
                           "-o", str(site), cwd=REPO)
    assert outcome.code == 2, outcome.err
    assert "buiten de uitvoermap" in outcome.err and "Traceback" not in outcome.err
    assert snapshot(outside) == before


@pytest.mark.slow
def test_overview_refuses_a_file_linked_out_of_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "overzicht"
    outside = link_out(tmp_path, out, "dekkend-aanbod.json", folder=False)
    before = snapshot(outside)
    outcome = sopc_process("overview", "-q", "--today", TODAY, str(REPO / "scholen"),
                           "-o", str(out), cwd=REPO)
    assert outcome.code == 2, outcome.err
    assert "buiten de uitvoermap" in outcome.err
    assert snapshot(outside) == before


@pytest.mark.slow
def test_a_schools_folder_linked_inside_the_site_is_fine(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "documenten").mkdir(parents=True)
    (site / "scholen").symlink_to(site / "documenten", target_is_directory=True)
    outcome = sopc_process("site", "-q", "--today", TODAY, str(REPO / "scholen"),
                           "-o", str(site), cwd=REPO)
    assert outcome.code == 1, outcome.err  # Het Anker is stale: an error, as in test_site
    assert (site / "documenten" / "de-regenboog.html").is_file()


# -- finding 22: temporaries of a killed run at the top level --------------------------

# Killed (SIGKILL, no cleanup) at the first rename of a finished temporary at the top
# level of the output folder; the schools' documents in scholen/ are written normally.
KILLED_AT_RENAME = (
    "import os, signal, sys\n"
    "from pathlib import Path\n"
    "from sopc.cli import main\n"
    "rename = os.replace\n"
    "def replace(source, target):\n"
    "    if Path(target).parent.name == 'scholen':\n"
    "        return rename(source, target)\n"
    "    os.kill(os.getpid(), signal.SIGKILL)\n"
    "os.replace = replace\n"
    "main(sys.argv[1:])\n")


@pytest.mark.slow
@pytest.mark.parametrize("command", ["overview", "site"])
def test_temporaries_of_a_killed_run_are_removed_by_the_next(tmp_path: Path,
                                                             command: str) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    args = [command, "-q", "-j", "1", "--today", TODAY, str(REPO / "scholen"), "-o", str(out)]
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_RENAME, *args], cwd=REPO,
                            capture_output=True, timeout=60, check=False)
    assert killed.returncode == -9
    left = [p.name for p in out.iterdir() if p.is_file()]
    assert left and all(name.startswith(".") for name in left), left  # a temporary
    outcome = sopc_process(*args, cwd=REPO)
    assert outcome.code in (0, 1), outcome.err
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


# -- finding 28: links are percent-encoded path segments ------------------------------

HOSTILE_STEMS = ["de school #1?", "100% 'echt' \"zo\"", "café & crèche", "a<b>c"]


def test_link_to_encodes_each_segment(tmp_path: Path) -> None:
    for stem in HOSTILE_STEMS:
        link = link_to(tmp_path / "scholen" / f"{stem}.html", tmp_path)
        first, second = link.split("/")
        assert first == "scholen" and unquote(second) == f"{stem}.html"
        assert all(ch.isascii() and (ch.isalnum() or ch in "%-._~") for ch in second)
    assert link_to(tmp_path / "scholen" / "de-regenboog.html", tmp_path) == \
        "scholen/de-regenboog.html"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if tag == "a" and name == "href"]


@pytest.mark.slow
def test_site_links_reach_documents_with_any_file_name(tmp_path: Path) -> None:
    generate(tmp_path / "bron", len(HOSTILE_STEMS), target_bytes=1)
    schools = tmp_path / "scholen"
    schools.mkdir()
    for path, stem in zip(sorted((tmp_path / "bron").iterdir()), HOSTILE_STEMS, strict=True):
        path.rename(schools / f"{stem}.yaml")
    site = tmp_path / "site"
    outcome = sopc_process("site", "-q", "--today", "2022-03-01", str(schools),
                           "-o", str(site))
    assert outcome.code == 0, outcome.err
    parser = Links()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    documents = [href for href in parser.hrefs if href.startswith("scholen/")]
    assert len(documents) == 3 * len(HOSTILE_STEMS)  # name link, HTML, Markdown
    for href in documents:
        assert href == "/".join(quote(unquote(part), safe="") for part in href.split("/"))
        assert (site / unquote(href)).is_file(), href
    for stem in HOSTILE_STEMS:
        assert f"scholen/{quote(stem + '.html', safe='')}" in documents


def test_output_names_are_written_as_given(tmp_path: Path) -> None:
    """The written list names files as the user named the folder (a relative path)."""
    relative = Path(os.path.relpath(tmp_path, Path.cwd())) / "uit"
    written = write_overview(overview_of(2), relative, ("json",))
    assert written == [relative / "dekkend-aanbod.json"]
