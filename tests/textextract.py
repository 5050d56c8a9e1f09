"""Visible text of rendered output, for comparing with the reference documents."""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

_BLOCK_TAGS = frozenset({
    "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "caption",
    "dt", "dd", "section", "ul", "ol", "table", "header", "footer", "nav", "main", "br",
    "thead", "tbody", "dl",
})
# Decoration that carries no text of the reference: legend symbols, "not available".
_DECORATION = str.maketrans({"●": " ", "◆": " ", "▲": " ", "¹": "1", "²": "2", "³": "3"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self.skip += 1
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self.skip -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def normalise(text: str) -> str:
    return " ".join(text.translate(_DECORATION).split())


def html_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    return normalise("".join(collector.parts))


def markdown_text(markdown: str) -> str:
    """The .md output as a CommonMark/GFM reader sees it."""
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return html_text(parser.render(markdown))


def docx_text(data: bytes) -> str:
    """The body text of a DOCX in reading order (paragraphs and table cells), read with
    python-docx: what Word shows, without the page footer."""
    import io

    from docx import Document
    from docx.oxml.ns import qn

    body = Document(io.BytesIO(data)).element.body
    parts = []
    for paragraph in body.iter(qn("w:p")):
        pieces = []
        for element in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
            pieces.append(element.text or "" if element.tag == qn("w:t") else " ")
        parts.append("".join(pieces))
    return normalise(" ".join(parts))


def pdf_text(path: object, running: str = "") -> str:
    """The text of a PDF as pypdf reads it, without what the page layout adds: the
    running header (`running`) and the page numbers, and a line break after a hyphen
    or slash inside a word or address ('video-' / 'interactie')."""
    import re

    import pypdf

    lines = []
    for page in pypdf.PdfReader(str(path)).pages:
        for line in (page.extract_text() or "").splitlines():
            stripped = " ".join(line.split())
            if running:
                stripped = stripped.replace(running, "").strip()
            if re.fullmatch(r"Pagina \d+ van \d+", stripped) or not stripped:
                continue
            lines.append(stripped)
    text = "\n".join(lines)
    text = re.sub(r"(?<=\S[-/])\n(?=\w)", "", text)
    return normalise(text)
