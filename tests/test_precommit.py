"""The pre-commit hook catches what CI catches: the whole repository is checked.

The fast tests call the library (`validate(..., whole_repository=True)`) on a copy of
examples/schools-repo; the slow one runs the real pre-commit, installing sopc from a
local clone at a version tag, as `rev:` in a schools repository does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

import sopc
from sopc import __version__
from sopc.api import Report
from sopc.diagnostics import Severity

SCHOOLS_REPO = EXAMPLES / "schools-repo"
TODAY = "2026-11-01"
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}


def git(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **GIT_IDENTITY, "GIT_CONFIG_GLOBAL": os.devnull,
                   "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-c", "init.defaultBranch=main", "-c",
                           "commit.gpgsign=false", *arguments], cwd=folder, env=environment,
                          capture_output=True, text=True, check=False)


def schools_repository(target: Path, *, with_git: bool = True) -> Path:
    """A clean copy of the sample repository: the stale school left out, a fixed date."""
    shutil.copytree(SCHOOLS_REPO, target)
    (target / "scholen" / "het-anker.yaml").unlink()
    settings = target / "sopc.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "[sopc]\n", f"[sopc]\npeildatum = {TODAY}\n", 1), encoding="utf-8")
    if with_git:
        git(target, "init", "-q")
        git(target, "add", "-A")
        git(target, "commit", "-q", "-m", "scholen", "--no-verify")
    return target


def add_duplicate(repository: Path) -> Path:
    """A new school that repeats de-regenboog's BRIN + vestiging; its name sorts first,
    so a plain run in file order would blame the old file."""
    new = repository / "scholen" / "de-akker.yaml"
    new.write_text((repository / "scholen" / "de-regenboog.yaml").read_text(encoding="utf-8")
                   .replace("naam: De Regenboog", "naam: De Akker"), encoding="utf-8")
    return new


def break_layer(repository: Path) -> Path:
    """The SWV layer moves to another preset: de-regenboog, unchanged, loses its texts."""
    layer = repository / "swv" / "stroomland.yaml"
    layer.write_text(layer.read_text(encoding="utf-8").replace(
        "basis: perspectief-op-school", "basis: ppo-nk"), encoding="utf-8")
    return layer


def errors(report: Report) -> list[tuple[str, str]]:
    return [(Path(d.file).name, d.code) for d in report.diagnostics
            if d.severity is Severity.ERROR]


def test_a_duplicate_brin_is_reported_on_the_changed_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repository = schools_repository(tmp_path / "repo")
    monkeypatch.chdir(repository)
    new = add_duplicate(repository)
    git(repository, "add", str(new))
    staged_only = sopc.validate([new.relative_to(repository)])
    assert errors(staged_only) == []  # what the hook used to see
    report = sopc.validate([new.relative_to(repository)], whole_repository=True)
    assert errors(report) == [("de-akker.yaml", "dubbele-school")]
    duplicate = next(d for d in report.diagnostics if d.code == "dubbele-school")
    assert duplicate.file == "scholen/de-akker.yaml"
    assert [(file, span.line) for file, span in duplicate.related] == \
        [("scholen/de-regenboog.yaml", 7)]
    assert "ook in scholen/de-regenboog.yaml (regel 7)" in duplicate.message
    # the report keeps the usual order of files
    assert [r.display for r in report.files] == sorted(r.display for r in report.files)


def test_a_changed_layer_that_breaks_an_unchanged_school_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repository = schools_repository(tmp_path / "repo")
    monkeypatch.chdir(repository)
    layer = break_layer(repository).relative_to(repository)
    assert errors(sopc.validate([layer])) == []
    assert ("de-regenboog.yaml", "ontbrekende-tekst") in \
        errors(sopc.validate([layer], whole_repository=True))


def test_files_git_does_not_track_do_not_block_a_commit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft that was never added is not in the commit, so not checked (unless named)."""
    repository = schools_repository(tmp_path / "repo")
    monkeypatch.chdir(repository)
    draft = add_duplicate(repository).relative_to(repository)
    changed = Path("scholen/de-regenboog.yaml")
    report = sopc.validate([changed], whole_repository=True)
    assert errors(report) == []
    assert str(draft) not in [r.display for r in report.files]
    assert errors(sopc.validate([draft], whole_repository=True)) == \
        [("de-akker.yaml", "dubbele-school")]


