"""Which lines of a reference SOP do not appear in sopc's output (see test_fidelity)."""

from __future__ import annotations

import re
from pathlib import Path

from textextract import normalise

FIDELITY_DIR = Path(__file__).parent / "fidelity"
# Layout of the PDF-to-text conversion, not content: bullet glyphs (private-use
# characters), "o"/"-" list markers, the dot after a section number, autolink brackets.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_BULLET = re.compile(r"^(?:o|-)\s+")
_SECTION_DOT = re.compile(r"^(\d+(?:\.\d+)*)\.(\s|$)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


def reference_lines(name: str) -> list[str]:
    text = (FIDELITY_DIR / "reference" / f"{name}.txt").read_text(encoding="utf-8")
    lines = []
    for raw in text.splitlines():
        line = normalise(_PRIVATE_USE.sub(" ", raw))
        line = _AUTOLINK.sub(r"\1", _BULLET.sub("", line))
        if len(line.split()) <= 8:  # a heading: "3.2.1. Factoren" is "3.2.1 Factoren"
            line = _SECTION_DOT.sub(r"\1\2", line)
        line = normalise(line)
        if line:
            lines.append(line)
    return lines


def listed(name: str, kind: str) -> dict[str, str]:
    """`<name>.<kind>.txt`: one entry a line, `text<TAB>reason` (reason optional)."""
    path = FIDELITY_DIR / f"{name}.{kind}.txt"
    entries: dict[str, str] = {}
    if not path.exists():
        return entries
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        text, _, reason = raw.partition("\t")
        entries[normalise(text)] = reason.strip()
    return entries


def missing(name: str, output_text: str, output_format: str = "") -> list[str]:
    """The reference lines (and extra table lines) not in `output_text`; a format may
    list lines its text extraction cannot show in order (`<name>.<format>-exceptions.txt`,
    each with its reason)."""
    exceptions = listed(name, "exceptions")
    wanted = [line for line in reference_lines(name) if line not in exceptions]
    wanted += list(listed(name, "extra"))
    if output_format:
        wanted = [line for line in wanted
                  if line not in listed(name, f"{output_format}-exceptions")]
    return [line for line in wanted if line not in output_text]
