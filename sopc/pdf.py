"""Stage 4, render: the view model → a tagged PDF (PDF/UA-1) typeset by Typst.

Chosen by measurement (issue 14; figures in benchmarks/): the `typst` wheel compiles a
25-page SOP in about 0.15 s as a whole process and writes PDF/UA-1 (a structure tree
with headings, tables with header cells, lists, language, title, bookmarks, embedded
fonts), where WeasyPrint took about 2 s (0.7 s of it importing) for an untagged PDF.

How: the document goes to Typst as *data*, never as markup. `document_data` turns the
view model into JSON (every Markdown field as a small syntax tree, see `_markdown`);
the theme's Typst files (templates/standaard/typst/: `basis.typ` with the shared
functions, one `blokken/<kind>.typ` per block kind, `document.typ` last) read it with
`json(bytes(sys.inputs.data))` and lay it out. A string in Typst data is only ever
text, so no school text can become Typst code: there is no escaping to get wrong.

Typst sees one folder only: a fresh temporary one holding at most the logo. It loads
no packages, fonts come from the system and Typst's own, and the PDF carries no date
(the same input gives the same bytes).
"""

from __future__ import annotations

import base64
import json
import tempfile
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sopc import blocks, textformat, urls
from sopc.bounds import DocumentTooLarge, time_bound
from sopc.diagnostics import dutch_number
from sopc.theme import builtin_template_dir
from sopc.view import Block, Document, Fact, Section

if TYPE_CHECKING:
    pass

PDF_SECONDS = 25.0  # the backstop; Typst lays out a 40-page SOP in well under a second
MAX_PDF_CHARS = 1_500_000  # of text in the data: beyond any SOP (the largest is ~60,000)
_LOGO_NAMES = {"image/png": "logo.png", "image/jpeg": "logo.jpg", "image/svg+xml": "logo.svg"}
# Fields that hold an address the reader may follow (the URL policy decides the link).
_ADDRESS_FIELDS = frozenset({"report", "swv_website"})


class PdfUnavailable(RuntimeError):
    """The typst package is missing (it comes with sopc; a broken install)."""


def pdf_available() -> str | None:
    """None when PDF output works here, else a Dutch explanation of what is missing."""
    try:
        import typst  # noqa: F401
    except ImportError:
        return "PDF maken vraagt het pakket 'typst'; installeer sopc opnieuw"
    return None


def pdf_bytes(document: Document) -> bytes:
    """The PDF/UA-1 of a document (DocumentTooLarge, OutOfTime when too heavy)."""
    problem = pdf_available()
    if problem:
        raise PdfUnavailable(problem)
    import typst

    data = document_data(document)
    with tempfile.TemporaryDirectory(prefix="sopc-pdf-") as folder, \
            time_bound(PDF_SECONDS, "pdf"):
        root = Path(folder)
        if document.logo:
            data["logo"] = _write_logo(document.logo, root)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_PDF_CHARS:
            raise DocumentTooLarge(
                f"het document is te groot voor een PDF: {dutch_number(len(text))} tekens "
                f"(grens {dutch_number(MAX_PDF_CHARS)}); maak teksten korter, of bouw "
                "alleen HTML")
        # (typst's stubs tie `input` and `root` to one type; bytes and a path work)
        pdf = typst.compile(  # type: ignore[type-var]
            theme_source(), root=str(root), font_paths=[], sys_inputs={"data": text},
            pdf_standards=["ua-1"], package_path=str(root), package_cache_path=str(root))
    assert isinstance(pdf, bytes)
    return pdf


def image_problem(data: bytes, media_type: str) -> str | None:
    """None when the PDF's engine can show this image; else it is damaged. Checked when a
    logo is loaded (sopc.layers), so a file that only looks like a PNG is reported at
    its line instead of failing every school's PDF."""
    import typst

    name = _LOGO_NAMES[media_type]
    with tempfile.TemporaryDirectory(prefix="sopc-logo-") as folder:
        (Path(folder) / name).write_bytes(data)
        try:
            typst.compile(  # type: ignore[type-var]
                f'#image("{name}")'.encode(), root=folder, font_paths=[],
                package_path=folder, package_cache_path=folder)
        except typst.TypstError:
            return "de afbeelding is beschadigd of kan niet worden gelezen"
    return None


