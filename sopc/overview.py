"""The SWV's view over many schools: who offers what, where the gaps are.

`summarize` reduces one resolved school to a small `SchoolSummary` (so a run over
thousands of schools never holds their documents); `Overview` aggregates summaries
into the dekkend-aanbod matrix per werkgebied, with its gaps and the free
"anders, namelijk" entries, and writes it as JSON, CSV, Markdown or HTML.

The CSV and JSON columns are a documented contract (docs/overzicht.md).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import IO, Any

from sopc.models import SchoolFile, SwvLayer

NO_AREA = "(geen werkgebied)"
OFFER_COLUMNS = ("werkgebied", "soort", "groep", "item_id", "item", "school", "brin",
                 "hoe")
GAP_COLUMNS = ("werkgebied", "soort", "groep", "item_id", "item", "school", "reden")
_NOT_IN_JSON = ("offers", "others", "empty_clusters", "outputs", "layer_key", "number")
OTHER_COLUMNS = ("werkgebied", "groep", "naam", "school", "brin", "hoe")


@dataclass(frozen=True, slots=True)
class Offer:
    """One school offering one thing: a catalogue item, a cluster or a support level."""

    kind: str  # "catalogus", "cluster" or "niveau"
    group: str  # catalogue title, "Clusters" or "Ondersteuningsniveaus"
    item_id: str
    item: str
    how: str  # a legend label, "ja", a status, "aanpakken", "in ontwikkeling", ...


@dataclass(frozen=True, slots=True)
class Other:
    group: str
    name: str
    how: str


@dataclass(slots=True)
class SchoolSummary:
    name: str
    brin: str  # BRIN + vestiging
    place: str | None
    work_area: str
    board: str | None
    school_year: str
    status: str  # actueel, ouder-dan-een-jaar, verouderd (an SOP); eerder-schooljaar
    reference_date: str
    layer_key: str  # which SWV layer (file or preset): what "defined" means for gaps
    style: str  # "beschikbaarheid" (catalogues) or "clusters"
    offers: list[Offer] = field(default_factory=list)
    others: list[Other] = field(default_factory=list)
    empty_clusters: list[tuple[str, str]] = field(default_factory=list)  # listed, no aanpak
    display: str = ""
    outputs: list[str] = field(default_factory=list)
    number: int = -1  # its place in the Overview that took its offers (Overview.add)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """What the layer defines, so a gap is "defined but offered by nobody"."""

    kind: str
    group: str
    item_id: str
    item: str
    # an availability item or a cluster: nobody offering it is a gap; the other items
    # (lists, statuses, levels) are only shown
    gap_candidate: bool = True


def _how(value: Any, labels: dict[str, str]) -> list[str]:
    marks = value if isinstance(value, list) else [value]
    return [labels.get(str(mark), str(mark)) for mark in marks if mark is not None]


def summarize(school: SchoolFile, layer: SwvLayer, layer_key: str, status: str,
              reference_date: str, display: str) -> SchoolSummary:
    info = school.school
    summary = SchoolSummary(
        name=info.name, brin=info.brin + info.branch, place=info.place,
        work_area=info.work_area or NO_AREA, board=info.board,
        school_year=school.sop.school_year, status=status, reference_date=reference_date,
        layer_key=layer_key, style="clusters" if layer.clusters else "beschikbaarheid",
        display=display)
    labels = {column.id: column.label for column in layer.legend}
    for catalogue in layer.catalogues:
        answers = school.offer.get(catalogue.id)
        if answers is None:
            continue
        names = {item.id: item.name for item in catalogue.items}
        entries = answers.items if isinstance(answers.items, dict) else dict.fromkeys(
            answers.items, "ja")
        for item_id, value in entries.items():
            if item_id not in names:
                continue
            if catalogue.kind == "beschikbaarheid":
                hows = _how(value, labels)
            elif str(value).strip().lower() in ("nee", "false"):
                hows = []
            else:
                hows = ["ja" if catalogue.kind in ("lijst", "ja-nee") else str(value)]
            summary.offers += [Offer("catalogus", catalogue.title, item_id, names[item_id], how)
                               for how in hows]
        for other in answers.other:
            hows = _how(other.value, labels) if catalogue.kind == "beschikbaarheid" \
                else [str(other.value) if other.value is not None else "ja"]
            summary.others += [Other(catalogue.title, other.name, how) for how in hows]
    clusters = {cluster.id: cluster for cluster in layer.clusters}
    for profile in school.clusters:
        definition = clusters.get(profile.cluster)
        if definition is None:
            continue
        name = definition.short or definition.title
        if definition.open:  # "anders, namelijk": listed apart
            summary.others.append(Other("Clusters", profile.description or name,
                                        "aanpakken" if profile.approaches
                                        else "in ontwikkeling"))
            continue
        if profile.approaches:
            summary.offers.append(Offer("cluster", "Clusters", definition.id, name, "aanpakken"))
        if profile.in_development:
            summary.offers.append(Offer("cluster", "Clusters", definition.id, name,
                                        "in ontwikkeling"))
        if not profile.approaches:
            summary.empty_clusters.append((definition.id, name))
    overrides = {level.level: level for level in school.levels}
    for level in layer.levels:
        override = overrides.get(level.id)
        own = override is not None and (override.description or override.team is not None)
        summary.offers.append(Offer("niveau", "Ondersteuningsniveaus", level.id, level.name,
                                    "eigen invulling" if own else "standaard SWV"))
    return summary


def listing(data: Any, display: str) -> SchoolSummary | None:
    """What the SWV's index can still say of a school file with errors: its name,
    BRIN, place, werkgebied and bestuur where they are readable text (without a
    readable name, the file's name); None when none of them is. It offers nothing (the
    overview counts only schools whose file is valid)."""
    school = data.get("school") if isinstance(data, dict) else None
    if not isinstance(school, dict):
        return None

    def text(mapping: Any, key: str) -> str | None:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        return value.strip() or None if isinstance(value, str) else None

    name = text(school, "naam")
    if name is None:  # a typo in 'naam': still findable by BRIN, werkgebied and bestuur
        if not any(text(school, key) for key in ("brin", "werkgebied", "bestuur")):
            return None
        name = f"{display.rsplit('/', 1)[-1]} (naam niet te lezen)"
    return SchoolSummary(
        name=name,
        brin=(text(school, "brin") or "") + (text(school, "vestiging") or ""),
        place=text(school, "plaats"), work_area=text(school, "werkgebied") or NO_AREA,
        board=text(school, "bestuur"),
        school_year="",  # not from a file with errors: the documents shown are older
        status="in-bewerking", reference_date="", layer_key="", style="", display=display)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    A cell that begins with `=`, `+`, `-`, `@`, a tab or a line break gets a single
    quote in front, as OWASP advises against CSV injection: a school name such as
    `=HYPERLINK(...)` would otherwise be a live formula in Excel or LibreOffice.
    """
    # A lone CR is no line end to the csv module (it ends lines with '\n'), so it would
    # be written unquoted and a reader would start a new row, with a formula, after it.
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


