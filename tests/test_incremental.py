"""Incremental builds: unchanged schools are not built again, and the result is the same."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, TODAY, run_cli, visible

import sopc

REPO = EXAMPLES / "schools-repo"
SCHOOLS = ("de-duinroos", "de-regenboog", "de-zeester")  # Het Anker is stale: not built


def copy_repo(tmp_path: Path, *, with_stale: bool = True) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    if not with_stale:
        (repo / "scholen" / "het-anker.yaml").unlink()
    (repo / "sopc.toml").write_text((repo / "sopc.toml").read_text(encoding="utf-8")
                                    + "\n", encoding="utf-8")
    return repo


def stamps(folder: Path) -> dict[str, int]:
    return {name: (folder / name).stat().st_mtime_ns for name in visible(folder)}


def build(repo: Path, out: Path, **options: object) -> sopc.api.Report:
    return sopc.build([repo], out, today=TODAY.replace(year=2026, month=11), **options)


def test_nothing_changed_nothing_rebuilt(tmp_path: Path) -> None:
    repo, out = copy_repo(tmp_path), tmp_path / "uit"
    first = build(repo, out)
    before = stamps(out)
    assert sorted(before) == sorted(f"{s}.{e}" for s in SCHOOLS for e in ("html", "md"))
    second = build(repo, out)
    assert stamps(out) == before  # not written again
    assert second.diagnostics == first.diagnostics  # warnings are still reported
    assert [r.outputs for r in second.files] == [r.outputs for r in first.files]


def test_a_changed_school_is_rebuilt_and_matches_a_full_build(tmp_path: Path) -> None:
    repo, out = copy_repo(tmp_path), tmp_path / "uit"
    build(repo, out)
    before = stamps(out)
    school = repo / "scholen" / "de-zeester.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace(
        "Jenaplanschool De Zeester", "Jenaplanschool De Zeester-Noord"), encoding="utf-8")
    build(repo, out)
    after = stamps(out)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"de-zeester.html", "de-zeester.md"}
    full = tmp_path / "vol"
    build(repo, full, incremental=False)
    for name in visible(full):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name


def test_layer_templates_settings_and_lost_outputs_cause_a_rebuild(tmp_path: Path) -> None:
    repo, out = copy_repo(tmp_path), tmp_path / "uit"
    build(repo, out)

    def rebuilt() -> set[str]:
        before = stamps(out)
        build(repo, out, **options)
        after = stamps(out)
        return {name.split(".")[0] for name in after if after[name] != before.get(name)}

    options: dict[str, object] = {}
    layer = repo / "swv" / "stroomland-clusters.yaml"
    layer.write_text(layer.read_text(encoding="utf-8").replace(
        "korte_naam: Stroomland", "korte_naam: Stroomland PO"), encoding="utf-8")
    assert rebuilt() == {"de-duinroos", "de-zeester"}  # the schools of that layer
    (repo / "sopc.toml").write_text((repo / "sopc.toml").read_text(encoding="utf-8")
                                    + "# ander commentaar\n", encoding="utf-8")
    assert rebuilt() == set(SCHOOLS)  # settings apply to every school
    (out / "de-regenboog.md").unlink()
    assert rebuilt() == {"de-regenboog"}
    theme = tmp_path / "thema"
    theme.mkdir()
    (theme / "stijl.css").write_text("body { color: #111; }", encoding="utf-8")
    options = {"template_dirs": [theme]}
    assert rebuilt() == set(SCHOOLS)
    assert rebuilt() == set()
    options = {"template_dirs": [theme], "force": True}
    assert rebuilt() == set(SCHOOLS)


def test_force_on_the_command_line(tmp_path: Path) -> None:
    repo, out = copy_repo(tmp_path), tmp_path / "uit"
    args = ["build", str(repo), "-o", str(out), "--today", "2026-11-01"]
    assert run_cli(*args).code == 1  # Het Anker
    before = stamps(out)
    assert run_cli(*args).code == 1
    assert stamps(out) == before
    assert run_cli(*args, "--force").code == 1
    assert all(stamps(out)[name] != before[name] for name in before)


def test_an_unchanged_build_imports_no_schema_or_templates(tmp_path: Path) -> None:
    # (a file with errors is checked again on every run; this repository has none)
    repo, out = copy_repo(tmp_path, with_stale=False), tmp_path / "uit"
    build(repo, out)
    script = ("import sys, datetime, sopc\n"
              f"sopc.build([{str(repo)!r}], {str(out)!r}, today=datetime.date(2026, 11, 1))\n"
              "print(sorted(m for m in ('pydantic', 'jinja2', 'markdown_it', 'yaml')"
              " if m in sys.modules))\n")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert shown.stdout.strip() == "[]"


def test_an_edit_made_while_the_school_is_built_is_built_next_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest holds the digest of the bytes the build read, not of the file as it
    is when the build records it: an edit saved in between is seen by the next run."""
    repo, out = copy_repo(tmp_path, with_stale=False), tmp_path / "uit"
    school = repo / "scholen" / "de-zeester.yaml"
    edited = school.read_text(encoding="utf-8").replace(
        "Jenaplanschool De Zeester", "Jenaplanschool De Zeester-Noord")
    check = sopc.api.Worker.check

    def saved_meanwhile(self: sopc.api.Worker, path: Path, *args: object
                        ) -> sopc.api.FileResult:
        result = check(self, path, *args)  # type: ignore[arg-type]
        if path.name == school.name:
            school.write_text(edited, encoding="utf-8")
        return result

    monkeypatch.setattr(sopc.api.Worker, "check", saved_meanwhile)
    build(repo, out)
    monkeypatch.undo()
    assert "De Zeester-Noord" not in (out / "de-zeester.html").read_text(encoding="utf-8")
    again = build(repo, out)
    rebuilt = [r.path.name for r in again.files if not r.unchanged]
    assert rebuilt == ["de-zeester.yaml"]
    assert "De Zeester-Noord" in (out / "de-zeester.html").read_text(encoding="utf-8")


