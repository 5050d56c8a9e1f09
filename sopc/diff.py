"""`sopc diff OLD NEW`: what changed in a school's profile, in Dutch, for the MR.

OLD and NEW are school files, or `REVISION:PATH` for a file as git holds it in that
revision (PATH relative to the current folder, as `git show REVISION:./PATH`). Both
are loaded and validated like any school file; the comparison is on the model, so
re-ordering YAML keys or changing quotes is no change, and a moved approach (from
"in ontwikkeling" to "aanpakken") is reported as a move, not a removal and an addition.
Names come from the NEW file's SWV layer when it can be found; ids otherwise.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sopc.dates import format_date
from sopc.diagnostics import Diagnostic, Severity, Span, dutch_number
from sopc.loader import DEFAULT_LIMITS, LoadedFile, SourceMap, load_bytes, load_file
from sopc.models import ApproachItem, CatalogueAnswers, SchoolFile, SwvLayer
from sopc.validation import validate_loaded

DIFF_FORMATS = ("text", "md", "html")
_REVISION = re.compile(r"^(?P<rev>[^:\\/][^:]*):(?P<path>.+)$")


@dataclass(frozen=True, slots=True)
class Change:
    """One change. For an approach, `old`/`new` name its list ("aanpakken", ...);
    for a field, they hold its values."""

    section: str  # "School", "Teksten", "Cluster: Lezen", "Aanbod: Deskundigheid", ...
    kind: str  # "toegevoegd", "verwijderd", "gewijzigd", "verplaatst"
    subject: str
    old: str | None = None
    new: str | None = None
    in_list: bool = False  # old/new name a list, not a value
    # a changed text, word by word (see `word_changes`); old and new are then None
    words: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class DiffResult:
    old_label: str
    new_label: str
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    school: str = ""  # the school's name (in the new version)
    years: tuple[str, str] = ("", "")  # the school year of the old and the new version


class SourceError(Exception):
    """OLD or NEW cannot be read (missing file, unknown git revision)."""


def read_source(spec: str) -> LoadedFile:
    """A school file from a path, or from git with `REVISION:PATH`."""
    from sopc.config import ConfigFinder
    from sopc.inputs import InputRefused, check_input, repository_root

    path = Path(spec)
    match = _REVISION.match(spec)
    if os.path.lexists(path) or match is None:
        if not os.path.lexists(path):
            raise SourceError(f"bestaat niet: {spec}")
        try:
            # the same rule as validate and build: a link out of the repository is not read
            check_input(path, repository_root(path, ConfigFinder().for_path(path).root))
        except InputRefused as refused:
            raise SourceError(f"{spec}: {refused}") from None
        return load_file(path, spec)
    return _from_git(match.group("rev"), match.group("path"), spec)


def _git(arguments: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *arguments], input=stdin, capture_output=True,
                              check=False)
    except OSError as error:
        raise _no_git(error) from None


def _no_git(error: OSError) -> SourceError:
    if isinstance(error, FileNotFoundError):
        return SourceError("git is niet gevonden op deze computer; installeer git om een "
                           "versie uit git (REVISIE:PAD) te vergelijken")
    from sopc.diagnostics import dutch_os_error

    return SourceError(f"git kan niet worden gestart ({dutch_os_error(error)})")


def _from_git(revision: str, relative: str, spec: str) -> LoadedFile:
    """The blob at REVISION:PATH, read only when it is within the loader's size limit.

    Git is asked for the object's type and size first, with the name on stdin
    (`cat-file --batch-check`), so no part of REVISION:PATH can ever become a git
    option (`--output=...` would make git write a file); the blob is then read by
    its hash, at most the limit."""
    if revision.startswith("-"):
        raise SourceError(f"ongeldige revisie '{revision}': een revisie begint niet met '-'")
    if any(char in spec for char in "\n\r\0"):
        raise SourceError("een revisie of pad met een regeleinde kan sopc niet opvragen")
    checked = _git(["cat-file", "--batch-check"], f"{revision}:./{relative}\n".encode())
    if checked.returncode != 0:
        raise SourceError(f"git kan '{spec}' niet opvragen (is dit een git-repository?)")
    fields = checked.stdout.decode("utf-8", "replace").split()
    if len(fields) != 3 or not re.fullmatch(r"[0-9a-f]{40,64}", fields[0]):
        raise SourceError(f"git kent '{spec}' niet: de revisie of het pad bestaat niet")
    object_id, kind, size = fields[0], fields[1], int(fields[2])
    if kind != "blob":
        raise SourceError(f"'{spec}' is in git geen bestand maar een map of ander object")
    limit = DEFAULT_LIMITS.max_bytes
    if size > limit:
        return LoadedFile(spec, None, SourceMap(), [Diagnostic(
            spec, Span.start_of_file(), "bestand-te-groot",
            f"het bestand is {dutch_number(size)} bytes; de grens is "
            f"{dutch_number(limit)} bytes",
            hint="een schoolbestand is meestal kleiner dan 200 kB")])
    try:
        process = subprocess.Popen(["git", "cat-file", "blob", object_id],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError as error:
        raise _no_git(error) from None
    assert process.stdout is not None
    with process:
        raw = process.stdout.read(limit + 1)
        process.stdout.close()
        if len(raw) > limit:
            process.kill()
    if process.returncode != 0 and len(raw) <= limit:  # killed above only past the limit
        raise SourceError(f"git kan '{spec}' niet lezen")
    return load_bytes(raw, spec)


def _school(loaded: LoadedFile, result: DiffResult) -> SchoolFile | None:
    model, diagnostics = validate_loaded(loaded)
    # only what stops the comparison: warnings are for `sopc validate`
    result.diagnostics += [d for d in diagnostics if d.severity is Severity.ERROR]
    if model is not None and not isinstance(model, SchoolFile):
        result.diagnostics.append(Diagnostic(loaded.path, Span.start_of_file(), "verkeerd-type",
                                             "dit is geen schoolbestand maar een SWV-laag"))
        return None
    return model


def _layer_for(school: SchoolFile, spec: str) -> SwvLayer | None:
    """The SWV layer of a version read from a file, for names; None if it cannot be
    found (a git revision, a missing layer): the report then shows ids."""
    from sopc.config import ConfigFinder
    from sopc.layers import SwvRegistry, find_layer

    path = Path(spec)
    if not path.is_file():
        return None
    default = ConfigFinder().for_path(path).default_swv()
    layer, _, _ = find_layer(school, path, SourceMap(), spec, SwvRegistry(), default)
    return layer


def _text(item: ApproachItem) -> str:
    text = " ".join(item.text.split())
    if item.sub:
        text += " (" + "; ".join(_text(sub) for sub in item.sub) + ")"
    return text


# -- values as the MR reads them -------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_CONTEXT_WORDS = 8  # unchanged words kept on each side of a change inside a long text
_SHORT_TEXT = 80  # a longer text (or one with a line break) is compared word by word


def _value(value: Any, labels: dict[str, str] | None = None) -> str:
    """A value in words: labels for ids, dates as documents write them ('19-5-2026')."""
    labels = labels or {}
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(_value(v, labels) for v in value) or "(geen)"
    if isinstance(value, BaseModel):
        return "; ".join(f"{_label(info, name)}: {_value(getattr(value, name), labels)}"
                         for name, info in type(value).model_fields.items()
                         if getattr(value, name) not in (None, [], ""))
    text = str(value)
    if _ISO_DATE.match(text):
        return format_date(text) or text
    return labels.get(text, " ".join(text.split()))


def _label(info: Any, name: str) -> str:
    return str(info.title or info.alias or name)


def _is_long(*texts: Any) -> bool:
    return any(isinstance(t, str) and (len(t) > _SHORT_TEXT or "\n" in t.strip())
               for t in texts)


def word_changes(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """A text's change word by word: ('=', kept words), ('-', removed), ('+', inserted),
    and ('…', '') where unchanged words are left out (more than a few either side of a
    change). Line breaks and spacing are no change."""
    before, after = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    pieces: list[tuple[str, str]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag != "equal":
            if i2 > i1:
                pieces.append(("-", " ".join(before[i1:i2])))
            if j2 > j1:
                pieces.append(("+", " ".join(after[j1:j2])))
            continue
        words = before[i1:i2]
        keep_head = 0 if index == 0 else _CONTEXT_WORDS
        keep_tail = 0 if index == len(opcodes) - 1 else _CONTEXT_WORDS
        if len(words) <= keep_head + keep_tail + 2:
            pieces.append(("=", " ".join(words)))
            continue
        if keep_head:
            pieces.append(("=", " ".join(words[:keep_head])))
        pieces.append(("…", ""))
        if keep_tail:
            pieces.append(("=", " ".join(words[-keep_tail:])))
    return tuple(pieces)


class _Differ:
    def __init__(self, old: SchoolFile, new: SchoolFile, layer: SwvLayer | None) -> None:
        self.old, self.new, self.layer = old, new, layer
        self.changes: list[Change] = []

    def add(self, *changes: Change) -> None:
        self.changes.extend(changes)

    def field(self, section: str, subject: str, old: Any, new: Any,
              labels: dict[str, str] | None = None) -> None:
        """One field: old → new in words; a long text word by word."""
        if old == new or (isinstance(old, str) and isinstance(new, str)
                          and old.split() == new.split()):
            return
        empty: tuple[Any, ...] = (None, "", [])
        if old not in empty and new not in empty and _is_long(old, new):
            self.add(Change(section, "gewijzigd", subject,
                            words=word_changes(str(old), str(new))))
            return
        kind = "toegevoegd" if old in empty else "verwijderd" if new in empty else "gewijzigd"
        self.add(Change(section, kind, subject,
                        None if old in empty else _value(old, labels),
                        None if new in empty else _value(new, labels)))

    def model(self, section: str, old: BaseModel | None, new: BaseModel | None,
              prefix: str = "") -> None:
        """Every field of a part of the file (inspection, population, a level) by its
        Dutch title, nested parts and rows included."""
        shown = old if old is not None else new
        if shown is None:
            return
        for name, info in type(shown).model_fields.items():
            label = f"{prefix} › {_label(info, name)}" if prefix else _label(info, name)
            before = getattr(old, name) if old is not None else None
            after = getattr(new, name) if new is not None else None
            if before == after:
                continue
            sample = before if before not in (None, []) else after
            if isinstance(sample, BaseModel):
                self.model(section, before, after, label)
            elif isinstance(sample, list) and sample and isinstance(sample[0], BaseModel):
                before, after = before or [], after or []
                for row in range(max(len(before), len(after))):
                    self.model(section, before[row] if row < len(before) else None,
                               after[row] if row < len(after) else None,
                               f"{label} {row + 1}")
            else:
                self.field(section, label, before, after)

    def run(self) -> list[Change]:
        old, new = self.old, self.new
        for label, attribute in (("Naam", "name"), ("BRIN", "brin"), ("Vestiging", "branch"),
                                 ("Onderwijstype", "school_type"),
                                 ("Denominatie", "denomination"), ("Bestuur", "board"),
                                 ("Nummer bevoegd gezag", "board_number"),
                                 ("Plaats", "place"), ("Gemeente", "municipality"),
                                 ("Adres", "address"), ("Werkgebied", "work_area"),
                                 ("Contactpersoon", "contact"), ("Telefoon", "phone"),
                                 ("E-mail", "email"), ("Website", "website")):
            self.field("School", label, getattr(old.school, attribute),
                       getattr(new.school, attribute))
        for label, attribute in (("Schooljaar", "school_year"), ("Invuldatum", "filled_in"),
                                 ("Vastgesteld", "adopted"),
                                 ("Vastgesteld door", "adopted_by"),
                                 ("Advies MR", "council_advice"),
                                 ("Instemming MR", "consent")):
            self.field("Over dit SOP", label, getattr(old.sop, attribute, None),
                       getattr(new.sop, attribute, None))
        self.field("Over dit SOP", "SWV-laag", _swv_name(old.swv), _swv_name(new.swv))
        self.texts()
        self.offer()
        self.clusters()
        self.levels()
        self.boundaries()
        self.documents()
        self.model("Inspectie", old.inspection, new.inspection)
        self.model("Populatie", old.population, new.population)
        self.model("Inbreng van leerlingen", old.pupil_input, new.pupil_input)
        self.field("Basisondersteuning", "Basisondersteuning", old.basic_support,
                   new.basic_support)
        old_chapters = {c.title: c.content for c in old.extra_chapters}
        new_chapters = {c.title: c.content for c in new.extra_chapters}
        self.keyed("Extra hoofdstukken", old_chapters, new_chapters)
        return _with_moves(self.changes)

    def keyed(self, section: str, old: dict[str, Any], new: dict[str, Any],
              names: dict[str, str] | None = None, labels: dict[str, str] | None = None
              ) -> None:
        """Entries by key: added and removed ones with their value, changed ones field by
        field (old → new, or word by word)."""
        names = names or {}
        for key in [*old, *(k for k in new if k not in old)]:
            subject = names.get(key, key)
            before, after = old.get(key), new.get(key)
            if isinstance(before, BaseModel) or isinstance(after, BaseModel):
                if key not in old:
                    self.add(Change(section, "toegevoegd", subject, None, _value(after, labels)))
                elif key not in new:
                    self.add(Change(section, "verwijderd", subject, _value(before, labels)))
                else:
                    self.model(section, before, after, subject)
            elif key not in new:
                self.add(Change(section, "verwijderd", subject,
                                None if _is_long(before) else _value(before, labels)))
            elif key not in old:
                self.add(Change(section, "toegevoegd", subject, None,
                                None if _is_long(after) else _value(after, labels)))
            else:
                self.field(section, subject, before, after, labels)

    def texts(self) -> None:
        """Each text by the heading the reader sees it under: its own title, else the
        heading of the part it stands in; its id only without a layer."""
        names: dict[str, str] = {}

        def name_texts(parts: list[Any], heading: str | None) -> None:
            for part in parts:
                here = part.heading or heading
                if part.text and part.text not in names:
                    names[part.text] = part.title or heading or part.text
                name_texts(part.parts, here)

        if self.layer is not None:
            name_texts(self.layer.outline, None)
        self.keyed("Teksten", dict(self.old.texts), dict(self.new.texts), names)

    def offer(self) -> None:
        catalogues = {c.id: c for c in self.layer.catalogues} if self.layer else {}
        labels = {column.id: column.label for column in self.layer.legend} if self.layer else {}
        for catalogue_id in [*self.old.offer, *(c for c in self.new.offer
                                                 if c not in self.old.offer)]:
            catalogue = catalogues.get(catalogue_id)
            section = f"Aanbod: {catalogue.title if catalogue else catalogue_id}"
            names = {item.id: item.name for item in catalogue.items} if catalogue else {}
            old = self.old.offer.get(catalogue_id, CatalogueAnswers())
            new = self.new.offer.get(catalogue_id, CatalogueAnswers())
            old_items = old.items if isinstance(old.items, dict) else dict.fromkeys(old.items,
                                                                                     "ja")
            new_items = new.items if isinstance(new.items, dict) else dict.fromkeys(new.items,
                                                                                     "ja")
            self.keyed(section, old_items, new_items, names, labels)
            self.keyed(f"{section} (anders, namelijk)", {o.name: o.value for o in old.other},
                       {o.name: o.value for o in new.other}, labels=labels)
            self.field(section, "Toelichting", old.note, new.note)

    def clusters(self) -> None:
        definitions = {c.id: c for c in self.layer.clusters} if self.layer else {}
        old = {p.cluster: p for p in self.old.clusters}
        new = {p.cluster: p for p in self.new.clusters}
        for cluster_id in [*old, *(c for c in new if c not in old)]:
            definition = definitions.get(cluster_id)
            name = (definition.short or definition.title) if definition else cluster_id
            section = f"Cluster: {name}"
            if cluster_id not in new:
                self.add(Change("Clusters", "verwijderd", name))
                continue
            if cluster_id not in old:
                self.add(Change("Clusters", "toegevoegd", name))
            before = old.get(cluster_id)
            after = new[cluster_id]
            old_approaches = [_text(i) for i in before.approaches] if before else []
            old_development = [_text(i) for i in before.in_development] if before else []
            new_approaches = [_text(i) for i in after.approaches]
            new_development = [_text(i) for i in after.in_development]
            for text in old_development:
                if text in new_approaches and text not in new_development:
                    self.add(Change(section, "verplaatst", text, "in ontwikkeling",
                                    "aanpakken"))
            for text in old_approaches:
                if text in new_development and text not in new_approaches:
                    self.add(Change(section, "verplaatst", text, "aanpakken",
                                    "in ontwikkeling"))
            moved = {c.subject for c in self.changes if c.section == section
                     and c.kind == "verplaatst"}
            for label, before_list, after_list in (
                    ("aanpakken", old_approaches, new_approaches),
                    ("in ontwikkeling", old_development, new_development),
                    ("ambitie", [_text(i) for i in before.ambition] if before else [],
                     [_text(i) for i in after.ambition])):
                self.points(section, label, before_list, after_list, moved)
            if before is not None:
                self.field(section, "Omschrijving", before.description, after.description)

    def points(self, section: str, label: str, before: list[str], after: list[str],
               moved: set[str] | frozenset[str] = frozenset()) -> None:
        """The points of one list (`label`) that went or came; `moved` are said apart."""
        self.add(*(Change(section, "verwijderd", text, label, None, True)
                   for text in before if text not in after and text not in moved))
        self.add(*(Change(section, "toegevoegd", text, None, label, True)
                   for text in after if text not in before and text not in moved))

    def levels(self) -> None:
        names = {lv.id: lv.name for lv in self.layer.levels} if self.layer else {}
        old = {lv.level: lv for lv in self.old.levels}
        new = {lv.level: lv for lv in self.new.levels}
        self.keyed("Ondersteuningsniveaus", old, new, names)

    def boundaries(self) -> None:
        old_items = [_text(i) for i in (self.old.boundaries.items if self.old.boundaries
                                         else [])]
        new_items = [_text(i) for i in (self.new.boundaries.items if self.new.boundaries
                                         else [])]
        self.points("Grenzen", "grenzen", old_items, new_items)
        self.field("Grenzen", "Toelichting",
                   self.old.boundaries.note if self.old.boundaries else None,
                   self.new.boundaries.note if self.new.boundaries else None)

    def documents(self) -> None:
        self.keyed("Documenten", {d.title: d.location for d in self.old.documents},
                   {d.title: d.location for d in self.new.documents})


def _swv_name(swv: Any) -> str | None:
    """The SWV a file names: a preset or file, or {naam: ...}."""
    if swv is None or isinstance(swv, str):
        return swv
    return getattr(swv, "name", None) or str(swv)


def _with_moves(changes: list[Change]) -> list[Change]:
    """A point removed from one list and added to another (an approach from one cluster
    to another, a point from a cluster to the grenzen) is one move, shown where it
    went."""
    removed: dict[str, int] = {}
    for index, change in enumerate(changes):
        if change.kind == "verwijderd" and change.in_list:
            removed.setdefault(change.subject, index)
    paired: dict[int, Change] = {}
    dropped: set[int] = set()
    for index, change in enumerate(changes):
        origin = removed.get(change.subject) if change.kind == "toegevoegd" \
            and change.in_list else None
        if origin is None or origin in dropped:
            continue
        source = changes[origin]
        if source.section == change.section and source.old == change.new:
            continue
        dropped.add(origin)
        paired[index] = Change(change.section, "verplaatst", change.subject,
                               _place(source), _place(change))
    return [paired.get(index, change) for index, change in enumerate(changes)
            if index not in dropped]


def _place(change: Change) -> str:
    where = change.old if change.kind == "verwijderd" else change.new
    section = change.section.removeprefix("Cluster: ")
    return section if where in (None, section.lower()) else f"{section} ({where})"


def diff(old_spec: str, new_spec: str) -> DiffResult:
    """Compare two versions of a school file; SourceError if one cannot be read."""
    return compare(read_source(old_spec), read_source(new_spec), old_spec, new_spec)


def compare(old_file: LoadedFile, new_file: LoadedFile, old_spec: str, new_spec: str
            ) -> DiffResult:
    """Compare two loaded versions; `*_spec` name them (and find the SWV layer)."""
    result = DiffResult(old_spec, new_spec)
    old = _school(old_file, result)
    new = _school(new_file, result)
    if old is None or new is None:
        return result
    layer = _layer_for(new, new_spec) or _layer_for(old, old_spec)
    result.changes = _Differ(old, new, layer).run()
    result.school = new.school.name
    result.years = (old.sop.school_year, new.sop.school_year)
    return result


# -- a whole folder ----------------------------------------------------------------------------

_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class SchoolDiff:
    """One school file of a folder compared with its earlier version."""

    name: str  # the file's path inside the folder, with '/'
    status: str  # "gewijzigd", "ongewijzigd", "nieuw", "verwijderd" or "fout"
    result: DiffResult | None = None

    @property
    def report_name(self) -> str:
        """Its report's name in the output folder, without the format's extension."""
        return self.name.rsplit(".", 1)[0] + ".verschillen"


def is_folder(spec: str) -> bool:
    """A folder on disk, or REVISION:FOLDER (a tree in git)."""
    if os.path.isdir(spec):
        return True
    match = _REVISION.match(spec)
    if match is None or os.path.lexists(spec):
        return False
    revision, relative = match.group("rev"), match.group("path")
    if revision.startswith("-") or any(char in spec for char in "\n\r\0"):
        return False
    try:
        checked = _git(["cat-file", "--batch-check"], f"{revision}:./{relative}\n".encode())
    except SourceError:  # no git here: reading the file says so, in Dutch
        return False
    return checked.returncode == 0 and checked.stdout.split()[1:2] == [b"tree"]


def _folder_files(spec: str) -> dict[str, str]:
    """The school files of a folder (or REVISION:FOLDER) as `sopc validate` selects them
    (no hidden files or folders, sopc.toml's `bestanden` and `negeer`): name inside the
    folder → the spec that reads it."""
    from sopc.config import ConfigFinder

    if os.path.isdir(spec):
        from sopc.api import collect

        root = Path(spec).resolve()
        return {path.resolve().relative_to(root).as_posix(): str(path)
                for path, _, _ in collect([Path(spec)]).files}
    finder = ConfigFinder()
    match = _REVISION.match(spec)
    assert match is not None  # is_folder said so
    revision, relative = match.group("rev"), match.group("path").rstrip("/")
    # names as arguments after '--' and a revision that is no option: git reads no
    # part of them as one
    listed = _git(["ls-tree", "-r", "-z", "--name-only", revision, "--", f"./{relative}/"])
    if listed.returncode != 0:
        raise SourceError(f"git kan de map '{spec}' niet opvragen")
    found: dict[str, str] = {}
    prefix = f"{relative}/" if relative not in ("", ".") else ""
    for raw in listed.stdout.split(b"\0"):
        name = raw.decode("utf-8", "replace")
        inside = name[len(prefix):]
        if not (name.lower().endswith(_YAML_SUFFIXES) and name.startswith(prefix)) \
                or any(part.startswith(".") for part in inside.split("/")):
            continue
        # the same selection as for the working copy: that folder's sopc.toml decides
        if finder.for_path(Path(name)).includes(Path(name)):
            found[inside] = f"{revision}:{name}"
    return dict(sorted(found.items()))


def _is_layer(loaded: LoadedFile) -> bool:
    return isinstance(loaded.data, dict) and loaded.data.get("soort") == "swv"


def diff_folders(old_spec: str, new_spec: str) -> list[SchoolDiff]:
    """Every school file of two versions of a folder, matched by name; SWV layers and
    other YAML files that are no school are left out."""
    old_files, new_files = _folder_files(old_spec), _folder_files(new_spec)
    found = []
    for name in sorted({*old_files, *new_files}):
        old_file = read_source(old_files[name]) if name in old_files else None
        new_file = read_source(new_files[name]) if name in new_files else None
        if any(f is not None and _is_layer(f) for f in (old_file, new_file)):
            continue
        if old_file is None or new_file is None:
            shown = new_file or old_file
            assert shown is not None
            result = DiffResult(old_files.get(name, ""), new_files.get(name, ""))
            school = _school(shown, result)
            result.school = school.school.name if school is not None else name
            found.append(SchoolDiff(name, "nieuw" if old_file is None else "verwijderd",
                                    result))
            continue
        result = compare(old_file, new_file, old_files[name], new_files[name])
        status = "fout" if result.diagnostics else "gewijzigd" if result.changes \
            else "ongewijzigd"
        found.append(SchoolDiff(name, status, result))
    return found


_EXTENSIONS = {"text": "txt", "md": "md", "html": "html"}
_STATUS_TEXT = {"nieuw": "nieuw in deze versie", "verwijderd": "niet meer in deze versie",
                "ongewijzigd": "geen inhoudelijke verschillen",
                "fout": "niet te vergelijken: een versie heeft fouten"}


def folder_reports(schools: list[SchoolDiff], output_format: str, old_spec: str,
                   new_spec: str) -> dict[str, str]:
    """A report per changed school and an index (index.txt/.md/.html): file name in the
    output folder → text."""
    renderers = {"text": render_text, "md": render_markdown, "html": render_html}
    extension = _EXTENSIONS[output_format]
    reports = {f"{school.report_name}.{extension}": renderers[output_format](school.result)
               for school in schools if school.status == "gewijzigd" and school.result}
    rows = []
    # what the MR has to read first: the changed schools, then new and gone ones, then
    # those that could not be compared; the unchanged last
    order = {"gewijzigd": 0, "nieuw": 1, "verwijderd": 1, "fout": 2, "ongewijzigd": 3}
    for school in sorted(schools, key=lambda school: order[school.status]):
        result = school.result
        name = result.school if result and result.school else school.name
        if school.status == "gewijzigd" and result is not None:
            what = f"{_summary(result)[:-1]}: " + ", ".join(
                f"{section} {count}" for section, count in _counts(result))
            link = f"{school.report_name}.{extension}"
        else:
            what, link = _STATUS_TEXT[school.status], ""
        rows.append((name, school.name, what, link))
    changed = sum(school.status == "gewijzigd" for school in schools)
    heading = f"Verschillen per school: van {old_spec} naar {new_spec}"
    summary = (f"{len(schools)} {'school' if len(schools) == 1 else 'scholen'}, "
               f"{changed} met inhoudelijke verschillen.")
    reports[f"index.{extension}"] = _folder_index(rows, heading, summary, output_format)
    return reports


def _folder_index(rows: list[tuple[str, str, str, str]], heading: str, summary: str,
                  output_format: str) -> str:
    if output_format == "html":
        from sopc.render import Renderer

        return Renderer().render_page("verschillen-index.html.j2", "html", rows=rows,
                                      heading=heading, summary=summary)
    if output_format == "md":
        from sopc.textformat import escape_markdown

        lines = [f"# {escape_markdown(heading)}", "", summary, ""]
        for name, file, what, link in rows:
            shown = f"[{escape_markdown(name)}]({link})" if link else escape_markdown(name)
            lines.append(f"- {shown} (`{file}`): {escape_markdown(what)}")
        return "\n".join(lines) + "\n"
    from sopc.diagnostics import terminal_safe

    lines = [terminal_safe(heading), "", summary, ""]
    lines += [terminal_safe(f"- {name} ({file}): {what}" + (f" → {link}" if link else ""))
              for name, file, what, link in rows]
    return "\n".join(lines) + "\n"


# -- output --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Style:
    """How one output format writes text, and removed and inserted words."""

    text: Callable[[str], str]
    removed: Callable[[str], str]
    inserted: Callable[[str], str]


def _words(pieces: tuple[tuple[str, str], ...], style: _Style) -> str:
    shown = []
    for op, words in pieces:
        shown.append(style.removed(words) if op == "-" else style.inserted(words)
                     if op == "+" else "…" if op == "…" else style.text(words))
    return " ".join(shown)


def _line(change: Change, style: _Style) -> str:
    text = style.text
    subject = text(change.subject)
    if change.words:
        return f"gewijzigd: {subject}: {_words(change.words, style)}"
    if change.kind == "verplaatst":
        return f"verplaatst van {text(change.old or '')} naar {text(change.new or '')}: {subject}"
    if change.in_list:
        where = f"aan {change.new}" if change.kind == "toegevoegd" else f"uit {change.old}"
        return f"{change.kind} {text(where)}: {subject}"
    if change.kind == "gewijzigd" and change.old is not None and change.new is not None:
        return f"gewijzigd: {subject}: {text(change.old)} → {text(change.new)}"
    if change.kind == "toegevoegd" and change.new is not None:
        return f"toegevoegd: {subject}: {text(change.new)}"
    if change.kind == "verwijderd" and change.old is not None:
        return f"verwijderd: {subject} (was: {text(change.old)})"
    return f"{change.kind}: {subject}"


def grouped(result: DiffResult, style: _Style | None = None) -> list[tuple[str, list[str]]]:
    """The changes per part of the file, each as a line in `style` (plain text)."""
    style = style or _PLAIN
    sections: dict[str, list[str]] = {}
    for change in result.changes:
        sections.setdefault(change.section, []).append(_line(change, style))
    return list(sections.items())


def _summary(result: DiffResult) -> str:
    count = len(result.changes)
    if not count:
        return "Geen inhoudelijke verschillen."
    return f"{count} {'wijziging' if count == 1 else 'wijzigingen'}."


def _counts(result: DiffResult) -> list[tuple[str, int]]:
    """How many changes each part has, in the order of the report."""
    counts: dict[str, int] = {}
    for change in result.changes:
        counts[change.section] = counts.get(change.section, 0) + 1
    return list(counts.items())


def _title(result: DiffResult) -> str:
    return f"Verschillen in het SOP van {result.school}" if result.school \
        else "Verschillen in het SOP"


def _years(result: DiffResult) -> str:
    old, new = result.years
    if not new:
        return ""
    return f"Schooljaar {new}" if old == new else f"Schooljaar {old} → {new}"


_PLAIN = _Style(lambda words: words, lambda words: f"[-{words}-]", lambda words: f"{{+{words}+}}")


def render_text(result: DiffResult) -> str:
    """For a terminal: one line per change, whatever the values contain. Removed words
    stand as [-woorden-], inserted ones as {+woorden+}."""
    from sopc.diagnostics import terminal_safe

    lines = [terminal_safe(_title(result))]
    if _years(result):
        lines.append(terminal_safe(_years(result)))
    lines += [terminal_safe(f"Van {result.old_label} naar {result.new_label}"), ""]
    for section, changes in grouped(result):
        lines.append(terminal_safe(section))
        lines += [f"  - {terminal_safe(line)}" for line in changes]
        lines.append("")
    lines.append(_summary(result))
    if len(_counts(result)) > 1:
        lines += [terminal_safe(f"  {section}: {count}") for section, count in _counts(result)]
    return "\n".join(lines) + "\n"


def render_markdown(result: DiffResult) -> str:
    """Removed words struck through, inserted ones bold."""
    from sopc.textformat import code_span, escape_markdown
    from sopc.urls import INVISIBLE_IN_OUTPUT

    style = _Style(escape_markdown, lambda words: f"~~{escape_markdown(words)}~~",
                   lambda words: f"**{escape_markdown(words)}**")
    old, new = (code_span(INVISIBLE_IN_OUTPUT.sub("", label))
                for label in (result.old_label, result.new_label))
    lines = [f"# {escape_markdown(_title(result))}", ""]
    if _years(result):
        lines += [escape_markdown(_years(result)), ""]
    lines += [f"Van {old} naar {new}.", "", _summary(result), ""]
    if result.changes:
        lines += [f"- {escape_markdown(section)}: {count}" for section, count in _counts(result)]
        lines += ["", "In teksten: ~~doorgehaald~~ is weggehaald, **vet** is nieuw.", ""]
    for section, changes in grouped(result, style):
        lines += [f"## {escape_markdown(section)}", ""]
        lines += [f"- {line}" for line in changes]
        lines.append("")
    return "\n".join(lines) + "\n"


def render_html(result: DiffResult) -> str:
    """Removed words in <del>, inserted ones in <ins>."""
    from markupsafe import Markup, escape

    from sopc.render import Renderer

    # a screen reader says neither <del> nor <ins>: the hidden words do
    style = _Style(lambda words: str(escape(words)),
                   lambda words: f'<del><span class="sr">weggehaald: </span>{escape(words)}</del>',
                   lambda words: f'<ins><span class="sr">nieuw: </span>{escape(words)}</ins>')
    # every value in a line was escaped by `style`: the line itself is markup
    sections = [(section, [Markup(line) for line in lines])
                for section, lines in grouped(result, style)]
    return Renderer().render_page("verschillen.html.j2", "html", result=result,
                                  sections=sections, summary=_summary(result),
                                  title=_title(result), years=_years(result),
                                  counts=_counts(result))
