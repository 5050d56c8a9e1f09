"""The view model: what the templates see, and nothing else.

The resolve stage turns a school file and its SWV layer into a `Document`: sections
with numbers and anchors, and per block exactly the data its template prints, already
in the words and formats of the document (dates written out, percentages with a
comma). Templates never see a Pydantic model or an untyped dict, so a template can
rely on every attribute it names, and a theme that overrides one block kind knows
what it gets: the classes below are that contract (docs/opbouw.md lists them).

All classes are frozen: the same view renders to HTML, Markdown and PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ----------------------------------------------------------------------------------------
# Pieces shared by several blocks
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListItem:
    """One point of a list the school wrote (Markdown), with its sub-points."""

    text: str
    sub: tuple[ListItem, ...] = ()


@dataclass(frozen=True, slots=True)
class LegendColumn:
    """A column of the availability tables: 'op school', 'via bestuur', ..."""

    id: str
    label: str
    explanation: str
    symbol: str


@dataclass(frozen=True, slots=True)
class CatalogueHeading:
    """What a catalogue block prints around its rows."""

    title: str
    column_header: str
    other_header: str
    answer_header: str | None = None


# ----------------------------------------------------------------------------------------
# One class per block kind (sopc.blocks names the kind, its builder and its templates)
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchoolDataBlock:
    introduction: str | None
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class LegendBlock:
    introduction: str | None
    columns: tuple[LegendColumn, ...]


@dataclass(frozen=True, slots=True)
class AvailabilityRow:
    name: str
    marks: tuple[str, ...]  # ids of the legend columns that apply
    to_fill_in: bool = False  # the starter's "nog in te vullen": not answered yet


@dataclass(frozen=True, slots=True)
class AvailabilityBlock:
    catalogue: CatalogueHeading
    introduction: str | None
    columns: tuple[LegendColumn, ...]
    rows: tuple[AvailabilityRow, ...]
    other: tuple[AvailabilityRow, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class ListBlock:
    catalogue: CatalogueHeading
    introduction: str | None
    items: tuple[str, ...]
    other: tuple[str, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class StatusBlock:
    """A catalogue with one answer per item (kinds 'status' and 'ja-nee')."""

    catalogue: CatalogueHeading
    introduction: str | None
    rows: tuple[tuple[str, str], ...]
    other: tuple[tuple[str, str], ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class ClusterView:
    number: int
    title: str
    approaches: tuple[ListItem, ...]
    in_development: tuple[ListItem, ...]
    ambition: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class ClustersBlock:
    introduction: str | None
    clusters: tuple[ClusterView, ...]


@dataclass(frozen=True, slots=True)
class OfferColumn:
    label: str
    explanation: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OfferSummaryBlock:
    introduction: str | None
    columns: tuple[OfferColumn, ...]


@dataclass(frozen=True, slots=True)
class ClusterCount:
    name: str
    approaches: int
    in_development: int


@dataclass(frozen=True, slots=True)
class ClustersSummaryBlock:
    introduction: str | None
    clusters: tuple[ClusterCount, ...]


@dataclass(frozen=True, slots=True)
class LevelsOverviewBlock:
    introduction: str | None
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LevelView:
    title: str
    description: str | None
    team: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LevelsBlock:
    introduction: str | None
    levels: tuple[LevelView, ...]


@dataclass(frozen=True, slots=True)
class BoundariesBlock:
    introduction: str | None
    items: tuple[ListItem, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class DocumentGroup:
    location: str
    titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocumentsBlock:
    introduction: str | None
    groups: tuple[DocumentGroup, ...]


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    term: str
    definition: str


@dataclass(frozen=True, slots=True)
class GlossaryBlock:
    title: str
    introduction: str | None
    column_header: str
    entries: tuple[GlossaryEntry, ...]


@dataclass(frozen=True, slots=True)
class InspectionBlock:
    introduction: str | None
    date: str | None
    verdict: str | None
    report: str | None


@dataclass(frozen=True, slots=True)
class CountRow:
    label: str
    count: int | None


@dataclass(frozen=True, slots=True)
class ReferralsBlock:
    introduction: str | None
    school_year: str
    lines: tuple[CountRow, ...]


@dataclass(frozen=True, slots=True)
class CareerRow:
    stage: str
    extensions: int | None
    accelerations: int | None


@dataclass(frozen=True, slots=True)
class CareerBlock:
    introduction: str | None
    rows: tuple[CareerRow, ...]


@dataclass(frozen=True, slots=True)
class OutflowRow:
    track: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutflowBlock:
    introduction: str | None
    years: tuple[str, ...]
    rows: tuple[OutflowRow, ...]


@dataclass(frozen=True, slots=True)
class ClusterCountsBlock:
    introduction: str | None
    school_year: str
    total: int | None
    rows: tuple[CountRow, ...]


@dataclass(frozen=True, slots=True)
class HomeFactor:
    factor: str
    source: str | None
    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class HomeBlock:
    introduction: str | None
    factors: tuple[HomeFactor, ...]
    source_note: str | None


BlockData = (str | SchoolDataBlock | LegendBlock | AvailabilityBlock | ListBlock | StatusBlock
             | ClustersBlock | OfferSummaryBlock | ClustersSummaryBlock | LevelsOverviewBlock
             | LevelsBlock | BoundariesBlock | DocumentsBlock | GlossaryBlock | InspectionBlock
             | ReferralsBlock | CareerBlock | OutflowBlock | ClusterCountsBlock | HomeBlock)


# ----------------------------------------------------------------------------------------
# The document
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """A text (`kind` 'tekst', `data` its Markdown) or a data block of the outline."""

    kind: str
    title: str | None
    data: BlockData

    @property
    def is_section(self) -> bool:
        return False


@dataclass(slots=True)
class Section:
    """A part with a heading: a chapter, paragraph, appendix or a 'deel' above chapters.

    `number` is what stands before the title ('3.2', 'Bijlage A', 'Deel I'), empty for
    an unnumbered part; `level` is the heading depth below the document title (1 for
    the outermost parts), so headings never skip a level.
    """

    id: str
    number: str
    title: str
    level: int
    anchor: str
    parts: list[Section | Block] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def subsections(self) -> list[Section]:
        return [part for part in self.parts if isinstance(part, Section)]

    @property
    def is_section(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of the title page: 'Vastgesteld' — '27 maart 2018 door het bestuur'."""

    label: str
    value: str
    link: str | None = None  # an address to link the value to (the URL policy decides)


@dataclass(slots=True)
class Document:
    title: str
    school_name: str
    school_code: str
    school_year: str
    swv_name: str
    parts: list[Section | Block]
    profile: str = "volledig"
    introduction: str | None = None
    website: str | None = None
    accent_colour: str | None = None
    footer: str | None = None
    logo: str | None = None  # a data: URI, so the HTML stays self-contained
    facts: tuple[Fact, ...] = ()
    concept: bool = False  # placeholders of `sopc new` left: marked CONCEPT

    @property
    def sections(self) -> list[Section]:
        return [part for part in self.parts if isinstance(part, Section)]
