"""Themes (--templates), SWV branding and profiles."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, TODAY, errors, run_cli, visible
from hypothesis import given, settings
from hypothesis import strategies as st

import sopc
from sopc.theme import builtin_templates

SCHOOL = EXAMPLES / "op-de-heuvel.yaml"
# The smallest valid PNG: 1×1 pixel.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYA"
                       "AjCB0C8AAAAASUVORK5CYII=")


def build_with(tmp_path: Path, theme: Path) -> sopc.api.Report:
    return sopc.build([SCHOOL], tmp_path / "uit", ("html", "md"), [theme], today=TODAY)


def test_a_template_in_the_user_folder_replaces_only_that_file(tmp_path: Path) -> None:
    theme = tmp_path / "thema"
    theme.mkdir()
    (theme / "stijl.css").write_text("body { color: #222; } /* eigen-stijl */", encoding="utf-8")
    report = build_with(tmp_path, theme)
    assert errors(report) == []
    html = (tmp_path / "uit" / "op-de-heuvel.html").read_text(encoding="utf-8")
    assert "eigen-stijl" in html and "--accent" not in html
    assert "Deskundigheid" in html  # the rest of the document: built-in templates


def test_a_named_block_can_be_overridden_by_extending_the_builtin(tmp_path: Path) -> None:
    theme = tmp_path / "thema"
    theme.mkdir()
    (theme / "document.html.j2").write_text(
        '{% extends "standaard/document.html.j2" %}'
        "{% block voettekst %}<p>Eigen voettekst van {{ doc.school_name }}</p>{% endblock %}",
        encoding="utf-8")
    assert errors(build_with(tmp_path, theme)) == []
    html = (tmp_path / "uit" / "op-de-heuvel.html").read_text(encoding="utf-8")
    assert "<p>Eigen voettekst van Basisschool Op de Heuvel</p>" in html
    assert "Inhoudsopgave" in html and "Deskundigheid" in html


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ doc.__class__.__init__.__globals__ }}",
    "{% include '../../../../../../etc/passwd' %}",
    "{{ doc.sections.append(1) }}",
])
def test_user_templates_are_sandboxed(tmp_path: Path, template: str) -> None:
    theme = tmp_path / "thema"
    theme.mkdir()
    (theme / "document.md.j2").write_text(template, encoding="utf-8")
    report = build_with(tmp_path, theme)
    assert [d.code for d in errors(report)] == ["template-fout"]
    assert not (tmp_path / "uit").exists()  # nothing written for the school


def test_templates_export_and_list(tmp_path: Path) -> None:
    theme = tmp_path / "thema"
    result = run_cli("templates", "export", str(theme))
    assert result.code == 0
    assert sorted(p.relative_to(theme).as_posix() for p in theme.rglob("*")
                  if p.is_file()) == builtin_templates()
    assert "blokken/clusters.html.j2" in builtin_templates()
    assert run_cli("templates", "export", str(theme)).code == 2  # never overwrites
    listing = run_cli("templates", "list", "--templates", str(theme)).out
    assert f"stijl.css\t{theme / 'stijl.css'}" in listing
    assert "ingebouwd" in run_cli("templates", "list").out
    # an exported theme builds the same document as the built-in one
    assert run_cli("build", str(SCHOOL), "-o", str(tmp_path / "a"), "--today", "2022-03-01",
                   "--templates", str(theme)).code == 0
    assert run_cli("build", str(SCHOOL), "-o", str(tmp_path / "b"), "--today",
                   "2022-03-01").code == 0
    for name in ("op-de-heuvel.html", "op-de-heuvel.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_theme_overrides_one_block_kind_with_one_file(tmp_path: Path) -> None:
    """One template per block kind: a theme changes the clusters and nothing else."""
    theme = tmp_path / "thema"
    (theme / "blokken").mkdir(parents=True)
    (theme / "blokken" / "clusters.md.j2").write_text(
        "{% for c in d.clusters %}\n* cluster {{ c.number }}: {{ c.title | md_escape }}\n"
        "{% endfor %}\n", encoding="utf-8")
    school = EXAMPLES / "ppo-noord-kennemerland.yaml"
    for folder, options in (("eigen", ["--templates", str(theme)]), ("standaard", [])):
        assert run_cli("build", str(school), "-o", str(tmp_path / folder), "--today",
                       "2022-03-01", "--format", "md", *options).code == 0
    own = (tmp_path / "eigen" / "ppo-noord-kennemerland.md").read_text(encoding="utf-8")
    builtin = (tmp_path / "standaard" / "ppo-noord-kennemerland.md").read_text(
        encoding="utf-8")
    assert "* cluster 1: De leerling heeft specifieke behoefte" in own
    assert "Aanpakken die de school ter beschikking heeft" not in own
    start = own.index("* cluster 1")
    assert own[:start].rstrip() == builtin[:builtin.index("### 1\\. De leerling")].rstrip()


def test_missing_template_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("build", str(SCHOOL), "-o", str(tmp_path), "--templates",
                     str(tmp_path / "bestaat-niet"))
    assert result.code == 2 and "bestaat niet" in result.err


def write_swv(folder: Path, branding: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "swv.yaml").write_text(
        "sopc: 1\nsoort: swv\nbasis: perspectief-op-school\nswv:\n  id: swv-x\n  naam: SWV X\n"
        + branding, encoding="utf-8")
    school = SCHOOL.read_text(encoding="utf-8").replace("swv: swv-po-stroomland.yaml",
                                                         "swv: swv.yaml")
    (folder / "school.yaml").write_text(school, encoding="utf-8")
    return folder / "school.yaml"


def test_branding_logo_colour_and_footer(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "logo.png").write_bytes(PNG)
    school = write_swv(repo, "huisstijl:\n  logo: logo.png\n  accentkleur: '#005a70'\n"
                             "  voettekst: SWV X · Postbus 1 · 1234 AB Stad\n")
    report = sopc.build([school], tmp_path / "uit", ("html", "md"), today=TODAY)
    assert errors(report) == []
    html = (tmp_path / "uit" / "school.html").read_text(encoding="utf-8")
    assert '<img class="logo" src="data:image/png;base64,' in html
    assert 'alt="Logo van SWV X"' in html
    assert "--accent: #005a70;" in html
    assert "SWV X · Postbus 1 · 1234 AB Stad" in html
    markdown = (tmp_path / "uit" / "school.md").read_text(encoding="utf-8")
    assert markdown.rstrip().endswith("SWV X · Postbus 1 · 1234 AB Stad")


@pytest.mark.parametrize(("branding", "code", "line"), [
    ("huisstijl:\n  accentkleur: '#ffcc00'\n", "kleurcontrast", 8),
    ("huisstijl:\n  accentkleur: geel\n", "ongeldige-waarde", 8),
    ("huisstijl:\n  logo: ../../buiten.png\n", "pad-buiten-repository", 8),
    ("huisstijl:\n  logo: logo.gif\n", "logo-fout", 8),
    ("huisstijl:\n  logo: nep.png\n", "logo-fout", 8),
    ("huisstijl:\n  logo: ontbreekt.png\n", "logo-fout", 8),
])
def test_bad_branding_is_reported_in_the_swv_file(tmp_path: Path, branding: str, code: str,
                                                  line: int) -> None:
    (tmp_path / "buiten.png").write_bytes(PNG)
    repo = tmp_path / "a" / "repo"
    repo.mkdir(parents=True)
    (repo / "sopc.toml").write_text("[sopc]\npeildatum = 2022-03-01\n", encoding="utf-8")
    (repo / "logo.gif").write_bytes(b"GIF89a")
    (repo / "nep.png").write_bytes(b"geen plaatje")
    school = write_swv(repo, branding)
    report = sopc.validate([school])
    found = [(d.code, Path(d.file).name, d.span.line) for d in errors(report)]
    assert (code, "swv.yaml", line) in found
    assert ("ongeldige-swv", "school.yaml", 4) in found or code == "ongeldige-waarde"


def test_parent_version_from_the_command_line(tmp_path: Path) -> None:
    result = run_cli("build", str(SCHOOL), "--format", "html,md", "--profiel", "ouders",
                     "-o", str(tmp_path), "--today", "2022-03-01")
    assert result.code == 0, result.out
    assert visible(tmp_path) == ["op-de-heuvel.ouders.html",
                                                          "op-de-heuvel.ouders.md"]
    html = (tmp_path / "op-de-heuvel.ouders.html").read_text(encoding="utf-8")
    assert "informatie voor ouders" in html and "Inhoudsopgave" not in html
    assert "Dyslexiespecialist" in html  # offered op school, in the summary
    assert run_cli("build", str(SCHOOL), "--profiel", "kort").code == 2


def test_pdf_without_its_engine_is_a_usage_error(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    import sopc.pdf

    monkeypatch.setattr(sopc.pdf, "pdf_available",
                        lambda: "PDF maken vraagt het pakket 'typst'; installeer sopc opnieuw")
    result = run_cli("build", str(SCHOOL), "--format", "pdf", "-o", str(tmp_path))
    assert result.code == 2 and "'typst'" in result.err
    assert list(tmp_path.iterdir()) == []


def test_the_block_registry_the_schema_and_the_templates_agree() -> None:
    """One registry names every block kind (sopc.blocks); the schema offers exactly those
    names, and the built-in theme has one template per kind and format, no more."""
    import json

    from sopc.blocks import KINDS
    from sopc.theme import builtin_template_dir

    schema = json.loads((ROOT / "schemas" / "swv.schema.json").read_text(encoding="utf-8"))
    offered = schema["$defs"]["OutlinePart"]["properties"]["blok"]["enum"]
    assert offered.pop() is None  # the block may be left out
    assert offered == list(KINDS)
    folder = builtin_template_dir() / "blokken"
    files = {path.name for path in folder.iterdir()}
    expected = {kind.template(fmt).removeprefix("blokken/") for kind in KINDS.values()
                for fmt in ("html", "md")}
    expected |= {"tekst.html.j2", "tekst.md.j2"}  # a text part ('tekst:') has its own too
    assert files == expected
    typst_files = {path.name for path in (builtin_template_dir() / "typst" / "blokken")
                   .iterdir()}
    assert typst_files == {f"{kind}.typ" for kind in ["tekst", *KINDS]}  # the PDF's too


def test_built_in_block_templates_see_only_their_block() -> None:
    """The renderer keeps a block's output and reuses it for an equal block of the next
    school (sopc.render.EachPart): sound only while a built-in block template prints
    nothing but its block, its level and the theme's macros, never the document."""
    from jinja2 import meta, nodes

    from sopc.render import Renderer
    from sopc.theme import builtin_template_dir

    environments = Renderer()._environments
    for markup in ("html", "md"):
        shared = environments[markup].get_template(f"blokken.{markup}.j2").module
        macros = {name for name in dir(shared) if not name.startswith("_")}
        for path in sorted((builtin_template_dir() / "blokken").glob(f"*.{markup}.j2")):
            names = meta.find_undeclared_variables(
                environments[markup].parse(path.read_text(encoding="utf-8")))
            assert names <= {"b", "d", "level", *macros}, (path.name, names - macros)
        # a section is kept by what sopc.render._section_key holds of it
        source = (builtin_template_dir() / f"blokken.{markup}.j2").read_text(encoding="utf-8")
        [section] = [macro for macro in environments[markup].parse(source).find_all(nodes.Macro)
                     if macro.name == "section"]
        printed = {found.attr for found in section.find_all(nodes.Getattr)
                   if isinstance(found.node, nodes.Name) and found.node.name == "s"}
        assert printed <= {"number", "title", "heading", "level", "anchor", "parts"}, printed


