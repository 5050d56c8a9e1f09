"""Installable the way the integrations say: one repository address, a tag per version,
workflow and CI files that today's linters accept, and a wheel that works on its own.

The linters are the real clients (actionlint, check-jsonschema with the published
workflow and GitLab schemas, pre-commit's own config checks), installed by the dev extra.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, sopc_url

from sopc import __version__

SCHOOLS_REPO = EXAMPLES / "schools-repo"
WORKFLOWS = sorted([*(ROOT / ".github" / "workflows").glob("*.yml"),
                    *(SCHOOLS_REPO / ".github" / "workflows").glob("*.yml")])
GITLAB = [SCHOOLS_REPO / ".gitlab-ci.yml"]
# every text a user copies from: docs, samples, the hook manifest
TEXTS = sorted({*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md"), *WORKFLOWS, *GITLAB,
                ROOT / ".pre-commit-hooks.yaml", SCHOOLS_REPO / ".pre-commit-config.yaml",
                *SCHOOLS_REPO.glob("*.md"), *SCHOOLS_REPO.glob("*.toml")})


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found is not None, f"{name} is a dev dependency (pyproject.toml)"
    return found


def run(*command: str) -> subprocess.CompletedProcess[str]:
    # without PYTHONDONTWRITEBYTECODE, which makes setuptools warn that it cannot compile
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT,
                          env=environment)


def test_every_text_names_the_one_repository_address() -> None:
    canonical = sopc_url()
    assert canonical.startswith("https://") and not canonical.endswith("/")
    for text in TEXTS:
        content = text.read_text(encoding="utf-8")
        for address in re.findall(r"https?://[^\s\"'<>)`]*sopc[^\s\"'<>)`]*", content):
            assert address == canonical or address.startswith(
                (f"{canonical}/", f"{canonical}@", f"{canonical}.git")), (text, address)
        assert "<git-adres" not in content, text
        # no pin on a distribution that no package index has
        assert not re.search(r"sopc\s*==", content), text


def test_every_pinned_version_is_this_version() -> None:
    """`rev: vX` of pre-commit and `@vX` of a pip install name the version being released,
    so a tag's docs and samples install that same tag."""
    pins = []
    for text in TEXTS:
        content = text.read_text(encoding="utf-8")
        pins += [(text.name, pin) for pin in
                 re.findall(r"^[\s#-]*rev:\s*(\S+)", content, re.MULTILINE) +
                 re.findall(rf"{re.escape(sopc_url())}@(\S+?)[\"\s]", content)]
    assert pins and all(pin == f"v{__version__}" for _, pin in pins), pins


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_actionlint_accepts_the_workflow(workflow: Path) -> None:
    linted = run(tool("actionlint"), "-no-color", str(workflow))
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_workflow_and_gitlab_files_match_their_published_schemas() -> None:
    checker = tool("check-jsonschema")
    for schema, files in (("vendor.github-workflows", WORKFLOWS), ("vendor.gitlab-ci", GITLAB)):
        checked = run(checker, "--builtin-schema", schema, *map(str, files))
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_pre_commit_accepts_the_hook_manifest_and_the_sample_config() -> None:
    pre_commit = tool("pre-commit")
    manifest = run(pre_commit, "validate-manifest", ".pre-commit-hooks.yaml")
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    config = run(pre_commit, "validate-config",
                 str(SCHOOLS_REPO / ".pre-commit-config.yaml"))
    assert config.returncode == 0, config.stdout + config.stderr


def test_docs_show_the_sample_files_as_they_are() -> None:
    """docs/ci.md quotes the sample workflow, GitLab job and pre-commit config whole."""
    guide = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", guide, re.DOTALL)
    for sample in (SCHOOLS_REPO / ".github" / "workflows" / "sopc.yml", *GITLAB,
                   SCHOOLS_REPO / ".pre-commit-config.yaml"):
        assert sample.read_text(encoding="utf-8") in blocks, sample


def test_the_release_workflow_publishes_what_it_tested() -> None:
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml")
                              .read_text(encoding="utf-8"))
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    commands = "\n".join(step.get("run", "") for step in build["steps"])
    assert "python -m build --outdir dist" in commands
    assert "python tools/check_dist.py dist" in commands and "make test" in commands
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing, no secret
    assert not re.search(r"secrets\.", str(workflow))


@pytest.mark.slow
def test_the_built_wheel_and_sdist_pass_every_check(tmp_path: Path) -> None:
    """`python -m build`, then tools/check_dist.py as the release workflow runs it:
    twine check, every template/preset/schema inside, and a fresh venv whose sopc builds
    every example byte for byte as the golden files."""
    built = run(sys.executable, "-m", "build", "--outdir", str(tmp_path / "dist"), str(ROOT))
    assert built.returncode == 0, built.stdout + built.stderr
    assert "warning" not in built.stdout.lower() + built.stderr.lower(), built.stderr
    checked = run(sys.executable, str(ROOT / "tools" / "check_dist.py"),
                  str(tmp_path / "dist"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    golden = len(list((ROOT / "tests" / "golden").glob("*.html"))) \
        + len(list((ROOT / "tests" / "golden").glob("*.md")))
    assert golden == 7 * 2 + 2 * 2 * 3  # every example; the short versions of two
    assert f"builds all {golden} golden documents byte for byte" in checked.stdout
