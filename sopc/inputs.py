"""Which input files sopc may read: inside the repository, and regular files only.

Git stores symlinks, so a pull request can carry `scholen/x.yaml -> /proc/self/environ`
or an `swv: ../../elders.yaml`. Every input (a school file found in a folder or named,
an SWV file a school points to, sopc.toml) is resolved (symlinks followed) and must
then lie inside its repository root, which is, in this order:

1. the folder of the sopc.toml (or pyproject.toml with [tool.sopc]) that applies;
2. without one: the git work tree the path lies in (the nearest folder with `.git`);
3. without one: the working folder, when the path lies inside it;
4. else the folder the path was named in (for a folder walked: that folder).

A special file (FIFO, device, socket) or one under /proc, /sys or /dev is refused
before it is opened: reading a FIFO would hang, a device may never end. The check
uses stat (S_ISREG); `read_regular` opens with O_NONBLOCK and checks the opened file
again, so a file swapped between check and open cannot hang sopc either.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from sopc.diagnostics import Diagnostic, Span

_SYSTEM_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))
_SYSTEM_PREFIXES = tuple(f"{folder}/" for folder in _SYSTEM_FOLDERS)
_SYSTEM_NAMES = frozenset(map(str, _SYSTEM_FOLDERS))


def _in_system_folder(resolved: Path) -> bool:
    """Whether a resolved (absolute) path is or lies under /proc, /sys or /dev (as text:
    `is_relative_to` raised and caught an exception per folder, per file)."""
    text = str(resolved)
    return text in _SYSTEM_NAMES or text.startswith(_SYSTEM_PREFIXES)


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    normal = Path(os.path.normpath(path))
    if normal.is_absolute():
        try:
            return str(normal.relative_to(Path.cwd()))
        except ValueError:
            return str(normal)
    return str(normal)


def git_work_tree(path: Path) -> Path | None:
    """The nearest folder at or above `path`'s folder holding `.git` (not resolved)."""
    folder = _absolute(path)
    for candidate in [folder, *folder.parents]:
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def repository_root(path: Path, config_root: Path | None, named_in: Path | None = None
                    ) -> Path:
    """The folder `path` must stay inside (see the module docstring)."""
    if config_root is not None:
        return config_root
    folder = _absolute(path).parent
    work_tree = git_work_tree(folder)
    if work_tree is not None:
        return work_tree
    here = Path.cwd()
    if folder.is_relative_to(here):
        return here
    return _absolute(named_in) if named_in is not None else folder


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "een map"
    if stat.S_ISFIFO(mode):
        return "een pijp (FIFO)"
    if stat.S_ISSOCK(mode):
        return "een socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "een apparaat"
    return "een bijzonder bestand"


class InputRefused(Exception):
    """An input that sopc does not read; `code` is the diagnostic code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_input(path: Path, root: Path, resolved_root: Path | None = None,
                resolved_folder: Path | None = None) -> Path:
    """The resolved path of an input sopc may read; InputRefused says why not.
    `resolved_root`: `root` resolved, when the caller knows it (None: it could not be);
    `resolved_folder`: the folder `path` names resolved, when the caller knows it (a
    folder of thousands of schools is resolved once, not per file)."""
    from sopc.diagnostics import dutch_os_error

    try:
        mode = os.lstat(path).st_mode if resolved_folder is not None else stat.S_IFLNK
        if not stat.S_ISLNK(mode) and path.name not in ("", ".", ".."):
            assert resolved_folder is not None
            resolved = resolved_folder / path.name  # not a link: its folder resolved + name
        else:
            resolved = path.resolve(strict=True)
            mode = os.stat(resolved).st_mode
    except RuntimeError:  # Python 3.11: a symlink loop
        raise InputRefused("bestand-onleesbaar", "het bestand is een symbolische koppeling "
                                                 "in een kring; sopc leest het niet") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputRefused("bestand-onleesbaar", "het bestand is een symbolische "
                                                     "koppeling in een kring") from None
        raise InputRefused("bestand-onleesbaar",
                           f"kan het bestand niet lezen: {dutch_os_error(error)}") from None
    try:
        inside = resolved.is_relative_to(resolved_root or root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside or _in_system_folder(resolved):
        raise InputRefused("pad-buiten-repository",
                           f"het bestand verwijst naar {resolved}, buiten de repository "
                           f"({root}); sopc leest het niet")
    if not stat.S_ISREG(mode):
        raise InputRefused("geen-gewoon-bestand",
                           f"dit is geen gewoon bestand maar {_kind(mode)}; sopc leest het "
                           "niet")
    return resolved


def refusal(display: str, refused: InputRefused) -> Diagnostic:
    return Diagnostic(display, Span.start_of_file(), refused.code, str(refused))


def read_regular(path: Path, limit: int) -> bytes:
    """At most `limit + 1` bytes of a regular file, never blocking on a FIFO or device.

    EISDIR for a folder, ENXIO for anything else that is not a regular file (checked on
    the opened file)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.ENXIO, "not a regular file", str(path))
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
