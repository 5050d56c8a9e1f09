"""Stage 2, validate: loaded data → a Pydantic model, or diagnostics at `file:line:col`.

Pydantic's errors are translated by error *type* (never by its English text) into the
Dutch message catalogue below, and their `loc` is mapped onto the loaded data so that
each diagnostic points at the right key or value.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sopc.diagnostics import Diagnostic, Severity, Span, YamlPath
from sopc.loader import LoadedFile, SourceMap
from sopc.models import SchoolFile, SwvLayer

SWV_KIND = "swv"

# Codes for the custom error types raised in sopc.models.
_CUSTOM_CODES = {
    "id": "ongeldig-id",
    "schooljaar": "schooljaar-formaat",
    "datum": "datum-formaat",
    "brin": "brin-formaat",
    "vestiging": "vestiging-formaat",
    "kleur": "ongeldige-waarde",
    "email": "ongeldige-waarde",
    "ja_nee": "verkeerd-type",
    "onderdeel": "ongeldig-onderdeel",
    "blok": "ongeldige-waarde",
    "aanpassing": "ongeldige-aanpassing",
    "uitstroom": "ongeldige-waarde",
    "schemaversie": "schema-versie",
    "url": "ongeldige-url",
    "tekst-te-lang": "tekst-te-lang",
    "tabel-te-groot": "tabel-te-groot",
    "tekst-te-veel-links": "tekst-te-veel-links",
    "tekst-te-veel-regels": "tekst-te-veel-regels",
    "tekst-te-diep-genest": "tekst-te-diep-genest",
}

_EXPECTED = {
    "string_type": "tekst",
    "int_parsing": "een heel getal",
    "int_type": "een heel getal",
    "int_from_float": "een heel getal",
    "float_parsing": "een getal",
    "float_type": "een getal",
    "bool_parsing": "ja of nee",
    "bool_type": "ja of nee",
    "list_type": "een lijst (regels die met '- ' beginnen)",
    "dict_type": "regels 'sleutel: waarde', ingesprongen onder deze sleutel",
    "model_type": "regels 'sleutel: waarde', ingesprongen onder deze sleutel",
    "model_attributes_type": "regels 'sleutel: waarde', ingesprongen onder deze sleutel",
    "int_parsing_size": "een kleiner heel getal",
    "string_unicode": "tekst",
    "string_sub_type": "tekst",
}


def describe(value: Any) -> str:
    if value is None:
        return "een lege waarde"
    if isinstance(value, dict):
        return "regels 'sleutel: waarde'"
    if isinstance(value, list):
        return "een lijst"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def model_for(data: dict[str, Any]) -> type[SchoolFile] | type[SwvLayer]:
    """An SWV layer says `soort: swv`; everything else is checked as a school file."""
    return SwvLayer if data.get("soort") == SWV_KIND else SchoolFile


def validate_loaded(loaded: LoadedFile) -> tuple[SchoolFile | SwvLayer | None, list[Diagnostic]]:
    """The model, or None when there are errors; with the diagnostics either way (a valid
    file can still have the loader's warnings, such as `commentaar-in-tekst`)."""
    if loaded.data is None:
        return None, list(loaded.diagnostics)
    model_class = model_for(loaded.data)
    try:
        model = model_class.model_validate(loaded.data)
    except ValidationError as error:
        return None, [*loaded.diagnostics,
                      *translate_errors(error, loaded.data, loaded.source, loaded.path,
                                        model_class)]
    if any(d.severity is Severity.ERROR for d in loaded.diagnostics):
        return None, list(loaded.diagnostics)  # e.g. duplicate keys: not trustworthy
    return model, list(loaded.diagnostics)


def translate_errors(error: ValidationError, data: Any, source: SourceMap, display: str,
                     model_class: type[BaseModel]) -> list[Diagnostic]:
    diagnostics = []
    seen: set[tuple[YamlPath, str]] = set()
    items = [(item, data_path(data, item["loc"])) for item in error.errors(include_url=False)]
    # A key written at the left margin under an empty key it belongs to ('sop:' with
    # 'schooljaar:' not indented) is said once, as what it is; the empty key and the
    # fields it seems to miss then say nothing more.
    owners = _under_indented(items, data, model_class)
    for key_path, owner in owners.items():
        diagnostics.append(Diagnostic(
            display, source.key_span(key_path), "inspringing",
            f"'{key_path[-1]}' hoort bij '{owner[-1]}:', maar staat niet ingesprongen",
            key_path, hint=f"zet '{key_path[-1]}' (en wat verder bij '{owner[-1]}' hoort) "
                           f"twee spaties verder in, onder '{owner[-1]}:'"))
    explained = {(*owner, key_path[-1]) for key_path, owner in owners.items()} \
        | set(owners.values())
    # A text with ': ' in it where a text may stand ('- Grens 1: kinderen die ...') is
    # read by YAML as a key with a value: said once, with the fix, instead of an unknown
    # key and the fields the item then seems to miss.
    texts = _text_read_as_key(items, data, model_class)
    for item_path, first_words in texts.items():
        dash = "- " if isinstance(item_path[-1], int) else ""
        diagnostics.append(Diagnostic(
            display, source.key_span((*item_path, first_words)), "dubbele-punt-in-tekst",
            f"door de ': ' na '{first_words}' leest YAML deze tekst als 'sleutel: waarde'",
            item_path, hint="zet de hele tekst tussen aanhalingstekens: "
                            f"{dash}\"{first_words}: ...\""))
    # a misspelt key ('tekts') is said once: not also as the field it was meant to be
    misspelt = _misspelt_fields(items, model_class)
    for item, path in items:
        if path in owners or path in explained or path in misspelt or any(
                path[:len(item_path)] == item_path for item_path in texts):
            continue
        diagnostic = _translate(item, path, data, source, display, model_class)
        key = (diagnostic.path, diagnostic.code)
        if key in seen:  # union members repeat the same complaint
            continue
        seen.add(key)
        diagnostics.append(diagnostic)
    return diagnostics


def _under_indented(items: list[tuple[Any, YamlPath]], data: Any,
                    model_class: type[BaseModel]) -> dict[YamlPath, YamlPath]:
    """Unknown keys that belong under the nearest empty key before them: key path →
    the path of that empty key."""
    found: dict[YamlPath, YamlPath] = {}
    for item, path in items:
        if item["type"] != "extra_forbidden" or not path:
            continue
        parent, key = path[:-1], path[-1]
        mapping = _value_at(data, parent)
        if not isinstance(mapping, dict):
            continue
        before = list(mapping)[:list(mapping).index(key)] if key in mapping else []
        empty = [name for name in before if mapping[name] is None]
        if empty and key in allowed_keys(model_class, (*parent, empty[-1])):
            found[path] = (*parent, empty[-1])
    return found


def _text_read_as_key(items: list[tuple[Any, YamlPath]], data: Any,
                      model_class: type[BaseModel]) -> dict[YamlPath, str]:
    """Places where a text may stand but YAML read 'words: more words' as a mapping of
    one key: the place's path → that key. Only a key with a space in it that no model
    knows counts: 'tekst: ...' or a misspelt 'tekts: ...' stay what they are."""
    found: dict[YamlPath, str] = {}
    for item, path in items:
        if item["type"] == "extra_forbidden" and len(path) >= 2:
            place = path[:-1]  # a model that also takes a plain text
        elif item["type"] == "string_type" and path:
            place = path  # only a text may stand here
        else:
            continue
        mapping = _value_at(data, place)
        if not isinstance(mapping, dict) or len(mapping) != 1:
            continue
        key, value = next(iter(mapping.items()))
        if not isinstance(key, str) or not allows_text(model_class, place):
            continue
        # words with a space, or one word that is no key here nor close to one
        # ('Lezen: elke dag', not the misspelt 'tekts: ...')
        if " " in key.strip() or (isinstance(value, str) and not difflib.get_close_matches(
                key, allowed_keys(model_class, place), n=1, cutoff=0.6)):
            found[place] = key
    return found


def _misspelt_fields(items: list[tuple[Any, YamlPath]], model_class: type[BaseModel]
                     ) -> set[YamlPath]:
    """Missing fields that an unknown key beside them was surely meant to be: the
    paths of those fields."""
    meant: set[YamlPath] = set()
    for item, path in items:
        if item["type"] == "extra_forbidden" and path and isinstance(path[-1], str):
            close = difflib.get_close_matches(path[-1], allowed_keys(model_class, path[:-1]),
                                              n=1, cutoff=0.6)
            if close:
                meant.add((*path[:-1], close[0]))
    return {path for item, path in items if item["type"] == "missing" and path in meant}


def _value_at(data: Any, path: YamlPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def data_path(data: Any, loc: tuple[int | str, ...]) -> YamlPath:
    """Map Pydantic's loc onto the real data, dropping union/validator tags."""
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        elif index == len(loc) - 1 and isinstance(current, dict) and isinstance(part, str):
            path.append(part)  # a missing key: keep its name
    return tuple(path)


def _translate(item: Any, path: YamlPath, data: Any, source: SourceMap, display: str,
               model_class: type[BaseModel]) -> Diagnostic:
    kind = item["type"]
    value = item.get("input")
    if kind == "missing":
        parent = path[:-1]
        span = source.key_span(parent) if parent else Span.start_of_file()
        return Diagnostic(display, span, "ontbrekend-veld",
                          f"het verplichte veld '{path[-1]}' ontbreekt", path)
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        allowed = allowed_keys(model_class, path[:-1])
        hint = None
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            hint = f"bedoelde u '{close[0]}'?"
        elif allowed:
            hint = "toegestaan: " + ", ".join(sorted(allowed))
        return Diagnostic(display, source.key_span(path), "onbekende-sleutel",
                          f"onbekende sleutel '{key}'", path, hint=hint)
    span = source.value_span(path)
    if kind == "literal_error":
        # Pydantic lists the choices as "'a', 'b' or 'c'": the last word in Dutch
        expected = re.sub(r" or (?='[^']*'$)", " of ",
                          str(item.get("ctx", {}).get("expected", "")))
        return Diagnostic(display, span, "ongeldige-waarde",
                          f"{describe(value)} is hier niet toegestaan; kies uit {expected}", path)
    if kind in _CUSTOM_CODES:
        return Diagnostic(display, span, _CUSTOM_CODES[kind], item["msg"], path)
    if kind in _EXPECTED:
        return Diagnostic(display, span, "verkeerd-type",
                          f"verwacht {_EXPECTED[kind]}, maar hier staat {describe(value)}", path)
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = item.get("ctx", {}).get("ge", item.get("ctx", {}).get("le"))
        word = "minstens" if kind == "greater_than_equal" else "hoogstens"
        return Diagnostic(display, span, "ongeldige-waarde",
                          f"{describe(value)} moet {word} {bound} zijn", path)
    # A check without a Dutch text of its own: never Pydantic's English message.
    return Diagnostic(display, span, "ongeldige-waarde",
                      f"ongeldige waarde {describe(value)}", path,
                      hint="vergelijk met het schema ('sopc schema') of met een voorbeeld")


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/Annotated."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [t for arg in get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def allowed_keys(model_class: type[BaseModel], path: YamlPath) -> list[str]:
    """The YAML keys a mapping at `path` may have (for "bedoelde u …?")."""
    keys: list[str] = []
    for candidate in _types_at(model_class, path):
        for concrete in _unwrap(candidate):
            if isinstance(concrete, type) and issubclass(concrete, BaseModel):
                keys.extend(info.alias or name for name, info in concrete.model_fields.items())
    return keys


def allows_text(model_class: type[BaseModel], path: YamlPath) -> bool:
    """Whether a plain text may stand at `path` (a list item that is a text or a
    mapping, such as a point of 'grenzen')."""
    return any(concrete is str or getattr(concrete, "text_short_form", False)
               for candidate in _types_at(model_class, path)
               for concrete in _unwrap(candidate))


def _types_at(model_class: type[BaseModel], path: YamlPath) -> list[Any]:
    """The annotations that may describe the value at `path`."""
    candidates: list[Any] = [model_class]
    for part in path:
        following: list[Any] = []
        for candidate in candidates:
            for concrete in _unwrap(candidate):
                origin = get_origin(concrete)
                args = get_args(concrete)
                if isinstance(concrete, type) and issubclass(concrete, BaseModel):
                    for name, info in concrete.model_fields.items():
                        if (info.alias or name) == part:
                            following.append(info.annotation)
                elif origin is list and isinstance(part, int) and args:
                    following.append(args[0])
                elif origin is dict and isinstance(part, str) and len(args) == 2:
                    following.append(args[1])
        candidates = following
    return candidates
