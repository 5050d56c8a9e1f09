"""Injection through school text: nothing the school writes becomes markup or code.

Text fields are Markdown with raw HTML switched off: tags are shown as text, links
with a script scheme are dropped, template syntax stays literal. Checked in the HTML,
the Markdown (as GitHub would render it) and the PDF.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import sopc

HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=\"https://example.org\"></iframe>",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "[klik hier](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<div style=\"position:fixed\">ruwe html</div>",
    "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} {# commentaar #}",
    "<svg onload=alert(1)>",
]
SCHOOL = """sopc: 1
swv: ppo-nk
school:
  naam: "{name}"
  brin: 12AB
  vestiging: "00"
sop:
  schooljaar: 2021-2022
teksten:
  ouders-en-kind-school: |
{text}
  visie-onderwijsondersteuning: x
  leerstijl-en-motivatie: x
  inrichting-onderwijsondersteuning: x
extra_hoofdstukken:
  - titel: "<b>Titel</b> {{{{ 7*7 }}}}"
    inhoud: "{{{{ config }}}} <script>alert(2)</script>"
"""


class Tags(HTMLParser):
    """Every element and attribute a browser would create from the markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def dangerous(markup: str) -> list[str]:
    parser = Tags()
    parser.feed(markup)
    found = []
    for tag, attrs in parser.tags:
        if tag in ("script", "iframe", "img", "svg", "object", "embed"):
            # sopc's own: none in a school document without a logo
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if name in ("href", "src") and (value or "").strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")):
                found.append(f"{tag}[{name}={value}]")
        if tag == "div" and "style" in attrs:
            found.append("div[style]")
    return found


def build(tmp_path: Path, formats: tuple[str, ...]) -> Path:
    text = "\n".join(f"    {line}\n" for line in HOSTILE)
    source = tmp_path / "school.yaml"
    source.write_text(SCHOOL.format(name="<i>Naam</i> {{ 7*7 }}", text=text), encoding="utf-8")
    out = tmp_path / "uit"
    report = sopc.build([source], out, formats, today=datetime.date(2022, 3, 1))
    assert not [d for d in report.diagnostics if d.severity.value == "error"]
    return out


def test_html_has_no_injected_markup(tmp_path: Path) -> None:
    html = (build(tmp_path, ("html",)) / "school.html").read_text(encoding="utf-8")
    body = html[html.index("<body"):]
    assert dangerous(html) == []
    # shown as text instead
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in body
    assert "&lt;iframe" in body
    assert "{{ 7*7 }}" in body and "49" not in body
    assert "{{ config }}" in body and "&lt;b&gt;Titel&lt;/b&gt;" in body


def test_markdown_renders_no_injected_markup(tmp_path: Path) -> None:
    markdown = (build(tmp_path, ("md",)) / "school.md").read_text(encoding="utf-8")
    # GitHub renders raw HTML in .md files: the output must contain none of the school's
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    assert dangerous(rendered) == []
    assert "&lt;script&gt;" in rendered
    assert "{{ 7\\*7 }}" in markdown  # the star escaped, the braces as written
    anchors = re.findall(r"<a id=\"[a-z0-9-]+\"></a>", rendered)
    assert anchors  # sopc's own section anchors are the only raw HTML


@pytest.mark.slow
def test_pdf_shows_the_text_literally(tmp_path: Path) -> None:
    import pypdf

    pdf = build(tmp_path, ("pdf",)) / "school.pdf"
    reader = pypdf.PdfReader(pdf)
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    assert "<script>alert('x')</script>" in text
    assert "{{ 7*7 }}" in text
    for page in reader.pages:  # no link annotation with a script or data scheme
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            assert not uri.startswith(("javascript:", "data:")), uri
    assert "/JavaScript" not in pdf.read_bytes().decode("latin-1")
