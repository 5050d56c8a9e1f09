"""Dates as an SOP writes them: 'JJJJ-MM-DD' or 'JJJJ-MM' in YAML, Dutch in documents."""

from __future__ import annotations

import calendar
import datetime
import re

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


# ASCII digits only ('\d' would take Arabic-Indic or fullwidth digits), and fullmatch:
# '$' matches before a final newline.
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
# An SOP is from this century; the bounds also keep date arithmetic (an SOP's age plus
# four years) inside what Python's dates can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2999
# The same rule for the JSON Schema, as far as a pattern can say it, which here is all
# of it: years 1900-2999, months 01-12, the days of each month, 29 February only in a
# leap year (divisible by 4; of the century years in range only 2000, 2400 and 2800).
# A test compares it with date_problem for every day of several centuries.
_YEAR = "(?:19|2[0-9])[0-9]{2}"
_LEAP_YEAR = "(?:(?:19|2[0-9])(?:0[48]|[2468][048]|[13579][26])|2000|2400|2800)"
DATE_PATTERN = (
    f"^(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8])"
    "|0[1-9]|1[0-2])"
    f"|{_LEAP_YEAR}-02-29)$")


def date_problem(text: str) -> str | None:
    """None for a real calendar date 'JJJJ-MM-DD' or month 'JJJJ-MM'; else why not (Dutch)."""
    match = _DATE.fullmatch(text)
    if not match:
        return (f"'{text}' is geen datum; schrijf 'JJJJ-MM-DD' (of 'JJJJ-MM' als alleen de "
                "maand bekend is), met gewone cijfers")
    year, month = int(match.group(1)), int(match.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return (f"'{text}' is geen datum: het jaar {year} ligt niet tussen {FIRST_YEAR} "
                f"en {LAST_YEAR}")
    if not 1 <= month <= 12:
        return f"'{text}' is geen datum: er is geen maand {month}"
    if match.group(3) is not None:
        day = int(match.group(3))
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return (f"'{text}' is geen datum: {day} {_MONTHS[month - 1]} {year} bestaat niet "
                    f"({_MONTHS[month - 1]} {year} heeft {last} dagen)")
    return None


def parse_sop_date(text: str) -> datetime.date:
    """'2021-11-15', or '2021-11' as the first of the month; `date_problem` checked it."""
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


def format_long_date(text: str | None) -> str | None:
    """'2018-03-27' → '27 maart 2018' (a title page); '2021-11' → 'november 2021'."""
    if not text:
        return None
    parts = text.split("-")
    month = _MONTHS[int(parts[1]) - 1]
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) > 2 else f"{month} {parts[0]}"


def format_day(day: datetime.date) -> str:
    return format_date(day.isoformat()) or ""


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)
