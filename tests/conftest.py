from __future__ import annotations

import datetime
import io
import os
import sys
import tempfile
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Compiled templates of the test run go to a folder of its own, not the user's cache.
os.environ["SOPC_CACHE_DIR"] = tempfile.mkdtemp(prefix="sopc-test-cache-")
# The reference date for age checks in every test (the examples are 2021-2022 SOPs).
TODAY = datetime.date(2022, 3, 1)
EXAMPLES = ROOT / "examples"


def sopc_url() -> str:
    """The one repository address of sopc (pyproject.toml's [project.urls] Homepage)."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["urls"]["Homepage"])


FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The two reference SOPs, then one school per outline pattern of issue 11 (examples/opbouw).
EXAMPLE_SCHOOLS = ["op-de-heuvel", "ppo-noord-kennemerland", "de-wilg", "het-palet",
                   "de-kameleon", "het-baken", "lyceum-de-horizon"]
# What validating examples/ reports, and rightly: (file name, code). De Wilg rewrites two
# SWV texts (information); Het Baken's profile, adopted in 2018, is due for review.
EXAMPLE_DIAGNOSTICS = sorted([("de-wilg.yaml", "swv-tekst-vervangen"),
                              ("de-wilg.yaml", "swv-tekst-vervangen"),
                              ("het-baken.yaml", "sop-ouder-dan-een-jaar")])


def example_diagnostics(report: Any) -> list[tuple[str, str]]:
    return sorted((Path(d.file).name, d.code) for d in report.diagnostics)
sys.path.insert(0, str(Path(__file__).resolve().parent))


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> CliResult:
    """Run `sopc ARGS` in-process, as the console script would."""
    from sopc.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> type:
    class _Cli:
        run = staticmethod(run_cli)

    return _Cli


def errors(report: Any) -> list[Any]:
    """The diagnostics of a report that make it fail (warnings and info left out)."""
    from sopc.diagnostics import Severity

    return [d for d in report.diagnostics if d.severity is Severity.ERROR]


def visible(folder: Path) -> list[str]:
    """The names in an output folder, without the build manifest (.sopc-build.json)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
