"""Stage 1, load: bytes → plain data plus the source position of every key and value.

The data is built from PyYAML's event stream (libyaml's C parser when present) rather
than from its constructor, for four reasons:
- every key and value gets its position (a `Span` when asked for), so later stages can
  point at `file:line:col`;
- values stay as written: a scalar is text unless it is a plain null, so YAML 1.1
  implicit typing (`no`, `00`, `2021-07-20`, `1.10`) never bites; the schema types
  what it means to type;
- duplicate keys, unknown tags and recursive aliases are caught instead of silently
  overwritten or executed;
- limits on size, nesting depth and alias expansion are enforced while building, so a
  "billion laughs" file costs microseconds, not gigabytes.

What the events cannot tell, the builder reads from the source text after a value's
marks: a comment right after a value (`groep #3`: YAML drops '#3', commentaar-in-tekst)
and a text over several lines without '|' whose blank lines or list lines YAML folds
away (tekst-zonder-blokteken). Both are warnings: the file stays valid.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from sopc.diagnostics import (
    Diagnostic,
    Excerpt,
    Severity,
    Span,
    YamlPath,
    dutch_number,
    dutch_os_error,
)
from sopc.inputs import read_regular

try:  # libyaml's C parser is ~10x faster; fall back to pure Python where absent.
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 64
    # Values built, counting every alias expansion in full.
    max_nodes: int = 250_000


DEFAULT_LIMITS = Limits()

_PLAIN_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_ALLOWED_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map",
                           "tag:yaml.org,2002:seq"})
_MERGE_KEY = "<<"

# libyaml's problem texts → Dutch. Unknown ones keep the original in the message.
_YAML_PROBLEMS = {
    "mapping values are not allowed in this context": (
        "hier mag geen ':' staan; zet tekst met een dubbele punt tussen aanhalingstekens "
        "of controleer de inspringing"
    ),
    "mapping values are not allowed here": (
        "hier mag geen ':' staan; zet tekst met een dubbele punt tussen aanhalingstekens "
        "of controleer de inspringing"
    ),
    "could not find expected ':'": "na een sleutel wordt een ':' verwacht",
    "did not find expected key": "hier wordt een sleutel verwacht; controleer de inspringing",
    "did not find expected '-' indicator": (
        "hier wordt een lijstitem ('- ') verwacht; controleer de inspringing"
    ),
    "found unexpected end of stream": (
        "onverwacht einde van het bestand; is er een aanhalingsteken of haakje niet gesloten?"
    ),
    "found character that cannot start any token": (
        "dit teken kan hier niet beginnen (een tab als inspringing, of @ of ` aan het begin "
        "van een waarde?); gebruik spaties en zet de tekst tussen aanhalingstekens"
    ),
    "found a tab character that violates indentation": (
        "een tab als inspringing is niet toegestaan; gebruik spaties"
    ),
    "did not find expected node content": "hier wordt een waarde verwacht",
    "found unknown escape character": (
        "onbekende escape-reeks met backslash; gebruik enkele aanhalingstekens"
    ),
    "did not find expected ',' or ']'": "verwachtte ',' of ']' in de lijst",
    "did not find expected ',' or '}'": "verwachtte ',' of '}' tussen de accolades { }",
    "did not find expected alphabetic or numeric character": (
        "een waarde die met '*' of '&' begint, leest YAML als verwijzing naar een andere "
        "waarde; begint de tekst met *nadruk* of **vet**, zet hem dan tussen "
        "aanhalingstekens of schrijf hem met '|' op de regels eronder"
    ),
    "found unexpected ':'": "onverwachte ':'",
    "control characters are not allowed": "het bestand bevat stuurtekens die YAML niet toestaat",
    "expected <document start>, but found <block mapping start>": (
        "na '---' of '...' wordt een nieuw document verwacht"
    ),
    "did not find expected <document start>": (
        "na de eerste waarde volgt nog tekst; staat er iets achter een afgesloten "
        "aanhalingsteken, of is de inspringing niet gelijk?"
    ),
    "found unknown directive name": "onbekende regel met '%'; haal die weg",
    "found duplicate %YAML directive": "de regel '%YAML' staat er twee keer",
    "found duplicate %TAG directive": "de regel '%TAG' staat er twee keer",
    "found incompatible YAML document": "deze YAML-versie kan sopc niet lezen",
    "found undefined tag handle": (
        "onbekende YAML-tag (een woord dat met ! begint); haal de tag weg"
    ),
    "did not find the expected '>'": "een YAML-tag met '<' is niet gesloten met '>'",
    "did not find expected tag URI": "onvolledige YAML-tag; haal de tag weg",
    "did not find URI escaped octet": "onvolledige YAML-tag; haal de tag weg",
    "found an incorrect leading UTF-8 octet": "onvolledige YAML-tag; haal de tag weg",
    "found an incorrect trailing UTF-8 octet": "onvolledige YAML-tag; haal de tag weg",
    "did not find expected '!'": "onvolledige YAML-tag; haal de tag weg",
    "found unexpected document indicator": (
        "een regel '---' of '...' midden in tekst tussen aanhalingstekens; sluit de tekst "
        "eerst af of gebruik '|'"
    ),
    "found an indentation indicator equal to 0": (
        "na '|' of '>' mag geen 0 staan; laat het getal weg"
    ),
    "found a tab character where an indentation space is expected": (
        "een tab als inspringing is niet toegestaan; gebruik spaties"
    ),
    "found a tab character that violate indentation": (
        "een tab als inspringing is niet toegestaan; gebruik spaties"
    ),
    "did not find expected hexdecimal number": (
        "na '\\x', '\\u' of '\\U' horen cijfers 0-9 of letters a-f; gebruik enkele "
        "aanhalingstekens voor tekst met een backslash"
    ),
    "found invalid Unicode character escape code": (
        "deze escape-reeks is geen geldig teken; gebruik enkele aanhalingstekens voor "
        "tekst met een backslash"
    ),
    "did not find expected comment or line break": (
        "na '|' of '>' mag alleen nog een getal, '+', '-' of commentaar staan"
    ),
    "did not find expected whitespace or line break": (
        "hier hoort een spatie of het einde van de regel"
    ),
    "did not find expected whitespace": "hier hoort een spatie",
    "did not find expected directive name": "onvolledige regel met '%'; haal die weg",
    "found unexpected non-alphabetical character": "onvolledige regel met '%'; haal die weg",
    "did not find expected digit or '.' character": "onvolledige regel met '%'; haal die weg",
    "found extremely long version number": "onvolledige regel met '%'; haal die weg",
    "mapping keys are not allowed in this context": (
        "hier mag geen sleutel ('?') staan; controleer de inspringing"
    ),
    "block sequence entries are not allowed in this context": (
        "hier mag geen lijstitem ('- ') staan; controleer de inspringing"
    ),
    "found extra closing bracket": "een haakje ']' of '}' te veel",
}


# Where a key or value stands as the loader found it: libyaml's start and end mark.
_Marks = tuple[Any, Any]


@dataclass(slots=True)
class SourceMap:
    """Where each value (and each mapping key) stands in the file.

    The loader records each key's and value's marks as they come; a Span is made only
    of those asked for (a diagnostic, a school's key): making one per key and value took
    a fifth of a 40 KB school's load. The marks live as long as the map (one school's
    processing): about 40% more memory than Spans while it does."""

    values: dict[YamlPath, _Marks] = field(default_factory=dict)
    keys: dict[YamlPath, _Marks] = field(default_factory=dict)

    def value_span(self, path: YamlPath) -> Span:
        """The value's own span, else that of its nearest ancestor that has one."""
        for length in range(len(path), -1, -1):
            marks = self.values.get(path[:length])
            if marks is not None:
                return _span(*marks)
        return Span.start_of_file()

    def key_span(self, path: YamlPath) -> Span:
        """The span of the key that names `path`, falling back to the value span."""
        for length in range(len(path), -1, -1):
            marks = self.keys.get(path[:length])
            if marks is not None:
                return _span(*marks)
            # A list item has no key: point at the item itself.
            marks = self.values.get(path[:length])
            if marks is not None and length:
                return _span(*marks)
        return Span.start_of_file()


