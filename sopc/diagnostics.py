"""One record for every problem sopc reports, whatever stage found it.

YAML syntax errors, schema errors, cross-reference checks and template errors all
become a `Diagnostic`, so every output format and the exit code are computed in one
place. Kept free of heavy imports: `validate` and the CLI load it early.
"""

from __future__ import annotations

import errno
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# The dotted YAML path of a value: mapping keys and list indexes.
YamlPath = tuple[str | int, ...]


class Span(NamedTuple):
    """A 1-based source range (end exclusive, like editors report it). A named tuple:
    a diagnostic and a school's key hold one (a frozen dataclass took 3x as long to
    make)."""

    line: int
    col: int
    end_line: int
    end_col: int

    @staticmethod
    def start_of_file() -> Span:
        return Span(1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The source line under a diagnostic, as the loader read and accepted it.

    The text output never opens a file again for its excerpt: the line travels with
    the diagnostic. A very long line keeps only a window around the span; `first_col`
    is the column (1-based) of the window's first character.
    """

    text: str
    first_col: int = 1

    WINDOW = 160
    LONG_LINE = 200

    @staticmethod
    def of(line: str, col: int) -> Excerpt:
        if len(line) <= Excerpt.LONG_LINE:
            return Excerpt(line)
        start = max(0, col - 60)  # a minified or pasted line: keep the part that matters
        return Excerpt(line[start:start + Excerpt.WINDOW], start + 1)


_FROM_CODE_TABLE: Any = None


def default_severity(code: str) -> Severity:
    """The severity of `code` in sopc.codes (imported late: that table imports this module)."""
    from sopc.codes import CODES

    info = CODES.get(code)
    return info.severity if info is not None else Severity.ERROR


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str
    span: Span
    code: str
    message: str
    path: YamlPath = ()
    # Left out, the severity is the code's in the one table (sopc.codes), set right here
    # when the diagnostic is made: no stage ever sees a placeholder severity.
    severity: Severity = _FROM_CODE_TABLE
    hint: str | None = None
    related: tuple[tuple[str, Span], ...] = field(default=())
    # Presentation only (the text output's excerpt): two diagnostics that say the same
    # thing at the same place are equal, with or without it.
    excerpt: Excerpt | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.severity is None:
            object.__setattr__(self, "severity", default_severity(self.code))

    @property
    def dotted_path(self) -> str:
        return format_path(self.path)

    @property
    def path_prefix(self) -> str:
        """'sop.schooljaar: ' before the message; nothing for the file as a whole."""
        return f"{format_path(self.path)}: " if self.path else ""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.span.line, self.span.col, self.code)


def format_path(path: YamlPath) -> str:
    """`('clusters', 0, 'aanpakken')` → `clusters[0].aanpakken`; a very deep path is
    shortened in the middle (the line and column say where it is)."""
    if len(path) > 12:
        return f"{format_path(path[:4])}…{format_path(path[-2:]).lstrip('.')}"
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


# -- text that reaches a terminal, a CI log or a workflow command ---------------------------

# Unicode categories never shown as is: control characters (C0, DEL, C1 such as U+009B,
# the 8-bit CSI), format characters (bidi overrides, zero-width characters, tag
# characters), line and paragraph separators, and surrogates (an undecodable byte of a
# file name, kept by Python as U+DC80-U+DCFF).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible_escape(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{point - 0xDC00:02x}"
    if point < 0x100:
        return f"\\x{point:02x}"
    if point < 0x10000:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def terminal_safe(text: str) -> str:
    """`text` with every invisible or controlling character shown as an escape.

    The one policy for every string from a file, a file name or sopc.toml on its way to
    a terminal, a CI log or a GitHub workflow command: ESC, CSI and other control
    characters cannot steer the terminal, a line break cannot start a forged line
    (`file:1:1: error`, `::add-mask::`), and bidi overrides and zero-width characters
    cannot make the text read differently from what it is. They appear as Python-style
    escapes: `\\n`, `\\r`, `\\t`, `\\x1b`, `\\x9b`, `\\u202e`; an undecodable byte
    of a file name as `\\xff`. (A backslash itself is left alone: the text `\\x1b`
    typed in a file looks the same, but it steers nothing.)
    """
    if text.isprintable():  # the common case: nothing to do
        return text
    return "".join(_visible_escape(char) if unicodedata.category(char) in _HIDDEN_CATEGORIES
                   else char for char in text)


# The colour codes sopc itself writes (sopc.output); nothing else steers the terminal.
_OWN_COLOURS = re.compile("(\x1b\\[(?:0|1|2|1;3[136])m)")
_ASCII_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def terminal_safe_stream(text: str) -> str:
    """Text on its way to stdout as a whole, made terminal-safe as a last line of
    defence: line breaks, tabs and sopc's own colour codes stay, every other control,
    bidi or zero-width character becomes an escape (see `terminal_safe`)."""
    if text.isascii() and not _ASCII_CONTROLS.search(text):
        return text
    parts = _OWN_COLOURS.split(text)
    for index in range(0, len(parts), 2):  # the odd ones are sopc's colour codes
        parts[index] = "\n".join("\t".join(terminal_safe(cell) for cell in line.split("\t"))
                                 for line in parts[index].split("\n"))
    return "".join(parts)


def is_hidden_character(char: str) -> bool:
    """A character `terminal_safe` shows as an escape."""
    return unicodedata.category(char) in _HIDDEN_CATEGORIES


# -- operating-system errors in Dutch ------------------------------------------------------

_DUTCH_OS_ERRORS = {
    errno.ENOENT: "het bestand of de map bestaat niet",
    errno.EACCES: "geen toegang (onvoldoende rechten)",
    errno.EPERM: "niet toegestaan (onvoldoende rechten)",
    errno.EISDIR: "het is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (het quotum) is op",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.EEXIST: "het bestaat al",
    errno.ENAMETOOLONG: "de naam of het pad is te lang",
    errno.ELOOP: "te veel symbolische links na elkaar (een kring?)",
    errno.EMFILE: "te veel open bestanden",
    errno.ENFILE: "te veel open bestanden op dit systeem",
    errno.EIO: "lees- of schrijffout van het apparaat",
    errno.ENXIO: "geen gewoon bestand (een apparaat of een pijp)",
    errno.ENODEV: "het apparaat bestaat niet",
    errno.EBUSY: "het is in gebruik",
    errno.ETXTBSY: "het is in gebruik",
    errno.EINVAL: "deze bewerking kan niet met dit bestand",
    errno.EFBIG: "het bestand wordt te groot",
    errno.ENOMEM: "te weinig geheugen",
    errno.EPIPE: "de ontvanger van de uitvoer is gestopt",
    errno.EAGAIN: "tijdelijk niet beschikbaar; probeer het opnieuw",
    errno.EXDEV: "kan niet verplaatsen naar een ander bestandssysteem",
    errno.ENOTEMPTY: "de map is niet leeg",
    errno.EBADF: "het bestand is niet (meer) open",
    errno.ESPIPE: "het is geen gewoon bestand",
    errno.ESTALE: "het netwerkbestand is niet meer beschikbaar",
    errno.ETIMEDOUT: "het duurde te lang",
}


def dutch_os_error(error: OSError) -> str:
    """Why an operating-system call failed, in Dutch, without the file name.

    Use it instead of `error.strerror`, which is English ("Permission denied"):
    `f"kan het bestand niet lezen: {dutch_os_error(error)}"`.
    """
    number = error.errno
    if number is None:
        return "onbekende fout van het besturingssysteem"
    known = _DUTCH_OS_ERRORS.get(number)
    if known is not None:
        return known
    name = errno.errorcode.get(number, str(number))
    return f"fout van het besturingssysteem ({name})"


def dutch_number(number: int) -> str:
    """15.322 as a Dutch reader writes it (only the number: a message may hold a name
    with a comma in it)."""
    return f"{number:,}".replace(",", ".")


def quoted_list(names: Sequence[str], quote: bool = True) -> str:
    """"'a', 'b' en 'c'": names in a Dutch sentence."""
    quoted = [f"'{name}'" if quote else name for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " en " + quoted[-1]


def full_message(diagnostic: Diagnostic) -> str:
    text = diagnostic.message
    if diagnostic.hint:
        text += f" ({diagnostic.hint})"
    return text


def format_parsable(diagnostic: Diagnostic) -> str:
    """gcc style, always exactly one line: `file:line:col: error: path: message [code]`
    (contract); what came from the input is made terminal-safe."""
    return terminal_safe(
        f"{diagnostic.file}:{diagnostic.span.line}:{diagnostic.span.col}: "
        f"{diagnostic.severity.value}: {diagnostic.path_prefix}"
        f"{full_message(diagnostic)} [{diagnostic.code}]"
    )


@dataclass(frozen=True, slots=True)
class Summary:
    files: int
    errors: int
    warnings: int
    infos: int

    @staticmethod
    def of(files: int, diagnostics: Iterable[Diagnostic]) -> Summary:
        counts = dict.fromkeys(Severity, 0)
        for diagnostic in diagnostics:
            counts[diagnostic.severity] += 1
        return Summary(files, counts[Severity.ERROR], counts[Severity.WARNING],
                       counts[Severity.INFO])

    def dutch(self) -> str:
        files = "1 bestand" if self.files == 1 else f"{self.files} bestanden"
        errors = "1 fout" if self.errors == 1 else f"{self.errors} fouten"
        warnings = "1 waarschuwing" if self.warnings == 1 else f"{self.warnings} waarschuwingen"
        line = f"{files} gecontroleerd: {errors}, {warnings}"
        if self.infos:
            line += f", {self.infos} opmerking" + ("en" if self.infos != 1 else "")
        return line + "."


def exit_code(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> int:
    """0 no errors (warnings allowed), 1 errors (or warnings under --strict)."""
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in diagnostics) else 0


def diagnostic_to_dict(diagnostic: Diagnostic) -> dict[str, object]:
    """A diagnostic as plain data (the incremental-build manifest stores them)."""
    span = diagnostic.span
    return {"file": diagnostic.file, "span": [span.line, span.col, span.end_line, span.end_col],
            "code": diagnostic.code, "message": diagnostic.message,
            "path": list(diagnostic.path), "severity": diagnostic.severity.value,
            "hint": diagnostic.hint,
            "related": [[file, [s.line, s.col, s.end_line, s.end_col]]
                        for file, s in diagnostic.related],
            "excerpt": ([diagnostic.excerpt.text, diagnostic.excerpt.first_col]
                        if diagnostic.excerpt else None)}


def diagnostic_from_dict(data: dict[str, Any]) -> Diagnostic:
    stored = data.get("excerpt")
    excerpt = (Excerpt(stored[0], stored[1])
               if isinstance(stored, list) and len(stored) == 2 and isinstance(stored[0], str)
               and isinstance(stored[1], int) and stored[1] >= 1 else None)
    return Diagnostic(data["file"], Span(*data["span"]), data["code"], data["message"],
                      tuple(data["path"]), Severity(data["severity"]), data["hint"],
                      tuple((file, Span(*span)) for file, span in data["related"]),
                      excerpt)
