"""Issue 10, findings 1, 2, 3, 7 (text fields), 14 and 29 (bidi/zero-width): regressions.

Every case that the command line shows runs as a real process (`sopc_process`: 1 GiB
address space, 30 s); the rendering rules are also checked by direct calls, which are
fast. Each of these failed on the code before the fix (see the commit messages).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from processes import sopc_process

TODAY = "2022-03-01"
SCHOOL = """sopc: 1
swv: {swv}
school:
  naam: {naam}
  brin: {brin}
  vestiging: "00"
  website: {website}
sop:
  schooljaar: 2021-2022
  invuldatum: {invuldatum}
  vastgesteld: {vastgesteld}
  mr_advies: {mr_advies}
teksten:
  ouders-en-kind-school: {tekst}
  visie-onderwijsondersteuning: x
  leerstijl-en-motivatie: x
  inrichting-onderwijsondersteuning: x
inspectie:
  datum: {inspectiedatum}
  rapport: {rapport}
"""
DEFAULTS = {"swv": "ppo-nk", "naam": "Testschool", "brin": "12AB",
            "website": "https://www.school.nl", "invuldatum": "2021-11",
            "vastgesteld": "2021-12-01", "mr_advies": "2021-11-20", "tekst": "x",
            "inspectiedatum": "2021-07-20", "rapport": "https://www.onderwijsinspectie.nl"}
LINE = {key: number for number, line in enumerate(SCHOOL.split("\n"), start=1)
        for key in DEFAULTS if "{" + key + "}" in line}
ANCHOR_PARAGRAPH = r'<a id="sop-[a-z0-9-]+"></a>'


def school(folder: Path, name: str = "school", **values: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(SCHOOL.format(**{**DEFAULTS, **values}), encoding="utf-8")
    return path


def validate_json(*paths: Path) -> tuple[int, list[dict[str, Any]]]:
    outcome = sopc_process("validate", *map(str, paths), "--format", "json",
                           "--today", TODAY)
    assert outcome.code != 3, outcome.err
    report = json.loads(outcome.out)
    return outcome.code, [d for file in report["files"] for d in file["diagnostics"]]


def build(folder: Path, *paths: Path, formats: str = "html,md",
          profiles: str = "volledig") -> tuple[int, str, Path]:
    out = folder / "uit"
    outcome = sopc_process("build", *map(str, paths), "-o", str(out), "--format", formats,
                           "--profiel", profiles, "--today", TODAY, "--meldingen", "parsable")
    assert outcome.code != 3, outcome.err
    return outcome.code, outcome.out + outcome.err, out


def html_tokens(markdown: str) -> list[str]:
    """Raw HTML a viewer that allows it would pass on, except sopc's own anchors."""
    import re

    found = []
    for token in MarkdownIt("commonmark", {"html": True}).enable("table").parse(markdown):
        if token.type == "inline" and re.fullmatch(ANCHOR_PARAGRAPH, token.content):
            continue
        for item in [token, *(token.children or [])]:
            if item.type in ("html_block", "html_inline"):
                found.append(item.content)
    return found


# ----------------------------------------------------------------------------------------
# 1. Impossible calendar dates, Unicode digits
# ----------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize(("field", "value"), [("vastgesteld", "2023-02-29"),
                                              ("invuldatum", "2021-04-31"),
                                              ("mr_advies", "0000-01-01")])
def test_impossible_date_is_a_diagnostic_and_other_files_still_report(
        tmp_path: Path, field: str, value: str) -> None:
    bad = school(tmp_path, "kapot", **{field: value})
    other = school(tmp_path, "ander", brin="34CD", mr_advies="2099-01-01")
    code, diagnostics = validate_json(bad, other)
    assert code == 1
    found = {(Path(d["file"]).name, d["code"], d["line"]) for d in diagnostics}
    assert ("kapot.yaml", "datum-formaat", LINE[field]) in found
    assert ("ander.yaml", "datum-in-toekomst", LINE["mr_advies"]) in found


@pytest.mark.slow
def test_february_31_in_the_inspection_is_refused_not_printed(tmp_path: Path) -> None:
    code, shown, out = build(tmp_path, school(tmp_path, inspectiedatum="2021-02-31"))
    assert code == 1
    assert f":{LINE['inspectiedatum']}:" in shown and "[datum-formaat]" in shown
    assert "31 februari 2021 bestaat niet" in shown
    assert not (out / "school.html").exists()


