"""Incremental builds: a school whose inputs did not change is not built again.

The output folder keeps a manifest (`.sopc-build.json`). Per school it records a
digest of everything the school's documents depend on: the school file, its SWV
layer file and logo, the settings file that applied, the reference date, and, for the
whole run, the sopc version, the output formats and profiles and every template in
the search path. When all of these match and every output file is still there as it
was written (size and modification time), the school is taken from the manifest,
diagnostics included. A valid SWV layer file is remembered the same way; a file with
errors is checked again on every run. This module imports nothing heavy: a build where nothing
changed never loads Pydantic, Jinja or Markdown.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sopc.diagnostics import Diagnostic, Span, diagnostic_from_dict, diagnostic_to_dict

MANIFEST_NAME = ".sopc-build.json"
MANIFEST_VERSION = 1


def digest_file(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "ontbreekt"


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


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


@dataclass(slots=True)
class Cached:
    """What a cached school contributes to the run's report."""

    kind: str
    diagnostics: list[Diagnostic]
    outputs: list[Path]
    school_key: tuple[str, Span] | None


class BuildCache:
    def __init__(self, output_dir: Path, key: str, *, force: bool = False) -> None:
        self.output_dir = output_dir
        self.key = key
        self.path = output_dir / MANIFEST_NAME
        self.entries: dict[str, Any] = {}
        self.updated: dict[str, Any] = {}
        if not force:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION \
                    and data.get("run") == key and isinstance(data.get("schools"), dict):
                self.entries = data["schools"]

    @staticmethod
    def _name(path: Path) -> str:
        return str(path.resolve())

    def lookup(self, path: Path, settings: str) -> Cached | None:
        entry = self.entries.get(self._name(path))
        if not entry or entry.get("settings") != settings:
            return None
        if any(digest_file(Path(name)) != digest for name, digest in entry["inputs"].items()):
            return None
        # output names are kept relative to the output folder: a build run from another
        # working folder finds them all the same
        outputs = [self.output_dir / name for name in entry["outputs"]]
        if any(_stamp(output) != stamp for output, stamp in zip(outputs,
                                                                 entry["outputs"].values(),
                                                                 strict=True)):
            return None
        self.updated[self._name(path)] = entry
        school_key = entry.get("school_key")
        return Cached(entry["kind"], [diagnostic_from_dict(d) for d in entry["diagnostics"]],
                      outputs, (school_key[0], Span(*school_key[1])) if school_key else None)

    def record(self, path: Path, settings: str, inputs: Sequence[Path], kind: str,
               diagnostics: Sequence[Diagnostic], outputs: Sequence[Path],
               school_key: tuple[str, Span] | None) -> None:
        self.updated[self._name(path)] = {
            "settings": settings,
            "inputs": {str(p.resolve()): digest_file(p) for p in inputs},
            "kind": kind,
            "diagnostics": [diagnostic_to_dict(d) for d in diagnostics],
            "outputs": {p.relative_to(self.output_dir).as_posix(): _stamp(p) for p in outputs},
            "school_key": [school_key[0], [school_key[1].line, school_key[1].col,
                                           school_key[1].end_line, school_key[1].end_col]]
            if school_key else None,
        }

    def save(self) -> None:
        from sopc.write import write_atomic

        if not self.output_dir.is_dir() or (not self.updated and not self.path.exists()):
            return
        document = {"version": MANIFEST_VERSION, "run": self.key, "schools": self.updated}
        write_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=1,
                                           sort_keys=True) + "\n")


def settings_key(config_source: Path | None, today: str) -> str:
    config = digest_file(config_source) if config_source else "geen"
    return f"{today}|{config}|{os.fspath(config_source) if config_source else ''}"
