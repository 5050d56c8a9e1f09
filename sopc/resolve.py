"""Stage 3, resolve: school file + SWV layer → one view model for the templates.

Finds the SWV layer (a built-in preset or a file relative to the school file), checks
every id the school uses against it, and walks the SWV outline to produce numbered
sections whose blocks carry exactly the data each template part needs.
"""

from __future__ import annotations

import base64
import difflib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sopc.checks import duplicate_ids, layer_checks
from sopc.dates import format_date
from sopc.diagnostics import Diagnostic, Severity, Span, YamlPath, dutch_number
from sopc.inputs import InputRefused, check_input, display_path, repository_root
from sopc.loader import LoadedFile, SourceMap, load_bytes, load_file, with_excerpts
from sopc.models import (
    Catalogue,
    CatalogueAnswers,
    ClusterDefinition,
    LevelDefinition,
    OutlinePart,
    SchoolFile,
    SwvLayer,
    walk,
)
from sopc.validation import describe, validate_loaded

PRESETS = ("perspectief-op-school", "ppo-nk")

# ----------------------------------------------------------------------------------------
# View model
# ----------------------------------------------------------------------------------------

@dataclass(slots=True)
class Block:
    kind: str
    title: str | None = None
    data: Any = None


@dataclass(slots=True)
class Section:
    number: str
    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "h" + self.number.replace(".", "-")

    @property
    def subsections(self) -> list[Section]:
        return [block.data for block in self.blocks if block.kind == "paragraaf"]


@dataclass(slots=True)
class Document:
    title: str
    school_name: str
    school_code: str
    school_year: str
    swv_name: str
    sections: list[Section]
    profile: str = "volledig"
    introduction: str | None = None
    website: str | None = None
    accent_colour: str | None = None
    footer: str | None = None
    logo: str | None = None  # a data: URI, so the HTML stays self-contained


@dataclass(slots=True)
class Resolved:
    documents: dict[str, Document]
    diagnostics: list[Diagnostic]
    swv_file: Path | None = None
    layer: SwvLayer | None = None


# ----------------------------------------------------------------------------------------
# SWV layers
# ----------------------------------------------------------------------------------------

LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 1_000_000


