"""The library API the CLI and the tests call: `validate(...)` and `build(...)`.

It runs the pipeline load → validate → resolve → render → write per file and
collects every diagnostic; nothing here prints or exits. The stages are imported
when a file needs them, so a build that finds every school unchanged (see
sopc.incremental) never loads Pydantic, Jinja or Markdown.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sopc.config import Config, ConfigFinder
from sopc.crossfile import Claims, duplicate_school
from sopc.diagnostics import Diagnostic, Severity, Span

if TYPE_CHECKING:
    from sopc.incremental import BuildCache
    from sopc.loader import LoadedFile, SourceMap
    from sopc.models import SchoolFile
    from sopc.overview import Catalogue, SchoolSummary
    from sopc.render import Renderer
    from sopc.view import Document
    from sopc.write import Flusher

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
    inputs: list[Path] = field(default_factory=list)  # files its documents depend on
    unchanged: bool = False  # its documents of the last build still hold (not rewritten)
    # `sopc site`: the banner of a document past its date, which is published all the same
    overdue_notice: str | None = None
    # `sopc site`: a school file with errors, as far as it could be read (for the index)
    listing: SchoolSummary | None = None
    # its documents, written by a worker as temporaries in the output folder and not yet
    # renamed (see `run`): output file name → (temporary, target)
    staged: dict[str, tuple[Path, Path]] = field(default_factory=dict)
    # for the build manifest, taken by the worker: the digest of the school's file as it
    # was read, and each staged document's stamp (sopc.incremental)
    source_digest: str | None = None
    stamps: dict[str, list[int] | None] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def publishable(self) -> bool:
        """Its documents may be written: no errors, or (on the SWV's site) only the
        errors of a document past its date, which parents keep seeing, with a banner,
        until the school renews it."""
        if not self.failed:
            return True
        if self.overdue_notice is None:
            return False
        from sopc.checks import OVERDUE_CODES  # (not before: a cached build needs no checks)

        return all(d.code in OVERDUE_CODES for d in self.diagnostics
                   if d.severity is Severity.ERROR)


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
    # files selected but not to be read (outside the repository, a FIFO, ...): by index
    refused: dict[int, Diagnostic] = field(default_factory=dict)
    # problems that belong to no selected file (an unreadable folder, a settings file)
    notices: list[FileResult] = field(default_factory=list)
    # the order to report the files in, when they are checked in another (by index)
    order: list[int] | None = None
    # files checked only for what they break: their errors are reported, not the rest
    errors_only: set[int] = field(default_factory=set)


def _walk(folder: Path, problems: list[OSError]) -> list[Path]:
    """YAML files under `folder` in sorted order; hidden entries and symlinked folders
    are not entered, a folder that cannot be read is reported, not fatal."""
    found = []
    for current, folders, names in os.walk(folder, onerror=problems.append):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found += [Path(current, name) for name in names
                  if not name.startswith(".") and name.endswith(YAML_SUFFIXES)]
    return sorted(found)


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    try:
        return os.path.lexists(path)
    except ValueError:
        return False


def collect(paths: Iterable[Path], finder: ConfigFinder | None = None) -> Selection:
    """Files as given, folders walked in sorted order (hidden entries skipped), each with
    the settings that apply to it; sopc.toml's `bestanden`/`negeer` select among them.

    Every selected file is checked before anything reads it (sopc.inputs): it must
    resolve to a regular file inside its repository, else it is refused with a
    diagnostic. A `bestanden` pattern that selects nothing in a walked repository is
    a warning on the settings file."""
    from sopc.diagnostics import dutch_os_error
    from sopc.inputs import InputRefused, check_input, repository_root

    finder = finder or ConfigFinder()
    selection = Selection([], [], 0)
    problems: list[OSError] = []
    walked: dict[Path, tuple[Config, list[Path]]] = {}
    roots: dict[tuple[Path, Path | None, Path | None], tuple[Path, Path | None]] = {}
    folders: dict[Path, Path | None] = {}  # a file's folder as named → resolved
    for path in paths:
        folder = _is_folder(path)
        # A folder's own settings may leave out a subtree, even one with its own sopc.toml
        # (examples/ does so for the sample repository inside it).
        outer = finder.for_path(path) if folder else None
        walked_root = path.resolve() if folder else None
        if folder:
            candidates = [(child, str(child)) for child in _walk(path, problems)]
        elif _exists(path):
            candidates = [(path, str(path))]
        else:
            selection.missing.append(str(path))
            continue
        for child, display in candidates:
            try:
                config = finder.for_path(child)
            except OSError as error:
                problems.append(error)
                continue
            # a pattern can only be judged when its whole repository was walked
            if walked_root is not None and config.root is not None \
                    and walked_root in (config.root, *config.root.parents):
                walked.setdefault(config.root, (config, []))[1].append(child)
            if not (config.includes(child) and (outer is None or outer.includes(child))):
                selection.skipped += 1
                continue
            # one look for .git per folder, not per file (a folder of 6,000 schools)
            key = (child.parent, config.root, path if folder else None)
            if key not in roots:
                root = repository_root(child, config.root, key[2])
                roots[key] = (root, _resolved(root))
            root, resolved_root = roots[key]
            if child.parent not in folders:
                folders[child.parent] = _resolved(child.parent)
            try:
                check_input(child, root, resolved_root, folders[child.parent])
            except InputRefused as refused:
                selection.refused[len(selection.files)] = Diagnostic(
                    display, Span.start_of_file(), refused.code, str(refused))
            selection.files.append((child, display, config))
    for problem in problems:
        where = os.fsdecode(problem.filename) if problem.filename is not None else "?"
        selection.notices.append(FileResult(Path(where), where, "onbekend", [Diagnostic(
            where, Span.start_of_file(), "bestand-onleesbaar",
            f"kan deze map of dit bestand niet lezen: {dutch_os_error(problem)}")]))
    for config, seen in walked.values():
        if seen and (unmatched := config.unmatched_patterns(seen)):
            selection.notices.append(_unmatched_notice(config, unmatched))
    return selection


def _resolved(folder: Path) -> Path | None:
    try:
        return folder.resolve()
    except (OSError, RuntimeError):
        return None


def repository_selection(changed: list[Path], finder: ConfigFinder) -> Selection:
    """Every file of the repositories the `changed` files lie in, the changed ones last.

    A pre-commit hook is given only the staged files, but a new school can repeat the
    BRIN of an old one and a changed SWV layer can break a school that did not change:
    both show only when the whole repository is checked. The repository is the folder
    of the sopc.toml that applies, else the git work tree, else the working folder. In
    a git work tree only the files git tracks (and the named ones) are checked, which
    is what the commit will hold: a draft that was never added does not block it.

    Changed files are checked after the others, so a duplicate BRIN + vestiging is
    reported on the changed file, with the unchanged one as related position; the
    report keeps the usual sorted order. Of a file that did not change only errors are
    reported: its warnings are not what this commit is about, its errors would fail CI.
    """
    from sopc.inputs import git_work_tree

    named = [path for path in changed if _exists(path)]
    roots: dict[Path, Path | None] = {}  # repository folder → its git work tree
    for path in named or [Path(".")]:
        config = finder.for_path(path)
        work_tree = git_work_tree(path if _is_folder(path) else path.parent)
        root = config.root or work_tree or Path.cwd()
        roots.setdefault(root.resolve(), work_tree)
    selection = collect(sorted(roots), finder)
    selection.missing = [str(path) for path in changed if not _exists(path)]
    tracked = _tracked_files({tree for tree in roots.values() if tree is not None})
    wanted = {path.resolve() for path in named if not _is_folder(path)}
    resolved = [path.resolve() for path, _, _ in selection.files]
    kept = [index for index, path in enumerate(resolved)
            if tracked is None or path in tracked or path in wanted]
    checked = sorted(kept, key=lambda index: resolved[index] in wanted)  # stable: changed last
    position = {index: new for new, index in enumerate(checked)}
    selection.refused = {position[index]: replace(diagnostic, file=_near(Path(diagnostic.file)))
                         for index, diagnostic in selection.refused.items() if index in position}
    selection.files = [(path, _near(path), config)
                       for path, _, config in (selection.files[index] for index in checked)]
    selection.order = sorted(range(len(checked)), key=lambda new: checked[new])
    if wanted:
        selection.errors_only = {new for new, index in enumerate(checked)
                                 if resolved[index] not in wanted}
    return selection


def _near(path: Path) -> str:
    """A path as seen from the working folder (`scholen/x.yaml`, `../swv/y.yaml`)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _tracked_files(work_trees: set[Path]) -> set[Path] | None:
    """The files git tracks in these work trees (resolved); None when git cannot say."""
    import subprocess

    if not work_trees:
        return None
    tracked: set[Path] = set()
    for work_tree in work_trees:
        try:
            listed = subprocess.run(["git", "ls-files", "-z", "--cached"], cwd=work_tree,
                                    capture_output=True, check=True, timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        tracked.update((work_tree / os.fsdecode(name)).resolve()
                       for name in listed.split(b"\0") if name)
    return tracked


def _unmatched_notice(config: Config, patterns: list[str]) -> FileResult:
    """A warning on sopc.toml for each `bestanden` pattern that selects no file."""
    from sopc.inputs import display_path

    assert config.source is not None
    display = display_path(config.source)
    try:
        lines = config.source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    diagnostics = []
    for pattern in patterns:
        quoted = (f'"{pattern}"', f"'{pattern}'")
        line = next((number for number, text in enumerate(lines, start=1)
                     if any(q in text for q in quoted)), 1)
        column = next((lines[line - 1].find(q) + 1 for q in quoted
                       if lines and q in lines[line - 1]), 1)
        diagnostics.append(Diagnostic(
            display, Span(line, column, line, column + len(pattern) + 2),
            "patroon-vindt-niets",
            f"het patroon '{pattern}' in 'bestanden' vindt geen enkel bestand",
            hint="controleer de mapnaam of haal het patroon weg"))
    return FileResult(config.source, display, "instellingen",
                      apply_severities(diagnostics, config))


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
    duo: Path | None = None  # --duo: DUO's list of locations, instead of sopc.toml's
    # `sopc site`: a document past its date is built all the same, with a banner
    publish_overdue: bool = False
    # set by `run`: the output folder, where a worker writes a school's documents as
    # temporaries (the main process renames them once the school passed the checks
    # across files): no document text travels between processes
    staging: Path | None = None
    # set by `run` when it keeps a build manifest (sopc.incremental): workers then digest
    # what they read and stamp what they stage
    manifest: bool = False


class Worker:
    """Stages 1–4 for one file at a time: load, validate, resolve and check, render.

    One per process; cross-file checks and writing stay with the caller, which sees
    every result in file order, so `-j N` gives exactly the output of `-j 1`.
    """

    def __init__(self, options: RunOptions) -> None:
        from sopc.layers import SwvRegistry

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
        if not result.inputs:
            result.inputs = [path, *([config.source] if config.source else [])]
        result.diagnostics = apply_severities(result.diagnostics, config)
        contents: dict[str, str | bytes] = {}
        if result.documents and result.publishable and self.options.formats:
            from sopc.theme import output_name

            for document in result.documents.values():
                document.notice = result.overdue_notice
            try:
                contents = {output_name(path.stem, profile, fmt):
                            self.renderer.render(doc, fmt, encoded=True)
                            for profile, doc in result.documents.items()
                            for fmt in self.options.formats}
            except Exception as error:  # template errors: reported, nothing written
                result.diagnostics.append(template_diagnostic(error, display))
                contents = {}
            if contents and self.options.staging is not None:
                result.staged = _stage(result, self.options, contents)
                contents = {}
        if not result.publishable or not self.options.keep_documents:
            result.documents = {}
        return result, contents

    def check(self, path: Path, display: str, config: Config) -> FileResult:
        from sopc.loader import load_file_read, with_excerpts

        loaded, raw = load_file_read(path, display)
        result = self._check_loaded(path, display, config, loaded)
        if raw is not None and self.options.manifest:
            from sopc.incremental import digest_bytes

            result.source_digest = digest_bytes(raw)
        # The source lines under the diagnostics travel with them: the text output
        # never reads the file again.
        result.diagnostics = with_excerpts(result.diagnostics, loaded)
        return result

    def _check_loaded(self, path: Path, display: str, config: Config, loaded: LoadedFile
                      ) -> FileResult:
        from sopc.checks import chapter_status, reference_date, school_checks
        from sopc.models import SchoolFile, SwvLayer, SwvName
        from sopc.placeholders import contains_placeholder
        from sopc.regime import RegimeSetting
        from sopc.resolve import resolve
        from sopc.validation import validate_loaded

        model, diagnostics = validate_loaded(loaded)
        if model is None:
            kind = "swv" if loaded.data is not None and loaded.data.get("soort") == "swv" \
                else "school" if loaded.data is not None else "onbekend"
            failed = FileResult(path, display, kind, diagnostics)
            if self.options.summaries and kind == "school":
                from sopc.overview import listing

                failed.listing = listing(loaded.data, display)
            return failed
        if isinstance(model, SwvLayer):  # the loader's warnings come with the layer's
            return FileResult(path, display, "swv", self.registry.adopt(path, loaded, model))
        assert isinstance(model, SchoolFile)
        options = self.options
        profiles = options.profiles if options.formats or options.keep_documents else ()
        concept = contains_placeholder(loaded.data)  # values `sopc new` wrote are left
        resolved = resolve(model, path, loaded.source, display, self.registry,
                           config.default_swv(), profiles, concept,
                           RegimeSetting(config.regime, config.schoolgids_from))
        result = FileResult(path, display, "school", [*diagnostics, *resolved.diagnostics],
                            resolved.documents)
        result.school_key = (model.school.brin + model.school.branch,
                             loaded.source.value_span(("school", "brin")))
        result.inputs = [path, *([resolved.swv_file] if resolved.swv_file else []),
                         *([config.source] if config.source else [])]
        if resolved.layer is not None and (logo := self.registry.logo_file(resolved.layer)):
            result.inputs.append(logo)
        if resolved.layer is not None and resolved.regime is not None:
            today = options.today or config.today or datetime.date.today()
            result.diagnostics += school_checks(model, resolved.layer, loaded.source, display,
                                                today, resolved.regime,
                                                loaded if concept else None)
            result.diagnostics += self._duo_checks(model, loaded.source, display, config,
                                                   result)
            if options.publish_overdue:
                from sopc.checks import overdue_notice

                result.overdue_notice = overdue_notice(model, resolved.regime, today)
            if options.summaries:  # site and overview only (csv, json: not for a build)
                from sopc.overview import layer_items, summarize

                day, _, _ = reference_date(model)
                key = str(resolved.swv_file.resolve()) if resolved.swv_file \
                    else f"eigen:{resolved.layer.swv.name}" if isinstance(model.swv, SwvName) \
                    else f"preset:{model.swv or config.default_swv()}"
                result.summary = summarize(model, resolved.layer, key,
                                           chapter_status(model, resolved.regime, today),
                                           day.isoformat(), display)
                if key not in self._layers_sent:
                    self._layers_sent.add(key)
                    result.layer_items = layer_items(resolved.layer)
        return result

    def _duo_checks(self, model: SchoolFile, source: SourceMap, display: str, config: Config,
                    result: FileResult) -> list[Diagnostic]:
        """The school against DUO's list (sopc.duo): read only now, when a school needs
        it; a downloaded list becomes an input of the school's documents."""
        from sopc.checks import covered_by_duo_list, duo_checks

        chosen = config.duo_list(self.options.duo)
        if chosen is False or not covered_by_duo_list(model) \
                or all(config.severity(code) is None
                       for code in ("onbekende-vestiging", "andere-naam-bij-duo")):
            return []
        from sopc import duo

        if isinstance(chosen, str):
            result.inputs.append(Path(chosen))
        return duo_checks(model, source, display,
                          duo.load(chosen if isinstance(chosen, str) else None))


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
        jobs: int = 1, progress: Progress | None = None, incremental: bool = False,
        force: bool = False, whole_repository: bool = False,
        consume: Callable[[FileResult], None] | None = None) -> Report:
    """Check (and with `options.formats`, build) every file; results in file order.

    Cross-file checks happen here, in order: a second file with the same BRIN +
    vestiging (`dubbele-school`) or an output file name an earlier school already
    makes (`dubbele-uitvoer`: `x.ouders.yaml` and `x.yaml` with profile ouders both
    make `x.ouders.html`) is reported and not written; the first one is. With
    `incremental`, schools whose inputs did not change since the last build into
    `output_dir` are taken from its manifest; `force` builds everything anyway (and
    renews the manifest).

    With `whole_repository`, `paths` name the changed files (as a pre-commit hook gets
    them) and every file of their repositories is checked (see `repository_selection`).
    `consume` sees each result when it is complete, in file order (`sopc site` folds
    the schools' offers into its overview then, instead of holding them all).
    """
    from sopc.runner import ordered_map

    finder = ConfigFinder(options.config)
    if whole_repository:
        selection = repository_selection(_paths(paths), finder)
    else:
        selection = collect(_paths(paths), finder)
    if output_dir is not None:
        from sopc.write import remove_stale_temporaries

        remove_stale_temporaries(output_dir)
    cache = _cache(options, output_dir, force) if incremental else None
    # what besides its inputs decides a school's diagnostics: only a manifest needs it
    settings = [_settings(options, config) if cache is not None else ""
                for _, _, config in selection.files]
    cached = [cache.lookup(path, setting) if cache and index not in selection.refused
              else None
              for index, ((path, _, _), setting) in enumerate(
                  zip(selection.files, settings, strict=True))]
    pending = [item for index, (item, hit) in enumerate(zip(selection.files, cached,
                                                            strict=True))
               if hit is None and index not in selection.refused]
    if output_dir is not None and options.formats:
        options = replace(options, staging=output_dir, manifest=cache is not None)
    flusher: Flusher | None = None  # makes the documents written durable
    fresh = iter(ordered_map(options, pending, jobs)) if pending else iter(())
    schools = Claims()
    names: dict[str, str] = {}  # output file name → the file that makes it
    results = []
    total = len(selection.files)
    result: FileResult | None = None
    try:
        for index, ((path, display, config), hit, setting) in enumerate(
                zip(selection.files, cached, settings, strict=True)):
            if index in selection.refused:
                result = FileResult(path, display, "onbekend",
                                    apply_severities([selection.refused[index]], config))
            elif hit is not None:
                result = FileResult(path, display, hit.kind, hit.diagnostics, outputs=hit.outputs,
                                    school_key=hit.school_key, unchanged=True)
            else:
                result, _ = next(fresh)  # its documents staged, or (no output folder) dropped
            results.append(result)
            if result.school_key is not None and config.severity("dubbele-school") is not None:
                code, span = result.school_key
                duplicate = duplicate_school(schools, code, span, display)
                if duplicate is not None:
                    result.diagnostics += apply_severities([duplicate], config)
            planned = list(result.staged) or [p.name for p in result.outputs]
            if planned and output_dir is not None and result.publishable:
                taken = [(name, names[name]) for name in planned if name in names]
                if taken:
                    name, owner = taken[0]
                    result.diagnostics.append(Diagnostic(
                        display, Span.start_of_file(), "dubbele-uitvoer",
                        f"het uitvoerbestand '{name}' wordt al gebouwd uit {owner}; geef een "
                        "van de twee bestanden een andere naam"))
                else:
                    names.update(dict.fromkeys(planned, display))
                    if result.staged:
                        _commit(result, output_dir)
                        if flusher is None:
                            from sopc.write import Flusher

                            flusher = Flusher(output_dir)
                        flusher.written()
            if result.staged:  # not written after all (a duplicate school or output name)
                from sopc.write import discard

                discard(list(result.staged.values()))
                result.staged = {}
            if not result.publishable:
                # nothing of it was written in this run (earlier outputs stay as they were)
                result.documents = {}
                result.outputs = []
            if cache is not None:
                if result.failed:
                    cache.forget(path)
                elif hit is not None:
                    cache.keep(path)
                elif result.outputs or result.kind == "swv":
                    cache.record(path, setting, result.inputs, result.kind, result.diagnostics,
                                 result.outputs, result.school_key, result.source_digest,
                                 result.stamps)
            if consume is not None:
                consume(result)
            if progress is not None:
                progress(index + 1, total)
            if index in selection.errors_only:
                result.diagnostics = [d for d in result.diagnostics
                                      if d.severity is Severity.ERROR]
    except BaseException:  # Ctrl-C, SIGTERM: no document of this run stays half-staged
        if result is not None and result.staged:
            from sopc.write import discard

            discard(list(result.staged.values()))
        if output_dir is not None:
            from sopc.write import remove_stale_temporaries

            stop = getattr(fresh, "close", None)  # the pool's workers stopped and reaped:
            if stop is not None:                    # what they staged can go too
                stop()
            remove_stale_temporaries(output_dir)
        if cache is not None and flusher is not None:
            # the schools finished so far are not built again by the next run
            flusher.finish()
            with contextlib.suppress(OSError):
                cache.save()
        raise
    # Every result is taken; resuming the generator once more lets the worker pool shut
    # down here, joined. Left suspended, it was stopped by the garbage collector at exit,
    # where it could race the executor's own exit handler (an EBADF traceback on stderr).
    for _ in fresh:
        pass
    if selection.order is not None:
        results = [results[index] for index in selection.order]
    results += selection.notices
    if flusher is not None:
        flusher.finish()  # the documents durable before the manifest says they are there
    if cache is not None:
        _save(cache, results)
    return Report(results, selection.missing, selection.skipped)


def _save(cache: BuildCache, results: list[FileResult]) -> None:
    """Store the manifest; if it cannot be written the build still stands (a warning:
    the next build cannot reuse anything and builds every school again)."""
    from sopc.diagnostics import dutch_os_error

    try:
        cache.save()
    except OSError as error:
        from sopc.inputs import display_path

        shown = display_path(cache.path)
        results.append(FileResult(cache.path, shown, "uitvoer", [Diagnostic(
            shown, Span.start_of_file(), "bouwverslag-niet-geschreven",
            f"het bouwverslag kan niet worden geschreven: {dutch_os_error(error)}",
            hint="de documenten zelf zijn wel gemaakt; de volgende build maakt alles "
                 "opnieuw")]))


def _cache(options: RunOptions, output_dir: Path | None, force: bool) -> BuildCache | None:
    """The manifest of `output_dir`, for a build whose results it can hold."""
    from sopc import __version__
    from sopc.incremental import BuildCache, run_key

    if output_dir is None or not options.formats or options.summaries \
            or options.keep_documents:
        return None
    key = run_key(__version__, options.formats, options.profiles, options.template_dirs)
    return BuildCache(output_dir, key, force=force)


def _settings(options: RunOptions, config: Config) -> str:
    """Per file: the reference date and the settings file that decide its diagnostics."""
    from sopc.incremental import settings_key

    today = options.today or config.today or datetime.date.today()
    return settings_key(config.source, today.isoformat(),
                        os.path.abspath(options.duo) if options.duo else "")


def _stage(result: FileResult, options: RunOptions, contents: dict[str, str | bytes]
           ) -> dict[str, tuple[Path, Path]]:
    """A worker's half of writing a school's documents (together or not at all, see
    sopc.write): temporaries beside their targets in `options.staging`, durable when
    `run` flushes the output folder at its end."""
    from sopc.incremental import stamp
    from sopc.write import UnsafeOutputPath, stage_outputs

    assert options.staging is not None
    try:
        staged = dict(zip(contents, stage_outputs(options.staging, contents), strict=True))
    except (UnsafeOutputPath, OSError) as error:
        result.diagnostics.append(_write_problem(result, error))
        return {}
    if options.manifest:
        # the stamps the renamed documents will have: taken here, beside the other
        # workers, not one by one in the main process
        result.stamps = {name: stamp(temporary) for name, (temporary, _) in staged.items()}
    return staged


def _commit(result: FileResult, output_dir: Path) -> None:
    """The main process's half: the staged documents renamed into place."""
    from sopc.write import commit, reported

    try:
        commit(list(result.staged.values()), durable=False)
    except OSError as error:
        result.diagnostics.append(_write_problem(result, error))
    else:
        result.outputs = reported(output_dir, result.staged)
    result.staged = {}


def _write_problem(result: FileResult, error: Exception) -> Diagnostic:
    from sopc.diagnostics import dutch_os_error
    from sopc.write import UnsafeOutputPath

    if isinstance(error, UnsafeOutputPath):
        return Diagnostic(result.display, Span.start_of_file(), "schrijffout",
                          f"kan de uitvoer niet schrijven: {error}")
    assert isinstance(error, OSError)
    where = f" ({os.fsdecode(error.filename)})" if error.filename else ""
    return Diagnostic(result.display, Span.start_of_file(), "schrijffout",
                      f"kan de uitvoer niet schrijven{where}: {dutch_os_error(error)}",
                      hint="geen van de documenten van deze school is vervangen")


def validate(paths: Sequence[Path | str], *, today: datetime.date | None = None,
             config: Path | None = None, jobs: int = 1, duo: Path | None = None,
             whole_repository: bool = False) -> Report:
    """Check files and folders (none given: the working folder).

    `today` is the reference date for age checks; without it, sopc.toml's `peildatum`,
    else the system date. `config` forces one settings file instead of the search.
    `whole_repository` checks every file of the repositories `paths` lie in (the
    pre-commit hook; see `repository_selection`). `duo` is a DUO download to check
    schools against instead of sopc.toml's `duo` or the list in sopc (sopc.duo).
    """
    return run(paths, RunOptions(today=today, config=config, duo=duo), jobs=jobs,
               whole_repository=whole_repository)


def build(paths: Sequence[Path | str], output_dir: Path | str = "build",
          formats: Sequence[str] = ("html", "md"),
          template_dirs: Sequence[Path] = (), *, today: datetime.date | None = None,
          config: Path | None = None, profiles: Sequence[str] = ("volledig",),
          jobs: int = 1, keep_documents: bool = False, summaries: bool = False,
          progress: Progress | None = None, incremental: bool = True,
          force: bool = False, duo: Path | None = None) -> Report:
    """Check and build every school; a school with errors writes nothing.

    Schools whose inputs did not change since the last build into `output_dir` are not
    built again (see sopc.incremental); `force=True` rebuilds them all."""
    options = RunOptions(today=today, config=config, profiles=tuple(profiles),
                         formats=tuple(formats), template_dirs=tuple(template_dirs),
                         summaries=summaries, keep_documents=keep_documents, duo=duo)
    return run(paths, options, output_dir=Path(output_dir), jobs=jobs, progress=progress,
               incremental=incremental, force=force)


def template_diagnostic(error: Exception, display: str) -> Diagnostic:
    """A problem of rendering (see sopc.render.RenderProblem) as a diagnostic: at the
    user template's file and line when it lies there, else at the school's file."""
    from sopc.render import RenderProblem

    if not isinstance(error, RenderProblem):
        raise error  # PdfUnavailable is a usage error; anything else a bug in sopc
    if error.file is None:
        return Diagnostic(display, Span.start_of_file(), error.code, error.message)
    line = error.line or 1
    return Diagnostic(error.file, Span(line, 1, line, 1), error.code, error.message)
