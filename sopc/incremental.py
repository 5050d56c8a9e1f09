"""Incremental builds: a school whose inputs did not change is not built again.

The output folder keeps a manifest (`.sopc-build.json`). Per school it records a
digest of everything the school's documents depend on: the school file, its SWV
layer file and logo, the settings file that applied, the reference date, and, for the
whole run, the sopc version, the output formats and profiles and every template in
the search path. When all of these match and every output file is still there as it
was written (size and modification time), the school is taken from the manifest,
diagnostics included. A valid SWV layer file is remembered the same way; a file with
errors is checked again on every run. This module imports nothing heavy: a build where
nothing changed never loads Pydantic, Jinja or Markdown.

A modification time counts as the same when the output folder went through an archive
that keeps whole seconds only (tar keeps 1 s, zip 2 s): an output folder packed and
unpacked again is taken as built.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sopc.diagnostics import (
    Diagnostic,
    Severity,
    Span,
    diagnostic_from_dict,
    diagnostic_to_dict,
)

MANIFEST_NAME = ".sopc-build.json"
MANIFEST_VERSION = 1


# Larger than any input sopc reads (a school file 5 MiB, a logo, template or settings
# file 1 MB): a name from a damaged or hand-made manifest costs no more than that.
MAX_DIGEST_BYTES = 8 * 1024 * 1024


def digest_file(path: Path) -> str:
    """The SHA-256 of a regular file; "ontbreekt" for anything else, "te-groot" past
    any input's limit (never a recorded digest, so the school is built again). Read
    through `sopc.inputs.read_regular`: a FIFO or device is never waited on."""
    from sopc.inputs import read_regular

    try:
        data = read_regular(path, MAX_DIGEST_BYTES)
    except (OSError, ValueError):
        return "ontbreekt"
    return digest_bytes(data)


def digest_bytes(data: bytes) -> str:
    """`digest_file` of a file that holds `data`."""
    if len(data) > MAX_DIGEST_BYTES:
        return "te-groot"
    return hashlib.sha256(data).hexdigest()


def run_key(version: str, formats: Sequence[str], profiles: Sequence[str],
            template_dirs: Sequence[Path]) -> str:
    """What every school of the run depends on alike."""
    from sopc.theme import builtin_template_dir

    hasher = hashlib.sha256(f"{version}|{','.join(formats)}|{','.join(profiles)}".encode())
    for folder in [*template_dirs, builtin_template_dir()]:
        for path in sorted(Path(folder).rglob("*")) if Path(folder).is_dir() else []:
            if path.is_file():
                hasher.update(str(path.relative_to(folder)).encode() + b"\0")
                hasher.update(path.read_bytes())
    return hasher.hexdigest()


def stamp(path: Path) -> list[int] | None:
    """A file's size and modification time, as the manifest keeps them for an output."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _same_stamp(current: list[int] | None, recorded: list[int]) -> bool:
    """Whether an output is still as it was written: its size, and its modification time
    to the nanosecond, or to the (even) second when the file has no fraction of a second
    left (a copy through tar or zip; an edit made later has its own time)."""
    if current is None or current[0] != recorded[0]:
        return False
    if current[1] == recorded[1]:
        return True
    seconds, fraction = divmod(current[1], 10**9)
    return fraction == 0 and 0 <= recorded[1] // 10**9 - seconds <= 1


@dataclass(slots=True)
class Cached:
    """What a cached school contributes to the run's report."""

    kind: str
    diagnostics: list[Diagnostic]
    outputs: list[Path]
    school_key: tuple[str, Span] | None


def _valid_entry(entry: Any) -> bool:
    """Whether a manifest entry has the shape `record` writes (a hand-edited or
    damaged manifest is ignored entry by entry, never a crash)."""
    if not isinstance(entry, dict):
        return False
    inputs, outputs = entry.get("inputs"), entry.get("outputs")
    diagnostics, school_key = entry.get("diagnostics"), entry.get("school_key")
    if not (isinstance(entry.get("settings"), str) and isinstance(entry.get("kind"), str)
            and isinstance(inputs, dict) and isinstance(outputs, dict)
            and isinstance(diagnostics, list)):
        return False
    if not all(isinstance(digest, str) for digest in inputs.values()):
        return False
    for name, stamp in outputs.items():
        parts = Path(name).parts
        if not parts or Path(name).is_absolute() or ".." in parts:
            return False
        if not (isinstance(stamp, list) and len(stamp) == 2
                and all(type(number) is int for number in stamp)):
            return False
    if school_key is not None and not (
            isinstance(school_key, list) and len(school_key) == 2
            and isinstance(school_key[0], str) and isinstance(school_key[1], list)
            and len(school_key[1]) == 4 and all(type(n) is int for n in school_key[1])):
        return False
    return all(_valid_diagnostic(item) for item in diagnostics)