class SwvRegistry:
    """Loads each SWV layer once per run (presets and files alike).

    `repository_root` tells, for an SWV file, the folder its logo must stay inside
    (the folder of its sopc.toml); without it, the SWV file's own folder.
    """

    def __init__(self, repository_root: Callable[[Path], Path | None] | None = None) -> None:
        self._cache: dict[str, tuple[SwvLayer | None, list[Diagnostic]]] = {}
        self._logos: dict[int, str] = {}
        self._logo_files: dict[int, Path] = {}
        self._repository_root = repository_root

    def repository_root(self, path: Path) -> Path | None:
        """The folder of the sopc.toml that applies to `path`, if known."""
        return self._repository_root(path) if self._repository_root else None

    def preset(self, name: str) -> SwvLayer:
        layer, diagnostics = self._preset(name)
        if layer is None:  # a shipped preset is checked by the test suite
            raise RuntimeError(f"built-in preset {name} is invalid: {diagnostics}")
        return layer

    def logo_for(self, layer: SwvLayer) -> str | None:
        """The layer's logo as a data: URI (read and checked once, when it was loaded)."""
        return self._logos.get(id(layer))

    def logo_file(self, layer: SwvLayer) -> Path | None:
        """Where the logo came from (an input of every document of the layer)."""
        return self._logo_files.get(id(layer))

    def _preset(self, name: str) -> tuple[SwvLayer | None, list[Diagnostic]]:
        key = f"preset:{name}"
        if key not in self._cache:
            raw = resources.files("sopc.presets").joinpath(f"{name}.yaml").read_bytes()
            self._cache[key] = self._finish(load_bytes(raw, f"<preset {name}>"))
        return self._cache[key]

    def file(self, path: Path, display: str | None = None
             ) -> tuple[SwvLayer | None, list[Diagnostic]]:
        key = str(path.resolve())
        if key not in self._cache:
            self._cache[key] = self._finish(load_file(path, display), path=path)
        return self._cache[key]

    def adopt(self, path: Path, loaded: LoadedFile, layer: SwvLayer) -> list[Diagnostic]:
        """An SWV file already loaded and validated (by `validate` over a folder)."""
        key = str(path.resolve())
        if key not in self._cache:
            self._cache[key] = self._finish(loaded, layer, path)
        return self._cache[key][1]

    def _finish(self, loaded: LoadedFile, layer: SwvLayer | None = None,
                path: Path | None = None) -> tuple[SwvLayer | None, list[Diagnostic]]:
        checked, diagnostics = self._check_layer(loaded, layer, path)
        # The layer's source lines travel with its diagnostics (no second read).
        return checked, with_excerpts(diagnostics, loaded)

    def _check_layer(self, loaded: LoadedFile, layer: SwvLayer | None,
                     path: Path | None) -> tuple[SwvLayer | None, list[Diagnostic]]:
        display = loaded.path
        diagnostics: list[Diagnostic] = []
        if layer is None:
            model, diagnostics = validate_loaded(loaded)
            if model is not None and not isinstance(model, SwvLayer):
                diagnostics = [Diagnostic(display, Span.start_of_file(), "geen-swv-laag",
                                          "dit bestand is geen SWV-laag (verwacht 'soort: swv')")]
            layer = model if isinstance(model, SwvLayer) else None
        if layer is None:
            return None, diagnostics
        # valid, so what the loader reported are warnings (such as commentaar-in-tekst)
        diagnostics = [*loaded.diagnostics, *layer_checks(layer, loaded.source, display)]
        logo = None
        logo_file = None
        if layer.branding and layer.branding.logo:
            # the same repository rule as for every input (sopc.inputs): the folder of
            # sopc.toml, else the git work tree, else the layer's own folder
            config_root = self._repository_root(path) if self._repository_root and path \
                else None
            root = repository_root(path, config_root, path.parent) if path else None
            try:
                logo = load_logo(layer.branding.logo, path, root)
                logo_file = (path.parent / layer.branding.logo) if path else None
            except LogoProblem as problem:
                where: YamlPath = ("huisstijl", "logo")
                diagnostics.append(Diagnostic(display, loaded.source.value_span(where),
                                              problem.code, str(problem), where))
        if any(d.severity is Severity.ERROR for d in diagnostics):
            return None, diagnostics
        if layer.base is not None:
            if layer.base not in PRESETS:
                return None, [*diagnostics, Diagnostic(
                    display, loaded.source.value_span(("basis",)), "onbekende-swv",
                    f"onbekende basis-preset '{layer.base}'; kies uit {', '.join(PRESETS)}",
                    ("basis",))]
            layer = extend(self.preset(layer.base), layer)
        if logo is not None:
            self._logos[id(layer)] = logo
        if logo_file is not None:
            self._logo_files[id(layer)] = logo_file
        return layer, diagnostics


class LogoProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def load_logo(reference: str, layer_path: Path | None, root: Path | None) -> str:
    """The logo as a data: URI; LogoProblem says why it cannot be used.

    The path is resolved (every symbolic link followed) before it is judged, so a link
    that leads out of the repository is refused like `../..` is. Only a regular file is
    opened: a FIFO, device or socket would make `validate` wait for ever or read without
    end. An SVG must pass sopc.svg's rules (nothing that multiplies work or loads more).
    """
    if layer_path is None:
        raise LogoProblem("logo-fout", "een logo kan alleen in een SWV-bestand staan")
    try:
        target = (layer_path.parent / reference).resolve()
        allowed = (root or layer_path.parent).resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise LogoProblem("logo-fout", f"het logo '{reference}' kan niet worden gevonden "
                                       "(een symbolische koppeling in een kring)") from None
    if not target.is_relative_to(allowed):
        raise LogoProblem("pad-buiten-repository",
                          f"het logo '{reference}' ligt buiten de repository ({allowed})")
    media_type = LOGO_TYPES.get(target.suffix.lower())
    if media_type is None:
        raise LogoProblem("logo-fout", f"het logo '{reference}' moet PNG, JPEG of SVG zijn")
    data = _read_logo(target, reference)
    signatures = {"image/png": data.startswith(b"\x89PNG\r\n\x1a\n"),
                  "image/jpeg": data.startswith(b"\xff\xd8\xff"),
                  "image/svg+xml": b"<svg" in data[:4096]}
    if not signatures[media_type]:
        raise LogoProblem("logo-fout", f"'{reference}' is geen "
                                       f"{target.suffix.lstrip('.').upper()}-afbeelding")
    if media_type == "image/svg+xml":
        from sopc.svg import svg_problem

        if problem := svg_problem(data):
            raise LogoProblem("logo-fout", f"het logo '{reference}' kan niet: {problem}")
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _read_logo(target: Path, reference: str) -> bytes:
    """At most MAX_LOGO_BYTES of a regular file, never blocking on a special one."""
    from sopc.diagnostics import dutch_os_error
    from sopc.inputs import read_regular

    try:
        data = read_regular(target, MAX_LOGO_BYTES)
    except OSError as error:
        raise LogoProblem("logo-fout", f"het logo '{reference}' kan niet worden gelezen "
                                       f"({dutch_os_error(error)})") from None
    if len(data) > MAX_LOGO_BYTES:
        raise LogoProblem("logo-fout", f"het logo '{reference}' is groter dan de grens van "
                                       f"{dutch_number(MAX_LOGO_BYTES)} bytes")
    return data


def extend(base: SwvLayer, layer: SwvLayer) -> SwvLayer:
    """Fields the layer sets replace the base preset's; the rest is inherited."""
    overrides = {name: getattr(layer, name) for name in layer.model_fields_set}
    return base.model_copy(update=overrides)


# ----------------------------------------------------------------------------------------
# Resolution
# ----------------------------------------------------------------------------------------

