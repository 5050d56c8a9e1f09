from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_SCHOOLS, EXAMPLES, FIXTURES, ROOT, run_cli, visible
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopc.cli import COMMANDS
from sopc.schema import SCHEMA_KINDS, schema_text


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0 and result.out.startswith("sopc 0.")


def test_validate_examples_exit_0() -> None:
    result = run_cli("validate", str(EXAMPLES))
    assert result.code == 0, result.out
    assert "8 bestanden gecontroleerd: 0 fouten, 1 waarschuwing, 2 opmerkingen" in result.out


def test_misspelt_key_names_line_col_and_spelling() -> None:
    result = run_cli("validate", str(FIXTURES / "invalid" / "misspelt-key.yaml"))
    assert result.code == 1
    assert "misspelt-key.yaml:4:3: fout: school.naaam: onbekende sleutel 'naaam'" in result.out
    assert "bedoelde u 'naam'?" in result.out


def test_parsable_format_is_gcc_style() -> None:
    fixture = FIXTURES / "invalid" / "bad-brin.yaml"
    result = run_cli("validate", "--format", "parsable", str(fixture))
    assert result.code == 1
    assert "bad-brin.yaml:5:9: error: school.brin: '6KG' is geen BRIN-code" in result.out


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("validate", str(tmp_path / "bestaat-niet.yaml")).code == 2
    assert run_cli("validate", "--format", "xml", str(EXAMPLES)).code == 2
    assert run_cli("validate", "--onbekend", str(EXAMPLES)).code == 2
    assert run_cli("validate", str(tmp_path)).code == 2  # no YAML files
    assert run_cli("build", "--format", "odt", str(EXAMPLES)).code == 2


def test_the_format_of_messages_and_of_documents_point_to_each_other() -> None:
    """Found in a user trial: `validate` calls the format of its messages --format,
    build, site and overview --meldingen (their --format is the documents')."""
    school = str(EXAMPLES / "op-de-heuvel.yaml")
    wrong = run_cli("build", "--format", "json", school)
    assert wrong.code == 2 and "kiest u met --meldingen json" in wrong.err, wrong.err
    assert "bedoelde u 'json' in plaats van 'JSON'?" in run_cli(
        "validate", "--format", "JSON", school).err
    several = run_cli("validate", "--format", "json,text", school)  # one format only
    assert several.code == 2 and "kies één uitvoervorm voor de meldingen, niet 'json,text'" \
        in several.err, several.err
    both = [run_cli("validate", option, "json", "--today", "2022-03-01", school)
            for option in ("--format", "--meldingen")]
    assert both[0].code == both[1].code == 0 and both[0].out == both[1].out


def test_a_misspelt_command_gets_a_suggestion_in_dutch() -> None:
    result = run_cli("valdate", str(EXAMPLES))
    assert result.code == 2
    assert "onbekende opdracht 'valdate' (bedoelde u 'validate'?)" in result.err, result.err
    assert "onbekende opdracht 'xyz'" in run_cli("xyz").err
    assert "(bedoelde u 'serve', 'site' of 'overview'?)" in run_cli("serie").err


def test_strict_turns_warnings_into_failure() -> None:
    from sopc.diagnostics import Diagnostic, Severity, Span, exit_code

    warning = Diagnostic("x", Span.start_of_file(), "test", "let op", severity=Severity.WARNING)
    assert exit_code([warning]) == 0 and exit_code([warning], strict=True) == 1


def test_build_writes_and_reports(tmp_path: Path) -> None:
    result = run_cli("build", str(EXAMPLES), "-o", str(tmp_path))
    assert result.code == 0, result.out
    assert visible(tmp_path) == sorted(f"{school}.{suffix}" for school in EXAMPLE_SCHOOLS
                                       for suffix in ("html", "md"))


