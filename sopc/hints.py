"""Hints for a mistyped id or name: the closest known one, else the list of known ones."""

from __future__ import annotations

import difflib


def did_you_mean(value: str, known: list[str], otherwise: str | None = None) -> str | None:
    """'bedoelde u ...?' for the closest of `known`; without one, `otherwise` or the list
    of known ones."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if close:
        return f"bedoelde u '{close[0]}'?"
    if otherwise is not None:
        return otherwise
    return ("bekend: " + ", ".join(known)) if known else None
