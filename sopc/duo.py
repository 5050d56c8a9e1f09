"""DUO's open list of school locations: read it, look a location up.

DUO publishes "Alle schoolvestigingen in het basisonderwijs" monthly as a CSV file:
Windows-1252, `;` between fields, one header row. Its download portal also serves a
comma-separated, quoted UTF-8 variant, and older files name the key columns
`BRIN NUMMER` and `VESTIGINGSNUMMER`. `read_list` accepts all of them.

A compact snapshot of the national list ships inside the package (sopc/data/, made by
`make duo` from a DUO download, see tools/duo_snapshot.py) as the default; `--duo FILE`
or `duo = "..."` in sopc.toml points at a newer download, `duo = false` turns the
check off. Nothing here is imported or read unless a check or `sopc new` needs it.
"""

from __future__ import annotations

import difflib
import functools
import io
import os
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from sopc.config import ConfigError

# Kept as plain text: unpacking it took 4 ms of every cold `validate` (the wheel is
# compressed all the same).
SNAPSHOT = "duo-vestigingen-bo.tsv"
LOCATION_CODE = re.compile(r"[0-9]{2}[A-Z]{2}[0-9]{2}")
MAX_LIST_BYTES = 64 * 1024 * 1024  # the national list is about 2 MB

# our field → DUO's column names, current first, then older ones
COLUMNS: dict[str, tuple[str, ...]] = {
    "brin": ("INSTELLINGSCODE", "BRIN NUMMER", "BRINNUMMER", "BRIN"),
    "code": ("VESTIGINGSCODE", "VESTIGINGSNUMMER"),
    "name": ("VESTIGINGSNAAM",),
    "street": ("STRAATNAAM",),
    "number": ("HUISNUMMER-TOEVOEGING", "HUISNUMMER"),
    "postcode": ("POSTCODE",),
    "place": ("PLAATSNAAM",),
    "municipality": ("GEMEENTENAAM",),
    "denomination": ("DENOMINATIE",),
    "board_number": ("BEVOEGD GEZAG NUMMER", "BEVOEGD-GEZAGNUMMER"),
    "phone": ("TELEFOONNUMMER",),
    "website": ("INTERNETADRES",),
}
REQUIRED = ("code", "name")  # the BRIN is the code's first four characters
FIELDS = ("code", "name", "street", "number", "postcode", "place", "municipality",
          "denomination", "board_number", "phone", "website")


class DuoError(ConfigError):
    """A DUO file that cannot be used; the message is Dutch and names the file. A
    settings problem: the command stops with exit code 2 (sopc.cli)."""


class Location(NamedTuple):
    """One school location as DUO lists it (DUO's own spelling: places in capitals)."""

    code: str  # BRIN + vestiging, six characters: '06KG00'
    name: str
    street: str
    number: str
    postcode: str
    place: str
    municipality: str
    denomination: str
    board_number: str
    phone: str
    website: str

    @property
    def brin(self) -> str:
        return self.code[:4]

    @property
    def branch(self) -> str:
        return self.code[4:]

    @property
    def address(self) -> str:
        """'Ericastraat 39, 6561 VX Groesbeek'."""
        street = " ".join(part for part in (self.street.strip(), self.number.strip()) if part)
        town = " ".join(part for part in (self.postcode.strip(), place_name(self.place))
                        if part)
        return ", ".join(part for part in (street, town) if part)


