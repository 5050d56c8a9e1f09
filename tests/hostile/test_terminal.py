"""What reaches a terminal, a CI log or a GitHub workflow command (issue 10: 8, 11, 20, 23, 25).

- the text excerpt shows only what the loader read, within its limits (8);
- nothing from a file, a file name or sopc.toml can steer the terminal or forge a line:
  control characters, bidi and zero-width characters are shown as escapes, one
  diagnostic is one line (11);
- undecodable bytes in file names are shown escaped, in every format (20);
- a closed pipe ends quietly with the run's own exit status, a full disk is a Dutch
  message and exit 2 (23);
- everything sopc prints is Dutch: Click's usage errors and help, YAML reader errors,
  Pydantic's messages, operating-system errors (25).

The process cases need an environment, a pipe or /dev/full that `sopc_process` does not
offer, so `_sopc` below runs them under the same memory and time limits.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from processes import MEMORY_LIMIT, ROOT, TIME_LIMIT, sopc_process

from sopc.diagnostics import Diagnostic, Span

slow = pytest.mark.slow
EXAMPLE = (ROOT / "examples" / "op-de-heuvel.yaml").read_text(encoding="utf-8").replace(
    "swv: swv-po-stroomland.yaml", "swv: perspectief-op-school")
MINIMAL = ("sopc: 1\nswv: ppo-nk\nschool:\n  naam: Test\n  brin: 12AB\n  vestiging: '00'\n"
           "sop:\n  schooljaar: 2021-2022\n")
TODAY = "2022-03-01"
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069"
                    "\u2028\u2029\ufeff]")


@dataclass
class Run:
    code: int
    out: bytes
    err: bytes

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")

    @property
    def error_text(self) -> str:
        return self.err.decode("utf-8")


def _limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


RUNNER = "import sys\nfrom sopc.cli import main\nmain(sys.argv[1:])\n"


def _sopc(*args: str | bytes, cwd: Path, env: dict[str, str] | None = None,
          stdout: int | None = subprocess.PIPE) -> Run:
    """`sopc ARGS` as a process: 1 GiB address space, 30 s, output as bytes."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    environment.pop("GITHUB_ACTIONS", None)
    done = subprocess.run([sys.executable, "-c", RUNNER, *args], stdout=stdout,
                          stderr=subprocess.PIPE, cwd=cwd, env=environment,
                          timeout=TIME_LIMIT, preexec_fn=_limit, check=False)
    return Run(done.returncode, done.stdout or b"", done.stderr)


# -- 8: the excerpt reads only what the loader read --------------------------------------

@slow
def test_a_sparse_file_past_the_limit_costs_no_memory_for_its_excerpt(tmp_path: Path) -> None:
    big = tmp_path / "groot.yaml"
    with big.open("wb") as handle:
        handle.truncate(1500 * 1024 * 1024)  # 1.5 GB, nothing on disk
    outcome = sopc_process("validate", str(big), "--format", "text", cwd=tmp_path)
    assert outcome.code == 1, outcome.err
    assert "[bestand-te-groot]" in outcome.out
    assert " | " not in outcome.out  # no excerpt of a file the loader did not read
    assert outcome.peak_kib < 200 * 1024, outcome.peak_kib


@slow
def test_a_file_over_the_limit_shows_no_line_of_it(tmp_path: Path) -> None:
    secret = "GEHEIM=ghp_0123456789abcdef"
    (tmp_path / "groot.yaml").write_text(secret + "\n" + "# x\n" * 2_000_000, encoding="utf-8")
    outcome = sopc_process("validate", "groot.yaml", cwd=tmp_path)
    assert outcome.code == 1, outcome.err
    assert "[bestand-te-groot]" in outcome.out
    assert secret not in outcome.out


@slow
def test_excerpts_still_show_the_line_the_loader_read(tmp_path: Path) -> None:
    (tmp_path / "school.yaml").write_text(MINIMAL.replace("12AB", "6KG"), encoding="utf-8")
    outcome = sopc_process("validate", "school.yaml", "--today", TODAY, cwd=tmp_path)
    assert outcome.code == 1
    assert "  5 |   brin: 6KG\n    |         ^^^" in outcome.out