@pytest.mark.slow
def test_unicode_digits_in_dates_are_refused(tmp_path: Path) -> None:
    path = school(tmp_path, vastgesteld='"\u0662\u0660\u0662\u0661-\u0661\u0662-\u0660\u0661"',
                  invuldatum='"\uff12\uff10\uff12\uff11-11"')
    code, diagnostics = validate_json(path)
    assert code == 1
    assert {(d["code"], d["line"]) for d in diagnostics} >= {
        ("datum-formaat", LINE["vastgesteld"]), ("datum-formaat", LINE["invuldatum"])}


def test_date_problem_knows_the_calendar() -> None:
    from sopc.dates import date_problem

    assert date_problem("2024-02-29") is None and date_problem("2021-11") is None
    assert "30 februari 2021 bestaat niet" in (date_problem("2021-02-30") or "")
    for wrong in ("2023-02-29", "2021-04-31", "0000-01-01", "2021-13", "2021-00-10",
                  "2021-01-00", "2021-11\n", "\u0662\u0660\u0662\u0661-11", "99999-01-01"):
        assert date_problem(wrong), wrong


# ----------------------------------------------------------------------------------------
# 2. Stored XSS through website and rapport
# ----------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("field", ["website", "rapport"])
def test_script_url_is_refused_at_its_line(tmp_path: Path, field: str) -> None:
    path = school(tmp_path, **{field: '"javascript:alert(document.cookie)"'})
    code, shown, out = build(tmp_path, path, profiles="volledig,ouders,schoolgids")
    assert code == 1
    assert f"school.yaml:{LINE[field]}:" in shown and "[ongeldige-url]" in shown
    assert not list(out.glob("*.html")) if out.exists() else True


def test_templates_only_link_urls_inside_the_policy() -> None:
    """Even a Document that did not come through validation gets no script link."""
    import dataclasses
    import datetime

    import sopc
    from sopc.render import Renderer

    example = Path(__file__).resolve().parents[2] / "examples" / "op-de-heuvel.yaml"
    report = sopc.build([example], Path("/nonexistent-never-written"), formats=(),
                        profiles=("volledig", "ouders"), keep_documents=True,
                        today=datetime.date(2022, 3, 1), incremental=False)
    documents = report.files[0].documents
    renderer = Renderer()
    for document in documents.values():
        hostile = dataclasses.replace(document, website="javascript:alert(1)")
        for section in hostile.sections:
            for index, block in enumerate(section.parts):
                if not block.is_section and block.kind == "inspectie":
                    section.parts[index] = block._replace(
                        data=block.data._replace(report="javascript:alert(2)"))
        for output in ("html", "md"):
            text = renderer.render_text(hostile, output)
            assert 'href="javascript' not in text and "](javascript" not in text
            assert "(<javascript" not in text


# ----------------------------------------------------------------------------------------
# 3. Raw HTML and live links in the .md output
# ----------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("text", [
    '"een `losse backtick en dan <script>alert(1)</script>"',
    '"```a`\\n<script>alert(1)</script>\\n<img src=x onerror=alert(1)>"',
    '"``dubbel ` enkel`` <script>alert(1)</script>"',
])
def test_backticks_cannot_switch_escaping_off(tmp_path: Path, text: str) -> None:
    code, shown, out = build(tmp_path, school(tmp_path, tekst=text), formats="md")
    assert code == 0, shown
    assert html_tokens((out / "school.md").read_text(encoding="utf-8")) == []


@pytest.mark.slow
def test_inspection_report_is_not_pasted_raw(tmp_path: Path) -> None:
    # Not a link under the policy: refused at load. What the template does with a report
    # that would slip through is tested directly below.
    code, shown, _ = build(tmp_path, school(tmp_path, rapport='"x><script>alert(1)</script>"'),
                           formats="md")
    assert code == 1 and "[ongeldige-url]" in shown


