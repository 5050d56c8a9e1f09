"""The library API the CLI and the tests call: `validate(...)` and `build(...)`.

It runs the pipeline load → validate → resolve → render → write per file and
collects every diagnostic; nothing here prints or exits.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sopc.checks import Claims, age_status, duplicate_school, reference_date, school_checks
from sopc.config import Config, ConfigFinder
from sopc.diagnostics import Diagnostic, Severity, Span
from sopc.loader import LoadedFile, load_file
from sopc.models import SchoolFile, SwvLayer
from sopc.overview import Catalogue, SchoolSummary, layer_items, summarize
from sopc.resolve import Document, SwvRegistry, resolve
from sopc.validation import validate_loaded

if TYPE_CHECKING:
    from sopc.render import Renderer

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class FileResult:
    path: Path
    display: str
    kind: str  # "school", "swv" or "onbekend"
    diagnostics: list[Diagnostic]
    documents: dict[str, Document] = field(default_factory=dict)  # per profile, if kept
    outputs: list[Path] = field(default_factory=list)
    school_key: tuple[str, Span] | None = None  # BRIN + vestiging, and where it stands
    summary: SchoolSummary | None = None  # for `sopc site` and `sopc overview`
    layer_items: list[Catalogue] | None = None  # what its SWV layer defines (sent once)

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass(slots=True)
class Report:
    files: list[FileResult]
    missing: list[str] = field(default_factory=list)
    skipped: int = 0  # files left out by `bestanden`/`negeer` in sopc.toml

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for result in self.files for d in result.diagnostics]


@dataclass(slots=True)
class Selection:
    files: list[tuple[Path, str, Config]]
    missing: list[str]
    skipped: int


def collect(paths: Iterable[Path], finder: ConfigFinder | None = None) -> Selection:
    """Files as given, folders walked in sorted order (hidden entries skipped), each with
    the settings that apply to it; sopc.toml's `bestanden`/`negeer` select among them."""
    finder = finder or ConfigFinder()
    selection = Selection([], [], 0)
    for path in paths:
        # A folder's own settings may leave out a subtree, even one with its own sopc.toml
        # (examples/ does so for the sample repository inside it).
        outer = finder.for_path(path) if path.is_dir() else None
        if path.is_dir():
            candidates = []
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if child.suffix in YAML_SUFFIXES and child.is_file():
                    candidates.append((child, str(path / relative)))
        elif path.is_file():
            candidates = [(path, str(path))]
        else:
            selection.missing.append(str(path))
            continue
        for child, display in candidates:
            config = finder.for_path(child)
            if config.includes(child) and (outer is None or outer.includes(child)):
                selection.files.append((child, display, config))
            else:
                selection.skipped += 1
    return selection


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Everything a worker needs to check (and render) a file; picklable for -j."""

    today: datetime.date | None = None
    config: Path | None = None
    profiles: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    template_dirs: tuple[Path, ...] = ()
    summaries: bool = False
    keep_documents: bool = False


class Worker:
    """Stages 1–4 for one file at a time: load, validate, resolve and check, render.

    One per process; cross-file checks and writing stay with the caller, which sees
    every result in file order, so `-j N` gives exactly the output of `-j 1`.
    """

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        finder = ConfigFinder(options.config)
        self.registry = SwvRegistry(lambda path: finder.for_path(path).root)
        self._renderer: Renderer | None = None
        self._layers_sent: set[str] = set()

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:
            # Imported here: `sopc validate` never pays for Jinja and Markdown.
            from sopc.render import Renderer

            self._renderer = Renderer(self.options.template_dirs)
        return self._renderer

    def process(self, item: tuple[Path, str, Config]) -> tuple[FileResult, dict[str, str | bytes]]:
        path, display, config = item
        result = self.check(path, display, config)
        result.diagnostics = apply_severities(result.diagnostics, config)
        contents: dict[str, str | bytes] = {}
        if result.documents and not result.failed and self.options.formats:
            try:
                contents = {output_name(path.stem, profile, fmt): self.renderer.render(doc, fmt)
                            for profile, doc in result.documents.items()
                            for fmt in self.options.formats}
            except Exception as error:  # template errors: reported, nothing written
                result.diagnostics.append(template_diagnostic(error, display))
                contents = {}
        if result.failed or not self.options.keep_documents:
            result.documents = {}
        return result, contents

    def check(self, path: Path, display: str, config: Config) -> FileResult:
        loaded: LoadedFile = load_file(path, display)
        model, diagnostics = validate_loaded(loaded)
        if model is None:
            kind = "swv" if loaded.data is not None and loaded.data.get("soort") == "swv" \
                else "school" if loaded.data is not None else "onbekend"
            return FileResult(path, display, kind, diagnostics)
        if isinstance(model, SwvLayer):
            return FileResult(path, display, "swv", self.registry.adopt(path, loaded, model))
        assert isinstance(model, SchoolFile)
        options = self.options
        profiles = options.profiles if options.formats or options.keep_documents else ()
        resolved = resolve(model, path, loaded.source, display, self.registry,
                           config.default_swv(), profiles)
        result = FileResult(path, display, "school", list(resolved.diagnostics),
                            resolved.documents)
        result.school_key = (model.school.brin + model.school.branch,
                             loaded.source.value_span(("school", "brin")))
        if resolved.layer is not None:
            today = options.today or config.today or datetime.date.today()
            result.diagnostics += school_checks(model, resolved.layer, loaded.source, display,
                                                today)
            if options.summaries:
                day, _, _ = reference_date(model)
                key = str(resolved.swv_file.resolve()) if resolved.swv_file \
                    else f"preset:{model.swv or config.default_swv()}"
                result.summary = summarize(model, resolved.layer, key,
                                           age_status(day, today), day.isoformat(), display)
                if key not in self._layers_sent:
                    self._layers_sent.add(key)
                    result.layer_items = layer_items(resolved.layer)
        return result


def apply_severities(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    """Every diagnostic gets the severity of its code here (sopc.toml may change it)."""
    shown = []
    for diagnostic in diagnostics:
        severity = config.severity(diagnostic.code)
        if severity is None:
            continue
        if severity is not diagnostic.severity:
            diagnostic = replace(diagnostic, severity=severity)
        shown.append(diagnostic)
    return shown


def _paths(paths: Sequence[Path | str]) -> list[Path]:
    return [Path(p) for p in paths] or [Path(".")]


Progress = Callable[[int, int], None]


def run(paths: Sequence[Path | str], options: RunOptions, *, output_dir: Path | None = None,
        jobs: int = 1, progress: Progress | None = None) -> Report:
    """Check (and with `options.formats`, build) every file; results in file order.

    Cross-file checks happen here, in order: a second file with the same BRIN +
    vestiging (`dubbele-school`) or the same output name (`dubbele-uitvoer`) is
    reported and not written; the first one is.
    """
    from sopc.runner import ordered_map

    selection = collect(_paths(paths), ConfigFinder(options.config))
    schools = Claims()
    names = Claims()
    results = []
    total = len(selection.files)
    for done, ((path, display, config), (result, contents)) in enumerate(
            zip(selection.files, ordered_map(options, selection.files, jobs), strict=True),
            start=1):
        results.append(result)
        if result.school_key is not None and config.severity("dubbele-school") is not None:
            code, span = result.school_key
            duplicate = duplicate_school(schools, code, span, display)
            if duplicate is not None:
                result.diagnostics += apply_severities([duplicate], config)
        if contents and output_dir is not None and not result.failed:
            owner = names.claim(path.stem, display, Span.start_of_file())
            if owner is not None:
                result.diagnostics.append(Diagnostic(
                    display, Span.start_of_file(), "dubbele-uitvoer",
                    f"'{path.stem}' wordt al gebouwd uit {owner[0]}; geef een van de twee "
                    "bestanden een andere naam"))
            else:
                write(result, output_dir, contents)
        if result.failed:
            result.documents = {}
        if progress is not None:
            progress(done, total)
    return Report(results, selection.missing, selection.skipped)


def write(result: FileResult, output_dir: Path, contents: dict[str, str | bytes]) -> None:
    from sopc.write import UnsafeOutputPath, write_outputs

    try:
        result.outputs = write_outputs(output_dir, contents)
    except (OSError, UnsafeOutputPath) as error:
        result.diagnostics.append(Diagnostic(
            result.display, Span.start_of_file(), "schrijffout",
            f"kan de uitvoer niet schrijven: {error}"))


def validate(paths: Sequence[Path | str], *, today: datetime.date | None = None,
             config: Path | None = None, jobs: int = 1) -> Report:
    """Check files and folders (none given: the working folder).

    `today` is the reference date for age checks; without it, sopc.toml's `peildatum`,
    else the system date. `config` forces one settings file instead of the search.
    """
    return run(paths, RunOptions(today=today, config=config), jobs=jobs)


def output_name(stem: str, profile: str, output_format: str) -> str:
    """`x.html` for the full SOP, `x.ouders.html` for a profile."""
    return f"{stem}.{output_format}" if profile == "volledig" else \
        f"{stem}.{profile}.{output_format}"


def build(paths: Sequence[Path | str], output_dir: Path | str = "build",
          formats: Sequence[str] = ("html", "md"),
          template_dirs: Sequence[Path] = (), *, today: datetime.date | None = None,
          config: Path | None = None, profiles: Sequence[str] = ("volledig",),
          jobs: int = 1, keep_documents: bool = False, summaries: bool = False,
          progress: Progress | None = None) -> Report:
    """Check and build every school; a school with errors writes nothing."""
    options = RunOptions(today=today, config=config, profiles=tuple(profiles),
                         formats=tuple(formats), template_dirs=tuple(template_dirs),
                         summaries=summaries, keep_documents=keep_documents)
    return run(paths, options, output_dir=Path(output_dir), jobs=jobs, progress=progress)


def template_diagnostic(error: Exception, display: str) -> Diagnostic:
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError):
        line = error.lineno or 1
        return Diagnostic(error.filename or error.name or display, Span(line, 1, line, 1),
                          "template-fout", f"fout in template: {error.message}")
    from jinja2.exceptions import SecurityError

    if isinstance(error, SecurityError):
        return Diagnostic(display, Span.start_of_file(), "template-fout",
                          f"de template doet iets wat niet mag (sandbox): {error}")
    if isinstance(error, jinja2.TemplateError):
        return Diagnostic(display, Span.start_of_file(), "template-fout",
                          f"fout in template: {error}")
    raise error
