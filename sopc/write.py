"""Stage 5, write: atomic writes, and only inside the output folder.

Each file is written to a temporary file in the same folder and renamed over the
target, so a reader (or a crash) never sees half a file, and a failed build leaves
the previous output intact.

A school's outputs are written as a group (`write_files`): every temporary is
written and fsync'ed first, and only when all of them are complete are they renamed
over their targets. A full disk or an unwritable folder therefore leaves the old set
as it was (the temporaries are removed). What remains is a short window: the renames
themselves are one system call per file, so a process killed *between* two renames
leaves a mix of new and old files; each of them is whole.

Temporaries a killed build leaves behind are removed by the next build, and only
those: a temporary is named `.sopc-tmp.<pid>.<random token>.tmp` and carries that
pid and token again in an extended attribute (`user.sopc.tijdelijk`). A file that
merely has such a name (a git checkout, another program) has no such attribute and
is never touched; neither is a symlink, anything behind a symlinked folder, or the
temporary of a writer that still runs. On a file system without user extended
attributes no temporary can prove it is sopc's, so none is removed there (they are
hidden files of a failed write, nothing more).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

TEMPORARY_PREFIX = ".sopc-tmp."
_MARKER = "user.sopc.tijdelijk"
_TEMPORARY = re.compile(r"^\.sopc-tmp\.([0-9]{1,10})\.([0-9a-f]{32})\.tmp$")
_PID_MAX = 4_194_304  # Linux's upper bound (2**22); a larger "pid" was never ours

class UnsafeOutputPath(ValueError):
    """A target outside the output folder."""


def target_in(output_dir: Path, name: str) -> Path:
    try:
        root = output_dir.resolve()
        target = (root / name).resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
        raise UnsafeOutputPath(f"{name!r}: de uitvoermap bevat een kring van symbolische "
                               "koppelingen") from None
    if not target.is_relative_to(root) or target == root:
        raise UnsafeOutputPath(f"{name!r} ligt buiten de uitvoermap {root}")
    return target


def _write_temporary(folder: Path, chunks: Iterable[bytes]) -> Path:
    """A complete, fsync'ed, marked temporary file in `folder` holding `chunks`."""
    pid, token = os.getpid(), os.urandom(16).hex()
    temporary = folder / f"{TEMPORARY_PREFIX}{pid}.{token}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    descriptor = os.open(temporary, flags, 0o600)
    try:
        try:
            os.setxattr(descriptor, _MARKER, f"{pid}.{token}".encode("ascii"))
        except OSError as error:  # no user xattrs here: the file just stays unclaimed
            if error.errno not in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
                raise
        for data in chunks:  # a page of thousands of schools is never held whole
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
        os.fsync(descriptor)
        os.fchmod(descriptor, 0o644)
    except BaseException:
        os.close(descriptor)
        temporary.unlink(missing_ok=True)
        raise
    os.close(descriptor)
    return temporary


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (best effort: not every system allows it)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


Content = str | bytes | Iterator[bytes]  # an iterator: the file's bytes piece by piece


def write_files(contents: Mapping[Path, Content]) -> None:
    """Write files together: all temporaries first, then all renames.

    Text is written as UTF-8 with '\\n' line ends; bytes (a PDF) as they are. On any
    error every temporary is removed and the targets are as they were; the error is
    raised again (an OSError: see `sopc.diagnostics.dutch_os_error`).
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            chunks = [content.encode("utf-8")] if isinstance(content, str) \
                else [content] if isinstance(content, bytes) else content
            staged.append((_write_temporary(target.parent, chunks), target))
        # a target that is now a folder would fail half-way through the renames
        for _, target in staged:
            if not target.is_symlink() and target.is_dir():
                raise IsADirectoryError(errno.EISDIR, "is a directory", str(target))
        for temporary, target in staged:
            os.replace(temporary, target)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for folder in dict.fromkeys(target.parent for _, target in staged):
        _sync_folder(folder)


def write_atomic(target: Path, content: Content) -> None:
    """One file, atomically (see `write_files`)."""
    write_files({target: content})


def write_outputs(output_dir: Path, contents: Mapping[str, str | bytes]) -> list[Path]:
    """Write all files of one school, together or not at all; all targets are checked
    before any write."""
    targets = {name: target_in(output_dir, name) for name in contents}
    write_files({targets[name]: content for name, content in contents.items()})
    # reported as the user named the folder ("build/x.html"), not as an absolute path
    return [output_dir / name for name in targets]


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _ours(path: Path, pid: str, token: str) -> bool:
    """Whether `path` (not followed if a link) carries sopc's marker for this name."""
    try:
        marker = os.getxattr(path, _MARKER, follow_symlinks=False)
    except OSError:
        return False
    # a plain comparison: the marker is no secret, only proof the file is sopc's
    # (and `secrets` would cost every cold start 6 ms of importing hmac)
    return marker == f"{pid}.{token}".encode("ascii")


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """sopc's own temporary files whose writer no longer runs (a build killed mid-write).

    A symlinked folder is not entered; only regular files (not links) with sopc's name
    *and* its marker attribute are removed."""
    removed: list[Path] = []
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return removed
        entries = list(os.scandir(folder))
    except (OSError, ValueError):
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None:
            continue
        pid = int(match.group(1))
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
        except OSError:
            continue
        if not 0 < pid <= _PID_MAX or _running(pid):
            continue
        path = Path(entry.path)
        if not _ours(path, match.group(1), match.group(2)):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
