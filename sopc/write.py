"""Stage 5, write: atomic writes, and only inside the output folder.

Each file is written to a temporary file in the same folder and renamed over the
target, so a reader (or a crash) never sees half a file, and a failed build leaves
the previous output intact.
"""

from __future__ import annotations

import os
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
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=target.parent)
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
    return list(targets.values())