def test_markdown_link_filter_escapes_what_it_cannot_link() -> None:
    from sopc.textformat import markdown_link

    assert markdown_link("https://www.onderwijsinspectie.nl/zoek-scholen") == \
        "<https://www.onderwijsinspectie.nl/zoek-scholen>"
    assert markdown_link("www.school.nl") == "[www.school.nl](<https://www.school.nl>)"
    for hostile in ("x><script>alert(1)</script>", "javascript:alert(1)",
                    "https://a.nl/><img src=x onerror=alert(1)>"):
        assert html_tokens(markdown_link(hostile)) == []
        assert "](" not in markdown_link(hostile)


@pytest.mark.slow
def test_swv_title_and_legend_symbol_are_escaped(tmp_path: Path) -> None:
    layer = tmp_path / "swv.yaml"
    layer.write_text(
        "sopc: 1\nsoort: swv\nbasis: perspectief-op-school\n"
        "swv:\n  id: swv-x\n  naam: SWV X\n"
        "documenttitel: \"<script>alert(1)</script> Profiel\"\n"
        "legenda:\n"
        "  - {id: op-school, label: Op school, uitleg: aanwezig, symbool: \"|\"}\n"
        "  - {id: via-bestuur, label: Bestuur, uitleg: via bestuur, symbool: \"<b>\"}\n"
        "  - {id: via-swv, label: SWV, uitleg: via swv, symbool: \"*\"}\n",
        encoding="utf-8")
    example = Path(__file__).resolve().parents[2] / "examples" / "op-de-heuvel.yaml"
    path = tmp_path / "heuvel.yaml"
    path.write_text(example.read_text(encoding="utf-8").replace(
        "swv: swv-po-stroomland.yaml", "swv: swv.yaml"), encoding="utf-8")
    code, shown, out = build(tmp_path, path, formats="md")
    assert code == 0, shown
    markdown = (out / "heuvel.md").read_text(encoding="utf-8")
    assert html_tokens(markdown) == []
    texts = {"".join(child.content for child in token.children or [])
             for token in MarkdownIt("commonmark").enable("table").parse(markdown)
             if token.type == "inline"}
    assert "| ja" in texts  # the symbol and its word in one cell: the table is whole
    assert "| Op school" in texts and "<b> ja" in texts
    assert "<script>alert(1)</script> Profiel" in texts  # shown, not run


@pytest.mark.slow
def test_script_links_are_not_kept_in_markdown(tmp_path: Path) -> None:
    text = '"[klik](javascript:alert(1)) en [data](data:text/html,x) en <javascript:alert(2)>"'
    code, shown, out = build(tmp_path, school(tmp_path, tekst=text), formats="md")
    assert code == 0 and "[link-weggelaten]" in shown
    markdown = (out / "school.md").read_text(encoding="utf-8")
    # A viewer that checks no link at all still finds none with a script scheme.
    permissive = MarkdownIt("commonmark")
    permissive.validateLink = lambda url: True  # type: ignore[method-assign]
    hrefs = [str(child.attrs.get("href")) for token in permissive.parse(markdown)
             for child in token.children or [] if child.type == "link_open"]
    assert not [href for href in hrefs if href.startswith(("javascript:", "data:"))], hrefs


def test_markdown_writer_keeps_structure_and_escapes_text() -> None:
    from sopc.textformat import escape_markdown, to_markdown, to_markdown_inline

    assert to_markdown("een `code` en **vet**\n\n- a\n- b") == \
        "een `code` en **vet**\n\n- a\n- b"
    assert to_markdown("a `b <i>") == "a \\`b \\<i>"
    assert to_markdown("```a`\n<b>") == "\\`\\`\\`a\\`\n\\<b>"
    assert to_markdown("`` a`b ``") == "``a`b``"  # CommonMark drops the padding
    assert to_markdown("~~~\n<b>\n````\n~~~") == "`````\n<b>\n````\n`````"
    assert to_markdown("\\![i](https://t.nl/p.png)") == "\\![i](<https://t.nl/p.png>)"
    assert to_markdown_inline("1. een\n2. twee") == "een twee"
    assert escape_markdown("1. school | <b>") == "1\\. school \\| \\<b>"
    assert escape_markdown("2.1 Visie") == "2.1 Visie"


# ----------------------------------------------------------------------------------------
# 14. Format checks that '$' let through
# ----------------------------------------------------------------------------------------

