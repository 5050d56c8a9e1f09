"""Run the per-file work over many files, in one process or several (`-j N`).

Results come back in file order whatever N is, so everything that depends on order
(cross-file checks, the report, written files) is identical to a serial run.
Workers are forked where the system allows it: they inherit the imported modules
instead of importing Pydantic and Jinja again.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from sopc.api import RunOptions, Worker
    from sopc.config import Config

_worker: Worker | None = None
_collection_deferred = False


def defer_collection() -> None:
    """No cyclic garbage collection until the per-file work begins (`ordered_map`).

    Starting up (Pydantic, the models, the layers) makes some 300,000 objects that live
    as long as the process (a few hundred are garbage), yet the collector ran twice over
    them in every cold `validate` (12 ms of ~190 here). From the first file on it runs
    again (or when the command is done without one: `resume_collection`), and what
    start-up made is frozen: out of its reach for good, and left untouched in forked
    workers. For the process's own command line (sopc.cli), not for a library user,
    whose collector is theirs."""
    global _collection_deferred
    _collection_deferred = _collection_deferred or gc.isenabled()
    gc.disable()


def resume_collection() -> None:
    """Collect again after `defer_collection`, with what start-up made frozen (nothing
    when collection was not deferred, or has resumed already)."""
    global _collection_deferred
    if _collection_deferred:
        _collection_deferred = False
        gc.freeze()
        gc.enable()


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def max_jobs() -> int:
    """The most worker processes sopc starts: more than 4 per core only adds memory
    (each worker holds Pydantic and Jinja) and context switches. `-j` above it is
    lowered to it."""
    return min(64, 4 * default_jobs())


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask Linux to send SIGTERM to this worker when its parent dies (prctl
    PR_SET_PDEATHSIG), so a killed `sopc -j N` leaves no workers running; elsewhere the
    pool's own shutdown is all there is."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the parent's
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _start(options: RunOptions, parent: int, collector: tuple[int, int, int]) -> None:
    from sopc.api import Worker

    global _worker
    _die_with_parent(parent)
    gc.set_threshold(*collector)  # as the main process has it (a spawned worker does not)
    _worker = Worker(options)
    resume_collection()


def _process(item: tuple[Path, str, Config]) -> Any:
    assert _worker is not None
    return _worker.process(item)


class Terminated(SystemExit):
    """SIGTERM reached the parent: the workers are stopped, sopc exits with 143."""


_pools: list[ProcessPoolExecutor] = []  # the pool now running, for the SIGTERM handler


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: queued work cancelled, running workers terminated."""
    # the executor keeps its workers in `_processes` (no public API for this)
    workers = list((getattr(pool, "_processes", None) or {}).values())
    # The pool's manager thread fails the pending futures of a broken pool while the
    # stopping side cancels them: a race inside concurrent.futures that only prints
    # InvalidStateError from that thread. Nothing is lost by it; keep it off stderr.
    if threading.excepthook is not _quiet_stopped_pool:
        _quiet_stopped_pool.previous = threading.excepthook  # type: ignore[attr-defined]
        threading.excepthook = _quiet_stopped_pool
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.terminate()
    for process in workers:  # reaped: the documents they staged can then be removed
        process.join(timeout=2)


def _quiet_stopped_pool(args: threading.ExceptHookArgs) -> None:
    """Only the executor's own manager thread is quietened; every other thread's errors
    go to the hook that was there before (a library user's, or Python's)."""
    from concurrent.futures import InvalidStateError
    from concurrent.futures.process import _ExecutorManagerThread

    if isinstance(args.exc_value, InvalidStateError) \
            and isinstance(args.thread, _ExecutorManagerThread):
        return
    previous = getattr(_quiet_stopped_pool, "previous", threading.__excepthook__)
    previous(args)


def _terminate(signum: int, frame: FrameType | None) -> None:
    for pool in _pools:
        _stop(pool)
    print("sopc: gestopt (signaal SIGTERM); de werkprocessen zijn beëindigd", file=sys.stderr)
    raise Terminated(128 + signal.SIGTERM)


def ordered_map(options: RunOptions, items: Sequence[tuple[Path, str, Config]],
                jobs: int) -> Iterator[Any]:
    from sopc.api import Worker

    if jobs <= 1 or len(items) < 2:
        worker = Worker(options)
        resume_collection()
        yield from map(worker.process, items)
        return
    # multiprocessing only when it works in parallel (a cold start without it is ~10 ms
    # shorter)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = min(jobs, len(items), max_jobs())
    # Chunks keep the pipe busy without making one worker wait for a slow neighbour.
    chunk = max(1, min(4, len(items) // (workers * 8)))
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                               initargs=(options, os.getpid(), gc.get_threshold()))
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    _pools.append(pool)
    finished = False
    try:
        # submitted: a forked pool has started its workers, which inherit the deferral and
        # end it in `_start` (a spawned worker starts with a collector of its own)
        results = pool.map(_process, items, chunksize=chunk)
        resume_collection()
        yield from results
        finished = True
    finally:
        _pools.remove(pool)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if finished:
            pool.shutdown(wait=True)
        else:  # SIGTERM, Ctrl-C or an error: stop the workers now, not after their work
            _stop(pool)
