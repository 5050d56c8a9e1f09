"""Golden HTML and Markdown for every example school. Update with `make golden`, review the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import EXAMPLE_DIAGNOSTICS, EXAMPLE_SCHOOLS, EXAMPLES, ROOT, example_diagnostics

import sopc

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SOPC_UPDATE_GOLDEN") == "1"
SCHOOLS = EXAMPLE_SCHOOLS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("build")
    report = sopc.build([EXAMPLES], output)
    assert example_diagnostics(report) == EXAMPLE_DIAGNOSTICS
    return output


@pytest.mark.parametrize("school", SCHOOLS)
@pytest.mark.parametrize("suffix", ["html", "md"])
def test_golden_output(built: Path, school: str, suffix: str) -> None:
    actual = (built / f"{school}.{suffix}").read_text(encoding="utf-8")
    golden = GOLDEN / f"{school}.{suffix}"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8"), (
        f"{school}.{suffix} differs from the golden file; if intended, run `make golden` "
        "and review the diff")


# The short versions of the schools whose SWV layer has them (the built-in presets), in
# every text format: the schoolgids chapter and the parents' version are the documents a
# school publishes every year (docs/schoolgids.md).
SHORT = [f"{school}.{profile}.{suffix}" for school in ("op-de-heuvel", "ppo-noord-kennemerland")
         for profile in ("ouders", "schoolgids") for suffix in ("html", "md", "fragment.html")]


@pytest.fixture(scope="module")
def built_short(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("short")
    sopc.build([EXAMPLES / "op-de-heuvel.yaml", EXAMPLES / "ppo-noord-kennemerland.yaml"],
               output, ("html", "md", "fragment"), profiles=("ouders", "schoolgids"))
    return output


@pytest.mark.parametrize("name", SHORT)
def test_golden_short_versions(built_short: Path, name: str) -> None:
    actual = (built_short / name).read_text(encoding="utf-8")
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8"), (
        f"{name} differs from the golden file; if intended, run `make golden` and review "
        "the diff")


def test_build_is_byte_identical(built: Path, tmp_path: Path) -> None:
    sopc.build([EXAMPLES], tmp_path)
    for school in SCHOOLS:
        for suffix in ("html", "md"):
            assert (tmp_path / f"{school}.{suffix}").read_bytes() == \
                (built / f"{school}.{suffix}").read_bytes()


def test_golden_dir_is_in_repo() -> None:
    assert GOLDEN.is_relative_to(ROOT)
