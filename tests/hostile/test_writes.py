"""Issue 10, writes and reach: what sopc reads, what it writes, and how it ends.

Each case runs sopc as a real process (tests/hostile/processes.py: 1 GiB, 30 s) and
checks the exit code (never 3), the Dutch message, and the files left on disk. Disk
full and read-only targets use a small tmpfs (this needs root and `mount`, as in CI);
where mounting is impossible those cases skip and say why.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from processes import ROOT, Outcome, sopc_process

EXAMPLES = ROOT / "examples"
SCHOOL = EXAMPLES / "op-de-heuvel.yaml"
SWV = EXAMPLES / "swv-po-stroomland.yaml"
TODAY = ("--today", "2022-03-01")
slow = pytest.mark.slow


def no_crash(outcome: Outcome) -> None:
    assert outcome.code != 3, outcome.err
    assert "Traceback" not in outcome.err and "interne fout" not in outcome.err, outcome.err


def repository(root: Path, toml: str = "") -> Path:
    """A repository with one school (op-de-heuvel) and its SWV layer beside it."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(SWV, root / SWV.name)
    (root / "sopc.toml").write_text(
        "[sopc]\npeildatum = 2022-03-01\n" + toml
        + '\n[sopc.meldingen]\nmr-advies-ontbreekt = "uit"\n', encoding="utf-8")
    return root


def school_text(brin: str = "06KG") -> str:
    return SCHOOL.read_text(encoding="utf-8").replace("brin: 06KG", f"brin: {brin}")


