"""Diagnostics as output: `text`, `parsable`, `json` and `github`.

Every format shows the same diagnostics in the same order and the exit code never
depends on the format; only the presentation differs. The JSON document is a
contract (docs/ci.md): its keys are English, like those of other CI tools, so it
can be read by generic tooling; its messages are Dutch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sopc.diagnostics import Diagnostic, Severity, Span, Summary, format_parsable, full_message

OUTPUT_FORMATS = ("text", "parsable", "json", "github")
JSON_FORMAT_VERSION = 1
_DUTCH_SEVERITY = {Severity.ERROR: "fout", Severity.WARNING: "waarschuwing",
                   Severity.INFO: "opmerking"}
_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning",
                   Severity.INFO: "notice"}
_COLOUR = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m",
           Severity.INFO: "\033[1;36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What the output needs to know of one checked file."""

    display: str
    kind: str
    diagnostics: Sequence[Diagnostic]
    outputs: Sequence[str] = ()

    @property
    def status(self) -> str:
        severities = {d.severity for d in self.diagnostics}
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
            if severity in severities:
                return severity.value
        return "ok"


def default_format(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """`github` inside GitHub Actions, `text` elsewhere."""
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_colour(stream: IO[str], environ: dict[str, str] | os._Environ[str] = os.environ
               ) -> bool:
    """Colour on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def ordered(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)


def all_diagnostics(files: Sequence[FileOutcome]) -> list[Diagnostic]:
    return ordered([d for outcome in files for d in outcome.diagnostics])


# -- text ----------------------------------------------------------------------------------

class SourceLines:
    """The lines of the checked files, read once each, for the excerpt under a message."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def line(self, file: str, number: int) -> str | None:
        if file not in self._files:
            try:
                text = Path(file).read_bytes().decode("utf-8", errors="replace")
                self._files[file] = text.lstrip("\ufeff").splitlines()
            except OSError:
                self._files[file] = None
        lines = self._files[file]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


def _excerpt(span: Span, line: str, paint: Callable[[str, str], str], colour: str) -> list[str]:
    """`  12 | brin: 6KG` with carets under the offending part (tabs shown as spaces)."""
    line = line.replace("\t", " ")
    if len(line) > 200:  # a minified or pasted line: show the part that matters
        start = max(0, span.col - 60)
        line, col = line[start:start + 160], span.col - start
    else:
        col = span.col
    end = span.end_col if span.end_line == span.line and span.end_col > col else len(line) + 1
    width = max(1, min(end, len(line) + 1) - col)
    number = str(span.line)
    gutter = " " * len(number)
    return [f"  {paint(number + ' |', _DIM)} {line}",
            f"  {paint(gutter + ' |', _DIM)} {' ' * (col - 1)}{paint('^' * width, colour)}"]


def format_text(diagnostic: Diagnostic, *, colour: bool = False,
                sources: SourceLines | None = None) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    severity = diagnostic.severity
    head = (f"{paint(f'{diagnostic.file}:{diagnostic.span.line}:{diagnostic.span.col}:', _BOLD)}"
            f" {paint(_DUTCH_SEVERITY[severity] + ':', _COLOUR[severity])} "
            f"{diagnostic.dotted_path}: {diagnostic.message} {paint(f'[{diagnostic.code}]', _DIM)}")
    lines = [head]
    source_line = sources.line(diagnostic.file, diagnostic.span.line) if sources else None
    if source_line is not None and source_line.strip():
        lines += _excerpt(diagnostic.span, source_line, paint, _COLOUR[severity])
    if diagnostic.hint:
        lines.append(f"  = {diagnostic.hint}")
    for file, span in diagnostic.related:
        lines.append(f"  = zie ook {file}:{span.line}:{span.col}")
    return "\n".join(lines)


def summary_line(files: int, diagnostics: Sequence[Diagnostic]) -> str:
    return Summary.of(files, diagnostics).dutch()


def render_text(files: Sequence[FileOutcome], *, quiet: bool = False, verbose: bool = False,
                colour: bool = False, written: Sequence[str] = ()) -> list[str]:
    sources = SourceLines()
    out = [format_text(d, colour=colour, sources=sources) for d in all_diagnostics(files)]
    if verbose and not quiet:
        out += [f"ok: {f.display}" for f in files if not f.diagnostics]
    if not quiet:
        for outcome in files:
            out += [f"geschreven: {path}" for path in outcome.outputs]
        out += [f"geschreven: {path}" for path in written]
        out.append(summary_line(len(files), all_diagnostics(files)))
    return out


def render_parsable(files: Sequence[FileOutcome]) -> list[str]:
    return [format_parsable(d) for d in all_diagnostics(files)]


def render_diagnostics(diagnostics: Sequence[Diagnostic], output_format: str) -> list[str]:
    """One line per diagnostic, no summary: `parsable`, or `text` without colour/excerpt."""
    formatter = format_parsable if output_format == "parsable" else format_text
    return [formatter(diagnostic) for diagnostic in ordered(diagnostics)]


# -- json ----------------------------------------------------------------------------------

def _span_json(file: str, span: Span) -> dict[str, Any]:
    return {"file": file, "line": span.line, "column": span.col,
            "end_line": span.end_line, "end_column": span.end_col}


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        **_span_json(diagnostic.file, diagnostic.span),
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
        "path": diagnostic.dotted_path,
        "path_parts": list(diagnostic.path),
        "related": [_span_json(file, span) for file, span in diagnostic.related],
    }


