"""Check a release's sdist and wheel the way a user will meet them.

    python -m build --outdir dist && python tools/check_dist.py dist

1. `twine check --strict`: the package index accepts the metadata and README;
2. both archives hold every template, preset, editor schema and the DUO snapshot, and
   the sdist builds the same package again (it carries pyproject.toml and README);
3. the wheel installs into a fresh virtual environment (its dependencies from the
   package index) and, run from outside the source tree, builds every example school
   byte for byte as the golden files in tests/golden say.

The release workflow (.github/workflows/release.yml) and tests/test_release.py run this
same script, so what is published is what was tested. Prints one line per step and
exits 1 with the reason on the first failure.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import tomllib
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# source folder → where it lands inside the package
PACKAGED = {"templates": "sopc/templates", "sopc/presets": "sopc/presets",
            "schemas": "sopc/schemas", "sopc/data": "sopc/data"}
SUFFIXES = (".j2", ".css", ".yaml", ".json", ".tsv")


class DistProblem(Exception):
    pass


def version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def packaged_files() -> dict[str, str]:
    """Every data file of the source tree (path in the sdist) → its path in the wheel."""
    wanted = {}
    for source, target in PACKAGED.items():
        for path in (ROOT / source).rglob("*"):
            if path.is_file() and path.suffix in SUFFIXES:
                inside = path.relative_to(ROOT / source).as_posix()
                wanted[f"{source}/{inside}"] = f"{target}/{inside}"
    return wanted


def archives(dist: Path) -> tuple[Path, Path]:
    expected = version()
    wheels = sorted(dist.glob("sopc-*.whl"))
    sdists = sorted(dist.glob("sopc-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise DistProblem(f"expected one wheel and one sdist in {dist}, found "
                          f"{[p.name for p in wheels + sdists]}")
    wheel, sdist = wheels[0], sdists[0]
    for archive in (wheel, sdist):
        if not archive.name.startswith(f"sopc-{expected}"):
            raise DistProblem(f"{archive.name} is not version {expected} of pyproject.toml")
    return wheel, sdist


def check_contents(wheel: Path, sdist: Path) -> None:
    wanted = packaged_files()
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    if missing := sorted(set(wanted.values()) - in_wheel):
        raise DistProblem(f"the wheel lacks {missing}")
    with tarfile.open(sdist) as archive:
        top = f"sopc-{version()}/"
        in_sdist = {name.removeprefix(top) for name in archive.getnames()}
    if missing := sorted((set(wanted) | {"pyproject.toml", "README.md"}) - in_sdist):
        raise DistProblem(f"the sdist lacks {missing}")
    print(f"contents: {len(wanted)} templates, presets, schemas and data files in wheel "
          "and sdist")


def run(command: list[str], **options: object) -> None:
    done = subprocess.run(command, capture_output=True, text=True, **options)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise DistProblem(f"{' '.join(command)} failed ({done.returncode}):\n"
                          f"{done.stdout}{done.stderr}")


def check_install(wheel: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="sopc-dist-") as scratch:
        folder = Path(scratch)
        venv.create(folder / "venv", with_pip=True)
        python = folder / "venv" / "bin" / "python"
        run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             str(wheel)])
        sopc = folder / "venv" / "bin" / "sopc"
        shown = subprocess.run([str(sopc), "--version"], capture_output=True, text=True,
                               cwd=folder)
        if shown.stdout.strip() != f"sopc {version()}":
            raise DistProblem(f"sopc --version says {shown.stdout.strip()!r}{shown.stderr}")
        output = folder / "uit"
        # run from the scratch folder, so the source tree cannot be imported instead
        run([str(sopc), "build", str(ROOT / "examples"), "-o", str(output), "-q"], cwd=folder)
        # the short versions of the two preset examples, in every text format (and Word)
        run([str(sopc), "build", str(ROOT / "examples" / "op-de-heuvel.yaml"),
             str(ROOT / "examples" / "ppo-noord-kennemerland.yaml"), "-o", str(output), "-q",
             "-p", "ouders,schoolgids", "-f", "html,md,fragment,docx"], cwd=folder)
        golden = sorted((ROOT / "tests" / "golden").glob("*.html")) + \
            sorted((ROOT / "tests" / "golden").glob("*.md"))
        differ = [g.name for g in golden if (output / g.name).read_bytes() != g.read_bytes()]
        if differ or not golden:
            raise DistProblem(f"the installed sopc builds other output than the golden files: "
                              f"{differ}")
        print(f"install: the wheel builds all {len(golden)} golden documents byte for byte")


def main(arguments: list[str]) -> int:
    if len(arguments) != 1:
        print(__doc__)
        return 2
    dist = Path(arguments[0])
    try:
        wheel, sdist = archives(dist)
        run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)])
        print(f"twine check: {wheel.name} and {sdist.name} pass")
        check_contents(wheel, sdist)
        check_install(wheel)
    except DistProblem as problem:
        print(f"check_dist: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