@contextlib.contextmanager
def _utf8_buffer() -> Iterator[tuple[io.BytesIO, io.TextIOWrapper]]:
    """Text written as UTF-8 straight into bytes: no second copy to encode afterwards
    (`BytesIO.getvalue()` hands over its buffer without copying)."""
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield buffer, text
    finally:
        text.detach()


def _write_json_document(stream: IO[str], document: dict[str, Any]) -> None:
    """`json.dumps(document, ensure_ascii=False, indent=2) + "\\n"`, written piece by piece
    (see `_json_pieces`)."""
    for piece in _json_pieces(document):
        stream.write(piece)


def _json_pieces(document: dict[str, Any]) -> Iterator[str]:
    """The text of `json.dumps(document, ensure_ascii=False, indent=2) + "\\n"`, piece by
    piece.

    A top-level value that is an iterator is written as a JSON array, one element at a
    time. Each element is dumped with indent=2 and shifted one level deeper: safe line
    by line, because JSON escapes every line break inside a string.
    """
    def dump(value: Any, depth: int) -> str:
        if isinstance(value, dict) and value and all(
                isinstance(item, str) or item is None for item in value.values()):
            return _dump_flat(value, depth)
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n",
                                                                       "\n" + "  " * depth)

    if not document:
        yield "{}\n"
        return
    yield "{"
    for index, (key, value) in enumerate(document.items()):
        yield ("," if index else "") + "\n  " + dump(key, 1) + ": "
        if not isinstance(value, Iterator):
            yield dump(value, 1)
            continue
        empty = True
        for element in value:
            yield ("[" if empty else ",") + "\n    " + dump(element, 2)
            empty = False
        yield "[]" if empty else "\n  ]"
    yield "\n}\n"


