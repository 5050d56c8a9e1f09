"""Hints for a mistyped id or name: the closest known one, else the list of known ones."""

from __future__ import annotations

import difflib


def did_you_mean(value: str, known: list[str]) -> str | None:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if close:
        return f"bedoelde u '{close[0]}'?"
    return ("bekend: " + ", ".join(known)) if known else None