# -- 11: terminal and CI-log injection ------------------------------------------------------

INJECTED = (
    "sopc: 1\n"
    "swv: ppo-nk\n"
    "school:\n"
    '  "x\\e[2J\\e[Halles in orde\\nnep.yaml:1:1: error: vals\\n::add-mask::geheim'
    '\\x9b\\u202e\\u200b": 1\n'
    '  naam: "\\e]0;titel\\a\\x9b31m\\u202egnimmargorp\\u200b"\n'
    "  brin: 12AB\n"
    "  vestiging: '00'\n"
    '  "\\r::error file=nep.yaml::vals <img src=x onerror=alert(1)> | kolom": 1\n'
    "sop:\n"
    "  schooljaar: 2021-2022\n"
    '  onbekend\\u2028veld: "\\x85"\n'
)


def _assert_terminal_safe(text: str) -> None:
    assert not HIDDEN.search(text), repr(HIDDEN.search(text))


@slow
@pytest.mark.parametrize("output_format", ["text", "parsable", "github", "json"])
def test_nothing_from_a_file_steers_the_terminal_or_forges_a_line(
        tmp_path: Path, output_format: str) -> None:
    (tmp_path / "school.yaml").write_text(INJECTED, encoding="utf-8")
    run = _sopc("validate", "school.yaml", "--format", output_format, "--today", TODAY,
                cwd=tmp_path)
    assert run.code == 1, run.error_text
    text = run.text
    _assert_terminal_safe(text.replace("\n", "")) if output_format != "json" else None
    assert "\r" not in text
    lines = text.splitlines()
    if output_format == "parsable":
        assert lines and all(line.startswith("school.yaml:") for line in lines), lines
    if output_format == "github":
        commands = [line for line in lines if line.startswith("::")]
        assert commands and all(line.startswith(("::error file=school.yaml,",
                                                 "::warning file=school.yaml,"))
                                for line in commands), commands
        assert len(commands) == len(lines) - 1  # and the summary line
    if output_format == "text":
        assert not any(line.startswith(("nep.yaml", "::", "alles in orde")) for line in lines)
        assert "\\x1b[2J" in text  # shown, not obeyed
    if output_format == "json":
        _assert_terminal_safe(text.replace("\n", ""))
        document = json.loads(text)
        messages = [d["message"] for f in document["files"] for d in f["diagnostics"]]
        # the data is exact: the escapes are JSON's own
        assert any("\x1b[2J\x1b[Halles in orde\nnep.yaml" in m for m in messages), messages


@slow
def test_the_step_summary_keeps_one_row_per_problem_and_no_markup(tmp_path: Path) -> None:
    (tmp_path / "school.yaml").write_text(INJECTED, encoding="utf-8")
    summary = tmp_path / "summary.md"
    run = _sopc("validate", "school.yaml", "--format", "github", "--today", TODAY,
                cwd=tmp_path, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert run.code == 1, run.error_text
    text = summary.read_text(encoding="utf-8")
    _assert_terminal_safe(text.replace("\n", ""))
    assert "\r" not in text
    rows = [line for line in text.splitlines() if line.startswith("|")]
    problems = sum(line.startswith("::") for line in run.text.splitlines())
    assert len(rows) == problems + 2  # header, separator, one row each
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows), rows
    assert re.search(r"(?<!\\)<img", text) is None and "\\<img" in text


@slow
def test_an_unwritable_step_summary_is_a_dutch_warning(tmp_path: Path) -> None:
    (tmp_path / "school.yaml").write_text(MINIMAL, encoding="utf-8")
    run = _sopc("validate", "school.yaml", "--format", "github", "--today", TODAY,
                cwd=tmp_path, env={"GITHUB_STEP_SUMMARY": str(tmp_path / "weg" / "s.md")})
    plain = _sopc("validate", "school.yaml", "--format", "github", "--today", TODAY,
                  cwd=tmp_path)
    assert run.code == plain.code == 1, run.error_text  # the run's own status
    assert run.out == plain.out
    assert "kan de samenvatting voor GitHub niet schrijven" in run.error_text
    assert "het bestand of de map bestaat niet" in run.error_text


