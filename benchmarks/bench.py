"""Print sopc's speed: per-school validate and build, in-process and as a whole process.

Usage: python benchmarks/bench.py [--schools N]. Figures only, no thresholds: compare
runs on the same machine. Generated schools are the PPO-NK example with every text
repeated until the file is about 40 KB, each with its own name and BRIN. They are
2021-2022 SOPs, so every run uses that year as the reference date (--today).

When `check-jsonschema` is installed (make bench installs it), the same files are also
checked by it against schemas/school.schema.json, for comparison with `sopc validate`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ppo-noord-kennemerland.yaml"
TODAY = datetime.date(2022, 3, 1)


def generate(folder: Path, count: int, target_bytes: int = 40_000) -> list[Path]:
    base = EXAMPLE.read_text(encoding="utf-8")
    extra = "\nextra_hoofdstukken:\n"
    chapter = 0
    while len((base + extra).encode()) < target_bytes:
        chapter += 1
        extra += (f"  - titel: Aanvulling {chapter}\n    inhoud: |\n"
                  + "      Een alinea @@ met *nadruk* en een [link](https://example.org). " * 12
                  + "\n")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        letters = chr(65 + index // 26 % 26) + chr(65 + index % 26)
        # Every school its own text, so caches see realistic (not repeated) input.
        text = (base + extra.replace("@@", str(index))).replace(
            "brin: 99ZZ", f"brin: {index % 100:02d}{letters}")
        text = text.replace("OGO-basisschool Ypestein", f"School {index}")
        path = folder / f"school-{index:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def per_school(action, paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        action(path)
    return (time.perf_counter() - start) / len(paths) * 1000


def tool(name: str) -> str | None:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


def process_ms(args: list[str], repeat: int = 5, program: str = "sopc") -> float:
    executable = tool(program) or program
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([executable, *args], check=False, capture_output=True)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def versus_check_jsonschema(paths: list[Path]) -> list[tuple[str, float]]:
    """`sopc validate` and `check-jsonschema` over the same files, as whole processes."""
    files = [str(p) for p in paths]
    rows = [(f"process: sopc validate {len(files)} files",
             process_ms(["validate", "-q", "--today", TODAY.isoformat(), *files], repeat=3))]
    if tool("check-jsonschema") is None:
        print("check-jsonschema not installed: `pip install check-jsonschema` to compare")
        return rows
    schema = str(ROOT / "schemas" / "school.schema.json")
    check = subprocess.run([tool("check-jsonschema") or "", "--schemafile", schema, *files],
                           capture_output=True, text=True, check=False)
    verdict = "all valid" if check.returncode == 0 else check.stdout.strip().splitlines()[-1]
    rows.append((f"process: check-jsonschema {len(files)} files ({verdict})",
                 process_ms(["--schemafile", schema, *files], repeat=3,
                            program="check-jsonschema")))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=150)
    options = parser.parse_args()

    import sopc
    from sopc.api import build, validate

    print(f"sopc {sopc.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        paths = generate(folder / "scholen", options.schools)
        size = paths[0].stat().st_size
        out = folder / "uit"
        examples = sorted((ROOT / "examples").glob("*.yaml"))
        rows = [
            ("validate, examples (per file, in-process)",
             per_school(lambda p: validate([p], today=TODAY), examples)),
            ("build html+md, examples (per file, in-process)",
             per_school(lambda p: build([p], out, today=TODAY), examples)),
            (f"validate, {len(paths)} generated schools of {size // 1000} KB (per school)",
             per_school(lambda p: validate([p], today=TODAY), paths)),
        ]
        start = time.perf_counter()
        report = build([folder / "scholen"], out, today=TODAY)
        assert all(r.outputs for r in report.files), "a generated school failed to build"
        elapsed = time.perf_counter() - start
        rows.append((f"build html+md, {len(paths)} generated schools in one run (per school)",
                     elapsed / len(paths) * 1000))
        rows += [
            ("process: sopc --version", process_ms(["--version"])),
            ("process: sopc validate one 40 KB school",
             process_ms(["validate", "--today", TODAY.isoformat(), str(paths[0])])),
            ("process: sopc build one 40 KB school",
             process_ms(["build", "--today", TODAY.isoformat(), str(paths[0]), "-o", str(out)])),
            *versus_check_jsonschema(paths),
        ]
        width = max(len(label) for label, _ in rows)
        print(f"{'measurement'.ljust(width)}  ms")
        for label, value in rows:
            print(f"{label.ljust(width)}  {value:8.1f}")
        print(f"schools built per second (one run, 1 process): {len(paths) / elapsed:.0f}")


if __name__ == "__main__":
    main()
