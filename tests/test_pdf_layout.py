"""How the PDF theme breaks tables over pages (templates/standaard/typst/basis.typ).

The theme's own table function is typeset after a spacer of growing height, so its
table starts ever lower on the page and splits at every possible row; each page's text
tells which rows it holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypdf
import pytest
import typst
from conftest import EXAMPLES, FIXTURES, TODAY

import sopc
from sopc.theme import PROFILES, builtin_template_dir

VLINDER = FIXTURES / "layout" / "de-vlinder.yaml"
SPACERS = range(0, 50)  # em above the table: its split point walks through every row


def _pages(body: str, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The text of each page of the theme's basis.typ followed by `body`; what follows
    the table starts on a new page, as a chapter does."""
    folder = tmp_path_factory.mktemp("typst")
    source = (builtin_template_dir() / "typst" / "basis.typ").read_text(encoding="utf-8")
    source += "\n#set page(paper: \"a4\", margin: 20mm)\n" + body + "\n#pagebreak()\nVolgende\n"
    data = json.dumps({"accent": "#1f4e79", "profile": "volledig"})
    pdf = typst.compile(source.encode(), root=str(folder), sys_inputs={"data": data})
    (folder / "t.pdf").write_bytes(pdf)
    return [page.extract_text() or "" for page in pypdf.PdfReader(folder / "t.pdf").pages]


def _rows_per_page(pages: list[str]) -> list[list[int]]:
    return [[int(n) for n in re.findall(r"Rij (\d+)\b", text)] for text in pages]


def _rows(count: int) -> str:
    return f"range({count}).map(i => (rijkop[Rij #i], [waarde #i]))"


@pytest.fixture(scope="module")
def long_tables(tmp_path_factory: pytest.TempPathFactory) -> list[list[list[int]]]:
    return [_rows_per_page(_pages(f'#v({space}em)\n#tabel("Lange tabel", ("A", "B"), '
                                  f"{_rows(40)})", tmp_path_factory))
            for space in SPACERS]


def test_no_page_holds_only_the_last_row_of_a_long_table(
        long_tables: list[list[list[int]]]) -> None:
    splits = set()
    for space, pages in zip(SPACERS, long_tables, strict=True):
        holding = [rows for rows in pages if rows]
        assert sorted(n for rows in holding for n in rows) == list(range(40)), space
        if len(holding) > 1:
            splits.add(len(holding[-1]))
            assert len(holding[-1]) >= 2, (space, holding)
    # the spacers walked the split through the table: from its last two rows alone on
    # the next page to most of it (else this test proved nothing)
    assert min(splits) == 2 and max(splits) > 20, splits


def test_a_table_of_a_dozen_rows_is_never_split(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    for space in range(30, 60, 2):
        pages = _rows_per_page(_pages(f'#v({space}em)\n#tabel("Korte tabel", ("A", "B"), '
                                      f"{_rows(12)})", tmp_path_factory))
        assert [rows for rows in pages if rows] == [list(range(12))], space


def test_rows_that_belong_together_stay_together(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """A factor spans its categories' rows (as in 'Opvoedsituatie thuis'): the group
    never splits and the last group is never alone on a page."""
    groups = ("range(8).map(g => range(3).map(i => if i == 0 { "
              "(table.cell(rowspan: 3, rijkop[Factor #g]), [Rij #(g * 3 + i)], [x]) } "
              "else { ([Rij #(g * 3 + i)], [x]) }).flatten())")
    for space in range(0, 50, 3):
        pages = _rows_per_page(_pages(f'#v({space}em)\n#tabel("Groepen", ("Factor", "Rij", '
                                      f'"Aantal"), {groups})', tmp_path_factory))
        holding = [rows for rows in pages if rows]
        assert sorted(n for rows in holding for n in rows) == list(range(24)), space
        for rows in holding:
            assert len(rows) % 3 == 0 and rows[0] % 3 == 0, (space, holding)
        if len(holding) > 1:
            assert len(holding[-1]) >= 3, (space, holding)


_CHAPTER = re.compile(r"^\d+ \w")  # a numbered chapter heading: "4 Grenzen"
_RUNNING = re.compile(r"^(Pagina \d+ van \d+|.*Schooljaar \d{4}-\d{4} · .*)$")


@pytest.mark.slow
def test_no_page_of_the_examples_holds_only_a_few_lines(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The examples, their own outlines and the sample repository, in every version: no
    page but the first holds three lines or fewer (a carried-over row, a lone table or
    paragraph before the next chapter) besides the running header and page number. A
    page that starts a chapter may be short: in the full version every chapter starts
    on a new page (the theme's rule, as in the reference documents), however short."""
    out = tmp_path_factory.mktemp("layout")
    presets = [EXAMPLES / "op-de-heuvel.yaml", EXAMPLES / "ppo-noord-kennemerland.yaml"]
    sopc.build(presets, out / "voorbeelden", ("pdf",), today=TODAY, profiles=PROFILES)
    sopc.build([EXAMPLES / "opbouw"], out / "opbouw", ("pdf",), today=TODAY)
    sopc.build([EXAMPLES / "schools-repo" / "scholen"], out / "scholen", ("pdf",),
               today=TODAY, profiles=PROFILES)
    sopc.build([VLINDER], out / "vlinder", ("pdf",), today=TODAY, profiles=PROFILES)
    files = sorted(out.rglob("*.pdf"))
    assert len(files) == 2 * 3 + 5 + 4 * 3 + 3
    thin = []
    for path in files:
        for number, page in enumerate(pypdf.PdfReader(path).pages[1:], start=2):
            lines = [line for line in (page.extract_text() or "").splitlines()
                     if line.strip() and not _RUNNING.match(line.strip())]
            if len(lines) <= 3 and not (lines and _CHAPTER.match(lines[0])):
                thin.append((path.name, number, lines))
    assert not thin, "\n".join(f"{name} p{number}: {lines}" for name, number, lines in thin)


def test_the_contact_lines_and_the_swv_stay_on_one_page(tmp_path: Path) -> None:
    """The parents' version of a school whose text fills page 1: 'Contact' moves to page 2
    whole, with the SWV's paragraph and the closing line, instead of leaving the SWV's
    paragraph alone there."""
    sopc.build([VLINDER], tmp_path, ("pdf",), today=TODAY, profiles=("ouders",))
    pages = [page.extract_text() or "" for page in
             pypdf.PdfReader(tmp_path / "de-vlinder.ouders.pdf").pages]
    assert len(pages) == 2
    last = pages[-1]
    assert "Contact" in last and "Contactpersoon" in last and "Onze school hoort bij" in last
