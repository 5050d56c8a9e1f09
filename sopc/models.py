"""Stage 2's schema: the two layers of an SOP as Pydantic models.

- `SwvLayer`: what a samenwerkingsverband defines once for all its schools
  (document outline with boilerplate texts, onderwijsbehoefte-clusters, support
  levels, item catalogues, the availability legend, a glossary). Built-in presets
  and SWV files share this model.
- `SchoolFile`: one school's facts, referring to SWV ids, never to positions.

YAML keys are Dutch (aliases); Python names are English. Every field carries a
Dutch title/description: they become editor tooltips through the JSON Schema.

The annotations are objects, not text (no `from __future__ import annotations`):
Pydantic would compile and evaluate each of the 180 as a ForwardRef at every start
(~7 ms); a field whose type is its own model quotes it, and methods return `Self`.
"""

import re
import typing
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from sopc import blocks, textformat, urls
from sopc.dates import DATE_PATTERN, date_problem
from sopc.theme import PRESETS
from sopc.theme import PROFILES as PROFILES  # re-exported: the names of the profiles

SCHEMA_VERSION = 1

# Every format check uses fullmatch and ASCII classes: '$' would accept a final newline
# ("00AA\n") and '\d' Arabic-Indic or fullwidth digits. The same text, anchored with
# '^...$', is what the JSON Schema gets (ECMAScript has no fullmatch; a JSON string
# with a newline then fails there on its own).
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_SCHOOL_YEAR = re.compile(r"([0-9]{4})-([0-9]{4})")
_BRIN = re.compile(r"[0-9]{2}[A-Z]{2}")
_VESTIGING = re.compile(r"[0-9]{1,2}")  # '7' is '07'; YAML 1.2 editors read `07` as 7
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _anchored(pattern: re.Pattern[str]) -> str:
    return f"^{pattern.pattern}$"


def _matching(pattern: re.Pattern[str], error_type: str, message: str) -> AfterValidator:
    """A validator that accepts text matching `pattern`, else a Dutch error of `error_type`."""

    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise PydanticCustomError(error_type, message, {"value": value})
        return value

    return AfterValidator(check)


def school_year_pattern() -> str:
    """'2021-2022' but not '2021-2023', for the JSON Schema: the second year repeats the
    first one's leading digits (a back-reference) and adds one to the rest. ECMAScript
    and Python read the pattern alike; a test compares it with _check_school_year for
    every year."""
    within = "|".join(f"{d}-\\1(?:{d + 1})" for d in range(9))
    decade = "|".join(f"{d}9-\\2(?:{d + 1}0)" for d in range(9))
    century = "|".join(f"{d}99-\\3(?:{d + 1}00)" for d in range(9))
    millennium = "|".join(f"{d}999-{d + 1}000" for d in range(9))
    return (f"^(?:([0-9]{{3}})(?:{within})|([0-9]{{2}})(?:{decade})"
            f"|([0-9])(?:{century})|{millennium})$")


def _check_school_year(value: str) -> str:
    match = _SCHOOL_YEAR.fullmatch(value)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        # the school year that starts in the year written first ('2026-2028' → 2026-2027)
        first = re.match(r"\s*(\d{4})(?!\d)", value)
        example = f"{first.group(1)}-{int(first.group(1)) + 1}" if first else "2021-2022"
        raise PydanticCustomError(
            "schooljaar", "'{value}' is geen schooljaar; schrijf het als '{example}'",
            {"value": value, "example": example})
    return value


def _check_date(value: str) -> str:
    problem = date_problem(value)
    if problem:
        raise PydanticCustomError("datum", "{problem}", {"value": value, "problem": problem})
    return value


def _check_version(value: int) -> int:
    if value != SCHEMA_VERSION:
        raise PydanticCustomError(
            "schemaversie", "schemaversie {value} wordt niet ondersteund; deze versie van sopc "
            "leest 'sopc: {supported}'", {"value": value, "supported": SCHEMA_VERSION})
    return value


# sopc reads every value as the text that is written (sopc.loader); an editor reads
# YAML 1.2, where `sopc: 1`, `vestiging: 00` or `id: 2024` are numbers. Each schema
# below accepts what sopc accepts in both readings (tests/test_editor_agreement.py).
SchemaVersion = Annotated[int, AfterValidator(_check_version),
                          WithJsonSchema({"enum": [SCHEMA_VERSION, str(SCHEMA_VERSION)]})]
Id = Annotated[str, _matching(_ID, "id", "'{value}' is geen geldig id: gebruik kleine "
                                         "letters, cijfers en '-'"),
               WithJsonSchema({"type": ["string", "integer"], "pattern": _anchored(_ID),
                               "minimum": 0})]
SchoolYear = Annotated[str, AfterValidator(_check_school_year),
                       WithJsonSchema({"type": "string", "pattern": school_year_pattern(),
                                       "examples": ["2021-2022"]})]
DateText = Annotated[str, AfterValidator(_check_date),
                     WithJsonSchema({"type": "string", "pattern": DATE_PATTERN,
                                     "examples": ["2021-11-15", "2021-11"]})]
Brin = Annotated[str, _matching(_BRIN, "brin", "'{value}' is geen BRIN-code: twee cijfers en "
                                              "twee hoofdletters, zoals '06KG'"),
                 WithJsonSchema({"type": "string", "pattern": _anchored(_BRIN)})]
Vestiging = Annotated[str, _matching(_VESTIGING, "vestiging", "'{value}' is geen "
                                     "vestigingsnummer: twee cijfers, zoals '00'"),
                      AfterValidator(lambda value: value.zfill(2)),
                      WithJsonSchema({"type": ["string", "integer"],
                                      "pattern": _anchored(_VESTIGING), "minimum": 0,
                                      "maximum": 99, "examples": ["00"]})]
_BOARD_NUMBER = re.compile(r"[0-9]{1,6}")


