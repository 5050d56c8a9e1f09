"""The Word version (DOCX) and the HTML fragment: built from the view model, with the
same headings and table cells as the HTML, Word's own structure (heading styles, header
rows, lists, properties), reproducible, and convertible by LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES
from doctree import docx_tree, html_tree
from textextract import docx_text, html_text

import sopc
from sopc import blocks
from sopc.theme import PROFILES
from sopc.word import _BLOCK_WRITERS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SCHOOLS_REPO = EXAMPLES / "schools-repo"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("word")
    # every version of the schools whose SWV layer has them; the full version of all
    # (the own layers of examples/opbouw have the most block kinds, and no short versions)
    for source, folder, profiles in ((EXAMPLES, "examples", PROFILES),
                                     (EXAMPLES, "opbouw", ("volledig",)),
                                     (SCHOOLS_REPO, "repo", PROFILES)):
        sopc.build([source], output / folder, ("html", "docx", "fragment"), profiles=profiles)
    return output


def docx_files(built: Path) -> list[Path]:
    files = sorted(built.rglob("*.docx"))
    assert len(files) == 3 * 3 + 7 + 3 * 3
    return files


def test_every_block_kind_has_a_word_writer() -> None:
    assert set(_BLOCK_WRITERS) == {"tekst", *blocks.KINDS}


def test_docx_headings_and_tables_equal_the_html(built: Path) -> None:
    for docx in docx_files(built):
        html = docx.with_suffix(".html").read_text(encoding="utf-8")
        html_headings, html_tables = html_tree(html)
        word_headings, word_tables = docx_tree(docx.read_bytes())
        assert word_headings == html_headings, docx.name
        assert word_tables == html_tables, docx.name
        assert html_headings and (html_tables or "volledig" not in docx.name)


def test_docx_holds_the_whole_text_of_the_html(built: Path) -> None:
    """Every word of the HTML's body is in the DOCX, in the same order (the skip link
    and the page footer aside; a definition list's label gets a colon in Word)."""
    for docx in docx_files(built):
        html = docx.with_suffix(".html").read_text(encoding="utf-8")
        body = html[html.index("</a>", html.index('class="skiplink"')) + 4:]
        expected = words(html_text(body))
        assert words(docx_text(docx.read_bytes())) == expected, docx.name


def words(text: str) -> list[str]:
    return re.findall(r"[\w@./+-]+", text.replace(":", " "))


