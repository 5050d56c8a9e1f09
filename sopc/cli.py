"""The `sopc` command: a thin shell over the library API in `sopc.api`.

Exit codes (contract): 0 no errors, 1 errors found (or warnings with --strict),
2 usage error (bad option, missing file, unusable settings, an output file that cannot
be written), 3 an internal error in sopc itself.
`sopc --version` is answered before Typer (and everything else) is imported.
"""


import datetime
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

if TYPE_CHECKING:  # imported when a command needs them: `sopc --version` stays fast
    from sopc.config import Config
    from sopc.duo import Location

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # Ctrl-C; SIGTERM (128 + the signal)


def _fail_usage(message: str) -> NoReturn:
    from sopc.diagnostics import terminal_safe

    print(f"sopc: {terminal_safe(message)}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


_INPUT_NAMES = ("sopc.toml", "pyproject.toml")


def _is_input(target: Path, inputs: Sequence[Path]) -> bool:
    """Whether writing `target` would overwrite an input: one this command reads, or
    any school, SWV or settings file (YAML, sopc.toml)."""
    if not os.path.lexists(target):
        return False
    if target.suffix.lower() in (".yaml", ".yml") or target.name in _INPUT_NAMES:
        return True
    for source in inputs:
        try:
            if os.path.samefile(target, source):
                return True
        except (OSError, ValueError):
            continue
    return False


def _write_file(target: Path, content: str, *, inputs: Sequence[Path] = (),
                what: str = "") -> None:
    """Write one file for a command, atomically; every problem is a Dutch message and
    exit 2, never a traceback. No command overwrites one of its own inputs."""
    from sopc.diagnostics import dutch_os_error
    from sopc.write import write_atomic

    if os.path.isdir(target):
        _fail_usage(f"{target} is een map; geef een bestandsnaam")
    if _is_input(target, inputs):
        kind = ("een invoerbestand van deze opdracht" if any(
            os.path.lexists(source) and os.path.samefile(target, source) for source in inputs)
            else "een school-, SWV- of instellingenbestand")
        _fail_usage(f"{target} is {kind}; sopc overschrijft het niet (kies een andere naam)")
    try:
        write_atomic(target, content)
    except OSError as error:
        _fail_usage(f"kan {target} niet schrijven: {dutch_os_error(error)}")
    print(f"geschreven: {target}{what}")


def _output_folder(folder: Path) -> Path:
    """An output folder (`-o`) that is an existing file is a usage error."""
    if os.path.lexists(folder) and not os.path.isdir(folder):
        _fail_usage(f"{folder} is een bestand, geen map; geef met -o een map op")
    return folder


def _existing_file(path: Path | None, what: str) -> None:
    """A file named by an option must exist (a usage error up front, not in mid-run)."""
    if path is not None and not os.path.isfile(path):
        _fail_usage(f"{what} {path} bestaat niet" if not os.path.lexists(path)
                    else f"{what} {path} is geen bestand")


def _duo_location(code: str, given: Path | None, config: "Config"
                  ) -> "tuple[Location, str]":
    """The DUO location `sopc new --vestiging CODE` fills the file from, and its list."""
    from sopc import duo

    wanted = "".join(code.split()).upper()
    if not duo.LOCATION_CODE.fullmatch(wanted):
        _fail_usage(f"'{code}' is geen vestigingscode: vier tekens BRIN en twee cijfers, "
                    "zoals 06KG00")
    _existing_file(given, "de lijst van DUO")
    chosen = config.duo_list(given)
    listed = _run(lambda: duo.load(chosen if isinstance(chosen, str) else None))
    location = listed.get(wanted)
    if location is None:
        near = listed.of_brin(wanted[:4]) or [listed.locations[c]
                                               for c in listed.close_codes(wanted)]
        hint = "; bedoelde u " + " of ".join(f"{n.code} ({n.name}, {duo.place_name(n.place)})"
                                             for n in near[:3]) + "?" if near else ""
        _fail_usage(f"vestiging {wanted} staat niet in de lijst van DUO ({listed.source})"
                    f"{hint}")
    return location, listed.source


# Every command of the app, as its first argument names it: `_make_app` builds only the
# one asked for (a test holds this list to the full app).
COMMANDS = ("validate", "build", "site", "overview", "diff", "templates", "presets", "serve",
            "new", "schema")


def _make_app(wanted: str | None = None) -> object:
    """The Typer app; with `wanted` (a name from COMMANDS), only that command under the
    app: Click makes its objects for every command it is given, ~3 ms of every cold
    start for twelve commands that are not run. Help and usage errors of that command
    read the same; `sopc --help` or a misspelt command gets the whole app."""
    import typer

    from sopc.cli_dutch import install

    install()
    app = typer.Typer(
        name="sopc",
        help="sopc, de SOP-compiler: maakt van een YAML-bestand per school een "
             "schoolondersteuningsprofiel (HTML, Markdown, PDF en Word) en controleert het.",
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def command(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """`app.command(name)`, for a command that is part of this app."""
        return app.command(name) if wanted in (None, name) else (lambda function: function)

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

    # Options shared by several commands: one definition each.
    Today = Annotated[str | None, typer.Option(
        "--today", help="Peildatum voor de leeftijd van een SOP (JJJJ-MM-DD); standaard "
                        "'peildatum' uit sopc.toml, anders de datum van vandaag.",
        show_default=False)]
    Settings = Annotated[Path | None, typer.Option(
        "--config", help="Gebruik dit instellingenbestand in plaats van sopc.toml te zoeken.",
        show_default=False)]
    Jobs = Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Aantal processen (standaard: de kernen van deze machine; "
                             "hoogstens 4 per kern).",
        show_default=False, min=1)]
    Quiet = Annotated[bool, typer.Option("--quiet", "-q",
                                         help="Alleen problemen tonen, geen samenvatting.")]
    ReportFormat = Annotated[str | None, typer.Option(
        "--meldingen", help="Vorm van de meldingen: text, parsable, json of github.",
        show_default=False)]
    DuoList = Annotated[Path | None, typer.Option(
        "--duo", help="De lijst 'Alle schoolvestigingen' van DUO (CSV zoals gedownload), "
                      "in plaats van 'duo' uit sopc.toml of de lijst in sopc.",
        show_default=False)]
    Profiles = Annotated[str, typer.Option(
        "--profiel", "-p", help="Versies, met komma's: volledig (het SOP), ouders (kort, "
                                "voor ouders), schoolgids (hoofdstuk voor de schoolgids).")]
    TemplateDirs = Annotated[list[Path] | None, typer.Option(
        "--templates", "-t", help="Map met eigen templates; gaat per bestand vóór de "
                                  "ingebouwde. Mag vaker.", show_default=False)]
    AllSchools = Annotated[list[Path] | None, typer.Argument(
        help="Mappen of bestanden met alle scholen; zonder pad: de huidige map.",
        show_default=False)]

    @command("validate")
    def validate_command(
        paths: Annotated[list[Path] | None, typer.Argument(
            help="Schoolbestanden, SWV-bestanden of mappen (mappen worden doorzocht); "
                 "zonder pad: de huidige map.", show_default=False)] = None,
        output_format: Annotated[str | None, typer.Option(
            # --meldingen as in build, site and overview, whose --format is the documents'
            "--format", "-f", "--meldingen",
            help="Uitvoervorm: text, parsable, json of github (standaard: github binnen "
                 "GitHub Actions, anders text).",
            show_default=False)] = None,
        strict: Annotated[bool, typer.Option(
            "--strict", help="Waarschuwingen tellen ook als fout (exitcode 1).")] = False,
        quiet: Quiet = False,
        verbose: Annotated[bool, typer.Option(
            "--verbose", "-v", help="Toon ook de bestanden zonder meldingen.")] = False,
        today: Today = None,
        config: Settings = None,
        jobs: Jobs = None,
        duo_file: DuoList = None,
        whole_repository: Annotated[bool, typer.Option(
            "--hele-repository",
            help="Controleer elk bestand van de repository waarin de genoemde bestanden "
                 "liggen; de genoemde gelden als gewijzigd (voor de pre-commit-hook: zo "
                 "vallen ook een dubbele BRIN en een school die door een gewijzigde "
                 "SWV-laag breekt op).")] = False,
    ) -> None:
        """Controleer schoolbestanden en SWV-lagen; toon alle meldingen met bestand:regel:kolom."""
        from sopc import api

        chosen = _output_format(output_format)
        _existing_file(duo_file, "de lijst van DUO")
        report = _run(lambda: api.validate(paths or [], today=_date(today), config=config,
                                           jobs=_jobs(jobs), duo=duo_file,
                                           whole_repository=whole_repository))
        _finish(report, chosen, quiet=quiet, verbose=verbose, strict=strict)

    @command("build")
    def build_command(
        paths: Annotated[list[Path] | None, typer.Argument(
            help="Schoolbestanden of mappen met schoolbestanden; zonder pad: de huidige map.",
            show_default=False)] = None,
        output_dir: Annotated[Path, typer.Option(
            "--output", "-o", help="Uitvoermap.")] = Path("build"),
        formats: Annotated[str, typer.Option(
            "--format", "-f", help="Uitvoervormen, met komma's: html, md, pdf, "
                                   "docx (Word) en fragment (HTML om in de "
                                   "website te plakken).")] = "html,md",
        output_format: ReportFormat = None,
        quiet: Quiet = False,
        today: Today = None,
        config: Settings = None,
        profiles: Profiles = "volledig",
        template_dirs: TemplateDirs = None,
        jobs: Jobs = None,
        duo_file: DuoList = None,
        force: Annotated[bool, typer.Option(
            "--force", help="Bouw alles opnieuw, ook scholen waaraan niets veranderde.")
        ] = False,
    ) -> None:
        """Maak van elk schoolbestand x.yaml de documenten MAP/x.html, MAP/x.md (en x.pdf,
        x.docx, x.fragment.html).

        Een profiel heet in de bestandsnaam mee: x.ouders.html, x.schoolgids.md. Een school
        waarvan niets veranderde (bestand, SWV-laag, templates, sopc) wordt niet opnieuw
        gebouwd; --force doet het toch."""
        from sopc import api
        from sopc.theme import FORMATS, PROFILES

        chosen = _choices(formats, FORMATS, "onbekende uitvoervorm", documents=True)
        chosen_profiles = _choices(profiles, PROFILES, "onbekend profiel")
        if "pdf" in chosen:
            from sopc.pdf import pdf_available

            problem = pdf_available()
            if problem:
                _fail_usage(problem)
        for folder in template_dirs or []:
            if not folder.is_dir():
                _fail_usage(f"de templatemap {folder} bestaat niet")
        report_format = _output_format(output_format)
        _output_folder(output_dir)
        _existing_file(duo_file, "de lijst van DUO")
        report = _run(lambda: api.build(paths or [], output_dir, chosen, template_dirs or [],
                                        today=_date(today), config=config,
                                        profiles=chosen_profiles, jobs=_jobs(jobs),
                                        force=force, duo=duo_file))
        _finish(report, report_format, quiet=quiet, building=True)

    @command("site")
    def site_command(
        paths: AllSchools = None,
        output_dir: Annotated[Path, typer.Option(
            "--output", "-o", help="Map voor de site.")] = Path("site"),
        formats: Annotated[str, typer.Option(
            "--format", "-f", help="Documenten per school: html, md, pdf, docx, fragment."
        )] = "html,md",
        profiles: Profiles = "volledig",
        output_format: ReportFormat = None,
        quiet: Quiet = False,
        today: Today = None,
        config: Settings = None,
        jobs: Jobs = None,
    ) -> None:
        """Bouw alle scholen en een indexpagina (per werkgebied en bestuur, doorzoekbaar)
        met het overzicht van het dekkend aanbod: MAP/index.html."""
        from sopc.progress import ProgressReporter
        from sopc.site import site
        from sopc.theme import FORMATS, PROFILES

        chosen = _choices(formats, FORMATS, "onbekende uitvoervorm", documents=True)
        if "pdf" in chosen:
            from sopc.pdf import pdf_available

            if problem := pdf_available():
                _fail_usage(problem)
        chosen_profiles = _choices(profiles, PROFILES, "onbekend profiel")
        report_format = _output_format(output_format)
        _output_folder(output_dir)
        result = _run(lambda: site(paths or [], output_dir, chosen, today=_date(today),
                                   config=config, jobs=_jobs(jobs), profiles=chosen_profiles,
                                   progress=ProgressReporter("site")))
        _finish(result.report, report_format, quiet=quiet, written=result.written,
                building=True)

    @command("overview")
    def overview_command(
        paths: AllSchools = None,
        output_dir: Annotated[Path, typer.Option(
            "--output", "-o", help="Map voor het overzicht.")] = Path("overzicht"),
        formats: Annotated[str, typer.Option(
            "--format", "-f", help="html, md, csv, json (met komma's).")] = "html,md,csv,json",
        output_format: ReportFormat = None,
        quiet: Quiet = False,
        today: Today = None,
        config: Settings = None,
        jobs: Jobs = None,
    ) -> None:
        """Het dekkend aanbod: per werkgebied wie wat biedt (op school, via bestuur, via
        SWV), de hiaten en het eigen aanbod ('anders, namelijk')."""
        from sopc.progress import ProgressReporter
        from sopc.site import OVERVIEW_FORMATS, overview

        chosen = _choices(formats, OVERVIEW_FORMATS, "onbekende uitvoervorm")
        report_format = _output_format(output_format)
        _output_folder(output_dir)
        result = _run(lambda: overview(paths or [], output_dir, chosen, today=_date(today),
                                       config=config, jobs=_jobs(jobs),
                                       progress=ProgressReporter("overzicht")))
        _finish(result.report, report_format, quiet=quiet, written=result.written)

    @command("diff")
    def diff_command(
        old: Annotated[str, typer.Argument(help="De oude versie: een bestand, een map, of "
                                                "REVISIE:PAD (uit git).", show_default=False)],
        new: Annotated[str, typer.Argument(help="De nieuwe versie: een bestand, een map, of "
                                                "REVISIE:PAD.", show_default=False)],
        output_format: Annotated[str, typer.Option(
            "--format", "-f", help="text, md of html.")] = "text",
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="Schrijf naar dit bestand in plaats van het scherm; bij "
                                   "twee mappen: de map voor de verslagen.",
            show_default=False)] = None,
    ) -> None:
        """Wat is er veranderd tussen twee versies van een schoolbestand? Voor het advies
        van de MR: teksten, aanpakken, aanbod, grenzen. Exitcode 0, ook bij verschillen.

        Twee mappen (of REVISIE:MAP en een map): een verslag per school die veranderde,
        en een index, in de map van -o."""
        from sopc.diff import (
            DIFF_FORMATS,
            SourceError,
            diff,
            is_folder,
            render_html,
            render_markdown,
            render_text,
        )

        if output_format not in DIFF_FORMATS:
            _fail_usage(f"onbekende uitvoervorm '{output_format}'; kies uit "
                        f"{', '.join(DIFF_FORMATS)}")
        if is_folder(new) or is_folder(old):
            _diff_folders(old, new, output_format, output)
            return
        try:
            result = diff(old, new)
        except SourceError as error:
            _fail_usage(str(error))
        if result.diagnostics:
            from sopc.output import render_diagnostics

            for line in render_diagnostics(result.diagnostics, "text"):
                print(line)
            raise SystemExit(EXIT_PROBLEMS)
        renderers = {"text": render_text, "md": render_markdown, "html": render_html}
        text = renderers[output_format](result)
        if output is None:
            sys.stdout.write(text)
        else:
            if output.suffix.lower() in (".yaml", ".yml"):
                _fail_usage(f"{output}: sopc schrijft de verschillen niet in een YAML-bestand "
                            "(dat zou als schoolbestand worden gelezen); kies bijvoorbeeld "
                            "verschillen.md")
            _write_file(output, text, inputs=[Path(spec) for spec in (old, new)])

    templates_app = typer.Typer(help="De templates van het ingebouwde thema.",
                                no_args_is_help=True)
    if wanted in (None, "templates"):
        app.add_typer(templates_app, name="templates")

    @templates_app.command("list")
    def templates_list(
        template_dirs: Annotated[list[Path] | None, typer.Option(
            "--templates", "-t", help="Eigen templatemap(pen), zoals bij build.",
            show_default=False)] = None,
    ) -> None:
        """Toon elk template en waar het vandaan komt (eigen map of ingebouwd)."""
        from sopc.theme import builtin_templates

        for name in builtin_templates():
            origin = next((str(folder / name) for folder in template_dirs or []
                           if (folder / name).is_file()), "ingebouwd")
            print(f"{name}\t{origin}")

    @templates_app.command("export")
    def templates_export(
        folder: Annotated[Path, typer.Argument(help="Map voor de kopieën.",
                                               show_default=False)],
    ) -> None:
        """Kopieer de ingebouwde templates naar MAP, als begin van een eigen thema.

        Bestaande bestanden worden nooit overschreven."""
        from sopc.theme import builtin_template_dir, builtin_templates

        names = builtin_templates()
        if os.path.lexists(folder) and not os.path.isdir(folder):
            _fail_usage(f"{folder} is een bestand, geen map")
        existing = [name for name in names if os.path.lexists(folder / name)]
        if existing:
            _fail_usage(f"bestaat al in {folder}: {', '.join(existing)}; sopc overschrijft "
                        "geen bestaande bestanden")
        for name in names:
            try:  # one folder per kind of template ('blokken/' has one file per block)
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                from sopc.diagnostics import dutch_os_error

                _fail_usage(f"kan de map {(folder / name).parent} niet maken: "
                            f"{dutch_os_error(error)}")
            _write_file(folder / name, (builtin_template_dir() / name).read_text(
                encoding="utf-8"))

    presets_app = typer.Typer(
        help="De ingebouwde SWV-lagen (presets): bekijken en kopiëren. Hoe een opbouw werkt "
             "en hoe een school hem aanpast: docs/opbouw.md.", no_args_is_help=True)
    if wanted in (None, "presets"):
        app.add_typer(presets_app, name="presets")

    def _preset(name: str) -> object:
        from sopc.layers import PRESETS, SwvRegistry

        if name not in PRESETS:
            _fail_usage(f"onbekende preset '{name}'; kies uit {', '.join(PRESETS)}")
        return SwvRegistry().preset(name)

    @presets_app.command("list")
    def presets_list() -> None:
        """Toon de ingebouwde presets, elk met het SWV en wat erin staat."""
        from sopc.export import summary
        from sopc.layers import PRESETS

        for name in PRESETS:
            print(f"{name}\t{summary(_preset(name))}")  # type: ignore[arg-type]

    @presets_app.command("show")
    def presets_show(
        name: Annotated[str, typer.Argument(help="De preset: ppo-nk of perspectief-op-school.",
                                            metavar="NAAM", show_default=False)],
    ) -> None:
        """Toon een preset als YAML, met het id van elk onderdeel van de opbouw."""
        from sopc.export import layer_yaml

        sys.stdout.write(layer_yaml(_preset(name), name))  # type: ignore[arg-type]

    @presets_app.command("export")
    def presets_export(
        name: Annotated[str, typer.Argument(help="De preset: ppo-nk of perspectief-op-school.",
                                            metavar="NAAM", show_default=False)],
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="Het bestand; standaard <preset>.yaml in deze map.",
            show_default=False)] = None,
    ) -> None:
        """Schrijf een preset als SWV-bestand, als begin van een eigen SWV-laag of opbouw
        (overschrijft nooit)."""
        from sopc.export import layer_yaml

        layer = _preset(name)
        target = output or Path(f"{name}.yaml")
        if os.path.lexists(target):
            _fail_usage(f"{target} bestaat al; sopc overschrijft geen bestaande bestanden")
        _write_file(target, layer_yaml(layer, name))  # type: ignore[arg-type]

    @command("serve")
    def serve_command(
        paths: Annotated[list[Path] | None, typer.Argument(
            help="Het schoolbestand (of een map met scholen); zonder pad: de huidige map.",
            show_default=False)] = None,
        port: Annotated[int, typer.Option(
            "--port", help="Poort op 127.0.0.1 (0: een vrije poort).", min=0, max=65535)
        ] = 8000,
        profiles: Profiles = "volledig",
        template_dirs: TemplateDirs = None,
        today: Today = None,
        config: Settings = None,
    ) -> None:
        """Laat het document zien terwijl u het schoolbestand bewerkt: open het adres in
        de browser; elke keer dat u opslaat, ververst de pagina. Alleen op deze computer
        (127.0.0.1) te zien; stoppen met Ctrl-C."""
        from sopc import api
        from sopc.serve import PortUnavailable, serve
        from sopc.theme import PROFILES

        chosen_profiles = _choices(profiles, PROFILES, "onbekend profiel")
        targets = paths or [Path(".")]
        for target in targets:
            if not target.exists():
                _fail_usage(f"bestaat niet: {target}")
        for folder in template_dirs or []:
            if not folder.is_dir():
                _fail_usage(f"de templatemap {folder} bestaat niet")
        day = _date(today)

        def build(output: Path) -> api.Report:
            # a settings or file problem is shown in the page (sopc.serve), not fatal
            return api.build(targets, output, ("html",), template_dirs or [], today=day,
                             config=config, profiles=chosen_profiles, incremental=False,
                             jobs=1)

        try:
            serve(targets, build, port=port, template_dirs=template_dirs or [])
        except PortUnavailable as error:
            import errno

            from sopc.diagnostics import dutch_os_error

            why = "is al in gebruik" if error.errno == errno.EADDRINUSE \
                else f"kan niet worden gebruikt: {dutch_os_error(error)}"
            _fail_usage(f"poort {port} op 127.0.0.1 {why}; kies een andere met --port")

    @command("new")
    def new_command(
        file: Annotated[Path, typer.Argument(help="Het nieuwe schoolbestand.",
                                             show_default=False)],
        preset: Annotated[str | None, typer.Option(
            "--preset", "-p",
            help="SWV-preset: ppo-nk of perspectief-op-school. Zonder deze optie: de "
                 "SWV-laag die 'swv' in sopc.toml noemt, anders perspectief-op-school.",
            show_default=False)] = None,
        schema_file: Annotated[Path | None, typer.Option(
            "--schema", help="Het JSON Schema voor de editor; standaard 'schema' uit "
                             "sopc.toml, anders school.schema.json naast het bestand. "
                             "Wordt gemaakt als het nog niet bestaat.",
            show_default=False)] = None,
        without_preset: Annotated[bool, typer.Option(
            "--zonder-preset",
            help="Voor een school in een SWV zonder SWV-laag in sopc: alleen de naam van het "
                 "SWV en een eigen opbouw van het profiel (zie docs/opbouw.md).")] = False,
        location_code: Annotated[str | None, typer.Option(
            "--vestiging",
            help="BRIN en vestiging, zoals 06KG00: vult naam, adres, plaats, gemeente, "
                 "denominatie, bevoegd gezag, telefoon en website in uit de lijst van DUO.",
            show_default=False)] = None,
        duo_file: DuoList = None,
        today: Today = None,
    ) -> None:
        """Maak een startbestand voor een school, met voorbeeldwaarden die de school
        vervangt (overschrijft nooit).

        Elke voorbeeldwaarde ('Vervang deze tekst ...', 'nog in te vullen') blijft een
        melding van sopc validate tot de school haar vervangt."""
        from sopc.api import YAML_SUFFIXES
        from sopc.config import ConfigFinder
        from sopc.layers import PRESETS, SwvRegistry
        from sopc.regime import RegimeSetting
        from sopc.scaffold import (
            DEFAULT_PRESET,
            config_layer,
            own_outline_layer,
            preset_layer,
            starter,
        )
        from sopc.schema import schema_text

        if without_preset and preset is not None:
            _fail_usage("kies --preset of --zonder-preset, niet allebei")
        if preset is not None and preset not in PRESETS:
            _fail_usage(f"onbekende preset '{preset}'; kies uit {', '.join(PRESETS)}")
        if os.path.lexists(file):
            _fail_usage(f"{file} bestaat al; sopc overschrijft geen bestaande bestanden")
        if file.suffix not in YAML_SUFFIXES:  # a file a folder's check would pass by
            _fail_usage(f"een schoolbestand eindigt op .yaml (of .yml), zodat sopc validate "
                        f"en sopc build het vinden; bedoelde u {file.with_suffix('.yaml')}?")
        if not file.parent.is_dir():
            _fail_usage(f"de map {file.parent} bestaat niet")
        finder = ConfigFinder()
        config = _run(lambda: finder.for_path(file))
        if schema_file is None:
            if config.root is not None:
                # 'schema' in sopc.toml is a path inside the repository: never written
                # elsewhere, whatever the file says ('../..', an absolute path, a link)
                schema_file = config.root / config.schema
                if not schema_file.resolve().is_relative_to(config.root.resolve()):
                    _fail_usage(f"{config.source}: 'schema' ({config.schema}) ligt buiten de "
                                "repository; sopc schrijft daar niet")
            else:
                schema_file = file.parent / "school.schema.json"
        if without_preset:
            chosen = own_outline_layer()
        elif preset is None and config.swv is not None:
            # the repository's own SWV layer, as `sopc validate` will use it for this file
            registry = SwvRegistry(lambda path: finder.for_path(path).root)
            chosen, problems = _run(lambda: config_layer(config, registry))
            if chosen is None:
                _fail_layer(problems, f"{config.source}: de SWV-laag die 'swv' noemt "
                                      f"({config.swv}) kan niet worden gebruikt")
        else:
            chosen = preset_layer(preset or DEFAULT_PRESET)
        location, stand = _duo_location(location_code, duo_file, config) \
            if location_code is not None else (None, "")
        reference = Path(os.path.relpath(schema_file, file.parent)).as_posix()
        setting = RegimeSetting(config.regime, config.schoolgids_from)
        # the school year the reference date falls in, as validate will judge it
        reference_date = _date(today) or config.today
        _write_file(file, starter(chosen, reference, today=reference_date, location=location,
                                  stand=stand, regime_setting=setting))
        if not os.path.lexists(schema_file):
            _write_file(schema_file, schema_text("school"), what=" (schema voor de editor)")
        if not config.includes(file):
            print(f"let op: sopc validate en sopc build slaan {file} over, want het valt "
                  f"buiten 'bestanden' (of onder 'negeer') in {config.source}; zet het "
                  "bestand in een map die sopc daar controleert")

    @command("schema")
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
            _write_file(output, text)

    return app


