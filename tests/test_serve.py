"""`sopc serve`: the live preview. A saved edit shows in the open page within a second,
errors show in the page instead of a stale document, only the build's pages are
served, only on 127.0.0.1, and Ctrl-C stops it cleanly."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES

import sopc
from sopc.serve import VERSION_PATH, Preview, index_page, serve

NAME = "naam: Basisschool Op de Heuvel"


def repository(folder: Path) -> Path:
    for name in ("op-de-heuvel.yaml", "swv-po-stroomland.yaml", "sopc.toml"):
        shutil.copy(EXAMPLES / name, folder / name)
    return folder / "op-de-heuvel.yaml"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def wait_for(condition: object, seconds: float = 5.0) -> float:
    """How long until `condition()` held; fails after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError("did not happen in time")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """sopc serve of a copy of Op de Heuvel in a thread, on a free port."""
    school = repository(tmp_path)
    said: list[str] = []
    stop = threading.Event()

    def build(output: Path) -> sopc.api.Report:
        return sopc.build([school], output, ("html",), incremental=False)

    thread = threading.Thread(target=serve, args=([school], build),
                              kwargs={"port": 0, "say": said.append, "stop": stop}, daemon=True)
    thread.start()
    wait_for(lambda: any(line.startswith("Voorbeeld: ") for line in said))
    url = next(line for line in said if line.startswith("Voorbeeld: ")).split()[1]
    yield url, school, said
    stop.set()
    thread.join(5)
    assert not thread.is_alive()


def test_an_edit_shows_within_a_second(preview: tuple[str, Path, list[str]]) -> None:
    url, school, _ = preview
    status, page = get(url)  # '/' leads to the one document
    assert status == 200 and "Basisschool Op de Heuvel" in page and VERSION_PATH in page
    assert url.startswith("http://127.0.0.1:")
    before = get(url + VERSION_PATH.lstrip("/"))[1]
    school.write_text(school.read_text(encoding="utf-8").replace(NAME, NAME + " Noord"),
                      encoding="utf-8")
    seconds = wait_for(lambda: "Op de Heuvel Noord" in get(url + "op-de-heuvel.html")[1])
    assert seconds < 1.0, seconds
    assert get(url + VERSION_PATH.lstrip("/"))[1] != before


def test_errors_show_in_the_page_instead_of_the_document(
        preview: tuple[str, Path, list[str]]) -> None:
    url, school, said = preview
    school.write_text(school.read_text(encoding="utf-8").replace(
        "schooljaar: 2021-2022", "schooljaar: 2021-2023"), encoding="utf-8")
    wait_for(lambda: "kan niet worden gemaakt" in get(url + "op-de-heuvel.html")[1])
    page = get(url + "op-de-heuvel.html")[1]
    line = next(n for n, text in enumerate(school.read_text(encoding="utf-8").splitlines(), 1)
                if "2021-2023" in text)
    assert re.search(rf"op-de-heuvel\.yaml:{line}:\d+</code>: sop\.schooljaar: ", page)
    assert "Basisschool Op de Heuvel</span>" not in page  # not the stale document
    assert any("[schooljaar-formaat]" in text for text in said)
    school.write_text(school.read_text(encoding="utf-8").replace("2021-2023", "2021-2022"),
                      encoding="utf-8")
    wait_for(lambda: "Basisschool Op de Heuvel</span>" in get(url + "op-de-heuvel.html")[1])


def test_only_the_built_pages_are_served(preview: tuple[str, Path, list[str]]) -> None:
    url, _, _ = preview
    assert get(url + "op-de-heuvel.yaml")[0] == 404
    assert get(url + "..%2F..%2Fetc%2Fpasswd")[0] == 404
    assert get(url + ".sopc-build.json")[0] == 404


def test_a_change_of_the_swv_layer_rebuilds(preview: tuple[str, Path, list[str]]) -> None:
    url, school, _ = preview
    layer = school.parent / "swv-po-stroomland.yaml"
    text = layer.read_text(encoding="utf-8")
    assert "SWV PO Stroomland" in text
    layer.write_text(text.replace("SWV PO Stroomland", "SWV PO Rivierenland"),
                     encoding="utf-8")
    wait_for(lambda: "SWV PO Rivierenland" in get(url + "op-de-heuvel.html")[1])


