"""Content checks beyond types: what a valid file can still get wrong.

They run after the SWV layer is known (stage 3) and never stop a build on their own
account unless their severity says so; `sopc.toml` can change that severity per code
(see sopc.codes). "Today" is always passed in, never read from the clock here.
"""

from __future__ import annotations

import datetime
import functools
import typing
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from sopc import textformat
from sopc.dates import add_years, format_date, format_day, parse_sop_date
from sopc.diagnostics import Diagnostic, YamlPath, quoted_list
from sopc.loader import LoadedFile, SourceMap
from sopc.models import OutlinePart, SchoolFile, SwvLayer, is_markdown, walk
from sopc.placeholders import placeholder_diagnostics
from sopc.regime import Regime, school_year_of
from sopc.urls import INVISIBLE_IN_NAMES, INVISIBLE_IN_OUTPUT

if TYPE_CHECKING:
    from sopc.duo import DuoList

STALE_YEARS = 4  # the law asks for a new SOP at least every four years (message says "vier")
REVIEW_YEARS = 1


def reference_date(school: SchoolFile) -> tuple[datetime.date, YamlPath, str]:
    """The date an SOP's age counts from, where it stands, and how to say it."""
    sop = school.sop
    if sop.adopted:
        return (parse_sop_date(sop.adopted), ("sop", "vastgesteld"),
                f"vastgesteld op {format_date(sop.adopted)}")
    if sop.filled_in:
        return (parse_sop_date(sop.filled_in), ("sop", "invuldatum"),
                f"ingevuld in {format_date(sop.filled_in)}" if len(sop.filled_in) == 7
                else f"ingevuld op {format_date(sop.filled_in)}")
    start = datetime.date(int(sop.school_year[:4]), 8, 1)
    return start, ("sop", "schooljaar"), f"voor schooljaar {sop.school_year}"


def age_status(day: datetime.date, today: datetime.date) -> str:
    """'actueel', 'ouder-dan-een-jaar' or 'verouderd' (more than four years): an SOP."""
    if today > add_years(day, STALE_YEARS):
        return "verouderd"
    if today > add_years(day, REVIEW_YEARS):
        return "ouder-dan-een-jaar"
    return "actueel"


# The errors of a document past its date: on the SWV's site it stays published with a
# banner (`overdue_notice`) instead of disappearing; every other error still stops it.
OVERDUE_CODES = frozenset({"sop-verouderd", "schoolgids-verouderd"})


def overdue_notice(school: SchoolFile, regime: Regime, today: datetime.date) -> str | None:
    """The banner above a document past its date, in words for parents; None when it is
    current (or only due for a review)."""
    status = chapter_status(school, regime, today)
    ask = "Vraag de school welke ondersteuning er nu is."
    if status == "verouderd":
        how = reference_date(school)[2]  # 'vastgesteld op 12-5-2019'
        return f"Dit profiel is ouder dan vier jaar: het is {how}. {ask}"
    if status == "eerder-schooljaar":
        return (f"Dit is de beschrijving van schooljaar {school.sop.school_year}; die van "
                f"schooljaar {school_year_of(today)} staat hier nog niet. {ask}")
    return None


def chapter_status(school: SchoolFile, regime: Regime, today: datetime.date) -> str:
    """How current a school's document is on `today`: for an SOP by its age (see
    `age_status`); a schoolgids chapter is set every year, so it is 'actueel' for the
    running school year (or a later one) and 'eerder-schooljaar' after that."""
    if regime.is_schoolgids:
        running = school_year_of(today)
        return "actueel" if school.sop.school_year >= running else "eerder-schooljaar"
    return age_status(reference_date(school)[0], today)


