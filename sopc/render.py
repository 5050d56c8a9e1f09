"""Stage 4, render: the view model → HTML and Markdown text through Jinja2 templates.

The HTML environment autoescapes everything; only Markdown already rendered by
`sopc.textformat` (raw HTML disabled there) is marked safe. Both environments use
StrictUndefined, so a typo in a template fails the build instead of printing nothing.
Templates come from a search path: user folders first, then the built-in theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from sopc import textformat
from sopc.resolve import Document

FORMATS = ("html", "md")
THEME = "standaard"


def builtin_template_dir() -> Path:
    return Path(str(resources.files("sopc.templates").joinpath(THEME)))


def _html_block(text: str | None) -> Markup:
    return Markup(textformat.to_html(text)) if text else Markup("")


def _html_inline(text: str | None) -> Markup:
    return Markup(textformat.to_html_inline(text)) if text else Markup("")


def _md_cell(text: Any) -> str:
    return textformat.table_cell(textformat.escape_markdown("" if text is None else str(text)))


def _md_inline_cell(text: str | None) -> str:
    return textformat.table_cell(textformat.to_markdown_inline(text)) if text else ""


class Renderer:
    """One Jinja environment per output format, reused for every school of a run."""

    def __init__(self, template_dirs: Sequence[Path] = ()) -> None:
        search_path = [str(path) for path in template_dirs] + [str(builtin_template_dir())]
        self._environments: dict[str, jinja2.Environment] = {}
        for output in FORMATS:
            environment = jinja2.Environment(
                loader=jinja2.FileSystemLoader(search_path),
                autoescape=output == "html",
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
            )
            environment.filters.update({
                "md_block": _html_block,
                "md_inline": _html_inline,
                "md_text": lambda text: textformat.to_markdown(text) if text else "",
                "md_line": lambda text: textformat.to_markdown_inline(text) if text else "",
                "md_escape": textformat.escape_markdown,
                "md_cell": _md_cell,
                "md_inline_cell": _md_inline_cell,
            })
            self._environments[output] = environment

    def render(self, document: Document, output: str) -> str:
        template = self._environments[output].get_template(f"document.{output}.j2")
        text = template.render(doc=document)
        # One trailing newline, no trailing spaces: stable, diff-friendly output.
        lines = [line.rstrip() for line in text.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(_collapse_blank_lines(lines)) + "\n"


def _collapse_blank_lines(lines: list[str]) -> list[str]:
    result: list[str] = []
    for line in lines:
        if not line and result and not result[-1]:
            continue
        result.append(line)
    return result
