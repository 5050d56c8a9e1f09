"""`make bench`: sopc's speed and memory on this machine, as a table. Figures only.

Usage: python benchmarks/bench.py [--quick] [--counts 150,1000,6000]

Measured as whole processes (what a user or CI waits for), each in a fresh wrapper
that reports the peak resident memory of the largest process it started (with -j 2,
of the parent or one worker, whichever is larger). Schools come from
benchmarks/generate.py: 40 KB each for the per-school and throughput figures, 10 to
200 KB for the "realistic mix" row. They are 2021-2022 SOPs, so every run passes
--today 2022-03-01. sopc's own bytecode is compiled first, as an installed package
has it. When check-jsonschema is installed (make bench installs it), it checks the
same 150 files against schemas/school.schema.json for comparison.

A figure with a floor (or a yardstick) from the same run stands beside it, with the
ratio, so progress reads the same on a noisy machine: cold starts beside `python -c
pass` (validate beside check-jsonschema on the same school, when installed); validate
and build of N schools beside parsing the same files with PyYAML's C loader (libyaml)
in one process; `-j 2` beside `-j 1` (0.50x: twice as fast). Up to 1,000 schools the
C parse and both builds run three times, in turns, and the rows give the medians.

The generated schools of one style share their texts (the reference's), and sopc
renders an equal text or block once per run: a real SWV's schools share only their
layer's texts. The row "every text its own" builds schools whose every text differs.

`sopc site` and `sopc overview` over the generated schools keep memory flat in their
number: under 100 MiB peak at 6,000 schools.

The overview row puts 5,000 schools (the reference examples, about 20 KB each) in ONE
werkgebied, the worst case for the dekkend-aanbod matrix, and prints beside it its
floor from the same run: `sopc validate` of the same schools, the work the overview
cannot skip. The promise: seconds above that floor and under 200 MiB peak.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2022-03-01"
WRAPPER = ("import resource, subprocess, sys, time\n"
           "start = time.perf_counter()\n"
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
           " stderr=subprocess.DEVNULL).returncode\n"
           "elapsed = time.perf_counter() - start\n"
           "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
           "print(elapsed, peak, code)\n")


def tool(name: str) -> str | None:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


def measure(command: Sequence[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """Seconds, peak MiB of the largest process, exit code."""
    shown = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True,
                           text=True, check=True, cwd=cwd)
    seconds, peak_kib, code = shown.stdout.split()
    return float(seconds), int(peak_kib) / 1024, int(code)


def median_of(command: Sequence[str], repeat: int, cwd: Path | None = None
              ) -> tuple[float, float]:
    runs = [measure(command, cwd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def sopc(*args: str) -> list[str]:
    return [tool("sopc") or "sopc", *args]


# The floor of a build: reading the same files into Python objects with PyYAML's C loader
# (libyaml), as one process, start-up included: what reading YAML costs in Python (sopc's
# own loader, with a position for every key and value, takes about as long).
C_PARSE = ("import pathlib, sys, yaml\n"
           "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
           "    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)\n")

# The build's work per school beside the floor's, each file in turns in one process: what
# a school costs once the run has started, without start-up and writing. A machine whose
# speed drifts between runs (the same C parse of 1,000 files has taken 2.5 s and 4.4 s
# in a row here) moves both sides alike, so this ratio holds where the whole-process one
# wanders. The build is sopc.api's worker, as `sopc build` runs it per school (load,
# check, render HTML and Markdown); the first five schools go once before the clock
# runs (imports, templates).
IN_TURNS = ("import datetime, pathlib, sys, time, yaml\n"
            "from sopc.api import RunOptions, Worker, collect\n"
            "files = collect([pathlib.Path(sys.argv[1])]).files\n"
            "worker = Worker(RunOptions(today=datetime.date.fromisoformat(sys.argv[2]),\n"
            "                           profiles=('volledig',), formats=('html', 'md')))\n"
            "for item in files[:5]:\n"
            "    worker.process(item)\n"
            "parse = build = 0.0\n"
            "for item in files:\n"
            "    start = time.perf_counter()\n"
            "    yaml.load(item[0].read_bytes(), Loader=yaml.CSafeLoader)\n"
            "    parsed = time.perf_counter()\n"
            "    worker.process(item)\n"
            "    build += time.perf_counter() - parsed\n"
            "    parse += parsed - start\n"
            "print(build, parse)\n")


class Table:
    """Rows of figures; a row may stand beside its floor (or yardstick) from the same
    run, with the ratio, so progress reads the same on a noisy machine."""

    HEADER = ("measurement", "time", "schools/s", "peak RSS", "beside", "ratio")

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    @staticmethod
    def _time(seconds: float) -> str:
        # '1.05 s', not '1.052 ms' (a thousands separator that read as a decimal point)
        return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"

    def add(self, what: str, seconds: float, per_second: str = "", memory: float | None = None,
            beside: tuple[str, float] | None = None) -> None:
        """`beside`: (what it is compared with, its seconds): a floor, or a yardstick."""
        self.rows.append((what, self._time(seconds), per_second,
                          f"{memory:.0f} MiB" if memory is not None else "",
                          f"{beside[0]} {self._time(beside[1])}" if beside else "",
                          f"{seconds / beside[1]:.2f}x" if beside else ""))

    def print(self) -> None:
        widths = [max(len(row[i]) for row in [self.HEADER, *self.rows])
                  for i in range(len(self.HEADER))]
        line = "| " + " | ".join(h.ljust(w) for h, w in zip(self.HEADER, widths,
                                                             strict=True)) + " |"
        print(line)
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in self.rows:
            print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", default="150,1000,6000")
    parser.add_argument("--overview-count", type=int, default=5000,
                        help="schools in the one werkgebied of the overview row")
    parser.add_argument("--quick", action="store_true", help="150 schools only, fewer runs")
    options = parser.parse_args()
    counts = [150] if options.quick else [int(c) for c in options.counts.split(",")]
    repeat = 3 if options.quick else 7

    import sopc as package

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "sopc")], check=True)
    print(f"sopc {package.__version__}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}\n")
    table = Table()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        one = generate(work / "een", 1)[0]
        out = work / "uit"
        python, python_memory = median_of([sys.executable, "-c", "pass"], repeat)
        table.add("floor: python -c pass", python, memory=python_memory)
        interpreter = ("python -c pass", python)
        seconds, memory = median_of(sopc("--version"), repeat)
        table.add("cold start: sopc --version", seconds, memory=memory, beside=interpreter)
        yardstick = None
        if tool("check-jsonschema"):
            schema = str(ROOT / "schemas" / "school.schema.json")
            check = [tool("check-jsonschema") or "", "--schemafile", schema, str(one)]
            checked, memory = median_of(check, repeat)
            table.add("for comparison: check-jsonschema, one 40 KB school", checked,
                      memory=memory, beside=interpreter)
            yardstick = ("check-jsonschema", checked)
        seconds, memory = median_of(sopc("validate", "--today", TODAY, str(one)), repeat)
        table.add("cold start: sopc validate, one 40 KB school", seconds, memory=memory,
                  beside=yardstick or interpreter)
        seconds, memory = median_of(sopc("build", "--today", TODAY, "--force", str(one),
                                         "-o", str(out)), repeat)
        table.add("cold start: sopc build (HTML + MD), one 40 KB school", seconds,
                  memory=memory, beside=interpreter)
        references = [str(ROOT / "examples" / f"{name}.yaml")
                      for name in ("op-de-heuvel", "ppo-noord-kennemerland")]
        seconds, memory = median_of(sopc("build", "--today", "2022-03-01", "--force",
                                         *references, "-o", str(work / "voorbeelden")),
                                    repeat)
        table.add("cold start: sopc build (HTML + MD), both reference examples", seconds,
                  memory=memory)
        ppo = str(ROOT / "examples" / "ppo-noord-kennemerland.yaml")
        seconds, memory = median_of(sopc("build", "-f", "pdf", "--today", TODAY, "--force",
                                         ppo, "-o", str(work / "pdf")), repeat)
        table.add("cold start: sopc build -f pdf, PPO example (20 pages, PDF/UA)", seconds,
                  memory=memory)
        seconds, memory = median_of(sopc("build", "-f", "pdf", "--today", TODAY, "--force",
                                         str(one), "-o", str(work / "pdf")), repeat)
        table.add("cold start: sopc build -f pdf, one 40 KB school", seconds, memory=memory)
        hooked = work / "schools-repo"
        shutil.copytree(ROOT / "examples" / "schools-repo", hooked)
        subprocess.run(["git", "init", "-q"], cwd=hooked, check=True)
        subprocess.run(["git", "add", "-A"], cwd=hooked, check=True)
        seconds, memory = median_of(sopc("validate", "--hele-repository", "--today", TODAY,
                                         "scholen/de-zeester.yaml"), repeat, cwd=hooked)
        table.add("cold start: pre-commit hook, whole sample repository (6 files)", seconds,
                  memory=memory)
        mixed = generate(work / "gemengd", 150, target_bytes=None)
        size = sum(p.stat().st_size for p in mixed) // len(mixed) // 1000
        seconds, memory = median_of(sopc("validate", "-q", "-j", "1", "--today", TODAY,
                                         str(work / "gemengd")), 1)
        table.add(f"validate, realistic mix: 150 schools of 10-200 KB (mean {size} KB), -j 1",
                  seconds,
                  f"{150 / seconds:.0f}", memory)
        for count in counts:
            folder = work / f"scholen-{count}"
            generate(folder, count)
            # The floor, -j 1 and -j 2 in turns, each build into an empty folder; up to
            # 1,000 schools three times, so that one slow (or fast) moment of a noisy
            # machine decides neither a figure nor its floor
            runs = 3 if count <= 1000 else 1
            runs_note = f", median of {runs}" if runs > 1 else ""
            parses: list[float] = []
            parse_peak = 0.0
            times: dict[str, list[float]] = {"1": [], "2": []}
            peaks = {"1": 0.0, "2": 0.0}
            for _ in range(runs):
                seconds, memory = measure([sys.executable, "-c", C_PARSE, str(folder)])[:2]
                parses.append(seconds)
                parse_peak = max(parse_peak, memory)
                for jobs in ("1", "2"):
                    target = work / f"uit-{count}-{jobs}"
                    shutil.rmtree(target, ignore_errors=True)
                    seconds, memory = measure(sopc("build", "-q", "-j", jobs, "--today", TODAY,
                                                   str(folder), "-o", str(target)))[:2]
                    times[jobs].append(seconds)
                    peaks[jobs] = max(peaks[jobs], memory)
            parsed = statistics.median(parses)
            table.add(f"floor: C parse of the same {count} files (PyYAML CSafeLoader)"
                      f"{runs_note}", parsed, f"{count / parsed:.0f}", parse_peak)
            floor = ("C parse", parsed)
            for jobs in ("1", "2"):
                seconds, memory = measure(sopc("validate", "-q", "-j", jobs, "--today", TODAY,
                                               str(folder)))[:2]
                table.add(f"validate {count} schools, -j {jobs}", seconds,
                          f"{count / seconds:.0f}", memory, beside=floor)
            if count == 150 and tool("check-jsonschema"):
                files = [str(p) for p in sorted(folder.glob("*.yaml"))]
                seconds, memory = measure([tool("check-jsonschema") or "", "--schemafile",
                                           str(ROOT / "schemas" / "school.schema.json"),
                                           *files])[:2]
                table.add("for comparison: check-jsonschema, the same 150 schools", seconds,
                          f"{count / seconds:.0f}", memory)
            for jobs in ("1", "2"):
                seconds = statistics.median(times[jobs])
                table.add(f"build {count} schools (HTML + MD), -j {jobs}{runs_note}", seconds,
                          f"{count / seconds:.0f}", peaks[jobs], beside=floor)
            if count <= 1000:
                done = subprocess.run([sys.executable, "-c", IN_TURNS, str(folder), TODAY],
                                      capture_output=True, text=True, check=True)
                built, parsed_in_turns = map(float, done.stdout.split())
                table.add(f"  per school in one process, in turns with its C parse ({count}; "
                          "no start-up, no writing)", built, f"{count / built:.0f}",
                          beside=("C parse", parsed_in_turns))
            one_job, two_jobs = statistics.median(times["1"]), statistics.median(times["2"])
            # the second core: 0.50x is twice as fast
            table.add(f"  -j 2 beside -j 1 ({count} schools): {one_job / two_jobs:.2f} times "
                      "as fast", two_jobs, beside=("-j 1", one_job))
            seconds, memory = measure(sopc("build", "-q", "--today", TODAY, str(folder),
                                           "-o", str(work / f"uit-{count}-2")))[:2]
            table.add(f"build {count} schools again, nothing changed", seconds,
                      f"{count / seconds:.0f}", memory)
            if count <= 1000:  # the same size and structure, no text shared between schools
                own = work / f"eigen-{count}"
                generate(own, count, own_texts=True)
                own_parsed, memory = measure([sys.executable, "-c", C_PARSE, str(own)])[:2]
                table.add(f"floor: C parse of those {count} files", own_parsed,
                          f"{count / own_parsed:.0f}", memory)
                seconds, memory = measure(sopc("build", "-q", "-j", "1", "--today", TODAY,
                                               str(own), "-o", str(work / f"uit-eigen-{count}"))
                                          )[:2]
                table.add(f"build {count} schools, every text its own (HTML + MD), -j 1",
                          seconds, f"{count / seconds:.0f}", memory,
                          beside=("C parse", own_parsed))
                shutil.rmtree(own)
            if count == 150:
                for jobs in ("1", "2"):
                    seconds, memory = measure(sopc("build", "-q", "-f", "pdf", "-j", jobs,
                                                   "--today", TODAY, str(folder), "-o",
                                                   str(work / f"pdf-{count}-{jobs}")))[:2]
                    table.add(f"build {count} schools (PDF/UA), -j {jobs}", seconds,
                              f"{count / seconds:.0f}", memory)
            # site and overview keep a compact overview and stream their pages: memory
            # stays flat in the number of schools (the promise: under 100 MiB at 6,000)
            for jobs in ("1", "2") if count <= 1000 else ("2",):
                seconds, memory = measure(sopc("site", "-q", "-j", jobs, "--today", TODAY,
                                               str(folder), "-o",
                                               str(work / f"site-{count}-{jobs}")))[:2]
                table.add(f"site {count} schools (HTML + MD + index + overview), -j {jobs}",
                          seconds, f"{count / seconds:.0f}", memory)
                shutil.rmtree(work / f"site-{count}-{jobs}")
            seconds, memory = measure(sopc("overview", "-q", "-j", "2", "--today", TODAY,
                                           str(folder), "-o", str(work / f"overzicht-{count}")))[:2]
            table.add(f"overview {count} schools (HTML + MD + CSV + JSON), -j 2", seconds,
                      f"{count / seconds:.0f}", memory)
            shutil.rmtree(folder)
        overview_count = 500 if options.quick else options.overview_count
        one_area = work / "een-werkgebied"
        generate(one_area, overview_count, target_bytes=1, areas=("Alkmaar",))
        validated, memory = measure(sopc("validate", "-q", "-j", "2", "--today", TODAY,
                                         str(one_area)))[:2]
        table.add(f"floor: validate {overview_count} schools of one werkgebied, -j 2",
                  validated, f"{overview_count / validated:.0f}", memory)
        seconds, memory = measure(sopc("overview", "-q", "-j", "2", "--today", TODAY,
                                       str(one_area), "-o", str(work / "overzicht")))[:2]
        table.add(f"overview {overview_count} schools in one werkgebied "
                  "(HTML + MD + CSV + JSON), -j 2", seconds,
                  f"{overview_count / seconds:.0f}", memory, beside=("validate", validated))
        shutil.rmtree(one_area)
    table.print()
    print(LEGEND)


LEGEND = """
How to read it: "beside" names what a row is compared with, measured in the same run:
a floor (python -c pass; reading the same files with PyYAML's C loader, what reading
YAML into Python costs; validate for the overview) or a yardstick
(check-jsonschema on the same school). "ratio" is the row's time divided by that time:
lower is better, 1.00x is the floor itself. For -j 2 beside -j 1, 0.50x is twice as fast;
up to 1,000 schools the C parse and both builds run three times in turns, and the rows
give the medians. "per school in one process" times each file's C parse and its build in
turns: a ratio that a machine's drift between runs does not move.
Peak RSS is that of the largest single process (with -j 2: the parent or one worker, not
their sum). The generated schools of one style share the reference's texts, and sopc
renders an equal block once per run; the row "every text its own" shows schools that
share nothing."""


if __name__ == "__main__":
    main()
