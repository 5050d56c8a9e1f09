"""The library API the CLI and the tests call: `validate(...)` and `build(...)`.

It runs the pipeline load → validate → resolve → render → write per file and
collects every diagnostic; nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
    document: Document | None = None
    outputs: list[Path] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    files: list[FileResult]
    missing: list[str] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for result in self.files for d in result.diagnostics]


def collect(paths: Iterable[Path]) -> tuple[list[tuple[Path, str]], list[str]]:
    """Files as given, folders walked in sorted order (hidden entries skipped)."""
    found: list[tuple[Path, str]] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if child.is_file() and child.suffix in YAML_SUFFIXES:
                    found.append((child, str(path / relative)))
        elif path.is_file():
            found.append((path, str(path)))
        else:
            missing.append(str(path))
    return found, missing


def check_file(path: Path, display: str, registry: SwvRegistry) -> FileResult:
    loaded: LoadedFile = load_file(path, display)
    model, diagnostics = validate_loaded(loaded)
    if model is None:
        kind = "swv" if loaded.data is not None and loaded.data.get("soort") == "swv" \
            else "school" if loaded.data is not None else "onbekend"
        return FileResult(path, display, kind, diagnostics)
    if isinstance(model, SwvLayer):
        return FileResult(path, display, "swv", registry.adopt(path, display, model))
    assert isinstance(model, SchoolFile)
    resolved = resolve(model, path, loaded.source, display, registry)
    return FileResult(path, display, "school", resolved.diagnostics, resolved.document)


def validate(paths: Sequence[Path | str]) -> Report:
    registry = SwvRegistry()
    files, missing = collect(Path(p) for p in paths)
    results = [check_file(path, display, registry) for path, display in files]
    return Report(results, missing)


def build(paths: Sequence[Path | str], output_dir: Path | str = "build",
          formats: Sequence[str] = ("html", "md"),
          template_dirs: Sequence[Path] = ()) -> Report:
    # Imported here: `sopc validate` never pays for Jinja and Markdown.
    from sopc.render import Renderer
    from sopc.write import UnsafeOutputPath, write_outputs

    registry = SwvRegistry()
    renderer = Renderer(template_dirs)
    output = Path(output_dir)
    files, missing = collect(Path(p) for p in paths)
    results = []
    claimed: dict[str, str] = {}
    for path, display in files:
        result = check_file(path, display, registry)
        results.append(result)
        if result.kind != "school" or result.document is None or any(
                d.severity is Severity.ERROR for d in result.diagnostics):
            continue
        earlier = claimed.get(path.stem)
        if earlier is not None:
            result.diagnostics.append(Diagnostic(
                display, Span.start_of_file(), "dubbele-uitvoer",
                f"'{path.stem}' wordt al gebouwd uit {earlier}; geef een van de twee "
                "bestanden een andere naam"))
            continue
        claimed[path.stem] = display
        try:
            contents = {f"{path.stem}.{fmt}": renderer.render(result.document, fmt)
                        for fmt in formats}
        except Exception as error:  # template errors: reported, nothing written
            result.diagnostics.append(template_diagnostic(error, display))
            continue
        try:
            result.outputs = write_outputs(output, contents)
        except (OSError, UnsafeOutputPath) as error:
            result.diagnostics.append(Diagnostic(
                display, Span.start_of_file(), "schrijffout",
                f"kan de uitvoer niet schrijven: {error}"))
    return Report(results, missing)


def template_diagnostic(error: Exception, display: str) -> Diagnostic:
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError):
        line = error.lineno or 1
        return Diagnostic(error.filename or error.name or display, Span(line, 1, line, 1),
                          "template-fout", f"fout in template: {error.message}")
    if isinstance(error, jinja2.TemplateError):
        return Diagnostic(display, Span.start_of_file(), "template-fout",
                          f"fout in template: {error}")
    raise error