def test_reused_blocks_give_the_same_bytes_in_any_order() -> None:
    """Blocks rendered for one school and reused for the next: every document is
    byte-identical to the one a fresh renderer makes, whatever came before it."""
    from sopc.api import RunOptions, Worker
    from sopc.config import ConfigFinder
    from sopc.render import Renderer

    options = RunOptions(today=TODAY, profiles=("volledig", "ouders", "schoolgids"),
                         keep_documents=True)
    worker = Worker(options)
    documents = []
    for name in ("op-de-heuvel", "ppo-noord-kennemerland"):
        path = EXAMPLES / f"{name}.yaml"
        documents += worker.check(path, name, ConfigFinder(None).for_path(path)
                                  ).documents.values()
    shared = Renderer()
    for document in [*documents, *reversed(documents)]:
        for output in ("html", "md", "fragment"):
            assert shared.render(document, output) == Renderer().render(document, output)



def test_sections_rendered_through_their_frame_are_what_their_macro_makes() -> None:
    """A section that holds a school's own block is rendered as its macro's frame
    (kept per heading) around its parts, and a table of contents is kept per outline:
    every document is byte-identical to one in which each section's macro renders it
    whole and each table of contents is made anew, and every frame was usable."""
    from sopc.api import RunOptions, Worker
    from sopc.config import ConfigFinder
    from sopc.render import EachPart, Renderer

    options = RunOptions(today=TODAY, profiles=("volledig", "ouders", "schoolgids"),
                         keep_documents=True)
    worker = Worker(options)
    documents = []
    for path in sorted(EXAMPLES.glob("**/*.yaml")):
        result = worker.check(path, path.name, ConfigFinder(None).for_path(path))
        documents += result.documents.values()
    assert len(documents) > 10
    framed, whole = Renderer(), Renderer()
    for markup in ("html", "md"):
        environment = whole._environments[markup]
        unkept = EachPart(False, autoescape=markup == "html")
        environment.globals["each_part"] = unkept
        environment.globals["kept_toc"] = unkept.table_of_contents
    for document in documents:
        for output in ("html", "md", "fragment"):
            assert framed.render(document, output) == whole.render(document, output)
    for markup in ("html", "md"):
        each_part = framed._environments[markup].globals["each_part"]
        assert each_part._frames and None not in each_part._frames.values()
        # the tables of contents were kept too (one per outline and profile)
        assert any(key[0] == "toc" for key in each_part._kept)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \t\r\n\x07\x0b\x0c\x85\xa0\u2028\u200b\u200d\u202eab–",
               max_size=40))