def test_the_manifest_holds_the_stamps_of_the_written_documents(tmp_path: Path) -> None:
    """The workers stamp the documents they stage; the renamed files must match."""
    repo, out = copy_repo(tmp_path, with_stale=False), tmp_path / "uit"
    for jobs in (1, 2):
        report = build(repo, out, force=True, jobs=jobs)
        built = [result for result in report.files if result.outputs]
        assert len(built) == 3  # each with its stamps taken by the worker, not looked up
        assert all(set(result.stamps) == {output.relative_to(out).as_posix()
                                          for output in result.outputs} for result in built)
        manifest = json.loads((out / ".sopc-build.json").read_text(encoding="utf-8"))
        recorded = {name: stamp for entry in manifest["schools"].values()
                    for name, stamp in entry["outputs"].items()}
        assert recorded == {name: [(out / name).stat().st_size,
                                   (out / name).stat().st_mtime_ns]
                            for name in visible(out)}


def test_an_output_folder_restored_from_a_ci_cache_is_taken_as_built(tmp_path: Path) -> None:
    """A CI cache keeps the output folder in an archive: tar keeps whole seconds, zip even
    ones. The restored documents count as built; an edit made later does not."""
    import tarfile

    repo, out = copy_repo(tmp_path, with_stale=False), tmp_path / "uit"
    build(repo, out)
    archive = tmp_path / "cache.tar"
    with tarfile.open(archive, "w", format=tarfile.GNU_FORMAT) as packed:
        packed.add(out, arcname="uit")
    shutil.rmtree(out)
    with tarfile.open(archive) as packed:
        packed.extractall(tmp_path, filter="data")
    restored = stamps(out)
    assert all(time % 10**9 == 0 for time in restored.values())  # the seconds only
    report = build(repo, out)
    assert stamps(out) == restored and all(result.unchanged for result in report.files)

    zeester = out / "de-zeester.html"  # zip: rounded down to an even second
    seconds = restored["de-zeester.html"] // 10**9
    os.utime(zeester, ns=(seconds // 2 * 2 * 10**9, seconds // 2 * 2 * 10**9))
    assert all(result.unchanged for result in build(repo, out).files)
    os.utime(zeester, ns=((seconds - 2) * 10**9, (seconds - 2) * 10**9))  # not a copy of it
    assert [result.path.stem for result in build(repo, out).files
            if not result.unchanged] == ["de-zeester"]

    later = (seconds + 5) * 10**9 + 123  # edited by hand, the size kept
    text = (out / "de-regenboog.md").read_text(encoding="utf-8")
    (out / "de-regenboog.md").write_text(text.replace("a", "b", 1), encoding="utf-8")
    os.utime(out / "de-regenboog.md", ns=(later, later))
    assert [result.path.stem for result in build(repo, out).files
            if not result.unchanged] == ["de-regenboog"]