@contextlib.contextmanager
def tmpfs(where: Path, size: str, *, read_only: bool = False) -> Iterator[Path]:
    """A small tmpfs at `where` (skips the test if this machine cannot mount one)."""
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                                 capture_output=True, text=True, check=False)
    except OSError as error:
        pytest.skip(f"kan geen tmpfs koppelen: {error}")
    if mounted.returncode != 0:
        pytest.skip(f"kan geen tmpfs koppelen (root en mount nodig): {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def json_report(outcome: Outcome) -> dict[str, object]:
    report = json.loads(outcome.out)
    assert isinstance(report, dict)
    return report


def codes(outcome: Outcome) -> list[str]:
    report = json_report(outcome)
    files = report["files"]
    assert isinstance(files, list)
    return [d["code"] for f in files for d in f["diagnostics"]]


# -- 9, 15: sopc diff and git --------------------------------------------------------------

def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c",
                    "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True)


@slow
def test_diff_of_a_huge_git_blob_is_refused_before_reading(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    with (repo / "groot.yaml").open("wb") as stream:  # 300 MB of zeros: compresses to ~300 kB
        stream.truncate(300 * 1024 * 1024)
    git(repo, "add", "groot.yaml")
    git(repo, "commit", "-qm", "groot")
    (repo / "groot.yaml").unlink()
    shutil.copy(SCHOOL, repo / "school.yaml")
    outcome = sopc_process("diff", "HEAD:groot.yaml", "school.yaml", cwd=repo)
    no_crash(outcome)
    assert outcome.code == 1
    assert "bestand-te-groot" in outcome.out + outcome.err
    assert outcome.peak_kib < 200 * 1024, f"{outcome.peak_kib} KiB: the blob was read"


@slow
def test_diff_revision_cannot_become_a_git_option(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copy(SCHOOL, repo / "school.yaml")
    git(repo, "add", "school.yaml")
    git(repo, "commit", "-qm", "school")
    written = tmp_path / "door-git-geschreven"
    outcome = sopc_process("diff", "--", f"--output={written}:school.yaml", "school.yaml",
                           cwd=repo)
    no_crash(outcome)
    assert outcome.code == 2
    assert "begint niet met '-'" in outcome.err
    assert not written.exists()


# -- 10: inputs outside the repository, special files --------------------------------------

SECRET = "GEHEIM_CI_TOKEN_1234567890"


def secret_process(*args: str, cwd: Path | None = None) -> Outcome:
    os.environ["SOPC_TEST_SECRET"] = SECRET
    try:
        return sopc_process(*args, cwd=cwd)
    finally:
        del os.environ["SOPC_TEST_SECRET"]


@slow
@pytest.mark.parametrize("named", [False, True], ids=["in-map", "genoemd"])
def test_school_file_linked_out_of_the_repository_is_not_read(tmp_path: Path,
                                                             named: bool) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "scholen").mkdir()
    link = repo / "scholen" / "lek.yaml"
    link.symlink_to("/proc/self/environ")
    outcome = secret_process("validate", str(link if named else repo), "--format", "json")
    no_crash(outcome)
    assert SECRET not in outcome.out + outcome.err
    assert outcome.code == 1
    assert "pad-buiten-repository" in codes(outcome)


@slow
def test_swv_file_linked_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "swv").mkdir()
    (repo / "swv" / "laag.yaml").symlink_to("/proc/self/environ")
    (repo / "school.yaml").write_text(
        school_text().replace("swv: swv-po-stroomland.yaml", "swv: swv/laag.yaml"),
        encoding="utf-8")
    outside = tmp_path / "elders.yaml"
    shutil.copy(SWV, outside)
    (repo / "tweede.yaml").write_text(
        school_text("98YY").replace("swv: swv-po-stroomland.yaml", "swv: ../elders.yaml"),
        encoding="utf-8")
    outcome = secret_process("validate", str(repo / "school.yaml"), str(repo / "tweede.yaml"),
                             "--format", "parsable")
    no_crash(outcome)
    assert SECRET not in outcome.out + outcome.err
    assert outcome.out.count("[pad-buiten-repository]") == 2, outcome.out


@slow
def test_diff_does_not_read_a_file_linked_out_of_the_repository(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    outside = tmp_path / "elders.yaml"
    outside.write_text(school_text("98YY").replace("Op de Heuvel", "Elders"), encoding="utf-8")
    (repo / "oud.yaml").symlink_to(outside)
    (repo / "geheim.yaml").symlink_to("/proc/self/environ")
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    for link in ("oud.yaml", "geheim.yaml"):
        outcome = secret_process("diff", link, "school.yaml", cwd=repo)
        no_crash(outcome)
        assert outcome.code == 2, outcome
        assert "buiten de repository" in outcome.err
        assert SECRET not in outcome.out + outcome.err and "Elders" not in outcome.out


def test_a_folder_resolved_once_judges_every_file_as_its_own_resolve(tmp_path: Path) -> None:
    """`collect` resolves a folder once and passes it on: for every kind of entry (a
    file, links in and out, to /proc, dangling, a loop, a FIFO, a folder linked out)
    check_input then resolves, refuses or explains exactly as with a resolve per file."""
    from sopc.inputs import InputRefused, check_input

    repo = repository(tmp_path / "repo")
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    folder = repo / "scholen"
    folder.mkdir()
    (folder / "gewoon.yaml").write_text("a: 1\n", encoding="utf-8")
    (folder / "binnen.yaml").symlink_to(folder / "gewoon.yaml")
    (folder / "buiten.yaml").symlink_to(outside / "x.yaml")
    (folder / "proc.yaml").symlink_to("/proc/self/environ")
    (folder / "weg.yaml").symlink_to(folder / "bestaat-niet.yaml")
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    os.mkfifo(folder / "fifo.yaml")
    (repo / "gelinkt").symlink_to(outside, target_is_directory=True)

    def verdict(path: Path, resolved_folder: Path | None) -> tuple[str, str]:
        try:
            return "ok", str(check_input(path, repo, repo.resolve(), resolved_folder))
        except InputRefused as refused:
            return refused.code, str(refused)

    paths = [*sorted(folder.iterdir()), folder / "ontbreekt.yaml", repo / "gelinkt" / "x.yaml"]
    for path in paths:
        assert verdict(path, path.parent.resolve()) == verdict(path, None), path
    assert [verdict(path, None)[0] for path in paths] == [
        "bestand-onleesbaar", "bestand-onleesbaar", "ok", "pad-buiten-repository",
        "geen-gewoon-bestand", "ok", "pad-buiten-repository", "bestand-onleesbaar",
        "bestand-onleesbaar", "pad-buiten-repository"]


@slow
def test_a_symlink_loop_is_a_diagnostic(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    (repo / "a.yaml").symlink_to("b.yaml")
    (repo / "b.yaml").symlink_to("a.yaml")
    outcome = sopc_process("build", str(repo), "-o", str(tmp_path / "uit"), "--meldingen",
                           "json", *TODAY)
    no_crash(outcome)
    assert outcome.code == 1
    assert codes(outcome) == ["bestand-onleesbaar", "bestand-onleesbaar"]
    assert (tmp_path / "uit" / "school.html").is_file()


@slow
def test_a_link_in_an_ignored_folder_is_not_checked(tmp_path: Path) -> None:
    """`negeer` applies to the path as named too, not only to the file it resolves to."""
    repo = repository(tmp_path / "repo", 'negeer = ["archief/"]\n')
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    (repo / "archief").mkdir()
    (repo / "archief" / "oud.yaml").symlink_to("../school.yaml")
    outcome = sopc_process("validate", str(repo), "--format", "json")
    no_crash(outcome)
    assert outcome.code == 0, outcome.out
    files = json_report(outcome)["files"]
    assert isinstance(files, list)
    assert [Path(f["file"]).name for f in files] == ["school.yaml", SWV.name]


@slow
def test_settings_file_linked_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "elders.toml").write_text("[sopc]\n", encoding="utf-8")
    (repo / "sopc.toml").symlink_to(tmp_path / "elders.toml")
    shutil.copy(SCHOOL, repo / "school.yaml")
    outcome = sopc_process("validate", str(repo))
    no_crash(outcome)
    assert outcome.code == 2
    assert "buiten de repository" in outcome.err


@slow
@pytest.mark.parametrize("where", ["in-map", "genoemd", "swv", "sopc.toml"])
def test_a_fifo_is_refused_without_hanging(tmp_path: Path, where: str) -> None:
    repo = repository(tmp_path / "repo")
    if where == "sopc.toml":
        (repo / "sopc.toml").unlink()
        os.mkfifo(repo / "sopc.toml")
        shutil.copy(SCHOOL, repo / "school.yaml")
    elif where == "swv":
        os.mkfifo(repo / "laag.yaml")
        (repo / "school.yaml").write_text(
            school_text().replace("swv: swv-po-stroomland.yaml", "swv: laag.yaml"),
            encoding="utf-8")
    else:
        os.mkfifo(repo / "pijp.yaml")
    target = repo / "pijp.yaml" if where == "genoemd" else repo / "school.yaml" \
        if where == "swv" else repo
    outcome = sopc_process("validate", str(target), "--format", "parsable")
    no_crash(outcome)
    if where == "sopc.toml":
        assert outcome.code == 2
        assert "geen gewoon bestand" in outcome.err
    else:
        assert outcome.code == 1
        assert "[geen-gewoon-bestand]" in outcome.out, outcome.out


# -- 12: output names ----------------------------------------------------------------------

@slow
def test_two_schools_never_write_the_same_output_file(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "x.yaml").write_text(school_text("98YY"), encoding="utf-8")
    (repo / "x.ouders.yaml").write_text(school_text("97XX"), encoding="utf-8")
    out = tmp_path / "uit"
    outcome = sopc_process("build", str(repo), "-o", str(out), "--profiel", "volledig,ouders",
                           "--meldingen", "json", *TODAY)
    no_crash(outcome)
    assert outcome.code == 1
    assert "dubbele-uitvoer" in codes(outcome)
    # the first school (x.ouders.yaml sorts first) made x.ouders.html; x.yaml wrote nothing
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "x.ouders.html", "x.ouders.md", "x.ouders.ouders.html", "x.ouders.ouders.md"]


# -- 16: disk full, unwritable outputs -----------------------------------------------------

@slow
def test_disk_full_leaves_no_html_without_its_md(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    # 64 KiB: the HTML (~48 kB) fits, the HTML and the Markdown (~25 kB) together do not
    with tmpfs(tmp_path / "vol", "64k") as out:
        outcome = sopc_process("build", str(repo / "school.yaml"), "-o", str(out), *TODAY)
        left = sorted(p.name for p in out.iterdir())
    no_crash(outcome)
    assert outcome.code == 1
    assert "de schijf is vol" in outcome.out
    assert left == [], left  # neither document, no temporary


@slow
def test_a_full_disk_keeps_the_old_set(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    # 128 KiB: the old set (~75 kB) fits, the old set and a new one together do not
    with tmpfs(tmp_path / "vol", "128k") as out:
        first = sopc_process("build", str(repo / "school.yaml"), "-o", str(out), *TODAY)
        assert first.code == 0, first.out
        before = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".html", ".md")}
        (repo / "school.yaml").write_text(school_text().replace("Op de Heuvel", "Op de Berg"),
                                          encoding="utf-8")
        outcome = sopc_process("build", str(repo / "school.yaml"), "-o", str(out), *TODAY)
        after = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".html", ".md")}
        temporaries = [p.name for p in out.iterdir() if p.name.startswith(".sopc-tmp")]
    no_crash(outcome)
    assert outcome.code == 1
    assert "de schijf is vol" in outcome.out
    assert after == before and sorted(before) == ["school.html", "school.md"]
    assert temporaries == []


