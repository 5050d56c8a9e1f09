"""The view model: what the templates see, and nothing else.

The resolve stage turns a school file and its SWV layer into a `Document`: sections
with numbers and anchors, and per block exactly the data its template prints, already
in the words and formats of the document (dates written out, percentages with a
comma). Templates never see a Pydantic model or an untyped dict, so a template can
rely on every attribute it names, and a theme that overrides one block kind knows
what it gets: the classes below are that contract (docs/opbouw.md lists them).

The pieces are named tuples (immutable, and cheap to define: a run imports this module
before its first document); a section and the document are plain dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# A text field the school or SWV writes in Markdown (sopc.textformat); every other string
# is plain text. The PDF writer reads this annotation (sopc.pdf).
Markdown = str

# ----------------------------------------------------------------------------------------
# Pieces shared by several blocks
# ----------------------------------------------------------------------------------------


class ListItem(NamedTuple):
    """One point of a list the school wrote (Markdown), with its sub-points."""

    text: Markdown
    sub: tuple[ListItem, ...] = ()


class LegendColumn(NamedTuple):
    """A column of the availability tables: 'op school', 'via bestuur', ..."""

    id: str
    label: str
    explanation: str
    symbol: str


class CatalogueHeading(NamedTuple):
    """What a catalogue block prints around its rows."""

    title: str
    column_header: str
    other_header: str
    answer_header: str | None = None


# ----------------------------------------------------------------------------------------
# One class per block kind (sopc.blocks names the kind, its builder and its templates)
# ----------------------------------------------------------------------------------------


class SchoolDataBlock(NamedTuple):
    introduction: Markdown | None
    rows: tuple[tuple[str, str], ...]


class LegendBlock(NamedTuple):
    introduction: Markdown | None
    columns: tuple[LegendColumn, ...]


class AvailabilityRow(NamedTuple):
    name: str
    marks: tuple[str, ...]  # ids of the legend columns that apply
    to_fill_in: bool = False  # the starter's "nog in te vullen": not answered yet


class AvailabilityBlock(NamedTuple):
    catalogue: CatalogueHeading
    introduction: Markdown | None
    columns: tuple[LegendColumn, ...]
    rows: tuple[AvailabilityRow, ...]
    other: tuple[AvailabilityRow, ...]
    note: Markdown | None


class ListBlock(NamedTuple):
    catalogue: CatalogueHeading
    introduction: Markdown | None
    items: tuple[str, ...]
    other: tuple[str, ...]
    note: Markdown | None


class StatusBlock(NamedTuple):
    """A catalogue with one answer per item (kinds 'status' and 'ja-nee')."""

    catalogue: CatalogueHeading
    introduction: Markdown | None
    rows: tuple[tuple[str, str], ...]
    other: tuple[tuple[str, str], ...]
    note: Markdown | None


class ClusterView(NamedTuple):
    number: int
    title: str
    approaches: tuple[ListItem, ...]
    in_development: tuple[ListItem, ...]
    ambition: tuple[ListItem, ...]


class ClustersBlock(NamedTuple):
    introduction: Markdown | None
    clusters: tuple[ClusterView, ...]


class OfferColumn(NamedTuple):
    label: str
    explanation: str
    names: tuple[str, ...]


class OfferSummaryBlock(NamedTuple):
    introduction: Markdown | None
    columns: tuple[OfferColumn, ...]


class ClusterCount(NamedTuple):
    name: str
    approaches: int
    in_development: int


class ClustersSummaryBlock(NamedTuple):
    introduction: Markdown | None
    clusters: tuple[ClusterCount, ...]


class LevelsOverviewBlock(NamedTuple):
    introduction: Markdown | None
    items: tuple[str, ...]


class LevelView(NamedTuple):
    title: str
    description: Markdown | None
    team: tuple[str, ...]


class LevelsBlock(NamedTuple):
    introduction: Markdown | None
    levels: tuple[LevelView, ...]


class BoundariesBlock(NamedTuple):
    introduction: Markdown | None
    items: tuple[ListItem, ...]
    note: Markdown | None


class DocumentGroup(NamedTuple):
    location: str
    titles: tuple[str, ...]


class DocumentsBlock(NamedTuple):
    introduction: Markdown | None
    groups: tuple[DocumentGroup, ...]


class GlossaryEntry(NamedTuple):
    term: str
    definition: Markdown


class GlossaryBlock(NamedTuple):
    title: str
    introduction: Markdown | None
    column_header: str
    entries: tuple[GlossaryEntry, ...]


class InspectionBlock(NamedTuple):
    introduction: Markdown | None
    date: str | None
    verdict: str | None
    report: str | None


class CountRow(NamedTuple):
    label: str
    amount: int | None


class ReferralsBlock(NamedTuple):
    introduction: Markdown | None
    school_year: str
    lines: tuple[CountRow, ...]


class CareerRow(NamedTuple):
    stage: str
    extensions: int | None
    accelerations: int | None


class CareerBlock(NamedTuple):
    introduction: Markdown | None
    rows: tuple[CareerRow, ...]


class OutflowRow(NamedTuple):
    track: str
    cells: tuple[str, ...]


class OutflowBlock(NamedTuple):
    introduction: Markdown | None
    years: tuple[str, ...]
    rows: tuple[OutflowRow, ...]


class ClusterCountsBlock(NamedTuple):
    introduction: Markdown | None
    school_year: str
    total: int | None
    rows: tuple[CountRow, ...]


class HomeFactor(NamedTuple):
    factor: str
    source: str | None
    values: tuple[tuple[str, str], ...]


class HomeBlock(NamedTuple):
    introduction: Markdown | None
    factors: tuple[HomeFactor, ...]
    source_note: str | None


class BasicSupportBlock(NamedTuple):
    """What every school of the SWV offers, and what this school adds to it."""

    introduction: Markdown | None
    swv_name: str
    swv_text: Markdown | None  # of the SWV layer
    school_text: Markdown | None  # of the school


class OfferGroup(NamedTuple):
    """Items of one theme offered one way: 'Op de school', 'In ontwikkeling', or
    without a label (a cluster's approaches)."""

    label: str | None
    items: tuple[ListItem, ...]


class OfferTheme(NamedTuple):
    """A catalogue or an onderwijsbehoefte-cluster as parents read it."""

    title: str
    explanation: str | None
    groups: tuple[OfferGroup, ...]


class OfferBlock(NamedTuple):
    """The extra ondersteuningsaanbod per theme (kinds 'extra-ondersteuning' and, in
    short, 'aanbod-voor-ouders')."""

    introduction: Markdown | None
    themes: tuple[OfferTheme, ...]


class PupilInputBlock(NamedTuple):
    introduction: Markdown | None
    how: Markdown | None
    said: Markdown | None
    changed: Markdown | None


class DocumentLink(NamedTuple):
    """Another version of the same school's documents, built in the same run: `name` is
    its file name without the extension (URL-quoted), so each format links its own kind
    (x.html from HTML, x.md from Markdown)."""

    title: str
    name: str


class MoreInformationBlock(NamedTuple):
    introduction: Markdown | None
    contact: tuple[Fact, ...]
    full_document: DocumentLink | None
    swv_reference: str  # 'het samenwerkingsverband X', or the name if it says so itself
    swv_website: str | None


BlockData = (str | SchoolDataBlock | LegendBlock | AvailabilityBlock | ListBlock | StatusBlock
             | ClustersBlock | OfferSummaryBlock | ClustersSummaryBlock | LevelsOverviewBlock
             | LevelsBlock | BoundariesBlock | DocumentsBlock | GlossaryBlock | InspectionBlock
             | ReferralsBlock | CareerBlock | OutflowBlock | ClusterCountsBlock | HomeBlock
             | BasicSupportBlock | OfferBlock | PupilInputBlock | MoreInformationBlock)


# ----------------------------------------------------------------------------------------
# The document
# ----------------------------------------------------------------------------------------


class Block(NamedTuple):
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


class Fact(NamedTuple):
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
    introduction: Markdown | None = None
    website: str | None = None
    accent_colour: str | None = None
    footer: str | None = None
    logo: str | None = None  # a data: URI, so the HTML stays self-contained
    facts: tuple[Fact, ...] = ()
    place: str | None = None  # the school's place, also in the PDF's page header
    concept: bool = False  # placeholders of `sopc new` left: marked CONCEPT
    notice: str | None = None  # on the SWV's site: the banner of a document past its date

    @property
    def sections(self) -> list[Section]:
        return [part for part in self.parts if isinstance(part, Section)]

    def anchors(self) -> frozenset[str]:
        """Every section's anchor: what a '#anker' link in a text can lead to."""
        found: set[str] = set()
        todo: list[Section] = self.sections
        while todo:
            section = todo.pop()
            found.add(section.anchor)
            todo.extend(section.subsections)
        return frozenset(found)