class DuoList:
    """All locations of one DUO list, by code; `source` says where they come from.

    The snapshot is kept as its bytes (UTF-8) and a location is found by searching them
    (0.4 ms a search of the national list, where parsing every row costs 60 ms and
    decoding it 0.8 ms): `sopc validate` of one school pays only for that. From the fourth search
    on (a run over many schools), its rows are indexed by BRIN once (a few ms) and every
    further school looks its rows up there. A downloaded file is parsed whole, which also
    checks it."""

    SEARCHES_BEFORE_INDEX = 3

    def __init__(self, source: str, locations: dict[str, Location] | None = None,
                 table: bytes = b"") -> None:
        self.source = source  # for messages: "stand april 2026" (the snapshot) or a path
        self._locations = locations
        self._table = table  # the snapshot's rows, one per line, code first
        self._searches = 0
        self._by_brin: dict[str, list[str]] | None = None  # the rows by their BRIN

    @property
    def locations(self) -> dict[str, Location]:
        if self._locations is None:
            self._locations = parse_list(self._table.decode("utf-8"), "sopc")
        return self._locations

    def _rows(self, prefix: str) -> list[Location]:
        """The locations whose row starts with `prefix` (a BRIN, or a code and a tab)."""
        return [Location(*fields) for line in self._lines(prefix)
                if len(fields := line.split("\t")) == len(FIELDS)]

    def _lines(self, prefix: str) -> list[str]:
        if self._by_brin is None:
            self._searches += 1
            if self._searches > self.SEARCHES_BEFORE_INDEX:
                self._by_brin = {}
                for line in self._table.decode("utf-8").split("\n"):
                    self._by_brin.setdefault(line[:4], []).append(line)
        if self._by_brin is not None:
            return [line for line in self._by_brin.get(prefix[:4], ())
                    if line.startswith(prefix)]
        found = []
        wanted = f"\n{prefix}".encode()
        start = self._table.find(wanted)
        while start != -1:
            end = self._table.find(b"\n", start + 1)
            found.append(self._table[start + 1:end if end != -1 else None].decode("utf-8"))
            start = self._table.find(wanted, start + 1)
        return found

    def get(self, code: str) -> Location | None:
        if not LOCATION_CODE.fullmatch(code):
            return None
        if self._locations is not None:
            return self._locations.get(code)
        found = self._rows(code + "\t")
        return found[0] if found else None

    def of_brin(self, brin: str) -> list[Location]:
        if self._locations is not None:
            return [location for code, location in sorted(self._locations.items())
                    if code.startswith(brin)]
        return self._rows(brin) if re.fullmatch(r"[0-9]{2}[A-Z]{2}", brin) else []

    def close_codes(self, code: str) -> list[str]:
        return difflib.get_close_matches(code, list(self.locations), n=3, cutoff=0.8)


# -- reading ------------------------------------------------------------------------------

def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are that, else DUO's Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _column_map(header: list[str], where: str) -> dict[str, int]:
    named = {" ".join(name.strip().strip('"').upper().split()): index
             for index, name in enumerate(header)}
    found: dict[str, int] = {}
    for field, names in COLUMNS.items():
        index = next((named[name] for name in names if name in named), None)
        if index is not None:
            found[field] = index
        elif field in REQUIRED:
            raise DuoError(f"{where}: de kolom {names[0]} (of {' of '.join(names[1:]) or '-'}) "
                           "ontbreekt in de eerste regel; is dit de lijst 'Alle "
                           "schoolvestigingen' van DUO?")
    return found


def parse_list(text: str, where: str) -> dict[str, Location]:
    """Every location in DUO's CSV text; DuoError (Dutch, with the line) when malformed."""
    first = text.partition("\n")[0].rstrip("\r")
    if not first.strip():
        raise DuoError(f"{where}: het bestand is leeg")
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) < 2:
        raise DuoError(f"{where}: dit is geen lijst met kolommen gescheiden door ';' of ','; "
                       "is dit de lijst 'Alle schoolvestigingen' van DUO?")
    import csv  # a downloaded list, or the snapshot parsed whole: never for one school

    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = _column_map(next(rows), where)
    locations: dict[str, Location] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(field: str, row: list[str] = row) -> str:
            index = columns.get(field)
            return row[index].strip() if index is not None and index < len(row) else ""

        brin, code = cell("brin").upper(), cell("code").upper()
        if len(code) == 2 and code.isdigit() and brin:  # older files: only the two digits
            code = brin + code
        if not LOCATION_CODE.fullmatch(code) or not code.startswith(brin):
            raise DuoError(f"{where}: regel {number}: '{code}' is geen vestigingscode (vier "
                           "tekens BRIN en twee cijfers, zoals 06KG00)")
        locations[code] = Location(code, *(cell(field) for field in FIELDS[1:]))
    if not locations:
        raise DuoError(f"{where}: het bestand bevat geen enkele vestiging")
    return locations


def read_list(path: Path) -> DuoList:
    """A DUO download as the user hands it over (any of the variants above)."""
    from sopc.diagnostics import dutch_os_error
    from sopc.inputs import read_regular

    try:
        raw = read_regular(path, MAX_LIST_BYTES)
    except OSError as error:
        raise DuoError(f"{path}: kan de lijst van DUO niet lezen ({dutch_os_error(error)})"
                       ) from None
    if len(raw) > MAX_LIST_BYTES:
        raise DuoError(f"{path}: het bestand is groter dan {MAX_LIST_BYTES // 2**20} MiB; "
                       "is dit de lijst 'Alle schoolvestigingen' van DUO?")
    if raw[:2] == b"\x1f\x8b":
        raise DuoError(f"{path}: het bestand is ingepakt (gzip); pak het eerst uit")
    return DuoList(str(path), parse_list(_decode(raw), str(path)))


