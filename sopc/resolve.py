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
from urllib.parse import quote

from sopc import blocks, outline
from sopc.checks import duplicate_ids
from sopc.dates import format_date, format_long_date
from sopc.diagnostics import Diagnostic, Severity, YamlPath, quoted_list
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
from sopc.placeholders import contains_placeholder, is_placeholder
from sopc.regime import BY_SCHOOL_YEAR, Regime, RegimeSetting
from sopc.theme import document_name
from sopc.validation import describe
from sopc.view import Block, Document, DocumentLink, Fact, Section


@dataclass(frozen=True, slots=True)
class LayerIndex:
    """What the resolver needs of a layer, whatever the school: its outline as a tree
    (shared, so never changed: a school's adjustments work on a copy) and its text slots."""

    nodes: list[outline.Node]
    text_slots: dict[str, OutlinePart]
    profiles_of_text: dict[str, list[str]]  # text id → the short versions that show it

    @staticmethod
    def of(layer: SwvLayer) -> LayerIndex:
        found = _LAYER_INDEXES.get(id(layer))
        if found is not None and found[0] is layer:
            return found[1]
        text_slots: dict[str, OutlinePart] = {}
        for part in walk(all_outlines(layer)):
            if part.text:
                text_slots.setdefault(part.text, part)
        profiles_of_text: dict[str, list[str]] = {}
        for name, definition in layer.profiles.items():
            for part in walk(definition.outline):
                if part.text and name not in profiles_of_text.setdefault(part.text, []):
                    profiles_of_text[part.text].append(name)
        index = LayerIndex(outline.build_tree(layer.outline, ("opbouw",), own=False),
                           text_slots, profiles_of_text)
        if len(_LAYER_INDEXES) >= 64:  # a run uses a few layers; tests make many
            _LAYER_INDEXES.clear()
        _LAYER_INDEXES[id(layer)] = (layer, index)  # the layer kept alive: its id stays its
        return index


_LAYER_INDEXES: dict[int, tuple[SwvLayer, LayerIndex]] = {}


@dataclass(slots=True)
class Resolved:
    documents: dict[str, Document]
    diagnostics: list[Diagnostic]
    swv_file: Path | None = None
    layer: SwvLayer | None = None
    regime: Regime | None = None


