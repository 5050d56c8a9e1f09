"""The placeholder values of `sopc new`, defined once, and the check that finds them.

`sopc.scaffold` writes a starter file from these constants and `placeholder_diagnostics`
reports every one of them still in a school file (`voorbeeldtekst`), so the two can
never drift: a starter that nobody filled in can never pass `sopc validate --strict`,
nor become a document for "Basisschool De Voorbeeld" without a warning.

Only values that no real school would write are placeholders. Dates and the school
year are not: a real SOP may well be adopted on any date an example would show, so the
starter invents no dates (it writes the current school year and leaves `vastgesteld`
and `mr_advies` for the school to fill in).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sopc.codes import CODES
from sopc.diagnostics import Diagnostic, YamlPath
from sopc.loader import LoadedFile
from sopc.models import SwvLayer

SCHOOL_NAME = "Basisschool De Voorbeeld"
BRIN = "00AA"
BOARD = "Stichting Voorbeeld"
PLACE = "Voorbeeldstad"
SWV_NAME = "Samenwerkingsverband Voorbeeld"
TEXT = "Vervang deze tekst door de tekst van uw school."
APPROACH = "Beschrijf een aanpak die de school ter beschikking heeft."
BOUNDARY = "Beschrijf wat de school niet kan bieden."
# The answer to every catalogue item: accepted for every kind of catalogue (sopc.resolve)
# and reported only as `voorbeeldtekst`.
ANSWER = "nog in te vullen"
# What parents need to reach the school, shown as commented examples (a school that
# leaves them out has nothing to replace); one that takes away the '#' and keeps the
# example would publish it in the parents' version.
CONTACT = "Anna de Vries, intern begeleider"
PHONE = "024 123 45 67"
EMAIL = "ib@onzeschool.nl"
WEBSITE = "www.onzeschool.nl"


@dataclass(frozen=True, slots=True)
class Placeholder:
    value: str
    what: str  # "de voorbeeldtekst", in the message
    hint: str


PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder(SCHOOL_NAME, "de voorbeeldnaam", "vul de naam van uw school in"),
    Placeholder(BRIN, "de voorbeeldcode", "vul de BRIN-code van uw school in: twee cijfers "
                                          "en twee hoofdletters, zoals 06KG"),
    Placeholder(BOARD, "de voorbeeldnaam", "vul de naam van het schoolbestuur in"),
    Placeholder(PLACE, "de voorbeeldplaats", "vul de plaats van uw school in"),
    Placeholder(SWV_NAME, "de voorbeeldnaam", "vul de naam van uw samenwerkingsverband in"),
    Placeholder(TEXT, "de voorbeeldtekst", "schrijf hier de tekst van uw school"),
    Placeholder(APPROACH, "de voorbeeldtekst",
                "beschrijf hier een aanpak die uw school voor dit cluster heeft; zet elke "
                "volgende aanpak op een eigen regel die met '- ' begint"),
    Placeholder(BOUNDARY, "de voorbeeldtekst",
                "beschrijf hier waarbij uw school een kind niet kan helpen; zet elke volgende "
                "grens op een eigen regel die met '- ' begint"),
    Placeholder(ANSWER, "het voorbeeldantwoord", "vul het antwoord van uw school in"),
    Placeholder(CONTACT, "de voorbeeldnaam",
                "vul in wie ouders kunnen benaderen, of haal de regel weg"),
    Placeholder(PHONE, "het voorbeeldnummer",
                "vul het telefoonnummer van uw school in, of haal de regel weg"),
    Placeholder(EMAIL, "het voorbeeldadres",
                "vul het e-mailadres voor ouders in, of haal de regel weg"),
    Placeholder(WEBSITE, "het voorbeeldadres",
                "vul de website van uw school in, of haal de regel weg"),
)


def _normal(text: str) -> str:
    """Case and spacing do not matter: 'Nog in te  vullen' is still the placeholder."""
    return " ".join(text.split()).casefold()


_BY_VALUE = {_normal(placeholder.value): placeholder for placeholder in PLACEHOLDERS}
_LONGEST = max(map(len, _BY_VALUE))


def _placeholder(value: Any) -> Placeholder | None:
    if not isinstance(value, str):
        return None
    # A long value (a school's text) is only a placeholder if it is nearly all spaces:
    # its normal form is at least as long as its characters that are not (casefold
    # never shortens), so more of them than the longest placeholder has rule it out
    # without normalising all of it.
    if len(value) > _LONGEST:
        if len("".join(value[:4 * _LONGEST].split())) > _LONGEST:
            return None
        return _BY_VALUE.get(_normal(value))  # mostly white space: not worth keeping
    return _short_placeholder(value)


# The short values of a file are mostly ids and answers that every school repeats.
@lru_cache(maxsize=4096)
def _short_placeholder(value: str) -> Placeholder | None:
    return _BY_VALUE.get(_normal(value))


def is_placeholder(value: Any) -> bool:
    """Whether `value` is one of the placeholder values `sopc new` writes."""
    return _placeholder(value) is not None


def answer_help(kind: str, legend: Sequence[str]) -> str:
    """What a school answers per item of a catalogue of this kind (comment and hint)."""
    if kind == "beschikbaarheid":
        choices = " of ".join([", ".join(legend[:-1]), legend[-1]] if len(legend) > 1
                              else legend)
        example = f"[{legend[0]}, {legend[-1]}]" if len(legend) > 1 else f"[{choices}]"
        return (f"{choices} (waar de school het heeft; één of meer, zoals {example}), "
                "of [] als de school het niet heeft")
    if kind in ("ja-nee", "lijst"):
        return "ja of nee"
    return "hoe het ervoor staat, zoals 'Actief toegepast'"


def _strings(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _hint(placeholder: Placeholder, path: YamlPath, layer: SwvLayer | None) -> str:
    if placeholder.value != ANSWER or layer is None or len(path) < 2 or path[0] != "aanbod":
        return placeholder.hint
    catalogue = next((c for c in layer.catalogues if c.id == path[1]), None)
    if catalogue is None:
        return placeholder.hint
    legend = [column.id for column in layer.legend]
    return f"vul het antwoord van uw school in: {answer_help(catalogue.kind, legend)}"


def contains_placeholder(data: Any) -> bool:
    """Whether any value of plain data (a school file as read) is still a placeholder."""
    waiting = [data]
    while waiting:
        value = waiting.pop()
        if isinstance(value, str):
            if _placeholder(value) is not None:
                return True
        elif isinstance(value, dict):
            waiting.extend(value.values())
        elif isinstance(value, list):
            waiting.extend(value)
    return False


def placeholder_diagnostics(loaded: LoadedFile, display: str | None = None,
                            layer: SwvLayer | None = None) -> list[Diagnostic]:
    """One `voorbeeldtekst` per placeholder value still in a school file, at its line.

    With the file's SWV layer, the hint for an unanswered catalogue item names the
    answers that catalogue takes."""
    if loaded.data is None or not contains_placeholder(loaded.data):
        return []
    where = display if display is not None else loaded.path
    found = []
    for path, text in _strings(loaded.data, ()):
        placeholder = _placeholder(text)  # shown as written by `sopc new`, on one line
        if placeholder is None:
            continue
        found.append(Diagnostic(
            where, loaded.source.value_span(path), "voorbeeldtekst",
            f"'{placeholder.value}' is nog {placeholder.what} van `sopc new`", path,
            severity=CODES["voorbeeldtekst"].severity,
            hint=_hint(placeholder, path, layer)))
    return found
