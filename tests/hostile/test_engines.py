"""The engines behind the documents: Jinja templates, Typst (the PDF), SVG logos.

What a template, a logo or a school text can make them do is bounded and local: no file
outside its folder, no network, no attachment in a PDF, no endless or gigantic render,
no hang on a special file, and every failure a Dutch diagnostic with exit 1.

The process cases run `sopc` as its own process under 1 GiB and 30 s
(tests/hostile/processes.py); the pure-function cases beside them are fast.
"""

from __future__ import annotations

import base64
import http.server
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from processes import ROOT, sopc_process

from sopc import bounds, pdf
from sopc.svg import svg_problem

SCHOOL = ROOT / "examples" / "op-de-heuvel.yaml"
SECRET = "GEHEIM-7f3a9c"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYA"
                       "AjCB0C8AAAAASUVORK5CYII=")

slow = pytest.mark.slow


def theme(tmp_path: Path, **templates: str) -> Path:
    folder = tmp_path / "thema"
    folder.mkdir(exist_ok=True)
    for name, text in templates.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def build(tmp_path: Path, folder: Path | None, fmt: str, school: Path = SCHOOL,
          out: str = "uit") -> tuple[int, str, str, float]:
    args = ["build", str(school), "--format", fmt, "-o", str(tmp_path / out), "--force",
            "--today", "2022-03-01", "--meldingen",
            "parsable"]
    if folder is not None:
        args += ["--templates", str(folder)]
    outcome = sopc_process(*args)
    return outcome.code, outcome.out, outcome.err, outcome.seconds