def _digits_as_text(value: Any) -> Any:
    """A number such as DUO's 42486, written without quotes, is read as its digits."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


BoardNumber = Annotated[str, BeforeValidator(_digits_as_text),
                        _matching(_BOARD_NUMBER, "bevoegd_gezag", "'{value}' is geen nummer "
                                  "van een bevoegd gezag: cijfers, zoals '42486'"),
                        WithJsonSchema({"type": ["string", "integer"],
                                        "pattern": _anchored(_BOARD_NUMBER), "minimum": 0,
                                        "maximum": 999999, "examples": ["42486"]})]
Colour = Annotated[str, _matching(_COLOUR, "kleur", "'{value}' is geen kleur: schrijf zes "
                                                   "hexadecimale cijfers, zoals '#1d4f91'"),
                   WithJsonSchema({"type": "string", "pattern": _anchored(_COLOUR),
                                   "examples": ["#1d4f91"]})]
# Someone's address at a domain with a dot; sopc checks no more than that it can be one
# (a typo such as 'ib-at-school.nl' would otherwise become a mailto: link for parents).
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
Email = Annotated[str, _matching(_EMAIL, "email", "'{value}' is geen e-mailadres: schrijf het "
                                                 "zoals 'ib@school.nl'"),
                  WithJsonSchema({"type": "string", "pattern": _anchored(_EMAIL),
                                  "examples": ["ib@school.nl"]})]
# A preset by name (the schema lists them) or the path of an SWV file.
SwvReference = Annotated[str, WithJsonSchema({
    # preset names are ids ([a-z0-9-]): nothing to escape, which ECMAScript's unicode
    # mode would refuse for '-'
    "type": "string", "pattern": f"^(?:{'|'.join(PRESETS)})$|\\.ya?ml$",
    "examples": list(PRESETS)})]
PresetName = Annotated[str, WithJsonSchema({"enum": list(PRESETS)})]


def _check_url(value: str) -> str:
    problem = urls.address_problem(value)
    if problem:
        raise PydanticCustomError("url", "'{value}' kan geen link worden: {problem}",
                                  {"value": value, "problem": problem})
    return value


def _check_markdown(value: str) -> str:
    """Limits on the work a text may cause (its links: a warning in sopc.checks)."""
    limit = textformat.text_problem(value)
    if limit:
        raise PydanticCustomError(limit[0], "{problem}", {"problem": limit[1]})
    return value


def is_markdown(annotation: Any, metadata: Any = ()) -> bool:
    """Whether a type is a Markdown text (possibly optional): names are not. For a model
    field, Pydantic moves the Annotated metadata of the top level into `metadata`."""
    if any(getattr(item, "func", None) is _check_markdown for item in metadata):
        return True
    return annotation == Markdown or any(argument == Markdown
                                         for argument in typing.get_args(annotation))


# A web address that becomes a link: checked against the one URL policy (sopc.urls).
Url = Annotated[str, AfterValidator(_check_url),
                WithJsonSchema({"type": "string", "pattern": urls.ADDRESS_PATTERN,
                                "maxLength": urls.MAX_URL_LENGTH,
                                "examples": ["https://www.school.nl"]})]
# Text fields are Markdown; raw HTML in them is escaped when rendered.
Markdown = Annotated[str, AfterValidator(_check_markdown),
                     WithJsonSchema({"type": "string", "contentMediaType": "text/markdown"})]


# Default factories as Python functions, not `list` or `dict`: Pydantic reads a factory's
# signature, and a builtin's only as text, through the tokenizer (27 fields: ~5 ms of
# every start).
def _empty_list() -> list[Any]:
    return []


def _empty_dict() -> dict[Any, Any]:
    return {}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# ----------------------------------------------------------------------------------------
# SWV layer
# ----------------------------------------------------------------------------------------

class SwvInfo(Model):
    id: Id = Field(title="Id", description="Vaste code van het samenwerkingsverband.")
    name: str = Field(alias="naam", title="Naam", description="Volledige naam van het SWV.")
    short_name: str | None = Field(None, alias="korte_naam", title="Korte naam",
                                   description="Korte naam of afkorting van het SWV.")
    website: Url | None = Field(None, title="Website",
                                description="Internetadres van het SWV.")
    plan_period: str | None = Field(None, alias="planperiode", title="Planperiode",
                                    description="Periode van het ondersteuningsplan, "
                                                "bijvoorbeeld '2022-2026'.")
    work_areas: list[str] = Field(default_factory=_empty_list, alias="werkgebieden",
                                  title="Werkgebieden",
                                  description="Namen van de werkgebieden van het SWV.")


class LegendColumn(Model):
    id: Id = Field(title="Id", description="Bijvoorbeeld 'op-school'.")
    label: str = Field(title="Kolomkop", description="Kop van de kolom in de tabel.")
    explanation: str = Field(alias="uitleg", title="Uitleg", description="Tekst in de legenda.")
    symbol: str = Field(alias="symbool", title="Symbool",
                        description="Teken in de tabel; de tekst staat er altijd bij.")


class CatalogueItem(Model):
    id: Id = Field(title="Id",
                   description="Vaste code van het item, bijvoorbeeld 'logopedist'.")
    name: str = Field(alias="naam", title="Naam",
                      description="Naam van het item zoals het in de tabel staat.")
    definition: Markdown | None = Field(None, alias="definitie", title="Definitie",
                                        description="Uitleg van het item, voor de begrippenlijst "
                                                    "(Markdown).")
    explanation: str | None = Field(None, alias="uitleg", title="Uitleg voor ouders",
                                    description="Eén korte zin die ouders zegt wat dit is, "
                                                "zoals 'helpt kinderen die moeite hebben met "
                                                "lezen en spellen'.")


CatalogueKind = Literal["beschikbaarheid", "lijst", "status", "ja-nee"]


class Catalogue(Model):
    id: Id = Field(title="Id", description="Bijvoorbeeld 'deskundigheid'.")
    title: str = Field(alias="titel", title="Titel",
                       description="Kop van de tabel in het document.")
    kind: CatalogueKind = Field(
        alias="soort", title="Soort",
        description="beschikbaarheid: tabel met de kolommen van de legenda; lijst: wat "
                    "aanwezig is; status: met een status per item; ja-nee: een antwoord per item.")
    column_header: str = Field(alias="kolomkop", title="Kolomkop",
                               description="Kop van de eerste kolom, bijvoorbeeld 'Deskundige'.")
    answer_header: str | None = Field(None, alias="antwoordkop", title="Kop antwoordkolom",
                                      description="Voor status en ja-nee, bijvoorbeeld 'Status'.")
    other_header: str = Field("Anders, namelijk", alias="anders_kop", title="Kop voor 'anders'",
                              description="Kop boven de vrije 'anders, namelijk'-regels.")
    explanation: str | None = Field(None, alias="uitleg", title="Uitleg voor ouders",
                                    description="Eén korte zin over wat deze groep items is, "
                                                "voor de versie voor ouders en de schoolgids.")
    items: list[CatalogueItem] = Field(default_factory=_empty_list, title="Items",
                                       description="De items waar scholen een antwoord op geven.")


class ClusterDefinition(Model):
    id: Id = Field(title="Id", description="Vaste code van het cluster.")
    title: str = Field(alias="titel", title="Titel",
                       description="De onderwijsbehoefte als zin, zoals in het profiel.")
    short: str | None = Field(None, alias="kort", title="Korte omschrijving",
                              description="Voor tabellen; standaard de titel.")
    open: bool = Field(False, title="Open cluster",
                       description="Het open cluster 'anders, namelijk' dat de school zelf "
                                   "omschrijft.")


class LevelDefinition(Model):
    id: Id = Field(title="Id",
                   description="Vaste code van het niveau, bijvoorbeeld 'niveau-2'.")
    number: int | None = Field(None, alias="nummer", title="Nummer",
                               description="Leeg voor de basisondersteuning.")
    name: str = Field(alias="naam", title="Naam",
                      description="Naam van het niveau, zoals 'Basisondersteuning'.")
    description: Markdown | None = Field(None, alias="omschrijving", title="Omschrijving",
                                         description="Wat dit niveau inhoudt (Markdown).")
    team: list[str] = Field(default_factory=_empty_list, title="Ondersteuningsteam",
                            description="Standaard samenstelling van het team op dit niveau.")


class GlossaryEntry(Model):
    term: str = Field(title="Term",
                      description="Het begrip.")
    definition: Markdown = Field(alias="definitie", title="Definitie",
                                 description="Uitleg van het begrip (Markdown).")


class Glossary(Model):
    title: str = Field(alias="titel", title="Titel",
                       description="Titel van de begrippenlijst in het document.")
    introduction: Markdown | None = Field(None, alias="inleiding", title="Inleiding",
                                          description="Tekst boven de begrippenlijst (Markdown).")
    column_header: str = Field("Begrip", alias="kolomkop", title="Kolomkop",
                               description="Kop van de kolom met de begrippen.")
    entries: list[GlossaryEntry] = Field(default_factory=_empty_list, alias="begrippen",
                                         title="Begrippen",
                                         description="De begrippen met hun uitleg.")


def _check_block(value: str) -> str:
    if value not in blocks.KINDS:
        raise PydanticCustomError("blok", "'{value}' is geen soort blok; kies uit: {names}",
                                  {"value": value, "names": ", ".join(blocks.NAMES)})
    return value


# A block kind: the names and what each shows come from the one registry (sopc.blocks).
BlockName = Annotated[str, AfterValidator(_check_block),
                      WithJsonSchema({"enum": list(blocks.NAMES)})]


Numbering = Literal["cijfers", "letters", "romeins", "geen"]
CATALOGUE_BLOCK_NAMES = blocks.CATALOGUE_KINDS


class OutlinePart(Model):
    """One part of the document outline: a (numbered) section, a 'deel' above chapters,
    a text, or a data block."""

    model_config = ConfigDict(json_schema_extra={
        "description": "Een onderdeel van de opbouw: een paragraaf, een deel, een tekst of "
                       "een blok."})

    id: Id | None = Field(None, title="Id",
                          description="Vaste naam van dit onderdeel, waarmee een school het "
                                      "kan hernoemen, verplaatsen of weglaten. Zonder id: het "
                                      "tekst-id, de catalogus, de soort blok of de titel in "
                                      "kleine letters met '-'.")
    section: str | None = Field(None, alias="paragraaf", title="Paragraaf",
                                description="Titel van een hoofdstuk of (sub)paragraaf.")
    group: str | None = Field(None, alias="deel", title="Deel",
                              description="Titel van een deel boven hoofdstukken, zoals "
                                          "'Inventarisatie' ('Deel I Inventarisatie'); de "
                                          "hoofdstukken erin worden vanaf 1 genummerd.")
    text: Id | None = Field(None, alias="tekst", title="Tekst",
                            description="Id van een tekst; de school kan hem invullen onder "
                                        "'teksten'.")
    block: BlockName | None = Field(None, alias="blok", title="Blok",
                                    description="Een onderdeel dat uit de gegevens wordt gemaakt.")
    title: str | None = Field(None, alias="titel", title="Titel",
                              description="Kopje (ongenummerd) boven een tekst of blok.")
    numbering: Numbering | None = Field(
        None, alias="nummering", title="Nummering",
        description="Voor een paragraaf of deel: 'cijfers' (1, 1.1; standaard), 'letters' "
                    "(A, B), 'romeins' (I, II; standaard voor een deel) of 'geen' (zonder "
                    "nummer, zoals een voorwoord; telt niet mee).")
    prefix: str | None = Field(None, alias="voorvoegsel", title="Voorvoegsel",
                               description="Woord voor het nummer, zoals 'Bijlage' ('Bijlage "
                                           "A') of 'Hoofdstuk'; onderdelen met een eigen "
                                           "voorvoegsel hebben een eigen telling.")
    default: Markdown | None = Field(None, alias="standaard", title="Standaardtekst",
                                     description="Tekst van het SWV; een school mag hem "
                                                 "vervangen.")
    required: bool = Field(False, alias="verplicht", title="Verplicht",
                           description="Een tekst: de school moet hem zelf invullen. Elk "
                                       "onderdeel: een school mag het niet weglaten.")
    catalogue: Id | None = Field(None, alias="catalogus", title="Catalogus",
                                 description="Id van de catalogus die dit blok toont.")
    introduction: Markdown | None = Field(None, alias="inleiding", title="Inleiding",
                                          description="Vraag of uitleg van het SWV boven de tekst"
                                                      " van de school.")
    parts: "list[OutlinePart]" = Field(default_factory=_empty_list, alias="onderdelen",
                                       title="Onderdelen",
                                       description="Onderdelen binnen deze paragraaf of dit "
                                                   "deel.")

    @property
    def heading(self) -> str | None:
        return self.section if self.section is not None else \
            self.group if self.group is not None else self.title

    @property
    def is_heading(self) -> bool:
        """A part with its own numbered (or unnumbered) heading and parts inside."""
        return self.section is not None or self.group is not None

    def renamed(self, title: str | None, numbering: str | None,
                prefix: str | None) -> Self:
        update: dict[str, Any] = {}
        if title is not None:
            key = "section" if self.section is not None else \
                "group" if self.group is not None else "title"
            update[key] = title
        if numbering is not None:
            update["numbering"] = numbering
        if prefix is not None:
            update["prefix"] = prefix
        return self.model_copy(update=update)

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        kinds = [k for k, v in (("paragraaf", self.section), ("deel", self.group),
                                ("tekst", self.text), ("blok", self.block)) if v is not None]
        if len(kinds) != 1:
            raise PydanticCustomError(
                "onderdeel", "een onderdeel heeft precies één van 'paragraaf', 'deel', 'tekst' "
                "of 'blok' (nu: {found})", {"found": ", ".join(kinds) or "geen"})
        if self.block in CATALOGUE_BLOCK_NAMES and self.catalogue is None:
            raise PydanticCustomError("onderdeel", "het blok '{block}' heeft een 'catalogus' "
                                      "nodig", {"block": self.block})
        if (self.parts or self.numbering or self.prefix is not None) and not self.is_heading:
            raise PydanticCustomError("onderdeel", "alleen een 'paragraaf' of 'deel' heeft "
                                      "'onderdelen', 'nummering' of 'voorvoegsel'", {})
        return self


class OutlineChange(Model):
    """One adjustment of the outline a school (or an SWV file on a preset) builds on."""

    model_config = ConfigDict(json_schema_extra={
        "description": "Eén aanpassing van de opbouw: hernoem, verplaats, voeg_toe of "
                       "laat_weg."})

    rename: Id | None = Field(None, alias="hernoem", title="Hernoem",
                              description="Id van het onderdeel dat een andere titel, nummering "
                                          "of voorvoegsel krijgt.")
    move: Id | None = Field(None, alias="verplaats", title="Verplaats",
                            description="Id van het onderdeel dat naar een andere plek gaat "
                                        "(met 'voor', 'na' of 'in').")
    insert: OutlinePart | None = Field(None, alias="voeg_toe", title="Voeg toe",
                                       description="Een eigen paragraaf, deel, tekst of blok; "
                                                   "plek met 'voor', 'na' of 'in' (anders "
                                                   "achteraan).")
    remove: Id | None = Field(None, alias="laat_weg", title="Laat weg",
                              description="Id van een onderdeel dat niet in het document komt "
                                          "(niet als het SWV het verplicht stelt).")
    title: str | None = Field(None, alias="titel", title="Nieuwe titel",
                              description="Bij 'hernoem': de nieuwe titel.")
    numbering: Numbering | None = Field(None, alias="nummering", title="Nummering",
                                        description="Bij 'hernoem': een andere nummering.")
    prefix: str | None = Field(None, alias="voorvoegsel", title="Voorvoegsel",
                               description="Bij 'hernoem': een ander voorvoegsel.")
    before: Id | None = Field(None, alias="voor", title="Voor",
                              description="Id van het onderdeel waar het vóór komt.")
    after: Id | None = Field(None, alias="na", title="Na",
                             description="Id van het onderdeel waar het na komt.")
    inside: Id | None = Field(None, alias="in", title="In",
                              description="Id van de paragraaf of het deel waar het als laatste "
                                          "in komt.")

    def target(self) -> tuple[str, str | None]:
        for key, value in (("hernoem", self.rename), ("verplaats", self.move),
                           ("laat_weg", self.remove)):
            if value is not None:
                return key, value
        return "voeg_toe", None

    def position(self) -> tuple[str, str | None]:
        for key, value in (("voor", self.before), ("na", self.after), ("in", self.inside)):
            if value is not None:
                return key, value
        return "", None

    @model_validator(mode="after")
    def _one_action(self) -> Self:
        actions = [k for k, v in (("hernoem", self.rename), ("verplaats", self.move),
                                  ("voeg_toe", self.insert), ("laat_weg", self.remove))
                   if v is not None]
        if len(actions) != 1:
            raise PydanticCustomError(
                "aanpassing", "een aanpassing doet precies één van 'hernoem', 'verplaats', "
                "'voeg_toe' of 'laat_weg' (nu: {found})", {"found": ", ".join(actions) or "geen"})
        places = [k for k, v in (("voor", self.before), ("na", self.after), ("in", self.inside))
                  if v is not None]
        action = actions[0]
        if len(places) > 1:
            raise PydanticCustomError("aanpassing", "kies één plek: 'voor', 'na' of 'in' (nu: "
                                      "{found})", {"found": ", ".join(places)})
        if places and action not in ("verplaats", "voeg_toe"):
            raise PydanticCustomError("aanpassing", "'{place}' hoort bij 'verplaats' of "
                                      "'voeg_toe', niet bij '{action}'",
                                      {"place": places[0], "action": action})
        if action == "verplaats" and not places:
            raise PydanticCustomError("aanpassing", "zeg waar het heen gaat: 'voor', 'na' of "
                                      "'in' met het id van een onderdeel", {})
        renames = self.title is not None or self.numbering is not None \
            or self.prefix is not None
        if renames and action != "hernoem":
            raise PydanticCustomError("aanpassing", "'titel', 'nummering' en 'voorvoegsel' "
                                      "horen bij 'hernoem'", {})
        if action == "hernoem" and not renames:
            raise PydanticCustomError("aanpassing", "zeg wat er verandert: 'titel', "
                                      "'nummering' of 'voorvoegsel'", {})
        return self


ProfileName = Literal["ouders", "schoolgids"]
RegimeName = Literal["schoolgids-2025", "sop-2014"]


class ProfileDefinition(Model):
    title: str = Field(alias="titel", title="Titel",
                       description="Titel van deze versie, bijvoorbeeld 'Ondersteuning op onze "
                                   "school: informatie voor ouders'.")
    introduction: Markdown | None = Field(None, alias="inleiding", title="Inleiding",
                                          description="Tekst bovenaan deze versie (Markdown).")
    outline: list[OutlinePart] = Field(alias="opbouw", title="Opbouw",
                                       description="Paragrafen, teksten en blokken van deze "
                                                   "versie, zoals 'opbouw' van het document.")


class Branding(Model):
    logo: str | None = Field(None, title="Logo",
                             description="Pad naar het logo (PNG, JPEG of SVG, hoogstens 1 MB), "
                                         "relatief aan dit bestand en binnen de repository.")
    accent_colour: Colour | None = Field(None, alias="accentkleur", title="Accentkleur",
                                         description="Kleur van koppen en lijnen, zoals "
                                                     "'#1d4f91'; moet op wit goed leesbaar "
                                                     "zijn (contrast minstens 4,5:1).")
    footer: str | None = Field(None, alias="voettekst", title="Voettekst",
                               description="Regel onderaan elke pagina en elk document.")


def walk(parts: list[OutlinePart]) -> list[OutlinePart]:
    """Every outline part, depth first."""
    found: list[OutlinePart] = []
    for part in parts:
        found.append(part)
        found.extend(walk(part.parts))
    return found


class SwvLayer(Model):
    """The SWV layer: shared definitions for all schools of one samenwerkingsverband."""

    model_config = ConfigDict(title="SWV-laag (sopc)", json_schema_extra={
        "description": "Wat een samenwerkingsverband eenmaal vastlegt voor al zijn scholen "
                       "(sopc)."})

    schema_version: SchemaVersion = Field(alias="sopc", title="Schemaversie",
                                       description="Versie van het sopc-schema; nu 1.")
    kind: Literal["swv"] = Field(alias="soort", title="Soort bestand",
                                 description="'swv' voor een SWV-laag.")
    base: PresetName | None = Field(None, alias="basis", title="Basis",
                             description="Ingebouwde preset waarop deze laag voortbouwt; "
                                         "wat hier staat vervangt dat onderdeel van de preset.")
    swv: SwvInfo = Field(title="Samenwerkingsverband",
                         description="Naam en gegevens van het samenwerkingsverband.")
    document_title: str = Field("Schoolondersteuningsprofiel", alias="documenttitel",
                                title="Documenttitel",
                                description="Titel boven elk document, standaard "
                                            "'Schoolondersteuningsprofiel'.")
    legend: list[LegendColumn] = Field(default_factory=_empty_list, alias="legenda",
                                       title="Legenda",
                                       description="Kolommen van de beschikbaarheidstabellen.")
    catalogues: list[Catalogue] = Field(default_factory=_empty_list, alias="catalogi",
                                        title="Catalogi",
                                        description="Lijsten met items (deskundigheid, "
                                                    "voorzieningen, ...) die elke school "
                                                    "beantwoordt.")
    clusters: list[ClusterDefinition] = Field(default_factory=_empty_list, title="Clusters",
                                              description="Onderwijsbehoefte-clusters.")
    levels: list[LevelDefinition] = Field(default_factory=_empty_list, alias="niveaus",
                                          title="Ondersteuningsniveaus",
                                          description="De ondersteuningsniveaus van het SWV, van "
                                                      "basis tot zwaarste.")
    glossary: Glossary | None = Field(None, alias="begrippenlijst", title="Begrippenlijst",
                                      description="Begrippenlijst achter in het document.")
    profiles: dict[ProfileName, ProfileDefinition] = Field(
        default_factory=_empty_dict, alias="profielen", title="Profielen",
        description="Korte versies uit dezelfde gegevens: 'ouders' (voor ouders, een tot twee "
                    "pagina's) en 'schoolgids' (het hoofdstuk ondersteuning voor de schoolgids).")
    branding: Branding | None = Field(None, alias="huisstijl", title="Huisstijl",
                                      description="Logo, accentkleur en voettekst van het SWV.")
    regime: RegimeName | None = Field(
        None, title="Regime",
        description="Welke wet de documenten van de scholen volgen: 'schoolgids-2025' (het "
                    "ondersteuningsaanbod jaarlijks in de schoolgids, met de inbreng van "
                    "leerlingen) of 'sop-2014' (het SOP, minstens eens in de vier jaar). "
                    "Zonder: per schooljaar (zie 'schoolgids_vanaf'); sopc.toml gaat voor.")
    schoolgids_from: DateText | None = Field(
        None, alias="schoolgids_vanaf", title="Schoolgids vanaf",
        description="Vanaf welke datum het schoolgids-regime geldt; standaard 2025-08-01. "
                    "Een schooljaar dat op of na deze datum begint, valt eronder.")
    basic_support: Markdown | None = Field(
        None, alias="basisondersteuning", title="Basisondersteuning",
        description="Wat alle scholen van het SWV minstens bieden (Markdown); staat in het "
                    "hoofdstuk voor de schoolgids, met wat de school zelf toevoegt.")
    outline: list[OutlinePart] = Field(default_factory=_empty_list, alias="opbouw",
                                       title="Opbouw van het document",
                                       description="Hoofdstukken, paragrafen, teksten en blokken "
                                                   "van het document, in volgorde.")
    outline_changes: list[OutlineChange] = Field(
        default_factory=_empty_list, alias="opbouw_aanpassen", title="Opbouw aanpassen",
        description="Met 'basis': aanpassingen van de opbouw van de preset (hernoem, "
                    "verplaats, voeg_toe, laat_weg), per id van een onderdeel.")

    @model_validator(mode="after")
    def _one_outline(self) -> Self:
        if self.outline_changes and "outline" in self.model_fields_set:
            raise PydanticCustomError("aanpassing", "gebruik 'opbouw' (een eigen opbouw) of "
                                      "'opbouw_aanpassen' (de opbouw van de basis aanpassen), "
                                      "niet allebei", {})
        return self


# ----------------------------------------------------------------------------------------
# School file
# ----------------------------------------------------------------------------------------

class SchoolInfo(Model):
    name: str = Field(alias="naam", title="Naam van de school",
                      description="Volledige naam van de school.")
    brin: Brin = Field(title="BRIN-code", description="Vier tekens, zoals '06KG'.")
    branch: Vestiging = Field(alias="vestiging", title="Vestiging",
                              description="Twee cijfers, zoals '00'.")
    school_type: str | None = Field(None, alias="onderwijstype", title="Onderwijstype",
                                    description="Soort onderwijs, zoals 'Basisonderwijs (BAO)'.")
    board: str | None = Field(None, alias="bestuur", title="Schoolbestuur",
                              description="Naam van het schoolbestuur.")
    place: str | None = Field(None, alias="plaats", title="Plaats",
                              description="Plaats van de vestiging.")
    municipality: str | None = Field(None, alias="gemeente", title="Gemeente",
                                     description="Gemeente waarin de vestiging ligt, zoals "
                                                 "'Berg en Dal'.")
    denomination: str | None = Field(None, alias="denominatie", title="Denominatie",
                                     description="Richting van de school, zoals 'Openbaar' "
                                                 "of 'Rooms-Katholiek' (zoals bij DUO).")
    board_number: BoardNumber | None = Field(
        None, alias="bevoegd_gezag", title="Nummer bevoegd gezag",
        description="Het nummer van het schoolbestuur (bevoegd gezag) bij DUO, zoals "
                    "'42486'.")
    work_area: str | None = Field(None, alias="werkgebied", title="Werkgebied",
                                  description="Werkgebied van het SWV waar de school onder valt.")
    website: Url | None = Field(None, title="Website",
                                description="Internetadres van de school.")
    address: str | None = Field(None, alias="adres", title="Adres",
                                description="Bezoekadres, zoals 'Dorpsstraat 1, 1234 AB "
                                            "Voorbeeld'.")
    phone: str | None = Field(None, alias="telefoon", title="Telefoon",
                              description="Telefoonnummer van de school.")
    email: Email | None = Field(None, alias="email", title="E-mail",
                              description="E-mailadres voor vragen over ondersteuning.")
    contact: str | None = Field(None, alias="contactpersoon", title="Contactpersoon",
                                description="Wie ouders kunnen benaderen, zoals 'Anna de Vries, "
                                            "intern begeleider'.")


class SopInfo(Model):
    school_year: SchoolYear = Field(alias="schooljaar", title="Schooljaar",
                                    description="Het schooljaar waarvoor dit SOP geldt, zoals "
                                                "'2026-2027'.")
    filled_in: DateText | None = Field(None, alias="invuldatum", title="Invuldatum",
                                       description="Datum waarop het SOP is ingevuld (JJJJ-MM-DD "
                                                   "of JJJJ-MM).")
    adopted: DateText | None = Field(None, alias="vastgesteld", title="Vastgesteld op",
                                     description="Datum waarop het bestuur het SOP vaststelde.")
    adopted_by: str | None = Field(None, alias="vastgesteld_door", title="Vastgesteld door",
                                   description="Wie het SOP vaststelde, zoals 'het college van "
                                               "bestuur'.")
    council_advice: DateText | None = Field(None, alias="mr_advies", title="Advies MR",
                                            description="Datum van het advies van de "
                                                        "medezeggenschapsraad.")
    consent: DateText | None = Field(None, alias="instemming", title="Instemming MR",
                                     description="Datum waarop de oudergeleding van de MR "
                                                 "instemde met de schoolgids (schoolgids-"
                                                 "regime).")


class OtherItem(Model):
    name: str = Field(alias="naam", title="Naam",
                      description="Naam van het eigen item van de school.")
    value: Any = Field(None, alias="waarde", title="Waarde",
                       description="Zoals bij de items van deze catalogus.")


AnswerValue = str | list[str] | None


class CatalogueAnswers(Model):
    items: dict[str, AnswerValue] | list[str] = Field(
        default_factory=_empty_dict, title="Items",
        description="Per item-id het antwoord: voor beschikbaarheid een of meer kolom-ids, "
                    "voor status de status, voor ja-nee 'ja' of 'nee'. Voor een lijst mag "
                    "ook een lijst van aanwezige item-ids.")
    other: list[OtherItem] = Field(default_factory=_empty_list, alias="anders",
                                   title="Anders, namelijk",
                                   description="Eigen items van de school die niet in de "
                                               "catalogus staan.")
    note: Markdown | None = Field(None, alias="toelichting", title="Toelichting",
                                  description="Toelichting van de school bij deze catalogus "
                                              "(Markdown).")


class ApproachItem(Model):
    # a plain text is short for {tekst: ...} (see _from_text); sopc.validation asks this
    text_short_form: ClassVar[bool] = True

    text: Markdown = Field(alias="tekst", title="Tekst",
                           description="Eén aanpak of maatregel (Markdown).")
    sub: "list[ApproachItem]" = Field(default_factory=_empty_list,
                                      title="Onderliggende punten",
                                      description="Punten die onder deze aanpak vallen, in "
                                                  "dezelfde vorm.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"tekst": value} if isinstance(value, str) else value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # The plain-text short form must be valid in editors too, not only in sopc.
        return {"anyOf": [{"type": "string", "contentMediaType": "text/markdown"},
                          handler(core_schema)]}


class ClusterProfile(Model):
    cluster: Id = Field(title="Cluster", description="Id van het cluster uit de SWV-laag.")
    description: str | None = Field(None, alias="omschrijving", title="Omschrijving",
                                    description="Voor het open cluster 'anders, namelijk'.")
    approaches: list[ApproachItem] = Field(default_factory=_empty_list, alias="aanpakken",
                                           title="Aanpakken",
                                           description="Aanpakken die de school ter beschikking "
                                                       "heeft.")
    in_development: list[ApproachItem] = Field(default_factory=_empty_list, alias="in_ontwikkeling",
                                               title="In ontwikkeling",
                                               description="Aanpakken die de school nog aan het "
                                                           "ontwikkelen is.")
    ambition: list[ApproachItem] = Field(default_factory=_empty_list, alias="ambitie",
                                         title="Ambitie",
                                         description="Wat de school voor dit cluster wil bereiken.")


class LevelProfile(Model):
    level: Id = Field(alias="niveau", title="Niveau", description="Id van het niveau.")
    description: Markdown | None = Field(None, alias="omschrijving", title="Omschrijving",
                                         description="Vervangt de omschrijving van het SWV.")
    team: list[str] | None = Field(None, title="Ondersteuningsteam",
                                   description="Vervangt het standaardteam van het SWV.")


class Boundaries(Model):
    items: list[ApproachItem] = Field(default_factory=_empty_list, alias="lijst", title="Lijst",
                                      description="De grenzen van de ondersteuning die de school "
                                                  "kan bieden, als lijst.")
    note: Markdown | None = Field(None, alias="toelichting", title="Toelichting",
                                  description="Toelichting bij de grenzen (Markdown).")


class DocumentReference(Model):
    title: str = Field(alias="titel", title="Titel",
                       description="Naam van het document of protocol.")
    location: str = Field(alias="vindplaats", title="Vindplaats",
                          description="Waar het document te vinden is.")


class Inspection(Model):
    date: DateText | None = Field(None, alias="datum", title="Datum laatste onderzoek",
                                  description="Datum van het laatste onderzoek van de inspectie "
                                              "(JJJJ-MM-DD).")
    verdict: str | None = Field(None, alias="waardering", title="Waardering",
                                description="Het oordeel van de inspectie, zoals 'voldoende'.")
    report: Url | None = Field(None, alias="rapport", title="Link naar het rapport",
                               description="Internetadres van het inspectierapport.")


class CountLine(Model):
    description: str = Field(alias="omschrijving", title="Omschrijving",
                             description="Waar de regel over gaat, bijvoorbeeld 'naar speciaal "
                                         "basisonderwijs'.")
    count: int | None = Field(None, alias="aantal", title="Aantal",
                              description="Aantal leerlingen; leeg als onbekend.")


class Referrals(Model):
    school_year: SchoolYear = Field(alias="schooljaar", title="Schooljaar",
                                    description="Het schooljaar van de verwijzingen, zoals "
                                                "'2021-2022'.")
    lines: list[CountLine] = Field(alias="regels", title="Regels",
                                   description="Eén regel per soort verwijzing, met het aantal.")


class CareerRow(Model):
    stage: str = Field(alias="bouw", title="Bouw",
                       description="De bouw, zoals 'onderbouw' of 'groep 3-4'.")
    extensions: int | None = Field(None, alias="verlengingen", title="Verlengingen",
                                   description="Aantal leerlingen dat een jaar langer over deze "
                                               "bouw deed.")
    accelerations: int | None = Field(None, alias="versnellingen", title="Versnellingen",
                                      description="Aantal leerlingen dat een jaar versnelde.")


Percentage = Annotated[float, Field(ge=0, le=100)]


class OutflowRow(Model):
    track: str = Field(alias="richting", title="Richting",
                       description="Richting van voortgezet onderwijs, zoals 'havo/vwo'.")
    percentages: list[Percentage | None] = Field(title="Percentages",
                                                 description="Per schooljaar; leeg is onbekend.")


class Outflow(Model):
    school_years: list[SchoolYear] = Field(alias="schooljaren", title="Schooljaren",
                                           description="De schooljaren van de kolommen, zoals "
                                                       "'2019-2020'.")
    rows: list[OutflowRow] = Field(alias="richtingen", title="Richtingen",
                                   description="Per richting van voortgezet onderwijs de "
                                               "percentages.")

    @model_validator(mode="after")
    def _same_length(self) -> Self:
        for row in self.rows:
            if len(row.percentages) != len(self.school_years):
                raise PydanticCustomError(
                    "uitstroom", "de richting '{track}' heeft {n} percentages, maar er zijn "
                    "{m} schooljaren (laat een onbekend jaar leeg met '~')",
                    {"track": row.track, "n": len(row.percentages), "m": len(self.school_years)})
        return self


class ClusterCount(Model):
    cluster: Id = Field(title="Cluster",
                        description="Id van het cluster uit de SWV-laag.")
    count: int | None = Field(None, alias="aantal", title="Aantal leerlingen",
                              description="Aantal leerlingen met deze onderwijsbehoefte; leeg als"
                                          " onbekend.")


class ClusterCounts(Model):
    school_year: SchoolYear = Field(alias="schooljaar", title="Schooljaar",
                                    description="Het schooljaar waarover geteld is, zoals "
                                                "'2021-2022'.")
    total_pupils: int | None = Field(None, alias="totaal_leerlingen", title="Totaal leerlingen",
                                     description="Totaal aantal leerlingen van de school in dat "
                                                 "jaar.")
    counts: list[ClusterCount] = Field(alias="aantallen", title="Aantallen",
                                       description="Aantal leerlingen per cluster.")


class HomeValue(Model):
    category: str = Field(alias="categorie", title="Categorie",
                          description="Categorie binnen de factor.")
    percentage: Percentage | None = Field(None, title="Percentage",
                                          description="Percentage leerlingen in deze categorie "
                                                      "(0-100); leeg als onbekend.")


class HomeFactor(Model):
    factor: str = Field(title="Factor",
                        description="De factor, zoals 'opleidingsniveau ouders'.")
    source: str | None = Field(None, alias="bron", title="Bron",
                               description="Waar de cijfers vandaan komen.")
    values: list[HomeValue] = Field(alias="waarden", title="Waarden",
                                    description="De verdeling over categorieën.")


class HomeSituation(Model):
    factors: list[HomeFactor] = Field(alias="factoren", title="Factoren",
                                      description="Factoren in de opvoedsituatie thuis, met hun "
                                                  "verdeling.")
    source_note: str | None = Field(None, alias="bronvermelding", title="Bronvermelding",
                                    description="Bronvermelding onder de tabel.")


class Population(Model):
    referrals: Referrals | None = Field(None, alias="verwijzingen", title="Verwijzingen",
                                        description="Verwijzingen naar speciaal (basis)onderwijs "
                                                    "in één schooljaar.")
    career: list[CareerRow] = Field(default_factory=_empty_list, alias="schoolloopbaan",
                                    title="Schoolloopbaan",
                                    description="Verlengingen en versnellingen per bouw.")
    outflow: Outflow | None = Field(None, alias="uitstroom", title="Uitstroom",
                                    description="Uitstroom naar het voortgezet onderwijs, per "
                                                "schooljaar.")
    cluster_counts: ClusterCounts | None = Field(None, alias="leerlingen_per_cluster",
                                                 title="Leerlingen per cluster",
                                                 description="Aantal leerlingen per "
                                                             "onderwijsbehoefte-cluster.")
    home: HomeSituation | None = Field(None, alias="thuissituatie", title="Opvoedsituatie thuis",
                                       description="Gegevens over de opvoedsituatie thuis.")


class PupilInput(Model):
    """What the law asks since 2025 (art. 13b WPO): the pupils' say in the support offer."""

    model_config = ConfigDict(json_schema_extra={
        "description": "De inbreng van leerlingen in het ondersteuningsaanbod (artikel 13b "
                       "WPO): hoe zij zijn gehoord, wat zij zeiden en wat het veranderde."})

    how: Markdown | None = Field(None, alias="hoe", title="Hoe leerlingen zijn gehoord",
                                 description="Hoe de school leerlingen heeft gevraagd naar de "
                                             "ondersteuning, zoals 'in de leerlingenraad en met "
                                             "een vragenlijst in groep 5 tot en met 8'.")
    said: Markdown | None = Field(None, alias="wat_leerlingen_zeiden",
                                  title="Wat leerlingen zeiden",
                                  description="Wat leerlingen in grote lijnen vonden en "
                                              "vroegen.")
    changed: Markdown | None = Field(None, alias="wat_er_veranderde",
                                     title="Wat er veranderde",
                                     description="Wat de school met hun inbreng deed: wat er "
                                                 "daardoor veranderde, of waarom niet.")