def test_word_structure(built: Path) -> None:
    from docx import Document

    data = (built / "examples" / "op-de-heuvel.docx").read_bytes()
    document = Document(io.BytesIO(data))
    properties = document.core_properties
    assert properties.title == "Schoolondersteuningsprofiel – Basisschool Op de Heuvel (2021-2022)"
    assert properties.language == "nl-NL"
    assert properties.created is None and properties.modified is None  # no build time
    styles = document.styles.element
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val") == "nl-NL"
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    body = document.element.body
    tables = body.findall(f"{W}tbl")
    assert len(tables) > 10
    for table in tables:  # the header row repeats on every page; no row splits
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    listed = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(listed) > 5  # the school's lists are Word lists
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0].text == "Algemene gegevens"
    legend = [p.text for p in document.paragraphs if p.text.startswith("● ")]
    assert legend and ": " in legend[0]  # the legend as text
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading ")]
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    anchors = {h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")}
    assert anchors and anchors <= bookmarks  # the table of contents leads to its headings
    assert headings[0].text == "Basisschool Op de Heuvel (06KG00)"
    instructions = "".join(t.text for t in body.iter(f"{W}instrText"))
    assert "TOC" in instructions


def test_parents_version_names_the_full_document_and_links_its_contact(built: Path) -> None:
    """A Word file travels alone (by e-mail): it names the full version, and links only
    what works anywhere (phone, e-mail, websites), never a file beside it."""
    from docx import Document

    document = Document(io.BytesIO((built / "examples" / "op-de-heuvel.ouders.docx")
                                   .read_bytes()))
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert any(target.startswith("tel:") for target in targets)
    assert all(re.match(r"(https?|mailto|tel):", target) for target in targets), targets
    text = docx_text((built / "examples" / "op-de-heuvel.ouders.docx").read_bytes())
    assert "Contactpersoon" in text and "aanpakken" not in text
    assert "leest u in: Schoolondersteuningsprofiel." in text


def test_markdown_texts_become_word_structure(tmp_path: Path) -> None:
    """Bold, a link, a numbered list starting at 3, a nested list, a quote and a table in a
    school's text are Word's own formatting, lists and table."""
    text = ("**Vet** en *schuin*, een [link](https://example.org/a) en [terug](#sop-visie).\n\n"
            "3. drie\n4. vier\n   - onder vier\n\n> een citaat\n\n"
            "| Kop | Waarde |\n| --- | --- |\n| a | **b** |\n")
    source = school_with_text(tmp_path, text)
    report = sopc.build([source], tmp_path / "out", ("docx",))
    assert not errors(report)
    data = (tmp_path / "out" / "school.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = archive.read("word/document.xml").decode()
        numbering = archive.read("word/numbering.xml").decode()
        relations = archive.read("word/_rels/document.xml.rels").decode()
    assert re.search(r"<w:b/>.{0,200}Vet", document, re.S)
    assert "https://example.org/a" in relations
    assert 'w:anchor="s_sop_visie"' in document and 'w:name="s_sop_visie"' in document
    assert '<w:startOverride w:val="3"/>' in numbering
    assert re.search(r'<w:ilvl w:val="1"/>.{0,200}<w:t>onder vier', document, re.S)
    assert 'w:val="Quote"' in document
    tables = docx_tree(data)[1]
    assert [["Kop", "Waarde"], ["a", "b"]] in tables


def errors(report: sopc.api.Report) -> list[str]:
    return [d.message for d in report.diagnostics if d.severity.value == "error"]


def school_with_text(folder: Path, text: str) -> Path:
    """Op de Heuvel with `text` at the start of its vision text (a Markdown field)."""
    school = (EXAMPLES / "op-de-heuvel.yaml").read_text(encoding="utf-8")
    marker = "  visie-passend-onderwijs: |\n"
    assert marker in school
    indented = "".join("    " + line + "\n" if line else "\n" for line in text.splitlines())
    source = folder / "school.yaml"
    source.write_text(school.replace(marker, marker + indented + "\n", 1), encoding="utf-8")
    shutil.copy(EXAMPLES / "swv-po-stroomland.yaml", folder)
    shutil.copy(EXAMPLES / "sopc.toml", folder)
    return source


def test_docx_is_reproducible(built: Path, tmp_path: Path) -> None:
    sopc.build([EXAMPLES / "op-de-heuvel.yaml"], tmp_path, ("docx",), profiles=PROFILES)
    for name in ("op-de-heuvel.docx", "op-de-heuvel.ouders.docx",
                 "op-de-heuvel.schoolgids.docx"):
        assert (tmp_path / name).read_bytes() == (built / "examples" / name).read_bytes()
    with zipfile.ZipFile(tmp_path / "op-de-heuvel.docx") as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert not any("thumbnail" in name for name in archive.namelist())


# -- the HTML fragment ---------------------------------------------------------------------


def test_fragment_pastes_into_a_page(built: Path) -> None:
    fragments = sorted(built.rglob("*.fragment.html"))
    assert len(fragments) == 3 * 3 + 7 + 3 * 3
    ids_per_folder: dict[Path, list[str]] = {}
    for fragment in fragments:
        html = fragment.read_text(encoding="utf-8")
        assert not re.search(r"<(html|head|body|style|script|link|meta|title)\b", html)
        assert html.startswith('<div class="sopc-document')
        ids = re.findall(r'\bid="([^"]*)"', html)
        assert all(i.startswith("sopc-") for i in ids) and len(set(ids)) == len(ids)
        for target in re.findall(r'href="#([^"]*)"', html):  # every link finds its place
            assert target in ids, (fragment.name, target)
        for labelled in re.findall(r'aria-labelledby="([^"]*)"', html):
            assert set(labelled.split()) <= set(ids)
        assert "<h1" not in html and '<p class="titel">' in html  # under the page's own h1
        assert not re.search(r'href="(?!#|https?:|mailto:|tel:)', html)  # no file beside it
        ids_per_folder.setdefault(fragment.parent, []).extend(ids)
    for ids in ids_per_folder.values():  # no two fragments of one build share an id
        assert len(set(ids)) == len(ids)
    full = (built / "examples" / "op-de-heuvel.html").read_text(encoding="utf-8")
    fragment = (built / "examples" / "op-de-heuvel.fragment.html").read_text(encoding="utf-8")
    assert [(level, text) for level, text in html_tree(full)[0] if level > 1] \
        == html_tree(fragment)[0]
    assert html_tree(full)[1] == html_tree(fragment)[1]


def test_fragment_keeps_text_that_looks_like_markup(tmp_path: Path) -> None:
    """A text that reads like an id or a heading tag is text, not changed by the
    prefixing: only real tags are."""
    source = school_with_text(tmp_path, 'Schrijf id="x" en <h1> en href="#y" zo.')
    report = sopc.build([source], tmp_path / "out", ("fragment",))
    assert not errors(report)
    html = (tmp_path / "out" / "school.fragment.html").read_text(encoding="utf-8")
    assert "Schrijf id=&#34;x&#34; en &lt;h1&gt; en href=&#34;#y&#34; zo." in html \
        or "Schrijf id=&quot;x&quot; en &lt;h1&gt; en href=&quot;#y&quot; zo." in html


# -- LibreOffice ---------------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_converts_every_docx(built: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (Debian: libreoffice-writer-nogui) is missing"
    from pypdf import PdfReader

    files = docx_files(built)
    profile_dir = tmp_path / "profiel"  # a profile of its own: no clash with a user's
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile_dir.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    for docx in files:
        pdf = tmp_path / "pdf" / docx.with_suffix(".pdf").name
        assert pdf.exists(), f"{docx.name}: {result.stdout} {result.stderr}"
        pages = PdfReader(pdf).pages
        text = " ".join(page.extract_text() for page in pages)
        assert " ".join(docx_tree(docx.read_bytes())[0][0][1].split()[:2]) in " ".join(
            text.split()), docx.name
        if docx.name.endswith(".ouders.docx"):
            assert len(pages) <= 2, f"{docx.name}: {len(pages)} pages"


def test_site_names_each_format_and_version() -> None:
    from sopc.theme import output_label

    assert output_label("x.docx") == "Word"
    assert output_label("x.schoolgids.docx") == "Word (schoolgids)"
    assert output_label("x.ouders.fragment.html") == "HTML-fragment (ouders)"
    assert output_label("st.jozef.html") == "HTML"  # a dot in the school's own name
    assert output_label("x.ouders.pdf") == "PDF (ouders)"
