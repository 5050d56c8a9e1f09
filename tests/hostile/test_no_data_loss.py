"""No data loss: killed builds, concurrent builds, untouched sources.

Builds run as real processes: one is killed (SIGKILL, no chance to clean up) while it
writes, two write into one folder at the same time. Every output file that exists
afterwards is complete and equal to what a normal build writes.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real processes, a few seconds each

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

import sopc  # noqa: E402

BUILD = [sys.executable, "-m", "sopc", "build", "--today", "2022-03-01", "-j", "1"]


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def schools(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """40 schools and the outputs a normal build makes of them."""
    root = tmp_path_factory.mktemp("data")
    generate(root / "scholen", 40, target_bytes=60_000)
    reference = root / "referentie"
    subprocess.run([*BUILD, str(root / "scholen"), "-o", str(reference)], check=True,
                   capture_output=True, cwd=ROOT)
    return root / "scholen", outputs(reference)


def test_a_killed_build_leaves_only_whole_files(tmp_path: Path,
                                                schools: tuple[Path, dict[str, bytes]]) -> None:
    source, reference = schools
    out = tmp_path / "uit"
    process = subprocess.Popen([*BUILD, str(source), "-o", str(out)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.is_dir() or len(outputs(out)) < 6):
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = outputs(out)
    assert 6 <= len(written) < len(reference), "the build was not killed mid-run"
    for name, content in written.items():
        assert content == reference[name], f"{name} is not whole"
    # the next build finishes the job and leaves no temporary file behind
    subprocess.run([*BUILD, str(source), "-o", str(out)], check=True, capture_output=True,
                   cwd=ROOT)
    assert outputs(out) == reference
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_two_builds_into_one_folder_at_once(tmp_path: Path,
                                            schools: tuple[Path, dict[str, bytes]]) -> None:
    source, reference = schools
    out = tmp_path / "uit"
    both = [subprocess.Popen([*BUILD, str(source), "-o", str(out), "--force"], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for _ in range(2)]
    for process in both:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert outputs(out) == reference
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_sources_are_never_touched(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    generate(repo / "scholen", 6, target_bytes=None)
    (repo / "sopc.toml").write_text("[sopc]\npeildatum = 2022-03-01\n", encoding="utf-8")
    before = tree_digest(repo)
    stamps = {p: p.stat().st_mtime_ns for p in repo.rglob("*")}
    sopc.validate([repo])
    sopc.build([repo], tmp_path / "uit")
    from sopc.site import overview, site

    site([repo], tmp_path / "site")
    overview([repo], tmp_path / "overzicht")
    assert tree_digest(repo) == before
    assert {p: p.stat().st_mtime_ns for p in repo.rglob("*")} == stamps
    assert sorted(p.name for p in tmp_path.iterdir()) == ["overzicht", "repo", "site", "uit"]


def test_stale_temporaries_of_a_dead_writer_are_removed(tmp_path: Path) -> None:
    from sopc.write import _write_temporary, remove_stale_temporaries

    # a writer that dies after writing its temporary, and one that is still running
    dead = subprocess.run([sys.executable, "-c",
                           "import sys; from pathlib import Path; "
                           "from sopc.write import _write_temporary; "
                           "print(_write_temporary(Path(sys.argv[1]), [b'half']))",
                           str(tmp_path)], capture_output=True, text=True, check=True, cwd=ROOT)
    stale = Path(dead.stdout.strip())
    alive = _write_temporary(tmp_path, [b"busy"])
    assert remove_stale_temporaries(tmp_path) == [stale]
    assert alive.exists() and not stale.exists()
