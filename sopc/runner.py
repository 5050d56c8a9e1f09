"""Run the per-file work over many files, in one process or several (`-j N`).

Results come back in file order whatever N is, so everything that depends on order
(cross-file checks, the report, written files) is identical to a serial run.
Workers are forked where the system allows it: they inherit the imported modules
instead of importing Pydantic and Jinja again.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sopc.api import RunOptions, Worker
    from sopc.config import Config

_worker: Worker | None = None


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start(options: RunOptions) -> None:
    from sopc.api import Worker

    global _worker
    _worker = Worker(options)


def _process(item: tuple[Path, str, Config]) -> Any:
    assert _worker is not None
    return _worker.process(item)


def ordered_map(options: RunOptions, items: Sequence[tuple[Path, str, Config]],
                jobs: int) -> Iterator[Any]:
    from sopc.api import Worker

    if jobs <= 1 or len(items) < 2:
        worker = Worker(options)
        yield from map(worker.process, items)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = min(jobs, len(items))
    # Chunks keep the pipe busy without making one worker wait for a slow neighbour.
    chunk = max(1, min(16, len(items) // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                             initargs=(options,)) as pool:
        yield from pool.map(_process, items, chunksize=chunk)
