"""Stage 5, write: atomic writes, and only inside the output folder.

Each file is written to a temporary file in the same folder and renamed over the
target, so a reader (or a crash) never sees half a file, and a failed build leaves
the previous output intact.

A school's outputs are written as a group (`write_files`): every temporary is
written first, and only when all of them are complete are they renamed over their
targets. A full disk or an unwritable folder therefore leaves the old set as it was
(the temporaries are removed). What remains is a short window: the renames
themselves are one system call per file, so a process killed *between* two renames
leaves a mix of new and old files; each of them is whole.

Durability against a power cut: a single file (a page, the build manifest) is
fsync'ed before its rename. The documents of a build are not, one by one: an fsync
per file cost 70% of writing a school (two documents, 1.4 of 2 ms here, and more on
a laptop's disk), so a build writes them all and then makes the whole output folder's
file system durable at once (`flush`; `Flusher` also does so in the background while the
build goes on), before it saves its manifest. A power cut
during the build can leave an empty document behind; the manifest, which records
each document's size and time, then has the next build make it again.

Temporaries a killed build leaves behind are removed by the next build, and only
those: a temporary is named `.sopc-tmp.<pid>.<random token>.tmp` and carries that
pid and token again in an extended attribute (`user.sopc.tijdelijk`). A file that
merely has such a name (a git checkout, another program) has no such attribute and
is never touched (unless empty: see below); neither is a symlink, anything behind a
symlinked folder, or the temporary of a writer that still runs. On a file system
without user extended attributes (or a system where Python has none: macOS) no
temporary can prove it is sopc's, so none is removed there (they are hidden files of
a failed write, nothing more). The one
exception is an empty file of the same user with sopc's name and no marker: a writer
killed between creating the file and marking it leaves just that, and removing it
loses nothing.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import stat
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

TEMPORARY_PREFIX = ".sopc-tmp."
_MARKER = "user.sopc.tijdelijk"
_TEMPORARY = re.compile(r"^\.sopc-tmp\.([0-9]{1,10})\.([0-9a-f]{32})\.tmp$")
_PID_MAX = 4_194_304  # Linux's upper bound (2**22); a larger "pid" was never ours
# Python has extended attributes on Linux only (not on macOS): elsewhere a temporary
# carries no marker, as on a file system without them
_MARKABLE = hasattr(os, "setxattr") and hasattr(os, "getxattr")

class UnsafeOutputPath(ValueError):
    """A target outside the output folder."""


def target_in(output_dir: Path, name: str) -> Path:
    return targets_in(output_dir, (name,))[name]


def targets_in(output_dir: Path, names: Iterable[str]) -> dict[str, Path]:
    """Where each named file of the output folder is written: resolved, and refused
    (UnsafeOutputPath) when that is not inside the folder. The folder is resolved once;
    a plain file name that is no link needs one lstat instead of a resolve of its own."""
    targets: dict[str, Path] = {}
    root: Path | None = None
    for name in names:
        try:
            root = root or output_dir.resolve()
            candidate = root / name
            target = candidate if _plain_file(candidate, root, name) else candidate.resolve()
        except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
            raise UnsafeOutputPath(f"{name!r}: de uitvoermap bevat een kring van symbolische "
                                   "koppelingen") from None
        if not target.is_relative_to(root) or target == root:
            raise UnsafeOutputPath(f"{name!r} ligt buiten de uitvoermap {root}")
        targets[name] = target
    return targets


def _plain_file(candidate: Path, root: Path, name: str) -> bool:
    """Whether `name` is a file right in `root` that is not a link: then `candidate`
    is already resolved."""
    if name in ("", ".", "..") or candidate.name != name or candidate.parent != root:
        return False
    try:
        return not candidate.is_symlink()
    except OSError:  # left to the resolve, as before
        return False


def _write_temporary(folder: Path, chunks: Iterable[bytes], durable: bool = True) -> Path:
    """A complete, marked temporary file in `folder` holding `chunks`; fsync'ed when
    `durable`."""
    pid, token = os.getpid(), os.urandom(16).hex()
    temporary = folder / f"{TEMPORARY_PREFIX}{pid}.{token}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    # A build's worker is stopped with SIGTERM (Ctrl-C, a failed run): held back until
    # the new file carries its marker, so that every temporary it leaves can be removed
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}) \
        if hasattr(signal, "pthread_sigmask") else None
    try:
        descriptor = os.open(temporary, flags, 0o600)
        try:
            if _MARKABLE:
                os.setxattr(descriptor, _MARKER, f"{pid}.{token}".encode("ascii"))
        except OSError as error:  # no user xattrs here: the file just stays unclaimed
            if error.errno not in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
                os.close(descriptor)
                temporary.unlink(missing_ok=True)
                raise
    finally:
        if held is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
    try:
        for data in chunks:  # a page of thousands of schools is never held whole
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
        if durable:
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


Staged = list[tuple[Path, Path]]  # (complete temporary, its target), not yet renamed


def write_files(contents: Mapping[Path, Content]) -> None:
    """Write files together, durably: all temporaries first, then all renames.

    Text is written as UTF-8 with '\\n' line ends; bytes (a PDF) as they are. On any
    error every temporary is removed and the targets are as they were; the error is
    raised again (an OSError: see `sopc.diagnostics.dutch_os_error`).
    """
    commit(stage_files(contents))


def stage_files(contents: Mapping[Path, Content], durable: bool = True) -> Staged:
    """The first half of `write_files`: every file complete as a temporary beside its
    target. A build's worker process stages a school's documents; the main process
    renames them with `commit` (or removes them with `discard`) once it has checked
    the school against the others."""
    staged: Staged = []
    try:
        for target, content in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            chunks = [content.encode("utf-8")] if isinstance(content, str) \
                else [content] if isinstance(content, bytes) else content
            staged.append((_write_temporary(target.parent, chunks, durable), target))
    except BaseException:
        discard(staged)
        raise
    return staged


def commit(staged: Staged, durable: bool = True) -> None:
    """The second half of `write_files`: every temporary renamed over its target."""
    try:
        # a target that is now a folder would fail half-way through the renames (one
        # lstat: a link to a folder is replaced like any file)
        for _, target in staged:
            if _is_folder(target):
                raise IsADirectoryError(errno.EISDIR, "is a directory", str(target))
        for temporary, target in staged:
            os.replace(temporary, target)
    except BaseException:
        discard(staged)
        raise
    if durable:
        for folder in dict.fromkeys(target.parent for _, target in staged):
            _sync_folder(folder)


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def discard(staged: Staged) -> None:
    """Staged files that will not be written: their temporaries removed."""
    for temporary, _ in staged:
        temporary.unlink(missing_ok=True)


def flush(folder: Path) -> None:
    """Everything written on the file system of `folder` durable, in one call (Linux's
    syncfs; elsewhere a sync of all file systems). Best effort, as fsync is."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not _syncfs(descriptor) and hasattr(os, "sync"):
            os.sync()
    finally:
        os.close(descriptor)