CHUNK = 1 << 16  # bytes handed to the writer at a time


def utf8_chunks(pieces: Iterable[str]) -> Iterator[bytes]:
    """Text pieces as UTF-8 in chunks of about 64 KiB: a file of tens of megabytes is
    written without ever being held whole."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(batch).encode("utf-8")
            batch, size = [], 0
    if batch:
        yield "".join(batch).encode("utf-8")


def _dump_flat(row: dict[str, str | None], depth: int) -> str:
    """`json.dumps(row, ensure_ascii=False, indent=2)` at `depth` for a row of texts
    (and nulls): the same bytes, without the pure-Python indenting encoder, which
    costs seconds over the hundreds of thousands of rows of a large SWV."""
    from json.encoder import encode_basestring

    inner = "\n" + "  " * (depth + 1)
    return ("{" + ",".join(inner + encode_basestring(key) + ": "
                           + ("null" if value is None else encode_basestring(value))
                           for key, value in row.items())
            + "\n" + "  " * depth + "}")


def layer_items(layer: SwvLayer) -> list[Catalogue]:
    """Everything a school of this layer is asked about, in the layer's order: the items
    of its catalogues, its clusters and its levels."""
    items = [Catalogue("catalogus", c.title, i.id, i.name, c.kind == "beschikbaarheid")
             for c in layer.catalogues for i in c.items]
    items += [Catalogue("cluster", "Clusters", c.id, c.short or c.title) for c in layer.clusters
              if not c.open]
    items += [Catalogue("niveau", "Ondersteuningsniveaus", level.id, level.name, False)
              for level in layer.levels]
    return items


@dataclass(slots=True)
class Cell:
    """One item in one werkgebied (or bestuur): how many of its schools are asked about
    it, how many offer it and how, and which (`Coverage.schools`)."""

    asked: int = 0  # schools whose SWV layer asks about the item
    offering: int = 0  # of them, schools that offer it (not only 'in ontwikkeling')
    ways: dict[str, int] = field(default_factory=dict)  # how → schools
    # the schools with an offer, compact: their numbers in the overview, and how (an
    # index into Coverage.hows); 6,000 schools are a few megabytes, not a hundred
    numbers: array[int] = field(default_factory=lambda: array("I"))
    how_codes: array[int] = field(default_factory=lambda: array("I"))

    @property
    def text(self) -> str:
        """'3/4 · 2 op de school · 1 via het bestuur'."""
        ways = " · ".join(f"{count} {how[:1].lower() + how[1:]}"
                          for how, count in ordered_ways(self.ways))
        return f"{self.offering}/{self.asked}" + (f" · {ways}" if ways else "")


def ordered_ways(ways: dict[str, int]) -> list[tuple[str, int]]:
    """The ways of offering in one order in every cell: by name, 'in ontwikkeling' last."""
    return sorted(ways.items(), key=lambda way: (way[0] == "in ontwikkeling", way[0]))


@dataclass(frozen=True, slots=True)
class Coverage:
    """The dekkend aanbod as a table per part (a catalogue, the clusters, the levels):
    an item per row, a werkgebied (or bestuur) per column; a cell is None where no
    school of the column was asked about the item ('niet gevraagd')."""

    columns: list[tuple[str, int]]  # name, number of schools
    sections: list[tuple[str, list[tuple[str, list[Cell | None]]]]]
    names: list[str]  # the schools' names by number (Cell.numbers)
    hows: list[str]  # the ways of offering by code (Cell.how_codes)

    def schools(self, cell: Cell) -> Iterator[tuple[str, str]]:
        """The schools of a cell with how each offers the item: (name, how)."""
        for number, code in zip(cell.numbers, cell.how_codes, strict=True):
            yield self.names[number], self.hows[code]


@dataclass(frozen=True, slots=True)
class Shortfall:
    """An item that no school of a werkgebied offers (a gap), or fewer than the SWV's
    minimum (a thin spot), and where it is offered instead."""

    work_area: str
    group: str
    item: str
    offering: int
    asked: int
    ways: dict[str, int]  # how the few schools offer it
    elsewhere: list[tuple[str, int]]  # other werkgebieden that offer it, most schools first


def _interned(index: dict[Any, int], table: list[Any], value: Any) -> int:
    """`value`'s number in `table`, added at the end the first time."""
    number = index.get(value)
    if number is None:
        number = index[value] = len(table)
        table.append(value)
    return number


