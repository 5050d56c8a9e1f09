"""Stage 3, resolve: school file + SWV layer → the view model (sopc.view).

Checks every id the school uses against its layer, walks the outline to number the
sections, and asks each block kind's builder (sopc.blocks) for its data. Finding and
loading the layer is sopc.layers' job; this module only combines the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sopc import blocks
from sopc.checks import duplicate_ids
from sopc.diagnostics import Diagnostic, Severity, YamlPath
from sopc.hints import did_you_mean
from sopc.layers import SwvRegistry, find_layer
from sopc.loader import SourceMap
from sopc.models import (
    Catalogue,
    CatalogueAnswers,
    OutlinePart,
    SchoolFile,
    SwvLayer,
    walk,
)
from sopc.validation import describe
from sopc.view import Block, Document, Section


@dataclass(slots=True)
class Resolved:
    documents: dict[str, Document]
    diagnostics: list[Diagnostic]
    swv_file: Path | None = None
    layer: SwvLayer | None = None


class Resolver:
    """One school against its layer: the id checks, then a document per profile."""

    def __init__(self, school: SchoolFile, layer: SwvLayer, source: SourceMap,
                 display: str, logo: str | None = None) -> None:
        self.logo = logo
        self.school = school
        self.layer = layer
        self.source = source
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self.placed_paths: set[tuple[str | int, ...]] = set()
        self.catalogues = {c.id: c for c in layer.catalogues}
        self.legend_ids = [column.id for column in layer.legend]
        self.clusters = {c.id: c for c in layer.clusters}
        self.levels = {level.id: level for level in layer.levels}
        # The document's own slots first: a profile reuses a text id, with its default.
        self.text_slots: dict[str, OutlinePart] = {}
        for part in walk(all_outlines(layer)):
            if part.text:
                self.text_slots.setdefault(part.text, part)

    def problem(self, path: YamlPath, code: str, message: str, *, key: bool = False,
                hint: str | None = None) -> None:
        span = self.source.key_span(path) if key else self.source.value_span(path)
        self.diagnostics.append(Diagnostic(self.display, span, code, message, path, hint=hint))

    def unknown(self, path: YamlPath, what: str, value: str, known: list[str],
                key: bool = False) -> None:
        self.problem(path, "onbekend-id", f"onbekend {what} '{value}' in de SWV-laag", key=key,
                     hint=did_you_mean(value, known))

    # -- checks --------------------------------------------------------------------------

    def check(self) -> None:
        slots = self.text_slots
        for text_id in self.school.texts:
            if text_id not in slots:
                self.unknown(("teksten", text_id), "tekst-id", text_id, sorted(slots), key=True)
        for text_id, slot in slots.items():
            if slot.required and text_id not in self.school.texts:
                self.problem(("teksten",), "ontbrekende-tekst",
                             f"de tekst '{text_id}' ({slot.title or 'zonder titel'}) moet de "
                             "school zelf invullen", key=True)
        for catalogue_id, answers in self.school.offer.items():
            catalogue = self.catalogues.get(catalogue_id)
            if catalogue is None:
                self.unknown(("aanbod", catalogue_id), "catalogus-id", catalogue_id,
                             list(self.catalogues), key=True)
                continue
            self.check_answers(catalogue, answers, ("aanbod", catalogue_id))
        for index, profile in enumerate(self.school.clusters):
            if profile.cluster not in self.clusters:
                self.unknown(("clusters", index, "cluster"), "cluster-id", profile.cluster,
                             list(self.clusters))
        self.diagnostics += duplicate_ids(
            ((p.cluster, ("clusters", i, "cluster")) for i, p in enumerate(self.school.clusters)),
            "het cluster", self.source, self.display)
        for index, level in enumerate(self.school.levels):
            if level.level not in self.levels:
                self.unknown(("niveaus", index, "niveau"), "niveau-id", level.level,
                             list(self.levels))
        self.diagnostics += duplicate_ids(
            ((lv.level, ("niveaus", i, "niveau")) for i, lv in enumerate(self.school.levels)),
            "het niveau", self.source, self.display)
        counts = self.school.population.cluster_counts if self.school.population else None
        for index, count in enumerate(counts.counts if counts else []):
            if count.cluster not in self.clusters:
                self.unknown(("populatie", "leerlingen_per_cluster", "aantallen", index,
                              "cluster"), "cluster-id", count.cluster, list(self.clusters))

    def check_answers(self, catalogue: Catalogue, answers: CatalogueAnswers,
                      path: YamlPath) -> None:
        items = {item.id for item in catalogue.items}
        entries = answers.items
        if isinstance(entries, list):
            if catalogue.kind != "lijst":
                self.problem((*path, "items"), "verkeerd-type",
                             f"de catalogus '{catalogue.id}' is van de soort "
                             f"'{catalogue.kind}': geef per item-id een antwoord "
                             "('item-id: antwoord')")
                return
            for index, item_id in enumerate(entries):
                if item_id not in items:
                    self.unknown((*path, "items", index), "item-id", item_id,
                                 [i.id for i in catalogue.items])
            return
        for item_id, value in entries.items():
            if item_id not in items:
                self.unknown((*path, "items", item_id), "item-id", item_id,
                             [i.id for i in catalogue.items], key=True)
                continue
            self.check_value(catalogue, value, (*path, "items", item_id))
        for index, other in enumerate(answers.other):
            self.check_value(catalogue, other.value, (*path, "anders", index, "waarde"))

    def check_value(self, catalogue: Catalogue, value: Any, path: YamlPath) -> None:
        if catalogue.kind == "beschikbaarheid":
            marks = value if isinstance(value, list) else [value]
            for index, mark in enumerate(marks):
                if mark not in self.legend_ids:
                    where = (*path, index) if isinstance(value, list) else path
                    if mark is None or not isinstance(mark, str):
                        self.problem(where, "verkeerd-type",
                                     f"verwacht een kolom-id ({', '.join(self.legend_ids)}), "
                                     f"maar hier staat {describe(mark)}")
                    else:
                        self.unknown(where, "kolom-id", mark, self.legend_ids)
        elif catalogue.kind in ("ja-nee", "lijst"):
            if not isinstance(value, str) or value.strip().lower() not in ("ja", "nee"):
                self.problem(path, "verkeerd-type",
                             f"verwacht ja of nee, maar hier staat {describe(value)}")
        elif not isinstance(value, str):
            self.problem(path, "verkeerd-type",
                         f"verwacht een status als tekst, maar hier staat {describe(value)}")

    # -- view model ----------------------------------------------------------------------

    # -- what the block builders use -----------------------------------------------------

    def placed(self, *path: str | int) -> None:
        """The value at `path` of the school file (and all below it) is in the document."""
        self.placed_paths.add(path)

    def is_placeholder(self, value: Any) -> bool:
        return False

    # -- view model ----------------------------------------------------------------------

    def document(self, profile: str = "volledig") -> Document:
        info = self.school.school
        definition = self.layer.profiles.get(profile)  # type: ignore[call-overload]
        outline = definition.outline if definition else self.layer.outline
        parts: list[Section | Block] = [self.section(part, str(index), 1)
                                        for index, part in enumerate(outline, start=1)]
        if definition is None:  # the school's own chapters belong to the full SOP only
            offset = len(parts)
            for index, chapter in enumerate(self.school.extra_chapters, start=offset + 1):
                parts.append(Section(f"extra-{index}", str(index), chapter.title, 1,
                                     "h" + str(index), [Block("tekst", None, chapter.content)]))
        branding = self.layer.branding
        return Document(
            title=definition.title if definition else self.layer.document_title,
            school_name=info.name,
            school_code=f"{info.brin}{info.branch}",
            school_year=self.school.sop.school_year,
            swv_name=self.layer.swv.name,
            parts=parts,
            profile=profile,
            introduction=definition.introduction if definition else None,
            website=info.website,
            accent_colour=branding.accent_colour if branding else None,
            footer=branding.footer if branding else None,
            logo=self.logo,
        )

    def section(self, part: OutlinePart, number: str, level: int) -> Section:
        section = Section(number, number, part.section or "", level,
                          "h" + number.replace(".", "-"))
        subsection = 0
        for child in part.parts:
            if child.section is not None:
                subsection += 1
                section.parts.append(self.section(child, f"{number}.{subsection}", level + 1))
            else:
                block = self.block(child)
                if block is not None:
                    section.parts.append(block)
        return section

    def block(self, part: OutlinePart) -> Block | None:
        if part.text is not None:
            content = self.school.texts.get(part.text, part.default
                                            or self.text_slots[part.text].default)
            if not content:
                return None
            if part.text in self.school.texts:
                self.placed("teksten", part.text)
            if part.introduction:  # the SWV's prompt, shown above the school's answer
                content = f"*{part.introduction.strip()}*\n\n{content}"
            return Block("tekst", part.title, content)
        kind = blocks.KINDS[str(part.block)]
        data = kind.builder(self, part)
        if data is None:
            return None
        return Block(kind.name, part.title, data)


def resolve(school: SchoolFile, school_path: Path, source: SourceMap, display: str,
            registry: SwvRegistry, default_swv: str | None = None,
            profiles: Sequence[str] = ("volledig",)) -> Resolved:
    """Check the school against its SWV layer; make the view model of each profile asked."""
    layer, diagnostics, swv_file = find_layer(school, school_path, source, display, registry,
                                              default_swv)
    if layer is None:
        return Resolved({}, diagnostics, swv_file)
    resolver = Resolver(school, layer, source, display, registry.logo_for(layer))
    resolver.check()
    if any(d.severity is Severity.ERROR for d in resolver.diagnostics):
        return Resolved({}, resolver.diagnostics, swv_file, layer)
    documents = {profile: resolver.document(profile) for profile in profiles}
    return Resolved(documents, resolver.diagnostics, swv_file, layer)


def all_outlines(layer: SwvLayer) -> list[OutlinePart]:
    """The document's outline and those of its profiles, for id checks."""
    return [*layer.outline, *(part for profile in layer.profiles.values()
                              for part in profile.outline)]