def _diff_folders(old: str, new: str, output_format: str, output: Path | None) -> None:
    """`sopc diff` of two folders: a report per changed school and an index in the
    folder of -o; exit 1 when a version of a school has errors."""
    from sopc.diff import SourceError, diff_folders, folder_reports, is_folder
    from sopc.output import render_diagnostics
    from sopc.write import UnsafeOutputPath, write_outputs

    for spec in (old, new):
        if not is_folder(spec) and not os.path.lexists(spec) and ":" in spec:
            import shutil

            if shutil.which("git") is None:
                _fail_usage("git is niet gevonden op deze computer; installeer git om een "
                            "versie uit git (REVISIE:MAP) te vergelijken")
            _fail_usage(f"git kent de map '{spec}' niet: de revisie of het pad bestaat niet")
    if not (is_folder(old) and is_folder(new)):
        _fail_usage("vergelijk een map met een map (of REVISIE:MAP met een map), of een "
                    "bestand met een bestand")
    if output is None:
        _fail_usage("geef met -o de map voor de verslagen (een per school en een index)")
    if output.exists() and not output.is_dir():
        _fail_usage(f"{output} is geen map")
    try:
        schools = diff_folders(old, new)
    except SourceError as error:
        _fail_usage(str(error))
    problems = [d for school in schools if school.result
                for d in school.result.diagnostics]
    for line in render_diagnostics(problems, "text"):
        print(line)
    reports = folder_reports(schools, output_format, old, new)
    try:
        written = _run(lambda: write_outputs(output, reports))
    except UnsafeOutputPath as refused:
        _fail_usage(str(refused))
    for path in written:
        print(f"geschreven: {path}")
    changed = sum(school.status == "gewijzigd" for school in schools)
    print(f"{len(schools)} {'school' if len(schools) == 1 else 'scholen'} vergeleken, "
          f"{changed} met inhoudelijke verschillen.")
    raise SystemExit(EXIT_PROBLEMS if problems else EXIT_OK)


