"""`sopc site` and `sopc overview`: the SWV's pages over all its schools.

`site` builds every school into DIR/scholen/ and writes DIR/index.html (schools per
werkgebied and bestuur, searchable, with links to every document) and the
dekkend-aanbod overview next to it. `overview` writes only the overview, as HTML,
Markdown, CSV and JSON. Both run on the per-school summaries of `sopc.api.run`, so
memory grows with the overview itself, not with the schools' documents.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sopc.api import FileResult, Progress, Report, RunOptions, run
from sopc.overview import NO_AREA, Overview, SchoolSummary

OVERVIEW_FORMATS = ("html", "md", "csv", "json")
STATUS_TEXT = {"actueel": "actueel", "ouder-dan-een-jaar": "ouder dan een jaar",
               "verouderd": "verouderd (ouder dan vier jaar)"}


@dataclass(slots=True)
class SiteReport:
    report: Report
    written: list[Path] = field(default_factory=list)


def overview_of(report: Report) -> Overview:
    overview = Overview()
    layers: dict[str, Any] = {}
    for result in report.files:
        if result.layer_items is not None and result.summary is not None:
            layers.setdefault(result.summary.layer_key, result.layer_items)
    for result in report.files:
        if result.summary is not None:  # a stale SOP still tells what the school offers
            overview.add(result.summary, layers.get(result.summary.layer_key, []))
    return overview


def _write(target: Path, content: str) -> Path:
    from sopc.write import write_atomic

    write_atomic(target, content)
    return target


def write_overview(overview: Overview, output_dir: Path, formats: Sequence[str]
                   ) -> list[Path]:
    from sopc.render import Renderer

    written = []
    if "json" in formats:
        written.append(_write(output_dir / "dekkend-aanbod.json", overview.to_json()))
    if "csv" in formats:
        written += [_write(output_dir / name, text) for name, text in overview.to_csv().items()]
    renderer = Renderer()
    context = {"overview": overview, "areas": overview.work_areas(), "gaps": overview.gaps(),
               "others": list(overview.other_rows()), "no_area": NO_AREA}
    if "md" in formats:
        written.append(_write(output_dir / "dekkend-aanbod.md",
                              renderer.render_page("overzicht.md.j2", "md", **context)))
    if "html" in formats:
        written.append(_write(output_dir / "dekkend-aanbod.html",
                              renderer.render_page("overzicht.html.j2", "html", **context)))
    return written


def overview(paths: Sequence[Path | str], output_dir: Path | str,
             formats: Sequence[str] = OVERVIEW_FORMATS, *, today: datetime.date | None = None,
             config: Path | None = None, jobs: int = 1,
             progress: Progress | None = None) -> SiteReport:
    options = RunOptions(today=today, config=config, summaries=True)
    report = run(paths, options, jobs=jobs, progress=progress)
    written = write_overview(overview_of(report), Path(output_dir), formats)
    return SiteReport(report, written)


@dataclass(frozen=True, slots=True)
class SiteEntry:
    summary: SchoolSummary | None
    display: str
    links: list[tuple[str, str]]  # (label, relative URL)
    errors: int


def _entries(results: list[FileResult], output_dir: Path) -> list[SiteEntry]:
    labels = {".html": "HTML", ".md": "Markdown", ".pdf": "PDF"}
    entries = []
    for result in results:
        if result.kind == "swv":
            continue
        links = [(labels.get(path.suffix, path.suffix) if path.stem.count(".") == 0
                  else f"{labels.get(path.suffix, path.suffix)} ({path.stem.split('.')[-1]})",
                  Path(os.path.relpath(path, output_dir)).as_posix())
                 for path in result.outputs]
        errors = sum(d.severity.value == "error" for d in result.diagnostics)
        entries.append(SiteEntry(result.summary, result.display, links, errors))
    return entries


def site(paths: Sequence[Path | str], output_dir: Path | str,
         formats: Sequence[str] = ("html", "md"), *, today: datetime.date | None = None,
         config: Path | None = None, jobs: int = 1, profiles: Sequence[str] = ("volledig",),
         template_dirs: Sequence[Path] = (), progress: Progress | None = None) -> SiteReport:
    from sopc.render import Renderer

    output = Path(output_dir)
    options = RunOptions(today=today, config=config, profiles=tuple(profiles),
                         formats=tuple(formats), template_dirs=tuple(template_dirs),
                         summaries=True)
    report = run(paths, options, output_dir=output / "scholen", jobs=jobs, progress=progress)
    collected = overview_of(report)
    written = write_overview(collected, output, OVERVIEW_FORMATS)
    entries = _entries(report.files, output)
    # A school with a readable file stands in its werkgebied, documents or not; only a
    # file that could not be read at all is listed apart.
    built = [e for e in entries if e.summary is not None]
    failed = [e for e in entries if e.summary is None]
    groups: dict[str, dict[str, list[SiteEntry]]] = {}
    for entry in built:
        assert entry.summary is not None
        board = entry.summary.board or "(geen bestuur)"
        groups.setdefault(entry.summary.work_area, {}).setdefault(board, []).append(entry)
    ordered = [(area, sorted(boards.items())) for area, boards in
               sorted(groups.items(), key=lambda item: (item[0] == NO_AREA, item[0]))]
    page = Renderer().render_page("site.html.j2", "html", groups=ordered, failed=failed,
                                  total=len(entries), status_text=STATUS_TEXT)
    written.append(_write(output / "index.html", page))
    return SiteReport(report, written)
