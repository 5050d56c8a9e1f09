"""Stage 4, render: the view model → HTML, Markdown and PDF through Jinja2 templates.

The HTML environment autoescapes everything; only Markdown already rendered by
`sopc.textformat` (raw HTML disabled there) is marked safe. All environments use
StrictUndefined, so a typo in a template fails the build instead of printing nothing.

Templates come from a search path: the user's folders (`--templates`) first, then the
built-in theme, per file. `standaard/<name>` always means the built-in file, so a
user template can extend the one it replaces and override a single block. As soon as
user templates take part, the environment is a Jinja sandbox: a template can shape
the document but cannot reach Python internals or the file system.

A PDF is the HTML rendered with the print style (`pdf` is true in the template) and
laid out by WeasyPrint, imported only when a PDF is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from sopc import textformat, urls
from sopc.resolve import Document
from sopc.theme import FORMATS as FORMATS  # re-exported
from sopc.theme import THEME, builtin_template_dir

_TEMPLATE_OF = {"html": "document.html.j2", "md": "document.md.j2", "pdf": "document.html.j2"}


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


def _html_block(text: str | None) -> Markup:
    return Markup(textformat.to_html(text)) if text else Markup("")


def _html_inline(text: str | None) -> Markup:
    return Markup(textformat.to_html_inline(text)) if text else Markup("")


# Markdown filters, one per context (every '{{ }}' of a .md template uses one):
# md_escape  plain text (a name, a title) inline, in a list item or a heading
# md_cell    plain text in a table cell
# md_text    a Markdown text field as blocks
# md_line    a Markdown text field on one line (a list item)
# md_inline_cell  a Markdown text field in a table cell
# md_link    a URL from the input: a link if the URL policy allows it, else text
def _md_escape(text: Any) -> str:
    return textformat.escape_markdown("" if text is None else str(text))


def _md_cell(text: Any) -> str:
    return textformat.table_cell(_md_escape(text))


def _md_inline_cell(text: str | None) -> str:
    return textformat.table_cell(textformat.to_markdown_inline(text)) if text else ""


def _html_url(url: str | None) -> str:
    """For href: an address field's link target when the policy allows it, else ''
    (the template then shows the address as text)."""
    return urls.address_link(url) or ""


def _without_invisible(value: Any) -> Any:
    """Every value a template prints: bidi controls and zero-width characters removed
    (see sopc.urls.INVISIBLE_IN_OUTPUT), so no input can reorder or hide the text around it."""
    if isinstance(value, str) and urls.INVISIBLE_IN_OUTPUT.search(value):
        cleaned = urls.INVISIBLE_IN_OUTPUT.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


def _css_string(text: str) -> Markup:
    """A CSS string literal that no text can break out of (not even with '</style>')."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-_()/'&@+" else f"\\{ord(ch):x} "
                      for ch in text)
    return Markup(f'"{escaped}"')


def _loader(template_dirs: Sequence[Path]) -> jinja2.BaseLoader:
    builtin = jinja2.FileSystemLoader(str(builtin_template_dir()))
    return jinja2.ChoiceLoader([
        jinja2.PrefixLoader({THEME: builtin}),
        jinja2.FileSystemLoader([str(path) for path in template_dirs]),
        builtin,
    ])


class Renderer:
    """One Jinja environment per kind of markup, reused for every school of a run."""

    def __init__(self, template_dirs: Sequence[Path] = ()) -> None:
        loader = _loader(template_dirs)
        # The sandbox costs a little per attribute lookup: only pay it for user templates.
        environment_class = jinja2.sandbox.ImmutableSandboxedEnvironment if template_dirs \
            else jinja2.Environment
        self._environments: dict[str, jinja2.Environment] = {}
        for markup in ("html", "md"):
            environment = environment_class(
                loader=loader,
                autoescape=markup == "html",
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                finalize=_without_invisible,
            )
            environment.filters.update({
                "md_block": _html_block,
                "md_inline": _html_inline,
                "md_text": lambda text: textformat.to_markdown(text) if text else "",
                "md_line": lambda text: textformat.to_markdown_inline(text) if text else "",
                "md_escape": _md_escape,
                "md_cell": _md_cell,
                "md_inline_cell": _md_inline_cell,
                "md_link": textformat.markdown_link,
                "safe_url": _html_url,
                "css_string": _css_string,
            })
            self._environments[markup] = environment

    def render(self, document: Document, output: str) -> str | bytes:
        if output == "pdf":
            return self.render_pdf(document)
        return self.render_text(document, output)

    def render_text(self, document: Document, output: str, *, pdf: bool = False) -> str:
        markup = "md" if output == "md" else "html"
        template = self._environments[markup].get_template(_TEMPLATE_OF[output])
        return _tidy(template.render(doc=document, pdf=pdf))

    def render_page(self, template_name: str, markup: str, **context: Any) -> str:
        """A page that is not one school's document (the site index, the overview)."""
        return _tidy(self._environments[markup].get_template(template_name).render(**context))

    def page_lines(self, template_name: str, markup: str, **context: Any) -> Iterator[str]:
        """`render_page` line by line, as the template produces it: a page over thousands
        of schools (the dekkend-aanbod matrix) is written without ever being held whole."""
        template = self._environments[markup].get_template(template_name)
        return _tidy_lines(_lines(template.generate(**context)))

    def render_pdf(self, document: Document) -> bytes:
        problem = pdf_available()
        if problem:
            raise PdfUnavailable(problem)
        import weasyprint

        html = self.render_text(document, "pdf", pdf=True)
        # No base URL: the document is self-contained and may load nothing from disk.
        pdf = weasyprint.HTML(string=html, base_url=None).write_pdf(
            url_fetcher=_refuse_fetch, uncompressed_pdf=False)
        assert isinstance(pdf, bytes)
        return pdf


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """Images are data: URIs; anything else (a link in a school's text) is not loaded."""
    if url.startswith("data:"):
        import weasyprint

        return weasyprint.default_url_fetcher(url)
    raise ValueError(f"sopc laadt niets van buiten het document: {url}")


def _tidy(text: str) -> str:
    """One trailing newline, no trailing spaces, no runs of blank lines: stable output."""
    return "".join(_tidy_lines(text.split("\n")))


def _lines(chunks: Iterable[str]) -> Iterator[str]:
    """The lines (without their '\\n') of the text that `chunks` make together.

    Chunks are joined in blocks of about 64 K characters before splitting (a page over
    thousands of schools comes as millions of small chunks); a line longer than a block
    is kept as pieces until it ends, so no text is joined more than twice."""
    line_start: list[str] = []  # pieces of the current line, none with a '\\n'
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size < 65536:
            continue
        block = "".join(pending)
        pending, size = [], 0
        if "\n" not in block:
            line_start.append(block)
            continue
        first, *middle, last = block.split("\n")
        yield "".join(line_start) + first
        yield from middle
        line_start = [last]
    yield from "".join(line_start + pending).split("\n")


def _tidy_lines(lines: Iterable[str]) -> Iterator[str]:
    """`_tidy` line by line: each line with its '\\n', without trailing spaces; a run of
    blank lines becomes one, and blank lines at the end are dropped."""
    blank_before = False
    wrote = False
    for line in lines:
        line = line.rstrip()
        if not line:
            blank_before = True
            continue
        if blank_before:
            yield "\n"
            blank_before = False
        yield line + "\n"
        wrote = True
    if not wrote:
        yield "\n"