def format_percentage(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


class _Resolver:
    def __init__(self, school: SchoolFile, layer: SwvLayer, source: SourceMap,
                 display: str, logo: str | None = None) -> None:
        self.logo = logo
        self.school = school
        self.layer = layer
        self.source = source
        self.display = display
        self.diagnostics: list[Diagnostic] = []
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
                     hint=_did_you_mean(value, known))

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

    def document(self, profile: str = "volledig") -> Document:
        info = self.school.school
        definition = self.layer.profiles.get(profile)  # type: ignore[call-overload]
        outline = definition.outline if definition else self.layer.outline
        sections = [self.section(part, str(index), 1)
                    for index, part in enumerate(outline, start=1)]
        if definition is None:  # the school's own chapters belong to the full SOP only
            offset = len(sections)
            for index, chapter in enumerate(self.school.extra_chapters, start=offset + 1):
                sections.append(Section(str(index), chapter.title, 1,
                                        [Block("tekst", None, chapter.content)]))
        branding = self.layer.branding
        return Document(
            title=definition.title if definition else self.layer.document_title,
            school_name=info.name,
            school_code=f"{info.brin}{info.branch}",
            school_year=self.school.sop.school_year,
            swv_name=self.layer.swv.name,
            sections=sections,
            profile=profile,
            introduction=definition.introduction if definition else None,
            website=info.website,
            accent_colour=branding.accent_colour if branding else None,
            footer=branding.footer if branding else None,
            logo=self.logo,
        )

    def section(self, part: OutlinePart, number: str, level: int) -> Section:
        section = Section(number, part.section or "", level)
        subsection = 0
        for child in part.parts:
            if child.section is not None:
                subsection += 1
                section.blocks.append(Block("paragraaf", None, self.section(
                    child, f"{number}.{subsection}", level + 1)))
            else:
                block = self.block(child)
                if block is not None:
                    section.blocks.append(block)
        return section

    def block(self, part: OutlinePart) -> Block | None:
        if part.text is not None:
            content = self.school.texts.get(part.text, part.default
                                            or self.text_slots[part.text].default)
            if not content:
                return None
            if part.introduction:  # the SWV's prompt, shown above the school's answer
                content = f"*{part.introduction.strip()}*\n\n{content}"
            return Block("tekst", part.title, content)
        kind = part.block
        builder = getattr(self, "block_" + str(kind).replace("-", "_"))
        data = builder(part)
        if data is None:
            return None
        return Block(str(kind), part.title, data)

    def block_school_gegevens(self, part: OutlinePart) -> Any:
        info = self.school.school
        rows = [
            ("Invuldatum", format_date(self.school.sop.filled_in)),
            ("Naam van onze school", info.name),
            ("BRIN en vestiging", f"{info.brin}{info.branch}"),
            ("Onderwijstype", info.school_type),
            ("Naam van ons schoolbestuur", info.board),
            ("Naam samenwerkingsverband", self.layer.swv.name),
            ("Plaats", info.place),
            ("Werkgebied", info.work_area),
            ("Website", info.website),
            ("Vastgesteld", format_date(self.school.sop.adopted)),
            ("Advies medezeggenschapsraad", format_date(self.school.sop.council_advice)),
        ]
        return {"introduction": part.introduction,
                "rows": [(label, value) for label, value in rows if value]}

    def block_legenda(self, part: OutlinePart) -> Any:
        return {"introduction": part.introduction, "columns": self.layer.legend}

    def _catalogue_rows(self, part: OutlinePart) -> tuple[Catalogue, Any, list[Any]] | None:
        catalogue = self.catalogues.get(part.catalogue or "")
        if catalogue is None:
            return None
        answers = self.school.offer.get(catalogue.id)
        if answers is None:
            return None
        entries = answers.items
        if isinstance(entries, list):
            entries = dict.fromkeys(entries, "ja")
        rows = [(item, entries[item.id]) for item in catalogue.items if item.id in entries]
        return catalogue, answers, rows

    def block_beschikbaarheid(self, part: OutlinePart) -> Any:
        found = self._catalogue_rows(part)
        if found is None:
            return None
        catalogue, answers, _ = found
        entries = answers.items if isinstance(answers.items, dict) else {}

        def marks(value: Any) -> list[str]:
            return value if isinstance(value, list) else [value] if value else []

        return {
            "catalogue": catalogue,
            "introduction": part.introduction,
            "columns": self.layer.legend,
            "rows": [(item.name, marks(entries.get(item.id))) for item in catalogue.items],
            "other": [(other.name, marks(other.value)) for other in answers.other],
            "note": answers.note,
        }

    def block_lijst(self, part: OutlinePart) -> Any:
        found = self._catalogue_rows(part)
        if found is None:
            return None
        catalogue, answers, rows = found
        return {
            "catalogue": catalogue,
            "introduction": part.introduction,
            "items": [item.name for item, value in rows if _is_yes(value)],
            "other": [other.name for other in answers.other if other.value is None
                      or _is_yes(other.value)],
            "note": answers.note,
        }

    def block_status(self, part: OutlinePart) -> Any:
        found = self._catalogue_rows(part)
        if found is None:
            return None
        catalogue, answers, rows = found
        yes_no = catalogue.kind == "ja-nee"

        def answer(value: Any) -> str:
            if yes_no:
                return "Ja" if _is_yes(value) else "Nee"
            return str(value)

        return {
            "catalogue": catalogue,
            "introduction": part.introduction,
            "rows": [(item.name, answer(value)) for item, value in rows],
            "other": [(other.name, answer(other.value)) for other in answers.other],
            "note": answers.note,
        }

    block_ja_nee = block_status

    def block_clusters(self, part: OutlinePart) -> Any:
        if not self.school.clusters:
            return None
        result = []
        for number, profile in enumerate(self.school.clusters, start=1):
            definition = self.clusters.get(profile.cluster)
            title = definition.title if definition else profile.cluster
            if profile.description:
                title = f"{title} {profile.description}"
            result.append({
                "number": number,
                "title": title,
                "approaches": profile.approaches,
                "in_development": profile.in_development,
                "ambition": profile.ambition,
            })
        return {"introduction": part.introduction, "clusters": result}

    def block_aanbod_samenvatting(self, part: OutlinePart) -> Any:
        """Per legend column (op school, via bestuur, ...): the items offered that way."""
        groups: dict[str, list[str]] = {column.id: [] for column in self.layer.legend}
        for catalogue in self.layer.catalogues:
            answers = self.school.offer.get(catalogue.id)
            if catalogue.kind != "beschikbaarheid" or answers is None \
                    or not isinstance(answers.items, dict):
                continue
            names = {item.id: item.name for item in catalogue.items}
            entries = [(names[i], v) for i, v in answers.items.items() if i in names]
            entries += [(other.name, other.value) for other in answers.other]
            for name, value in entries:
                for mark in value if isinstance(value, list) else [value]:
                    if mark in groups and name not in groups[mark]:
                        groups[mark].append(name)
        columns = [(column.label, column.explanation, groups[column.id])
                   for column in self.layer.legend if groups[column.id]]
        return {"introduction": part.introduction, "columns": columns} if columns else None

    def block_clusters_samenvatting(self, part: OutlinePart) -> Any:
        """Per cluster the school describes: its short name and how many approaches."""
        rows = []
        for profile in self.school.clusters:
            definition = self.clusters.get(profile.cluster)
            if definition is None or not (profile.approaches or profile.in_development):
                continue
            name = definition.short or definition.title
            if profile.description:
                name = f"{name} {profile.description}"
            rows.append({"name": name, "approaches": len(profile.approaches),
                         "in_development": len(profile.in_development)})
        return {"introduction": part.introduction, "clusters": rows} if rows else None

    def _levels(self) -> list[tuple[LevelDefinition, str | None, list[str]]]:
        overrides = {level.level: level for level in self.school.levels}
        result = []
        for level in self.layer.levels:
            override = overrides.get(level.id)
            description = override.description if override and override.description \
                else level.description
            team = override.team if override and override.team is not None else level.team
            result.append((level, description, team))
        return result

    def block_niveaus_overzicht(self, part: OutlinePart) -> Any:
        numbered = [level for level in self.layer.levels if level.number is not None]
        if not numbered:
            return None
        return {"introduction": part.introduction,
                "items": [f"Ondersteuningsniveau {level.number}: {level.name}"
                          for level in numbered]}

    def block_niveaus(self, part: OutlinePart) -> Any:
        levels = []
        for level, description, team in self._levels():
            title = level.name if level.number is None else f"Niveau {level.number}: {level.name}"
            levels.append({"title": title, "description": description, "team": team})
        return {"introduction": part.introduction, "levels": levels} if levels else None

    def block_grenzen(self, part: OutlinePart) -> Any:
        boundaries = self.school.boundaries
        if boundaries is None:
            return None
        return {"introduction": part.introduction, "items": boundaries.items,
                "note": boundaries.note}

    def block_documenten(self, part: OutlinePart) -> Any:
        groups: dict[str, list[str]] = {}
        for document in self.school.documents:
            groups.setdefault(document.location, []).append(document.title)
        return {"introduction": part.introduction, "groups": list(groups.items())} \
            if groups else None

    def block_begrippen(self, part: OutlinePart) -> Any:
        return self.layer.glossary

    def block_inspectie(self, part: OutlinePart) -> Any:
        inspection = self.school.inspection
        if inspection is None:
            return None
        return {"introduction": part.introduction, "date": format_date(inspection.date),
                "verdict": inspection.verdict, "report": inspection.report}

    def _population(self, name: str) -> Any:
        population = self.school.population
        return getattr(population, name) if population is not None else None

    def block_verwijzingen(self, part: OutlinePart) -> Any:
        data = self._population("referrals")
        return {"introduction": part.introduction, "referrals": data} if data else None

    def block_schoolloopbaan(self, part: OutlinePart) -> Any:
        data = self._population("career")
        return {"introduction": part.introduction, "rows": data} if data else None

    def block_uitstroom(self, part: OutlinePart) -> Any:
        data = self._population("outflow")
        if not data:
            return None
        rows = [(row.track, [format_percentage(p) for p in row.percentages]) for row in data.rows]
        return {"introduction": part.introduction, "years": data.school_years, "rows": rows}

    def block_leerlingen_per_cluster(self, part: OutlinePart) -> Any:
        data = self._population("cluster_counts")
        if not data:
            return None
        rows = []
        for count in data.counts:
            definition: ClusterDefinition | None = self.clusters.get(count.cluster)
            label = (definition.short or definition.title) if definition else count.cluster
            rows.append((label, count.count))
        return {"introduction": part.introduction, "school_year": data.school_year,
                "total": data.total_pupils, "rows": rows}

    def block_thuissituatie(self, part: OutlinePart) -> Any:
        data = self._population("home")
        if not data:
            return None
        factors = [{"factor": f.factor, "source": f.source,
                    "values": [(v.category, format_percentage(v.percentage)) for v in f.values]}
                   for f in data.factors]
        return {"introduction": part.introduction, "factors": factors,
                "source_note": data.source_note}


