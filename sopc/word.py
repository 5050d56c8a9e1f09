"""Stage 4, render: the view model → a Word document (DOCX), for a schoolgids made in Word.

Built with python-docx from the same `Document` the templates get, never converted
from HTML or PDF, so a school pastes real Word structure into its schoolgids:

- headings as Word's built-in heading styles ("Kop 1" … in a Dutch Word), at the same
  levels as the HTML's h1–h6, with a bookmark per section for the table of contents
  and for '#anker' links in texts;
- tables as Word tables: the caption above in the Caption style, the header row marked
  to repeat on every page, row headers in bold, a cell spanning rows merged;
- lists (the school's and those inside its Markdown texts) as Word lists, numbered
  lists restarting where the text restarts them;
- the availability marks and the legend as text ('● ja', '● Op school: …'), never as
  colour alone;
- the full version's table of contents as a Word TOC field that already holds the
  entries (linked to their headings), so it reads right before Word updates it and
  gets page numbers when it does;
- document properties: title, subject, language nl-NL (also the language of every
  style, so Word checks the spelling in Dutch); A4 pages with page numbers.

One writer per block kind (`_BLOCK_WRITERS`), mirroring the HTML theme's block
templates; tests/test_word.py checks that headings and table cells equal the HTML's.
User templates (--templates) shape HTML, PDF and Markdown only.

Reproducible: no date in the document properties and a fixed time on every part of
the ZIP, so the same input gives the same bytes. python-docx (and its lxml) is
imported only when a DOCX is asked for (~70 ms).
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sopc import textformat, urls
from sopc.bounds import check_time
from sopc.view import (
    AvailabilityBlock,
    BasicSupportBlock,
    Block,
    BoundariesBlock,
    CareerBlock,
    ClusterCountsBlock,
    ClustersBlock,
    ClustersSummaryBlock,
    Document,
    DocumentsBlock,
    Fact,
    GlossaryBlock,
    HomeBlock,
    InspectionBlock,
    LegendBlock,
    LegendColumn,
    LevelsBlock,
    LevelsOverviewBlock,
    ListBlock,
    ListItem,
    MoreInformationBlock,
    OfferBlock,
    OfferSummaryBlock,
    OutflowBlock,
    PupilInputBlock,
    ReferralsBlock,
    SchoolDataBlock,
    Section,
    StatusBlock,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

MAX_HEADING = 6  # as the HTML: h1–h6
# The ZIP entries' time: the earliest a ZIP can hold, so no build time leaks in.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_BOOKMARK_NAME = re.compile(r"[^A-Za-z0-9_]")
_MONOSPACE = "Courier New"
_FONT = "Arial"
_TEXT_WIDTH_CM = 21.0 - 2 * 2.2  # A4 less the margins
_BULLETS = ("•", "◦", "▪")
_BULLET_LIST = 1  # the numbering instance of every bullet list (sopc's own definition)


def _clean(text: Any) -> str:
    """Every text the writer puts in the document: without the characters no output
    carries (sopc.urls.INVISIBLE_IN_OUTPUT)."""
    return urls.visible("" if text is None else str(text))


def docx_bytes(document: Document) -> bytes:
    """The document as a DOCX file."""
    return _WordWriter(document).write()


class _WordWriter:
    def __init__(self, document: Document) -> None:
        import docx

        self.view = document
        self.word: WordDocument = docx.Document()
        self._anchors = document.anchors()  # what a '#anker' link in a text may lead to
        self._bookmarks: dict[str, str] = {}  # section anchor → bookmark name
        self._style_ids: dict[str, str] = {}  # style name → its id
        self._next_bookmark_id = 0
        self._ordered_lists = 0
        self._prepare()

    # -- the document as a whole ---------------------------------------------------------

    def write(self) -> bytes:
        view = self.view
        self._front()
        if view.profile == "volledig":
            self._table_of_contents(view.sections)
        if view.introduction:
            self._markdown(view.introduction)
        for part in view.parts:
            self._part(part, 2)
        self._footer_text()
        return self._save()

    def _prepare(self) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, RGBColor

        view = self.view
        properties = self.word.core_properties
        properties.title = _clean(f"{view.title} – {view.school_name} ({view.school_year})")
        properties.subject = _clean(f"{view.title}, schooljaar {view.school_year}")
        properties.author = _clean(view.school_name)
        properties.keywords = _clean(f"{view.school_code}; {view.swv_name}")
        properties.language = "nl-NL"
        properties.comments = "Gemaakt met sopc"
        properties.last_modified_by = "sopc"
        properties.revision = 1
        section = self.word.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm((21.0 - _TEXT_WIDTH_CM) / 2))
        self._set_language()
        self._set_fonts()
        self._numbering()
        if view.accent_colour:
            colour = RGBColor.from_string(view.accent_colour.lstrip("#").upper())
            for level in range(1, MAX_HEADING + 1):
                self.word.styles[f"Heading {level}"].font.color.rgb = colour
        self._page_numbers()

    def _set_language(self) -> None:
        """nl-NL as the language of every text (docDefaults), so Word checks Dutch."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        styles = self.word.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles.insert(0, defaults)
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is None:
            run_defaults = OxmlElement("w:rPrDefault")
            defaults.insert(0, run_defaults)
        properties = run_defaults.find(qn("w:rPr"))
        if properties is None:
            properties = OxmlElement("w:rPr")
            run_defaults.append(properties)
        language = properties.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            properties.append(language)
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            language.set(qn(attribute), "nl-NL")

    def _set_fonts(self) -> None:
        """One sans-serif font for text and headings, as the HTML (the template's theme
        fonts would give a serif body); Arial is on every machine that runs Word."""
        from docx.oxml.ns import qn
        from docx.shared import Pt

        for name in ("Normal", "Title", "Subtitle", "Caption", "Quote", "TOC Heading",
                     *(f"Heading {level}" for level in range(1, MAX_HEADING + 1))):
            style = self.word.styles[name]
            style.font.name = _FONT
            fonts = style.element.rPr.rFonts
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attribute), None)
            fonts.set(qn("w:cs"), _FONT)
        self.word.styles["Normal"].font.size = Pt(10.5)

    def _numbering(self) -> None:
        """sopc's own list definitions: bullets and numbers, nine levels each (the
        template's single-level lists cannot nest)."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        numbering = self.word.part.numbering_part.element
        for child in list(numbering):
            numbering.remove(child)
        levels_bullet = "".join(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="{_BULLETS[level % 3]}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{360 * (level + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            for level in range(9))
        levels_number = "".join(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            f'<w:lvlText w:val="%{level + 1}."/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{360 * (level + 1) + 60}" w:hanging="420"/></w:pPr>'
            f'</w:lvl>' for level in range(9))
        numbering.append(parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="1">'
            f'<w:multiLevelType w:val="multilevel"/>{levels_bullet}</w:abstractNum>'))
        numbering.append(parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="2">'
            f'<w:multiLevelType w:val="multilevel"/>{levels_number}</w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{_BULLET_LIST}">'
                                   f'<w:abstractNumId w:val="1"/></w:num>'))

    def _new_numbered_list(self, start: int) -> int:
        """A numbering instance of its own: each numbered list starts at its `start`."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        self._ordered_lists += 1
        number_id = _BULLET_LIST + self._ordered_lists
        self.word.part.numbering_part.element.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{number_id}"><w:abstractNumId w:val="2"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            f'</w:num>'))
        return number_id

    def _page_numbers(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        footer = self.word.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run(_clean(f"{self.view.school_name} · pagina "))
        _field(footer, "PAGE", "1")

    def _save(self) -> bytes:
        """The DOCX with no time in it: document dates removed, every ZIP entry at one
        fixed time, and no thumbnail of the empty template."""
        from docx.opc.constants import RELATIONSHIP_TYPE

        package = self.word.part.package
        for relation_id, relation in list(package.rels.items()):
            if relation.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                package.rels.pop(relation_id)
        core = self.word.core_properties._element
        for element in list(core):
            if element.tag.endswith(("}created", "}modified", "}lastPrinted")):
                core.remove(element)
        built = io.BytesIO()
        self.word.save(built)
        fixed = io.BytesIO()
        with zipfile.ZipFile(built) as source, \
                zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
            for entry in source.infolist():
                info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                target.writestr(info, source.read(entry.filename))
        return fixed.getvalue()

    # -- title page, table of contents, footer -------------------------------------------

    def _front(self) -> None:
        view = self.view
        if view.logo:
            self._logo(view.logo)
        if view.concept:
            paragraph = self._add_paragraph()
            run = paragraph.add_run("CONCEPT")
            run.bold = True
            paragraph.add_run(" – hierin staan nog voorbeeldteksten van ")
            _code_run(paragraph, "sopc new")
            paragraph.add_run("; niet publiceren.")
        if view.notice:
            paragraph = self._add_paragraph()
            paragraph.add_run("Let op:").bold = True
            paragraph.add_run(" " + view.notice)
        if view.profile == "schoolgids":
            self._heading(1, view.title)
            line = self._add_paragraph(style="Subtitle")
            line.add_run(_clean(f"{view.school_name} · Schooljaar {view.school_year} · "
                                f"{view.swv_name}"))
            return
        self._add_paragraph(_clean(view.title), style="Subtitle")
        # the code identifies the school in the SWV's full SOP; parents need only the name
        self._heading(1, view.school_name if view.profile != "volledig"
                      else f"{view.school_name} ({view.school_code})")
        self._add_paragraph(_clean(f"Schooljaar {view.school_year} · {view.swv_name}"))
        self._facts(view.facts)

    def _logo(self, data_uri: str) -> None:
        """A PNG or JPEG logo with its alt text. An SVG logo stays out: Word shows SVG
        only beside a PNG copy, which sopc cannot draw (docs/word.md)."""
        from docx.shared import Cm

        header, _, encoded = data_uri.partition(",")
        if not header.startswith(("data:image/png", "data:image/jpeg")):
            return
        picture = self._add_paragraph().add_run().add_picture(
            io.BytesIO(base64.b64decode(encoded)), height=Cm(2))
        description = _clean(f"Logo van {self.view.swv_name}")
        properties = picture._inline.docPr
        properties.set("descr", description)
        properties.set("title", description)

    def _facts(self, facts: Sequence[Fact]) -> None:
        for index, fact in enumerate(facts):
            paragraph = self._add_paragraph()
            paragraph.paragraph_format.keep_with_next = index < len(facts) - 1
            paragraph.add_run(_clean(fact.label) + ": ").bold = True
            self._address(paragraph, fact.value, fact.link)

    def _address(self, paragraph: Paragraph, shown: str, address: str | None) -> None:
        """`shown`, linked to `address` when the URL policy allows it."""
        target = urls.address_link(address) if address else None
        if target:
            self._hyperlink(paragraph, target, [(_clean(shown), {})])
        else:
            paragraph.add_run(_clean(shown))

    def _table_of_contents(self, sections: Sequence[Section]) -> None:
        """A TOC field holding the entries as they are now (linked to their headings):
        right at once, and Word adds page numbers when it updates the field."""
        from docx.shared import Cm

        self._add_paragraph("Inhoudsopgave", style="TOC Heading")
        entries = list(_walk_sections(sections))
        for index, section in enumerate(entries):
            paragraph = self._add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(0.6 * (section.level - 1))
            paragraph.paragraph_format.space_after = Cm(0)
            if index == 0:
                _field_begin(paragraph, 'TOC \\o "2-4" \\h \\z \\u')
            self._hyperlink(paragraph, "#" + section.anchor,
                            [(_clean(section.heading), {})])
            if index == len(entries) - 1:
                _field_end(paragraph)

    def _footer_text(self) -> None:
        view = self.view
        paragraph = self._add_paragraph()
        paragraph.add_run(_clean(f"{view.title} van {view.school_name}, schooljaar "
                                 f"{view.school_year}."))
        if view.website and view.profile != "volledig":
            paragraph.add_run(" Meer informatie: ")
            self._address(paragraph, view.website, view.website)
            paragraph.add_run(".")
        if view.footer:
            self._add_paragraph(_clean(view.footer))

    # -- sections and blocks -------------------------------------------------------------

    def _part(self, part: Section | Block, level: int) -> None:
        check_time()
        if isinstance(part, Section):
            self._heading(part.level + 1, part.heading, part.anchor)
            for child in part.parts:
                self._part(child, part.level + 2)
            return
        if part.title:
            self._heading(level, part.title)
        writer = _BLOCK_WRITERS.get(part.kind)
        if writer is None:  # a kind without a Word writer is a bug in sopc
            raise LookupError(f"no Word writer for block kind {part.kind!r}")
        if not isinstance(part.data, str) and part.data.introduction:
            self._markdown(part.data.introduction)  # every block's first words
        writer(self, part.data, part, level)

    def _heading(self, level: int, text: str, anchor: str | None = None) -> Paragraph:
        paragraph = self._add_paragraph(style=f"Heading {min(level, MAX_HEADING)}")
        if anchor:
            self._bookmark(paragraph, anchor)
        paragraph.add_run(_clean(text))
        return paragraph

    def _bookmark(self, paragraph: Paragraph, anchor: str) -> None:
        """A bookmark (Word's anchor) on the heading: letters, digits and '_', at most
        40 characters, unique in the document."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        name = self._bookmark_name(anchor)
        self._next_bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._next_bookmark_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._next_bookmark_id))
        paragraph._p.append(start)
        paragraph._p.append(end)

    def _bookmark_name(self, anchor: str) -> str:
        if anchor not in self._bookmarks:
            base = "s_" + _BOOKMARK_NAME.sub("_", anchor)[:36]
            name, number = base, 1
            while name in self._bookmarks.values():
                number += 1
                name = f"{base[:36]}_{number}"
            self._bookmarks[anchor] = name
        return self._bookmarks[anchor]

    def _add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """A paragraph at the end of the body. Its style is set by id: python-docx's
        lookup by name scans every style, 1.7 ms a paragraph (half the writer's time)."""
        paragraph = self.word.add_paragraph(text)
        if style:
            if style not in self._style_ids:
                self._style_ids[style] = self.word.styles[style].style_id
            paragraph._p.style = self._style_ids[style]
        return paragraph

    def _paragraph(self, text: str | None) -> None:
        if text:
            self._add_paragraph(_clean(text))

    def _label(self, text: str) -> None:
        """A list's heading line ('Ondersteuningsteam:'), kept with the list below it."""
        paragraph = self._add_paragraph()
        paragraph.add_run(_clean(text)).bold = True
        paragraph.paragraph_format.keep_with_next = True

    def _items(self, items: Sequence[ListItem], depth: int = 0) -> None:
        """The school's own points (Markdown inline), as a Word bullet list."""
        for item in items:
            paragraph = self._list_paragraph(_BULLET_LIST, depth)
            self._inline_markdown(paragraph, item.text)
            if item.sub:
                self._items(item.sub, depth + 1)

    def _plain_items(self, names: Sequence[str]) -> None:
        for name in names:
            self._list_paragraph(_BULLET_LIST, 0).add_run(_clean(name))

    def _list_paragraph(self, number_id: int, depth: int) -> Paragraph:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self._add_paragraph(style="List Paragraph")
        properties = paragraph._p.get_or_add_pPr()
        numbering = OxmlElement("w:numPr")
        level = OxmlElement("w:ilvl")
        level.set(qn("w:val"), str(min(depth, 8)))
        number = OxmlElement("w:numId")
        number.set(qn("w:val"), str(number_id))
        numbering.append(level)
        numbering.append(number)
        properties.append(numbering)
        return paragraph

    def _table(self, caption: str | None, header: Sequence[str], rows: Sequence[Sequence[Any]],
               *, row_headers: bool = True) -> None:
        """A Word table: the caption above it, the header row repeated on every page.

        A cell is text; ('md', text) a Markdown text field; ('inline', nodes) a cell of
        a Markdown table (sopc.textformat.text_tree); ('span', text, n) a cell spanning
        n columns; None a cell under one spanning rows (merged with it)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if caption:
            paragraph = self._add_paragraph(_clean(caption), style="Caption")
            paragraph.paragraph_format.keep_with_next = True
        width = len(header)
        table = self.word.add_table(rows=1 + len(rows), cols=width)
        table.style = "Table Grid"
        table.autofit = False
        for column, column_width in zip(table.columns, _column_widths(width, row_headers),
                                        strict=True):
            column.width = column_width  # the grid, which LibreOffice follows
            for cell in column.cells:  # and each cell, which Word follows
                cell.width = column_width
        for index, row in enumerate(table.rows):
            row_properties = row._tr.get_or_add_trPr()
            # a row never splits over two pages; the header row repeats on each page
            for tag in ("w:cantSplit", "w:tblHeader")[:1 if index else 2]:
                flag = OxmlElement(tag)
                flag.set(qn("w:val"), "true")
                row_properties.append(flag)
        header_row = table.rows[0]
        for cell, text in zip(header_row.cells, header, strict=True):
            cell.paragraphs[0].add_run(_clean(text)).bold = True
            _shade(cell)
        for row, values in zip(table.rows[1:], rows, strict=True):
            check_time()
            column = 0
            for value in values:
                cell = row.cells[column]
                if isinstance(value, tuple) and value[0] == "span":
                    cell = cell.merge(row.cells[column + value[2] - 1])
                    cell.paragraphs[0].add_run(_clean(value[1]))
                    column += value[2]
                    continue
                if value is None:  # covered by the cell above: merge downwards
                    above = table.cell(_row_index(table, row) - 1, column)
                    above.merge(cell)
                elif isinstance(value, tuple) and value[0] == "md":
                    self._inline_markdown(cell.paragraphs[0], value[1])
                elif isinstance(value, tuple) and value[0] == "inline":
                    self._inline(cell.paragraphs[0], value[1], {})
                else:
                    run = cell.paragraphs[0].add_run(_clean(value))
                    run.bold = row_headers and column == 0
                column += 1
        self._add_paragraph()  # Word joins two tables that touch

    # -- Markdown text fields (as sopc.textformat.text_tree reads them) --------------

    def _tree(self, text: str) -> list[Any]:
        return textformat.text_tree(text, self._anchors)

    def _markdown(self, text: str) -> None:
        """A Markdown text field as Word paragraphs, lists, quotes and tables."""
        self._markdown_blocks(self._tree(text), style=None)

    def _markdown_blocks(self, blocks: Sequence[Any], *, style: str | None,
                         depth: int = -1, marker: int | None = None) -> None:
        """Blocks of a text. Inside a list item `depth` is the list's level (-1 outside
        a list) and `marker` the numbering its first paragraph carries."""
        for block in blocks:
            check_time()
            kind = block["t"]
            if kind in ("p", "h"):
                if kind == "h":
                    paragraph = self._add_paragraph(
                        style=f"Heading {min(block['level'], MAX_HEADING)}")
                elif marker is not None:
                    paragraph = self._list_paragraph(marker, depth)
                    marker = None  # a second paragraph of an item has no marker
                elif depth >= 0:  # a later paragraph of a list item: under its text
                    paragraph = self._add_paragraph(style="List Paragraph")
                    paragraph.paragraph_format.left_indent = _list_indent(depth)
                else:
                    paragraph = self._add_paragraph(style=style)
                self._inline(paragraph, block["c"])
            elif kind in ("ul", "ol"):
                number_id = _BULLET_LIST if kind == "ul" else \
                    self._new_numbered_list(block["start"])
                for item in block["items"]:
                    self._markdown_blocks(item, style=style, depth=depth + 1,
                                          marker=number_id)
            elif kind == "quote":
                self._markdown_blocks(block["c"], style="Quote", depth=depth)
            elif kind == "code":
                for line in block["text"].split("\n"):
                    paragraph = self._add_paragraph(style=style)
                    paragraph.paragraph_format.space_after = 0
                    _code_run(paragraph, line)
            elif kind == "hr":
                _rule(self._add_paragraph())
            elif kind == "table":
                self._table(None, [_plain(cell) for cell in block["head"]],
                            [[("inline", cell) for cell in row] for row in block["rows"]],
                            row_headers=False)

    def _inline_markdown(self, paragraph: Paragraph, text: str | None) -> None:
        """A Markdown text field's inline content in one paragraph (a list item, a cell):
        its blocks' inline content, a space between them."""
        if text:
            self._inline(paragraph, _flat(self._tree(text)))

    def _inline(self, paragraph: Paragraph, nodes: Sequence[Any],
                formatting: dict[str, bool] | None = None) -> None:
        formatting = formatting or {}
        for node in nodes:
            if isinstance(node, str):
                _styled_run(paragraph, node, formatting)
            elif node["t"] in ("strong", "em", "s"):
                self._inline(paragraph, node["c"], {**formatting, node["t"]: True})
            elif node["t"] == "code":
                _styled_run(paragraph, node["text"], {**formatting, "code": True})
            elif node["t"] == "br":
                paragraph.add_run().add_break()
            elif node["t"] == "link":
                self._hyperlink(paragraph, node["href"], _pieces(node["c"], formatting))

    def _hyperlink(self, paragraph: Paragraph,
                   target: str, pieces: Sequence[tuple[str, dict[str, bool]]]) -> None:
        """A link around `pieces` (text, formatting): external by relationship, or
        '#anker' to a section's bookmark."""
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        link = OxmlElement("w:hyperlink")
        if target.startswith("#"):
            anchor = target[1:]
            link.set(qn("w:anchor"), self._bookmark_name(anchor))
        else:
            relation = self.word.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK,
                                                is_external=True)
            link.set(qn("r:id"), relation)
        for text, run_format in pieces:
            run = _styled_run(paragraph, text, run_format)
            run.font.underline = True
            run.font.color.rgb = _link_colour()
            link.append(run._r)
        paragraph._p.append(link)

    # -- one writer per block kind (as templates/standaard/blokken/<kind>.html.j2) ----

    def _text(self, d: str, block: Block, level: int) -> None:
        self._markdown(d)

    def _school_data(self, d: SchoolDataBlock, block: Block, level: int) -> None:
        self._table(block.title or "Algemene gegevens", ["Gegeven", "Antwoord"], d.rows)

    def _legend(self, d: LegendBlock, block: Block, level: int) -> None:
        for column in d.columns:
            paragraph = self._add_paragraph()
            paragraph.add_run(_clean(f"{column.symbol} {column.label}")).bold = True
            paragraph.add_run(_clean(f": {column.explanation}"))

    def _availability(self, d: AvailabilityBlock, block: Block, level: int) -> None:
        header = [f"{column.symbol} {column.label}" for column in d.columns]
        for column_header, rows, suffix in ((d.catalogue.column_header, d.rows, ""),
                                            (d.catalogue.other_header, d.other,
                                             ": anders, namelijk")):
            if not rows:
                continue
            self._table(d.catalogue.title + suffix, [column_header, *header],
                        [[row.name, ("span", "nog in te vullen", len(d.columns))]
                         if row.to_fill_in else [row.name, *_marks(d.columns, row.marks)]
                         for row in rows])
        if d.note:
            self._markdown(d.note)

    def _list(self, d: ListBlock, block: Block, level: int) -> None:
        for header, names, suffix in ((d.catalogue.column_header, d.items, ""),
                                      (d.catalogue.other_header, d.other, ": anders, namelijk")):
            if names:
                self._table(d.catalogue.title + suffix, [header], [[name] for name in names],
                            row_headers=False)
        if d.note:
            self._markdown(d.note)

    def _status(self, d: StatusBlock, block: Block, level: int) -> None:
        self._table(d.catalogue.title,
                    [d.catalogue.column_header, d.catalogue.answer_header or "Antwoord"],
                    [*d.rows, *d.other])
        if d.note:
            self._markdown(d.note)

    def _clusters(self, d: ClustersBlock, block: Block, level: int) -> None:
        for cluster in d.clusters:
            self._heading(level, f"{cluster.number}. {cluster.title}")
            for label, items in (("Aanpakken die de school ter beschikking heeft:",
                                  cluster.approaches),
                                 ("In ontwikkeling:", cluster.in_development),
                                 ("Ambitie:", cluster.ambition)):
                if items:
                    self._label(label)
                    self._items(items)

    def _offer_summary(self, d: OfferSummaryBlock, block: Block, level: int) -> None:
        for column in d.columns:
            self._label(column.label)
            self._plain_items(column.names)

    def _clusters_summary(self, d: ClustersSummaryBlock, block: Block, level: int) -> None:
        for cluster in d.clusters:
            count = f"{cluster.approaches} {'aanpak' if cluster.approaches == 1 else 'aanpakken'}"
            if cluster.in_development:
                count += f", {cluster.in_development} in ontwikkeling"
            self._list_paragraph(_BULLET_LIST, 0).add_run(_clean(f"{cluster.name} ({count})"))

    def _levels_overview(self, d: LevelsOverviewBlock, block: Block, level: int) -> None:
        self._plain_items(d.items)

    def _levels(self, d: LevelsBlock, block: Block, level: int) -> None:
        for support_level in d.levels:
            self._heading(level, support_level.title)
            if support_level.description:
                self._markdown(support_level.description)
            if support_level.team:
                self._label("Ondersteuningsteam:")
                self._plain_items(support_level.team)

    def _boundaries(self, d: BoundariesBlock, block: Block, level: int) -> None:
        self._items(d.items)
        if d.note:
            self._markdown(d.note)

    def _documents(self, d: DocumentsBlock, block: Block, level: int) -> None:
        for group in d.groups:
            self._label(f"{group.location}:")
            self._plain_items(group.titles)

    def _glossary(self, d: GlossaryBlock, block: Block, level: int) -> None:
        self._table(d.title, [d.column_header, "Definitie"],
                    [[entry.term, ("md", entry.definition)] for entry in d.entries])

    def _inspection(self, d: InspectionBlock, block: Block, level: int) -> None:
        if d.date:
            self._paragraph(f"Op {d.date} vond het laatste kwaliteitsonderzoek van de "
                            "inspectie plaats.")
        if d.report:
            paragraph = self._add_paragraph(
                "Het inspectierapport van onze school is te vinden via deze link: ")
            self._address(paragraph, d.report, d.report)
        if d.verdict:
            self._paragraph(f"De Inspectie heeft onze school beoordeeld met de waardering "
                            f"{d.verdict}.")

    def _cluster_counts(self, d: ClusterCountsBlock, block: Block, level: int) -> None:
        caption = (f"Geboden extra ondersteuning schooljaar {d.school_year} op basis van de "
                   "verschillende clusters van onderwijsbehoeften.")
        if d.total:
            caption += (f" Uitgedrukt in totaal aantal leerlingen van de {d.total} lln voor "
                        f"{d.school_year}")
        self._table(caption, ["Onderwijsbehoeften", "Aantal leerlingen"],
                    [[f"{number}. {row.label}", _amount(row.amount)]
                     for number, row in enumerate(d.rows, 1)])

    def _referrals(self, d: ReferralsBlock, block: Block, level: int) -> None:
        self._table(f"In schooljaar {d.school_year} zijn er in totaal:",
                    ["Omschrijving", "Aantal leerlingen"],
                    [[line.label, _amount(line.amount)] for line in d.lines])

    def _career(self, d: CareerBlock, block: Block, level: int) -> None:
        self._table("Schoolloopbaan: verlengingen en versnellingen",
                    ["Schoolloopbaan", "Verlengingen aantal", "Versnellingen aantal"],
                    [[row.stage, _amount(row.extensions), _amount(row.accelerations)]
                     for row in d.rows])

    def _outflow(self, d: OutflowBlock, block: Block, level: int) -> None:
        self._table("Uitstroom naar het voortgezet onderwijs per schooljaar",
                    ["Richting", *d.years], [[row.track, *row.cells] for row in d.rows])

    def _home(self, d: HomeBlock, block: Block, level: int) -> None:
        rows: list[list[Any]] = []
        for factor in d.factors:
            name = factor.factor + (f" (Bron {factor.source})" if factor.source else "")
            for index, (category, value) in enumerate(factor.values):
                rows.append([name if index == 0 else None, category, value])
        self._table("Opvoedsituatie thuis", ["Factor", "Categorie", "Aantal / %"], rows)
        if d.source_note:
            self._paragraph(d.source_note)

    def _basic_support(self, d: BasicSupportBlock, block: Block, level: int) -> None:
        sub = level + 1 if block.title else level
        if d.swv_text:
            self._heading(sub, f"Wat alle scholen van {d.swv_name} bieden")
            self._markdown(d.swv_text)
        if d.school_text:
            self._heading(sub, "Wat onze school daaraan toevoegt")
            self._markdown(d.school_text)

    def _offer(self, d: OfferBlock, block: Block, level: int) -> None:
        """'extra-ondersteuning': per theme, each group as a labelled list."""
        sub = level + 1 if block.title else level
        for theme in d.themes:
            self._heading(sub, theme.title)
            self._paragraph(theme.explanation)
            for group in theme.groups:
                if group.label:
                    self._label(f"{group.label}:")
                self._items(group.items)

    def _offer_for_parents(self, d: OfferBlock, block: Block, level: int) -> None:
        """'aanbod-voor-ouders': a labelled group as one sentence, the parents' version
        stays short."""
        sub = level + 1 if block.title else level
        for theme in d.themes:
            self._heading(sub, theme.title)
            self._paragraph(theme.explanation)
            for group in theme.groups:
                if not group.label:
                    self._items(group.items)
                    continue
                paragraph = self._add_paragraph()
                paragraph.add_run(_clean(group.label) + ":").bold = True
                paragraph.add_run(" ")
                for index, item in enumerate(group.items):
                    self._inline_markdown(paragraph, item.text)
                    remaining = len(group.items) - index
                    paragraph.add_run(", " if remaining > 2 else " en " if remaining == 2
                                      else ".")

    def _pupil_input(self, d: PupilInputBlock, block: Block, level: int) -> None:
        sub = level + 1 if block.title else level
        for title, text in (("Hoe wij leerlingen hebben gevraagd", d.how),
                            ("Wat leerlingen zeiden", d.said),
                            ("Wat wij met hun inbreng doen", d.changed)):
            if text:
                self._heading(sub, title)
                self._markdown(text)

    def _more_information(self, d: MoreInformationBlock, block: Block, level: int) -> None:
        self._facts(d.contact)
        if d.full_document:  # named, not linked: a Word file travels alone (by e-mail)
            self._add_paragraph(_clean("Alles over de ondersteuning op onze school leest "
                                           f"u in: {d.full_document.title}."))
        paragraph = self._add_paragraph(_clean(
            f"Onze school hoort bij {d.swv_reference}: alle scholen in "
            "de regio werken daarin samen, zodat elk kind een passende plek krijgt."))
        if d.swv_website:
            paragraph.add_run(" Meer daarover: ")
            self._address(paragraph, d.swv_website, d.swv_website)
            paragraph.add_run(".")