class ExtraChapter(Model):
    title: str = Field(alias="titel", title="Titel",
                       description="Titel van het extra hoofdstuk.")
    content: Markdown = Field(alias="inhoud", title="Inhoud",
                              description="Inhoud van het hoofdstuk (Markdown).")


class SwvName(Model):
    """An SWV without a layer of its own: only its name, for the title page."""

    model_config = ConfigDict(json_schema_extra={
        "description": "Een SWV zonder SWV-laag: alleen de naam (de school heeft dan een "
                       "eigen 'opbouw')."})

    name: str = Field(alias="naam", title="Naam", description="Volledige naam van het SWV.")
    short_name: str | None = Field(None, alias="korte_naam", title="Korte naam",
                                   description="Korte naam of afkorting van het SWV.")
    website: Url | None = Field(None, title="Website",
                                description="Internetadres van het SWV.")


class SchoolFile(Model):
    """One school's profile. Refers to its SWV layer by preset name or relative path."""

    model_config = ConfigDict(title="Schoolondersteuningsprofiel (sopc)", json_schema_extra={
        "description": "Het schoolondersteuningsprofiel van één school (sopc)."})

    schema_version: SchemaVersion = Field(alias="sopc", title="Schemaversie",
                                       description="Versie van het sopc-schema; nu 1.")
    swv: SwvReference | SwvName | None = Field(
        None, title="SWV-laag",
        description="Naam van een ingebouwde preset ('ppo-nk', 'perspectief-op-school') of "
                    "een pad naar een SWV-bestand, relatief aan dit bestand. Heeft het SWV "
                    "geen SWV-laag: alleen de naam ('naam: ...') en een eigen 'opbouw'. Mag "
                    "ontbreken als sopc.toml de SWV-laag noemt.")
    document_title: str | None = Field(None, alias="documenttitel", title="Documenttitel",
                                       description="Titel van het document, precies zoals hij "
                                                   "op het voorblad komt; standaard die van "
                                                   "het SWV.")
    school: SchoolInfo = Field(title="School",
                               description="Naam, BRIN-code en andere gegevens van de school.")
    sop: SopInfo = Field(title="Over dit SOP",
                         description="Schooljaar en data van dit SOP.")
    texts: dict[Id, Markdown] = Field(default_factory=_empty_dict, alias="teksten", title="Teksten",
                                      description="Teksten van de school, per tekst-id uit de "
                                                  "opbouw van de SWV-laag (Markdown).")
    offer: dict[Id, CatalogueAnswers] = Field(default_factory=_empty_dict, alias="aanbod",
                                              title="Aanbod",
                                              description="Antwoorden per catalogus-id.")
    clusters: list[ClusterProfile] = Field(default_factory=_empty_list, title="Clusters",
                                           description="Per onderwijsbehoefte-cluster van het "
                                                       "SWV: wat de school doet.")
    levels: list[LevelProfile] = Field(default_factory=_empty_list, alias="niveaus",
                                       title="Ondersteuningsniveaus",
                                       description="Per ondersteuningsniveau: hoe de school het "
                                                   "invult.")
    boundaries: Boundaries | None = Field(None, alias="grenzen", title="Grenzen",
                                          description="Waar de ondersteuning van de school "
                                                      "ophoudt.")
    documents: list[DocumentReference] = Field(default_factory=_empty_list, alias="documenten",
                                               title="Documenten en protocollen",
                                               description="Documenten en protocollen van de "
                                                           "school, met hun vindplaats.")
    inspection: Inspection | None = Field(None, alias="inspectie", title="Inspectie",
                                          description="Het laatste oordeel van de "
                                                      "onderwijsinspectie.")
    population: Population | None = Field(None, alias="populatie", title="Populatie",
                                          description="Cijfers over de leerlingen van de school.")
    basic_support: Markdown | None = Field(
        None, alias="basisondersteuning", title="Basisondersteuning van de school",
        description="Wat de school zelf toevoegt aan de basisondersteuning van het SWV "
                    "(Markdown).")
    pupil_input: PupilInput | None = Field(
        None, alias="leerlingeninbreng", title="Inbreng van leerlingen",
        description="Hoe leerlingen hun mening gaven over de ondersteuning, wat zij zeiden en "
                    "wat er daardoor veranderde (vanaf de schoolgids van 2025-2026 verplicht).")
    extra_chapters: list[ExtraChapter] = Field(default_factory=_empty_list,
                                               alias="extra_hoofdstukken",
                                               title="Extra hoofdstukken",
                                               description="Uitwijkmogelijkheid voor wat het "
                                                           "model niet kent (Markdown).")
    outline: list[OutlinePart] | None = Field(
        None, alias="opbouw", title="Eigen opbouw",
        description="De hele opbouw van het document van de school; vervangt die van het SWV "
                    "(wat het SWV verplicht stelt moet erin staan).")
    outline_changes: list[OutlineChange] = Field(
        default_factory=_empty_list, alias="opbouw_aanpassen", title="Opbouw aanpassen",
        description="Aanpassingen van de opbouw van het SWV: hernoem, verplaats, voeg_toe, "
                    "laat_weg, per id van een onderdeel (zie docs/opbouw.md).")

    @model_validator(mode="after")
    def _one_outline(self) -> Self:
        if self.outline is not None and self.outline_changes:
            raise PydanticCustomError("aanpassing", "gebruik 'opbouw' (een eigen opbouw) of "
                                      "'opbouw_aanpassen' (die van het SWV aanpassen), niet "
                                      "allebei", {})
        return self
