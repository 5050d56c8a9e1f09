"""Dutch for the strings Click (under Typer) prints: usage, help and usage errors.

Click looks its strings up through gettext's `_`, bound per module at import, so the
CLI swaps in a catalogue lookup there. Strings not in the catalogue stay as they are.
"""

from __future__ import annotations

import importlib

DUTCH = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Probeer '{command} {option}' voor hulp.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "Missing argument": "Argument ontbreekt",
    "Missing option": "Optie ontbreekt",
    "Missing parameter": "Parameter ontbreekt",
    "Missing command.": "Opdracht ontbreekt.",
    "Missing argument '{name}'.": "Argument '{name}' ontbreekt.",
    "Missing option '{name}'.": "Optie '{name}' ontbreekt.",
    "Missing {param_type}": "{param_type} ontbreekt",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Option {name!r} requires an argument.": "Optie {name!r} heeft een waarde nodig.",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Aborted!": "Afgebroken!",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
}
_MODULES = ("click.core", "click.exceptions", "click.formatting", "click.decorators",
            "click.parser", "click.types", "typer.core")


def _translate(message: str) -> str:
    return DUTCH.get(message, message)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


def install() -> None:
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - optional module across versions
            continue
        if hasattr(module, "_"):
            setattr(module, "_", _translate)  # noqa: B010 - module attribute swap
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", _translate_plural)  # noqa: B010
