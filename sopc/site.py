"""`sopc site` and `sopc overview`: the SWV's pages over all its schools.

`site` builds every school into DIR/scholen/ and writes DIR/index.html (schools per
werkgebied and bestuur, searchable, with links to every document) and the
dekkend-aanbod overview next to it. `overview` writes only the overview, as HTML,
Markdown, CSV and JSON. Both run on the per-school summaries of `sopc.api.run`, so
memory grows with the overview itself, not with the schools' documents.

Every page is written inside the output folder with symlinks resolved: a `scholen/`
or page name there that is a link to somewhere outside is refused before any work,
as a usage error (`OutputFolderError`, exit code 2). Temporary files that a killed
earlier run left in the output folder are removed first.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sopc.api import FileResult, Progress, Report, RunOptions, run
from sopc.config import ConfigError
from sopc.overview import NO_AREA, Catalogue, Offer, Overview, SchoolSummary

if TYPE_CHECKING:
    from sopc.render import Renderer
    from sopc.write import Content

OVERVIEW_FORMATS = ("html", "md", "csv", "json")
SCHOOLS_FOLDER = "scholen"
INDEX_PAGE = "index.html"
STATUS_TEXT = {"actueel": "actueel", "ouder-dan-een-jaar": "ouder dan een jaar",
               "verouderd": "verouderd (ouder dan vier jaar)",
               "eerder-schooljaar": "verouderd (voor een eerder schooljaar)",
               "in-bewerking": "wordt bijgewerkt"}


@dataclass(slots=True)
class SiteReport:
    report: Report
    written: list[Path] = field(default_factory=list)


class OverviewCollector:
    """Folds each school into the overview as `run` completes it (its `consume`), so a
    run over thousands of schools never holds all their offers at once."""

    def __init__(self) -> None:
        self.overview = Overview()
        self._layers: dict[str, list[Catalogue]] = {}

    def __call__(self, result: FileResult) -> None:
        summary = result.summary
        if summary is None:
            if result.kind in ("school", "onbekend"):  # errors in its file: named, not counted
                self.overview.uncounted.append(result.listing or SchoolSummary(
                    name=result.display, brin="", place=None, work_area=NO_AREA, board=None,
                    school_year="", status="in-bewerking", reference_date="", layer_key="",
                    style="", display=result.display))
            return
        # a worker sends a layer's items with the first of its schools, and in file
        # order the first school of a layer is the first a worker saw of it
        if result.layer_items is not None:
            self._layers.setdefault(summary.layer_key, result.layer_items)
            result.layer_items = None
        # a stale SOP still tells what the school offers
        self.overview.add(summary, self._layers.get(summary.layer_key, []))


def overview_of(report: Report) -> Overview:
    """The overview of a finished run (see OverviewCollector for one during the run)."""
    collector = OverviewCollector()
    for result in report.files:
        collector(result)
    return collector.overview


class OutputFolderError(ConfigError):
    """An output folder that cannot be used safely (a link out of it): like a settings
    file that cannot be used, a usage error (exit code 2), reported before any work."""


def overview_names(formats: Iterable[str]) -> list[str]:
    """The files `write_overview` writes for these formats."""
    names = {"json": ["dekkend-aanbod.json"],
             "csv": ["dekkend-aanbod.csv", "dekkend-aanbod-hiaten.csv",
                     "dekkend-aanbod-anders.csv"],
             "md": ["dekkend-aanbod.md"], "html": ["dekkend-aanbod.html"]}
    return [name for output in OVERVIEW_FORMATS if output in formats for name in names[output]]


def _target(output_dir: Path, name: str) -> Path:
    """Where `name` really lands, symlinks resolved; refused when that is outside."""
    from sopc.write import UnsafeOutputPath, target_in

    try:
        return target_in(output_dir, name)
    except UnsafeOutputPath:
        outside = (output_dir / name).resolve()
        raise OutputFolderError(
            f"{output_dir / name} verwijst naar {outside}, buiten de uitvoermap "
            f"{output_dir}; sopc schrijft alleen in de uitvoermap zelf. Verwijder die "
            "koppeling (symlink) of kies een andere uitvoermap met -o.") from None


def _prepare(output_dir: Path, names: Iterable[str]) -> None:
    """Before any work: every name stays inside the output folder, and temporary files
    of a run that was killed there are cleaned up."""
    from sopc.write import remove_stale_temporaries

    for name in names:
        _target(output_dir, name)
    remove_stale_temporaries(output_dir)


def _write(output_dir: Path, name: str, content: Content) -> Path:
    from sopc.write import write_atomic

    write_atomic(_target(output_dir, name), content)
    return output_dir / name  # as the user named the folder


def _page_chunks(renderer: Renderer, template_name: str, markup: str, **context: Any
                 ) -> Iterator[bytes]:
    """A page as UTF-8 in chunks, as the template produces it: the overview of thousands
    of schools is written without being held whole."""
    from sopc.overview import utf8_chunks

    return utf8_chunks(renderer.page_lines(template_name, markup, **context))


def write_overview(overview: Overview, output_dir: Path, formats: Sequence[str],
                   minimum: int = 1) -> list[Path]:
    """The overview's files, one at a time (each can be tens of megabytes). `minimum`:
    sopc.toml's `minimum_aanbod`, below which an item is a thin spot."""
    from sopc.render import Renderer

    written = []
    if "json" in formats:
        written.append(_write(output_dir, "dekkend-aanbod.json", overview.json_chunks()))
    if "csv" in formats:
        written += [_write(output_dir, name, data) for name, data in overview.csv_files()]
    if "md" not in formats and "html" not in formats:
        return written
    renderer = Renderer()
    school_gaps = [gap for gap in overview.gaps() if gap.school]  # clusters, no approach
    coverage = overview.coverage()
    shortfalls: dict[str, list[Any]] = {}  # per werkgebied, in the overview's order
    for shortfall in overview.shortfalls(minimum, coverage):
        shortfalls.setdefault(shortfall.work_area, []).append(shortfall)
    context = {"overview": overview, "areas": overview.work_areas(),
               "shortfalls": list(shortfalls.items()), "minimum": minimum,
               "school_gaps": school_gaps,
               "missing_count": sum(map(len, shortfalls.values())) + len(school_gaps),
               "views": [("werkgebied", "per werkgebied", coverage),
                         ("bestuur", "per bestuur", overview.coverage("bestuur"))],
               "others": list(overview.other_rows()), "no_area": NO_AREA,
               "uncounted": overview.uncounted,
               "uncounted_in": {area: sum(s.work_area == area for s in overview.uncounted)
                                for area in {s.work_area for s in overview.uncounted}}}
    if "md" in formats:
        written.append(_write(output_dir, "dekkend-aanbod.md",
                              _page_chunks(renderer, "overzicht.md.j2", "md", **context)))
    if "html" in formats:
        written.append(_write(output_dir, "dekkend-aanbod.html",
                              _page_chunks(renderer, "overzicht.html.j2", "html", **context)))
    return written


