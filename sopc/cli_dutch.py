"""Dutch for everything Click (under Typer) prints: help, usage and usage errors.

Two Click generations meet here: Click itself looks its strings up through gettext's
`_` (bound per module at import, so `install` swaps in a catalogue lookup), while the
copy of Click inside newer Typer (`typer._click`) has the English written in. So the
text Click produces is translated where it leaves Click, whichever copy made it:
- help and usage text: `Context.get_help` / `Context.get_usage` are wrapped, and
  `dutch_help` translates the few English words of their layout (headings, metavars,
  "Show this message and exit.", "[default: …]");
- usage errors: the CLI runs Click with `standalone_mode=False`, catches the error and
  prints `usage_error_text(error)`, built from the error's own fields (option name,
  parameter, possibilities), never from its English message where avoidable.
Every string that came from the command line is made terminal-safe.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

from sopc.diagnostics import terminal_safe

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
# The modules of Click itself that look their strings up through gettext (see `install`);
# Typer's own copy has its English written in, Typer's core uses gettext as well.
_CLICK_GETTEXT_MODULES = ("click.core", "click.exceptions", "click.formatting",
                          "click.decorators", "click.parser", "click.types")

# What a pattern is replaced by: a template ('\\1') or a function of the match.
_Rewrites = tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...]


# The English of Click's help layout.
_HELP_WORDS: _Rewrites = tuple(
    (re.compile(pattern, re.MULTILINE), dutch) for pattern, dutch in (
        (r"^Usage: ", "Gebruik: "),
        (r"^Options:$", "Opties:"),
        (r"^Arguments:$", "Argumenten:"),
        (r"^Commands:$", "Opdrachten:"),
        (r"Show this message and exit\.", "Toon deze hulp en stop."),
        (r"Show the version and exit\.", "Toon de versie en stop."),
        (r"\[OPTIONS\]", "[OPTIES]"),
        (r"\bCOMMAND \[ARGS\]\.\.\.", "OPDRACHT [ARGUMENTEN]..."),
        (r"\[default: ([^\]]*)\]", r"[standaard: \1]"),
        (r"\[required\]", "[verplicht]"),
        (r"\[x>=(\d+)\]", r"[minstens \1]"),
        (r"\[(\d+)<=x<=(\d+)\]", r"[\1 tot en met \2]"),
    ))
# The names Click makes from sopc's parameters and their types (translated where Click
# makes them, so its help table keeps its columns).
_METAVARS: _Rewrites = tuple(
    (re.compile(pattern), dutch) for pattern, dutch in (
        (r"\bINTEGER RANGE\b", "GETAL"),
        (r"\bINTEGER\b", "GETAL"),
        (r"\bFLOAT\b", "GETAL"),
        (r"\bTEXT\b", "TEKST"),
        (r"\bBOOLEAN\b", "JA/NEE"),
        (r"\bPATHS\b", "PADEN"),
        (r"\bPATH\b", "PAD"),
        (r"\bFILE\b", "BESTAND"),
        (r"\bFOLDER\b", "MAP"),
        (r"\bOLD\b", "OUD"),
        (r"\bNEW\b", "NIEUW"),
    ))

# Click's messages for a value it could not use (the part after the parameter name).
_VALUE_MESSAGES: _Rewrites = tuple(
    (re.compile(pattern), dutch) for pattern, dutch in (
        (r"^(.*) is not a valid integer(?: range)?\.$", r"\1 is geen geheel getal"),
        (r"^(.*) is not a valid float(?: range)?\.$", r"\1 is geen getal"),
        (r"^(.*) is not a valid boolean\.$", r"\1 is geen ja of nee"),
        (r"^(.*) is not in the range x>=(-?\d+)\.$", r"\1 is te klein: minstens \2"),
        (r"^(.*) is not in the range x<=(-?\d+)\.$", r"\1 is te groot: hoogstens \2"),
        (r"^(.*) is not in the range (.*)\.$", r"\1 valt buiten het bereik \2"),
        (r"^(.*) is not one of (.*)\.$", r"\1 is niet een van \2"),
        (r"^(.*) is not a valid UUID\.$", r"\1 is geen geldige UUID"),
        (r"^'?(.*?)'?: No such file or directory$", r"'\1' bestaat niet"),
        (r"^Value must be an iterable\.$", "een lijst van waarden verwacht"),
    ))


def _one_of(suggestions: str) -> str:
    """Typer's "'a', 'b', 'c'" as Dutch lists alternatives: "'a', 'b' of 'c'"."""
    first, comma, last = suggestions.rpartition(", ")
    return f"{first} of {last}" if comma else suggestions


# Click's usage-error messages that carry no fields of their own.
_USAGE_MESSAGES: _Rewrites = tuple(
    (re.compile(pattern), dutch) for pattern, dutch in (
        # Typer adds its suggestions to Click's message (translated or not)
        (r"^(?:No such command|Onbekende opdracht) '(.*?)'\. Did you mean (.*)\?$",
         lambda found: f"onbekende opdracht '{found[1]}' (bedoelde u "
                       f"{_one_of(found[2])}?)"),
        (r"^No such command '(.*)'\.$", r"onbekende opdracht '\1'"),
        (r"^Onbekende opdracht '(.*)'\.$", r"onbekende opdracht '\1'"),  # via DUTCH
        (r"^Missing command\.?$", "opdracht ontbreekt"),
        (r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$",
         r"onverwacht extra argument: \1"),
        (r"^Option '(.*)' requires an argument\.$", r"optie '\1' heeft een waarde nodig"),
        (r"^Option '(.*)' requires (\d+) arguments\.$", r"optie '\1' heeft \2 waarden nodig"),
        (r"^Option '(.*)' does not take a value\.$", r"optie '\1' neemt geen waarde"),
        (r"^No such option: (.*)$", r"onbekende optie: \1"),
        (r"^Argument '(.*)' takes (\d+) values\.$", r"argument '\1' neemt \2 waarden"),
        (r"^(.*) option requires an argument$", r"optie \1 heeft een waarde nodig"),
    ))