def test_build_invalid_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    result = run_cli("build", str(FIXTURES / "invalid" / "bad-brin.yaml"), "-o", str(tmp_path))
    assert result.code == 1
    assert "brin-formaat" in result.out
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("preset", ["ppo-nk", "perspectief-op-school"])
def test_new_writes_a_valid_starter_and_never_overwrites(tmp_path: Path, preset: str) -> None:
    target = tmp_path / "nieuw.yaml"
    assert run_cli("new", str(target), "--preset", preset).code == 0
    assert run_cli("validate", str(target)).code == 0
    before = target.read_bytes()
    assert run_cli("new", str(target)).code == 2
    assert target.read_bytes() == before
    assert run_cli("build", str(target), "-o", str(tmp_path / "out")).code == 0


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_committed_schema_is_current(kind: str) -> None:
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), "schemas/ is stale: run `make schemas`"
    document = json.loads(committed)
    assert document["title"]


def test_schema_prints_json() -> None:
    result = run_cli("schema")
    assert result.code == 0 and json.loads(result.out)["properties"]["school"]


SCHOOL_TEXT = (EXAMPLES / "ppo-noord-kennemerland.yaml").read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=len(SCHOOL_TEXT.encode())), st.binary(max_size=8))
def test_any_mangled_file_gives_only_diagnostics(tmp_path: Path, cut: int, junk: bytes) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_bytes(SCHOOL_TEXT.encode()[:cut] + junk)
    result = run_cli("validate", "--format", "parsable", str(path))
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.out + result.err


@pytest.mark.slow
def test_plain_pip_install_works(tmp_path: Path) -> None:
    """`pip install .` gives a working sopc, templates and presets included."""
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "__pycache__", ".*_cache"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(source)], check=True)
    work = tmp_path / "elders"
    work.mkdir()
    shutil.copy(EXAMPLES / "ppo-noord-kennemerland.yaml", work)
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "sopc", "build", "ppo-noord-kennemerland.yaml",
                          "--today", "2022-03-01",
                          "-o", "uit"], cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (work / "uit" / "ppo-noord-kennemerland.html").stat().st_size > 10_000


