from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY, errors, visible

import sopc
from sopc.write import UnsafeOutputPath, target_in, write_outputs

MINIMAL = """sopc: 1
swv: ppo-nk
school:
  naam: {naam}
  brin: 12AB
  vestiging: "00"
sop:
  schooljaar: 2021-2022
teksten:
  ouders-en-kind-school: {tekst}
  visie-onderwijsondersteuning: x
  leerstijl-en-motivatie: x
  inrichting-onderwijsondersteuning: x
"""


def write_school(folder: Path, name: str = "school", naam: str = "Testschool",
                 tekst: str = "x", brin: str = "12AB") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(MINIMAL.format(naam=naam, tekst=tekst).replace("12AB", brin),
                    encoding="utf-8")
    return path


def test_html_is_self_contained(tmp_path: Path) -> None:
    sopc.build([EXAMPLES / "op-de-heuvel.yaml"], tmp_path, today=TODAY)
    html = (tmp_path / "op-de-heuvel.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    assert not re.search(r'<(link|script|img|iframe)\b', html)
    assert "<style>" in html and "@page" in html
    assert 'href="#inhoud"' in html and '<main id="inhoud">' in html


def test_injection_is_escaped(tmp_path: Path) -> None:
    hostile = ('"<script>alert(1)</script> [klik](javascript:alert(1)) '
               '<img src=x onerror=alert(1)> {{ 7*7 }}"')
    source = write_school(tmp_path, naam='"<b>Naam</b> {{ 7*7 }}"', tekst=hostile)
    out = tmp_path / "out"
    report = sopc.build([source], out, today=TODAY)
    assert errors(report) == []
    html = (out / "school.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html and "<b>Naam" not in html
    assert "javascript:" not in html.split("</style>")[1].replace("(javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html and "{{ 7*7 }}" in html and "49" not in html
    markdown = (out / "school.md").read_text(encoding="utf-8")
    assert "\\<script>" in markdown and "\\<img" in markdown
    assert "{{ 7\\*7 }}" in markdown  # the star escaped, the braces as written
    # What a Markdown viewer that allows raw HTML makes of it: still no live markup.
    from markdown_it import MarkdownIt

    shown = MarkdownIt("commonmark", {"html": True}).render(markdown)
    assert "<script" not in shown and "<img" not in shown and 'href="javascript' not in shown


def test_failed_build_keeps_previous_output(tmp_path: Path) -> None:
    source = write_school(tmp_path)
    out = tmp_path / "out"
    assert errors(sopc.build([source], out, today=TODAY)) == []
    before = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    source.write_text(source.read_text(encoding="utf-8").replace("brin: 12AB", "brin: X"),
                      encoding="utf-8")
    report = sopc.build([source], out, today=TODAY)
    assert [d.code for d in report.diagnostics] == ["brin-formaat"]
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} \
        == before


def test_no_temporary_files_left(tmp_path: Path) -> None:
    sopc.build([write_school(tmp_path)], tmp_path / "out", today=TODAY)
    # the build manifest (incremental builds) is the only other file
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".sopc-build.json", "school.html", "school.md"]


def test_writes_stay_inside_output_folder(tmp_path: Path) -> None:
    with pytest.raises(UnsafeOutputPath):
        target_in(tmp_path, "../buiten.html")
    with pytest.raises(UnsafeOutputPath):
        write_outputs(tmp_path, {"/etc/passwd": "x"})


def test_an_output_that_is_a_link_is_written_where_it_leads_inside_only(
        tmp_path: Path) -> None:
    """A document whose name in the output folder is a link: written through the link
    when it leads to a file in the folder, refused when it leads out of it."""
    out, elsewhere = tmp_path / "out", tmp_path / "elders"
    out.mkdir()
    elsewhere.mkdir()
    (out / "echt.html").write_text("oud", encoding="utf-8")
    (out / "binnen.html").symlink_to("echt.html")
    (out / "buiten.html").symlink_to(elsewhere / "geheim.html")
    assert target_in(out, "binnen.html") == (out / "echt.html").resolve()
    assert target_in(out, "gewoon.html") == out.resolve() / "gewoon.html"
    with pytest.raises(UnsafeOutputPath):
        target_in(out, "buiten.html")
    write_outputs(out, {"binnen.html": "nieuw"})
    assert (out / "echt.html").read_text(encoding="utf-8") == "nieuw"
    with pytest.raises(UnsafeOutputPath):
        write_outputs(out, {"gewoon.md": "x", "buiten.html": "x"})
    assert not (elsewhere / "geheim.html").exists() and not (out / "gewoon.md").exists()


def test_same_stem_twice_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_school(tmp_path / "a")
    write_school(tmp_path / "b", brin="34CD")
    report = sopc.build([tmp_path / "a", tmp_path / "b"], tmp_path / "out", today=TODAY)
    assert [d.code for d in errors(report)] == ["dubbele-uitvoer"]
    # the second school's documents were written as temporaries, then thrown away
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".sopc-build.json", "school.html", "school.md"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_documents_are_made_durable_once_per_build(tmp_path: Path, jobs: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A school's documents are not fsync'ed one by one (70% of writing them): the
    build flushes the output folder's file system once, before the manifest that says
    the documents are there; the manifest itself is fsync'ed."""
    import os
    import stat

    import sopc.write

    (tmp_path / "scholen").mkdir()
    for number in range(4):
        write_school(tmp_path / "scholen", f"school-{number}", brin=f"{number + 10}AB")
    log = tmp_path / "fsync.log"  # the workers (forked) write to it too
    flushed: list[Path] = []
    real_fsync, real_flush = os.fsync, sopc.write.flush

    def fsync(descriptor: int) -> None:
        kind = "map" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "bestand"
        with log.open("a", encoding="utf-8") as record:
            record.write(kind + "\n")
        real_fsync(descriptor)

    def flush(folder: Path) -> None:
        flushed.append(folder)
        assert not (folder / ".sopc-build.json").exists()
        real_flush(folder)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(sopc.write, "flush", flush)
    report = sopc.build([tmp_path / "scholen"], tmp_path / "out", today=TODAY, jobs=jobs)
    assert not errors(report)
    assert len(list((tmp_path / "out").glob("*.html"))) == 4
    assert flushed == [tmp_path / "out"]
    # the manifest and its folder; none of the eight documents
    assert sorted(log.read_text(encoding="utf-8").split()) == ["bestand", "map"]


def test_same_school_twice_is_an_error(tmp_path: Path) -> None:
    write_school(tmp_path, "a")
    write_school(tmp_path, "b")
    report = sopc.build([tmp_path], tmp_path / "out", today=TODAY)
    [duplicate] = errors(report)
    assert duplicate.code == "dubbele-school"
    assert (duplicate.file, duplicate.span.line) == (str(tmp_path / "b.yaml"), 5)
    assert duplicate.related == ((str(tmp_path / "a.yaml"), duplicate.span),)
    assert visible(tmp_path / "out") == ["a.html", "a.md"]


def test_empty_is_not_zero(tmp_path: Path) -> None:
    sopc.build([EXAMPLES / "ppo-noord-kennemerland.yaml"], tmp_path, today=TODAY)
    markdown = (tmp_path / "ppo-noord-kennemerland.md").read_text(encoding="utf-8")
    assert "| gymnasium/atheneum | 17% |  | 15% | 9% |" in markdown
    assert "| bovenmodaal |  |" in markdown


def test_template_typo_fails_the_build(tmp_path: Path) -> None:
    from sopc.render import Renderer
    from sopc.theme import builtin_template_dir

    theme = tmp_path / "thema"
    theme.mkdir()
    original = (builtin_template_dir() / "document.md.j2").read_text(encoding="utf-8")
    (theme / "document.md.j2").write_text(original.replace("doc.school_year", "doc.schooljaar"),
                                          encoding="utf-8")
    report = sopc.build([write_school(tmp_path)], tmp_path / "out", template_dirs=[theme],
                        today=TODAY)
    assert [d.code for d in errors(report)] == ["template-fout"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert Renderer  # the built-in renderer stays importable


def test_a_long_build_flushes_in_the_background(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """While a build goes on, the disk writes what it has (a flush every 256 schools, in
    a thread); the flush before the manifest is saved is the last, in the foreground."""
    import threading

    import sopc.write

    calls: list[str] = []
    monkeypatch.setattr(sopc.write, "flush",
                        lambda folder: calls.append(threading.current_thread().name))
    flusher = sopc.write.Flusher(tmp_path, every=2)
    for _ in range(5):
        flusher.written()
    flusher.finish()
    assert "sopc-flush" in calls
    assert calls[-1] == threading.main_thread().name
