"""Stage 4, render: the view model → every output format, one writer per format.

HTML, Markdown and the HTML fragment come from Jinja2 templates (this module); the PDF
from Typst (sopc.pdf) and the Word file from python-docx (sopc.word), both built from
the same view model, each imported only when its format is asked for.

The HTML environment autoescapes everything; only Markdown already rendered by
`sopc.textformat` (raw HTML disabled there) is marked safe. All environments use
StrictUndefined, so a typo in a template fails the build instead of printing nothing.

Templates come from a search path: the user's folders (`--templates`) first, then the
built-in theme, per file. `standaard/<name>` always means the built-in file, so a
user template can extend the one it replaces and override a single block. As soon as
user templates take part, the environment is a Jinja sandbox: a template can shape
the document but cannot reach Python internals or the file system, and every
operation it runs is bounded (see BoundedSandbox). Template files are read only when
they really lie inside their folder (a link out is refused) and are regular files.

Every document is bounded in size and time (the limits below); a document over a limit
is a diagnostic for that school, never a hang. `Renderer.render` turns every problem
a template or a document's size can cause into a RenderProblem.

"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from traceback import walk_tb
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sopc import textformat, urls
from sopc.bounds import MAX_DOCUMENT_CHARS, DocumentTooLarge, OutOfTime, check_time, time_bound
from sopc.diagnostics import dutch_number
from sopc.pdf import PdfUnavailable
from sopc.theme import FORMATS as FORMATS  # re-exported
from sopc.theme import THEME, builtin_template_dir
from sopc.view import Document

if TYPE_CHECKING:
    import jinja2

    from sopc.sandbox import FolderLoader

# Jinja (and sopc.sandbox on it) is imported when a template is first needed: a build of
# only PDF or Word never loads it (~30 ms of a cold start).

RENDER_SECONDS = 10.0  # the templates of one document in one format

_TEMPLATE_OF = {"html": "document.html.j2", "md": "document.md.j2",
                "fragment": "fragment.html.j2"}

# In the HTML sopc writes, every '<' of a text is escaped, and so is every '"' and '>'
# inside an attribute value (autoescape, markdown-it): each match below is a real tag.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_ID_ATTRIBUTE = re.compile(r'\b(id|aria-labelledby|aria-describedby|href)="(#?)([^"]*)"')
# A link to another file of the build ('x.html'): no scheme, not '#'.
_FILE_LINK = re.compile(r'<a href="(?![#])(?![a-zA-Z][a-zA-Z0-9+.-]*:)[^"]*">(.*?)</a>', re.S)
_TITLE = re.compile(r"<h1>(.*?)</h1>", re.S)


def _html_block(text: str | None) -> Markup:
    return Markup(textformat.to_html(text)) if text else Markup("")


def _html_inline(text: str | None) -> Markup:
    return Markup(textformat.to_html_inline(text)) if text else Markup("")


# Markdown filters, one per context (every '{{ }}' of a .md template uses one):
# md_escape  plain text (a name, a title) inline, in a list item or a heading
# md_cell    plain text in a table cell
# md_text    a Markdown text field as blocks
# md_line    a Markdown text field as a list item's text (md_line(indent): the item's
#            content column, for a hard line break)
# md_inline_cell  a Markdown text field in a table cell
# md_link    a URL from the input: a link if the URL policy allows it, else text
def _md_escape(text: Any) -> str:
    return textformat.escape_markdown("" if text is None else str(text))


def _md_cell(text: Any) -> str:
    return textformat.table_cell(_md_escape(text))


def _md_inline_cell(text: str | None) -> str:
    return textformat.table_cell(textformat.to_markdown_cell(text)) if text else ""


def _md_line(text: str | None, indent: str = "") -> str:
    """`indent`: the list item's content column as a string of its width (a hard line
    break continues the item on a new line indented by it)."""
    return textformat.to_markdown_inline(text, str(indent)) if text else ""


def _html_url(url: str | None) -> str:
    """For href: an address field's link target when the policy allows it, else ''
    (the template then shows the address as text)."""
    return urls.address_link(url) or ""


def _printed_by_user_template(value: Any) -> Any:
    """What a user template prints: a list or mapping is turned into text only when that
    text stays within the limits (`{{ ['x' * 10**7] * 200 }}` is refused, not built)."""
    from sopc.sandbox import MAX_TEMPLATE_VALUE, TemplateLimit, text_size

    if isinstance(value, (list, tuple, dict, set, frozenset)) \
            and text_size(value) > MAX_TEMPLATE_VALUE:
        raise TemplateLimit("de template drukt een lijst af die te lang wordt")
    return value


class EachPart:
    """`each_part(parts, level, section, block_content, *section_arguments)` in a
    template: the parts of a section (or of the document) one after the other, each
    followed by a line end, as the theme's `block` macro would render them: a section
    by the `section` macro, a block by `block_content`. In Python, as one call per
    section instead of a macro call per part.

    A block's output, and a section's, is kept for the blocks and sections a run
    renders again (the SWV's texts and tables that every school of a layer shows): the
    built-in block templates see nothing but the block and its level (a test checks
    it), the `section` macro nothing but the section's heading, level and anchor and
    its parts. A section that holds a school's own block is new for every school; its
    heading is not: the `section` macro's text around its parts is kept per heading
    (its frame), and only the parts are rendered. Bounded: a run over thousands of
    schools keeps the most recent `size` blocks and sections, and a school's own
    blocks, never seen again, just pass through. Not with user templates: a theme may
    replace blokken.html.j2 and give its blocks more to see than the block. One
    renderer serves one thread (`_frame` sets what the macro it calls reports back)."""

    def __init__(self, remember: bool, autoescape: bool, size: int = 512) -> None:
        self._remember = remember
        self._size = size
        self._kept: OrderedDict[Any, str] = OrderedDict()
        self._frames: OrderedDict[Any, _SectionFrame | None] = OrderedDict()
        self._frame_arguments: list[_PartsArguments] = []
        self._joined: Callable[[str], str] = Markup if autoescape else str

    def __call__(self, parts: Iterable[Any], level: int, section: Any, block_content: Any,
                 *section_arguments: Any) -> str:
        if parts is _FRAME_PARTS:  # the `section` macro, rendered for its frame
            self._frame_arguments.append((level, section, block_content, section_arguments))
            return self._joined(_FRAME_MARK)
        return self._joined(self._parts(parts, level, section, block_content,
                                        section_arguments))

    def _parts(self, parts: Iterable[Any], level: int, section: Any, block_content: Any,
               section_arguments: tuple[Any, ...]) -> str:
        pieces = []
        key: tuple[Any, ...] | None
        for part in parts:
            if part.is_section:
                pieces.append(self._section(section, part, section_arguments))
                pieces.append("\n\n")
            else:
                key = (block_content.name, part, level) if self._remember else None
                pieces.append(self._once(key, block_content, part, level))
                pieces.append("\n")
        return "".join(pieces)

    def _section(self, macro: Any, section: Any, arguments: tuple[Any, ...]) -> str:
        if not self._remember:
            return str(macro(section, *arguments))
        return self._once((macro.name, _section_key(section), arguments), self._framed,
                          macro, section, arguments)

    def _framed(self, macro: Any, section: Any, arguments: tuple[Any, ...]) -> str:
        """A section as its macro renders it: its frame around its parts."""
        frame = self._frame(macro, section, arguments)
        if frame is None:
            return str(macro(section, *arguments))
        before, inner_arguments, after = frame  # plain text: Markup would escape the frame
        return before + self._parts(section.parts, *inner_arguments) + after

    def _frame(self, macro: Any, section: Any, arguments: tuple[Any, ...]
               ) -> _SectionFrame | None:
        """The `section` macro's text before and after its parts for this heading, and
        the arguments it renders the parts with; None if its parts are not rendered
        exactly once by `each_part` (then the macro renders each such section whole)."""
        key = (macro.name, _heading_key(section), arguments)
        if key in self._frames:
            self._frames.move_to_end(key)
            return self._frames[key]
        self._frame_arguments = []
        text = str(macro(replace(section, parts=_FRAME_PARTS), *arguments))
        frame: _SectionFrame | None = None
        if len(self._frame_arguments) == 1 and text.count(_FRAME_MARK) == 1:
            before, after = text.split(_FRAME_MARK)
            frame = (before, self._frame_arguments[0], after)
        self._keep(self._frames, key, frame)
        return frame

    def _once(self, key: Any, macro: Any, *arguments: Any) -> str:
        """The macro's output for these arguments, kept under `key` (all it depends on;
        None: not kept)."""
        kept = None
        try:
            kept = self._kept[key] if key is not None else None
        except KeyError:
            pass
        except TypeError:  # a view that holds a list: rendered each time, never wrong
            key = None
        if kept is not None:
            self._kept.move_to_end(key)
            return kept
        rendered = str(macro(*arguments))
        if key is not None:
            self._keep(self._kept, key, rendered)
        return rendered

    def table_of_contents(self, macro: Any, sections: Sequence[Any], *arguments: Any) -> str:
        """`kept_toc(toc, sections, *arguments)` in a template: `toc(sections,
        *arguments)`, kept by what the theme's `toc` macro prints of each section (its
        number, title and anchor, and those of its subsections): the same for every
        school of a layer, and 7% of rendering its HTML."""
        if not self._remember:
            return self._joined(str(macro(sections, *arguments)))
        return self._joined(self._once((macro.name, _contents_key(sections), arguments),
                                       macro, sections, *arguments))

    def _keep(self, kept: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        kept[key] = value
        if len(kept) > self._size:
            kept.popitem(last=False)


# What `each_part` renders a section's parts with: level, section macro, block macro and
# the section macro's own arguments.
_PartsArguments = tuple[int, Any, Any, tuple[Any, ...]]
# A section's frame: its macro's text before its parts, the arguments of `each_part`
# for them, the text after. The macros among those arguments are reused for the parts
# of later sections: the theme imports blokken.*.j2 without context, so Jinja gives
# every render the same module and its macros see nothing of the render that made them.
_SectionFrame = tuple[str, _PartsArguments, str]
# What the `section` macro gets as the parts of a section rendered for its frame, and
# what `each_part` prints for them: a text no template or school writes (NUL characters
# never reach a document; a heading that held it anyway would print it twice, and that
# section is then rendered whole).
_FRAME_PARTS: list[Any] = []
_FRAME_MARK = "\x00sopc-onderdelen\x00"


def _section_key(section: Any) -> tuple[Any, ...]:
    """Everything the theme's `section` macro prints of a section: its heading, level,
    anchor and parts (a section's id and subsections list are not printed)."""
    return (*_heading_key(section),
            tuple(_section_key(part) if part.is_section else part for part in section.parts))


def _contents_key(sections: Sequence[Any]) -> tuple[Any, ...]:
    """Everything the theme's `toc` macro prints of these sections."""
    return tuple((section.number, section.title, section.anchor,
                  _contents_key(section.subsections)) for section in sections)


def _heading_key(section: Any) -> tuple[Any, ...]:
    """What the `section` macro prints of a section besides its parts."""
    return section.number, section.title, section.level, section.anchor


def _bytecode_cache(settings: str) -> jinja2.BytecodeCache | None:
    from sopc import __version__
    from sopc.bytecode import bytecode_cache

    return bytecode_cache(__version__, settings)


class RenderProblem(Exception):
    """A document that cannot be rendered: reported as a diagnostic, never a crash.

    `file` and `line` point into a user template when the problem is there; None means
    the school's own file (its content made the document too big, for instance).
    """

    def __init__(self, code: str, message: str, file: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.file = file
        self.line = line



def _loaders(template_dirs: Sequence[Path]) -> tuple[jinja2.BaseLoader, list[FolderLoader]]:
    import jinja2

    from sopc.sandbox import FolderLoader

    builtin = FolderLoader(builtin_template_dir())
    user = [FolderLoader(path) for path in template_dirs]
    return jinja2.ChoiceLoader([
        jinja2.PrefixLoader({THEME: builtin}),
        *user,
        builtin,
    ]), user



def _render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render while counting: a document over the limit stops as it grows, not after."""
    parts = []
    size = 0
    for chunk in template.generate(**context):
        size += len(chunk)
        if size > MAX_DOCUMENT_CHARS:
            raise DocumentTooLarge(
                f"het document wordt groter dan {dutch_number(MAX_DOCUMENT_CHARS)} tekens")
        check_time()
        parts.append(chunk)
    return "".join(parts)


class Renderer:
    """One Jinja environment per kind of markup, reused for every school of a run.

    `render` raises RenderProblem for everything a template or a document's size can
    cause (the caller reports it); any other exception is a bug in sopc.
    """

    def __init__(self, template_dirs: Sequence[Path] = ()) -> None:
        self._template_dirs = list(template_dirs)
        self._user_loaders: list[FolderLoader] = []
        # The sandbox costs a little per operation: only pay it for user templates.
        self._sandboxed = bool(template_dirs)

    @cached_property
    def _environments(self) -> dict[str, jinja2.Environment]:
        import jinja2

        from sopc.sandbox import BoundedSandbox

        loader, self._user_loaders = _loaders(self._template_dirs)
        environment_class = BoundedSandbox if self._sandboxed else jinja2.Environment
        environments: dict[str, jinja2.Environment] = {}
        for markup in ("html", "md"):
            environment = environment_class(
                loader=loader,
                # compiled built-in templates kept per user between runs (sopc.bytecode);
                # never for user templates, whose sandboxed code differs
                bytecode_cache=None if self._sandboxed else _bytecode_cache(
                    f"{markup} autoescape={markup == 'html'} trim lstrip keep-newline"),
                autoescape=markup == "html",
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                # templates do not change during a run: no stat() per block template
                auto_reload=False,
                finalize=_printed_by_user_template if self._sandboxed else None,
            )
            each_part = EachPart(not self._sandboxed, markup == "html")
            environment.globals["each_part"] = each_part
            environment.globals["kept_toc"] = each_part.table_of_contents
            environment.filters.update({
                "md_block": _html_block,
                "md_inline": _html_inline,
                "md_text": lambda text: textformat.to_markdown(text) if text else "",
                "md_line": _md_line,
                "md_escape": _md_escape,
                "md_cell": _md_cell,
                "md_inline_cell": _md_inline_cell,
                "md_link": textformat.markdown_link,
                "safe_url": _html_url,
            })
            if isinstance(environment, BoundedSandbox):
                environment.bound_filters()  # sopc's own filters get the same limits
            environments[markup] = environment
        return environments

    def render(self, document: Document, output: str, *, encoded: bool = False
               ) -> str | bytes:
        """`document` in the format `output`: bytes for PDF and Word, text for the
        others, or with `encoded` their UTF-8 bytes as a file holds them (a build writes
        those: made as bytes, the text is tidied there in a fraction of the time)."""
        if output in ("pdf", "docx"):  # built from the view model, without templates
            try:
                return self.render_pdf(document) if output == "pdf" \
                    else self.render_docx(document)
            except (OutOfTime, DocumentTooLarge) as error:
                raise self._problem(error, output) from None
        import jinja2

        try:
            if output == "fragment":
                text = fragment(self.render_text(document, output), document)
                return text.encode("utf-8") if encoded else text
            if encoded:
                return _tidy_utf8(self._untidy_text(document, output).encode("utf-8"))
            return self.render_text(document, output)
        except (PdfUnavailable, RenderProblem):
            raise
        except OutOfTime as error:
            raise self._problem(error, output) from None
        except (jinja2.TemplateError, DocumentTooLarge, RecursionError, MemoryError,
                OverflowError) as error:
            raise self._problem(error, output) from None
        except Exception as error:
            if not self._sandboxed:
                raise  # the built-in templates failed: a bug in sopc
            raise self._problem(error, output) from None

    def render_text(self, document: Document, output: str) -> str:
        return _tidy(self._untidy_text(document, output))

    def _untidy_text(self, document: Document, output: str) -> str:
        """The template's text, before `_tidy` (or `_tidy_utf8`)."""
        markup = "md" if output == "md" else "html"
        with time_bound(RENDER_SECONDS, "template"):
            template = self._environments[markup].get_template(_TEMPLATE_OF[output])
            return _render_bounded(template, {"doc": document})

    def render_page(self, template_name: str, markup: str, **context: Any) -> str:
        """A page that is not one school's document (the site index, the overview)."""
        return _tidy(self._environments[markup].get_template(template_name).render(**context))

    def page_lines(self, template_name: str, markup: str, **context: Any) -> Iterator[str]:
        """`render_page` line by line, as the template produces it: a page over thousands
        of schools (the dekkend-aanbod matrix) is written without ever being held whole."""
        template = self._environments[markup].get_template(template_name)
        return _tidy_lines(_lines(map(urls.visible, template.generate(**context))))

    def render_pdf(self, document: Document) -> bytes:
        from sopc.pdf import pdf_bytes  # the view model typeset by Typst (sopc.pdf)

        return pdf_bytes(document)

    def render_docx(self, document: Document) -> bytes:
        from sopc.word import docx_bytes  # python-docx only when a DOCX is asked for

        with time_bound(RENDER_SECONDS, "docx"):
            return docx_bytes(document)

    def _problem(self, error: BaseException, output: str) -> RenderProblem:
        file, line = self._template_location(error)
        if isinstance(error, OutOfTime):
            kind = {"pdf": "de PDF", "docx": "het Word-bestand"}.get(
                error.what, f"de {'Markdown' if output == 'md' else 'HTML'}-uitvoer")
            return RenderProblem(
                "document-te-groot", f"het maken van {kind} duurt langer dan "
                f"{error.seconds:g} seconden en is afgebroken", file, line)
        if isinstance(error, DocumentTooLarge):
            return RenderProblem("document-te-groot", str(error), file, line)
        import jinja2

        from sopc.sandbox import TemplateOutsideFolder

        if isinstance(error, jinja2.TemplateSyntaxError):
            file, line = error.filename or error.name, error.lineno
        if isinstance(error, TemplateOutsideFolder):
            return RenderProblem("pad-buiten-repository", str(error), file, line)
        return RenderProblem("template-fout", _dutch_message(error), file, line)

    def _template_location(self, error: BaseException) -> tuple[str | None, int | None]:
        """The innermost line of a user template in the error's traceback, if any."""
        user_files = set().union(*(loader.files for loader in self._user_loaders))
        if not user_files:
            return None, None
        # Called in the `except` block: Jinja maps the frames of compiled template code
        # to template file and line (its own errors arrive mapped already).
        from jinja2.debug import rewrite_traceback_stack

        try:
            traceback = rewrite_traceback_stack().__traceback__
        except Exception:  # only a nicer location is lost
            traceback = error.__traceback__
        location: tuple[str | None, int | None] = (None, None)
        for frame, line in walk_tb(traceback):
            if frame.f_code.co_filename in user_files:
                location = (frame.f_code.co_filename, line)
        return location


def _dutch_message(error: BaseException) -> str:
    import jinja2
    import jinja2.sandbox
    from jinja2.exceptions import SecurityError

    from sopc.sandbox import TemplateLimit, TemplateOutsideFolder

    if isinstance(error, (TemplateLimit, TemplateOutsideFolder)):
        return str(error)
    if isinstance(error, SecurityError):
        return f"de template doet iets wat niet mag (sandbox): {_dutch_security(error)}"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"de template '{error.name}' bestaat niet"
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"fout in template: {error.message}"
    if isinstance(error, jinja2.UndefinedError):
        return _dutch_undefined(str(error))
    if isinstance(error, jinja2.TemplateError):
        return f"fout in template: {error}"
    if isinstance(error, RecursionError):
        return "de template roept zichzelf te vaak aan (recursie)"
    if isinstance(error, MemoryError):
        return "de template vraagt meer geheugen dan er is"
    if isinstance(error, ZeroDivisionError):
        return "de template deelt door nul"
    if isinstance(error, OverflowError) and "MAX_RANGE" in str(error):
        return ("de template vraagt een reeks (range) van meer dan "
                f"{dutch_number(jinja2.sandbox.MAX_RANGE)} getallen")
    if isinstance(error, OverflowError):
        return "de template rekent met een te groot getal"
    return f"de template kan niet worden uitgevoerd ({type(error).__name__}: {error})"



def fragment(html: str, document: Document) -> str:
    """The rendered fragment made fit to paste into any page:

    - every id, and every reference to one ('#anker', aria-labelledby), gets a prefix of
      the school and the version ('sopc-06kg00-schoolgids-'), so two schools or two
      versions on one page never clash;
    - the document's title is no h1 but a paragraph (class 'titel'): the page has its
      own h1, usually with the same words, and the parts stay h2 below it;
    - a link to another file of the build (the full version) keeps its text and loses
      its target: on a website page that file is not beside it."""
    prefix = "sopc-" + re.sub(r"[^a-z0-9]+", "-",
                              f"{document.school_code}-{document.profile}".lower()) + "-"

    def attribute(match: re.Match[str]) -> str:
        name, hash_sign, value = match.groups()
        if name == "href":
            return match.group(0) if not hash_sign else f'href="#{prefix}{value}"'
        return f'{name}="' + " ".join(prefix + part for part in value.split()) + '"'

    def tag(match: re.Match[str]) -> str:
        closing, name, attributes = match.groups()
        return f"<{closing}{name}{_ID_ATTRIBUTE.sub(attribute, attributes)}>"

    html = _TITLE.sub(r'<p class="titel">\1</p>', html, count=1)
    return _TAG.sub(tag, _FILE_LINK.sub(r"\1", html))


def _tidy(text: str) -> str:
    """One trailing newline, no trailing spaces, no runs of blank lines: stable output;
    without the characters of sopc.urls.INVISIBLE_IN_OUTPUT. What `_tidy_lines` does
    line by line, on a whole text (a property test holds them equal)."""
    lines = [line.rstrip() for line in text.split("\n")]
    # Every character INVISIBLE_IN_OUTPUT names is unprintable: only a document with an
    # unprintable character left (a tab, a no-break space; rare) pays for the search.
    if not all(map(str.isprintable, lines)):
        lines = [line.rstrip() for line in urls.visible(text).split("\n")]
    tidy = []
    blank_before = False
    for line in lines:
        if not line:
            blank_before = True
        else:
            if blank_before:
                tidy.append("")
                blank_before = False
            tidy.append(line)
    return "\n".join(tidy) + "\n" if tidy else "\n"


# What a tidy text may hold besides characters that are not ASCII: the printable ASCII
# characters and the line break (deleted from the bytes, the rest is what to look at).
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
_BLANK_LINES = re.compile(rb"\n\n\n+")


def _tidy_utf8(data: bytes) -> bytes:
    """`_tidy` of a text given (and returned) as UTF-8: `_tidy(text).encode()` for
    `text.encode()`, a property test holds them equal.

    Searched as bytes, a document's 70 K characters take a third of the time: the text
    has one byte for most of its characters, where Python's string holds two or four
    each. When only ASCII spaces and line breaks remain as white space (the others are
    all unprintable) and no line ends in a space, tidying is only the blank lines;
    otherwise (rare) the text goes through `_tidy`."""
    rest = data.translate(None, _PRINTABLE_ASCII)  # complete UTF-8 sequences, and controls
    if (rest and not rest.decode("utf-8").isprintable()) or b" \n" in data \
            or data.endswith(b" "):
        return _tidy(data.decode("utf-8")).encode("utf-8")
    core = _BLANK_LINES.sub(b"\n\n", data.strip(b"\n"))
    if not core:
        return b"\n"
    return b"\n" + core + b"\n" if data.startswith(b"\n") else core + b"\n"


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


_UNSAFE_ATTRIBUTE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


def _dutch_security(error: BaseException) -> str:
    """Jinja's sandbox speaks English; its common refusal in Dutch, else a plain line."""
    match = _UNSAFE_ATTRIBUTE.search(str(error))
    if match:
        return f"'{match.group(1)}' van een {match.group(2)} is niet toegankelijk"
    return "deze bewerking is in een template niet toegestaan"


_UNDEFINED_NAME = re.compile(r"^'([^']*)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']*)'$")


def _dutch_undefined(message: str) -> str:
    """Jinja's 'x' is undefined / has no attribute 'y', in Dutch."""
    if match := _UNDEFINED_NAME.match(message):
        return f"de template gebruikt '{match.group(1)}', maar dat bestaat niet"
    if match := _NO_ATTRIBUTE.search(message):
        return f"de template vraagt onderdeel '{match.group(1)}', maar dat bestaat niet"
    return "de template gebruikt iets wat niet bestaat"