@slow
def test_settings_keys_and_file_names_on_stderr_are_terminal_safe(tmp_path: Path) -> None:
    (tmp_path / "sopc.toml").write_text('[sopc]\n"\\u001b[2Jnep\\nregel" = 1\n',
                                        encoding="utf-8")
    (tmp_path / "school.yaml").write_text(MINIMAL, encoding="utf-8")
    run = _sopc("validate", "school.yaml", cwd=tmp_path)
    assert run.code == 2, run.error_text
    assert "\\x1b[2Jnep\\nregel" in run.error_text
    _assert_terminal_safe(run.error_text.rstrip("\n"))
    assert run.error_text.count("\n") == 1
    missing = _sopc("validate", "weg\x1b[2J\u202e.yaml", "--nope\x9b", cwd=tmp_path)
    assert missing.code == 2
    _assert_terminal_safe(missing.error_text.replace("\n", ""))
    gone = _sopc("validate", "weg\x1b[2J\u202e.yaml", cwd=tmp_path)
    assert gone.code == 2
    assert "weg\\x1b[2J\\u202e.yaml" in gone.error_text


@slow
@pytest.mark.parametrize("output_format", ["text", "md"])
def test_diff_on_a_terminal_shows_values_escaped(tmp_path: Path, output_format: str) -> None:
    (tmp_path / "oud.yaml").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / "nieuw.yaml").write_text(EXAMPLE.replace(
        "naam: Basisschool Op de Heuvel",
        'naam: "Nieuw\\e[2J\\x9b\\u202enaam\\nnep.yaml:1:1: error: vals"', 1), encoding="utf-8")
    run = _sopc("diff", "oud.yaml", "nieuw.yaml", "--format", output_format, cwd=tmp_path)
    assert run.code == 0, run.error_text
    assert "Nieuw" in run.text
    _assert_terminal_safe(run.text.replace("\n", ""))
    if output_format == "text":
        assert not any(line.startswith("nep.yaml") for line in run.text.splitlines())


# -- 20: undecodable file names ------------------------------------------------------------

@slow
@pytest.mark.parametrize("output_format", ["text", "parsable", "github", "json"])
def test_a_file_name_with_invalid_utf8_is_shown_escaped(tmp_path: Path,
                                                         output_format: str) -> None:
    name = os.fsencode(tmp_path) + b"/fout\xff\xfe.yaml"
    with open(name, "wb") as handle:
        handle.write(b"sopc: 1\nschool: [\n")
    summary = tmp_path / "summary.md"
    run = _sopc("validate", tmp_path.name, "--format", output_format, cwd=tmp_path.parent,
                env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert run.code == 1, run.error_text
    if output_format == "json":
        assert json.loads(run.text)["files"][0]["file"].endswith("fout\\xff\\xfe.yaml")
    else:
        assert "fout\\xff\\xfe.yaml" in run.text
    if output_format == "github":
        assert "fout\\\\xff\\\\xfe\\.yaml" in summary.read_text(encoding="utf-8")


# -- 23: closed or full stdout -------------------------------------------------------------

def _clean_repository(folder: Path, schools: int) -> None:
    for number in range(schools):
        brin = f"{number % 100:02d}Z{chr(65 + number // 100)}"
        (folder / f"school{number}.yaml").write_text(
            EXAMPLE.replace("brin: 06KG", f"brin: {brin}"), encoding="utf-8")


@slow
def test_a_closed_pipe_ends_quietly_with_the_runs_own_status(tmp_path: Path) -> None:
    _clean_repository(tmp_path, 400)  # warnings only: exit 0; ~100 KB, more than a pipe holds
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    environment.pop("GITHUB_ACTIONS", None)
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNER, "validate", ".", "--today", TODAY, "-j", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=environment,
        preexec_fn=_limit, bufsize=0)  # unbuffered: read exactly one line, like `head -1`
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # `| head -1`
    process.stdout.close()
    err = process.stderr.read()
    code = process.wait(timeout=TIME_LIMIT)
    assert first.startswith(b"school0.yaml:")
    assert code == 0, err
    assert err == b""