class SchoolChecks:
    def __init__(self, school: SchoolFile, layer: SwvLayer, source: SourceMap, display: str,
                 today: datetime.date, regime: Regime) -> None:
        self.school = school
        self.layer = layer
        self.source = source
        self.display = display
        self.today = today
        self.regime = regime
        self.found: list[Diagnostic] = []

    def report(self, path: YamlPath, code: str, message: str, *, key: bool = False,
               hint: str | None = None) -> None:
        span = self.source.key_span(path) if key else self.source.value_span(path)
        self.found.append(Diagnostic(self.display, span, code, message, path, hint=hint))

    def run(self) -> list[Diagnostic]:
        if self.regime.is_schoolgids:
            self.check_school_year()
            self.check_consent()
            self.check_pupil_input()
            self.check_boundaries()
        else:
            self.check_age()
            self.check_council_advice()
        self.check_future_dates()
        self.check_missing_clusters()
        self.check_overridden_texts()
        self.found += text_checks(self.school, self.source, self.display)
        return self.found

    def check_age(self) -> None:
        day, path, when = reference_date(self.school)
        since = f"het SOP is {when}"
        today = format_day(self.today)
        status = age_status(day, self.today)
        if status == "verouderd":
            self.report(path, "sop-verouderd",
                        f"{since}, meer dan vier jaar voor de peildatum {today}",
                        hint="een school stelt haar SOP minstens eens in de vier jaar "
                             "opnieuw vast")
        elif status == "ouder-dan-een-jaar":
            self.report(path, "sop-ouder-dan-een-jaar",
                        f"{since}, meer dan een jaar voor de peildatum {today}",
                        hint="controleer of het nog klopt en werk 'vastgesteld' bij")

    def check_school_year(self) -> None:
        """A schoolgids chapter is for one school year: on the reference date it must be
        the running one (or the next, prepared in spring)."""
        if chapter_status(self.school, self.regime, self.today) == "actueel":
            return
        school_year = self.school.sop.school_year
        self.report(("sop", "schooljaar"), "schoolgids-verouderd",
                    f"dit hoofdstuk voor de schoolgids is voor schooljaar {school_year}; op de "
                    f"peildatum {format_day(self.today)} loopt schooljaar "
                    f"{school_year_of(self.today)}",
                    hint="de schoolgids wordt elk schooljaar opnieuw vastgesteld: werk "
                         "'schooljaar', de teksten en 'leerlingeninbreng' bij (de regels van "
                         f"de schoolgids gelden hier door {self.regime.chosen_by}; zie "
                         "docs/schoolgids.md)")

    def check_consent(self) -> None:
        if not self.school.sop.consent:
            self.report(("sop",), "instemming-ontbreekt",
                        "de datum waarop de oudergeleding van de MR instemde met de schoolgids "
                        "ontbreekt", key=True,
                        hint="voeg 'instemming: JJJJ-MM-DD' toe onder 'sop'")

    def check_pupil_input(self) -> None:
        """Art. 13b WPO: the schoolgids says how pupils were heard on the support offer,
        in general terms what they said, and how much influence it had."""
        given = self.school.pupil_input
        if given is None:
            self.report(("sop", "schooljaar"), "leerlingeninbreng-ontbreekt",
                        f"de schoolgids van {self.school.sop.school_year} beschrijft niet hoe "
                        "leerlingen hun mening gaven over de ondersteuning en wat die inbreng "
                        "veranderde (artikel 13b WPO)",
                        hint="voeg 'leerlingeninbreng:' toe met 'hoe', 'wat_leerlingen_zeiden' "
                             "en 'wat_er_veranderde'; zie docs/schoolgids.md")
            return
        missing = [key for key, value in (("hoe", given.how),
                                          ("wat_leerlingen_zeiden", given.said),
                                          ("wat_er_veranderde", given.changed)) if not value]
        if missing:
            self.report(("leerlingeninbreng",), "leerlingeninbreng-ontbreekt",
                        f"bij 'leerlingeninbreng' ontbreekt {quoted_list(missing)}", key=True,
                        hint="de wet vraagt hoe leerlingen zijn gehoord, wat zij in grote "
                             "lijnen zeiden en hoeveel invloed dat had")

    def check_boundaries(self) -> None:
        """The chapter and the parents' version say what the school cannot offer; without
        grenzen they would say nothing about it, and parents read that as 'no limits'."""
        boundaries = self.school.boundaries
        written = (boundaries is not None and bool(boundaries.items or boundaries.note)) \
            or bool(self.school.texts.get("grenzen"))  # a layer may ask for them as a text
        if not written:
            self.report(("sop", "schooljaar"), "grenzen-ontbreken",
                        f"de schoolgids van {self.school.sop.school_year} zegt niet wat de "
                        "school niet kan bieden: er staan geen grenzen in het schoolbestand",
                        hint="voeg 'grenzen:' toe met een 'lijst' van wat de school niet kan "
                             "bieden (of de tekst 'grenzen' onder 'teksten', als uw SWV-laag "
                             "daarom vraagt)")

    def check_future_dates(self) -> None:
        sop = self.school.sop
        for key, text in (("invuldatum", sop.filled_in), ("vastgesteld", sop.adopted),
                          ("mr_advies", sop.council_advice), ("instemming", sop.consent)):
            if text and parse_sop_date(text) > self.today:
                self.report(("sop", key), "datum-in-toekomst",
                            f"'{key}' ({text}) ligt na de peildatum {format_day(self.today)}",
                            hint="een tikfout in het jaar? Of geef de peildatum op met --today")

    def check_council_advice(self) -> None:
        if not self.school.sop.council_advice:
            self.report(("sop",), "mr-advies-ontbreekt",
                        "de datum van het advies van de medezeggenschapsraad ontbreekt",
                        key=True, hint="voeg 'mr_advies: JJJJ-MM-DD' toe onder 'sop'")

    def check_missing_clusters(self) -> None:
        described = {profile.cluster for profile in self.school.clusters}
        missing = [c.id for c in self.layer.clusters if not c.open and c.id not in described]
        if not missing:
            return
        if not self.school.clusters:  # one finding, not one per cluster
            self.report(("clusters",) if ("clusters",) in self.source.keys else (),
                        "cluster-ontbreekt",
                        f"de school beschrijft geen van de {len(missing)} clusters van de "
                        f"SWV-laag ({', '.join(missing)})", key=True,
                        hint="beschrijf onder 'clusters' wat de school per cluster doet")
            return
        for cluster_id in missing:
            self.report(("clusters",), "cluster-ontbreekt",
                        f"het cluster '{cluster_id}' van de SWV-laag ontbreekt in 'clusters'",
                        key=True, hint="beschrijf wat de school voor dit cluster doet, of "
                                       "waarom niet")

    def check_overridden_texts(self) -> None:
        defaults = {part.text: part for part in walk(self.layer.outline)
                    if part.text and part.default}
        for text_id in self.school.texts:
            if text_id in defaults:
                self.report(("teksten", text_id), "swv-tekst-vervangen",
                            f"de school vervangt de standaardtekst '{text_id}' van het SWV",
                            key=True)


