"""Diagnostics as output: `text`, `parsable`, `json` and `github`.

Every format shows the same diagnostics in the same order and the exit code never
depends on the format; only the presentation differs. The JSON document is a
contract (docs/ci.md): its keys are English, like those of other CI tools, so it
can be read by generic tooling; its messages are Dutch.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sopc.diagnostics import (
    Diagnostic,
    Excerpt,
    Severity,
    Span,
    Summary,
    dutch_number,
    dutch_os_error,
    format_parsable,
    full_message,
    is_hidden_character,
    terminal_safe,
)

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
    unchanged: bool = False  # outputs of an earlier build, not written again
    not_built: bool = False  # a school a build wrote nothing for (its errors say why)

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

def _excerpt(span: Span, excerpt: Excerpt, paint: Callable[[str, str], str], colour: str
             ) -> list[str]:
    """`  12 | brin: 6KG` with carets under the offending part; a tab is shown as `→`
    (one column, like the tab it stands for), so a tab in the indentation is seen.

    The line is the one the loader read (it travels with the diagnostic): no file is
    opened again here. Control characters in it are shown as escapes, and the carets
    move along with them."""
    line = excerpt.text.replace("\t", "→")
    col = span.col - excerpt.first_col + 1
    end = span.end_col - excerpt.first_col + 1 \
        if span.end_line == span.line and span.end_col > span.col else len(line) + 1
    col = min(max(col, 1), len(line) + 1)
    end = min(max(end, col + 1), len(line) + 1)
    before = terminal_safe(line[:col - 1])
    marked = terminal_safe(line[col - 1:end - 1])
    number = str(span.line)
    gutter = " " * len(number)
    return [f"  {paint(number + ' |', _DIM)} {terminal_safe(line)}",
            f"  {paint(gutter + ' |', _DIM)} {' ' * len(before)}"
            f"{paint('^' * max(1, len(marked)), colour)}"]


def format_text(diagnostic: Diagnostic, *, colour: bool = False, excerpt: bool = True) -> str:
    """A diagnostic for people: the head line, the source line with carets, the hint.

    Everything that came from the input is made terminal-safe; only sopc's own colour
    codes reach the terminal as escape sequences."""
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    severity = diagnostic.severity
    where = terminal_safe(f"{diagnostic.file}:{diagnostic.span.line}:{diagnostic.span.col}:")
    head = (f"{paint(where, _BOLD)}"
            f" {paint(_DUTCH_SEVERITY[severity] + ':', _COLOUR[severity])} "
            f"{terminal_safe(diagnostic.path_prefix)}{terminal_safe(diagnostic.message)} "
            f"{paint(f'[{terminal_safe(diagnostic.code)}]', _DIM)}")
    lines = [head]
    source = diagnostic.excerpt if excerpt else None
    if source is not None and source.text.strip():
        lines += _excerpt(diagnostic.span, source, paint, _COLOUR[severity])
    if diagnostic.hint:
        lines.append(f"  = {terminal_safe(diagnostic.hint)}")
    for file, span in diagnostic.related:
        lines.append(f"  = zie ook {terminal_safe(file)}:{span.line}:{span.col}")
    return "\n".join(lines)


def summary_line(files: int, diagnostics: Sequence[Diagnostic]) -> str:
    return Summary.of(files, diagnostics).dutch()


def render_text(files: Sequence[FileOutcome], *, quiet: bool = False, verbose: bool = False,
                colour: bool = False, written: Sequence[str] = ()) -> list[str]:
    out = [format_text(d, colour=colour) for d in all_diagnostics(files)]
    if verbose and not quiet:
        out += [f"ok: {terminal_safe(f.display)}" for f in files if not f.diagnostics]
    if not quiet:
        for outcome in files:
            if not outcome.unchanged:
                out += [f"geschreven: {terminal_safe(path)}" for path in outcome.outputs]
        out += [f"geschreven: {terminal_safe(path)}" for path in written]
        for outcome in files:
            if outcome.not_built:
                errors = sum(d.severity is Severity.ERROR for d in outcome.diagnostics)
                out.append(f"niet gebouwd: {terminal_safe(outcome.display)} (zie "
                           f"{'de fout' if errors == 1 else 'de fouten'} hierboven)")
        kept = sum(len(outcome.outputs) for outcome in files if outcome.unchanged)
        if kept:
            out.append(f"ongewijzigd: {dutch_number(kept)} "
                       f"{'document' if kept == 1 else 'documenten'} (er veranderde niets "
                       "sinds de vorige build; --force maakt ze opnieuw)")
        out.append(summary_line(len(files), all_diagnostics(files)))
    return out


def render_parsable(files: Sequence[FileOutcome]) -> list[str]:
    return [format_parsable(d) for d in all_diagnostics(files)]


def render_diagnostics(diagnostics: Sequence[Diagnostic], output_format: str) -> list[str]:
    """One line per diagnostic, no summary: `parsable`, or `text` without colour/excerpt."""
    if output_format == "parsable":
        return [format_parsable(diagnostic) for diagnostic in ordered(diagnostics)]
    return [format_text(diagnostic, excerpt=False) for diagnostic in ordered(diagnostics)]


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
    import json  # only for this format (~1 ms of a cold start)

    return json_terminal_safe(json.dumps(document, ensure_ascii=False, indent=2))


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if not is_hidden_character(char):
        return char
    point = ord(char)
    if 0xD800 <= point <= 0xDFFF:  # an undecodable byte of a file name: as in every format
        import json

        return json.dumps(terminal_safe(char))[1:-1]
    if point > 0xFFFF:  # JSON escapes are UTF-16: a surrogate pair
        point -= 0x10000
        return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"
    return f"\\u{point:04x}"


_NOT_PLAIN_ASCII = re.compile("[^\n\x20-\x7e]")


def json_terminal_safe(document: str) -> str:
    """JSON whose text never steers a terminal, with the same data.

    `json.dumps` escapes the C0 controls; the other characters `terminal_safe` hides (C1
    such as U+009B, bidi overrides, zero-width and tag characters, line separators)
    become JSON escapes here, so a parser still reads exactly the original string. An
    undecodable byte of a file name (a lone surrogate, which is not valid in JSON text
    and which many parsers refuse) becomes the text `\\xff`, as in the other formats."""
    return _NOT_PLAIN_ASCII.sub(_json_escape, document)


# -- github --------------------------------------------------------------------------------

def _escape_data(text: str) -> str:
    """A workflow command's message: one line, terminal-safe, `%` escaped as GitHub asks."""
    return terminal_safe(text).replace("%", "%25")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(file: str, environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """`file` relative to GITHUB_WORKSPACE (the checkout), where GitHub looks for it.

    Reported paths are relative to the working folder; a job that runs sopc in a
    subfolder (`working-directory:`) would otherwise put its annotations on files GitHub
    cannot find. A path outside the workspace is left as it is."""
    workspace = environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return file
    try:
        absolute = os.path.abspath(file)
        root = os.path.abspath(workspace)
        if os.path.commonpath([absolute, root]) != root:
            return file
        return Path(os.path.relpath(absolute, root)).as_posix()
    except ValueError:  # another drive on Windows, an embedded NUL
        return file


def format_github(diagnostic: Diagnostic,
                  environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """A workflow command: GitHub shows it as an annotation on that line of the PR."""
    span = diagnostic.span
    file = workspace_path(diagnostic.file, environ)
    properties = (f"file={_escape_property(file)},line={span.line},col={span.col},"
                  f"endLine={span.end_line},endColumn={span.end_col},"
                  f"title={_escape_property(diagnostic.code)}")
    message = f"{diagnostic.path_prefix}{full_message(diagnostic)}"
    return f"::{_GITHUB_COMMAND[diagnostic.severity]} {properties}::{_escape_data(message)}"


def render_github(files: Sequence[FileOutcome], *, quiet: bool = False) -> list[str]:
    out = [format_github(d) for d in all_diagnostics(files)]
    if not quiet:
        out.append(summary_line(len(files), all_diagnostics(files)))
    return out


_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _cell(text: str) -> str:
    """Text for a cell of the step summary (GitHub Markdown, where HTML would pass):
    terminal-safe, so one line, and every ASCII punctuation character backslash-escaped,
    so no `|`, `<tag>`, `[link](…)`, `*` or `` ` `` in a file name or message is markup."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", terminal_safe(text))


def step_summary(files: Sequence[FileOutcome]) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: totals, then every problem as a table row."""
    diagnostics = all_diagnostics(files)
    lines = [f"### sopc: {summary_line(len(files), diagnostics)}", ""]
    if not diagnostics:
        lines.append("Alle bestanden zijn in orde.")
        return "\n".join(lines) + "\n"
    lines += ["| Plaats | Soort | Code | Melding |", "|---|---|---|---|"]
    for d in diagnostics:
        where = _cell(f"{workspace_path(d.file)}:{d.span.line}:{d.span.col}")
        lines.append(f"| {where} | {_DUTCH_SEVERITY[d.severity]} | {_cell(d.code)} | "
                     f"{_cell(d.path_prefix + full_message(d))} |")
    return "\n".join(lines) + "\n"


def append_step_summary(files: Sequence[FileOutcome],
                        environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
    target = environ.get("GITHUB_STEP_SUMMARY")
    if target:
        try:
            with open(target, "a", encoding="utf-8", errors="backslashreplace") as handle:
                handle.write(step_summary(files))
        except OSError as error:  # the annotations on stdout still tell everything
            print(terminal_safe(f"sopc: kan de samenvatting voor GitHub niet schrijven "
                                f"({target}): {dutch_os_error(error)}"), file=sys.stderr)


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