@pytest.mark.slow
def test_final_newline_does_not_pass_format_checks(tmp_path: Path) -> None:
    first = school(tmp_path, "een", brin="00AA")
    second = school(tmp_path, "twee", brin='"00AA\\n"')
    code, diagnostics = validate_json(first, second)
    assert code == 1
    assert ("twee.yaml", "brin-formaat") in {(Path(d["file"]).name, d["code"])
                                              for d in diagnostics}


def test_every_format_uses_fullmatch() -> None:
    from pydantic import ValidationError

    from sopc.models import SchoolFile

    base = {"sopc": 1, "school": {"naam": "x", "brin": "12AB", "vestiging": "00"},
            "sop": {"schooljaar": "2021-2022"}}
    for path, value in ((("school", "brin"), "12AB\n"), (("school", "vestiging"), "00\n"),
                        (("sop", "schooljaar"), "2021-2022\n"),
                        (("sop", "schooljaar"), "\u0662\u0660\u0662\u0661-2022"),
                        (("sop", "invuldatum"), "2021-11\n")):
        data = json.loads(json.dumps(base))
        data[path[0]][path[1]] = value
        with pytest.raises(ValidationError):
            SchoolFile.model_validate(data)
    with pytest.raises(ValidationError):
        SchoolFile.model_validate({**base, "teksten": {"visie\n": "x"}})


# ----------------------------------------------------------------------------------------
# 29. Bidi overrides and zero-width characters
# ----------------------------------------------------------------------------------------

@pytest.mark.slow
def test_bidi_override_in_a_name_warns_at_its_line(tmp_path: Path) -> None:
    path = school(tmp_path, naam='"De Regenboog \\u202egnilleS"')
    code, diagnostics = validate_json(path)
    assert code == 0
    assert ("onzichtbaar-teken", LINE["naam"], "warning") in {
        (d["code"], d["line"], d["severity"]) for d in diagnostics}


@pytest.mark.slow
def test_no_output_can_reorder_text(tmp_path: Path) -> None:
    path = school(tmp_path, naam='"De \\u202eRegenboog\\u2066"',
                  tekst='"tekst \\u202e met \\u200b en \\u2067 erin"')
    code, shown, out = build(tmp_path, path, profiles="volledig,ouders")
    assert code == 0, shown
    for output in out.glob("school*.*"):
        text = output.read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                       "\u2068\u2069\u200b\u200e\u200f\ufeff"), output.name
        assert "Regenboog" in text


@pytest.mark.slow
def test_control_characters_never_reach_a_document(tmp_path: Path) -> None:
    """ESC and C1 controls in a name or text: a warning at the name, and no document
    (opened with `cat`, pasted into a CMS) carries them."""
    path = school(tmp_path, naam='"De \\e[2JRegenboog\\x9b"',
                  tekst='"tekst \\e]0;titel\\a met \\x00 en \\x7f erin"')
    code, diagnostics = validate_json(path)
    assert ("onzichtbaar-teken", LINE["naam"], "warning") in {
        (d["code"], d["line"], d["severity"]) for d in diagnostics}
    code, shown, out = build(tmp_path, path, profiles="volledig,ouders")
    assert code == 0, shown
    for output in out.glob("school*.*"):
        text = output.read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\x1b\x9b\x07\x00\x7f"), output.name
        assert "Regenboog" in text


# ----------------------------------------------------------------------------------------
# 7. Bounded work for Markdown text fields
# ----------------------------------------------------------------------------------------

def _table(rows: int, columns: int = 4) -> str:
    header = "|" + "|".join(f" k{i} " for i in range(columns)) + "|"
    delimiter = "|" + "|".join(" --- " for _ in range(columns)) + "|"
    body = "\n".join("|" + "|".join(f" c{r}-{i} " for i in range(columns)) + "|"
                     for r in range(rows))
    return f"{header}\n{delimiter}\n{body}\n"


def _block_scalar(text: str) -> str:
    return "|\n" + "".join(f"    {line}\n" for line in text.split("\n"))