def school_checks(school: SchoolFile, layer: SwvLayer, source: SourceMap, display: str,
                  today: datetime.date, regime: Regime, loaded: LoadedFile | None = None
                  ) -> list[Diagnostic]:
    """The content checks of a school file under its regime (sopc.regime); with the file
    as loaded, also every value `sopc new` wrote that is still there (`voorbeeldtekst`,
    sopc.placeholders). A caller that knows the file has no placeholder values passes no
    `loaded`."""
    found = SchoolChecks(school, layer, source, display, today, regime).run()
    if loaded is not None:
        found += placeholder_diagnostics(loaded, display, layer)
    return found


def duplicate_ids(entries: Iterable[tuple[str, YamlPath]], what: str, source: SourceMap,
                  display: str) -> list[Diagnostic]:
    """A `dubbel-id` for every id seen before in the same list, pointing at both."""
    first: dict[str, YamlPath] = {}
    found = []
    for identifier, path in entries:
        if identifier in first:
            earlier = first[identifier]
            found.append(Diagnostic(
                display, source.value_span(path), "dubbel-id",
                f"{what} '{identifier}' komt twee keer voor (eerder op regel "
                f"{source.value_span(earlier).line})", path,
                related=((display, source.value_span(earlier)),)))
        else:
            first[identifier] = path
    return found


MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