@dataclass(frozen=True, slots=True)
class Gap:
    work_area: str
    kind: str
    group: str
    item_id: str
    item: str
    school: str  # empty for a gap of the whole werkgebied
    reason: str


@dataclass(frozen=True, slots=True)
class _Grouped:
    """The schools of an overview per werkgebied, computed once."""

    areas: list[str]  # sorted, "(geen werkgebied)" last
    in_run_order: dict[str, list[SchoolSummary]]
    by_name: dict[str, list[SchoolSummary]]  # sorted by name and BRIN


class Overview:
    """The matrix over all schools of a run, grouped per werkgebied.

    Everything here is linear in the number of schools (n log n for the one sort):
    the schools are grouped per werkgebied and sorted once, and a matrix row holds a
    cell only for the schools that offer its item, so a werkgebied of thousands of
    schools costs no more per school than one of ten.
    """

    def __init__(self) -> None:
        self.schools: list[SchoolSummary] = []
        self._defined: dict[str, list[Catalogue]] = {}  # per SWV id
        self._grouped: _Grouped | None = None
        # The offers of all schools, compact: per school an array of item << 32 | how,
        # indices into one table of items and one of ways. 6,000 schools with 60 offers
        # each take 3 MB here, where Offer objects (their texts repeated per school
        # once they came from a worker process) took over 100 MB.
        self._item_index: dict[tuple[str, str, str, str], int] = {}
        self._items: list[tuple[str, str, str, str]] = []
        self._how_index: dict[str, int] = {}
        self._hows: list[str] = []
        self._offers: list[array[int]] = []
        self._others: list[tuple[Other, ...]] = []
        self._empty: list[tuple[tuple[str, str], ...]] = []
        # school files with errors: not counted, but named, so no gap they cause is
        # taken for a real one
        self.uncounted: list[SchoolSummary] = []

    def add(self, summary: SchoolSummary, layer_catalogue: list[Catalogue]) -> None:
        """Take a school's summary in: its offers, free entries and empty clusters move
        into the overview (the summary keeps its facts; `offers_of` gives them back)."""
        summary.number = len(self.schools)
        self._offers.append(array("Q", (self._code(offer) for offer in summary.offers)))
        self._others.append(tuple(summary.others))
        self._empty.append(tuple(summary.empty_clusters))
        summary.offers, summary.others, summary.empty_clusters = [], [], []
        self.schools.append(summary)
        self._defined.setdefault(summary.layer_key, layer_catalogue)
        self._grouped = None

    def _code(self, offer: Offer) -> int:
        item = _interned(self._item_index, self._items,
                         (offer.kind, offer.group, offer.item_id, offer.item))
        return item << 32 | _interned(self._how_index, self._hows, offer.how)

    def offers_of(self, school: SchoolSummary) -> Iterator[Offer]:
        """The offers of a school that was added, in its own order."""
        for code in self._offers[school.number]:
            kind, group, item_id, item = self._items[code >> 32]
            yield Offer(kind, group, item_id, item, self._hows[code & 0xFFFFFFFF])

    def _groups(self) -> _Grouped:
        if self._grouped is None:
            in_run_order: dict[str, list[SchoolSummary]] = {}
            for school in self.schools:
                in_run_order.setdefault(school.work_area, []).append(school)
            areas = sorted(in_run_order, key=lambda a: (a == NO_AREA, a))
            # sorted() is stable: schools with the same name and BRIN keep their run order
            by_name = {area: sorted(in_run_order[area], key=lambda s: (s.name, s.brin))
                       for area in areas}
            self._grouped = _Grouped(areas, in_run_order, by_name)
        return self._grouped

    def work_areas(self) -> list[str]:
        return list(self._groups().areas)

    def _defined_in(self, schools: list[SchoolSummary]) -> Iterator[Catalogue]:
        """What the layers of these schools define, each layer once, in a stable order."""
        for layer_key in sorted({s.layer_key for s in schools}):
            yield from self._defined[layer_key]

    def coverage(self, by: str = "werkgebied") -> Coverage:
        """The table per part, with a column per werkgebied (or per bestuur, `by`), in
        one order of parts and items for every column: the layers' own order, then what
        schools offer beyond it. Linear in the offers of all schools."""
        def key_of(school: SchoolSummary) -> str:
            return school.work_area if by == "werkgebied" else school.board or "(geen bestuur)"

        ordered = list(self._ordered())
        names = sorted({key_of(s) for s in ordered},
                       key=lambda name: (name in (NO_AREA, "(geen bestuur)"), name))
        column_of = {name: index for index, name in enumerate(names)}
        sizes = [0] * len(names)
        layers_per_column: list[dict[str, int]] = [{} for _ in names]
        for school in ordered:
            column = column_of[key_of(school)]
            sizes[column] += 1
            layers = layers_per_column[column]
            layers[school.layer_key] = layers.get(school.layer_key, 0) + 1
        rows: dict[tuple[str, str, str], list[Cell | None]] = {}
        item_names: dict[tuple[str, str, str], str] = {}
        for layer_key in sorted(self._defined):
            for entry in self._defined[layer_key]:
                key = (entry.group, entry.kind, entry.item_id)
                cells = rows.setdefault(key, [None] * len(names))
                item_names.setdefault(key, entry.item)
                for column, layers in enumerate(layers_per_column):
                    if layer_key in layers:
                        asked = cells[column] or Cell()
                        asked.asked += layers[layer_key]
                        cells[column] = asked
        joined: dict[str, int] = {}  # "aanpakken, in ontwikkeling" → its code
        for school in ordered:
            column = column_of[key_of(school)]
            hows: dict[tuple[str, str, str], list[str]] = {}
            for offer in self.offers_of(school):
                key = (offer.group, offer.kind, offer.item_id)
                hows.setdefault(key, []).append(offer.how)
                item_names.setdefault(key, offer.item)
            for key, found in hows.items():
                cells = rows.setdefault(key, [None] * len(names))
                # offered although its layer did not ask about it: asked all the same
                cell = cells[column] or Cell(asked=1)
                cells[column] = cell
                if any(how != "in ontwikkeling" for how in found):
                    cell.offering += 1
                for how in found:
                    cell.ways[how] = cell.ways.get(how, 0) + 1
                cell.numbers.append(school.number)
                cell.how_codes.append(joined.setdefault(", ".join(found), len(joined)))
        sections: dict[str, list[tuple[str, list[Cell | None]]]] = {}
        for key, cells in rows.items():
            sections.setdefault(key[0], []).append((item_names[key], cells))
        return Coverage(list(zip(names, sizes, strict=True)), list(sections.items()),
                        [school.name for school in self.schools], list(joined))

    def shortfalls(self, minimum: int = 1, coverage: Coverage | None = None
                   ) -> list[Shortfall]:
        """Per werkgebied, the gaps and thin spots among what is a gap candidate: items
        fewer than `minimum` schools offer (none, with the default 1). `coverage`: the
        overview's per werkgebied, if it was made already."""
        coverage = coverage or self.coverage()
        candidates = {(entry.group, entry.item) for entries in self._defined.values()
                      for entry in entries if entry.gap_candidate}
        found: list[Shortfall] = []
        for column, (area, _) in enumerate(coverage.columns):
            for group, rows in coverage.sections:
                for item, cells in rows:
                    cell = cells[column]
                    # a werkgebied with fewer schools than the minimum is judged by
                    # its own number: all of them, not more than it has
                    if cell is None or (group, item) not in candidates \
                            or cell.offering >= max(min(minimum, cell.asked), 1):
                        continue
                    elsewhere = sorted(
                        ((coverage.columns[other][0], other_cell.offering)
                         for other, other_cell in enumerate(cells)
                         if other != column and other_cell is not None
                         and other_cell.offering),
                        key=lambda pair: (-pair[1], pair[0]))
                    found.append(Shortfall(area, group, item, cell.offering, cell.asked,
                                           dict(ordered_ways(cell.ways)), elsewhere))
        return found

    def gaps(self) -> list[Gap]:
        found: list[Gap] = []
        grouped = self._groups()
        for area in grouped.areas:
            schools = grouped.in_run_order[area]
            offered = {(o.kind, o.item_id) for s in schools for o in self.offers_of(s)
                       if o.how != "in ontwikkeling"}
            defined: dict[tuple[str, str], Catalogue] = {}
            for entry in self._defined_in(schools):
                if entry.gap_candidate:
                    defined.setdefault((entry.kind, entry.item_id), entry)
            for (kind, item_id), entry in defined.items():
                if (kind, item_id) not in offered:
                    reason = ("geen school in dit werkgebied heeft aanpakken voor dit cluster"
                              if kind == "cluster" else
                              "geen school in dit werkgebied biedt dit aan")
                    found.append(Gap(area, kind, entry.group, item_id, entry.item, "", reason))
            for school in schools:
                for cluster_id, name in self._empty[school.number]:
                    found.append(Gap(area, "cluster", "Clusters", cluster_id, name, school.name,
                                     "de school noemt dit cluster maar beschrijft geen "
                                     "aanpakken"))
        return found

    # -- writers ------------------------------------------------------------------------

    def offer_rows(self) -> Iterator[dict[str, str]]:
        """One row at a time: thousands of schools give hundreds of thousands of rows."""
        return ({"werkgebied": s.work_area, "soort": o.kind, "groep": o.group,
                 "item_id": o.item_id, "item": o.item, "school": s.name, "brin": s.brin,
                 "hoe": o.how}
                for s in self._ordered() for o in self.offers_of(s))

    def gap_rows(self) -> Iterator[dict[str, str]]:
        return ({"werkgebied": g.work_area, "soort": g.kind, "groep": g.group,
                 "item_id": g.item_id, "item": g.item, "school": g.school, "reden": g.reason}
                for g in self.gaps())

    def other_rows(self) -> Iterator[dict[str, str]]:
        return ({"werkgebied": s.work_area, "groep": o.group, "naam": o.name, "school": s.name,
                 "brin": s.brin, "hoe": o.how} for s in self._ordered()
                for o in self._others[s.number])

    def _ordered(self) -> Iterator[SchoolSummary]:
        """All schools: per werkgebied, then by name and BRIN."""
        grouped = self._groups()
        for area in grouped.areas:
            yield from grouped.by_name[area]

    def to_json(self) -> bytes:
        """The JSON document as UTF-8 (see `json_chunks`)."""
        return b"".join(self.json_chunks())

    def json_chunks(self) -> Iterator[bytes]:
        """The JSON document as UTF-8, row by row: the same bytes as
        `json.dumps(document, ensure_ascii=False, indent=2)`, without holding the
        document (hundreds of thousands of rows for thousands of schools) at once."""
        # field by field: asdict() would deep-copy every offer only to drop it
        schools = ({f.name: getattr(s, f.name) for f in fields(s) if f.name not in _NOT_IN_JSON}
                   for s in self._ordered())
        document: dict[str, Any] = {
            "format_version": 1, "werkgebieden": self.work_areas(), "scholen": schools,
            "aanbod": self.offer_rows(), "hiaten": self.gap_rows(), "anders": self.other_rows()}
        return utf8_chunks(_json_pieces(document))

    @staticmethod
    def _csv(columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> Iterator[bytes]:
        """A CSV table as UTF-8: the header, then a thousand rows at a time."""
        remaining = iter(rows)
        batch: list[list[str]] = [list(columns)]
        while batch:
            with _utf8_buffer() as (buffer, text):
                csv.writer(text, lineterminator="\n").writerows(batch)
                text.flush()
                yield buffer.getvalue()
            batch = [[csv_cell(row[column]) for column in columns]
                     for row in itertools.islice(remaining, 1000)]

    def csv_files(self) -> Iterator[tuple[str, Iterator[bytes]]]:
        """Three tables as UTF-8, one at a time: the offer (one row per school, item and
        way), gaps, free entries."""
        yield "dekkend-aanbod.csv", self._csv(OFFER_COLUMNS, self.offer_rows())
        yield "dekkend-aanbod-hiaten.csv", self._csv(GAP_COLUMNS, self.gap_rows())
        yield "dekkend-aanbod-anders.csv", self._csv(OTHER_COLUMNS, self.other_rows())