def school_with_chapter(tmp_path: Path, *chapters: str) -> Path:
    """The example school with extra chapters of Markdown, its SWV layer beside it (a
    school may only use an SWV file inside its repository)."""
    school = tmp_path / "school.yaml"
    layer = ROOT / "examples" / "swv-po-stroomland.yaml"
    (tmp_path / layer.name).write_text(layer.read_text(encoding="utf-8"), encoding="utf-8")
    extra = "extra_hoofdstukken:\n"
    for number, markdown in enumerate(chapters, start=1):
        body = "".join(f"      {line}\n" if line else "\n" for line in markdown.split("\n"))
        extra += f"  - titel: Extra {number}\n    inhoud: |\n{body}"
    school.write_text(SCHOOL.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return school


def assert_clean_failure(code: int, out: str, err: str) -> None:
    assert code == 1, (code, out, err)
    assert "Traceback" not in out + err


# ----------------------------------------------------------------------------------------
# 4. Templates cannot read files outside their folder; a PDF carries no attachments
# ----------------------------------------------------------------------------------------

@slow
def test_a_template_linked_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text(SECRET, encoding="utf-8")
    folder = theme(tmp_path, document_md_j2='{% include "geheim.j2" %}\n')
    (folder / "geheim.j2").symlink_to(secret)
    code, out, err, _ = build(tmp_path, folder, "md")
    assert_clean_failure(code, out, err)
    assert "[pad-buiten-repository]" in out + err and SECRET not in out + err
    assert "document.md.j2:1:" in out + err  # where the include stands
    assert not (tmp_path / "uit" / "op-de-heuvel.md").exists()


@slow
def test_a_template_that_is_a_fifo_does_not_hang_the_build(tmp_path: Path) -> None:
    folder = theme(tmp_path, document_md_j2='{% include "pijp.j2" %}\n')
    os.mkfifo(folder / "pijp.j2")
    code, out, err, seconds = build(tmp_path, folder, "md")
    assert_clean_failure(code, out, err)
    assert "[template-fout]" in out + err and "geen gewoon bestand" in out + err
    assert seconds < 20


TYPST_IN_TEXT = ('#read("/etc/hostname") #pdf.embed("/etc/passwd") '
                 '#image("http://127.0.0.1:9/x.png") #import "@preview/x:0.1.0": * '
                 '#let x = 1 $ x^2 $ <label> @ref `code` *vet*')


@slow
def test_typst_code_in_a_school_text_is_text(tmp_path: Path) -> None:
    """The PDF gets the school's texts as data: what looks like Typst code (reading a
    file, embedding one, a package, an image from the web) is printed as it was
    written, and nothing is embedded or read."""
    import pypdf

    school = school_with_chapter(tmp_path, TYPST_IN_TEXT.replace("*vet*", "\\*vet\\*"))
    code, out, err, _ = build(tmp_path, None, "pdf", school)
    assert code == 0, (out, err)
    pdf_file = tmp_path / "uit" / "school.pdf"
    reader = pypdf.PdfReader(pdf_file)
    assert reader.attachments == {}
    raw = pdf_file.read_bytes()
    assert b"/EmbeddedFile" not in raw and b"/FileAttachment" not in raw
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert '#read("/etc/hostname") #pdf.embed("/etc/passwd")' in text
    assert "$ x^2 $ <label> @ref" in text


# ----------------------------------------------------------------------------------------
# 5. The PDF engine loads nothing: no network, no file; the same input, the same bytes
# ----------------------------------------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []  # replaced per server by the fixture

    def do_GET(self) -> None:  # the name http.server calls
        type(self).requests.append(self.path)
        body = PNG if self.path.endswith(".png") else b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on 127.0.0.1 that records every request; it shuts itself down
    after 120 s whatever happens to the test."""
    requests: ClassVar[list[str]] = []  # replaced per server by the fixture
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    stopper = threading.Timer(120, server.shutdown)
    stopper.daemon = True
    thread.start()
    stopper.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        stopper.cancel()
        server.shutdown()
        server.server_close()
        thread.join(5)


@slow
def test_a_pdf_build_makes_no_request(tmp_path: Path,
                                      web_server: tuple[str, list[str]]) -> None:
    """An image in a text, a link, Typst's own image and package syntax: nothing is
    fetched, and two builds give the same bytes."""
    url, requests = web_server
    school = school_with_chapter(
        tmp_path, f"![volg]({url}/tekst.png) [link]({url}/pagina) "
                  f'#image("{url}/typst.png") #import "{url}/pakket.typ"\n')
    first = build(tmp_path, None, "pdf", school, "een")
    second = build(tmp_path, None, "pdf", school, "twee")
    assert first[0] == 0 and second[0] == 0, (first, second)
    assert requests == []
    one = (tmp_path / "een" / "school.pdf").read_bytes()
    assert one == (tmp_path / "twee" / "school.pdf").read_bytes()


def test_typst_sees_one_folder_with_only_the_logo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typst reads files only under its root: a fresh folder holding the logo, no
    package folder of the user, and the data as an input string."""
    import typst

    from sopc.view import Document

    seen: dict[str, object] = {}

    def compile_(source: bytes, **options: object) -> bytes:
        root = Path(str(options["root"]))
        seen.update(options, files=sorted(p.name for p in root.iterdir()))
        return b"%PDF-1.7"

    monkeypatch.setattr(typst, "compile", compile_)
    logo = "data:image/png;base64," + base64.b64encode(PNG).decode()
    pdf.pdf_bytes(Document("T", "S", "00AA00", "2021-2022", "SWV", [], logo=logo))
    assert seen["files"] == ["logo.png"]
    assert seen["package_path"] == seen["root"] == seen["package_cache_path"]
    assert seen["font_paths"] == [] and seen["pdf_standards"] == ["ua-1"]
    assert not Path(str(seen["root"])).exists()  # gone after the build


# ----------------------------------------------------------------------------------------
# 7. SVG logos: refused when they multiply work or load anything; PDF layout bounded
# ----------------------------------------------------------------------------------------

def nested_use(levels: int = 10) -> str:
    """The SVG 'billion laughs': each level draws the one below ten times (~2 KB)."""
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
             ' width="100" height="100">', '<defs><rect id="l0" width="1" height="1"/>']
    for level in range(1, levels):
        uses = "".join(f'<use xlink:href="#l{level - 1}" x="{i}"/>' for i in range(10))
        parts.append(f'<g id="l{level}">{uses}</g>')
    parts.append(f'</defs><use xlink:href="#l{levels - 1}"/></svg>')
    return "\n".join(parts)


