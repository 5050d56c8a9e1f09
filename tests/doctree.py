"""The section tree and table cells of a built document, from its HTML and its Markdown.

Both are reduced to the same shape: headings as (level, text) and tables as rows of
cell texts, whitespace normalised. An HTML cell spanning rows leaves an empty cell in
the rows below it, which is how the Markdown (which has no row spans) writes it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt


def _normal(text: str) -> str:
    return " ".join(text.split())


class _HtmlTree(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.tables: list[list[list[str]]] = []
        self._text: list[str] | None = None
        self._tag = ""
        self._spans: dict[int, int] = {}  # column → rows still covered by a rowspan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]|th|td", tag):
            self._tag, self._text = tag, []
            if tag in ("th", "td"):
                row = self.tables[-1][-1]
                while self._spans.get(len(row), 0) > 0:  # a cell above spans down here
                    self._spans[len(row)] -= 1
                    row.append("")
                span = int(dict(attrs).get("rowspan") or 1)
                if span > 1:
                    self._spans[len(row)] = span - 1
        elif tag == "table":
            self.tables.append([])
            self._spans = {}
        elif tag == "tr":
            self.tables[-1].append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == self._tag and self._text is not None:
            text = _normal("".join(self._text))
            if tag.startswith("h"):
                self.headings.append((int(tag[1]), text))
            else:
                self.tables[-1][-1].append(text)
            self._text = None
        elif tag == "tr":
            row = self.tables[-1][-1]
            while self._spans.get(len(row), 0) > 0:
                self._spans[len(row)] -= 1
                row.append("")

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def html_tree(html: str) -> tuple[list[tuple[int, str]], list[list[list[str]]]]:
    parser = _HtmlTree()
    parser.feed(html)
    tables = [[row for row in table if row] for table in parser.tables]
    return parser.headings, tables


def markdown_tree(text: str) -> tuple[list[tuple[int, str]], list[list[list[str]]]]:
    """As GitHub and GitLab read it: CommonMark with GFM tables."""
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    headings: list[tuple[int, str]] = []
    tables: list[list[list[str]]] = []
    for index, token in enumerate(tokens):
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        plain = _normal("".join(child.content for child in (inline.children or [])
                                if child.type in ("text", "code_inline", "softbreak"))
                        ) if inline is not None and inline.type == "inline" else ""
        if token.type == "heading_open":
            headings.append((int(token.tag[1]), plain))
        elif token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1].append(plain)
    return headings, tables


def docx_tree(data: bytes) -> tuple[list[tuple[int, str]], list[list[list[str]]]]:
    """The same shape from a DOCX, read back with python-docx: a paragraph in a
    'Heading N' style is an hN; the table of contents' 'TOC Heading' is the HTML's h2
    of its nav (Word keeps it out of the outline); a cell merged with the one above
    (vMerge continue) is empty, as under an HTML rowspan."""
    import io

    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def text(element: object) -> str:
        return _normal(" ".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                                for p in element.iter(qn("w:p"))))  # type: ignore[attr-defined]

    document = Document(io.BytesIO(data))
    headings: list[tuple[int, str]] = []
    tables: list[list[list[str]]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            style = block.style.name if block.style is not None else ""
            if style.startswith("Heading "):
                headings.append((int(style.removeprefix("Heading ")), _normal(block.text)))
            elif style == "TOC Heading":
                headings.append((2, _normal(block.text)))
        elif isinstance(block, Table):
            rows = []
            for row in block._tbl.tr_lst:
                rows.append(["" if cell.vMerge == "continue" else text(cell)
                             for cell in row.tc_lst])
            tables.append([row for row in rows if row])
    return headings, tables
