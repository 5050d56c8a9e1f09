"""User templates: a loader confined to its folder and a sandbox with limits.

As soon as user templates (`--templates`) take part, the renderer's environments are a
`BoundedSandbox`: a template can shape the document but cannot reach Python internals
or the file system, and every operation it runs is bounded in size, with the render's
deadline (sopc.bounds) checked at each step. Template files are read only when they
really lie inside their folder (a link out is refused) and are regular files.
"""

from __future__ import annotations

import functools
import re
import stat
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes
import jinja2.runtime
import jinja2.sandbox
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path

from sopc.bounds import MAX_DOCUMENT_CHARS, check_time
from sopc.diagnostics import dutch_number, dutch_os_error
from sopc.inputs import read_regular

# One string, list or number argument a template makes: nothing bigger than a whole
# document is needed (a block of a large school's document is a legitimate big value).
# A template from a pull request meets these long before the machine runs out of memory.
MAX_TEMPLATE_VALUE = MAX_DOCUMENT_CHARS
MAX_INTEGER_BITS = 4_096  # integers a template computes (10**1233 at most)
MAX_TEMPLATE_BYTES = 1_000_000  # one template file


class TemplateLimit(SecurityError):
    """A template asked for more than a document may cost (a huge string, list, number)."""


class TemplateOutsideFolder(jinja2.TemplateError):
    """A template file that is a link to somewhere outside its templates folder."""


class FolderLoader(jinja2.BaseLoader):
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
    """A template file's bytes and modification time: a regular file of at most
    MAX_TEMPLATE_BYTES, read without waiting on a FIFO (sopc.inputs.read_regular)."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise jinja2.TemplateError(f"de template '{name}' is geen gewoon bestand")
        data = read_regular(path, MAX_TEMPLATE_BYTES)
    except OSError as error:
        raise jinja2.TemplateError(
            f"de template '{name}' kan niet worden gelezen ({dutch_os_error(error)})") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise jinja2.TemplateError(
            f"de template '{name}' is groter dan {dutch_number(MAX_TEMPLATE_BYTES)} bytes")
    return data, status.st_mtime_ns


def _too_big(what: str) -> TemplateLimit:
    return TemplateLimit(f"de template maakt {what}; de grens is "
                         f"{dutch_number(MAX_TEMPLATE_VALUE)} tekens of elementen")


def _bounded(value: Any) -> Any:
    """A value a template made, if it is within the limits."""
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) \
            and len(value) > MAX_TEMPLATE_VALUE:
        raise _too_big(f"een waarde van {dutch_number(len(value))} tekens of elementen")
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
    return len(value) if isinstance(value, str) else text_size(value)


def text_size(value: Any, limit: int = MAX_TEMPLATE_VALUE) -> int:
    """About how many characters `str(value)` would make, without making them; counting
    stops just past `limit`. A list that holds one big string 200 times is counted 200
    times (that is what printing or joining it costs), each object's own size once."""
    known: dict[int, int] = {}

    def size(item: Any, depth: int) -> int:
        if isinstance(item, (str, bytes)):
            return len(item)
        if item is None or isinstance(item, (bool, int, float)):
            return 8
        key = id(item)
        if key in known:
            return known[key]
        total = 0
        if depth > 50:
            pass
        elif isinstance(item, dict):
            for entry_key, entry in item.items():
                total += size(entry_key, depth + 1) + size(entry, depth + 1) + 4
                if total > limit:
                    break
        elif isinstance(item, (list, tuple, set, frozenset)):
            for entry in item:
                total += size(entry, depth + 1) + 2
                if total > limit:
                    break
        else:  # an object of the view model: as big as the school file made it
            total = len(repr(item))
        known[key] = total
        return total

    return size(value, 0)


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
        if isinstance(sequence, sequences) and isinstance(count, int) and count > 0 \
                and max(len(sequence), text_size(sequence)) * count > MAX_TEMPLATE_VALUE:
            raise _too_big("een herhaling die te lang wordt")
    elif operator == "+" and isinstance(left, sequences) and isinstance(right, sequences):
        if max(len(left), text_size(left)) + max(len(right), text_size(right)) \
                > MAX_TEMPLATE_VALUE:
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
        check_time()
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
        elif values and isinstance(values[0], (list, tuple, dict, set, frozenset)) \
                and text_size(values[0]) > MAX_TEMPLATE_VALUE:  # pprint, tojson, string
            raise _too_big("een tekst die te lang wordt")
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
        check_time()
        _check_binop(operator, left, right)
        return _bounded(super().call_binop(context, operator, left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any,
             *args: Any, **kwargs: Any) -> Any:
        check_time()
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
        check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        check_time()
        return super().getitem(obj, argument)

    @staticmethod
    def checked_concat(join: Callable[[Iterable[Any]], Any], parts: tuple[Any, ...]) -> Any:
        check_time()
        _check_total(parts)
        return join(parts)
