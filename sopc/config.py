"""Repository settings: `sopc.toml` (table `[sopc]`) or `[tool.sopc]` in pyproject.toml.

Found by walking up from each checked file, so one schools repository carries its
own SWV layer, file selection, reference date and per-code severities, and CI, the
pre-commit hook and an IB'er on a laptop all check the same way.

    [sopc]
    swv = "swv/stroomland.yaml"      # for schools without 'swv:' (preset or path)
    bestanden = ["scholen/**/*.yaml", "swv/*.yaml"]
    negeer = ["scholen/archief/**"]
    peildatum = 2026-09-01           # reference date for age checks
    schema = "schemas/school.schema.json"
    duo = "data/vestigingen.csv"     # a newer DUO download; false: no DUO check
    regime = "schoolgids-2025"       # or "sop-2014"; without it: by school year
    schoolgids_vanaf = 2025-08-01    # when the schoolgids regime starts (sopc.regime)

    [sopc.meldingen]
    mr-advies-ontbreekt = "uit"      # fout | waarschuwing | opmerking | uit
"""

from __future__ import annotations

import datetime
import difflib
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sopc.codes import CODES
from sopc.diagnostics import Severity
from sopc.regime import REGIMES

CONFIG_NAME = "sopc.toml"
DEFAULT_FILES = ("**/*.yaml", "**/*.yml")
DEFAULT_SCHEMA = "schemas/school.schema.json"
_KEYS = ("swv", "bestanden", "negeer", "peildatum", "schema", "duo", "regime",
         "schoolgids_vanaf", "minimum_aanbod", "meldingen")
# Dutch words first (the users' language); the English ones are accepted too.
SEVERITY_WORDS: dict[str, Severity | None] = {
    "fout": Severity.ERROR, "waarschuwing": Severity.WARNING, "opmerking": Severity.INFO,
    "uit": None, "error": Severity.ERROR, "warning": Severity.WARNING,
    "info": Severity.INFO, "off": None,
}


class ConfigError(Exception):
    """A settings file that cannot be used; the CLI reports it with exit code 2."""