def test_only_the_process_own_command_line_skips_the_final_collection() -> None:
    """`sopc` as a process collects garbage less often (cli._collect_less_often) and
    freezes its objects before exiting (a shorter shutdown, see
    cli._skip_final_collection), and still prints its whole report and exit code; a
    program that calls main(args) keeps its garbage collector as it was."""
    import gc

    before = gc.get_freeze_count(), gc.get_threshold()
    assert run_cli("validate", str(EXAMPLES / "op-de-heuvel.yaml")).code == 0
    assert (gc.get_freeze_count(), gc.get_threshold()) == before
    script = ("import atexit, gc, sys\n"
              "atexit.register(lambda: print('bevroren', gc.get_freeze_count() > 0,"
              " gc.get_threshold(), file=sys.stderr))\n"
              "sys.argv = ['sopc', 'validate', sys.argv[1]]\n"
              "from sopc.cli import main\n"
              "main()\n")
    finished = subprocess.run([sys.executable, "-c", script, str(EXAMPLES)],
                              capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    assert "8 bestanden gecontroleerd" in finished.stdout
    assert finished.stderr.strip() == "bevroren True (20000, 10, 10)"


# -- Pydantic's plugin search on the command line --------------------------------------------

_PLUGIN_PROBE = """\
import os, sys
from sopc.cli import main
sys.argv = ['sopc', 'validate', '-q', '--today', '2022-03-01', sys.argv[1]]
try:
    main()
except SystemExit as stop:
    print('status', stop.code, file=sys.stderr)
print('metadata', 'importlib.metadata' in sys.modules, file=sys.stderr)
loader = sys.modules['pydantic.plugin._loader']
print('plugins', list(loader.get_plugins()), file=sys.stderr)
os.environ['PYDANTIC_DISABLE_PLUGINS'] = 'geen'  # plugins on again: the real loader
print('plugins', list(loader.get_plugins()), file=sys.stderr)
print('real', sys.modules['pydantic.plugin._loader'] is not loader,  # stand-in replaced
      'importlib.metadata' in sys.modules, file=sys.stderr)
"""


def test_the_stand_in_answers_as_pydantics_own_plugin_loader(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What the stand-in copies of Pydantic's private plugin loader still holds: no
    parameters, and no plugins for each value that turns them off."""
    import inspect

    from pydantic.plugin import _loader

    from sopc.cli import _PLUGINS_OFF

    assert list(inspect.signature(_loader.get_plugins).parameters) == []
    for value in _PLUGINS_OFF:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", value)
        assert tuple(_loader.get_plugins()) == ()


@pytest.mark.parametrize(("setting", "searched"), [(None, False), ("__all__", False),
                                                   ("", True)])
def test_the_command_line_skips_the_plugin_search_only_while_plugins_are_off(
        setting: str | None, searched: bool) -> None:
    """Pydantic's plugin loader imports importlib.metadata even when it finds no plugins
    (~7 ms of a cold start): the command line answers with a stand-in while plugins are
    off, and the real loader takes over whenever they are on."""
    import os

    env = {name: value for name, value in os.environ.items()
           if name != "PYDANTIC_DISABLE_PLUGINS"}
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    shown = subprocess.run([sys.executable, "-c", _PLUGIN_PROBE,
                            str(EXAMPLES / "op-de-heuvel.yaml")], capture_output=True,
                           text=True, check=True, cwd=ROOT, env=env)
    assert shown.stderr.splitlines() == [
        "status 0", f"metadata {searched}", "plugins []", "plugins []",
        f"real {not searched} True"], shown.stderr


# -- the garbage collector while sopc starts -------------------------------------------------

_COLLECTOR_PROBE = """\
import gc, os, sys
import sopc.api, sopc.runner
from sopc.cli import main
events = []
gc.callbacks.append(lambda phase, info: phase == 'start' and events.append(info['generation']))
resume = sopc.runner.resume_collection
def resumed():
    deferred = sopc.runner._collection_deferred
    resume()
    if deferred:
        events.append(('resumed', gc.isenabled(), gc.get_freeze_count()))
sopc.runner.resume_collection = resumed
process, notes = sopc.api.Worker.process, sys.argv[1]
def noted(self, item):  # in each worker: its collector as it handles a file
    with open(os.path.join(notes, str(os.getpid())), 'w') as note:
        note.write(f'{gc.isenabled()} {gc.get_freeze_count() > 10_000}')
    return process(self, item)
sopc.api.Worker.process = noted
sys.argv = ['sopc', 'validate', '-q', '--today', '2022-03-01', *sys.argv[2:]]
try:
    main()
except SystemExit as stop:
    print('status', stop.code, file=sys.stderr)
marks = [event for event in events if isinstance(event, tuple)]
before = events[:events.index(marks[0])]
print('older generations collected at start', sum(1 for g in before if g > 0), file=sys.stderr)
print('then enabled', gc.isenabled(), 'frozen', marks[0][2] > 10_000, file=sys.stderr)
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_line_starts_without_collecting_and_collects_from_the_first_file(
        jobs: str, tmp_path: Path) -> None:
    """What start-up makes (Pydantic, the models) is never garbage: no collection of the
    older generations while sopc starts, then a collector as usual, with start-up frozen,
    in the main process and in every worker."""
    shown = subprocess.run([sys.executable, "-c", _COLLECTOR_PROBE, str(tmp_path), "-j", jobs,
                            str(EXAMPLES / "op-de-heuvel.yaml"),
                            str(EXAMPLES / "ppo-noord-kennemerland.yaml")],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    assert shown.stderr.splitlines() == [
        "status 0", "older generations collected at start 0", "then enabled True frozen True"
    ], shown.stderr
    # one note per process that handled a file (with -j 2 either worker may take both)
    workers = [note.read_text(encoding="utf-8") for note in tmp_path.iterdir()]
    assert 1 <= len(workers) <= int(jobs) and set(workers) == {"True True"}, workers


@pytest.mark.parametrize("command", ["new", "build"])
def test_a_command_without_per_file_work_collects_again(command: str, tmp_path: Path
                                                         ) -> None:
    """`sopc new`, or a build where nothing changed, never reaches the per-file work: the
    collector is on again once the command's work is done."""
    probe = ("import gc, sys\nimport sopc.runner\nfrom sopc.cli import main\n"
             "resume = sopc.runner.resume_collection\n"
             "def resumed():\n    resume()\n"
             "    print('collecting', gc.isenabled(), file=sys.stderr)\n"
             "sopc.runner.resume_collection = resumed\n"
             "sys.argv = ['sopc', *sys.argv[1:]]\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n")
    arguments = ([str(tmp_path / "nieuw.yaml")] if command == "new" else
                 ["--today", "2022-03-01", str(EXAMPLES / "op-de-heuvel.yaml"), "-o",
                  str(tmp_path / "uit")])
    if command == "build":  # the second build finds nothing changed
        subprocess.run([sys.executable, "-m", "sopc", command, *arguments], check=True,
                       capture_output=True, cwd=ROOT)
    shown = subprocess.run([sys.executable, "-c", probe, command, *arguments],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    assert shown.stderr.splitlines()[-1] == "collecting True", shown.stderr


def test_main_called_from_a_program_leaves_its_collector_alone() -> None:
    import gc

    frozen = gc.get_freeze_count()
    assert run_cli("validate", "-q", "--today", "2022-03-01",
                   str(EXAMPLES / "op-de-heuvel.yaml")).code == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen


# -- the app holds only the command that runs ------------------------------------------------

def test_the_commands_list_is_the_whole_app() -> None:
    import typer.main

    from sopc.cli import _make_app

    group = typer.main.get_command(_make_app())  # type: ignore[arg-type]
    assert sorted(group.commands) == sorted(COMMANDS)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_reads_the_same_in_an_app_of_its_own(name: str) -> None:
    """sopc builds the app with only the command asked for: its help is unchanged."""
    import click
    import typer.main

    from sopc.cli import _make_app

    def help_of(app: object) -> str:
        group = typer.main.get_command(app)  # type: ignore[arg-type]
        with click.Context(group, info_name="sopc") as parent:
            command = group.commands[name]  # type: ignore[attr-defined]
            with click.Context(command, info_name=name, parent=parent) as context:
                return str(command.get_help(context))

    assert help_of(_make_app(name)) == help_of(_make_app())
    assert run_cli(name, "--help").code == 0


def test_a_build_names_the_schools_it_wrote_nothing_for(tmp_path: Path) -> None:
    """Found in a user trial: the text output listed what was written and left a school
    with an error out without a word."""
    repo = EXAMPLES / "schools-repo"
    built = run_cli("build", "--today", "2026-11-01", str(repo / "scholen"), "-o",
                    str(tmp_path))
    assert built.code == 1
    assert "niet gebouwd: " in built.out and built.out.count("niet gebouwd: ") == 1
    [line] = [line for line in built.out.splitlines() if line.startswith("niet gebouwd: ")]
    assert line.endswith("het-anker.yaml (zie de fout hierboven)"), line
    checked = run_cli("validate", "--today", "2026-11-01", str(repo / "scholen"))
    assert "niet gebouwd" not in checked.out


def test_new_writes_only_a_file_sopc_finds(tmp_path: Path) -> None:
    """Found in a user trial: `sopc new scholen/x.txt` wrote the file, then advised to
    move it to another folder; sopc looks for .yaml and .yml only."""
    wrong = run_cli("new", str(tmp_path / "x.txt"))
    assert wrong.code == 2 and not (tmp_path / "x.txt").exists()
    assert f"bedoelde u {tmp_path / 'x.yaml'}?" in wrong.err, wrong.err
    assert run_cli("new", str(tmp_path / "x.yml")).code == 0


def test_too_many_jobs_are_lowered_with_a_note() -> None:
    from sopc.runner import max_jobs

    school = str(EXAMPLES / "op-de-heuvel.yaml")
    result = run_cli("validate", "-q", "-j", str(max_jobs() + 1), "--today", "2022-03-01",
                     school)
    assert result.code == 0
    assert f"-j {max_jobs() + 1} wordt -j {max_jobs()}" in result.err, result.err
    assert "wordt" not in run_cli("validate", "-q", "-j", "1", "--today", "2022-03-01",
                                  school).err
