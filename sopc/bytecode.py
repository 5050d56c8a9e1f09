"""Compiled built-in templates kept between runs, per user (a Jinja bytecode cache).

Parsing and compiling the theme's templates is most of a cold `sopc build` of one
school. The compiled code is kept in the user's own cache folder
(`$SOPC_CACHE_DIR`, else `$XDG_CACHE_HOME/sopc`, else `~/.cache/sopc`), in a folder per
sopc version, Jinja version and compile settings; Jinja keys each entry by the template's name and
checks it against a hash of its source, so an edited template is compiled again.

Compiled code is loaded as code, so the folder must be the user's alone: it is made
with mode 0700 and not used when another user owns it or others may write in it. Only
the built-in theme uses it: user templates run in the sandbox, whose compiled code
differs, and are never cached. When the folder cannot be made or written, sopc just
compiles as before: a cache never makes a build fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

from jinja2.bccache import Bucket, FileSystemBytecodeCache


def cache_folder() -> Path:
    configured = os.environ.get("SOPC_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "sopc"


class _QuietCache(FileSystemBytecodeCache):
    """Reading or writing an entry that fails is a cache miss, never an error."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _private(folder: Path) -> bool:
    """The folder exists, is a real folder of this user, and no one else may write in it."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def bytecode_cache(version: str, settings: str) -> FileSystemBytecodeCache | None:
    """The cache for the built-in templates compiled with `settings` (everything that
    changes the compiled code: output format, escaping, whitespace rules), or None."""
    import jinja2

    root = cache_folder()
    fingerprint = hashlib.sha256(f"{jinja2.__version__} {settings}".encode()).hexdigest()[:16]
    folder = root / f"templates-{version}" / fingerprint
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        for step in (root, folder.parent, folder):
            step.mkdir(mode=0o700, exist_ok=True)
            if not _private(step):
                return None
    except OSError:
        return None
    return _QuietCache(str(folder))
