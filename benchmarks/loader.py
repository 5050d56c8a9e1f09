"""The loader alone (stage 1, `sopc.loader.load_text`) on generated schools, in-process.

Usage: python benchmarks/loader.py [--runs 200]

Best and median milliseconds per file, for 40 KB and 200 KB schools from
benchmarks/generate.py (which have no comments after values and no folded texts, like
most real files) and for a file made to warn: 2,000 values followed by ' #' and 2,000
list texts written over several lines without '|'. Figures only; compare two versions
by running this script against each (PYTHONPATH).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import school_text

from sopc.loader import load_text


def warning_file(count: int = 2000) -> str:
    lines = ["sopc: 1", "lijst:"]
    for index in range(count):
        lines.append(f"  - waarde {index} #opmerking {index}")
        lines.append(f"  - tekst {index}\n\n    verder {index}\n    - punt")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    cases = {
        "40 KB school (clusters)": school_text(7, 40_000, "clusters"),
        "40 KB school (beschikbaarheid)": school_text(8, 40_000, "beschikbaarheid"),
        "200 KB school (clusters)": school_text(9, 200_000, "clusters"),
        "4,000 warnings": warning_file(),
    }
    print(f"{'file':32} {'size':>9} {'best':>10} {'median':>10} {'diagnostics':>12}")
    for name, text in cases.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            loaded = load_text(text, "x.yaml")
            times.append(time.perf_counter() - start)
        print(f"{name:32} {len(text.encode()) / 1000:7.1f}kB {min(times) * 1000:8.3f}ms "
              f"{statistics.median(times) * 1000:8.3f}ms {len(loaded.diagnostics):12}")


if __name__ == "__main__":
    main()
