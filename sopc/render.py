"""Stage 4, render: the view model → HTML, Markdown and PDF through Jinja2 templates.

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

A PDF is the HTML rendered with the print style (`pdf` is true in the template) and
laid out by WeasyPrint, imported only when a PDF is asked for. WeasyPrint loads nothing
but in-memory images: no network, no files, no attachments.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import stat
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from traceback import walk_tb
from typing import Any

import jinja2
import jinja2.nodes
import jinja2.runtime
import jinja2.sandbox
from jinja2.compiler import CodeGenerator, Frame
from jinja2.debug import rewrite_traceback_stack
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
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


# ----------------------------------------------------------------------------------------
# Limits: what one document may cost
# ----------------------------------------------------------------------------------------
# The examples render to ~60,000 characters, ~1,000 elements and ~330 table cells; a
# valid school stays far below these. A template from a pull request, or a hostile school,
# meets them long before the machine runs out of time or memory.
MAX_OUTPUT_CHARS = 20_000_000  # one rendered document (HTML or Markdown)
# One string, list or number argument a template makes: nothing bigger than a whole
# document is needed (a block of a large school's document is a legitimate big value).
MAX_TEMPLATE_VALUE = MAX_OUTPUT_CHARS
MAX_INTEGER_BITS = 4_096  # integers a template computes (10**1233 at most)
MAX_TEMPLATE_BYTES = 1_000_000  # one template file
RENDER_SECONDS = 10.0  # the templates of one document in one format
# WeasyPrint's layout is the expensive step: ~3 ms per element, more for wide tables
# (20,000 short paragraphs took 57 s, a 100 × 50 table 16 s). Counted before it starts.
MAX_PDF_CHARS = 1_500_000
MAX_PDF_ELEMENTS = 6_000
MAX_PDF_TABLE_CELLS = 2_000
PDF_SECONDS = 25.0  # the backstop for what the counts above do not foresee

_ELEMENT = re.compile(r"<[a-zA-Z]")
_TABLE_CELL = re.compile(r"<t[dh][\s>]")


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


class TemplateLimit(SecurityError):
    """A template asked for more than a document may cost (a huge string, list, number)."""


class TemplateOutsideFolder(jinja2.TemplateError):
    """A template file that is a link to somewhere outside its templates folder."""


class DocumentTooLarge(Exception):
    """The rendered document passes a limit on its size."""


class _OutOfTime(BaseException):
    """Raised by the timer. A BaseException, so that no `except Exception` inside Jinja
    or WeasyPrint (which catch broadly around images and fonts) can swallow it."""

    def __init__(self, seconds: float, what: str) -> None:
        super().__init__(what)
        self.seconds = seconds
        self.what = what


_deadline: tuple[float, float, str] | None = None  # (monotonic end, seconds, what)


def _check_time() -> None:
    """The deadline, checked at every sandbox hook: the timer's fallback off the main
    thread (a signal can only interrupt the main thread)."""
    if _deadline is not None and time.monotonic() > _deadline[0]:
        raise _OutOfTime(_deadline[1], _deadline[2])


def _alarm(signum: int, frame: Any) -> None:
    if _deadline is not None:
        raise _OutOfTime(_deadline[1], _deadline[2])


@contextlib.contextmanager
def _time_bound(seconds: float, what: str) -> Iterator[None]:
    """Interrupt the work inside after `seconds`: SIGALRM on the main thread (stops even
    a loop that calls nothing), the deadline checks elsewhere."""
    global _deadline
    started = time.monotonic()
    _deadline = (started + seconds, seconds, what)
    alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous: Any = None
    previous_timer = (0.0, 0.0)
    if alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
            if previous_timer[0] > 0:  # someone else's timer (a test runner's) runs on
                left = previous_timer[0] - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), previous_timer[1])
        _deadline = None


# ----------------------------------------------------------------------------------------
# Templates: a confined loader and a bounded sandbox
# ----------------------------------------------------------------------------------------

class _FolderLoader(jinja2.BaseLoader):
    """Templates from one folder: regular files that really are inside it.

    A symbolic link is followed only when it ends inside the folder; one that leads out
    (to /etc/passwd, ~/.ssh, a FIFO elsewhere) is refused, not silently skipped. Special
    files are refused before they are opened, so a FIFO cannot make the build wait.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: set[str] = set()  # every file this loader handed out (for locations)

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)  # refuses '..' and absolute names
        candidate = self.folder.joinpath(*parts)
        filename = str(candidate)
        try:
            real = candidate.resolve(strict=True)
            root = self.folder.resolve(strict=True)
        except (OSError, RuntimeError):
            raise jinja2.TemplateNotFound(template) from None
        if not real.is_relative_to(root):
            raise TemplateOutsideFolder(
                f"de template '{template}' in {self.folder} is een link naar een bestand "
                "buiten die map; dat wordt niet gelezen")
        data, mtime = _read_template(real, template)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise jinja2.TemplateError(f"de template '{template}' is geen UTF-8") from None
        self.files.add(filename)

        def unchanged() -> bool:
            try:
                return real.stat().st_mtime_ns == mtime
            except OSError:
                return False

        return source, filename, unchanged