def render_json(files: Sequence[FileOutcome], version: str, exit_status: int,
                written: Sequence[str] = ()) -> str:
    summary = Summary.of(len(files), all_diagnostics(files))
    document = {
        "tool": "sopc",
        "version": version,
        "format_version": JSON_FORMAT_VERSION,
        "exit_code": exit_status,
        "summary": {"files": summary.files, "errors": summary.errors,
                    "warnings": summary.warnings, "infos": summary.infos,
                    "files_with_errors": sum(f.status == "error" for f in files)},
        "files": [{"file": f.display, "kind": f.kind, "status": f.status,
                   "outputs": list(f.outputs),
                   "diagnostics": [diagnostic_json(d) for d in ordered(f.diagnostics)]}
                  for f in files],
    }
    if written:  # pages of `sopc site` / `sopc overview` that belong to no single file
        document["written"] = list(written)
    return json.dumps(document, ensure_ascii=False, indent=2)


# -- github --------------------------------------------------------------------------------

def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostic: Diagnostic) -> str:
    """A workflow command: GitHub shows it as an annotation on that line of the PR."""
    span = diagnostic.span
    properties = (f"file={_escape_property(diagnostic.file)},line={span.line},col={span.col},"
                  f"endLine={span.end_line},endColumn={span.end_col},"
                  f"title={_escape_property(diagnostic.code)}")
    message = f"{diagnostic.dotted_path}: {full_message(diagnostic)}"
    return f"::{_GITHUB_COMMAND[diagnostic.severity]} {properties}::{_escape_data(message)}"


def render_github(files: Sequence[FileOutcome], *, quiet: bool = False) -> list[str]:
    out = [format_github(d) for d in all_diagnostics(files)]
    if not quiet:
        out.append(summary_line(len(files), all_diagnostics(files)))
    return out


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def step_summary(files: Sequence[FileOutcome]) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: totals, then every problem as a table row."""
    diagnostics = all_diagnostics(files)
    lines = [f"### sopc: {summary_line(len(files), diagnostics)}", ""]
    if not diagnostics:
        lines.append("Alle bestanden zijn in orde.")
        return "\n".join(lines) + "\n"
    lines += ["| Plaats | Soort | Code | Melding |", "|---|---|---|---|"]
    for d in diagnostics:
        where = f"`{_cell(d.file)}:{d.span.line}:{d.span.col}`"
        lines.append(f"| {where} | {_DUTCH_SEVERITY[d.severity]} | `{d.code}` | "
                     f"{_cell(full_message(d))} |")
    return "\n".join(lines) + "\n"


def append_step_summary(files: Sequence[FileOutcome],
                        environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
    target = environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(step_summary(files))


def emit(files: Sequence[FileOutcome], output_format: str, stream: IO[str], *,
         version: str, exit_status: int, quiet: bool = False, verbose: bool = False,
         written: Sequence[str] = ()) -> None:
    """Write the report for a run in the chosen format."""
    if output_format == "json":
        stream.write(render_json(files, version, exit_status, written) + "\n")
        return
    if output_format == "parsable":
        lines = render_parsable(files)
    elif output_format == "github":
        lines = render_github(files, quiet=quiet)
        append_step_summary(files)
    else:
        lines = render_text(files, quiet=quiet, verbose=verbose, colour=use_colour(stream),
                            written=written)
    for line in lines:
        stream.write(line + "\n")