@functools.cache
def snapshot() -> DuoList:
    """The national list inside the package. Its first line says source and date."""
    raw = (Path(__file__).parent / "data" / SNAPSHOT).read_bytes()
    if b"\r" in raw:  # a copy that got Windows line ends after all (.gitattributes)
        raw = raw.replace(b"\r\n", b"\n")
    about, _, table = raw.partition(b"\n")
    stand = about.decode("utf-8").partition(" stand ")[2].partition(" (")[0]
    return DuoList(f"stand {stand}" if stand else "in sopc", table=table)


def load(path: str | None) -> DuoList:
    """The list a run uses: `path` (a DUO download) or, for None, the snapshot. A
    download is read once per process while it stays the same file."""
    if path is None:
        return snapshot()
    try:
        status = os.stat(path)
    except OSError:
        return read_list(Path(path))  # says why it cannot be read
    return _read_unchanged(path, status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=4)
def _read_unchanged(path: str, modified: int, size: int) -> DuoList:
    return read_list(Path(path))


# -- names ----------------------------------------------------------------------------------

_LOWER_WORDS = frozenset({"aan", "bij", "de", "den", "der", "en", "het", "in", "of", "op",
                          "onder", "over", "te", "ten", "ter", "tot", "uit", "van", "voor"})
_ARTICLES = frozenset({"'s", "'t", "’s", "’t"})
_ROMAN = re.compile(r"(?=[IVX])(X{0,3})(IX|IV|V?I{0,3})")


def _word(word: str, first: bool) -> str:
    lower = word.lower()
    if lower in _ARTICLES:
        return lower
    if _ROMAN.fullmatch(word) and not first:
        return word  # 'Plaats II'
    if lower in _LOWER_WORDS and not first:
        return lower
    if lower[:1].isdigit():
        return lower  # '2e'
    # each part of a hyphenated name: 'Hardinxveld-Giessendam'; the Dutch IJ is one
    # letter: 'IJsselstein', 'Oud-IJsselmonde'
    return re.sub(r"(^|-)(ij|\w)", lambda m: m.group(1) + m.group(2).upper(), lower)


def place_name(text: str) -> str:
    """A place or municipality as written in Dutch from DUO's capitals:
    'BERG EN DAL' → 'Berg en Dal', "'S-HERTOGENBOSCH" → "'s-Hertogenbosch",
    'DEN HAAG' → 'Den Haag', 'ALTEVEER GEM NOORDENVELD' → 'Alteveer gem Noordenveld'.
    A name that is not all capitals is left as DUO wrote it."""
    text = " ".join(text.split())
    if text != text.upper():
        return text
    words = text.split(" ")
    shown = []
    for index, word in enumerate(words):
        first = index == 0 or (index == 1 and words[0].lower() in _ARTICLES)
        if word.lower() == "gem" and index > 0:  # DUO's abbreviation of 'gemeente'
            shown.append("gem.")
            continue
        shown.append(_word(word, first))
    result = " ".join(shown)
    # "'s-Hertogenbosch": the article stays lower case, the name after the hyphen not
    return re.sub(r"^('[st])-(\w)", lambda m: f"{m.group(1)}-{m.group(2).upper()}", result)


# -- comparing names ------------------------------------------------------------------------

_SCHOOL_WORDS = re.compile(
    r"\b(?:openbare|christelijke|katholieke|protestants[- ]christelijke|r\.?k\.?|"
    r"basisschool|basisscholen|school|kindcentrum|integraal kindcentrum|ikc|kc|"
    r"o\.?b\.?s\.?|c\.?b\.?s\.?|r\.?k\.?b\.?s\.?|p\.?c\.?b\.?s\.?|k\.?b\.?s\.?|b\.?s\.?|"
    r"s\.?b\.?o\.?|sbo|obs|cbs|rkbs|pcbs|kbs|bs|de|het)\b")


def name_key(name: str) -> str:
    """A name reduced to what tells schools apart: no accents, case, punctuation or the
    usual words for 'school' ('Basisschool', 'OBS', 'IKC', 'De'), so 'OBS De Linde'
    and 'Openbare Basisschool de Linde' compare equal."""
    plain = re.sub(r"(^|\s)['’`]t\s", r"\1het ", name.lower())
    plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    plain = _SCHOOL_WORDS.sub(" ", plain)
    return "".join(character for character in plain if character.isalnum())


def same_school_name(written: str, listed: str) -> bool:
    return name_key(written) == name_key(listed)
