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



def _github_html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _built(tmp_path: Path, school: Path) -> tuple[str, str]:
    report = sopc.build([school], tmp_path / "uit", ("html", "md"), today=TODAY)
    assert [d for d in report.diagnostics if d.severity.value == "error"] == []
    out = tmp_path / "uit"
    return ((out / f"{school.stem}.html").read_text(encoding="utf-8"),
            (out / f"{school.stem}.md").read_text(encoding="utf-8"))


def test_hard_line_breaks_reach_the_markdown_like_the_html(tmp_path: Path) -> None:
    """A hard line break in a text field and in a list item's text (grenzen) is a '<br>'
    in the HTML and, read as GitHub reads it, in the .md too."""
    source = (EXAMPLES / "ppo-noord-kennemerland.yaml").read_text(encoding="utf-8")
    item = "    - Waarbij niet aan de (fysieke) zorgbehoeften kan worden voldaan.\n"
    text = "  ouders-en-kind-school: |\n"
    assert item in source and text in source
    source = source.replace(item, '    - "Waarbij niet aan de (fysieke)\\\\\\nzorgbehoeften  \\n'
                                  'kan worden voldaan."\n')
    source = source.replace(text, text + "    Eerste regel  \n    tweede regel\\\n"
                                         "    derde regel\n\n")
    school = tmp_path / "school.yaml"
    school.write_text(source, encoding="utf-8")
    html, md = _built(tmp_path, school)
    assert "Eerste regel\\\ntweede regel\\\nderde regel" in md
    assert "- Waarbij niet aan de (fysieke)\\\n  zorgbehoeften\\\n  kan worden voldaan." in md
    assert html.count("<br") == _github_html(md).count("<br") == 4


def test_hard_line_break_in_a_table_cell_reaches_the_markdown(tmp_path: Path) -> None:
    """A cell cannot hold a new line: the .md writes '<br>', which GitHub renders."""
    layer = (EXAMPLES / "swv-po-stroomland.yaml").read_text(encoding="utf-8")
    (tmp_path / "swv-po-stroomland.yaml").write_text(
        layer + "begrippenlijst:\n  titel: Begrippen\n  kolomkop: Begrip\n  begrippen:\n"
                "    - term: IB'er\n      definitie: \"intern begeleider\\\\\\nzorgcoördinator\"\n",
        encoding="utf-8")
    school = tmp_path / "op-de-heuvel.yaml"
    school.write_text((EXAMPLES / "op-de-heuvel.yaml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    html, md = _built(tmp_path, school)
    assert "| IB'er | intern begeleider<br>zorgcoördinator |" in md
    assert html.count("<br") == _github_html(md).count("<br") == 1