def overview(paths: Sequence[Path | str], output_dir: Path | str,
             formats: Sequence[str] = OVERVIEW_FORMATS, *, today: datetime.date | None = None,
             config: Path | None = None, jobs: int = 1,
             progress: Progress | None = None) -> SiteReport:
    output = Path(output_dir)
    _prepare(output, overview_names(formats))
    options = RunOptions(today=today, config=config, summaries=True)
    collector = OverviewCollector()
    report = run(paths, options, jobs=jobs, progress=progress, consume=collector)
    written = write_overview(collector.overview, output, formats, _minimum(paths, config))
    return SiteReport(report, written)


def _minimum(paths: Sequence[Path | str], config: Path | None) -> int:
    """`minimum_aanbod` of the settings that apply to the first path."""
    from sopc.config import ConfigFinder

    first = Path(paths[0]) if paths else Path(".")
    return ConfigFinder(config).for_path(first).minimum_offer


@dataclass(frozen=True, slots=True)
class SiteEntry:
    summary: SchoolSummary | None
    display: str
    links: list[tuple[str, str]]  # (label, relative URL)
    errors: int
    earlier: bool = False  # the links lead to what an earlier run published


def link_to(path: Path, output_dir: Path) -> str:
    """The relative URL of `path` from a page in `output_dir`: each path segment
    percent-encoded, so a file name with a space, '#', '?', '%', a quote or a letter
    such as 'é' is still one working link (the HTML attribute is escaped on top)."""
    from urllib.parse import quote

    relative = Path(os.path.relpath(path, output_dir))
    return "/".join(quote(segment, safe="") for segment in relative.parts)


def _entries(results: list[FileResult], output_dir: Path, formats: Sequence[str],
             profiles: Sequence[str]) -> list[SiteEntry]:
    """A school whose file now has errors keeps the documents an earlier run published
    (they are left in place): parents still find its profile."""
    from sopc.theme import output_label, output_name

    entries = []
    for result in results:
        if result.kind == "swv":
            continue
        outputs, earlier = result.outputs, False
        if not outputs and result.failed:
            folder = output_dir / SCHOOLS_FOLDER
            outputs = [folder / name for name in
                       (output_name(result.path.stem, profile, fmt)
                        for profile in profiles for fmt in formats)
                       if (folder / name).is_file()]
            earlier = bool(outputs)
        links = [(output_label(path.name), link_to(path, output_dir)) for path in outputs]
        errors = sum(d.severity.value == "error" for d in result.diagnostics)
        entries.append(SiteEntry(result.summary or result.listing, result.display, links,
                                 errors, earlier))
    return entries


