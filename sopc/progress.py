"""Progress over many schools: a bar on a terminal, a few plain lines elsewhere (CI)."""

from __future__ import annotations

import sys
from typing import IO


class ProgressReporter:
    """Call with (done, total) after every file; silent for small runs."""

    def __init__(self, label: str, stream: IO[str] | None = None, minimum: int = 20) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.minimum = minimum
        self.terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_step = -1

    def __call__(self, done: int, total: int) -> None:
        if total < self.minimum:
            return
        if self.terminal:
            width = 30
            filled = width * done // total
            self.stream.write(f"\r{self.label}: [{'#' * filled}{'.' * (width - filled)}] "
                              f"{done}/{total}")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
            return
        step = 10 * done // total  # a line per tenth: readable in a CI log
        if step != self._last_step:
            self._last_step = step
            self.stream.write(f"{self.label}: {done}/{total}\n")
