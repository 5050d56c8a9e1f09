"""Diagnostics and summaries as text for the terminal (formats `text` and `parsable`)."""

from __future__ import annotations

from collections.abc import Iterable

from sopc.diagnostics import Diagnostic, Severity, Summary, format_parsable

OUTPUT_FORMATS = ("text", "parsable")
_DUTCH_SEVERITY = {Severity.ERROR: "fout", Severity.WARNING: "waarschuwing",
                   Severity.INFO: "opmerking"}


def format_text(diagnostic: Diagnostic) -> str:
    line = (f"{diagnostic.file}:{diagnostic.span.line}:{diagnostic.span.col}: "
            f"{_DUTCH_SEVERITY[diagnostic.severity]}: {diagnostic.dotted_path}: "
            f"{diagnostic.message} [{diagnostic.code}]")
    if diagnostic.hint:
        line += f"\n    {diagnostic.hint}"
    return line


def render_diagnostics(diagnostics: Iterable[Diagnostic], output_format: str) -> list[str]:
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    formatter = format_parsable if output_format == "parsable" else format_text
    return [formatter(diagnostic) for diagnostic in ordered]


def summary_line(files: int, diagnostics: Iterable[Diagnostic]) -> str:
    return Summary.of(files, diagnostics).dutch()