@pytest.mark.slow
def test_the_browser_reloads_and_ctrl_c_stops(tmp_path: Path) -> None:
    """As an IB'er uses it: `sopc serve` in a terminal, the page open in Chromium; a save
    changes the page by itself; Ctrl-C ends it with exit 0 and leaves no folder."""
    from browser import chromium

    school = repository(tmp_path)
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("sopc-voorbeeld-*"))
    process = subprocess.Popen([sys.executable, "-m", "sopc", "serve", str(school),
                                "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        assert process.stdout is not None
        line = ""
        while not line.startswith("Voorbeeld: "):
            line = process.stdout.readline()
            assert line, "sopc serve ended before it served"
        url = line.split()[1]
        with chromium() as browser:
            page = browser.new_page()
            page.goto(url)
            assert "Basisschool Op de Heuvel" in page.inner_text("h1")
            started = time.monotonic()
            school.write_text(school.read_text(encoding="utf-8").replace(
                NAME, NAME + " Noord"), encoding="utf-8")
            page.wait_for_function(
                "document.querySelector('h1').innerText.includes('Noord')", timeout=5000)
            assert time.monotonic() - started < 1.5
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=10)
        assert process.returncode == 0, output
        assert "Gestopt." in output and "Traceback" not in output
    finally:
        if process.poll() is None:
            process.kill()
    after = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("sopc-voorbeeld-*"))
    assert after <= before  # its build folder is gone


def test_a_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    import socket

    school = repository(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "sopc", "serve", str(school), "--port",
                                 str(port)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"poort {port} op 127.0.0.1 is al in gebruik; kies een andere met --port" \
        in result.stderr


def test_a_broken_sopc_toml_is_shown_and_the_preview_goes_on(
        preview: tuple[str, Path, list[str]]) -> None:
    url, school, _ = preview
    settings = school.parent / "sopc.toml"
    good = settings.read_text(encoding="utf-8")
    settings.write_text(good + "\n[sopc\n", encoding="utf-8")  # half edited
    wait_for(lambda: "kan niet worden gemaakt" in get(url)[1])
    assert "sopc.toml" in get(url)[1]
    settings.write_text(good, encoding="utf-8")
    wait_for(lambda: "Basisschool Op de Heuvel</span>" in get(url + "op-de-heuvel.html")[1])


def test_a_school_file_gone_for_a_moment_comes_back(
        preview: tuple[str, Path, list[str]]) -> None:
    """An editor that saves by rename, or a file moved away and back: the page says the
    file is missing (and keeps polling), then shows the document again."""
    url, school, said = preview
    text = school.read_text(encoding="utf-8")
    school.unlink()
    wait_for(lambda: "bestaat niet" in get(url + "op-de-heuvel.html")[1])
    assert VERSION_PATH in get(url + "op-de-heuvel.html")[1]  # it reloads by itself
    assert any(line.startswith("Niet gebouwd") for line in said)
    school.write_text(text, encoding="utf-8")
    wait_for(lambda: "Basisschool Op de Heuvel</span>" in get(url + "op-de-heuvel.html")[1])


def test_warnings_show_above_the_document(preview: tuple[str, Path, list[str]]) -> None:
    url, school, _ = preview
    school.write_text(school.read_text(encoding="utf-8").replace(
        "  invuldatum: 2021-11\n", "  invuldatum: 2030-11\n"), encoding="utf-8")
    wait_for(lambda: "datum-in-toekomst" in get(url + "op-de-heuvel.html")[1])
    page = get(url + "op-de-heuvel.html")[1]
    assert '<aside role="status"' in page and "Basisschool Op de Heuvel</span>" in page


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGHUP])
def test_closing_the_terminal_stops_it_cleanly(tmp_path: Path, stop_signal: int) -> None:
    school = repository(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "sopc", "serve", str(school),
                                "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "TMPDIR": str(scratch)})
    assert process.stdout is not None
    line = ""
    while not line.startswith("Voorbeeld: "):
        line = process.stdout.readline()
        assert line, "sopc serve ended before it served"
    assert list(scratch.glob("sopc-voorbeeld-*"))
    process.send_signal(stop_signal)
    output, _ = process.communicate(timeout=10)
    assert process.returncode == 0 and "Gestopt." in output, output
    assert not list(scratch.glob("sopc-voorbeeld-*"))


def test_a_request_for_another_host_name_gets_nothing(
        preview: tuple[str, Path, list[str]]) -> None:
    """DNS rebinding: a web page whose own name now points at 127.0.0.1 asks with its
    own Host header; it gets no school data."""
    url, _, _ = preview
    request = urllib.request.Request(url + "op-de-heuvel.html",
                                     headers={"Host": "aanvaller.example:80"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403
    port = url.rstrip("/").rsplit(":", 1)[1]
    request = urllib.request.Request(url + "op-de-heuvel.html",
                                     headers={"Host": f"localhost:{port}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def test_the_list_of_pages_names_each_document_by_its_title(tmp_path: Path) -> None:
    """A folder of schools, or one school in several versions: each link says which
    document it is, not only its file name (found in a user trial)."""
    (tmp_path / "a.ouders.html").write_text(
        "<!DOCTYPE html><html><head><title>Extra hulp &amp; meer – De Vlinder</title>",
        encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>geen titel</p>", encoding="utf-8")
    preview = Preview([], tmp_path, lambda folder: None, pages=["a.ouders.html", "b.html"])
    page = index_page(preview)
    assert ('<a href="a.ouders.html">Extra hulp &amp; meer – De Vlinder '
            "<small>(a.ouders.html)</small></a>") in page
    assert '<a href="b.html">b.html</a>' in page
