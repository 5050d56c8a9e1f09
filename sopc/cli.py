"""The `sopc` command: a thin shell over the library API in `sopc.api`.

Exit codes (contract): 0 no errors, 1 errors found (or warnings with --strict),
2 usage error (bad option, missing file), 3 an internal error in sopc itself.
`sopc --version` is answered before Typer (and everything else) is imported.
"""


import sys
from pathlib import Path
from typing import Annotated, NoReturn

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _fail_usage(message: str) -> NoReturn:
    print(f"sopc: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


def _make_app() -> object:
    import typer

    from sopc.cli_dutch import install

    install()
    app = typer.Typer(
        name="sopc",
        help="sopc, de SOP-compiler: maakt van een YAML-bestand per school een "
             "schoolondersteuningsprofiel (HTML en Markdown) en controleert het.",
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def version_callback(value: bool) -> None:
        if value:
            from sopc import __version__

            print(f"sopc {__version__}")
            raise typer.Exit()

    @app.callback()
    def root(
        version: Annotated[bool, typer.Option("--version", callback=version_callback,
                                              is_eager=True,
                                              help="Toon de versie en stop.")] = False,
    ) -> None:
        """sopc, de SOP-compiler."""

    @app.command("validate")
    def validate_command(
        paths: Annotated[list[Path], typer.Argument(
            help="Schoolbestanden, SWV-bestanden of mappen (mappen worden doorzocht).",
            show_default=False)],
        output_format: Annotated[str, typer.Option(
            "--format", "-f", help="Uitvoervorm: text of parsable.")] = "text",
        strict: Annotated[bool, typer.Option(
            "--strict", help="Waarschuwingen tellen ook als fout (exitcode 1).")] = False,
        quiet: Annotated[bool, typer.Option(
            "--quiet", "-q", help="Alleen problemen tonen, geen samenvatting.")] = False,
    ) -> None:
        """Controleer schoolbestanden en SWV-lagen; toon alle meldingen met bestand:regel:kolom."""
        from sopc import api
        from sopc.diagnostics import exit_code
        from sopc.output import OUTPUT_FORMATS, render_diagnostics, summary_line

        if output_format not in OUTPUT_FORMATS:
            _fail_usage(f"onbekende uitvoervorm '{output_format}'; kies uit "
                        f"{', '.join(OUTPUT_FORMATS)}")
        report = api.validate(paths)
        _check_found(report)
        for line in render_diagnostics(report.diagnostics, output_format):
            print(line)
        if not quiet:
            print(summary_line(len(report.files), report.diagnostics))
        raise SystemExit(exit_code(report.diagnostics, strict=strict))

    @app.command("build")
    def build_command(
        paths: Annotated[list[Path], typer.Argument(
            help="Schoolbestanden of mappen met schoolbestanden.", show_default=False)],
        output_dir: Annotated[Path, typer.Option(
            "--output", "-o", help="Uitvoermap.")] = Path("build"),
        formats: Annotated[str, typer.Option(
            "--format", "-f", help="Uitvoervormen, met komma's: html,md.")] = "html,md",
        output_format: Annotated[str, typer.Option(
            "--meldingen", help="Vorm van de meldingen: text of parsable.")] = "text",
    ) -> None:
        """Maak van elk schoolbestand x.yaml de documenten MAP/x.html en MAP/x.md."""
        from sopc import api
        from sopc.diagnostics import exit_code
        from sopc.output import OUTPUT_FORMATS, render_diagnostics, summary_line
        from sopc.render import FORMATS

        chosen = [part.strip() for part in formats.split(",") if part.strip()]
        unknown = [part for part in chosen if part not in FORMATS]
        if unknown or not chosen:
            _fail_usage(f"onbekende uitvoervorm '{','.join(unknown)}'; kies uit "
                        f"{', '.join(FORMATS)}")
        if output_format not in OUTPUT_FORMATS:
            _fail_usage(f"onbekende meldingvorm '{output_format}'")
        report = api.build(paths, output_dir, chosen)
        _check_found(report)
        for line in render_diagnostics(report.diagnostics, output_format):
            print(line)
        for result in report.files:
            for output in result.outputs:
                print(f"geschreven: {output}")
        print(summary_line(len(report.files), report.diagnostics))
        raise SystemExit(exit_code(report.diagnostics))

    @app.command("new")
    def new_command(
        file: Annotated[Path, typer.Argument(help="Het nieuwe schoolbestand.",
                                             show_default=False)],
        preset: Annotated[str, typer.Option(
            "--preset", "-p",
            help="SWV-preset: ppo-nk of perspectief-op-school.")] = "perspectief-op-school",
    ) -> None:
        """Maak een ingevuld startbestand voor een school (overschrijft nooit)."""
        from sopc.resolve import PRESETS
        from sopc.scaffold import starter

        if preset not in PRESETS:
            _fail_usage(f"onbekende preset '{preset}'; kies uit {', '.join(PRESETS)}")
        if file.exists():
            _fail_usage(f"{file} bestaat al; sopc overschrijft geen bestaande bestanden")
        from sopc.write import write_atomic

        write_atomic(file, starter(preset))
        print(f"geschreven: {file}")

    @app.command("schema")
    def schema_command(
        kind: Annotated[str, typer.Option(
            "--soort", help="school of swv.")] = "school",
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="Schrijf naar dit bestand in plaats van het scherm.")] = None,
    ) -> None:
        """Toon het JSON Schema van een schoolbestand of SWV-laag (voor editors)."""
        from sopc.schema import SCHEMA_KINDS, schema_text

        if kind not in SCHEMA_KINDS:
            _fail_usage(f"onbekende soort '{kind}'; kies uit {', '.join(SCHEMA_KINDS)}")
        text = schema_text(kind)
        if output is None:
            sys.stdout.write(text)
        else:
            from sopc.write import write_atomic

            write_atomic(output, text)
            print(f"geschreven: {output}")

    return app


def _check_found(report: object) -> None:
    from sopc.api import Report

    assert isinstance(report, Report)
    if report.missing:
        _fail_usage("bestaat niet: " + ", ".join(report.missing))
    if not report.files:
        _fail_usage("geen YAML-bestanden gevonden")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from sopc import __version__

        print(f"sopc {__version__}")
        return
    debug = "--debug" in args
    args = [arg for arg in args if arg != "--debug"]
    app = _make_app()
    try:
        app(args=args, prog_name="sopc")  # type: ignore[operator]
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("sopc: afgebroken", file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as error:
        if debug:
            raise
        print(f"sopc: interne fout ({type(error).__name__}: {error}). Dit is een fout in sopc, "
              "niet in uw bestand; draai opnieuw met --debug voor details.", file=sys.stderr)
        raise SystemExit(EXIT_INTERNAL) from None
