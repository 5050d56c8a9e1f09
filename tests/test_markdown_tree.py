"""The Markdown output renders the same document as the HTML: same sections, same cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY
from doctree import html_tree, markdown_tree

import sopc
from sopc.models import PROFILES

EXAMPLE_FILES = [EXAMPLES / "op-de-heuvel.yaml", EXAMPLES / "ppo-noord-kennemerland.yaml"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tree")
    report = sopc.build(EXAMPLE_FILES, out, ("html", "md"), today=TODAY, profiles=PROFILES)
    assert all(result.outputs for result in report.files)
    return out


CASES = [(path.stem, profile) for path in EXAMPLE_FILES for profile in PROFILES]


@pytest.mark.parametrize(("stem", "profile"), CASES, ids=[f"{s}-{p}" for s, p in CASES])
def test_markdown_has_the_sections_and_cells_of_the_html(built: Path, stem: str,
                                                         profile: str) -> None:
    name = stem if profile == "volledig" else f"{stem}.{profile}"
    html_headings, html_tables = html_tree((built / f"{name}.html").read_text(encoding="utf-8"))
    md_headings, md_tables = markdown_tree((built / f"{name}.md").read_text(encoding="utf-8"))
    assert len(html_headings) > 3
    assert md_headings == html_headings
    assert md_tables == html_tables
    if profile == "volledig":
        assert len(html_tables) > 3