def contrast_on_white(colour: str) -> float:
    """The WCAG contrast ratio of '#rrggbb' text on a white background."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return 1.05 / (luminance + 0.05)


def layer_checks(layer: SwvLayer, source: SourceMap, display: str) -> list[Diagnostic]:
    """Ids an SWV layer defines twice (the base preset's own ids are tested in the suite),
    a house colour that would make headings unreadable, invisible characters in names."""
    found = text_checks(layer, source, display)
    colour = layer.branding.accent_colour if layer.branding else None
    if colour and contrast_on_white(colour) < MIN_CONTRAST:
        ratio = f"{contrast_on_white(colour):.2f}".replace(".", ",")
        path: YamlPath = ("huisstijl", "accentkleur")
        found.append(Diagnostic(display, source.value_span(path), "kleurcontrast",
                                f"de accentkleur {colour} heeft op wit een contrast van "
                                f"{ratio}:1; nodig is minstens 4,5:1", path,
                                hint="kies een donkerdere kleur"))
    found += duplicate_ids(((c.id, ("catalogi", i, "id")) for i, c in
                           enumerate(layer.catalogues)), "het catalogus-id", source, display)
    for index, catalogue in enumerate(layer.catalogues):
        found += duplicate_ids(((item.id, ("catalogi", index, "items", i, "id"))
                                for i, item in enumerate(catalogue.items)),
                               f"het item-id in '{catalogue.id}'", source, display)
    found += duplicate_ids(((c.id, ("clusters", i, "id")) for i, c in
                            enumerate(layer.clusters)), "het cluster-id", source, display)
    found += duplicate_ids(((lv.id, ("niveaus", i, "id")) for i, lv in
                            enumerate(layer.levels)), "het niveau-id", source, display)
    found += duplicate_ids(((col.id, ("legenda", i, "id")) for i, col in
                            enumerate(layer.legend)), "het kolom-id", source, display)
    found += duplicate_ids(_outline_texts(layer.outline, ("opbouw",)), "het tekst-id",
                           source, display)
    for name, profile in layer.profiles.items():
        found += duplicate_ids(_outline_texts(profile.outline, ("profielen", name, "opbouw")),
                               "het tekst-id", source, display)
    return found


def _outline_texts(parts: list[OutlinePart], path: YamlPath
                   ) -> Iterable[tuple[str, YamlPath]]:
    for index, part in enumerate(parts):
        if part.text:
            yield part.text, (*path, index, "tekst")
        yield from _outline_texts(part.parts, (*path, index, "onderdelen"))


# Bidi classes of the embeddings, overrides, isolates and marks (LRM/RLM).
_BIDI_CONTROLS = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI",
                            "L", "R"})


def text_checks(model: BaseModel, source: SourceMap, display: str) -> list[Diagnostic]:
    """One pass over every string of a school file or SWV layer:

    - `onzichtbaar-teken` for a name, title or id (not the Markdown texts, where emoji
      and other scripts may need joiners) with a bidi control or a zero-width character:
      in a pull request it can make a name look like another one. The outputs drop these
      characters (sopc.render), so the documents are not affected;
    - `link-weggelaten` for a link or image in a Markdown text that the URL policy
      (sopc.urls) refuses: the documents show its text without the link."""
    found: list[Diagnostic] = []
    for place, text, is_key, markdown in _strings(model):
        if markdown:
            for problem, hint in textformat.link_problems(text):
                path = _path(place)
                found.append(Diagnostic(display, source.value_span(path), "link-weggelaten",
                                        f"{problem}; de tekst blijft staan zonder link", path,
                                        hint=hint))
            continue
        hit = INVISIBLE_IN_NAMES.search(text)
        if hit is None:
            continue
        path = _path(place)
        character = hit.group()
        kind = ("een stuurteken" if unicodedata.category(character) == "Cc"
                else "een teken dat de leesrichting verandert"
                if unicodedata.bidirectional(character) in _BIDI_CONTROLS
                else "een onzichtbaar teken zonder breedte")
        span = source.key_span(path) if is_key else source.value_span(path)
        found.append(Diagnostic(
            display, span, "onzichtbaar-teken",
            f"{'de sleutel' if is_key else 'de waarde'} bevat {kind} (U+{ord(character):04X})"
            + ("; in de documenten valt het weg" if INVISIBLE_IN_OUTPUT.match(character)
               else ""), path,
            hint="verwijder het teken: zo'n teken kan een naam anders laten lijken dan hij is"))
    return found


# Where a string stands, as the walk below builds it: (the place above, key), or None
# for the top. Made a path only for a string that is reported (few are).
_Place = tuple[Any, str | int] | None


def _strings(model: BaseModel) -> list[tuple[_Place, str, bool, bool]]:
    """(place, text, is_key, is_markdown) for every string of a model, keys included."""
    found: list[tuple[_Place, str, bool, bool]] = []
    _collect(model, None, None, False, found)
    return found


def _path(place: _Place) -> YamlPath:
    keys: list[str | int] = []
    while place is not None:
        place, key = place
        keys.append(key)
    return tuple(reversed(keys))


def _collect(value: Any, place: _Place, annotation: Any, markdown: bool,
             found: list[tuple[_Place, str, bool, bool]]) -> None:
    # A string or nothing is taken here, not by a call of its own: most values are one.
    if isinstance(value, BaseModel):
        for name, key, field_type, field_markdown in _fields(type(value)):
            item = getattr(value, name)
            if isinstance(item, str):
                found.append(((place, key), item, False, field_markdown))
            elif item is not None:
                _collect(item, (place, key), field_type, field_markdown, found)
    elif isinstance(value, dict):
        item_type, item_markdown = _item_type(annotation, 1)
        for key, item in value.items():
            if isinstance(key, str):
                found.append(((place, key), key, True, False))
            if isinstance(item, str):
                found.append(((place, key), item, False, item_markdown))
            elif item is not None:
                _collect(item, (place, key), item_type, item_markdown, found)
    elif isinstance(value, list):
        item_type, item_markdown = _item_type(annotation, 0)
        for index, item in enumerate(value):
            if isinstance(item, str):
                found.append(((place, index), item, False, item_markdown))
            elif item is not None:
                _collect(item, (place, index), item_type, item_markdown, found)


@functools.cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, str, Any, bool], ...]:
    """Per field of a model class, once: its name, its key in the file, its type and
    whether it is a Markdown text (the walk above runs over every value of a file)."""
    return tuple((name, info.alias or name, info.annotation,
                  info.annotation is not None and is_markdown(info.annotation, info.metadata))
                 for name, info in model.model_fields.items())


# annotation id → (the annotation, kept alive; per index: item type, is Markdown)
_ITEM_TYPES: dict[tuple[int, int], tuple[Any, Any, bool]] = {}


def _item_type(annotation: Any, index: int) -> tuple[Any, bool]:
    """The item type of a dict (index 1) or list (index 0) annotation and whether it is
    a Markdown text, worked out once per annotation (some are not hashable)."""
    known = _ITEM_TYPES.get((id(annotation), index))
    if known is None or known[0] is not annotation:
        item = _argument(annotation, index)
        known = (annotation, item, item is not None and is_markdown(item))
        _ITEM_TYPES[(id(annotation), index)] = known
    return known[1], known[2]


def _argument(annotation: Any, index: int) -> Any:
    """The item type of a dict or list annotation (through Optional), if there is one."""
    for candidate in (annotation, *typing.get_args(annotation)):
        arguments = typing.get_args(candidate)
        if typing.get_origin(candidate) in (dict, list) and len(arguments) > index:
            return arguments[index]
    return None


def covered_by_duo_list(school: SchoolFile) -> bool:
    """Whether DUO's list of basisonderwijs locations should hold this school: a school
    of regular primary education (or one that names no type), with a real BRIN (not the
    placeholder of `sopc new`, which has its own warning)."""
    from sopc.placeholders import BRIN

    kind = (school.school.school_type or "basisonderwijs").lower()
    regular = ("basisonderwijs" in kind or "bao" in kind) and "speciaal" not in kind
    return regular and school.school.brin != BRIN


def duo_checks(school: SchoolFile, source: SourceMap, display: str,
               listed: DuoList) -> list[Diagnostic]:
    """BRIN + vestiging exist in DUO's list, and the school's name is the one DUO has."""
    info = school.school
    code = info.brin + info.branch
    location = listed.get(code)
    if location is None:
        others = listed.of_brin(info.brin)
        hint = ("onder " + info.brin + " kent DUO: " +
                ", ".join(f"{o.code} ({o.name})" for o in others[:5])) if others else \
            "controleer BRIN en vestiging; een nieuwere lijst van DUO geeft u met --duo " \
            "BESTAND of duo = \"...\" in sopc.toml"
        return [Diagnostic(display, source.value_span(("school", "brin")),
                           "onbekende-vestiging",
                           f"BRIN en vestiging {code} staan niet in de lijst van DUO "
                           f"({listed.source}): de vestiging is gesloten, nieuw, of de "
                           "code klopt niet", ("school", "brin"), hint=hint)]
    from sopc.duo import same_school_name

    if same_school_name(info.name, location.name):
        return []
    return [Diagnostic(display, source.value_span(("school", "naam")), "andere-naam-bij-duo",
                       f"de naam wijkt af van de naam van vestiging {code} bij DUO",
                       ("school", "naam"),
                       hint=f"bij DUO heet deze vestiging '{location.name}'; klopt de naam "
                            "of de BRIN-code niet?")]