def _fail_layer(problems: Sequence[Any], message: str) -> NoReturn:
    """The SWV layer for `sopc new` has errors: show them, write nothing, exit 1."""
    from sopc.diagnostics import terminal_safe
    from sopc.output import render_diagnostics

    for line in render_diagnostics(problems, "text"):
        print(line)
    print(terminal_safe(f"sopc: {message}; er is niets geschreven. Los de fouten op, of kies "
                        "een ingebouwde preset met --preset."), file=sys.stderr)
    raise SystemExit(EXIT_PROBLEMS)


# What users type for a format sopc names otherwise.
_FORMAT_WORDS = {"word": "docx", "doc": "docx", "markdown": "md", "htm": "html",
                 "website": "fragment", "cms": "fragment"}


def _choices(text: str, allowed: tuple[str, ...], what: str, *,
             documents: bool = False) -> list[str]:
    """A comma-separated option value, each part checked against `allowed` (see
    `_refuse`)."""
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in allowed]
    if unknown or not chosen:
        _refuse(unknown, allowed, what, documents=documents)
    return list(dict.fromkeys(chosen))


def _refuse(unknown: list[str], allowed: tuple[str, ...], what: str, *,
            documents: bool = False) -> NoReturn:
    """A usage error naming the values that are not among `allowed`, with what each
    probably meant. `what` is the noun with its adjective's ending ('onbekende
    uitvoervorm', 'onbekend profiel'). `documents`: the values name document formats, so
    a format of the messages ('json') was meant for --meldingen."""
    import difflib

    from sopc.output import OUTPUT_FORMATS

    suggestions = [_FORMAT_WORDS.get(part.lower()) or next(iter(
        difflib.get_close_matches(part.lower(), allowed, n=1)), None) for part in unknown]
    hints = [f"bedoelde u '{suggestion}' in plaats van '{part}'?"
             for part, suggestion in zip(unknown, suggestions, strict=True)
             if suggestion in allowed]
    hints += [f"de vorm van de meldingen kiest u met --meldingen {part}"
              for part in unknown if documents and part.lower() in OUTPUT_FORMATS]
    _fail_usage(f"{what} '{','.join(unknown)}'; kies uit {', '.join(allowed)}"
                + (f" ({'; '.join(hints)})" if hints else ""))