def test_without_git_every_file_of_the_repository_is_checked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repository = schools_repository(tmp_path / "repo", with_git=False)
    monkeypatch.chdir(repository / "scholen")  # anywhere inside: sopc.toml marks the root
    add_duplicate(repository)
    report = sopc.validate([Path("de-zeester.yaml")], whole_repository=True)
    assert sorted(r.display for r in report.files) == [
        "../swv/stroomland-clusters.yaml", "../swv/stroomland.yaml", "de-akker.yaml",
        "de-duinroos.yaml", "de-regenboog.yaml", "de-zeester.yaml"]
    assert errors(report) == [("de-regenboog.yaml", "dubbele-school")]  # neither changed


def test_the_hook_command_checks_every_file_and_shows_what_the_commit_is_about(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the hook calls it: every file is checked (its speed is in benchmarks/), the
    changed file's warnings are shown, an unchanged file's only when they are errors."""
    repository = schools_repository(tmp_path / "repo")
    monkeypatch.chdir(repository)
    run = subprocess.run([sys.executable, "-m", "sopc", "validate", "--hele-repository",
                          "scholen/de-zeester.yaml"],
                         capture_output=True, text=True, check=False,
                         env={**os.environ, "GITHUB_ACTIONS": ""})
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == \
        "5 bestanden gecontroleerd: 0 fouten, 0 waarschuwingen, 1 opmerking."
    assert "scholen/de-zeester.yaml:27:3: opmerking:" in run.stdout
    assert "de-duinroos" not in run.stdout  # its warnings are not this commit's


@pytest.fixture(scope="module")
def sopc_at_a_tag(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a git repository tagged v<version>, as the hook's `repo:`."""
    source = tmp_path_factory.mktemp("sopc-bron")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True,
                            check=True).stdout
    for name in filter(None, listed.split(b"\0")):
        relative = os.fsdecode(name)
        if relative.startswith("tools/node_modules/") or not (ROOT / relative).is_file():
            continue
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, source / relative)
    git(source, "init", "-q")
    git(source, "add", "-A")
    assert git(source, "commit", "-q", "-m", "sopc").returncode == 0
    assert git(source, "tag", f"v{__version__}").returncode == 0
    return source


@pytest.mark.slow
def test_real_pre_commit_blocks_what_ci_would_block(
        sopc_at_a_tag: Path, tmp_path: Path) -> None:
    """pre-commit installs the hook from the sopc repository at its tag (as the sample
    config says, only `repo:` points at the local clone) and runs it on `git commit`."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit is not None, "pre-commit is a dev dependency"
    repository = schools_repository(tmp_path / "repo")
    config = repository / ".pre-commit-config.yaml"
    text = config.read_text(encoding="utf-8")
    assert "repo: https://github.com/sopc-nl/sopc" in text and f"rev: v{__version__}" in text
    config.write_text(text.replace("https://github.com/sopc-nl/sopc", str(sopc_at_a_tag)),
                      encoding="utf-8")
    environment = {**os.environ, **GIT_IDENTITY, "GIT_CONFIG_GLOBAL": os.devnull,
                   "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
                   "PATH": f"{Path(pre_commit).parent}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("GITHUB_ACTIONS", None)

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        git(repository, "add", "-A")
        # git shows the hook's output on stderr
        return subprocess.run(["git", "-c", "commit.gpgsign=false", "commit", "-m", message],
                              cwd=repository, env=environment, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, check=False)

    installed = subprocess.run([pre_commit, "install"], cwd=repository, env=environment,
                               capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    clean = repository / "scholen" / "de-zeester.yaml"
    clean.write_text(clean.read_text(encoding="utf-8") + "# bijgewerkt\n", encoding="utf-8")
    passed = commit("een schone wijziging")
    assert passed.returncode == 0, passed.stdout
    assert "sopc validate" in passed.stdout and "Passed" in passed.stdout

    add_duplicate(repository)
    blocked = commit("een nieuwe school met een bestaande BRIN")
    assert blocked.returncode == 1, blocked.stdout
    assert "scholen/de-akker.yaml:7:9: fout: school.brin: BRIN en vestiging 12AB00 staan " \
           "ook in scholen/de-regenboog.yaml (regel 7)" in blocked.stdout, blocked.stdout
    git(repository, "reset", "-q", "--hard")
    git(repository, "clean", "-q", "-fd")

    break_layer(repository)
    blocked = commit("de SWV-laag op een andere basis")
    assert blocked.returncode == 1, blocked.stdout
    assert "scholen/de-regenboog.yaml:25:1: fout: teksten:" in blocked.stdout, blocked.stdout
    assert git(repository, "log", "--format=%s").stdout.splitlines()[0] == \
        "een schone wijziging"
