"""PDF through WeasyPrint: the document's HTML with the print style, laid out safely.

WeasyPrint (the extra sopc[pdf]) is imported only when a PDF is asked for. It loads
nothing but in-memory images: no network, no files, no attachments. A document whose
layout would take minutes is refused before layout starts; a time bound is the backstop.
"""

from __future__ import annotations

import re
from typing import Any

from sopc.bounds import DocumentTooLarge, time_bound
from sopc.diagnostics import dutch_number

# WeasyPrint's layout is the expensive step: ~3 ms per element, more for wide tables
# (20,000 short paragraphs took 57 s, a 100 × 50 table 16 s). Counted before it starts.
MAX_PDF_CHARS = 1_500_000
MAX_PDF_ELEMENTS = 6_000
MAX_PDF_TABLE_CELLS = 2_000
PDF_SECONDS = 25.0  # the backstop for what the counts above do not foresee

_ELEMENT = re.compile(r"<[a-zA-Z]")
_TABLE_CELL = re.compile(r"<t[dh][\s>]")


class PdfUnavailable(RuntimeError):
    """WeasyPrint (the optional extra sopc[pdf]) or its system libraries are missing."""


def pdf_available() -> str | None:
    """None when PDF output works here, else a Dutch explanation of what is missing."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return "PDF maken vraagt WeasyPrint: installeer 'sopc[pdf]'"
    except OSError as error:  # the Pango libraries of the system
        return f"WeasyPrint mist systeembibliotheken (Pango): {error}"
    return None



def html_to_pdf(html: str) -> bytes:
    """The PDF of a document's print HTML (DocumentTooLarge, OutOfTime when too heavy)."""
    problem = pdf_available()
    if problem:
        raise PdfUnavailable(problem)
    check_pdf_size(html)
    with time_bound(PDF_SECONDS, "pdf"):
        return layout_pdf(html)


def check_pdf_size(html: str) -> None:
    """Refuse, before WeasyPrint starts, a document whose layout would take minutes."""
    problems = []
    if len(html) > MAX_PDF_CHARS:
        problems.append(f"{dutch_number(len(html))} tekens (grens {dutch_number(MAX_PDF_CHARS)})")
    elements = len(_ELEMENT.findall(html))
    if elements > MAX_PDF_ELEMENTS:
        problems.append(f"{dutch_number(elements)} HTML-elementen "
                        f"(grens {dutch_number(MAX_PDF_ELEMENTS)})")
    cells = len(_TABLE_CELL.findall(html))
    if cells > MAX_PDF_TABLE_CELLS:
        problems.append(f"{dutch_number(cells)} tabelcellen "
                        f"(grens {dutch_number(MAX_PDF_TABLE_CELLS)})")
    if problems:
        raise DocumentTooLarge(
            "het document is te groot voor een PDF: " + ", ".join(problems)
            + "; maak tabellen en teksten korter, of bouw alleen HTML en Markdown")


def layout_pdf(html: str) -> bytes:
    import weasyprint

    # The fetcher goes to HTML(): WeasyPrint uses the document's fetcher for every
    # resource (images, stylesheets, fonts, what an SVG refers to, attachments);
    # write_pdf() ignores one given to it. No base URL: a relative URL means nothing.
    page = weasyprint.HTML(string=html, base_url=None, url_fetcher=_data_only_fetcher())
    rendered = page.render()
    # No attachments at all: <link rel="attachment"> and <a rel="attachment"> would embed
    # whatever they name (and a data: URI can carry anything).
    rendered.metadata.attachments = []
    for each_page in rendered.pages:
        each_page.links = [link for link in each_page.links if link[0] != "attachment"]
    pdf = rendered.write_pdf(uncompressed_pdf=False)
    assert isinstance(pdf, bytes)
    return pdf


def _data_only_fetcher() -> Any:
    """A WeasyPrint fetcher that loads nothing but in-memory images (data: URIs).

    No network (no tracking pixels, no requests from a CI runner into its network, no
    waiting for a server that does not answer), no files. The logo is a data: URI whose
    SVG was checked when the SWV layer was loaded; an SVG given any other way is checked
    here by the same rules before WeasyPrint reads it.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from sopc.svg import svg_problem

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            media_type, data = _decode_data_uri(url)
            if media_type == "image/svg+xml" and (problem := svg_problem(data)):
                raise ValueError(problem)
            return URLFetcherResponse(url, data, {"Content-Type": media_type})

    return DataOnlyFetcher(allowed_protocols={"data"}, allow_redirects=False)


_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")


def _decode_data_uri(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a data: image; ValueError for anything else."""
    import base64
    import binascii
    from urllib.parse import unquote_to_bytes

    if not url[:5].lower() == "data:" or "," not in url:
        raise ValueError(f"sopc laadt niets van buiten het document: {url[:80]}")
    header, payload = url[5:].split(",", 1)
    parameters = header.split(";")
    media_type = parameters[0].strip().lower()
    if media_type not in _IMAGE_TYPES:
        raise ValueError(f"sopc laadt alleen afbeeldingen uit het document: {media_type}")
    try:
        data = base64.b64decode(payload, validate=True) if "base64" in parameters[1:] \
            else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise ValueError("een afbeelding in het document is beschadigd") from None
    return media_type, data
