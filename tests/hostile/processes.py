"""Run sopc as a real process under a memory limit and a time limit.

Every hostile case must end in a clear diagnostic and an exit code, not in a hang, a
traceback or an out-of-memory kill: the limits turn either into a test failure.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB address space: Python + Pydantic fit easily
TIME_LIMIT = 30.0


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    seconds: float
    peak_kib: int


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def sopc_process(*args: str, cwd: Path | None = None) -> Outcome:
    """`python -m sopc ARGS`, reporting its own peak memory (ru_maxrss) on stderr."""
    runner = ("import resource, sys\n"
              "from sopc.cli import main\n"
              "try:\n    main(sys.argv[1:])\n"
              "finally:\n"
              "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
              "    print(f'PEAK_KIB={peak}', file=sys.stderr)\n")
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-c", runner, *args], capture_output=True, text=True,
                         timeout=TIME_LIMIT, preexec_fn=_limit_memory, cwd=cwd or ROOT,
                         check=False)
    seconds = time.monotonic() - start
    err_lines = run.stderr.splitlines()
    peak = next((int(line.split("=")[1]) for line in err_lines if line.startswith("PEAK_KIB=")),
                -1)
    err = "\n".join(line for line in err_lines if not line.startswith("PEAK_KIB="))
    return Outcome(run.returncode, run.stdout, err, seconds, peak)