# (writer, the block's data (its view class), the block, its heading level)
_BlockWriter = Callable[[_WordWriter, Any, Block, int], None]

# Block kind → its writer (the kinds of sopc.blocks; a missing one fails the tests).
_BLOCK_WRITERS: dict[str, _BlockWriter] = {
    "tekst": _WordWriter._text,
    "school-gegevens": _WordWriter._school_data,
    "legenda": _WordWriter._legend,
    "beschikbaarheid": _WordWriter._availability,
    "lijst": _WordWriter._list,
    "status": _WordWriter._status,
    "ja-nee": _WordWriter._status,
    "clusters": _WordWriter._clusters,
    "aanbod-samenvatting": _WordWriter._offer_summary,
    "clusters-samenvatting": _WordWriter._clusters_summary,
    "niveaus-overzicht": _WordWriter._levels_overview,
    "niveaus": _WordWriter._levels,
    "grenzen": _WordWriter._boundaries,
    "documenten": _WordWriter._documents,
    "begrippen": _WordWriter._glossary,
    "inspectie": _WordWriter._inspection,
    "leerlingen-per-cluster": _WordWriter._cluster_counts,
    "verwijzingen": _WordWriter._referrals,
    "schoolloopbaan": _WordWriter._career,
    "uitstroom": _WordWriter._outflow,
    "thuissituatie": _WordWriter._home,
    "basisondersteuning": _WordWriter._basic_support,
    "extra-ondersteuning": _WordWriter._offer,
    "aanbod-voor-ouders": _WordWriter._offer_for_parents,
    "leerlingeninbreng": _WordWriter._pupil_input,
    "meer-informatie": _WordWriter._more_information,
}