class Resolver:
    """One school against its layer: the id checks, then a document per profile."""

    def __init__(self, school: SchoolFile, layer: SwvLayer, source: SourceMap,
                 display: str, logo: str | None = None, concept: bool | None = None,
                 regime_setting: RegimeSetting = BY_SCHOOL_YEAR, stem: str = "",
                 profiles: Sequence[str] = ("volledig",)) -> None:
        self.logo = logo
        self.school = school
        self.layer = layer
        self.regime = regime_setting.of(school.sop.school_year, layer)
        self.stem = stem  # the output files' name without profile and format
        self.profiles = tuple(profiles)  # what this run builds (the links between them)
        self.current_profile = "volledig"  # the document being made (see `document`)
        self.source = source
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self.placed_paths: set[tuple[str | int, ...]] = set()
        self.catalogues = {c.id: c for c in layer.catalogues}
        self.legend_ids = [column.id for column in layer.legend]
        self.clusters = {c.id: c for c in layer.clusters}
        self.levels = {level.id: level for level in layer.levels}
        # The outline of the full document: the SWV's, adjusted by the school, or the
        # school's own. Problems with adjustments are reported at their line. What only
        # depends on the layer is worked out once per layer (LayerIndex).
        self.index = index = LayerIndex.of(layer)
        self.layer_nodes = index.nodes
        if school.outline is not None:
            self.nodes = outline.build_tree(school.outline, ("opbouw",), own=True)
        elif school.outline_changes:
            self.nodes = outline.apply_changes(
                outline.build_tree(layer.outline, ("opbouw",), own=False),
                school.outline_changes, ("opbouw_aanpassen",), self.report)
        else:
            self.nodes = index.nodes  # read, never changed
        # The text slots: the SWV's first (their defaults), then the school's own; a
        # profile reuses a text id of the document, with its default.
        self.text_slots = index.text_slots
        if self.nodes is not index.nodes:
            self.text_slots = dict(index.text_slots)
            for node in outline.walk(self.nodes):
                if node.part.text:
                    self.text_slots.setdefault(node.part.text, node.part)
        # Placeholders of `sopc new` left: every document says CONCEPT on its title page.
        self.concept = contains_placeholder(school.model_dump(mode="json")) \
            if concept is None else concept

    def report(self, path: YamlPath, code: str, message: str, hint: str | None) -> None:
        self.problem(path, code, message, hint=hint)

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
        self.check_outline()
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
        if is_placeholder(value):  # 'nog in te vullen': reported as `voorbeeldtekst`
            return
        if catalogue.kind == "beschikbaarheid":
            marks = value if isinstance(value, list) else [value]
            for index, mark in enumerate(marks):
                if mark not in self.legend_ids and not is_placeholder(mark):
                    where = (*path, index) if isinstance(value, list) else path
                    self.not_a_column(where, catalogue, mark)
        elif catalogue.kind in ("ja-nee", "lijst"):
            if not isinstance(value, str) or value.strip().lower() not in ("ja", "nee"):
                self.problem(path, "verkeerd-type",
                             f"verwacht ja of nee, maar hier staat {describe(value)}")
        elif not isinstance(value, str):
            self.problem(path, "verkeerd-type",
                         f"verwacht een status als tekst, maar hier staat {describe(value)}")

    def not_a_column(self, where: YamlPath, catalogue: Catalogue, mark: Any) -> None:
        """An answer in an availability table that is none of its columns ('nee', a
        typo): said in the table's own words, with how to say 'not offered'."""
        choices = ", ".join(f"{column.id} ({column.label})" for column in self.layer.legend)
        how = f"kies uit {choices}; biedt de school dit niet, schrijf dan []"
        hint = did_you_mean(mark, self.legend_ids, otherwise=how) if isinstance(mark, str) \
            else how
        if mark is None or not isinstance(mark, str):
            self.problem(where, "verkeerd-type", f"verwacht een manier van aanbieden uit de "
                         f"tabel '{catalogue.title}', maar hier staat {describe(mark)}",
                         hint=hint)
        else:
            self.problem(where, "onbekend-id", f"'{mark}' is geen manier van aanbieden in de "
                         f"tabel '{catalogue.title}'", hint=hint)

    def check_outline(self) -> None:
        for second, _first in outline.duplicate_part_ids(self.nodes):
            if second.own:
                key = "id" if second.part.id else "tekst"
                self.problem((*second.path, key), "dubbel-id",
                             f"het id '{second.id}' staat al eerder in de opbouw")
        if self.school.outline is None:
            return
        for node in outline.missing_required(self.layer_nodes, self.nodes):
            what = f"'{node.part.heading}'" if node.part.heading else "dit onderdeel"
            self.problem(("opbouw",), "verplicht-onderdeel",
                         f"het SWV stelt {what} (id '{node.id}') verplicht: neem het op in de "
                         "eigen opbouw", key=True,
                         hint=f"zet er een onderdeel met 'id: {node.id}' in")

    # -- what the block builders use -----------------------------------------------------

    def placed(self, *path: str | int) -> None:
        """The value at `path` of the school file (and all below it) is in the document."""
        self.placed_paths.add(path)

    def is_placeholder(self, value: Any) -> bool:
        return is_placeholder(value)

    # -- view model ----------------------------------------------------------------------

    def document(self, profile: str = "volledig") -> Document:
        """The view of one profile. The full document (`volledig`) also tells what of the
        school's file it could not place, what stayed empty and why."""
        info = self.school.school
        sop = self.school.sop
        definition = self.layer.profiles.get(profile)  # type: ignore[call-overload]
        full = definition is None
        self.current_profile = profile
        self.placed_paths = set()  # what this document shows (the title page depends on it)
        if full:
            nodes = self.nodes
        else:
            nodes = outline.build_tree(definition.outline, ("profielen", profile, "opbouw"),
                                       own=False)
        drafts = self.drafts(nodes, full)
        if full:  # the school's own chapters belong to the full SOP only
            for index, chapter in enumerate(self.school.extra_chapters):
                self.placed("extra_hoofdstukken", index)
                part = OutlinePart.model_validate({"paragraaf": chapter.title})
                drafts.append(_Draft(outline.Node(part, f"extra-{index + 1}"),
                                     [Block("tekst", None, chapter.content)]))
        parts = self.numbered(drafts, outline.Counter("", "cijfers"), 1)
        facts = self.facts(full)  # after the blocks: it leaves out what they show
        if full:
            self.check_placed()
        branding = self.layer.branding
        title = definition.title if definition else \
            self.school.document_title or self.layer.document_title
        return Document(
            title=title,
            school_name=info.name,
            school_code=f"{info.brin}{info.branch}",
            school_year=sop.school_year,
            swv_name=self.layer.swv.name,
            parts=parts,
            profile=profile,
            introduction=definition.introduction if definition else None,
            website=info.website,
            accent_colour=branding.accent_colour if branding else None,
            footer=branding.footer if branding else None,
            logo=self.logo,
            facts=facts,
            place=info.place,
            concept=self.concept,
        )

    def full_document(self) -> DocumentLink | None:
        """The longer version of this school's documents that this one points to, if the
        run builds it: the full SOP, else (from the parents' version) the chapter for the
        schoolgids."""
        wanted = ("volledig", "schoolgids") if self.current_profile == "ouders" \
            else ("volledig",)
        for profile in wanted:
            if profile == self.current_profile or profile not in self.profiles:
                continue
            definition = self.layer.profiles.get(profile)  # type: ignore[call-overload]
            title = definition.title if definition else \
                self.school.document_title or self.layer.document_title
            return DocumentLink(title, quote(document_name(self.stem, profile)))
        return None

    def facts(self, full: bool = True) -> tuple[Fact, ...]:
        """The title page's lines under the school's name: in the full SOP every fact the
        school gave about itself and about this SOP that has no other place there; in a
        short version (for parents, for the schoolgids) where the school is and how to
        reach it."""
        info = self.school.school
        sop = self.school.sop
        self.placed("school", "naam")
        self.placed("school", "brin")
        self.placed("school", "vestiging")
        self.placed("sop", "schooljaar")
        adopted = format_long_date(sop.adopted)
        if adopted and sop.adopted_by:
            adopted = f"{adopted} door {sop.adopted_by}"
        elif sop.adopted_by:
            adopted = f"door {sop.adopted_by}"
        rows: list[tuple[str, str | None, tuple[str, ...]]] = [
            ("Plaats", info.place, ("school", "plaats")),
            ("Adres", info.address, ("school", "adres")),
            ("Gemeente", info.municipality, ("school", "gemeente")),
            ("Schoolbestuur", info.board, ("school", "bestuur")),
            ("Nummer bevoegd gezag (DUO)", info.board_number, ("school", "bevoegd_gezag")),
            ("Onderwijstype", info.school_type, ("school", "onderwijstype")),
            ("Denominatie", info.denomination, ("school", "denominatie")),
            ("Werkgebied", info.work_area, ("school", "werkgebied")),
            ("Ingevuld", format_date(sop.filled_in), ("sop", "invuldatum")),
            ("Vastgesteld", adopted, ("sop", "vastgesteld", "vastgesteld_door")),
            ("Advies medezeggenschapsraad", format_long_date(sop.council_advice),
             ("sop", "mr_advies")),
            ("Instemming oudergeleding MR", format_long_date(sop.consent),
             ("sop", "instemming")),
            ("Contactpersoon", info.contact, ("school", "contactpersoon")),
            ("Telefoon", info.phone, ("school", "telefoon")),
            ("E-mail", info.email, ("school", "email")),
            ("Website", info.website, ("school", "website")),
        ]
        # A fact a block of the document already shows (the table 'school-gegevens')
        # is not repeated, except the ones every title page has.
        always = {"Plaats", "Vastgesteld", "Advies medezeggenschapsraad",
                  "Instemming oudergeleding MR"}
        rows = [row for row in rows if row[0] in always
                or (row[2][0], row[2][1]) not in self.placed_paths]
        if not full:
            rows = [row for row in rows if row[0] in _CONTACT_FACTS]
        found = []
        for label, value, (group, *names) in rows:
            if value:
                found.append(Fact(label, value, blocks.contact_link(names[0], value)))
                for name in names:
                    self.placed(group, name)
        return tuple(found)

    def drafts(self, nodes: Sequence[outline.Node], full: bool) -> list[_Draft | Block]:
        """The content of a list of parts, before numbering: empty sections left out,
        and an SWV lead-in that ends in ':' with nothing after it dropped (reported in
        the full document)."""
        result: list[_Draft | Block] = []
        followers: list[str] = []  # what a lead-in announced but stayed empty
        lead_in: tuple[int, outline.Node] | None = None
        for node in nodes:
            part = node.part
            if part.is_heading:
                inner = self.drafts(node.children, full)
                if not inner:
                    if full:
                        self.empty_section(node)
                    followers.append(node.id)
                    continue
                item: _Draft | Block = _Draft(node, inner)
            else:
                block = self.block(part)
                if block is None:
                    if full and (node.own or node.changed_at):
                        self.empty_part(node)
                    followers.append(node.id)
                    continue
                item = block
            if lead_in is not None and isinstance(item, Block):
                lead_in = None  # the announced list is there
            result.append(item)
            if isinstance(item, Block) and item.kind == "tekst" and part.text \
                    and part.text not in self.school.texts \
                    and str(item.data).rstrip().endswith(":"):
                lead_in, followers = (len(result) - 1, node), []
        if lead_in is not None:
            index, node = lead_in
            del result[index]
            if full and result:  # else the section is empty: 'lege-paragraaf' says it all
                self.dangling_lead_in(node, followers)
        return result

    def numbered(self, drafts: Sequence[_Draft | Block], counter: outline.Counter,
                 level: int) -> list[Section | Block]:
        parts: list[Section | Block] = []
        for draft in drafts:
            if isinstance(draft, Block):
                parts.append(draft)
                continue
            part = draft.node.part
            number = counter.next(part)
            inner = self.numbered(draft.parts, outline.Counter(number.chain, number.inherited),
                                  level + 1)
            parts.append(Section(draft.node.id, number.number, part.heading or "", level,
                                 "sop-" + draft.node.id, inner))
        return parts

    def block(self, part: OutlinePart) -> Block | None:
        if part.text is not None:
            slot = self.text_slots.get(part.text)
            content = self.school.texts.get(part.text, part.default
                                            or (slot.default if slot else None))
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

    # -- what the full document could not show --------------------------------------------

    def where(self, node: outline.Node) -> tuple[YamlPath, bool]:
        """Where to report on a part: its own line if the school wrote it, the line of
        the school's adjustment that renamed or moved it, else the line that names the
        SWV layer (the school cannot edit the SWV's file)."""
        if node.own:
            return node.path, False
        return (node.changed_at, False) if node.changed_at else (("swv",), True)

    def empty_section(self, node: outline.Node) -> None:
        path, key = self.where(node)
        fillers = []
        for inner in node.walk():
            part = inner.part
            if part.text:
                fillers.append(f"'teksten: {part.text}'")
            elif part.block and (source := blocks.KINDS[part.block].source):
                fillers.append(f"'{source}: {part.catalogue}'" if source == "aanbod"
                               else f"'{source}'")
        fill = f"vul {quoted_list(list(dict.fromkeys(fillers)), quote=False)} in, of " \
            if fillers else ""
        self.problem(path, "lege-paragraaf",
                     f"de paragraaf '{node.part.heading}' (id '{node.id}') blijft leeg en "
                     "staat daarom niet in het document", key=key,
                     hint=f"{fill}laat de paragraaf weg: zet onder 'opbouw_aanpassen:' de "
                          f"regel '- laat_weg: {node.id}'")

    def empty_part(self, node: outline.Node) -> None:
        """A text or block the school put in (or renamed, or moved) with nothing to show."""
        part = node.part
        if part.text:
            what, fill = f"de tekst '{part.text}'", f"vul 'teksten: {part.text}' in"
        else:
            source = blocks.KINDS[str(part.block)].source
            what = f"het blok '{part.block}'"
            fill = f"vul '{source}' in" if source else "vul de gegevens in"
        path, _ = self.where(node)
        self.problem(path, "leeg-onderdeel",
                     f"{what} staat in de opbouw, maar er is niets ingevuld; het staat niet "
                     "in het document", hint=f"{fill}, of haal het uit de opbouw")

    def dangling_lead_in(self, node: outline.Node, followers: list[str]) -> None:
        path, key = self.where(node)
        empty = f": {quoted_list(followers)} {'is' if len(followers) == 1 else 'zijn'} " \
            "niet ingevuld" if followers else ""
        self.problem(path, "inleiding-zonder-vervolg",
                     f"de tekst '{node.id}' kondigt met ':' een opsomming aan, maar daarna "
                     f"volgt niets{empty}; de tekst is weggelaten", key=key,
                     hint="vul in wat erna hoort, of vervang de tekst onder 'teksten'")

    def check_placed(self) -> None:
        """Every value the school gave is in the full document, or reported here."""
        placed = self.placed_paths

        def missing(path: YamlPath, what: str) -> None:
            if not any(path[:length] in placed for length in range(1, len(path) + 1)):
                self.problem(path, "niet-geplaatst",
                             f"{what} staat niet in het document: de opbouw heeft er geen "
                             "plek voor", key=True, hint=_PLACE_HINTS.get(str(path[0])))

        school = self.school
        for text_id in school.texts:
            profiles = self.index.profiles_of_text.get(text_id, [])
            missing(("teksten", text_id), f"de tekst '{text_id}'" + (
                f" (wel in de versie {quoted_list(profiles)})" if profiles else ""))
        for catalogue_id in school.offer:
            missing(("aanbod", catalogue_id), f"het aanbod '{catalogue_id}'")
        simple = (("clusters", school.clusters, "de clusters"),
                  ("niveaus", school.levels, "de niveaus"),
                  ("grenzen", school.boundaries, "de grenzen"),
                  ("documenten", school.documents, "de documenten"),
                  ("inspectie", school.inspection, "de inspectie"),
                  ("basisondersteuning", school.basic_support, "de basisondersteuning"),
                  ("leerlingeninbreng", school.pupil_input, "de inbreng van leerlingen"))
        for key, value, what in simple:
            if value:
                missing((key,), what)
        if school.population is not None:
            for name in sorted(school.population.model_fields_set):
                alias = type(school.population).model_fields[name].alias or name
                if getattr(school.population, name):
                    missing(("populatie", alias), f"'populatie: {alias}'")
        for group, model in (("school", school.school), ("sop", school.sop)):
            for name in sorted(model.model_fields_set):
                alias = type(model).model_fields[name].alias or name
                if getattr(model, name) is not None:
                    missing((group, alias), f"'{group}: {alias}'")


