"""Every PDF sopc writes is accessible (PDF/UA-1), checked rather than assumed.

Read back with pikepdf: the structure tree has one H1 and headings that never skip a
level, every table has header cells, every figure an alternative text; the catalogue
says the language is Dutch, the content is marked (tagged) and the viewer shows the
document's title; every font is embedded. An independent checker (pdfua, on pikepdf)
finds nothing in the machine-checkable part of PDF/UA-1, and `pdfinfo` (poppler, as a
user would run it) says "Tagged: yes".
"""

from __future__ import annotations

import base64
import itertools
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import EXAMPLES, TODAY

import sopc
from sopc.theme import PROFILES

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYA"
                       "AjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Both examples in every version, the own outlines of examples/opbouw in full, and
    an SWV with a logo (a figure)."""
    out = tmp_path_factory.mktemp("pdf-ua")
    presets = [EXAMPLES / "op-de-heuvel.yaml", EXAMPLES / "ppo-noord-kennemerland.yaml"]
    sopc.build(presets, out / "voorbeelden", ("pdf",), today=TODAY, profiles=PROFILES)
    sopc.build([EXAMPLES / "opbouw"], out / "opbouw", ("pdf",), today=TODAY)
    repo = out / "logo"
    repo.mkdir()
    (repo / "logo.png").write_bytes(PNG)
    (repo / "swv.yaml").write_text(
        "sopc: 1\nsoort: swv\nbasis: perspectief-op-school\nswv:\n  id: swv-x\n  naam: SWV X\n"
        "huisstijl:\n  logo: logo.png\n", encoding="utf-8")
    (repo / "school.yaml").write_text(presets[0].read_text(encoding="utf-8").replace(
        "swv: swv-po-stroomland.yaml", "swv: swv.yaml"), encoding="utf-8")
    sopc.build([repo / "school.yaml"], out / "logo-uit", ("pdf",), today=TODAY)
    files = sorted(out.rglob("*.pdf"))
    assert len(files) == 2 * 3 + 5 + 1
    return files


def structure(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    """Every element of the structure tree, in reading order, with its role."""
    role_map = pdf.Root.StructTreeRoot.get("/RoleMap", {})

    def walk(node: Any) -> Iterator[tuple[str, pikepdf.Dictionary]]:
        if not isinstance(node, pikepdf.Dictionary):
            return
        if "/S" in node:
            tag = str(node.S)
            yield str(role_map.get(tag, tag)), node
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            yield from walk(kid)

    yield from walk(pdf.Root.StructTreeRoot)


def test_catalogue_says_tagged_dutch_and_shows_the_title(pdfs: list[Path]) -> None:
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert root.MarkInfo.Marked is True, path.name
            assert str(root.Lang).startswith("nl"), path.name
            assert root.ViewerPreferences.DisplayDocTitle is True, path.name
            assert str(pdf.open_metadata().get("dc:title", "")), path.name
            assert "/StructTreeRoot" in root and "/Outlines" in root, path.name


def test_headings_one_h1_and_no_skipped_level(pdfs: list[Path]) -> None:
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            levels = [int(tag[2]) for tag, _ in structure(pdf)
                      if len(tag) == 3 and tag.startswith("/H") and tag[2].isdigit()]
        assert levels.count(1) == 1 and levels[0] == 1, (path.name, levels[:5])
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{path.name}: H{before} followed by H{after}"


def test_every_table_has_header_cells_and_every_figure_a_text(pdfs: list[Path]) -> None:
    tables = figures = 0
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            for tag, node in structure(pdf):
                if tag == "/Table":
                    tables += 1
                    assert any(inner == "/TH" for inner, _ in _below(pdf, node)), path.name
                elif tag == "/Figure":
                    figures += 1
                    assert str(node.get("/Alt", "")).strip(), path.name
    assert tables > 30 and figures >= 1  # the examples' tables; the SWV's logo


def _below(pdf: pikepdf.Pdf, node: pikepdf.Dictionary) -> Iterator[tuple[str, Any]]:
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield str(kid.S), kid
            yield from _below(pdf, kid)


def test_every_font_is_embedded(pdfs: list[Path]) -> None:
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for _, font in page.Resources.get("/Font", {}).items():
                    fonts = font.DescendantFonts if "/DescendantFonts" in font else [font]
                    for each in fonts:
                        descriptor = each.get("/FontDescriptor")
                        assert descriptor is not None and any(
                            key in descriptor for key in ("/FontFile", "/FontFile2",
                                                          "/FontFile3")), path.name


def test_an_independent_checker_finds_nothing(pdfs: list[Path]) -> None:
    import pdfua

    for path in pdfs:
        report = pdfua.validate(str(path))
        assert not report.findings, (path.name, [str(f) for f in report.findings])


@pytest.mark.slow
def test_pdfinfo_says_tagged(pdfs: list[Path]) -> None:
    for path in pdfs:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                              check=True).stdout
        assert "Tagged:          yes" in info, path.name


def test_an_empty_heading_in_a_text_or_a_title_of_spaces_still_makes_a_pdf() -> None:
    """PDF/UA forbids an empty heading and Typst refuses to write one: a '#' alone in a
    text, or a title of only spaces, makes no heading instead of an internal error."""
    from sopc.pdf import pdf_bytes
    from sopc.view import Block, Document

    for text, title in (("#\n\nTekst eronder.", None), ("Tekst.", " ")):
        pdf = pdf_bytes(Document("T", "S", "00AA00", "2021-2022", "SWV",
                                 [Block("tekst", title, text)]))
        assert pdf.startswith(b"%PDF")