@functools.lru_cache(maxsize=256)  # asked once per file and pattern
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob on '/'-separated paths: `*` within a folder, `**` across folders.

    A pattern without '/' matches at any depth, and `dir/` means everything in it,
    as in .gitignore.
    """
    if "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern
    if pattern.endswith("/"):
        pattern += "**"
    regex, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            regex.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            regex.append(".*")
            index += 2
        else:
            char = pattern[index]
            regex.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
            index += 1
    return re.compile("".join(regex) + r"\Z")


@dataclass(frozen=True)
class Config:
    """The settings of one repository; `Config()` is the default without a file."""

    source: Path | None = None
    swv: str | None = None
    files: tuple[str, ...] = DEFAULT_FILES
    ignore: tuple[str, ...] = ()
    today: datetime.date | None = None
    schema: str = DEFAULT_SCHEMA
    # DUO's list of school locations: None the snapshot in sopc, False no DUO check,
    # else a download, relative to the settings file
    duo: str | bool | None = None
    # the law the schools' documents answer to (sopc.regime); None: the SWV layer's
    # choice, else by school year
    regime: str | None = None
    schoolgids_from: datetime.date | None = None
    severities: dict[str, Severity | None] = field(default_factory=dict)
    # the dekkend-aanbod overview: an item fewer schools of a werkgebied offer is a thin
    # spot (1: only gaps, items no school offers)
    minimum_offer: int = 1

    @property
    def root(self) -> Path | None:
        return self.source.parent if self.source else None

    def includes(self, path: Path) -> bool:
        """Whether a YAML file is selected by `bestanden` and not by `negeer`.

        Both the path as named (its folder resolved) and the file it resolves to must be
        selected: a symlink cannot smuggle an ignored file in, nor one ignored file out.
        A form outside the repository is left to the confinement check (sopc.inputs).
        """
        if self.root is None:
            return True
        return all(self._selects(relative) for relative in self._relative_forms(path))

    def _relative_forms(self, path: Path) -> list[str]:
        assert self.root is not None
        try:
            root = self.root.resolve()
            forms = {path.parent.resolve() / path.name, path.resolve()}
        except (OSError, RuntimeError):
            return []
        relative = []
        for form in sorted(forms):
            try:
                relative.append(form.relative_to(root).as_posix())
            except ValueError:
                continue
        return relative

    def _selects(self, relative: str) -> bool:
        return (any(_glob_regex(p).match(relative) for p in self.files)
                and not any(_glob_regex(p).match(relative) for p in self.ignore))

    def unmatched_patterns(self, paths: list[Path]) -> list[str]:
        """The `bestanden` patterns (if set in the file) that select none of `paths`."""
        if self.root is None or self.files == DEFAULT_FILES:
            return []
        relatives = [form for path in paths for form in self._relative_forms(path)]
        return [pattern for pattern in self.files
                if not any(_glob_regex(pattern).match(form) for form in relatives)]

    def severity(self, code: str) -> Severity | None:
        """The severity a code is reported with here; None means switched off."""
        if code in self.severities:
            return self.severities[code]
        return CODES[code].severity if code in CODES else Severity.ERROR

    def duo_list(self, given: Path | None = None) -> str | bool | None:
        """The DUO list for this repository's schools: `given` (--duo) first, else
        `duo` from the settings (a path made absolute), None for the snapshot in sopc,
        False for no check."""
        if given is not None:
            return str(given)
        if isinstance(self.duo, str) and self.root is not None:
            return str(self.root / self.duo)
        return self.duo

    def default_swv(self) -> str | None:
        """The SWV layer for schools that name none: a preset, or an absolute path."""
        if self.swv is None or self.root is None or not self.swv.endswith((".yaml", ".yml")):
            return self.swv
        return str(self.root / self.swv)


def _strings(value: Any, key: str, where: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"{where}: '{key}' moet een tekst of een lijst van teksten zijn")


def _date(value: Any, where: Path, key: str = "peildatum") -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return parse_date(value, f"{where}: {key}")
    raise ConfigError(f"{where}: '{key}' moet een datum zijn, zoals 2026-09-01")


def parse_date(text: str, what: str = "peildatum") -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"{what}: '{text}' is geen datum; schrijf JJJJ-MM-DD") from None


def from_table(table: Any, source: Path) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: de sopc-instellingen moeten een tabel zijn")
    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f"; bedoelde u '{close[0]}'?" if close else f"; bekend: {', '.join(_KEYS)}"
            raise ConfigError(f"{source}: onbekende instelling '{key}'{hint}")
    swv = table.get("swv")
    if swv is not None and not isinstance(swv, str):
        raise ConfigError(f"{source}: 'swv' moet een tekst zijn (preset of pad)")
    schema = table.get("schema", DEFAULT_SCHEMA)
    if not isinstance(schema, str):
        raise ConfigError(f"{source}: 'schema' moet een pad zijn")
    duo = table.get("duo")
    if duo is True or (duo is not None and not isinstance(duo, str | bool)):
        raise ConfigError(f"{source}: 'duo' moet een pad naar de lijst van DUO zijn, of "
                          "false (geen controle tegen DUO)")
    regime = table.get("regime")
    if regime is not None and regime not in REGIMES:
        raise ConfigError(f"{source}: 'regime' moet {' of '.join(repr(r) for r in REGIMES)} "
                          "zijn (of weglaten: dan kiest sopc per schooljaar)")
    severities: dict[str, Severity | None] = {}
    levels = table.get("meldingen", {})
    if not isinstance(levels, dict):
        raise ConfigError(f"{source}: 'meldingen' moet een tabel zijn: code = \"uit\"")
    for code, word in levels.items():
        if code not in CODES:
            close = difflib.get_close_matches(code, list(CODES), n=1)
            hint = f"; bedoelde u '{close[0]}'?" if close else ""
            raise ConfigError(f"{source}: onbekende meldingscode '{code}'{hint}")
        if not CODES[code].configurable:
            raise ConfigError(f"{source}: de melding '{code}' kan niet worden aangepast "
                              "(zonder oplossing kan sopc het bestand niet lezen)")
        if not isinstance(word, str) or word.lower() not in SEVERITY_WORDS:
            raise ConfigError(f"{source}: '{code}' moet 'fout', 'waarschuwing', 'opmerking' "
                              "of 'uit' zijn")
        severities[code] = SEVERITY_WORDS[word.lower()]
    return Config(
        source=source,
        swv=swv,
        files=_strings(table.get("bestanden", list(DEFAULT_FILES)), "bestanden", source),
        ignore=_strings(table.get("negeer", []), "negeer", source),
        today=_date(table["peildatum"], source) if "peildatum" in table else None,
        schema=schema,
        duo=duo,
        regime=regime,
        schoolgids_from=_date(table["schoolgids_vanaf"], source, "schoolgids_vanaf")
        if "schoolgids_vanaf" in table else None,
        severities=severities,
        minimum_offer=_minimum_offer(table.get("minimum_aanbod", 1), source),
    )


def _minimum_offer(value: Any, source: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ConfigError(f"{source}: 'minimum_aanbod' is een heel getal van 1 tot 1000 (het "
                          "aantal scholen per werkgebied dat een item minstens moet bieden)")
    return value


MAX_CONFIG_BYTES = 1024 * 1024


def read_config(path: Path, *, confine: bool = False) -> Config | None:
    """The settings in `path`, or None for a pyproject.toml without [tool.sopc].

    With `confine` (a file found by the search, not named with --config), a symlink
    must stay inside the folder the file stands in: that folder is the repository."""
    from sopc.diagnostics import dutch_os_error
    from sopc.inputs import InputRefused, check_input, read_regular

    try:
        check_input(path, path.parent if confine else Path("/"))
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except InputRefused as refused:
        raise ConfigError(f"{path}: {refused}") from None
    except OSError as error:
        raise ConfigError(f"{path}: kan niet worden gelezen ({dutch_os_error(error)})") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: het instellingenbestand is groter dan "
                          f"{MAX_CONFIG_BYTES // 1024} KiB")
    import tomllib  # only when there is a settings file (~1 ms of a cold start)

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: het bestand is geen geldige UTF-8 (byte {error.start + 1}); "
                          "sla het op als UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_toml_problem(path, error)) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("sopc") if isinstance(tool, dict) else None
        return None if table is None else from_table(table, path)
    if "sopc" not in data:
        raise ConfigError(f"{path}: de tabel [sopc] ontbreekt")
    return from_table(data["sopc"], path)


class ConfigFinder:
    """Finds the settings for a file by walking up its folders; each folder read once."""

    def __init__(self, explicit: Path | None = None) -> None:
        self._explicit = read_config(explicit) if explicit else None
        self._by_folder: dict[Path, Config] = {}
        # by the folder as named: a folder of thousands of schools is resolved once
        self._by_named_folder: dict[Path, Config] = {}

    def for_path(self, path: Path) -> Config:
        if self._explicit is not None:
            return self._explicit
        named = path if path.is_dir() else path.parent
        found = self._by_named_folder.get(named)
        if found is None:
            found = self._by_named_folder[named] = self._lookup(named.resolve())
        return found

    def _lookup(self, folder: Path) -> Config:
        if folder in self._by_folder:
            return self._by_folder[folder]
        found: Config | None = None
        for name in (CONFIG_NAME, "pyproject.toml"):
            candidate = folder / name
            # lexists: a FIFO or a dangling link named sopc.toml is an error, not absent
            if os.path.lexists(candidate):
                found = read_config(candidate, confine=True)
                if found is not None:
                    break
        if found is None:
            found = Config() if folder.parent == folder else self._lookup(folder.parent)
        self._by_folder[folder] = found
        return found


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml_problem(path: Path, error: Exception) -> str:
    """`sopc.toml:3:4: ...` in Dutch; tomllib's own text is English, so only its
    position is kept."""
    position = _TOML_POSITION.search(str(error))
    where = f"{path}:{position.group(1)}:{position.group(2)}" if position else str(path)
    return (f"{where}: dit is geen geldige TOML; controleer de regel (een sleutel = waarde, "
            "tekst tussen aanhalingstekens, een datum als 2022-03-01)")