def _read_template(path: Path, name: str) -> tuple[bytes, int]:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise jinja2.TemplateError(f"de template '{name}' is geen gewoon bestand")
        if status.st_size > MAX_TEMPLATE_BYTES:
            raise jinja2.TemplateError(
                f"de template '{name}' is groter dan {MAX_TEMPLATE_BYTES:,} bytes"
                .replace(",", "."))
        # O_NONBLOCK: should the file have become a FIFO since the check, open() does
        # not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as file:
            data = file.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as error:
        raise jinja2.TemplateError(
            f"de template '{name}' kan niet worden gelezen ({error.strerror})") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise jinja2.TemplateError(f"de template '{name}' is te groot")
    return data, status.st_mtime_ns


def _too_big(what: str) -> TemplateLimit:
    return TemplateLimit(f"de template maakt {what}; de grens is "
                         f"{MAX_TEMPLATE_VALUE:,} tekens of elementen".replace(",", "."))


def _bounded(value: Any) -> Any:
    """A value a template made, if it is within the limits."""
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) \
            and len(value) > MAX_TEMPLATE_VALUE:
        raise _too_big(f"een waarde van {len(value):,} tekens of elementen".replace(",", "."))
    if isinstance(value, int) and value.bit_length() > MAX_INTEGER_BITS:
        raise TemplateLimit("de template rekent met een te groot getal")
    return value


def _check_numbers(values: Iterable[Any]) -> None:
    """Widths, counts and repeats: no argument a template passes is above the limit, so
    `center`, `indent`, `ljust`, `zfill`, `truncate` and friends stay bounded."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) \
                and abs(value) > MAX_TEMPLATE_VALUE:
            raise _too_big(f"iets met het getal {value}")


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str) else len(str(value))


def _check_total(parts: Iterable[Any], separator: int = 0) -> None:
    total = 0
    for part in parts:
        total += _length(part) + separator
        if total > MAX_TEMPLATE_VALUE:
            raise _too_big("een tekst die te lang wordt")


_FORMAT_WIDTH = re.compile(r"\d+")
_PERCENT_SPEC = re.compile(r"%[-#0 +]*(\d*)(?:\.(\d*))?")


def _check_format_spec(text: str) -> None:
    """'{:>999999999}' and '%0999999999d' would allocate gigabytes in one operation."""
    import string

    try:
        specs = [spec or "" for _, _, spec, _ in string.Formatter().parse(text)]
    except ValueError:
        specs = []
    numbers = [int(n) for spec in specs for n in _FORMAT_WIDTH.findall(spec)]
    numbers += [int(n) for match in _PERCENT_SPEC.finditer(text) for n in match.groups() if n]
    _check_numbers(numbers)


def _check_binop(operator: str, left: Any, right: Any) -> None:
    sequences = (str, bytes, list, tuple)
    if isinstance(left, int) and isinstance(right, int):
        if operator == "**" and right > 0 and abs(left) > 1 \
                and abs(left).bit_length() * right > MAX_INTEGER_BITS:
            raise TemplateLimit("de template rekent met een te groot getal")
        if operator in ("*", "+") and left.bit_length() + right.bit_length() > MAX_INTEGER_BITS:
            raise TemplateLimit("de template rekent met een te groot getal")
    elif operator == "*":
        sequence, count = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(sequence, sequences) and isinstance(count, int) \
                and len(sequence) * count > MAX_TEMPLATE_VALUE:
            raise _too_big(f"een herhaling van {len(sequence) * count:,} tekens of elementen"
                           .replace(",", "."))
    elif operator == "+" and isinstance(left, sequences) and isinstance(right, sequences):
        if len(left) + len(right) > MAX_TEMPLATE_VALUE:
            raise _too_big("een tekst of lijst die te lang wordt")
    elif operator == "%" and isinstance(left, str):
        _check_format_spec(left)
        _check_numbers(right if isinstance(right, tuple) else (right,))


def _check_string_method(name: str, text: str, args: tuple[Any, ...]) -> None:
    """Methods whose result can be far larger than their inputs."""
    if name in ("format", "format_map"):
        _check_format_spec(text)
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) \
            and isinstance(args[1], str):
        _check_replace(text, args[0], args[1])
    elif name == "expandtabs":
        size = args[0] if args and isinstance(args[0], int) else 8
        if len(text) + text.count("\t") * max(size, 0) > MAX_TEMPLATE_VALUE:
            raise _too_big("een tekst die te lang wordt")


def _check_replace(text: str, old: str, new: str) -> None:
    occurrences = text.count(old) if old else len(text) + 1
    if len(text) + occurrences * max(0, len(new) - len(old)) > MAX_TEMPLATE_VALUE:
        raise _too_big("een tekst die te lang wordt")


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter with the sandbox's limits (filters bypass `call`)."""
    skip = 1 if hasattr(function, "jinja_pass_arg") else 0  # context / environment first

    @functools.wraps(function)  # keeps jinja_pass_arg, so Jinja passes what it passed
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_time()
        _check_numbers([*args, *kwargs.values()])
        values = args[skip:]
        if values and isinstance(values[0], str):
            text = values[0]
            if name == "format":
                _check_format_spec(text)
            elif name == "replace" and len(values) >= 3:
                _check_replace(text, str(values[1]), str(values[2]))
            elif name == "indent":
                width = kwargs.get("width", values[1] if len(values) > 1 else 4)
                width = len(width) if isinstance(width, str) else int(width)
                if len(text) + (text.count("\n") + 1) * width > MAX_TEMPLATE_VALUE:
                    raise _too_big("een tekst die te lang wordt")
        if name in ("join", "sum") and values and isinstance(values[0], (list, tuple)):
            _check_total(values[0])
        return _bounded(function(*args, **kwargs))

    bounded.sopc_bounded = True  # type: ignore[attr-defined]
    return bounded