def _write_logo(data_uri: str, root: Path) -> str | None:
    """The logo (a data: URI, checked when its SWV layer was loaded) as the one file
    Typst may read; its name, or None for a kind Typst cannot show."""
    header, _, encoded = data_uri.partition(",")
    name = _LOGO_NAMES.get(header.removeprefix("data:").split(";")[0])
    if name is not None:
        (root / name).write_bytes(base64.b64decode(encoded))
    return name


@lru_cache(maxsize=1)
def theme_source() -> bytes:
    """The built-in theme's Typst files as one source: the shared functions, one file per
    block kind, a table from kind to function, and the document last."""
    folder = builtin_template_dir() / "typst"
    kinds = ["tekst", *blocks.KINDS]
    parts = [(folder / "basis.typ").read_text(encoding="utf-8")]
    parts += [(folder / "blokken" / f"{kind}.typ").read_text(encoding="utf-8")
              for kind in kinds]
    parts.append("#let blok-per-soort = (\n" + "".join(
        f'  "{kind}": blok-{kind},\n' for kind in kinds) + ")\n")
    parts.append((folder / "document.typ").read_text(encoding="utf-8"))
    return "\n".join(parts).encode("utf-8")


# ----------------------------------------------------------------------------------------
# The view model as data
# ----------------------------------------------------------------------------------------


def document_data(document: Document) -> dict[str, Any]:
    """The document as JSON data for the Typst theme: every view class as an object of
    its fields, every Markdown field (annotated `Markdown` in sopc.view) as a tree."""
    converter = _Converter(document.anchors())
    return {
        "title": _clean(document.title),
        "school_name": _clean(document.school_name),
        "school_code": _clean(document.school_code),
        "school_year": _clean(document.school_year),
        "swv_name": _clean(document.swv_name),
        "profile": document.profile,
        "introduction": converter.markdown(document.introduction),
        "website": converter.address(document.website),
        "website_text": _clean(document.website),
        "accent": document.accent_colour or "#1d4f91",
        "footer": _clean(document.footer),
        "place": _clean(document.place),
        "concept": document.concept,
        "notice": _clean(document.notice),
        "logo": None,
        "facts": [converter.fact(fact) for fact in document.facts],
        "parts": [converter.part(part) for part in document.parts],
    }


@cache
def _markdown_fields(view_class: type) -> frozenset[str]:
    """The fields a view class annotates as `Markdown` (sopc.view)."""
    hints = getattr(view_class, "__annotations__", {})
    return frozenset(name for name, hint in hints.items()
                     if str(getattr(hint, "__forward_arg__", hint)).startswith("Markdown"))


def _clean(text: Any) -> Any:
    """Text without the characters no output carries (sopc.urls.INVISIBLE_IN_OUTPUT)."""
    return urls.visible(text) if isinstance(text, str) else text


class _Converter:
    def __init__(self, anchors: frozenset[str]) -> None:
        self.anchors = anchors

    def part(self, part: Section | Block) -> dict[str, Any]:
        if isinstance(part, Section):
            return {"section": True, "anchor": part.anchor, "heading": _clean(part.heading),
                    "level": part.level, "parts": [self.part(child) for child in part.parts]}
        data = self.markdown(part.data) if isinstance(part.data, str) else self.value(part.data)
        return {"section": False, "kind": part.kind, "title": _clean(part.title), "data": data}

    def fact(self, fact: Any) -> dict[str, Any]:
        return {"label": _clean(fact.label), "value": _clean(fact.value),
                "link": self.address(fact.link)}

    def value(self, value: Any, annotation: str = "", name: str = "") -> Any:
        if name in _ADDRESS_FIELDS and isinstance(value, str):
            return {"text": _clean(value), "link": self.address(value)}
        if isinstance(value, Fact):
            return self.fact(value)
        if isinstance(value, str):
            return self.markdown(value) if annotation.startswith("Markdown") else _clean(value)
        if isinstance(value, tuple) and hasattr(value, "_fields"):  # a view class
            markdown = _markdown_fields(type(value))
            return {field: self.value(getattr(value, field),
                                      "Markdown" if field in markdown else "", field)
                    for field in value._fields}
        if isinstance(value, (tuple, list)):
            return [self.value(item, annotation) for item in value]
        return value

    def address(self, url: str | None) -> str | None:
        """An address field's link target, when the URL policy allows it."""
        return urls.address_link(url) if url else None

    def markdown(self, text: str | None) -> list[Any] | None:
        """A Markdown field as a tree of blocks (sopc.textformat.text_tree)."""
        return None if text is None else textformat.text_tree(text, self.anchors)