SAFE_SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 100 40">
  <title>SWV X</title>
  <defs>
    <linearGradient id="basis"><stop offset="0" stop-color="#005a70"/></linearGradient>
    <linearGradient id="verloop" xlink:href="#basis" x2="1"/>
    <clipPath id="knip"><rect width="100" height="40" rx="4"/></clipPath>
    <style>.tekst { fill: url(#verloop); font: 12px sans-serif }</style>
  </defs>
  <g clip-path="url(#knip)">
    <rect width="100" height="40" fill="url('#verloop')"/>
    <text class="tekst" x="5" y="25">SWV X</text>
  </g>
</svg>
"""

BAD_SVGS = {
    "geneste-use": (nested_use(), "<use>"),
    "entiteiten": ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
                   '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
                   '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', "DOCTYPE"),
    "extern-bestand": ('<!DOCTYPE svg SYSTEM "file:///etc/passwd">\n'
                       '<svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
    "extern-plaatje": ('<svg xmlns="http://www.w3.org/2000/svg">\n'
                       '<image href="http://127.0.0.1:9/x.png"/></svg>', "<image>"),
    "externe-vulling": ('<svg xmlns="http://www.w3.org/2000/svg">\n'
                        '<rect fill="url(http://127.0.0.1:9/x.svg#a)"/></svg>', "buiten"),
    "stijlblad": ('<svg xmlns="http://www.w3.org/2000/svg"><style>\n'
                  '@import url(http://127.0.0.1:9/x.css);</style></svg>', "@import"),
    "script": ('<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>',
               "<script>"),
    "onload": ('<svg xmlns="http://www.w3.org/2000/svg"\n onload="alert(1)"/>', "script"),
    "foreign-object": ('<svg xmlns="http://www.w3.org/2000/svg">\n<foreignObject>'
                       '<div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
                       "<foreignObject>"),
    "patroon": ('<svg xmlns="http://www.w3.org/2000/svg"><pattern id="p"/>\n</svg>',
                "<pattern>"),
    "te-veel-elementen": ('<svg xmlns="http://www.w3.org/2000/svg">\n'
                          + "<rect/>" * 6000 + "</svg>", "elementen"),
    "te-diep": ('<svg xmlns="http://www.w3.org/2000/svg">\n' + "<g>" * 60 + "</g>" * 60
                + "</svg>", "genest"),
    "verloop-kring": ('<svg xmlns="http://www.w3.org/2000/svg">\n'
                      '<linearGradient id="a" href="#b"/><linearGradient id="b" href="#a"/>'
                      '</svg>', "verwijst"),
    "knippad-in-knippad": ('<svg xmlns="http://www.w3.org/2000/svg">\n<clipPath id="a">'
                           '<rect clip-path="url(#b)"/></clipPath><clipPath id="b"/></svg>',
                           "verwijst"),
    "geen-xml": ("<svg><rect></svg>", "geen geldige XML"),
}


def test_a_plain_svg_logo_is_accepted() -> None:
    assert svg_problem(SAFE_SVG.encode()) is None


@pytest.mark.parametrize("name", BAD_SVGS)
def test_svg_features_that_multiply_work_or_load_are_refused(name: str) -> None:
    svg, words = BAD_SVGS[name]
    started = time.monotonic()
    problem = svg_problem(svg.encode())
    assert problem is not None and words in problem, problem
    assert time.monotonic() - started < 1


def swv_repo(tmp_path: Path, logo_name: str) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir(exist_ok=True)
    (repo / "sopc.toml").write_text("[sopc]\npeildatum = 2022-03-01\n", encoding="utf-8")
    (repo / "swv.yaml").write_text(
        "sopc: 1\nsoort: swv\nbasis: perspectief-op-school\nswv:\n  id: swv-x\n"
        f"  naam: SWV X\nhuisstijl:\n  logo: {logo_name}\n", encoding="utf-8")
    school = SCHOOL.read_text(encoding="utf-8").replace("swv: swv-po-stroomland.yaml",
                                                         "swv: swv.yaml")
    (repo / "school.yaml").write_text(school, encoding="utf-8")
    return repo


@slow
@pytest.mark.parametrize("name", ["geneste-use", "entiteiten", "extern-plaatje"])
def test_validate_reports_a_dangerous_svg_logo_at_its_line(tmp_path: Path, name: str) -> None:
    repo = swv_repo(tmp_path, "logo.svg")
    (repo / "logo.svg").write_text(BAD_SVGS[name][0], encoding="utf-8")
    outcome = sopc_process("validate", str(repo), "--format", "parsable")
    assert_clean_failure(outcome.code, outcome.out, outcome.err)
    assert f"{repo / 'swv.yaml'}:8:9: error:" in outcome.out, outcome.out
    assert "[logo-fout]" in outcome.out and BAD_SVGS[name][1] in outcome.out
    assert outcome.seconds < 20


@slow
def test_a_plain_svg_logo_is_in_the_pdf(tmp_path: Path) -> None:
    repo = swv_repo(tmp_path, "logo.svg")
    (repo / "logo.svg").write_text(SAFE_SVG, encoding="utf-8")
    code, out, err, _ = build(tmp_path, None, "pdf", repo / "school.yaml")
    assert code == 0, (out, err)
    assert (tmp_path / "uit" / "school.pdf").read_bytes().startswith(b"%PDF")


@slow
def test_a_long_document_is_typeset_in_seconds(tmp_path: Path) -> None:
    """7,600 short paragraphs (WeasyPrint needed 57 s for 20,000): Typst's work grows
    linearly, so only the size of the data is bounded (pdf.MAX_PDF_CHARS)."""
    chapter = "".join(f"Alinea {i}.\n\n" for i in range(1_900))
    school = school_with_chapter(tmp_path, *[chapter] * 4)
    code, out, err, seconds = build(tmp_path, None, "pdf", school)
    assert code == 0, (out, err)
    assert seconds < 20


def test_a_document_too_big_for_a_pdf_is_refused_before_typesetting() -> None:
    from sopc.view import Block, Document

    text = "woord " * (pdf.MAX_PDF_CHARS // 6 + 10)
    with pytest.raises(bounds.DocumentTooLarge) as refused:
        pdf.pdf_bytes(Document("T", "S", "00AA00", "2021-2022", "SWV",
                               [Block("tekst", None, text)]))
    assert "te groot voor een PDF" in str(refused.value) and "tekens (grens 1.500.000)" \
        in str(refused.value)


def test_the_time_bound_stops_a_loop_that_calls_nothing() -> None:
    started = time.monotonic()
    with pytest.raises(bounds.OutOfTime), bounds.time_bound(0.2, "template"):
        while True:
            pass
    assert time.monotonic() - started < 2


# ----------------------------------------------------------------------------------------
# 17. Every template failure is a diagnostic at the template's line, exit 1; bounded
# ----------------------------------------------------------------------------------------

TEMPLATE_FAILURES = {
    # name: (document.md.j2, code, words in the message, line or None)
    "deling-door-nul": ("regel een\n{{ 1 / 0 }}\n", "template-fout", "deelt door nul", 2),
    "recursie": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}\n",
                 "template-fout", "recursie", 1),
    "range-grens": ("\n\n{{ range(10**6) | list }}\n", "template-fout", "reeks (range)", 3),
    "tekst-maal-miljard": ("{{ 'x' * 10**9 }}\n", "template-fout", "herhaling", 1),
    "macht": ("\n{{ 9 ** 999999999 }}\n", "template-fout", "te groot getal", 2),
    "format-breedte": ("{{ '{:>999999999}'.format(1) }}\n", "template-fout", "999999999", 1),
    "procent-breedte": ("{{ '%0999999999d' % 1 }}\n", "template-fout", "999999999", 1),
    "center-filter": ("{{ 'x' | center(999999999) }}\n", "template-fout", "999999999", 1),
    "aaneenschakelen": ("{% set s = 'x' * 9000000 %}\n{{ s ~ s ~ s ~ s ~ s ~ s }}\n",
                        "template-fout", "te lang", 2),
    "join-vermenigvuldigt": ("{% set s = 'x' * 9000000 %}{{ [s, s, s, s] | join }}\n",
                             "template-fout", "te lang", 1),
    "replace-vermenigvuldigt": ("{% set s = 'x' * 9000000 %}{{ s.replace('x', 'yyyy') }}\n",
                                "template-fout", "te lang", 1),
    "uitvoer-te-groot": ("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}\n",
                         "document-te-groot", "groter dan", None),
    "eindeloze-lus": ("{% set rij = range(100000) | list %}\n{% for i in rij %}"
                      "{% for j in rij %}{% endfor %}{% endfor %}\n",
                      "document-te-groot", "10 seconden", None),
    "lijst-van-grote-teksten": ("{{ [('x' * 20000000)] * 200 }}\n", "template-fout",
                                "herhaling", 1),
    "lijst-afdrukken": ("{% set s = 'x' * 10000000 %}{{ [s, s, s] }}\n", "template-fout",
                        "lijst", 1),
    "pprint-van-lijst": ("{% set s = 'x' * 10000000 %}{{ [s, s, s] | pprint }}\n",
                         "template-fout", "te lang", 1),
    "syntaxfout": ("\n{% for %}\n", "template-fout", "fout in template", 2),
    "onbekende-variabele": ("{{ bestaat_niet.x }}\n", "template-fout",
                            "'bestaat_niet', maar dat bestaat niet", 1),
}


@slow
@pytest.mark.parametrize("name", TEMPLATE_FAILURES)
def test_a_template_failure_is_a_diagnostic_with_exit_1(tmp_path: Path, name: str) -> None:
    template, code_name, words, line = TEMPLATE_FAILURES[name]
    folder = theme(tmp_path, document_md_j2=template)
    code, out, err, seconds = build(tmp_path, folder, "md")
    assert_clean_failure(code, out, err)
    shown = out + err
    assert f"[{code_name}]" in shown and words in shown, shown
    if line is not None:
        assert f"{folder / 'document.md.j2'}:{line}:1: error:" in shown, shown
    assert not (tmp_path / "uit" / "op-de-heuvel.md").exists()
    assert seconds < 25


# ----------------------------------------------------------------------------------------
# 26. Special files and links as logo
# ----------------------------------------------------------------------------------------

@slow
def test_a_fifo_as_logo_does_not_hang_validate(tmp_path: Path) -> None:
    repo = swv_repo(tmp_path, "logo.png")
    os.mkfifo(repo / "logo.png")
    outcome = sopc_process("validate", str(repo), "--format", "parsable")
    assert_clean_failure(outcome.code, outcome.out, outcome.err)
    assert f"{repo / 'swv.yaml'}:8:9: error:" in outcome.out
    assert "[logo-fout]" in outcome.out and "geen gewoon bestand" in outcome.out
    assert outcome.seconds < 20


@slow
@pytest.mark.parametrize(("target", "code"), [
    ("/dev/zero", "pad-buiten-repository"),
    ("../buiten.png", "pad-buiten-repository"),
    ("pijp.png", "logo-fout"),  # a link inside the repository to a FIFO
])
def test_a_logo_link_is_judged_by_where_it_leads(tmp_path: Path, target: str,
                                                 code: str) -> None:
    repo = swv_repo(tmp_path, "logo.png")
    (tmp_path / "buiten.png").write_bytes(PNG)
    os.mkfifo(repo / "pijp.png")
    (repo / "logo.png").symlink_to(target)
    outcome = sopc_process("validate", str(repo), "--format", "parsable")
    assert_clean_failure(outcome.code, outcome.out, outcome.err)
    assert f"{repo / 'swv.yaml'}:8:9: error:" in outcome.out
    assert f"[{code}]" in outcome.out, outcome.out


@slow
def test_a_logo_elsewhere_in_the_git_work_tree_is_inside_the_repository(tmp_path: Path) -> None:
    """Without sopc.toml the git work tree is the repository, for logos as for every
    other input (README: Veiligheid); a name with a comma keeps its comma in messages."""
    import subprocess

    repo = tmp_path / "repo"
    (repo / "swv").mkdir(parents=True)
    (repo / "beeld").mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "beeld" / "logo,klein.png").write_bytes(PNG)
    (repo / "swv" / "laag.yaml").write_text(
        "sopc: 1\nsoort: swv\nbasis: perspectief-op-school\nswv:\n  id: swv-x\n"
        "  naam: SWV X\nhuisstijl:\n  logo: ../beeld/logo,klein.png\n", encoding="utf-8")
    outcome = sopc_process("validate", str(repo / "swv" / "laag.yaml"), "--format", "parsable")
    assert outcome.code == 0, outcome.out + outcome.err
    (repo / "beeld" / "logo,klein.png").write_bytes(PNG + b"\0" * 2_000_000)
    outcome = sopc_process("validate", str(repo / "swv" / "laag.yaml"), "--format", "parsable")
    assert outcome.code == 1 and "'../beeld/logo,klein.png' is groter" in outcome.out, outcome.out


@slow
def test_a_damaged_logo_is_reported_at_its_line_not_a_crash(tmp_path: Path) -> None:
    """A file with a PNG's first bytes and nothing of a PNG after them: the PDF engine
    cannot show it, so loading the layer says so (exit 1), instead of every school's
    PDF failing inside Typst (exit 3)."""
    repo = swv_repo(tmp_path, "logo.png")
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nthis is not a png")
    code, out, err, _ = build(tmp_path, None, "pdf", repo / "school.yaml")
    assert_clean_failure(code, out, err)
    assert f"{repo / 'swv.yaml'}:8:9: error:" in out and "[logo-fout]" in out, out
    assert "beschadigd" in out
