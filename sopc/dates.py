"""Dates as an SOP writes them: 'JJJJ-MM-DD' or 'JJJJ-MM' in YAML, Dutch in documents."""

from __future__ import annotations

import datetime

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


def parse_sop_date(text: str) -> datetime.date:
    """'2021-11-15', or '2021-11' as the first of the month; the schema checked the form."""
    parts = [int(part) for part in text.split("-")]
    return datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)


def format_date(text: str | None) -> str | None:
    """'2021-07-20' → '20-7-2021'; '2021-11' → 'november 2021' (as the references)."""
    if not text:
        return None
    parts = text.split("-")
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return f"{int(parts[2])}-{int(parts[1])}-{parts[0]}"


def format_day(day: datetime.date) -> str:
    return format_date(day.isoformat()) or ""


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)