def _translate(message: str) -> str:
    return DUTCH.get(message, message)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


def _rewrite(text: str, table: _Rewrites) -> str | None:
    for pattern, dutch in table:
        translated, count = pattern.subn(dutch, text)
        if count:
            return translated
    return None


def dutch_help(text: str) -> str:
    """Click's help or usage text with the English of its layout in Dutch."""
    for pattern, dutch in _HELP_WORDS:
        text = pattern.sub(dutch, text)
    return text


def dutch_metavar(text: str) -> str:
    """A parameter's name in help and usage (`PATHS`, `INTEGER RANGE`) in Dutch."""
    for pattern, dutch in _METAVARS:
        text = pattern.sub(dutch, text)
    return text


def _click_package() -> str:
    """The Click that Typer runs on: its own copy (newer Typer) or Click itself. Only that
    one is translated: importing Click itself next to Typer's copy, when another tool
    installed it, cost every start ~10 ms for nothing."""
    import typer.core

    return "typer._click" if hasattr(typer.core, "_click") else "click"


def _click_modules(package: str) -> list[ModuleType]:
    """The core of the Click in use, and Typer's parameter classes."""
    modules = []
    for name in (f"{package}.core", "typer.core"):
        try:
            modules.append(importlib.import_module(name))
        except ImportError:  # pragma: no cover - optional module across versions
            continue
    return modules


def _dutch_method(method: Callable[..., str], translate: Callable[[str], str]
                  ) -> Callable[..., str]:
    def translated(*args: Any, **kwargs: Any) -> str:
        return translate(method(*args, **kwargs))

    translated.__wrapped__ = method  # type: ignore[attr-defined]
    return translated


def install() -> None:
    package = _click_package()
    for name in (*(_CLICK_GETTEXT_MODULES if package == "click" else ()), "typer.core"):
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - optional module across versions
            continue
        if hasattr(module, "_"):
            setattr(module, "_", _translate)  # noqa: B010 - module attribute swap
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", _translate_plural)  # noqa: B010
    for core in _click_modules(package):
        targets: list[tuple[Any, tuple[str, ...], Callable[[str], str]]] = [
            (getattr(core, "Context", None), ("get_help", "get_usage"), dutch_help)]
        targets += [(getattr(core, name, None), ("make_metavar",), dutch_metavar)
                    for name in ("Parameter", "Option", "Argument", "TyperArgument",
                                 "TyperOption")]
        for owner, methods, translate in targets:
            for name in methods:
                method = owner.__dict__.get(name) if owner is not None else None
                if method is not None and not hasattr(method, "__wrapped__"):
                    setattr(owner, name, _dutch_method(method, translate))


def _parameter_name(error: Any) -> str:
    hint = getattr(error, "param_hint", None)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(str(part) for part in hint)
    if hint:
        return dutch_metavar(str(hint))
    param = getattr(error, "param", None)
    if param is not None:
        if getattr(param, "param_type_name", "") == "option":
            return " / ".join(f"'{opt}'" for opt in getattr(param, "opts", ()))
        return f"'{dutch_metavar(str(param.human_readable_name))}'"
    return ""


def _error_message(error: Any) -> str:
    """The error itself, in Dutch, from its fields where it has them."""
    kind = type(error).__name__
    message = str(getattr(error, "message", "") or "")
    if kind == "NoSuchOption":
        text = f"onbekende optie: {error.option_name}"
        possibilities = sorted(getattr(error, "possibilities", None) or ())
        if possibilities:
            text += f" (bedoelde u {' of '.join(possibilities)}?)"
        return text
    if kind == "MissingParameter":
        param_type = str(getattr(error, "param_type", None)
                         or getattr(getattr(error, "param", None), "param_type_name", ""))
        what = {"argument": "argument", "option": "optie"}.get(param_type, "waarde")
        return f"{what} {_parameter_name(error)} ontbreekt".replace("  ", " ")
    if kind in ("BadParameter", "FileError"):
        value = _rewrite(message, _VALUE_MESSAGES) or "deze waarde is niet bruikbaar"
        name = _parameter_name(error)
        return f"ongeldige waarde voor {name}: {value}" if name else f"ongeldige waarde: {value}"
    return _rewrite(message, _USAGE_MESSAGES) or "de opdracht is niet goed opgebouwd"


def usage_error_text(error: Any) -> str:
    """What sopc prints on stderr for a Click usage error (exit code 2)."""
    context = getattr(error, "ctx", None)
    lines = []
    if context is not None:
        lines.append(context.get_usage())
        option = (context.help_option_names or ["--help"])[0]
        lines.append(f"Probeer '{context.command_path} {option}' voor hulp.")
        lines.append("")
    lines.append(f"Fout: {_error_message(error)}")
    return terminal_safe_lines("\n".join(lines))


def terminal_safe_lines(text: str) -> str:
    """Several lines, each terminal-safe (the line breaks between them stay)."""
    return "\n".join(terminal_safe(line) for line in text.split("\n"))