def _output_format(requested: str | None) -> str:
    """The one format of the messages (`--format`/`--meldingen`)."""
    from sopc.output import OUTPUT_FORMATS, default_format

    chosen = requested or default_format()
    if "," in chosen:  # the documents take several formats, the messages one
        _fail_usage(f"kies één uitvoervorm voor de meldingen, niet '{chosen}': "
                    f"{', '.join(OUTPUT_FORMATS)}")
    if chosen not in OUTPUT_FORMATS:
        _refuse([chosen], OUTPUT_FORMATS, "onbekende uitvoervorm")
    return chosen


def _date(text: str | None) -> datetime.date | None:
    from sopc.config import ConfigError, parse_date

    if text is None:
        return None
    try:
        return parse_date(text, "--today")
    except ConfigError as error:
        _fail_usage(str(error))


def _run(task: Callable[[], Any]) -> Any:
    """Run a library call; a settings file that cannot be used is a usage error (2)."""
    from sopc.config import ConfigError
    from sopc.diagnostics import dutch_os_error
    from sopc.runner import defer_collection, resume_collection

    if _whole_process:
        defer_collection()  # until the per-file work begins, or the task is done
    try:
        return task()
    except ConfigError as error:
        _fail_usage(str(error))
    except OSError as error:  # e.g. `site`/`overview` writing into a read-only folder
        where = f"{os.fsdecode(error.filename)}: " if error.filename is not None else ""
        _fail_usage(f"{where}{dutch_os_error(error)}")
    finally:
        resume_collection()  # a task that started no per-file work (`new`, nothing changed)