# -- helpers on python-docx objects --------------------------------------------------------


def _walk_sections(sections: Sequence[Section]) -> Any:
    for section in sections:
        yield section
        yield from _walk_sections(section.subsections)


def _marks(columns: Sequence[LegendColumn], marks: Sequence[str]) -> list[str]:
    """As the HTML reads aloud: the symbol and 'ja', or '–' and 'nee'."""
    return [f"{column.symbol} ja" if column.id in marks else "– nee" for column in columns]


def _column_widths(columns: int, row_headers: bool) -> list[Any]:
    """A wider first column when it names the rows (the marks beside it are short)."""
    from docx.shared import Cm

    if columns == 1:
        return [Cm(_TEXT_WIDTH_CM)]
    first = 0.45 if row_headers and columns > 2 else 0.35 if row_headers else 1 / columns
    rest = (1 - first) / (columns - 1)
    return [Cm(_TEXT_WIDTH_CM * first)] + [Cm(_TEXT_WIDTH_CM * rest)] * (columns - 1)


def _list_indent(depth: int) -> Any:
    """Where the text of a list item at `depth` starts (as the numbering's levels)."""
    from docx.shared import Twips

    return Twips(360 * (depth + 1))


def _amount(amount: int | None) -> str:
    return "" if amount is None else str(amount)


