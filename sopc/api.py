"""The library API the CLI and the tests call: `validate(...)` and `build(...)`.

It runs the pipeline load → validate → resolve → render → write per file and
collects every diagnostic; nothing here prints or exits.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sopc.checks import Claims, duplicate_school, school_checks
from sopc.config import Config, ConfigFinder
from sopc.diagnostics import Diagnostic, Severity, Span
from sopc.loader import LoadedFile, load_file
from sopc.models import SchoolFile, SwvLayer
from sopc.resolve import Document, SwvRegistry, resolve
from sopc.validation import validate_loaded

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class FileResult:
    path: Path
    display: str
    kind: str  # "school", "swv" or "onbekend"
    diagnostics: list[Diagnostic]
    documents: dict[str, Document] = field(default_factory=dict)  # per profile
    outputs: list[Path] = field(default_factory=list)

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


class Checker:
    """Runs stages 1–3 and the content checks over the files of one run, in order."""

    def __init__(self, today: datetime.date | None, finder: ConfigFinder,
                 profiles: Sequence[str] = ()) -> None:
        self.today = today
        self.profiles = profiles
        self.registry = SwvRegistry(lambda path: finder.for_path(path).root)
        self.schools = Claims()

    def check(self, path: Path, display: str, config: Config) -> FileResult:
        result = self._check(path, display, config)
        result.diagnostics = apply_severities(result.diagnostics, config)
        if result.failed:
            result.documents = {}
        return result

    def _check(self, path: Path, display: str, config: Config) -> FileResult:
        loaded: LoadedFile = load_file(path, display)
        model, diagnostics = validate_loaded(loaded)
        if model is None:
            kind = "swv" if loaded.data is not None and loaded.data.get("soort") == "swv" \
                else "school" if loaded.data is not None else "onbekend"
            return FileResult(path, display, kind, diagnostics)
        if isinstance(model, SwvLayer):
            return FileResult(path, display, "swv", self.registry.adopt(path, loaded, model))
        assert isinstance(model, SchoolFile)
        resolved = resolve(model, path, loaded.source, display, self.registry,
                           config.default_swv(), self.profiles)
        found = list(resolved.diagnostics)
        if resolved.layer is not None:
            today = self.today or config.today or datetime.date.today()
            found += school_checks(model, resolved.layer, loaded.source, display, today)
        if config.severity("dubbele-school") is not None:
            duplicate = duplicate_school(self.schools, model, loaded.source, display)
            if duplicate is not None:
                found.append(duplicate)
        return FileResult(path, display, "school", found, resolved.documents)


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


def validate(paths: Sequence[Path | str], *, today: datetime.date | None = None,
             config: Path | None = None) -> Report:
    """Check files and folders (none given: the working folder).

    `today` is the reference date for age checks; without it, sopc.toml's `peildatum`,
    else the system date. `config` forces one settings file instead of the search.
    """
    finder = ConfigFinder(config)
    selection = collect(_paths(paths), finder)
    checker = Checker(today, finder)
    results = [checker.check(path, display, cfg) for path, display, cfg in selection.files]
    return Report(results, selection.missing, selection.skipped)


def output_name(stem: str, profile: str, output_format: str) -> str:
    """`x.html` for the full SOP, `x.ouders.html` for a profile."""
    return f"{stem}.{output_format}" if profile == "volledig" else \
        f"{stem}.{profile}.{output_format}"


def build(paths: Sequence[Path | str], output_dir: Path | str = "build",
          formats: Sequence[str] = ("html", "md"),
          template_dirs: Sequence[Path] = (), *, today: datetime.date | None = None,
          config: Path | None = None, profiles: Sequence[str] = ("volledig",)) -> Report:
    """Check and build every school; a school with errors writes nothing."""
    # Imported here: `sopc validate` never pays for Jinja and Markdown.
    from sopc.render import Renderer
    from sopc.write import UnsafeOutputPath, write_outputs

    renderer = Renderer(template_dirs)
    output = Path(output_dir)
    finder = ConfigFinder(config)
    selection = collect(_paths(paths), finder)
    checker = Checker(today, finder, profiles)
    outputs = Claims()
    results = []
    for path, display, cfg in selection.files:
        result = checker.check(path, display, cfg)
        results.append(result)
        if result.kind != "school" or not result.documents:
            continue
        owner = outputs.claim(path.stem, display, Span.start_of_file())
        if owner is not None:
            result.diagnostics.append(Diagnostic(
                display, Span.start_of_file(), "dubbele-uitvoer",
                f"'{path.stem}' wordt al gebouwd uit {owner[0]}; geef een van de twee "
                "bestanden een andere naam"))
            continue
        try:
            contents = {output_name(path.stem, profile, fmt): renderer.render(document, fmt)
                        for profile, document in result.documents.items() for fmt in formats}
        except Exception as error:  # template errors: reported, nothing written
            result.diagnostics.append(template_diagnostic(error, display))
            continue
        try:
            result.outputs = write_outputs(output, contents)
        except (OSError, UnsafeOutputPath) as error:
            result.diagnostics.append(Diagnostic(
                display, Span.start_of_file(), "schrijffout",
                f"kan de uitvoer niet schrijven: {error}"))
    return Report(results, selection.missing, selection.skipped)


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