def _jobs(requested: int | None) -> int:
    """`-j N`, lowered to the most workers sopc starts (sopc.runner.max_jobs), with a
    note on stderr when it is."""
    from sopc.runner import default_jobs, max_jobs

    if requested is not None and requested > max_jobs():
        print(f"sopc: -j {requested} wordt -j {max_jobs()} (hoogstens 4 processen per kern)",
              file=sys.stderr)
    return min(requested or default_jobs(), max_jobs())


def _finish(report: Any, output_format: str, *, quiet: bool = False, verbose: bool = False,
            strict: bool = False, written: list[Path] | None = None,
            building: bool = False) -> NoReturn:
    """Print the report in the chosen format and exit with the code for its diagnostics.
    `building`: a school with errors got no documents, and the text output says so."""
    from sopc import __version__
    from sopc.diagnostics import exit_code
    from sopc.output import FileOutcome, emit

    if report.missing:
        _fail_usage("bestaat niet: " + ", ".join(report.missing))
    if not report.files and not report.skipped:
        _fail_usage("geen YAML-bestanden gevonden")
    status = exit_code(report.diagnostics, strict=strict)
    outcomes = [FileOutcome(r.display, r.kind, r.diagnostics, [str(p) for p in r.outputs],
                            r.unchanged, not_built=building and r.kind == "school"
                            and not r.outputs and r.failed)
                for r in report.files]
    emit(outcomes, output_format, sys.stdout, version=__version__, exit_status=status,
         quiet=quiet, verbose=verbose, written=[str(path) for path in written or []])
    raise SystemExit(status)