def _row_index(table: Table, row: Any) -> int:
    return list(table._tbl.tr_lst).index(row._tr)


def _shade(cell: Any) -> None:
    """A light background on a header cell (Word's table styles vary; this does not)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="E7ECF3"/>'))


def _rule(paragraph: Paragraph) -> None:
    """A thematic break ('***' in Markdown): a line under an empty paragraph."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
        f'w:color="auto"/></w:pBdr>'))


def _link_colour() -> Any:
    from docx.shared import RGBColor

    return RGBColor(0x1D, 0x4F, 0x91)


def _code_run(paragraph: Paragraph, text: str) -> Any:
    run = paragraph.add_run(_clean(text))
    run.font.name = _MONOSPACE
    return run


def _styled_run(paragraph: Paragraph, text: str, formatting: dict[str, bool]) -> Any:
    run = paragraph.add_run(_clean(text))
    run.bold = formatting.get("strong") or None
    run.italic = formatting.get("em") or None
    if formatting.get("s"):
        run.font.strike = True
    if formatting.get("code"):
        run.font.name = _MONOSPACE
    return run


def _pieces(nodes: Sequence[Any], formatting: dict[str, bool]
            ) -> list[tuple[str, dict[str, bool]]]:
    """A link's label as (text, formatting) runs (a link holds no link or break)."""
    pieces: list[tuple[str, dict[str, bool]]] = []
    for node in nodes:
        if isinstance(node, str):
            pieces.append((node, formatting))
        elif node["t"] in ("strong", "em", "s"):
            pieces += _pieces(node["c"], {**formatting, node["t"]: True})
        elif node["t"] == "code":
            pieces.append((node["text"], {**formatting, "code": True}))
    return pieces


