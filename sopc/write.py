"""Stage 5, write: atomic writes, and only inside the output folder.

Each file is written to a temporary file in the same folder and renamed over the
target, so a reader (or a crash) never sees half a file, and a failed build leaves
the previous output intact. A temporary file carries the writer's process id: one
left behind by a killed build is removed by the next build, while those of a build
still running in the same folder are left alone.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path


class UnsafeOutputPath(ValueError):
    """A target outside the output folder."""


def target_in(output_dir: Path, name: str) -> Path:
    root = output_dir.resolve()
    target = (root / name).resolve()
    if not target.is_relative_to(root) or target == root:
        raise UnsafeOutputPath(f"{name!r} ligt buiten de uitvoermap {root}")
    return target


def write_atomic(target: Path, content: str | bytes) -> None:
    """Text is written as UTF-8 with '\\n' line ends; bytes (a PDF) as they are."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.",
                                             suffix=".tmp", dir=target.parent)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_outputs(output_dir: Path, contents: Mapping[str, str | bytes]) -> list[Path]:
    """Write several files for one school; all targets are checked before any write."""
    targets = {name: target_in(output_dir, name) for name in contents}
    for name, target in targets.items():
        write_atomic(target, contents[name])
    # reported as the user named the folder ("build/x.html"), not as an absolute path
    return [output_dir / name for name in targets]


_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Temporary files of writers that no longer run (a build killed mid-write)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        match = _TEMPORARY.match(path.name)
        if match and path.is_file() and not _running(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