class _GuardedOutput:
    """sys.stdout that survives its reader: a closed pipe (`| head -1`, EPIPE) or a full
    disk (ENOSPC) ends the output, not the run; and that lets no control character from
    the input through (`terminal_safe_stream`).

    After the first failure further output is dropped (the file descriptor now points at
    /dev/null, so the flush at interpreter exit cannot fail again: Python's documented
    recipe), and the run ends with the exit status it had anyway; `main` reports a full
    disk, but a reader that stopped reading is no problem (as with other CLI tools)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failure: OSError | None = None

    def write(self, text: str) -> int:
        if self.failure is None:
            try:
                # Every line on stdout, whatever command wrote it: no control character
                # from the input reaches the terminal (sopc's own colours do). Plain
                # printable ASCII needs no check (and `sopc --version` no import).
                if not (text.isascii()
                        and text.replace("\n", "").replace("\t", "").isprintable()):
                    from sopc.diagnostics import terminal_safe_stream

                    text = terminal_safe_stream(text)
                self._stream.write(text)
            except OSError as error:
                self._fail(error)
        return len(text)

    def flush(self) -> None:
        if self.failure is None:
            try:
                self._stream.flush()
            except OSError as error:
                self._fail(error)

    def _fail(self, error: OSError) -> None:
        import os

        self.failure = error
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass  # not a real file (tests): nothing will flush it at exit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _guard_streams() -> _GuardedOutput:
    """Undecodable bytes of file names are shown escaped instead of failing (exit 3),
    and stdout is guarded (see _GuardedOutput)."""
    import contextlib
    import io
    import os

    # A closed standard descriptor is put on /dev/null first: otherwise the next pipe
    # (of a -j worker pool) would get its number, and output meant for stdout would go
    # into that pipe, or closing it would break the pool.
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            placeholder = os.open(os.devnull, os.O_RDWR)
            if placeholder != descriptor:
                os.dup2(placeholder, descriptor)
                os.close(placeholder)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            # already closed underneath (EBADF): _GuardedOutput deals with it
            with contextlib.suppress(OSError):
                stream.reconfigure(errors="backslashreplace")
    if sys.stdout is None:  # started with stdout closed (`>&-`): output goes nowhere
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    guard = _GuardedOutput(sys.stdout)
    sys.stdout = guard
    return guard


def _stdout_problem(guard: _GuardedOutput, status: int) -> int:
    """The exit status once the report is out: a closed pipe or a closed stdout changes
    nothing; stdout that cannot be written (a full disk, an I/O error) is a Dutch message
    and exit 2."""
    import errno

    guard.flush()
    failure = guard.failure
    if failure is None or failure.errno in (errno.EPIPE, errno.EBADF):
        return status
    from sopc.diagnostics import dutch_os_error

    print(f"sopc: kan de uitvoer niet schrijven: {dutch_os_error(failure)}", file=sys.stderr)
    return max(status, EXIT_USAGE) if status != EXIT_INTERNAL else status


def _run_app(args: list[str], debug: bool) -> int:
    """Run the Typer app; every way out becomes an exit status (usage errors in Dutch)."""
    from sopc.cli_dutch import usage_error_text
    from sopc.diagnostics import terminal_safe

    app = _make_app(args[0] if args and args[0] in COMMANDS else None)
    try:
        returned = app(args=args, prog_name="sopc", standalone_mode=False)  # type: ignore[operator]
    except SystemExit as stop:
        code = stop.code
        return code if isinstance(code, int) else EXIT_OK if code is None else EXIT_PROBLEMS
    except KeyboardInterrupt:
        print(_INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        kind = type(error).__name__
        if kind == "Abort":  # Click's own interruption (Ctrl-D at a prompt)
            print("sopc: afgebroken", file=sys.stderr)
            return EXIT_PROBLEMS
        if hasattr(error, "exit_code") and hasattr(error, "format_message"):
            # a Click usage error: bad option, missing argument, help without arguments
            if kind == "NoArgsIsHelpError" and getattr(error, "ctx", None) is not None:
                print(error.ctx.get_help(), file=sys.stderr)  # type: ignore[attr-defined]
            else:
                print(usage_error_text(error), file=sys.stderr)
            return int(error.exit_code)
        if debug:
            raise
        print(terminal_safe(f"sopc: interne fout ({kind}: {error}). Dit is een fout in sopc, "
                            "niet in uw bestand; draai opnieuw met --debug voor details."),
              file=sys.stderr)
        return EXIT_INTERNAL
    if returned == EXIT_INTERRUPTED:  # Typer turns Ctrl-C in a command into a quiet 130
        print(_INTERRUPTED, file=sys.stderr)
    return returned if isinstance(returned, int) else EXIT_OK


_INTERRUPTED = "sopc: afgebroken (wat al geschreven is, is compleet)"
# main() runs the process's own command line (not main(args) called from a program):
# sopc may then tune the process as a whole (its garbage collector, Pydantic's plugins)
_whole_process = False


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if argv is None:
        global _whole_process
        _whole_process = True
        _without_plugin_search()
        _collect_less_often()
    guard = _guard_streams()
    if args == ["--version"]:
        from sopc import __version__

        print(f"sopc {__version__}")
        raise SystemExit(_stdout_problem(guard, EXIT_OK))
    debug = "--debug" in args
    args = [arg for arg in args if arg != "--debug"]
    try:
        status = _run_app(args, debug)
    finally:
        sys.stdout = guard._stream
    if argv is None and status in (EXIT_INTERRUPTED, EXIT_TERMINATED):
        _exit_now(guard, status)
    if argv is None:  # the process's own command line: it ends right after this
        _skip_final_collection()
    raise SystemExit(_stdout_problem(guard, status))


def _exit_now(guard: _GuardedOutput, status: int) -> NoReturn:
    """End a run stopped by Ctrl-C or SIGTERM at once, its workers already terminated.

    A worker killed while sending its result leaves half a message in the pool's result
    pipe; the pool's manager thread waits for the rest, and Python's own exit waits for
    that thread: `sopc -j 2` then hung after SIGTERM (in about 1 of 5 runs here). What
    sopc wrote is complete (every write is atomic) and its reports are flushed here."""
    import contextlib

    code = _stdout_problem(guard, status)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


_PLUGIN_LOADER = "pydantic.plugin._loader"
_PLUGINS_OFF = ("__all__", "1", "true")  # the values Pydantic reads as "no plugins"


def _without_plugin_search() -> None:
    """Pydantic looks for plugins among the entry points of every installed package
    when it makes its first model; sopc uses none, so the command line turns them off
    (PYDANTIC_DISABLE_PLUGINS, unless the user set it). Pydantic's plugin loader then
    finds none, but its module imports importlib.metadata all the same (with email,
    zipfile and csv): ~7 ms of every cold start here (paired runs). While plugins are
    off, a stand-in answers for that module; anything else asked of it, or any call
    once plugins are on again, goes to the real loader. Only for the process's own
    command line: a library user's process is theirs."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if _PLUGIN_LOADER in sys.modules or not _plugins_off():
        return
    import types

    stand_in = types.ModuleType(_PLUGIN_LOADER)
    # a module's own __getattr__ (PEP 562) answers for names it does not hold
    vars(stand_in).update(get_plugins=_get_plugins, __getattr__=_from_real_plugin_loader)
    sys.modules[_PLUGIN_LOADER] = stand_in