@slow
def test_a_target_that_became_a_folder_keeps_the_old_set(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    out = tmp_path / "uit"
    assert sopc_process("build", str(repo / "school.yaml"), "-o", str(out), *TODAY).code == 0
    before = (out / "school.html").read_bytes()
    (repo / "school.yaml").write_text(school_text().replace("Op de Heuvel", "Op de Berg"),
                                      encoding="utf-8")
    (out / "school.md").unlink()
    (out / "school.md").mkdir()  # the Markdown can no longer be put in place
    outcome = sopc_process("build", str(repo / "school.yaml"), "-o", str(out), *TODAY)
    no_crash(outcome)
    assert outcome.code == 1
    assert "schrijffout" in outcome.out
    assert (out / "school.html").read_bytes() == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".sopc-tmp")] == []


@slow
def test_an_unwritable_manifest_is_a_warning_and_the_report_is_printed(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    out = tmp_path / "uit"
    (out / ".sopc-build.json").mkdir(parents=True)  # cannot be replaced by a file
    outcome = sopc_process("build", str(repo / "school.yaml"), "-o", str(out), *TODAY)
    no_crash(outcome)
    assert outcome.code == 0
    assert "bouwverslag-niet-geschreven" in outcome.out
    assert "geschreven:" in outcome.out and (out / "school.html").is_file()


READ_ONLY_COMMANDS = {
    "site": ("site", str(EXAMPLES / "op-de-heuvel.yaml"), str(SWV), "-o", "{ro}/site", *TODAY),
    "overview": ("overview", str(SCHOOL), "-o", "{ro}/overzicht", *TODAY),
    "diff-o": ("diff", str(SCHOOL), str(SCHOOL), "-o", "{ro}/verschil.txt"),
    "schema-o": ("schema", "-o", "{ro}/school.schema.json"),
    "templates-export": ("templates", "export", "{ro}/thema"),
    "new": ("new", "{ro}/nieuw.yaml", "--schema", "{ro}/s.json"),
}


@slow
@pytest.mark.parametrize("command", list(READ_ONLY_COMMANDS))
def test_a_read_only_target_is_a_dutch_message(tmp_path: Path, command: str) -> None:
    with tmpfs(tmp_path / "ro", "64k", read_only=True) as read_only:
        args = [arg.replace("{ro}", str(read_only)) for arg in READ_ONLY_COMMANDS[command]]
        outcome = sopc_process(*args)
    no_crash(outcome)
    assert outcome.code in (1, 2)
    assert "alleen-lezen" in outcome.out + outcome.err


# -- 18: stale temporaries -----------------------------------------------------------------

@slow
def test_cleanup_leaves_look_alike_files_alone(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    out = tmp_path / "uit"
    elsewhere = tmp_path / "elders"
    out.mkdir()
    elsewhere.mkdir()
    look_alikes = [out / f".notities.{dead}.abc.tmp",  # the old name pattern
                   out / f".sopc-tmp.{dead}.{'0' * 32}.tmp",  # today's name, no marker
                   out / ".school.html.99999999999999999999999.abc.tmp"]  # absurd pid
    for path in look_alikes:
        path.write_text("van iemand anders", encoding="utf-8")
    (elsewhere / f".kopie.{dead}.abc.tmp").write_text("niet van sopc", encoding="utf-8")
    (out / "gekoppeld").symlink_to(elsewhere)
    (out / f".link.{dead}.abc.tmp").symlink_to(elsewhere / f".kopie.{dead}.abc.tmp")
    repo = repository(tmp_path / "repo")
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    for target in (out, out / "gekoppeld"):
        outcome = sopc_process("build", str(repo / "school.yaml"), "-o", str(target), *TODAY)
        no_crash(outcome)
        assert outcome.code == 0
    assert all(path.exists() for path in look_alikes)
    assert (elsewhere / f".kopie.{dead}.abc.tmp").exists()
    assert (out / f".link.{dead}.abc.tmp").is_symlink()


def test_only_marked_temporaries_of_dead_writers_are_removed(tmp_path: Path) -> None:
    from sopc.write import _write_temporary, remove_stale_temporaries

    script = ("import sys; from pathlib import Path; from sopc.write import _write_temporary; "
              "print(_write_temporary(Path(sys.argv[1]), [b'half']))")
    dead = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    stale = Path(dead.stdout.strip())
    alive = _write_temporary(tmp_path, [b"bezig"])
    unmarked = tmp_path / stale.name.replace(stale.name.split(".")[3], "f" * 32)
    unmarked.write_bytes(b"zelfde naamvorm, geen merkteken")
    # killed between creating and marking (SIGKILL cannot be held back): empty, unmarked
    killed_early = tmp_path / stale.name.replace(stale.name.split(".")[3], "e" * 32)
    killed_early.touch()
    # empty as well, but its writer still runs, or it carries another name's marker
    busy_early = tmp_path / f".sopc-tmp.{os.getpid()}.{'d' * 32}.tmp"
    busy_early.touch()
    foreign = tmp_path / stale.name.replace(stale.name.split(".")[3], "c" * 32)
    foreign.touch()
    os.setxattr(foreign, "user.sopc.tijdelijk", stale.name.split(".", 2)[2][:-4].encode())
    assert sorted(remove_stale_temporaries(tmp_path)) == sorted([stale, killed_early])
    assert alive.exists() and unmarked.exists() and busy_early.exists() and foreign.exists()


def test_writes_and_cleanup_where_python_has_no_extended_attributes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS: Python's os has no setxattr or getxattr. Writing works all the same, its
    temporaries unmarked; a later build removes only the empty ones of dead writers."""
    from sopc import write

    monkeypatch.delattr(os, "setxattr")
    monkeypatch.delattr(os, "getxattr")
    monkeypatch.setattr(write, "_MARKABLE", False)
    assert write.write_outputs(tmp_path, {"a.html": "<p>a</p>", "a.md": "a"}) == [
        tmp_path / "a.html", tmp_path / "a.md"]
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "a.md"]
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    empty = tmp_path / f".sopc-tmp.{dead}.{'e' * 32}.tmp"
    empty.touch()
    written = tmp_path / f".sopc-tmp.{dead}.{'f' * 32}.tmp"
    written.write_bytes(b"half, maar van wie?")
    assert write.remove_stale_temporaries(tmp_path) == [empty]
    assert written.exists()


# -- 21: workers die with their parent -----------------------------------------------------

def children_of(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{parent}\n" in status:
                found.append(int(entry.name))
    return found


@slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_stops_the_workers(tmp_path: Path, stop: signal.Signals) -> None:
    """SIGTERM or Ctrl-C mid-build: the workers stop with the parent, the run says so,
    and no temporary a worker staged stays behind; what was written is whole."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    generate(tmp_path / "scholen", 300, target_bytes=60_000)
    out = tmp_path / "uit"
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:  # not a pipe: surviving workers would hold it open
        process = subprocess.Popen([sys.executable, "-m", "sopc", "build",
                                    str(tmp_path / "scholen"), "-o", str(out), "-j", "2",
                                    *TODAY], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (len(children) < 2 or not out.is_dir()
                                           or len(list(out.iterdir())) < 4):
        children = children_of(process.pid)
        time.sleep(0.05)
    assert len(children) >= 2, "no workers started"
    process.send_signal(stop)
    process.wait(timeout=30)
    time.sleep(1.0)

    def alive(pid: int) -> bool:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return False
        return "State:\tZ" not in status and f"PPid:\t{process.pid}" not in status \
            and "sopc" in Path(f"/proc/{pid}/cmdline").read_text()

    survivors = [pid for pid in children if alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == [], "workers outlived their parent"
    err = log.read_text(encoding="utf-8")
    assert process.returncode == 128 + stop, err
    assert ("gestopt" if stop == signal.SIGTERM else "afgebroken") in err, err
    assert "Traceback" not in err
    assert [p.name for p in out.iterdir() if p.name.startswith(".sopc-tmp")] == []
    written = list(out.glob("*.html"))
    for document in written:  # each one whole
        assert document.read_text(encoding="utf-8").rstrip().endswith("</html>")
    # the next build takes the schools finished before the stop from the manifest
    again = subprocess.run([sys.executable, "-m", "sopc", "build", str(tmp_path / "scholen"),
                            "-o", str(out), "-j", "2", *TODAY], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    if len(written) > 1:  # (the last one may have been stopped before it was recorded)
        unchanged = re.search(r"ongewijzigd: ([0-9.]+) documenten", again.stdout)
        assert unchanged is not None, again.stdout
        assert 2 * (len(written) - 1) <= int(unchanged.group(1).replace(".", "")) \
            <= 2 * len(written)


# -- 23, 24, 20: exit codes, manifest ------------------------------------------------------

@slow
def test_settings_file_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "sopc.toml").write_bytes("[sopc]\n# café\n".encode("cp1252"))
    shutil.copy(SCHOOL, repo / "school.yaml")
    outcome = sopc_process("validate", str(repo))
    no_crash(outcome)
    assert outcome.code == 2
    assert "UTF-8" in outcome.err


@slow
@pytest.mark.parametrize("command", ["build", "site", "overview"])
def test_output_option_naming_a_file_is_a_usage_error(tmp_path: Path, command: str) -> None:
    existing = tmp_path / "bestaand.txt"
    existing.write_text("blijft", encoding="utf-8")
    outcome = sopc_process(command, str(SCHOOL), str(SWV), "-o", str(existing), *TODAY)
    no_crash(outcome)
    assert outcome.code == 2
    assert "is een bestand, geen map" in outcome.err
    assert existing.read_text(encoding="utf-8") == "blijft"


@slow
def test_a_folder_tree_past_path_max_is_a_diagnostic(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    folder = os.open(repo, os.O_RDONLY)
    for level in range(22):  # 22 × 200 characters: past PATH_MAX (4096)
        name = f"{level:02d}" + "m" * 198
        os.mkdir(name, dir_fd=folder)
        deeper = os.open(name, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder = deeper
    os.close(folder)
    outcome = sopc_process("validate", str(repo), "--format", "parsable")
    no_crash(outcome)
    assert outcome.code == 1
    assert "te lang" in outcome.out


def _entry(manifest: dict[str, Any]) -> dict[str, Any]:
    entry = next(iter(manifest["schools"].values()))
    assert isinstance(entry, dict)
    return entry


DAMAGE: dict[str, Callable[[dict[str, Any]], object]] = {
    "geen-json": lambda manifest: b"\x00\xff rommel",
    "lijst": lambda manifest: [1, 2],
    "andere-versie": lambda manifest: {**manifest, "version": "1"},
    "diep-genest": lambda manifest: b"[" * 100_000 + b"]" * 100_000,
    "scholen-lijst": lambda manifest: {**manifest, "schools": []},
    "inputs-lijst": lambda manifest: _entry(manifest).update(inputs=["x"]) or manifest,
    "outputs-tekst": lambda manifest: _entry(manifest).update(outputs="x") or manifest,
    "uitvoer-buiten": lambda manifest: _entry(manifest).update(
        outputs={"../../elders.html": [1, 2]}) or manifest,
    "melding-kapot": lambda manifest: _entry(manifest).update(
        diagnostics=[{"file": 1}]) or manifest,
    "invoer-fifo": lambda manifest: _entry(manifest).update(inputs={"/dev/zero": "x"})
    or manifest,
}


@slow
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_manifest_is_ignored_and_rebuilt(tmp_path: Path, damage: str) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    out = tmp_path / "uit"
    assert sopc_process("build", str(repo / "school.yaml"), "-o", str(out), *TODAY).code == 0
    manifest = json.loads((out / ".sopc-build.json").read_text(encoding="utf-8"))
    key = next(iter(manifest["schools"]))
    damaged = DAMAGE[damage](manifest)
    (out / ".sopc-build.json").write_bytes(
        damaged if isinstance(damaged, bytes) else json.dumps(damaged).encode())
    outcome = sopc_process("build", str(repo / "school.yaml"), "-o", str(out), *TODAY)
    no_crash(outcome)
    assert outcome.code == 0
    assert "geschreven:" in outcome.out
    rebuilt = json.loads((out / ".sopc-build.json").read_text(encoding="utf-8"))
    assert list(rebuilt["schools"]) == [key]


@slow
def test_building_one_school_keeps_the_others_in_the_manifest(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "a.yaml").write_text(school_text("98YY"), encoding="utf-8")
    (repo / "b.yaml").write_text(school_text("97XX"), encoding="utf-8")
    out = tmp_path / "uit"
    for name in ("a.yaml", "b.yaml"):
        assert sopc_process("build", str(repo / name), "-o", str(out), *TODAY).code == 0
    manifest = json.loads((out / ".sopc-build.json").read_text(encoding="utf-8"))
    assert sorted(Path(name).name for name in manifest["schools"]) == ["a.yaml", "b.yaml"]


@slow
def test_a_cached_school_that_now_fails_is_not_reported_as_written(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "b.yaml").write_text(school_text(), encoding="utf-8")
    out = tmp_path / "uit"
    assert sopc_process("build", str(repo / "b.yaml"), "-o", str(out), *TODAY).code == 0
    (repo / "a.yaml").write_text(school_text(), encoding="utf-8")  # same BRIN, sorts first
    outcome = sopc_process("build", str(repo / "a.yaml"), str(repo / "b.yaml"), "-o",
                           str(out), "--meldingen", "json", *TODAY)
    no_crash(outcome)
    assert outcome.code == 1
    report = json_report(outcome)["files"]
    assert isinstance(report, list)
    files = {Path(f["file"]).name: f for f in report}
    assert [d["code"] for d in files["b.yaml"]["diagnostics"]] == ["dubbele-school"]
    assert files["b.yaml"]["outputs"] == []
    # and the next run checks b again instead of taking it from the manifest
    manifest = json.loads((out / ".sopc-build.json").read_text(encoding="utf-8"))
    assert [Path(name).name for name in manifest["schools"]] == ["a.yaml"]


@slow
def test_a_file_name_that_is_not_utf8_builds(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    name = os.fsdecode(b"sch\xffool.yaml")
    (repo / name).write_text(school_text(), encoding="utf-8")
    out = tmp_path / "uit"
    # --quiet: printing such a name is another part of issue 10 (sopc.output)
    outcome = sopc_process("build", str(repo), "-o", str(out), "--quiet", *TODAY)
    no_crash(outcome)
    assert outcome.code == 0
    manifest = json.loads((out / ".sopc-build.json").read_bytes())
    assert any(key.endswith(name) for key in manifest["schools"])
    assert sorted(os.listdir(out)) == sorted([".sopc-build.json", os.fsdecode(b"sch\xffool.html"),
                                              os.fsdecode(b"sch\xffool.md")])


# -- 27: no command overwrites its inputs, nor writes outside the repository ---------------

@slow
def test_new_does_not_write_a_schema_outside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "sopc.toml").write_text('[sopc]\nschema = "../buiten/school.schema.json"\n',
                                    encoding="utf-8")
    outcome = sopc_process("new", str(repo / "nieuw.yaml"))
    no_crash(outcome)
    assert outcome.code == 2
    assert "buiten de repository" in outcome.err
    assert not (tmp_path / "buiten").exists() and not (repo / "nieuw.yaml").exists()


@slow
@pytest.mark.parametrize("command", ["diff", "schema"])
def test_output_never_overwrites_an_input(tmp_path: Path, command: str) -> None:
    school = tmp_path / "school.yaml"
    shutil.copy(SCHOOL, school)
    before = school.read_bytes()
    args = ("diff", str(school), str(SCHOOL), "-o", str(school)) if command == "diff" \
        else ("schema", "-o", str(school))
    outcome = sopc_process(*args)
    no_crash(outcome)
    assert outcome.code == 2
    # diff writes no report into any YAML file; schema names the kind of file it keeps
    assert ("YAML-bestand" if command == "diff" else "instellingenbestand") in outcome.err
    assert school.read_bytes() == before


# -- 29: -j and globs that find nothing ----------------------------------------------------

def test_jobs_are_bounded() -> None:
    from sopc.cli import _jobs
    from sopc.runner import default_jobs, max_jobs

    assert _jobs(10**9) == max_jobs() <= 64
    assert max_jobs() <= 4 * default_jobs()
    assert _jobs(1) == 1


@slow
def test_a_glob_that_matches_nothing_is_a_warning(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo", 'bestanden = ["*.yaml", "scholen/**/*.yaml"]\n')
    (repo / "school.yaml").write_text(school_text(), encoding="utf-8")
    outcome = sopc_process("validate", str(repo), "--format", "parsable")
    no_crash(outcome)
    assert outcome.code == 0
    assert "sopc.toml:3:" in outcome.out and "[patroon-vindt-niets]" in outcome.out
    assert "'scholen/**/*.yaml'" in outcome.out
    assert sopc_process("validate", str(repo), "--strict").code == 1


# -- OS errors in Dutch --------------------------------------------------------------------

def test_os_errors_are_dutch() -> None:
    import errno

    from sopc.diagnostics import dutch_os_error

    assert dutch_os_error(OSError(errno.ENOSPC, "No space left on device")) == "de schijf is vol"
    assert "alleen-lezen" in dutch_os_error(OSError(errno.EROFS, "Read-only file system"))
    for number in (errno.EACCES, errno.ENAMETOOLONG, errno.ENOENT, errno.EISDIR,
                   errno.ENOTDIR, errno.EEXIST):
        assert not any(word in dutch_os_error(OSError(number, "x"))
                       for word in ("No such", "Permission", "denied", "File"))