def _is_yes(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() == "ja"


def _did_you_mean(value: str, known: list[str]) -> str | None:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if close:
        return f"bedoelde je '{close[0]}'?"
    return ("bekend: " + ", ".join(known)) if known else None


def find_layer(school: SchoolFile, school_path: Path, source: SourceMap, display: str,
               registry: SwvRegistry, default_swv: str | None = None
               ) -> tuple[SwvLayer | None, list[Diagnostic], Path | None]:
    reference = school.swv or default_swv
    span = source.value_span(("swv",))
    if reference is None:
        return None, [Diagnostic(display, span, "swv-ontbreekt",
                                 "dit schoolbestand noemt geen SWV-laag", ("swv",),
                                 hint="zet 'swv: <preset of bestand>' in het bestand, of "
                                      "'swv = ...' in sopc.toml")], None
    if reference in PRESETS:
        return registry.preset(reference), [], None
    if not reference.endswith((".yaml", ".yml")):
        return None, [Diagnostic(display, span, "onbekende-swv",
                                 f"onbekende SWV-laag '{reference}'", ("swv",),
                                 hint=_did_you_mean(reference, list(PRESETS))
                                 or "gebruik een preset of een pad naar een .yaml-bestand")], None
    path = (school_path.parent / reference)
    shown = display_path(path)
    if not os.path.lexists(path):
        return None, [Diagnostic(display, span, "onbekende-swv",
                                 f"het SWV-bestand '{reference}' bestaat niet (gezocht: {shown})",
                                 ("swv",))], None
    # resolved (symlinks followed) it must be a regular file inside the school's
    # repository (sopc.inputs)
    root = repository_root(school_path, registry.repository_root(school_path))
    try:
        check_input(path, root)
    except InputRefused as refused:
        hint = ("ligt de repository hoger? Zet daar een sopc.toml; die map is dan de grens"
                if refused.code == "pad-buiten-repository" else None)
        return None, [Diagnostic(display, span, refused.code,
                                 f"het SWV-bestand '{reference}': {refused}", ("swv",),
                                 hint=hint)], None
    layer, diagnostics = registry.file(path, shown)
    if layer is None:
        errors = list(diagnostics)
        errors.append(Diagnostic(display, span, "ongeldige-swv",
                                 f"de SWV-laag '{reference}' bevat fouten", ("swv",)))
        return None, errors, path
    return layer, [], path


def resolve(school: SchoolFile, school_path: Path, source: SourceMap, display: str,
            registry: SwvRegistry, default_swv: str | None = None,
            profiles: Sequence[str] = ("volledig",)) -> Resolved:
    """Check the school against its SWV layer; make the view model of each profile asked."""
    layer, diagnostics, swv_file = find_layer(school, school_path, source, display, registry,
                                              default_swv)
    if layer is None:
        return Resolved({}, diagnostics, swv_file)
    resolver = _Resolver(school, layer, source, display, registry.logo_for(layer))
    resolver.check()
    if any(d.severity is Severity.ERROR for d in resolver.diagnostics):
        return Resolved({}, resolver.diagnostics, swv_file, layer)
    documents = {profile: resolver.document(profile) for profile in profiles}
    return Resolved(documents, resolver.diagnostics, swv_file, layer)


def all_outlines(layer: SwvLayer) -> list[OutlinePart]:
    """The document's outline and those of its profiles, for id checks."""
    return [*layer.outline, *(part for profile in layer.profiles.values()
                              for part in profile.outline)]