def _span_list(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 4 and all(type(n) is int for n in value)


def _valid_diagnostic(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    related = item.get("related")
    return (all(isinstance(item.get(key), str) for key in ("file", "code", "message"))
            and _span_list(item.get("span"))
            and item.get("severity") in {s.value for s in Severity}
            and (item.get("hint") is None or isinstance(item.get("hint"), str))
            and isinstance(item.get("path"), list)
            and all(type(part) in (str, int) for part in item["path"])
            and isinstance(related, list)
            and all(isinstance(r, list) and len(r) == 2 and isinstance(r[0], str)
                    and _span_list(r[1]) for r in related))


class BuildCache:
    def __init__(self, output_dir: Path, key: str, *, force: bool = False) -> None:
        self.output_dir = output_dir
        self.key = key
        self.path = output_dir / MANIFEST_NAME
        self.force = force
        # every valid entry of the last manifest; schools this run does not touch keep
        # theirs (building a.yaml, then b.yaml, into one folder keeps both)
        self.entries: dict[str, Any] = {}
        self.updated: dict[str, Any] = {}
        self.forgotten: set[str] = set()
        # per run: absolute names (a resolve is a stat per folder of the path) and the
        # digests of the inputs schools share (their SWV layer, sopc.toml, a logo)
        self._names: dict[Path, str] = {}
        self._folders: dict[Path, str] = {}
        self._shared_digests: dict[str, str] = {}
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError, RecursionError):
            data = {}
        if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION \
                and data.get("run") == key and isinstance(data.get("schools"), dict):
            self.entries = {name: entry for name, entry in data["schools"].items()
                            if _valid_entry(entry)}

    def _name(self, path: Path) -> str:
        name = self._names.get(path)
        if name is None:
            try:
                name = self._resolved(path)
            except (OSError, RuntimeError):  # a symlink loop (refused, but still forgotten)
                name = os.path.abspath(path)
            self._names[path] = name
        return name

    def _resolved(self, path: Path) -> str:
        """`path.resolve()`, its folder resolved once for all the files in it (a file
        that is a link is resolved whole)."""
        try:
            whole = path.name in ("", ".", "..") or path.is_symlink()
        except OSError:  # a folder that may not be searched: resolve() passes it by
            whole = True
        if whole:
            return str(path.resolve())
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = str(path.parent.resolve())
        return os.path.join(folder, path.name)

    def lookup(self, path: Path, settings: str) -> Cached | None:
        if self.force:
            return None
        own = self._name(path)
        entry = self.entries.get(own)
        if not entry or entry["settings"] != settings:
            return None
        if any(self._digest(Path(name), shared=name != own) != digest
               for name, digest in entry["inputs"].items()):
            return None
        # output names are kept relative to the output folder: a build run from another
        # working folder finds them all the same
        outputs = [self.output_dir / name for name in entry["outputs"]]
        if not all(_same_stamp(stamp(output), recorded)
                   for output, recorded in zip(outputs, entry["outputs"].values(),
                                               strict=True)):
            return None
        school_key = entry["school_key"]
        return Cached(entry["kind"], [diagnostic_from_dict(d) for d in entry["diagnostics"]],
                      outputs, (school_key[0], Span(*school_key[1])) if school_key else None)

    def keep(self, path: Path) -> None:
        """A school taken from the manifest that still stands: its entry stays."""
        name = self._name(path)
        if name in self.entries:
            self.updated[name] = self.entries[name]

    def forget(self, path: Path) -> None:
        """A school that failed in this run: the next run must check it again."""
        name = self._name(path)
        self.updated.pop(name, None)
        self.forgotten.add(name)

    def record(self, path: Path, settings: str, inputs: Sequence[Path], kind: str,
               diagnostics: Sequence[Diagnostic], outputs: Sequence[Path],
               school_key: tuple[str, Span] | None, digest: str | None = None,
               stamps: Mapping[str, list[int] | None] | None = None) -> None:
        """`digest`: of the school's file as the build read it (else the file is read
        again here, and an edit made meanwhile would pass for built); `stamps`: each
        output's stamp by its name in the output folder, taken by the worker that wrote
        it (a rename keeps size and time), else looked up here."""
        name = self._name(path)
        stamps = stamps or {}
        self.updated[name] = {
            "settings": settings,
            "inputs": {self._name(p): digest if digest is not None and p == path
                       else self._digest(p, shared=self._name(p) != name) for p in inputs},
            "kind": kind,
            "diagnostics": [diagnostic_to_dict(d) for d in diagnostics],
            "outputs": {relative: stamps.get(relative) or stamp(output)
                        for output in outputs
                        for relative in (output.relative_to(self.output_dir).as_posix(),)},
            "school_key": [school_key[0], [school_key[1].line, school_key[1].col,
                                           school_key[1].end_line, school_key[1].end_col]]
            if school_key else None,
        }

    def _digest(self, path: Path, shared: bool) -> str:
        """The digest of an input; one that many schools share is read once per run
        (as the workers read it: an SWV layer is loaded once per process)."""
        if not shared:
            return digest_file(path)
        name = self._name(path)
        digest = self._shared_digests.get(name)
        if digest is None:
            digest = self._shared_digests[name] = digest_file(path)
        return digest

    def save(self) -> None:
        """Write the manifest (OSError if it cannot be written; the caller reports it)."""
        from sopc.write import write_atomic

        if not self.output_dir.is_dir() or (not self.updated and not self.path.exists()):
            return
        # entries of schools this run did not touch stay, unless their file is gone
        schools = {name: entry for name, entry in self.entries.items()
                   if name not in self.forgotten and os.path.lexists(name)}
        schools.update(self.updated)
        document = {"version": MANIFEST_VERSION, "run": self.key, "schools": schools}
        # ASCII JSON: a file name with bytes that are not UTF-8 (kept by Python as lone
        # surrogates) is written as \udcXX escapes, which read back to the same name
        # compact: with an indent, json encodes in Python (10x slower on 6,000 schools)
        write_atomic(self.path, json.dumps(document, ensure_ascii=True, sort_keys=True,
                                           separators=(",", ":")) + "\n")


def settings_key(config_source: Path | None, today: str, duo: str = "") -> str:
    """What besides its inputs decides a school's diagnostics: the reference date, the
    settings file and which DUO list (`--duo`; sopc.toml's `duo` is in the settings, a
    downloaded list among the school's inputs)."""
    config = digest_file(config_source) if config_source else "geen"
    return f"{today}|{config}|{os.fspath(config_source) if config_source else ''}|{duo}"