@dataclass(slots=True)
class LoadedFile:
    path: str
    data: dict[str, Any] | None
    source: SourceMap
    diagnostics: list[Diagnostic]
    # The text the loader read and accepted (within its limits): the only source of the
    # excerpts under its diagnostics (see `with_excerpts`). None when nothing was read.
    text: str | None = None


# The line breaks YAML (libyaml) counts: diagnostics' line numbers follow them.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def with_excerpts(diagnostics: Sequence[Diagnostic], loaded: LoadedFile) -> list[Diagnostic]:
    """`diagnostics`, each in this file given the source line under it (`Excerpt`).

    The line comes from the text the loader read, so the text output never opens a file
    again: not one over the size limit, not a device, not a link the loader refused."""
    wanted = {d.span.line for d in diagnostics if d.file == loaded.path and d.excerpt is None}
    if loaded.text is None or not wanted:
        return list(diagnostics)
    lines: dict[int, str] = {}
    number = 1
    start = 0
    for match in _LINE_BREAK.finditer(loaded.text):
        if number in wanted:
            lines[number] = loaded.text[start:match.start()]
        number += 1
        start = match.end()
        if number > max(wanted):
            break
    else:
        if number in wanted and start < len(loaded.text):
            lines[number] = loaded.text[start:]
    return [replace(d, excerpt=Excerpt.of(lines[d.span.line], d.span.col))
            if d.file == loaded.path and d.excerpt is None and d.span.line in lines else d
            for d in diagnostics]