def test_tidy_on_a_whole_text_is_tidy_line_by_line(text: str) -> None:
    """The renderer tidies a document whole (`_tidy`), a page over thousands of schools
    line by line as it streams (`_tidy_lines`): the same result for every text."""
    from sopc import urls
    from sopc.render import _tidy, _tidy_lines

    assert _tidy(text) == "".join(_tidy_lines(urls.visible(text).split("\n")))


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=" \t\r\n\x00\x07\x0b\x0c\x1f\x7f\x85\xa0\u2028\u200b\u200d\u202e"
                        "ab<&é–\U0001f600", max_size=40)
       | st.text(alphabet=" \nab–\U0001f600", max_size=40))  # most documents: no other
def test_tidy_of_the_bytes_is_tidy_of_the_text(text: str) -> None:
    """A build tidies its documents as UTF-8 bytes (`_tidy_utf8`), everything else as
    text (`_tidy`): the same document either way, byte for byte."""
    from sopc.render import _tidy, _tidy_utf8

    assert _tidy_utf8(text.encode("utf-8")) == _tidy(text).encode("utf-8")


def test_a_build_writes_the_documents_render_gives() -> None:
    """The bytes a build writes (`render(..., encoded=True)`) are the UTF-8 of the text
    `render` gives, for every example in every format made from templates."""
    from sopc.api import RunOptions, Worker
    from sopc.config import ConfigFinder
    from sopc.render import Renderer

    worker = Worker(RunOptions(today=TODAY, profiles=("volledig", "ouders", "schoolgids"),
                               keep_documents=True))
    documents = []
    for path in sorted(EXAMPLES.glob("**/*.yaml")):
        documents += worker.check(path, path.name, ConfigFinder(None).for_path(path)
                                  ).documents.values()
    assert len(documents) > 10
    renderer = Renderer()
    for document in documents:
        for output in ("html", "md", "fragment"):
            text = renderer.render(document, output)
            assert isinstance(text, str)
            assert renderer.render(document, output, encoded=True) == text.encode("utf-8")


