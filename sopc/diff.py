"""`sopc diff OLD NEW`: what changed in a school's profile, in Dutch, for the MR.

OLD and NEW are school files, or `REVISION:PATH` for a file as git holds it in that
revision (PATH relative to the current folder, as `git show REVISION:./PATH`). Both
are loaded and validated like any school file; the comparison is on the model, so
re-ordering YAML keys or changing quotes is no change, and a moved approach (from
"in ontwikkeling" to "aanpakken") is reported as a move, not a removal and an addition.
Names come from the NEW file's SWV layer when it can be found; ids otherwise.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(slots=True)
class DiffResult:
    old_label: str
    new_label: str
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


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
        from sopc.diagnostics import dutch_os_error

        raise SourceError(f"git is niet beschikbaar ({dutch_os_error(error)})") from None


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
        from sopc.diagnostics import dutch_os_error

        raise SourceError(f"git is niet beschikbaar ({dutch_os_error(error)})") from None
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


def _lists(section: str, old: Iterable[ApproachItem], new: Iterable[ApproachItem]
           ) -> list[Change]:
    old_texts = [_text(item) for item in old]
    new_texts = [_text(item) for item in new]
    changes = [Change(section, "verwijderd", text) for text in old_texts if text not in new_texts]
    changes += [Change(section, "toegevoegd", text) for text in new_texts if text not in old_texts]
    return changes


def _value(value: Any, labels: dict[str, str]) -> str:
    if value is None:
        return "(leeg)"
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value) or "(geen)"
    return labels.get(str(value), str(value))


class _Differ:
    def __init__(self, old: SchoolFile, new: SchoolFile, layer: SwvLayer | None) -> None:
        self.old, self.new, self.layer = old, new, layer
        self.changes: list[Change] = []

    def add(self, *changes: Change) -> None:
        self.changes.extend(changes)

    def field(self, section: str, subject: str, old: Any, new: Any) -> None:
        if old != new:
            kind = "toegevoegd" if old in (None, "", []) else \
                "verwijderd" if new in (None, "", []) else "gewijzigd"
            self.add(Change(section, kind, subject, _value(old, {}) if old is not None else None,
                            _value(new, {}) if new is not None else None))

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
                                 ("Vastgesteld", "adopted"), ("Advies MR", "council_advice"),
                                 ("Instemming MR", "consent")):
            self.field("Over dit SOP", label, getattr(old.sop, attribute),
                       getattr(new.sop, attribute))
        self.field("SWV-laag", "swv", old.swv, new.swv)
        self.texts()
        self.offer()
        self.clusters()
        self.levels()
        self.boundaries()
        for label, attribute in (("Documenten", "documents"), ("Inspectie", "inspection"),
                                 ("Populatie", "population")):
            if getattr(old, attribute) != getattr(new, attribute):
                self.add(Change(label, "gewijzigd", label.lower()))
        pupils = ("hoe", "wat_leerlingen_zeiden", "wat_er_veranderde")
        self.keyed("Inbreng van leerlingen", _texts_of(old.pupil_input, pupils),
                   _texts_of(new.pupil_input, pupils), text=True)
        self.keyed("Basisondersteuning", _texts_of(old, ("basisondersteuning",)),
                   _texts_of(new, ("basisondersteuning",)), text=True)
        old_chapters = {c.title: c.content for c in old.extra_chapters}
        new_chapters = {c.title: c.content for c in new.extra_chapters}
        self.keyed("Extra hoofdstukken", old_chapters, new_chapters, text=True)
        return self.changes

    def keyed(self, section: str, old: dict[str, Any], new: dict[str, Any],
              names: dict[str, str] | None = None, *, text: bool = False) -> None:
        names = names or {}
        for key in [*old, *(k for k in new if k not in old)]:
            subject = names.get(key, key)
            if key not in new:
                self.add(Change(section, "verwijderd", subject))
            elif key not in old:
                self.add(Change(section, "toegevoegd", subject))
            elif old[key] != new[key]:
                self.add(Change(section, "gewijzigd", subject,
                                None if text else _value(old[key], {}),
                                None if text else _value(new[key], {})))

    def texts(self) -> None:
        names: dict[str, str] = {}
        if self.layer is not None:
            from sopc.models import walk

            names = {part.text: part.title or part.text for part in walk(self.layer.outline)
                     if part.text}
        self.keyed("Teksten", dict(self.old.texts), dict(self.new.texts), names, text=True)

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
            for item_id in [*old_items, *(i for i in new_items if i not in old_items)]:
                subject = names.get(item_id, item_id)
                before, after = old_items.get(item_id), new_items.get(item_id)
                if before == after:
                    continue
                kind = "toegevoegd" if item_id not in old_items else \
                    "verwijderd" if item_id not in new_items else "gewijzigd"
                self.add(Change(section, kind, subject,
                                _value(before, labels) if item_id in old_items else None,
                                _value(after, labels) if item_id in new_items else None))
            old_other = {o.name: o.value for o in old.other}
            new_other = {o.name: o.value for o in new.other}
            self.keyed(f"{section} (anders, namelijk)", old_other, new_other)
            if old.note != new.note:
                self.add(Change(section, "gewijzigd", "toelichting"))

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
                    ("in ontwikkeling", old_development, new_development)):
                for text in before_list:
                    if text not in after_list and text not in moved:
                        self.add(Change(section, "verwijderd", text, label, None, True))
                for text in after_list:
                    if text not in before_list and text not in moved:
                        self.add(Change(section, "toegevoegd", text, None, label, True))
            if before is not None:
                for change in _lists(section, before.ambition, after.ambition):
                    self.add(Change(change.section, change.kind, change.subject,
                                    "ambitie" if change.kind == "verwijderd" else None,
                                    "ambitie" if change.kind == "toegevoegd" else None, True))

    def levels(self) -> None:
        names = {lv.id: lv.name for lv in self.layer.levels} if self.layer else {}
        old = {lv.level: lv for lv in self.old.levels}
        new = {lv.level: lv for lv in self.new.levels}
        self.keyed("Ondersteuningsniveaus", old, new, names, text=True)

    def boundaries(self) -> None:
        old_items = self.old.boundaries.items if self.old.boundaries else []
        new_items = self.new.boundaries.items if self.new.boundaries else []
        self.add(*_lists("Grenzen", old_items, new_items))
        old_note = self.old.boundaries.note if self.old.boundaries else None
        new_note = self.new.boundaries.note if self.new.boundaries else None
        if old_note != new_note:
            self.add(Change("Grenzen", "gewijzigd", "toelichting"))


def diff(old_spec: str, new_spec: str) -> DiffResult:
    """Compare two versions of a school file; SourceError if one cannot be read."""
    result = DiffResult(old_spec, new_spec)
    old = _school(read_source(old_spec), result)
    new = _school(read_source(new_spec), result)
    if old is None or new is None:
        return result
    layer = _layer_for(new, new_spec) or _layer_for(old, old_spec)
    result.changes = _Differ(old, new, layer).run()
    return result


# -- output --------------------------------------------------------------------------------

def _line(change: Change) -> str:
    if change.kind == "verplaatst":
        return f"verplaatst van {change.old} naar {change.new}: {change.subject}"
    if change.in_list:
        where = f"aan {change.new}" if change.kind == "toegevoegd" else f"uit {change.old}"
        return f"{change.kind} {where}: {change.subject}"
    if change.kind == "gewijzigd" and change.old is not None and change.new is not None:
        return f"gewijzigd: {change.subject}: {change.old} → {change.new}"
    if change.kind == "toegevoegd" and change.new is not None:
        return f"toegevoegd: {change.subject}: {change.new}"
    if change.kind == "verwijderd" and change.old is not None:
        return f"verwijderd: {change.subject} (was: {change.old})"
    return f"{change.kind}: {change.subject}"


def grouped(result: DiffResult) -> list[tuple[str, list[str]]]:
    sections: dict[str, list[str]] = {}
    for change in result.changes:
        sections.setdefault(change.section, []).append(_line(change))
    return list(sections.items())


def _summary(result: DiffResult) -> str:
    count = len(result.changes)
    if not count:
        return "Geen inhoudelijke verschillen."
    return f"{count} {'wijziging' if count == 1 else 'wijzigingen'}."


def render_text(result: DiffResult) -> str:
    """For a terminal: one line per change, whatever the values contain."""
    from sopc.diagnostics import terminal_safe

    lines = [terminal_safe(f"Verschillen tussen {result.old_label} en {result.new_label}"), ""]
    for section, changes in grouped(result):
        lines.append(terminal_safe(section))
        lines += [f"  - {terminal_safe(line)}" for line in changes]
        lines.append("")
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def render_markdown(result: DiffResult) -> str:
    from sopc.textformat import code_span, escape_markdown
    from sopc.urls import INVISIBLE_IN_OUTPUT

    old, new = (code_span(INVISIBLE_IN_OUTPUT.sub("", label))
                for label in (result.old_label, result.new_label))
    lines = ["# Verschillen in het SOP", "", f"Van {old} naar {new}.", ""]
    for section, changes in grouped(result):
        lines += [f"## {escape_markdown(section)}", ""]
        lines += [f"- {escape_markdown(line)}" for line in changes]
        lines.append("")
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def render_html(result: DiffResult) -> str:
    from sopc.render import Renderer

    return Renderer().render_page("verschillen.html.j2", "html", result=result,
                                  sections=grouped(result), summary=_summary(result))


def _texts_of(model: Any, keys: tuple[str, ...]) -> dict[str, str]:
    """The texts a model has under these YAML keys (its aliases), the empty ones left out."""
    if model is None:
        return {}
    values = model.model_dump(by_alias=True)
    return {key: values[key] for key in keys if values.get(key)}