class _Abort(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _span(start: Any, end: Any) -> Span:
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _position_in_bytes(raw: bytes, index: int) -> Span:
    line = raw.count(b"\n", 0, index) + 1
    col = index - (raw.rfind(b"\n", 0, index) + 1) + 1
    return Span(line, col, line, col + 1)


def decode(raw: bytes, display: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 (a BOM is accepted) or a clear diagnostic naming the encoding found."""

    def problem(message: str, span: Span | None = None, hint: str | None = None) -> Diagnostic:
        return Diagnostic(display, span or Span.start_of_file(), "codering", message, hint=hint)

    save_as = "sla het bestand op als UTF-8 (in de meeste editors: 'Opslaan als' → UTF-8)"
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None, problem("het bestand is UTF-32 gecodeerd; sopc leest alleen UTF-8",
                             hint=save_as)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, problem("het bestand is UTF-16 gecodeerd (met BOM); sopc leest alleen UTF-8",
                             hint=save_as)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    nul = raw.find(b"\x00")
    if nul != -1:
        sample = raw[:200]
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        if max(even_nuls, odd_nuls) * 4 >= len(sample):
            return None, problem(
                "het bestand lijkt UTF-16 gecodeerd (zonder BOM); sopc leest alleen UTF-8",
                hint=save_as)
        return None, problem("het bestand bevat NUL-bytes; is het wel een tekstbestand?",
                             _position_in_bytes(raw, nul))
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        span = _position_in_bytes(raw, error.start)
        bad = raw[error.start:error.start + 1].hex().upper()
        following = raw[error.start + 1:error.start + 2]
        if bad == "ED" and following and 0xA0 <= following[0] <= 0xBF:
            # 0xED 0xA0-0xBF starts an encoded UTF-16 surrogate: broken UTF-8, not cp1252
            return None, problem("het bestand bevat een ongeldig UTF-8-teken (een losse "
                                 "surrogaat, vaak van een kapotte kopie uit een ander "
                                 "programma)", span, hint="typ het teken op deze plek opnieuw")
        try:
            guess = raw.decode("cp1252")
        except UnicodeDecodeError:
            return None, problem(f"het bestand is geen geldige UTF-8 (byte 0x{bad})", span,
                                 hint=save_as)
        char = guess[len(raw[:error.start].decode("cp1252"))]
        return None, problem(
            f"het bestand is geen geldige UTF-8: byte 0x{bad} lijkt Windows-1252/Latin-1 "
            f"voor '{char}'",
            span, hint=save_as)


def load_file(path: Path, display: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> LoadedFile:
    return load_file_read(path, display, limits)[0]


def load_file_read(path: Path, display: str | None = None,
                   limits: Limits = DEFAULT_LIMITS) -> tuple[LoadedFile, bytes | None]:
    """`load_file`, and the bytes it read (None when it read none): a build digests the
    very bytes it built from (sopc.incremental)."""
    shown = display if display is not None else str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return _failed(shown, Diagnostic(
                shown, Span.start_of_file(), "bestand-te-groot",
                f"het bestand is {dutch_number(size)} bytes; de grens is "
                f"{dutch_number(limits.max_bytes)} bytes",
                hint="een schoolbestand is meestal kleiner dan 200 kB")), None
        # never blocks on a FIFO or device that appeared after the input checks
        raw = read_regular(path, limits.max_bytes)
    except OSError as error:
        return _failed(shown, Diagnostic(
            shown, Span.start_of_file(), "bestand-onleesbaar",
            f"kan het bestand niet lezen: {dutch_os_error(error)}")), None
    return load_bytes(raw, shown, limits), raw


def load_bytes(raw: bytes, display: str, limits: Limits = DEFAULT_LIMITS) -> LoadedFile:
    if len(raw) > limits.max_bytes:
        return _failed(display, Diagnostic(
            display, Span.start_of_file(), "bestand-te-groot",
            f"het bestand is groter dan de grens van {limits.max_bytes} bytes"))
    text, problem = decode(raw, display)
    if problem is not None or text is None:
        assert problem is not None
        return _failed(display, problem)  # no text it accepted, so no excerpt
    return load_text(text, display, limits)


def load_text(text: str, display: str, limits: Limits = DEFAULT_LIMITS) -> LoadedFile:
    loaded = _load_text(text, display, limits)
    loaded.text = text
    return loaded


def _load_text(text: str, display: str, limits: Limits) -> LoadedFile:
    builder = _Builder(display, limits, text)
    parser = None
    try:
        # inside the `try`: the pure-Python reader (no libyaml) checks the characters here
        parser = _YamlLoader(text)
        # the parser's events until it has none left (None), without a generator
        data = builder.build(iter(parser.get_event, None))
    except _Abort as abort:
        return LoadedFile(display, None, builder.source, [*builder.diagnostics, abort.diagnostic])
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):
            # libyaml (PyYAML >= 6.0.4) has a depth limit of its own, and its scanner can
            # reach it ahead of the events the builder counts (a long line of '[')
            mark = error.problem_mark or error.context_mark
            span = _span(mark, mark) if mark is not None else Span.start_of_file()
            return LoadedFile(display, None, builder.source, [
                *builder.diagnostics, Diagnostic(
                    display, span, "te-diep-genest",
                    f"het bestand is dieper genest dan {limits.max_depth} niveaus")])
        return LoadedFile(display, None, builder.source,
                          [*builder.diagnostics, _syntax_diagnostic(display, error, text)])
    except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
        return LoadedFile(display, None, builder.source, [
            *builder.diagnostics, _reader_diagnostic(display, text, error)])
    except RecursionError:
        return _failed(display, Diagnostic(display, Span.start_of_file(), "te-diep-genest",
                                           "het bestand is te diep genest"))
    finally:
        if parser is not None:
            parser.dispose()
    if data is None:
        return LoadedFile(display, None, builder.source, [*builder.diagnostics, Diagnostic(
            display, Span.start_of_file(), "leeg-bestand",
            "het bestand is leeg; een schoolbestand begint met 'sopc: 1'")])
    if not isinstance(data, dict):
        kind = "een lijst" if isinstance(data, list) else "een losse waarde"
        return LoadedFile(display, None, builder.source, [*builder.diagnostics, Diagnostic(
            display, builder.source.value_span(()), "geen-mapping",
            f"het bestand is {kind}; verwacht worden regels 'sleutel: waarde', zoals 'sopc: 1' "
            "en 'school:'")])
    return LoadedFile(display, data, builder.source, builder.diagnostics)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def _failed(display: str, diagnostic: Diagnostic) -> LoadedFile:
    return LoadedFile(display, None, SourceMap(), [diagnostic])


def _is_c_loader() -> bool:
    return getattr(_YamlLoader, "__module__", "") == "yaml.cyaml"


def _reader_diagnostic(display: str, text: str, error: yaml.YAMLError) -> Diagnostic:
    """A character YAML does not allow (libyaml's ReaderError), in Dutch on one line."""
    position = getattr(error, "position", None)
    span = Span.start_of_file()
    if isinstance(position, int):
        # libyaml counts bytes of UTF-8; the pure-Python reader characters.
        before = (text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "replace")
                  if _is_c_loader() else text[:position])
        lines = _LINE_BREAK.split(before)
        span = Span(len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 2)
    character = getattr(error, "character", None)
    code = (f"U+{character:04X}" if isinstance(character, int)
            else f"U+{ord(character):04X}" if isinstance(character, str) and character
            else None)
    reason = str(getattr(error, "reason", "") or "")
    if "control characters" in reason or code is not None:
        message = ("het bestand bevat een stuurteken dat YAML niet toestaat"
                   + (f" ({code})" if code else ""))
        return Diagnostic(display, span, "yaml-syntax", message,
                          hint="haal het onzichtbare teken op deze plek weg of typ de tekst "
                               "opnieuw")
    return Diagnostic(display, span, "yaml-syntax",
                      "het bestand bevat tekens die YAML niet kan lezen",
                      hint="sla het bestand op als UTF-8 en haal vreemde tekens weg")


def _syntax_diagnostic(display: str, error: yaml.MarkedYAMLError,
                       text: str = "") -> Diagnostic:
    layout = _layout_mistake(display, error, text.splitlines()) if text else None
    if layout is not None:
        return layout
    mark = error.problem_mark or error.context_mark
    span = (Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
            if mark is not None else Span.start_of_file())
    problem = (error.problem or "").strip()
    message = _YAML_PROBLEMS.get(problem)
    if message is None:
        for known, dutch in _YAML_PROBLEMS.items():
            if problem.startswith(known):
                message = dutch
                break
    if message is None:  # a problem not in the table: still Dutch and one line
        original = " ".join(problem.split())[:120]
        return Diagnostic(display, span, "yaml-syntax",
                          "de YAML is hier ongeldig; controleer de inspringing, dubbele "
                          "punten en aanhalingstekens",
                          hint=f"melding van de YAML-lezer: '{original}'" if original else None)
    return Diagnostic(display, span, "yaml-syntax", message)


_KEY_LINE = re.compile(r"(?P<indent> *)(?P<key>[^\s:#'\"-][^:#]*?):(?: +(?P<value>.*))?$")
_BLOCK_TEXT = re.compile(r" *(?:- )?[^\s:#][^:#]*?: *[|>][-+0-9]*\s*$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _layout_mistake(display: str, error: yaml.MarkedYAMLError,
                    lines: list[str]) -> Diagnostic | None:
    """The usual layout slips, said at the line where they are (libyaml notices them a
    line or more later): a quote not closed, a line of a '|' text indented too little,
    a key indented further than the key above it."""
    mark = error.problem_mark or error.context_mark
    if mark is None or not lines:
        return None
    problem_line = min(mark.line, len(lines) - 1)
    start = error.context_mark.line if error.context_mark is not None else 0
    # 0. a tab in the indentation (an editor that inserts tabs; YAML allows only spaces)
    for number in (problem_line, problem_line - 1)[:problem_line + 1]:
        leading = lines[number][:len(lines[number]) - len(lines[number].lstrip(" \t"))]
        if "\t" in leading:
            column = leading.index("\t") + 1
            return Diagnostic(
                display, Span(number + 1, column, number + 1, len(leading) + 1), "yaml-syntax",
                f"regel {number + 1} springt in met een tab (→); YAML staat alleen spaties "
                "toe als inspringing",
                hint="vervang de tab door spaties, twee per niveau; in de meeste editors: "
                     "'tabs omzetten naar spaties'")
    # 1. a value that opens a quote and does not close it on its line
    for number in range(problem_line, max(start, problem_line - 20) - 1, -1):
        match = _KEY_LINE.fullmatch(lines[number])
        value = (match.group("value") or "") if match else ""
        quote = value[:1]
        body = value.rstrip().replace("\\\\", "").replace('\\"', "") if quote == '"' \
            else value.rstrip()
        if quote in ("'", '"') and body.count(quote) % 2 == 1:
            column = lines[number].index(value) + 1
            return Diagnostic(
                display, Span(number + 1, column, number + 1, column + 1), "yaml-syntax",
                f"de aanhalingstekens op regel {number + 1} worden niet gesloten",
                hint=f"zet aan het eind van de waarde ook een {quote}, of haal het "
                     f"{quote} aan het begin weg")
    # 2. a line of a '|' text indented less than the lines above it
    problem = (error.problem or "").strip()
    context_line = error.context_mark.line if error.context_mark is not None else None
    if problem.startswith("could not find expected ':'") and context_line is not None \
            and context_line < len(lines):
        for number in range(context_line - 1, max(-1, context_line - 200), -1):
            if _BLOCK_TEXT.fullmatch(lines[number]):
                key = lines[number].strip().lstrip("- ").split(":")[0]
                body = [line for line in lines[number + 1:context_line] if line.strip()]
                depth = min((_indent(line) for line in body), default=_indent(
                    lines[number]) + 2)
                return Diagnostic(
                    display, Span(context_line + 1, 1, context_line + 1, 2), "yaml-syntax",
                    f"deze regel hoort bij de tekst van '{key}' (regel {number + 1}), maar "
                    "staat minder ver ingesprongen",
                    hint=f"zet de regel {depth} spaties in, net als de regels erboven")
            if _KEY_LINE.fullmatch(lines[number]) and not lines[number].startswith(" " * 2):
                break
    # 3. a key indented further than the key (with a value) on the line above it
    if problem.startswith("mapping values are not allowed"):
        line = lines[problem_line]
        above = next((lines[n] for n in range(problem_line - 1, -1, -1)
                      if lines[n].strip() and not lines[n].lstrip().startswith("#")), "")
        here, there = _KEY_LINE.fullmatch(line), _KEY_LINE.fullmatch(above)
        if here and there and there.group("value") and _indent(line) > _indent(above):
            return Diagnostic(
                display, Span(problem_line + 1, 1, problem_line + 1, _indent(line) + 1),
                "yaml-syntax",
                f"'{here.group('key').strip()}' staat verder ingesprongen dan "
                f"'{there.group('key').strip()}' op de regel erboven",
                hint=f"zet '{here.group('key').strip()}' {_indent(above)} spaties in, even "
                     f"ver als '{there.group('key').strip()}'")
    return None


# A line of a text that YAML folds into the line before it, yet that starts a list item
# ('- ', '* ', '+ ', '1. ', '1) ') or a heading ('# ') in Markdown.
_MARKDOWN_LINE_START = re.compile(r"[ \t]*(?:[-*+]|[0-9]{1,9}[.)]|#{1,6})(?:[ \t]|$)")
# A line of a double-quoted text that ends in the escape '\n': the user wrote the line
# break, so YAML keeps it and the next line may start a list item.
_ESCAPED_NEWLINE_AT_END = re.compile(r"(?<!\\)(?:\\\\)*\\n[ \t]*$")
_SHOWN_COMMENT = 40  # characters of a comment quoted in a message
_BLANK_OR_BREAK = frozenset(" \t\r\n\x85\u2028\u2029")


def _quoted(text: str) -> str:
    return f"'{text}'" if len(text) <= _SHOWN_COMMENT else f"'{text[:_SHOWN_COMMENT]}…'"


def _one_space_comments(text: str) -> set[int]:
    """Where one blank before '#' follows a character that is not blank: the blank's index.

    A plain value that ends at one of them is followed by a comment (a plain value ends
    before ' #' only there). Found by a search for '#', which files hold few of: a
    40 KB school costs a few microseconds; the builder then looks up only the values
    that end at such a place."""
    found = set()
    index = text.find("#")
    while index != -1:
        if index > 1 and text[index - 1] in " \t" and text[index - 2] not in _BLANK_OR_BREAK:
            found.add(index - 1)
        index = text.find("#", index + 1)
    return found


def _lost_structure(source: str, style: str | None) -> bool:
    """Whether a text written over several lines without '|' or '>' has a blank line or
    a line starting a list item or heading after its first line: YAML folds the lines into
    one, so its paragraphs and lists are lost."""
    lines = _LINE_BREAK.split(source)
    escapes = style == '"'
    # the last line with text ends in the escape '\n': YAML keeps that line break
    written_break = escapes and _ESCAPED_NEWLINE_AT_END.search(lines[0]) is not None
    for line in lines[1:]:
        blank = not line.strip(" \t")
        if not written_break and (blank or _MARKDOWN_LINE_START.match(line)):
            return True
        if not blank:
            written_break = escapes and _ESCAPED_NEWLINE_AT_END.search(line) is not None
    return False


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _SEQUENCE_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
_DOCUMENT_START = yaml.DocumentStartEvent


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: YamlPath
    start: Any
    anchor: str | None
    key: str | None = None
    key_marks: _Marks | None = None
    # For `<<` merges: mappings to merge in once this mapping is complete.
    merges: list[dict[str, Any]] = field(default_factory=list)
    nodes: int = 1


class _Builder:
    def __init__(self, display: str, limits: Limits, text: str = "") -> None:
        self.display = display
        self.limits = limits
        # The source, for what the events do not tell: a comment after a value, the lines
        # of a folded text. Marks count characters; libyaml leaves out a leading BOM.
        self.text = text
        self.offset = 1 if text.startswith("\ufeff") and _is_c_loader() else 0
        self.comments = _one_space_comments(text)
        self.source = SourceMap()
        self.diagnostics: list[Diagnostic] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0

    def _abort(self, marks: _Marks, code: str, message: str, path: YamlPath = (),
               hint: str | None = None) -> _Abort:
        return _Abort(Diagnostic(self.display, _span(*marks), code, message, path, hint=hint))

    def _count(self, amount: int, marks: _Marks, path: YamlPath) -> None:
        self.nodes += amount
        if self.nodes > self.limits.max_nodes:
            raise self._too_many(marks, path)

    def _too_many(self, marks: _Marks, path: YamlPath) -> _Abort:
        return self._abort(
            marks, "te-veel-aliassen",
            f"het bestand wordt te groot na het uitvouwen van aliassen (meer dan "
            f"{self.limits.max_nodes} waarden)", path,
            hint="gebruik minder of kleinere '*alias'-verwijzingen")

    def build(self, events: Iterable[Any]) -> Any:
        # The hot loop of loading: one pass per event, dispatched on the event's exact
        # class (the C parser makes no subclasses). Two thirds of a school's events are
        # a scalar without a tag in a mapping or a list: first, with `_take_key` and
        # `_attach` in line for a key that is new and a value not under '<<' (10% of a
        # load); every other event, and a key that repeats or merges, takes the general
        # path below.
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        values = self.source.values
        keys = self.source.keys
        for event in events:
            kind = type(event)
            if kind is _SCALAR and stack and event.tag is None:
                top = stack[-1]
                container = top.container
                if isinstance(container, dict):
                    key = top.key
                    if key is None:
                        key = event.value
                        if key == _MERGE_KEY or key in container:
                            self._take_key(top, event)
                        else:
                            top.key_marks = keys[(*top.path, key)] = \
                                (event.start_mark, event.end_mark)
                            top.key = key
                        continue
                    if key != _MERGE_KEY:
                        path: YamlPath = (*top.path, key)
                        marks = (event.start_mark, event.end_mark)
                        value = self._scalar(event, marks, path)
                        values[path] = marks
                        top.nodes += 1
                        top.key = None
                        if key not in container:  # a repeated key: the first value wins
                            container[key] = value
                        continue
                else:
                    path = (*top.path, len(container))
                    marks = (event.start_mark, event.end_mark)
                    value = self._scalar(event, marks, path)
                    values[path] = marks
                    top.nodes += 1
                    container.append(value)
                    continue
            if kind is _SCALAR or kind is _ALIAS or kind is _MAPPING_START \
                    or kind is _SEQUENCE_START:
                if stack:
                    top = stack[-1]
                    container = top.container
                    if type(container) is dict:
                        if top.key is None:
                            self._take_key(top, event)
                            continue
                        path = (*top.path, top.key)
                    else:
                        path = (*top.path, len(container))
                else:
                    path = ()
                marks = (event.start_mark, event.end_mark)
                if kind is _SCALAR:
                    value = self._scalar(event, marks, path)
                    size = 1
                elif kind is _ALIAS:
                    value, size = self._alias(event, marks, path)
                else:
                    self._check_tag(event, marks, path)
                    if len(stack) >= self.limits.max_depth:
                        raise self._abort(
                            marks, "te-diep-genest",
                            f"het bestand is dieper genest dan {self.limits.max_depth} niveaus",
                            path)
                    self._count(1, marks, path)
                    if event.anchor:
                        self.open_anchors.add(event.anchor)
                    stack.append(_Frame({} if kind is _MAPPING_START else [], path,
                                        event.start_mark, event.anchor))
                    continue
                values[path] = marks
                if stack:
                    self._attach(stack, value, size)
                else:
                    root = value
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                frame = stack.pop()
                values[frame.path] = (frame.start, event.end_mark)
                if type(frame.container) is dict and frame.merges:
                    for merged in frame.merges:
                        for key, value in merged.items():
                            frame.container.setdefault(key, value)
                if frame.anchor:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (frame.container, frame.nodes)
                if stack:
                    self._attach(stack, frame.container, frame.nodes)
                else:
                    root = frame.container
            elif kind is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    raise self._abort(
                        (event.start_mark, event.end_mark), "meerdere-documenten",
                        "het bestand bevat meer dan één YAML-document (een tweede '---'); "
                        "zet elke school in een eigen bestand")
        return root

    def _check_tag(self, event: Any, marks: _Marks, path: YamlPath) -> None:
        if event.tag not in _ALLOWED_TAGS:
            raise self._abort(
                marks, "yaml-tag",
                f"de YAML-tag '{_short_tag(event.tag)}' is niet toegestaan; sopc leest alleen "
                "gewone tekst, lijsten en regels 'sleutel: waarde'", path,
                hint="haal de tag (het woord dat met ! begint) weg")

    def _alias(self, event: Any, marks: _Marks, path: YamlPath) -> tuple[Any, int]:
        if event.anchor in self.open_anchors:
            raise self._abort(marks, "recursieve-alias",
                              f"de alias '*{event.anchor}' verwijst naar zichzelf", path)
        if event.anchor not in self.anchors:
            raise self._abort(marks, "onbekende-alias",
                              f"de alias '*{event.anchor}' is nergens gedefinieerd met "
                              f"'&{event.anchor}'", path)
        value, size = self.anchors[event.anchor]
        self._count(size, marks, path)
        return value, size

    def _scalar(self, event: Any, marks: _Marks, path: YamlPath) -> Any:
        if event.tag is not None:
            self._check_tag(event, marks, path)
        self.nodes += 1  # `_count(1, …)` in line: it runs for every scalar
        if self.nodes > self.limits.max_nodes:
            raise self._too_many(marks, path)
        style = event.style or None
        value = None if style is None and event.tag is None and event.value in _PLAIN_NULLS \
            else event.value
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        if style is None and self.comments:  # most files have no ' #' at all
            end = event.end_mark.index + self.offset
            if end in self.comments and end > event.start_mark.index + self.offset:
                self._comment_in_value(event.end_mark, end + 1, path)
        if event.end_mark.line != event.start_mark.line and style in (None, "'", '"'):
            start = event.start_mark.index + self.offset
            if _lost_structure(self.text[start:event.end_mark.index + self.offset], style):
                self._folded_text(_span(*marks), path)
        return value

    def _comment_in_value(self, end_mark: Any, hash_index: int, path: YamlPath) -> None:
        """A value followed by one space and '#': YAML drops the rest of the line as a
        comment, though it reads as part of the text (two spaces: a comment on purpose)."""
        found = _LINE_BREAK.search(self.text, hash_index)
        comment = self.text[hash_index:found.start() if found else len(self.text)].rstrip()
        line, col = end_mark.line + 1, end_mark.column + 2
        self.diagnostics.append(Diagnostic(
            self.display, Span(line, col, line, col + len(comment)), "commentaar-in-tekst",
            f"alles na ' #' leest YAML als commentaar, dus {_quoted(comment)} valt weg",
            path, Severity.WARNING,
            hint="hoort het '#' bij de tekst, zet dan de hele waarde tussen "
                 "aanhalingstekens; is het een opmerking voor jezelf, zet dan twee spaties "
                 "voor het '#'"))

    def _folded_text(self, span: Span, path: YamlPath) -> None:
        key = path[-1] if path else None
        write = f"'{key}: |'" if isinstance(key, str) else "'- |'"
        self.diagnostics.append(Diagnostic(
            self.display, span, "tekst-zonder-blokteken",
            "deze tekst staat over meerdere regels zonder '|': YAML voegt de regels samen, "
            "zodat alinea's en opsommingen verdwijnen", path, Severity.WARNING,
            hint=f"schrijf {write} en zet de tekst ingesprongen op de regels eronder"))

    def _take_key(self, frame: _Frame, event: Any) -> None:
        marks = (event.start_mark, event.end_mark)
        if not isinstance(event, yaml.ScalarEvent):
            raise self._abort(marks, "yaml-syntax",
                              "een sleutel moet gewone tekst zijn, geen lijst, groep of alias",
                              frame.path)
        self._check_tag(event, marks, frame.path)
        key = event.value
        assert isinstance(frame.container, dict)
        if key == _MERGE_KEY and event.style in (None, ""):
            frame.key = _MERGE_KEY
            frame.key_marks = marks
            return
        if key in frame.container:
            first_marks = self.source.keys.get((*frame.path, key))
            first = _span(*first_marks) if first_marks else None
            where = f" (eerder op regel {first.line})" if first else ""
            self.diagnostics.append(Diagnostic(
                self.display, _span(*marks), "dubbele-sleutel",
                f"de sleutel '{key}' staat twee keer op hetzelfde niveau{where}",
                (*frame.path, key), hint="verwijder of hernoem een van de twee",
                related=((self.display, first),) if first else ()))
        else:
            self.source.keys[(*frame.path, key)] = marks
        frame.key = key
        frame.key_marks = marks

    def _attach(self, stack: list[_Frame], value: Any, size: int) -> None:
        frame = stack[-1]
        frame.nodes += size
        if isinstance(frame.container, list):
            frame.container.append(value)
            return
        key = frame.key
        assert key is not None
        frame.key = None
        if key == _MERGE_KEY and frame.key_marks is not None:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(source, dict) for source in sources):
                raise self._abort(frame.key_marks, "yaml-syntax",
                                  "'<<' moet verwijzen naar regels 'sleutel: waarde' (of een "
                                  "lijst daarvan)", frame.path)
            frame.merges.extend(sources)
            return
        if key in frame.container:
            return  # duplicate already reported; the first value wins
        frame.container[key] = value