@slow
def test_a_full_disk_on_stdout_is_a_dutch_message_and_exit_2(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    _clean_repository(tmp_path, 2)
    with open("/dev/full", "w") as full:
        run = _sopc("validate", ".", "--today", TODAY, cwd=tmp_path, stdout=full.fileno())
    assert run.code == 2
    assert run.error_text == "sopc: kan de uitvoer niet schrijven: de schijf is vol\n"


@slow
def test_closed_stdout_keeps_the_runs_status(tmp_path: Path) -> None:
    _clean_repository(tmp_path, 2)
    run = _sopc("validate", ".", "--today", TODAY, cwd=tmp_path, stdout=subprocess.DEVNULL)
    assert run.code == 0
    closed = subprocess.run(
        [sys.executable, "-c", "import os, runpy, sys; os.close(1); sys.argv = ['sopc', "
         "'validate', '.', '--today', '" + TODAY + "']; "
         "from sopc.cli import main; main()"],
        cwd=tmp_path, capture_output=False, stderr=subprocess.PIPE, timeout=TIME_LIMIT,
        check=False)
    assert closed.returncode == 0, closed.stderr
    assert b"Traceback" not in closed.stderr


# -- 25: Dutch everywhere -------------------------------------------------------------------

ENGLISH = re.compile(
    r"\b(expected|found|not allowed|Usage|Error|Permission denied|No such|Invalid|"
    r"Input should|Show this message|Try '|Missing|Options|Arguments|Commands|"
    r"unacceptable|character|position|while (?:parsing|scanning)|is not|valid|"
    r"required|default|TEXT|INTEGER|PATH|or|the|and|Aborted|Got unexpected|"
    r"does not|requires|directory|Is a directory|denied)\b")

BAD_COMMAND_LINES = [
    ["validate", "--nope"], ["validate", "--strct"], ["bogus"], ["diff"], ["diff", "a"],
    ["validate", "-j", "0"], ["validate", "-j", "veel"], ["validate", "-f"],
    ["schema", "extra"], ["build", "--format"], ["new"], ["templates"],
    ["templates", "export"], ["validate", "bestaat-niet.yaml"], ["validate", "-f", "xml"],
    ["validate", "--today", "morgen"], [],
]


@slow
def test_usage_errors_and_help_are_dutch(tmp_path: Path) -> None:
    for args in BAD_COMMAND_LINES:
        run = _sopc(*args, cwd=tmp_path)
        assert run.code == 2, (args, run.error_text)
        found = ENGLISH.search(run.error_text + run.text)
        assert found is None, (args, found, run.error_text)
    for command in ([], ["validate"], ["build"], ["site"], ["overview"], ["diff"], ["new"],
                    ["schema"], ["templates"], ["templates", "export"]):
        run = _sopc(*command, "-h", cwd=tmp_path)
        assert run.code == 0, run.error_text
        assert "Gebruik: sopc" in run.text and "Toon deze hulp en stop." in run.text
        for english in ("Usage", "Show this message", "Options:", "Arguments:", "[default",
                        "TEXT", "INTEGER", "PATH", "[x>="):
            assert english not in run.text, (command, english)


YAML_BREAKAGE = {
    "stuurteken": "sopc: 1\nschool:\n  naam: a\x1bb\n",
    "c1-teken": "sopc: 1\nschool:\n  naam: a\x9bb\n",
    "niet-teken": "sopc: 1\nschool:\n  naam: a\ufffeb\n",
    "onbekende-escape": 'sopc: 1\nschool:\n  naam: "\\q"\n',
    "hex-escape": 'sopc: 1\nschool:\n  naam: "\\xZZ"\n',
    "surrogaat-escape": 'sopc: 1\nschool:\n  naam: "\\ud800"\n',
    "directief": "%FOO\n---\nsopc: 1\n",
    "dubbel-yaml-directief": "%YAML 1.1\n%YAML 1.1\n---\nsopc: 1\n",
    "tag-handle": "sopc: !x!y 1\n",
    "tag-zonder-sluiting": "sopc: !<x 1\n",
    "documentteken-in-tekst": 'sopc: 1\nnaam: "x\n---\n"\n',
    "inspringing-0": "sopc: |0\n x\n",
    "tab-in-blok": "sopc: >\n\tb\n",
    "anker-zonder-naam": "sopc: &\n",
    "alias-zonder-naam": "sopc: *\n",
    "achter-aanhalingsteken": '"a" b\n',
    "open-lijst": "sopc: [1\n",
    "open-mapping": "sopc: {a: 1\n",
    "open-tekst": 'sopc: "abc\n',
    "verkeerde-inspringing": "sopc: 1\n  school: 2\n",
    "lijst-en-mapping": "sopc: 1\n- a\n",
    "soort-onbekend": ("sopc: 1\nsoort: swv\nswv:\n  id: x\n  naam: X\ncatalogi:\n  - id: a\n"
                       "    titel: A\n    soort: zzz\n    kolomkop: K\n"),
    "groot-getal": "sopc: 99999999999999999999999999999\nschool: {}\n",
}


def _mutations() -> dict[str, str]:
    """The example with values of the wrong kind in many places."""
    import yaml

    data = yaml.safe_load(EXAMPLE)
    cases: dict[str, str] = {}
    replacements: list[object] = [[1, 2], {"x": 1}, "zzz", None]
    for section in ("school", "sop", "inspectie", "teksten", "aanbod", "clusters"):
        node = data.get(section)
        keys = list(node)[:4] if isinstance(node, dict) else [0] if node else []
        for key in keys:
            for number, value in enumerate(replacements):
                changed = yaml.safe_load(EXAMPLE)
                changed[section][key] = value
                cases[f"{section}-{key}-{number}"] = yaml.safe_dump(changed, allow_unicode=True)
    return cases


@slow
def test_every_message_and_hint_for_bad_input_is_dutch(tmp_path: Path) -> None:
    folder = tmp_path / "scholen"
    folder.mkdir()
    for name, text in {**YAML_BREAKAGE, **_mutations()}.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    for fixture in (ROOT / "tests" / "fixtures" / "invalid").glob("*.yaml"):
        (folder / fixture.name).write_bytes(fixture.read_bytes())
    from test_hostile_input import CASES  # the hostile cases of issue 3

    for name, (content, *_) in CASES.items():
        if len(content) < 1_000_000:
            (folder / f"vijandig-{name}.yaml").write_bytes(content)
    (folder / "map.yaml").mkdir()  # a folder that looks like a school file
    run = _sopc("validate", "scholen", "--format", "json", "--today", TODAY, cwd=tmp_path)
    assert run.code == 1, run.error_text
    document = json.loads(run.text)
    texts = {(d["code"], d["message"], d["hint"] or "")
             for f in document["files"] for d in f["diagnostics"]}
    assert len(texts) > 50
    english = sorted(t for t in texts if ENGLISH.search(t[1]) or ENGLISH.search(t[2]))
    assert english == []
    for code, message, hint in texts:
        assert "\n" not in message and "\n" not in hint, (code, message)


# -- pure functions -------------------------------------------------------------------------

def test_dutch_os_errors() -> None:
    import errno

    from sopc.diagnostics import dutch_os_error

    assert dutch_os_error(PermissionError(errno.EACCES, "Permission denied")) == \
        "geen toegang (onvoldoende rechten)"
    assert dutch_os_error(FileNotFoundError(errno.ENOENT, "x")) == \
        "het bestand of de map bestaat niet"
    assert dutch_os_error(OSError(errno.ENOSPC, "x")) == "de schijf is vol"
    assert "EADDRINUSE" in dutch_os_error(OSError(errno.EADDRINUSE, "Address in use"))
    assert dutch_os_error(OSError("zomaar")) == "onbekende fout van het besturingssysteem"


def test_a_folder_as_school_file_is_a_dutch_message(tmp_path: Path) -> None:
    from sopc.loader import load_file

    loaded = load_file(tmp_path, "map.yaml")
    assert [d.message for d in loaded.diagnostics] == [
        "kan het bestand niet lezen: het is een map, geen bestand"]


def test_excerpts_come_from_the_loaded_text_only(tmp_path: Path) -> None:
    from sopc.loader import load_text, with_excerpts
    from sopc.output import format_text

    loaded = load_text("a: 1\r\nb: 2\u2028c: \x85d\n", "x.yaml")
    found = [Diagnostic("x.yaml", Span(line, 1, line, 2), "c", "m") for line in (1, 2, 3, 9)]
    found.append(Diagnostic("ander.yaml", Span(1, 1, 1, 2), "c", "m"))
    shown = with_excerpts(found, loaded)
    assert [d.excerpt.text if d.excerpt else None for d in shown] == [
        "a: 1", "b: 2", "c: ", None, None]
    assert shown == found  # the excerpt is presentation, not identity
    assert "  2 | b: 2" in format_text(shown[1])


def test_carets_follow_escaped_characters() -> None:
    from sopc.diagnostics import Excerpt
    from sopc.output import format_text

    for col, expected in ((3, "    |   ^^^^"), (4, "    |       ^")):
        diagnostic = Diagnostic("x.yaml", Span(1, col, 1, col + 1), "c", "m",
                                excerpt=Excerpt("a:\x1b b"))
        _, line, carets = format_text(diagnostic).splitlines()
        assert line == "  1 | a:\\x1b b"
        assert carets == expected


hostile_text = st.text(st.sampled_from(
    [*"ab \\:,%|<>`*_[]\n\r\t\x1b\x9b\x85\x00\x7f\u2028\u2029\u202e\u200b\ufeff\u00a0é",
     "\udcff", "\U000e0041", "\U0001f600"]), max_size=40)


@settings(max_examples=200, deadline=None)
@given(hostile_text)
def test_terminal_safe_leaves_nothing_hidden_and_one_line(text: str) -> None:
    from sopc.diagnostics import terminal_safe

    safe = terminal_safe(text)
    assert "\n" not in safe and "\r" not in safe
    assert all(unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp", "Cs"}
               for char in safe)
    if text.isprintable():
        assert safe == text


@settings(max_examples=200, deadline=None)
@given(hostile_text)
def test_json_output_keeps_the_data_and_hides_the_controls(text: str) -> None:
    from sopc.diagnostics import terminal_safe
    from sopc.output import json_terminal_safe

    document = json_terminal_safe(json.dumps({"m": text}, ensure_ascii=False))
    assert not HIDDEN.search(document.replace("\n", ""))
    decoded = json.loads(document)["m"]
    expected = "".join(terminal_safe(c) if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    assert decoded == expected


def test_excerpts_survive_the_build_manifest_and_bad_ones_are_dropped() -> None:
    from sopc.diagnostics import Excerpt, diagnostic_from_dict, diagnostic_to_dict

    diagnostic = Diagnostic("a.yaml", Span(1, 2, 1, 3), "c", "m", excerpt=Excerpt("x: 1", 1))
    stored = diagnostic_to_dict(diagnostic)
    assert diagnostic_from_dict(json.loads(json.dumps(stored))).excerpt == Excerpt("x: 1", 1)
    for broken in ("x: 1", ["x"], [1, 1], ["x", "1"], ["x", 0], None):
        assert diagnostic_from_dict({**stored, "excerpt": broken}).excerpt is None
    del stored["excerpt"]  # a manifest from before excerpts were stored
    assert diagnostic_from_dict(stored).excerpt is None