class _BoundedCodeGenerator(CodeGenerator):
    """Template code whose `~` (concatenation) is checked before it joins."""

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.checked_concat({join}, (")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """The sandbox for user templates, with limits on what one operation may make.

    Jinja's sandbox stops access to Python internals and caps `range`; it does not stop
    `'x' * 10**9`, `10**10**10`, a format width of a billion or a join that multiplies a
    big string. Every operator, call, filter and concatenation is checked here before it
    runs (and its result after), and each hook checks the render's deadline.
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.bound_filters()

    def bound_filters(self) -> None:
        """Give every filter not bounded yet the limits (call after adding filters)."""
        self.filters = {name: function if getattr(function, "sopc_bounded", False)
                        else _bounded_filter(name, function)
                        for name, function in self.filters.items()}

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        _check_time()
        _check_binop(operator, left, right)
        return _bounded(super().call_binop(context, operator, left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any,
             *args: Any, **kwargs: Any) -> Any:
        _check_time()
        _check_numbers([*args, *kwargs.values()])
        method = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped
        owner = getattr(method, "__self__", None)
        if isinstance(method, (types.MethodType, types.BuiltinMethodType)) \
                and isinstance(owner, str):
            if method.__name__ == "join" and len(args) == 1:
                args = (list(args[0]),)
                _check_total(args[0], len(owner))
            _check_string_method(method.__name__, owner, args)
        return _bounded(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_time()
        return super().getitem(obj, argument)

    @staticmethod
    def checked_concat(join: Callable[[Iterable[Any]], Any], parts: tuple[Any, ...]) -> Any:
        _check_time()
        _check_total(parts)
        return join(parts)


def _loaders(template_dirs: Sequence[Path]) -> tuple[jinja2.BaseLoader, list[_FolderLoader]]:
    builtin = _FolderLoader(builtin_template_dir())
    user = [_FolderLoader(path) for path in template_dirs]
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
        if size > MAX_OUTPUT_CHARS:
            raise DocumentTooLarge(
                f"het document wordt groter dan {MAX_OUTPUT_CHARS:,} tekens".replace(",", "."))
        _check_time()
        parts.append(chunk)
    return "".join(parts)


class Renderer:
    """One Jinja environment per kind of markup, reused for every school of a run.

    `render` raises RenderProblem for everything a template or a document's size can
    cause (the caller reports it); any other exception is a bug in sopc.
    """

    def __init__(self, template_dirs: Sequence[Path] = ()) -> None:
        loader, self._user_loaders = _loaders(template_dirs)
        # The sandbox costs a little per operation: only pay it for user templates.
        self._sandboxed = bool(template_dirs)
        environment_class = BoundedSandbox if self._sandboxed else jinja2.Environment
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
            if isinstance(environment, BoundedSandbox):
                environment.bound_filters()  # sopc's own filters get the same limits
            self._environments[markup] = environment

    def render(self, document: Document, output: str) -> str | bytes:
        try:
            if output == "pdf":
                return self.render_pdf(document)
            return self.render_text(document, output)
        except (PdfUnavailable, RenderProblem):
            raise
        except _OutOfTime as error:
            raise self._problem(error, output) from None
        except (jinja2.TemplateError, DocumentTooLarge, RecursionError, MemoryError,
                OverflowError) as error:
            raise self._problem(error, output) from None
        except Exception as error:
            if not self._sandboxed:
                raise  # the built-in templates failed: a bug in sopc
            raise self._problem(error, output) from None

    def render_text(self, document: Document, output: str, *, pdf: bool = False) -> str:
        markup = "md" if output == "md" else "html"
        with _time_bound(RENDER_SECONDS, "template"):
            template = self._environments[markup].get_template(_TEMPLATE_OF[output])
            text = _render_bounded(template, {"doc": document, "pdf": pdf})
        return _tidy(text)

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
        html = self.render_text(document, "pdf", pdf=True)
        _check_pdf_size(html)
        with _time_bound(PDF_SECONDS, "pdf"):
            return _layout_pdf(html)

    def _problem(self, error: BaseException, output: str) -> RenderProblem:
        file, line = self._template_location(error)
        if isinstance(error, jinja2.TemplateSyntaxError):
            file, line = error.filename or error.name, error.lineno
        if isinstance(error, _OutOfTime):
            kind = "de PDF" if error.what == "pdf" \
                else f"de {'Markdown' if output == 'md' else output.upper()}-uitvoer"
            return RenderProblem(
                "document-te-groot", f"het maken van {kind} duurt langer dan "
                f"{error.seconds:g} seconden en is afgebroken", file, line)
        if isinstance(error, DocumentTooLarge):
            return RenderProblem("document-te-groot", str(error), file, line)
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
    if isinstance(error, (TemplateLimit, TemplateOutsideFolder)):
        return str(error)
    if isinstance(error, SecurityError):
        return f"de template doet iets wat niet mag (sandbox): {error}"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"de template '{error.name}' bestaat niet"
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"fout in template: {error.message}"
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
                f"{jinja2.sandbox.MAX_RANGE:,} getallen".replace(",", "."))
    if isinstance(error, OverflowError):
        return "de template rekent met een te groot getal"
    return f"de template kan niet worden uitgevoerd ({type(error).__name__}: {error})"


# ----------------------------------------------------------------------------------------
# PDF
# ----------------------------------------------------------------------------------------

def _check_pdf_size(html: str) -> None:
    """Refuse, before WeasyPrint starts, a document whose layout would take minutes."""
    def dutch(number: int) -> str:  # 15.322, as a Dutch reader writes it
        return f"{number:,}".replace(",", ".")

    problems = []
    if len(html) > MAX_PDF_CHARS:
        problems.append(f"{dutch(len(html))} tekens (grens {dutch(MAX_PDF_CHARS)})")
    elements = len(_ELEMENT.findall(html))
    if elements > MAX_PDF_ELEMENTS:
        problems.append(f"{dutch(elements)} HTML-elementen (grens {dutch(MAX_PDF_ELEMENTS)})")
    cells = len(_TABLE_CELL.findall(html))
    if cells > MAX_PDF_TABLE_CELLS:
        problems.append(f"{dutch(cells)} tabelcellen (grens {dutch(MAX_PDF_TABLE_CELLS)})")
    if problems:
        raise DocumentTooLarge(
            "het document is te groot voor een PDF: " + ", ".join(problems)
            + "; maak tabellen en teksten korter, of bouw alleen HTML en Markdown")


def _layout_pdf(html: str) -> bytes:
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