@dataclass(slots=True)
class _Draft:
    """A section before numbering: its node and what it holds."""

    node: outline.Node
    parts: list[_Draft | Block]


_CONTACT_FACTS = frozenset({"Plaats", "Adres", "Contactpersoon", "Telefoon", "E-mail",
                            "Website"})

_PLACE_HINTS = {
    "teksten": "zet de tekst in de opbouw met 'opbouw_aanpassen: - voeg_toe: {tekst: ...}' "
               "en 'na: <id>', of haal hem hier weg",
    "aanbod": "zet een blok voor deze catalogus in de opbouw (zie docs/opbouw.md)",
    "school": "deze gegevens staan in het blok 'school-gegevens'; zet dat in de opbouw",
    "sop": "deze gegevens staan in het blok 'school-gegevens'; zet dat in de opbouw",
}


def resolve(school: SchoolFile, school_path: Path, source: SourceMap, display: str,
            registry: SwvRegistry, default_swv: str | None = None,
            profiles: Sequence[str] = ("volledig",), concept: bool | None = None,
            regime_setting: RegimeSetting = BY_SCHOOL_YEAR) -> Resolved:
    """Check the school against its SWV layer; make the view model of each profile asked.

    `concept` says whether placeholders of `sopc new` are left (the caller may know it
    from the file's text); None: look through the school's values.

    The full document is always worked out, even when no profile is asked (`validate`):
    only then can it tell what of the school's file the document would not show."""
    layer, diagnostics, swv_file = find_layer(school, school_path, source, display, registry,
                                              default_swv)
    if layer is None:
        return Resolved({}, diagnostics, swv_file)
    resolver = Resolver(school, layer, source, display, registry.logo_for(layer), concept,
                        regime_setting, school_path.stem, profiles)
    resolver.check()
    for profile in profiles:
        if profile != "volledig" and profile not in layer.profiles:
            known = quoted_list(["volledig", *layer.profiles])
            resolver.problem(("swv",), "onbekend-profiel",
                             f"de SWV-laag '{layer.swv.name}' kent geen versie '{profile}' "
                             f"(wel: {known}); er is niets gemaakt onder die naam",
                             hint="laat --profiel weg, of voeg de versie toe onder 'profielen' "
                                  "van de SWV-laag")
    if any(d.severity is Severity.ERROR for d in resolver.diagnostics):
        return Resolved({}, resolver.diagnostics, swv_file, layer, resolver.regime)
    full = resolver.document("volledig")
    documents = {profile: full if profile == "volledig" else resolver.document(profile)
                 for profile in profiles}
    return Resolved(documents, resolver.diagnostics, swv_file, layer, resolver.regime)


def all_outlines(layer: SwvLayer) -> list[OutlinePart]:
    """The document's outline and those of its profiles, for id checks."""
    return [*layer.outline, *(part for profile in layer.profiles.values()
                              for part in profile.outline)]