class Flusher:
    """`flush` for a build that writes many documents: while the build goes on, the
    file system is flushed in the background after every `every` schools (the disk
    works while the processors render), so the flush at the end has little left."""

    def __init__(self, folder: Path, every: int = 256) -> None:
        self._folder = folder
        self._every = every
        self._pending = 0
        self._thread: threading.Thread | None = None

    def written(self) -> None:
        """One more school's documents renamed into place."""
        self._pending += 1
        if self._pending >= self._every and (self._thread is None
                                             or not self._thread.is_alive()):
            self._pending = 0
            self._thread = threading.Thread(target=flush, args=(self._folder,), daemon=True,
                                            name="sopc-flush")
            self._thread.start()

    def finish(self) -> None:
        """Everything written durable (the last flush is in the foreground)."""
        if self._thread is not None:
            self._thread.join()
        flush(self._folder)


def _syncfs(descriptor: int) -> bool:
    """syncfs(2) of the file system holding `descriptor`; False where there is none."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    syncfs.argtypes = [ctypes.c_int]
    return bool(syncfs(descriptor) == 0)


def write_atomic(target: Path, content: Content) -> None:
    """One file, atomically (see `write_files`)."""
    write_files({target: content})


def write_outputs(output_dir: Path, contents: Mapping[str, str | bytes]) -> list[Path]:
    """Write all files of one school, together or not at all; all targets are checked
    before any write."""
    commit(stage_outputs(output_dir, contents, durable=True))
    return reported(output_dir, contents)


def reported(output_dir: Path, names: Iterable[str]) -> list[Path]:
    """The files written, as the user named the folder ("build/x.html"), not as
    absolute paths."""
    return [output_dir / name for name in names]


def stage_outputs(output_dir: Path, contents: Mapping[str, str | bytes],
                  durable: bool = False) -> Staged:
    """`stage_files` for the files of one school in `output_dir`; all targets are
    checked before any write. Not `durable`: a build calls `flush` at its end."""
    targets = targets_in(output_dir, contents)
    return stage_files({targets[name]: content for name, content in contents.items()},
                       durable)


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
    if not _MARKABLE:
        return False
    try:
        marker = os.getxattr(path, _MARKER, follow_symlinks=False)
    except OSError:
        return False
    # a plain comparison: the marker is no secret, only proof the file is sopc's
    # (and `secrets` would cost every cold start 6 ms of importing hmac)
    return marker == f"{pid}.{token}".encode("ascii")


def _unmarked_and_empty(entry: os.DirEntry[str]) -> bool:
    """A temporary of this user with no bytes and no marker: what a writer killed
    (SIGKILL cannot be held back) between creating the file and marking it leaves.
    Removing it loses nothing, so it needs no proof beyond sopc's name."""
    try:
        info = entry.stat(follow_symlinks=False)
        if info.st_size != 0 or info.st_uid != os.geteuid():
            return False
        if not _MARKABLE:
            return True
        os.getxattr(entry.path, _MARKER, follow_symlinks=False)
    except OSError as error:  # no marker (or no markers on this file system at all)
        return error.errno in (errno.ENODATA, errno.ENOTSUP, errno.EOPNOTSUPP)
    return False  # a marker that is not this name's: someone else's file


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
        if not (_ours(path, match.group(1), match.group(2)) or _unmarked_and_empty(entry)):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
