"""One record for every problem sopc reports, whatever stage found it.

YAML syntax errors, schema errors, cross-reference checks and template errors all
become a `Diagnostic`, so every output format and the exit code are computed in one
place. Kept free of heavy imports: `validate` and the CLI load it early.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# The dotted YAML path of a value: mapping keys and list indexes.
YamlPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based source range (end exclusive, like editors report it)."""

    line: int
    col: int
    end_line: int
    end_col: int

    @staticmethod
    def start_of_file() -> Span:
        return Span(1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str
    span: Span
    code: str
    message: str
    path: YamlPath = ()
    severity: Severity = Severity.ERROR
    hint: str | None = None
    related: tuple[tuple[str, Span], ...] = field(default=())

    @property
    def dotted_path(self) -> str:
        return format_path(self.path)

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
    return out or "(document)"


def full_message(diagnostic: Diagnostic) -> str:
    text = diagnostic.message
    if diagnostic.hint:
        text += f" ({diagnostic.hint})"
    return text


def format_parsable(diagnostic: Diagnostic) -> str:
    """gcc style, one line: `file:line:col: error: path: message [code]` (contract)."""
    return (
        f"{diagnostic.file}:{diagnostic.span.line}:{diagnostic.span.col}: "
        f"{diagnostic.severity.value}: {diagnostic.dotted_path}: "
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
                        for file, s in diagnostic.related]}


def diagnostic_from_dict(data: dict[str, Any]) -> Diagnostic:
    return Diagnostic(data["file"], Span(*data["span"]), data["code"], data["message"],
                      tuple(data["path"]), Severity(data["severity"]), data["hint"],
                      tuple((file, Span(*span)) for file, span in data["related"]))