@pytest.mark.slow
@pytest.mark.parametrize(("text", "code"), [
    (_table(1_500), "tabel-te-groot"),
    ("\n\n".join([_table(300)] * 2), "tabel-te-groot"),  # the tables of a text together
    ("- punt\n" * 14_000, "tekst-te-veel-regels"),  # as a PDF: more than 30 s before
    (_table(100_000, 3), "tekst-te-lang"),  # about 4 MB (the file stays under 5 MiB)
    ("\n".join("  " * depth + "- punt" for depth in range(40)), "tekst-te-diep-genest"),
    ("> " * 200 + "citaat", "tekst-te-diep-genest"),
    ("[" * 50_000 + "]" * 49_990, "tekst-te-veel-links"),  # validate alone took 38 s before
])
def test_oversized_markdown_is_reported_by_validate_and_never_built(
        tmp_path: Path, text: str, code: str) -> None:
    path = school(tmp_path, tekst=_block_scalar(text))
    exit_code, diagnostics = validate_json(path)
    assert exit_code == 1
    assert (code, LINE["tekst"]) in {(d["code"], d["line"]) for d in diagnostics}
    outcome = sopc_process("build", str(path), "-o", str(tmp_path / "uit"), "--today", TODAY)
    assert outcome.code == 1 and f"[{code}]" in outcome.err + outcome.out
    assert outcome.seconds < 15 and outcome.peak_kib < 400 * 1024
    assert not (tmp_path / "uit" / "school.html").exists()


def test_limits_leave_real_documents_alone() -> None:
    from sopc.loader import load_file
    from sopc.textformat import text_problem

    root = Path(__file__).resolve().parents[2]
    texts: list[str] = []

    def strings(value: Any) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    for path in [*root.glob("examples/*.yaml"), *root.glob("sopc/presets/*.yaml")]:
        strings(load_file(path, path.name).data)
    for path in root.glob("tests/fidelity/reference/*.txt"):
        texts.append(path.read_text(encoding="utf-8"))
    assert len(texts) > 100
    assert [text[:40] for text in texts if text_problem(text)] == []


def test_limit_estimates() -> None:
    from sopc.textformat import MAX_TABLE_CELLS, text_problem

    assert text_problem(_table(MAX_TABLE_CELLS // 4 - 2)) is None
    assert (text_problem(_table(MAX_TABLE_CELLS // 4 + 1)) or ("",))[0] == "tabel-te-groot"
    nested = "\n".join("   " * depth + "1. x" for depth in range(10))
    assert text_problem(nested) is None
    assert text_problem("- " * 11 + "x") is not None
    assert text_problem(" " * 90_000 + "-x") is None  # no super-linear regex work


def test_a_refused_link_keeps_its_text_not_its_syntax() -> None:
    """'de tekst blijft staan zonder link': the label, not '[label](javascript:…)'."""
    from sopc import textformat

    for text in ("Zie [de folder](//elders.example/x) hier.",
                 "Zie [de folder](javascript:alert(1)) hier.",
                 "Zie [de folder][r] hier.\n\n[r]: data:text/html,x"):
        assert textformat.to_html(text) == "<p>Zie de folder hier.</p>\n", text
        assert textformat.to_markdown(text) == "Zie de folder hier.", text
    assert textformat.to_html("[ok](https://school.nl) en [nee](vbscript:x)") == \
        '<p><a href="https://school.nl">ok</a> en nee</p>\n'


def test_every_refused_link_of_a_text_is_reported() -> None:
    from sopc import textformat

    problems = textformat.link_problems(
        "[a](javascript:x) [b](data:x) ![c](https://e.example/p.png) [d](protocol.pdf) "
        "[ok](https://school.nl)")
    assert [problem.split("'")[1] for problem, _ in problems] == [
        "javascript:x", "data:x", "https://e.example/p.png", "protocol.pdf"]
    image_hint = problems[2][1]
    assert image_hint is not None and "https://" not in image_hint


def test_separate_lists_and_quotes_are_not_added_up() -> None:
    """A list and, after it, a quote each 8 deep stay within the limit of 10 (they were
    counted as 16 deep together)."""
    from sopc.textformat import text_problem

    lists = "\n".join("  " * depth + "- punt" for depth in range(8))
    quote = "> " * 8 + "citaat"
    assert text_problem(lists + "\n\n" + quote) is None
    assert text_problem(lists + "\n\n" + "> " * 11 + "citaat") is not None