def _plain(nodes: Sequence[Any]) -> str:
    """The text of inline nodes, without formatting (a Markdown table's header)."""
    return "".join(text for text, _ in _pieces(nodes, {}))


def _flat(blocks: Sequence[Any]) -> list[Any]:
    """The inline content of every block of a text, a space between them (as the HTML
    writes a Markdown field in a list item or table cell)."""
    nodes: list[Any] = []
    for block in blocks:
        kind = block["t"]
        inline: list[Any] = []
        if kind in ("p", "h"):
            inline = block["c"]
        elif kind == "code":
            inline = [{"t": "code", "text": " ".join(block["text"].split())}]
        elif kind in ("ul", "ol"):
            inline = _flat([inner for item in block["items"] for inner in item])
        elif kind == "quote":
            inline = _flat(block["c"])
        if inline:
            if nodes:
                nodes.append(" ")
            nodes += inline
    return nodes


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, …) with the text it shows until Word updates it."""
    _field_begin(paragraph, instruction)
    paragraph.add_run(shown)
    _field_end(paragraph)


def _field_begin(paragraph: Paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        run = OxmlElement("w:r")
        if kind:
            character = OxmlElement("w:fldChar")
            character.set(qn("w:fldCharType"), kind)
            run.append(character)
        else:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {text} "
            run.append(code)
        paragraph._p.append(run)


def _field_end(paragraph: Paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    character = OxmlElement("w:fldChar")
    character.set(qn("w:fldCharType"), "end")
    run.append(character)
    paragraph._p.append(run)