def test_a_table_of_contents_is_kept_by_all_it_prints() -> None:
    """`kept_toc` renders the `toc` macro again for sections that differ in anything it
    prints (a number, title or anchor, at any depth) or in its arguments, and only
    then."""
    from types import SimpleNamespace

    from sopc.render import EachPart

    calls: list[object] = []

    def toc(sections: object, *arguments: object) -> str:
        calls.append(sections)
        return f"inhoud {len(calls)}"

    toc.name = "toc"  # type: ignore[attr-defined]

    def outline(number: str = "1", title: str = "Aanbod", anchor: str = "aanbod",
                inner: str = "aanpak") -> list[SimpleNamespace]:
        subsection = SimpleNamespace(number=number + ".1", title="Aanpak", anchor=inner,
                                     subsections=[])
        return [SimpleNamespace(number=number, title=title, anchor=anchor,
                                subsections=[subsection])]

    each_part = EachPart(True, autoescape=False)
    first = each_part.table_of_contents(toc, outline())
    assert each_part.table_of_contents(toc, outline()) == first
    assert len(calls) == 1
    others = [outline(number="2"), outline(title="Grenzen"), outline(anchor="grenzen"),
              outline(inner="begeleiding")]
    shown = {each_part.table_of_contents(toc, other) for other in others}
    shown.add(each_part.table_of_contents(toc, outline(), "  "))
    assert len(calls) == 6 and len(shown) == 5 and first not in shown


def test_a_view_that_cannot_be_kept_is_rendered_all_the_same() -> None:
    """Reuse is only an optimisation: a block whose data holds a list (unhashable) is
    rendered every time, with the same output, instead of failing the build."""
    from sopc.render import EachPart

    calls: list[object] = []

    def block_content(block: object, level: int) -> str:
        calls.append(block)
        return f"blok {level}"

    block_content.name = "block_content"  # type: ignore[attr-defined]

    class Part:
        is_section = False

        def __hash__(self) -> int:
            raise TypeError("unhashable type: 'list'")

    each_part = EachPart(True, autoescape=False)
    assert each_part([Part(), Part()], 3, None, block_content) == "blok 3\nblok 3\n"
    assert len(calls) == 2