def folded(text: str) -> str:
    """Text as the index's search compares it: without accents, in lower case, spaces
    as one ('Mozaïek' and 'mozaiek' are the same). The page's script folds what a
    visitor types the same way."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.lower().split())  # lower(), as the script's toLowerCase()


@dataclass(frozen=True, slots=True)
class OfferChoice:
    """One thing the index can filter on: an item of a catalogue, a cluster or a level
    (`ways`: how schools offer it, such as 'Op de school')."""

    key: str  # "a12": short, for the page's data attributes
    group: str
    item: str
    ways: tuple[tuple[str, str], ...]  # (key "a12-3", label)


def offer_choices(entries: list[SiteEntry], overview: Overview | None
                  ) -> tuple[list[OfferChoice], dict[int, str]]:
    """The filter's choices over all schools, and per entry (by index) its offer tokens:
    'a12' for every item it offers, 'a12-3' for each way it offers it. What is only in
    development is not offered yet."""
    items: dict[tuple[str, str, str], dict[str, None]] = {}
    for entry in entries:
        for offer in _offers(entry, overview):
            if offer.how != "in ontwikkeling":
                key = (offer.group, offer.item, offer.item_id)
                items.setdefault(key, {})[offer.how] = None
    ordered = sorted(items, key=lambda key: (folded(key[0]), folded(key[1])))
    index = {key: number for number, key in enumerate(ordered)}
    choices = [OfferChoice(f"a{number}", group, item,
                           tuple((f"a{number}-{way}", how)
                                 for way, how in enumerate(sorted(items[(group, item, item_id)]))))
               for number, (group, item, item_id) in enumerate(ordered)]
    tokens: dict[int, str] = {}
    for position, entry in enumerate(entries):
        found: dict[str, None] = {}
        for offer in _offers(entry, overview):
            key = (offer.group, offer.item, offer.item_id)
            if offer.how == "in ontwikkeling" or key not in index:
                continue
            choice = choices[index[key]]
            found[choice.key] = None
            found.update(dict.fromkeys(way for way, how in choice.ways if how == offer.how))
        tokens[position] = " ".join(found)
    return choices, tokens


def _offers(entry: SiteEntry, overview: Overview | None) -> Iterable[Offer]:
    """What a listed school offers: its offers went into the overview (none for a file
    with errors, which is only listed)."""
    summary = entry.summary
    if summary is None:
        return ()
    if overview is not None and summary.number >= 0:
        return overview.offers_of(summary)
    return summary.offers


def index_page(entries: list[SiteEntry], overview: Overview | None = None) -> bytes:
    """index.html as bytes (see `index_chunks`)."""
    return b"".join(index_chunks(entries, overview))


def index_chunks(entries: list[SiteEntry], overview: Overview | None = None
                 ) -> Iterator[bytes]:
    """index.html: the schools per werkgebied and bestuur, and the unreadable files.

    Without JavaScript it is the whole list. The script adds the search (name, BRIN,
    place, werkgebied, bestuur; accents and capitals do not matter), filters on what a
    school offers and on the age of its profile, hides a werkgebied or bestuur whose
    schools are all filtered out, and a compact view."""
    from sopc.render import Renderer

    # A school with a readable file stands in its werkgebied, documents or not; only a
    # file that could not be read at all is listed apart, and is not counted as a school.
    choices, tokens = offer_choices(entries, overview)
    built = [(e, tokens[i]) for i, e in enumerate(entries) if e.summary is not None]
    failed = [e for e in entries if e.summary is None]
    groups: dict[str, dict[str, list[tuple[SiteEntry, str]]]] = {}
    for entry, offered in built:
        assert entry.summary is not None
        board = entry.summary.board or "(geen bestuur)"
        groups.setdefault(entry.summary.work_area, {}).setdefault(board, []).append(
            (entry, offered))
    ordered = [(area, sorted(boards.items())) for area, boards in
               sorted(groups.items(), key=lambda item: (item[0] == NO_AREA, item[0]))]
    statuses = [(status, STATUS_TEXT[status]) for status in STATUS_TEXT
                if any(e.summary.status == status for e, _ in built if e.summary)]
    return _page_chunks(Renderer(), "site.html.j2", "html", groups=ordered, failed=failed,
                        total=len(built), status_text=STATUS_TEXT, choices=choices,
                        statuses=statuses, folded=folded)


def site(paths: Sequence[Path | str], output_dir: Path | str,
         formats: Sequence[str] = ("html", "md"), *, today: datetime.date | None = None,
         config: Path | None = None, jobs: int = 1, profiles: Sequence[str] = ("volledig",),
         template_dirs: Sequence[Path] = (), progress: Progress | None = None) -> SiteReport:
    output = Path(output_dir)
    _prepare(output, [SCHOOLS_FOLDER, INDEX_PAGE, *overview_names(OVERVIEW_FORMATS)])
    options = RunOptions(today=today, config=config, profiles=tuple(profiles),
                         formats=tuple(formats), template_dirs=tuple(template_dirs),
                         summaries=True, publish_overdue=True)
    collector = OverviewCollector()
    report = run(paths, options, output_dir=output / SCHOOLS_FOLDER, jobs=jobs,
                 progress=progress, consume=collector)
    collected = collector.overview
    written = write_overview(collected, output, OVERVIEW_FORMATS, _minimum(paths, config))
    page = index_chunks(_entries(report.files, output, formats, profiles), collected)
    written.append(_write(output, INDEX_PAGE, page))
    return SiteReport(report, written)