def _plugins_off() -> bool:
    return os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _PLUGINS_OFF


def _get_plugins(*args: Any, **kwargs: Any) -> Any:
    return () if _plugins_off() else _real_plugin_loader().get_plugins(*args, **kwargs)


def _from_real_plugin_loader(name: str) -> Any:
    if name.startswith("__"):  # the import system asks a module for __path__ and such
        raise AttributeError(name)
    return getattr(_real_plugin_loader(), name)


def _real_plugin_loader() -> Any:
    import importlib

    if getattr(sys.modules.get(_PLUGIN_LOADER), "get_plugins", None) is _get_plugins:
        del sys.modules[_PLUGIN_LOADER]  # the stand-in steps aside for good
    return importlib.import_module(_PLUGIN_LOADER)


def _collect_less_often() -> None:
    """Python's cyclic collector runs after every 700 new containers by default, and a
    school's load alone makes some 100,000 (every key, value and position), so it kept
    running collections that find next to nothing: a school's data has no cycles. After
    20,000, and the older generations ten times less often: a build of 1,000 schools took
    14% less CPU here (paired runs), for 2 MiB more peak memory. Worker processes
    inherit it. Only for the process's own command line, like `_skip_final_collection`."""
    import gc

    gc.set_threshold(20_000, 10, 10)


def _skip_final_collection() -> None:
    """Spare the exiting process Python's last garbage collections.

    At shutdown Python runs its cyclic collector again and again while it tears down
    every module (Pydantic's models and schemas, the templates, the documents), only to
    free memory the system takes back anyway: measured here, 50 to 110 ms of a 350 ms
    build. After `-j N`, one collection first frees what is garbage now, so its
    finalizers run (the worker pool that was shut down is freed); a run in one process
    has no such garbage and skips it (~7 ms of a cold `validate`). What is left is then
    frozen, out of the collector's reach; atexit handlers still run, and every file
    sopc writes is closed before this point. Not for `main(args)` called from a program
    (tests, a library user), whose process goes on."""
    import gc

    if "concurrent.futures.process" in sys.modules:  # sopc.runner started a pool
        gc.collect()
    gc.freeze()
