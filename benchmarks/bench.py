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


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, seconds: float, per_second: str = "", memory: float | None = None
            ) -> None:
        # '1.05 s', not '1.052 ms' (a thousands separator that read as a decimal point)
        shown = f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"
        self.rows.append((what, shown, per_second,
                          f"{memory:.0f} MiB" if memory is not None else ""))

    def print(self) -> None:
        header = ("measurement", "time", "schools/s", "peak RSS")
        widths = [max(len(row[i]) for row in [header, *self.rows]) for i in range(4)]
        line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
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
        seconds, memory = median_of(sopc("--version"), repeat)
        table.add("cold start: sopc --version", seconds, memory=memory)
        seconds, memory = median_of(sopc("validate", "--today", TODAY, str(one)), repeat)
        table.add("cold start: sopc validate, one 40 KB school", seconds, memory=memory)
        seconds, memory = median_of(sopc("build", "--today", TODAY, "--force", str(one),
                                         "-o", str(out)), repeat)
        table.add("cold start: sopc build (HTML + MD), one 40 KB school", seconds,
                  memory=memory)
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
        seconds, memory = median_of([sys.executable, "-c", "pass"], repeat)
        table.add("floor: python -c pass", seconds, memory=memory)
        hooked = work / "schools-repo"
        shutil.copytree(ROOT / "examples" / "schools-repo", hooked)
        subprocess.run(["git", "init", "-q"], cwd=hooked, check=True)
        subprocess.run(["git", "add", "-A"], cwd=hooked, check=True)
        seconds, memory = median_of(sopc("validate", "--hele-repository", "--today", TODAY,
                                         "scholen/de-zeester.yaml"), repeat, cwd=hooked)
        table.add("cold start: pre-commit hook, whole sample repository (6 files)", seconds,
                  memory=memory)
        if tool("check-jsonschema"):
            schema = str(ROOT / "schemas" / "school.schema.json")
            check = [tool("check-jsonschema") or "", "--schemafile", schema, str(one)]
            seconds, memory = median_of(check, repeat)
            table.add("for comparison: check-jsonschema, one 40 KB school", seconds,
                      memory=memory)
        mixed = generate(work / "gemengd", 150, target_bytes=None)
        size = sum(p.stat().st_size for p in mixed) // len(mixed) // 1000
        seconds, memory = median_of(sopc("validate", "-q", "-j", "1", "--today", TODAY,
                                         str(work / "gemengd")), 1)
        table.add(f"validate, 150 schools of 10-200 KB (mean {size} KB), -j 1", seconds,
                  f"{150 / seconds:.0f}", memory)
        for count in counts:
            folder = work / f"scholen-{count}"
            generate(folder, count)
            for jobs in ("1", "2"):
                seconds, memory = measure(sopc("validate", "-q", "-j", jobs, "--today", TODAY,
                                               str(folder)))[:2]
                table.add(f"validate {count} schools, -j {jobs}", seconds,
                          f"{count / seconds:.0f}", memory)
            if count == 150 and tool("check-jsonschema"):
                files = [str(p) for p in sorted(folder.glob("*.yaml"))]
                seconds, memory = measure([tool("check-jsonschema") or "", "--schemafile",
                                           str(ROOT / "schemas" / "school.schema.json"),
                                           *files])[:2]
                table.add("for comparison: check-jsonschema, the same 150 schools", seconds,
                          f"{count / seconds:.0f}", memory)
            for jobs in ("1", "2"):
                target = work / f"uit-{count}-{jobs}"
                seconds, memory = measure(sopc("build", "-q", "-j", jobs, "--today", TODAY,
                                               str(folder), "-o", str(target)))[:2]
                table.add(f"build {count} schools (HTML + MD), -j {jobs}", seconds,
                          f"{count / seconds:.0f}", memory)
            seconds, memory = measure(sopc("build", "-q", "--today", TODAY, str(folder),
                                           "-o", str(work / f"uit-{count}-2")))[:2]
            table.add(f"build {count} schools again, nothing changed", seconds,
                      f"{count / seconds:.0f}", memory)
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
        seconds, memory = measure(sopc("validate", "-q", "-j", "2", "--today", TODAY,
                                       str(one_area)))[:2]
        table.add(f"floor: validate {overview_count} schools of one werkgebied, -j 2",
                  seconds, f"{overview_count / seconds:.0f}", memory)
        seconds, memory = measure(sopc("overview", "-q", "-j", "2", "--today", TODAY,
                                       str(one_area), "-o", str(work / "overzicht")))[:2]
        table.add(f"overview {overview_count} schools in one werkgebied "
                  "(HTML + MD + CSV + JSON), -j 2", seconds,
                  f"{overview_count / seconds:.0f}", memory)
        shutil.rmtree(one_area)
    table.print()


if __name__ == "__main__":
    main()
