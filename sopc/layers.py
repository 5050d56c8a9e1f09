"""The SWV layers: built-in presets and SWV files, loaded and checked once per run.

A school names its layer by preset name or by a path relative to its file (or
sopc.toml names it for every school of a repository). `SwvRegistry` loads each layer
once, checks it, applies a preset it builds on (`basis:`) and reads its logo; the
resolve stage only ever sees a finished `SwvLayer`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sopc import outline
from sopc.checks import layer_checks
from sopc.diagnostics import Diagnostic, Severity, Span, YamlPath, dutch_number
from sopc.hints import did_you_mean
from sopc.inputs import InputRefused, check_input, display_path, repository_root
from sopc.loader import LoadedFile, SourceMap, load_bytes, load_file, with_excerpts
from sopc.models import SchoolFile, SwvLayer, SwvName
from sopc.outline import Report
from sopc.theme import PRESETS as PRESETS  # re-exported: callers know them from here
from sopc.validation import validate_loaded

LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 1_000_000


class SwvRegistry:
    """Loads each SWV layer once per run (presets and files alike).

    `repository_root` tells, for an SWV file, the folder its logo must stay inside
    (the folder of its sopc.toml); without it, the SWV file's own folder.
    """

    def __init__(self, repository_root: Callable[[Path], Path | None] | None = None) -> None:
        self._cache: dict[str, tuple[SwvLayer | None, list[Diagnostic]]] = {}
        self._logos: dict[int, str] = {}
        self._logo_files: dict[int, Path] = {}
        self._repository_root = repository_root

    def repository_root(self, path: Path) -> Path | None:
        """The folder of the sopc.toml that applies to `path`, if known."""
        return self._repository_root(path) if self._repository_root else None

    def preset(self, name: str) -> SwvLayer:
        layer, diagnostics = self._preset(name)
        if layer is None:  # a shipped preset is checked by the test suite
            raise RuntimeError(f"built-in preset {name} is invalid: {diagnostics}")
        return layer

    def logo_for(self, layer: SwvLayer) -> str | None:
        """The layer's logo as a data: URI (read and checked once, when it was loaded)."""
        return self._logos.get(id(layer))

    def logo_file(self, layer: SwvLayer) -> Path | None:
        """Where the logo came from (an input of every document of the layer)."""
        return self._logo_files.get(id(layer))

    def _preset(self, name: str) -> tuple[SwvLayer | None, list[Diagnostic]]:
        key = f"preset:{name}"
        if key not in self._cache:
            # beside this module, as sopc/data is (importlib.resources, with tempfile and
            # zipfile, cost a cold start 3 ms)
            raw = (Path(__file__).parent / "presets" / f"{name}.yaml").read_bytes()
            self._cache[key] = self._finish(load_bytes(raw, f"<preset {name}>"))
        return self._cache[key]

    def file(self, path: Path, display: str | None = None
             ) -> tuple[SwvLayer | None, list[Diagnostic]]:
        key = str(path.resolve())
        if key not in self._cache:
            self._cache[key] = self._finish(load_file(path, display), path=path)
        return self._cache[key]

    def adopt(self, path: Path, loaded: LoadedFile, layer: SwvLayer) -> list[Diagnostic]:
        """An SWV file already loaded and validated (by `validate` over a folder)."""
        key = str(path.resolve())
        if key not in self._cache:
            self._cache[key] = self._finish(loaded, layer, path)
        return self._cache[key][1]

    def _finish(self, loaded: LoadedFile, layer: SwvLayer | None = None,
                path: Path | None = None) -> tuple[SwvLayer | None, list[Diagnostic]]:
        checked, diagnostics = self._check_layer(loaded, layer, path)
        # The layer's source lines travel with its diagnostics (no second read).
        return checked, with_excerpts(diagnostics, loaded)

    def _check_layer(self, loaded: LoadedFile, layer: SwvLayer | None,
                     path: Path | None) -> tuple[SwvLayer | None, list[Diagnostic]]:
        display = loaded.path
        diagnostics: list[Diagnostic] = []
        if layer is None:
            model, diagnostics = validate_loaded(loaded)
            if model is not None and not isinstance(model, SwvLayer):
                diagnostics = [Diagnostic(display, Span.start_of_file(), "geen-swv-laag",
                                          "dit bestand is geen SWV-laag (verwacht 'soort: swv')")]
            layer = model if isinstance(model, SwvLayer) else None
        if layer is None:
            return None, diagnostics
        # valid, so what the loader reported are warnings (such as commentaar-in-tekst)
        diagnostics = [*loaded.diagnostics, *layer_checks(layer, loaded.source, display)]
        logo = None
        logo_file = None
        if layer.branding and layer.branding.logo:
            # the same repository rule as for every input (sopc.inputs): the folder of
            # sopc.toml, else the git work tree, else the layer's own folder
            config_root = self._repository_root(path) if self._repository_root and path \
                else None
            root = repository_root(path, config_root, path.parent) if path else None
            try:
                logo = load_logo(layer.branding.logo, path, root)
                logo_file = (path.parent / layer.branding.logo) if path else None
            except LogoProblem as problem:
                where: YamlPath = ("huisstijl", "logo")
                diagnostics.append(Diagnostic(display, loaded.source.value_span(where),
                                              problem.code, str(problem), where))
        if any(d.severity is Severity.ERROR for d in diagnostics):
            return None, diagnostics
        if layer.base is not None:
            if layer.base not in PRESETS:
                return None, [*diagnostics, Diagnostic(
                    display, loaded.source.value_span(("basis",)), "onbekende-swv",
                    f"onbekende basis-preset '{layer.base}'; kies uit {', '.join(PRESETS)}",
                    ("basis",))]
            def report(path: YamlPath, code: str, message: str, hint: str | None) -> None:
                diagnostics.append(Diagnostic(display, loaded.source.value_span(path), code,
                                              message, path, hint=hint))

            layer = extend(self.preset(layer.base), layer, report)
            if any(d.severity is Severity.ERROR for d in diagnostics):
                return None, diagnostics
        if logo is not None:
            self._logos[id(layer)] = logo
        if logo_file is not None:
            self._logo_files[id(layer)] = logo_file
        return layer, diagnostics


class LogoProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def load_logo(reference: str, layer_path: Path | None, root: Path | None) -> str:
    """The logo as a data: URI; LogoProblem says why it cannot be used.

    The path is resolved (every symbolic link followed) before it is judged, so a link
    that leads out of the repository is refused like `../..` is. Only a regular file is
    opened: a FIFO, device or socket would make `validate` wait for ever or read without
    end. An SVG must pass sopc.svg's rules (nothing that multiplies work or loads more).
    """
    if layer_path is None:
        raise LogoProblem("logo-fout", "een logo kan alleen in een SWV-bestand staan")
    try:
        target = (layer_path.parent / reference).resolve()
        allowed = (root or layer_path.parent).resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise LogoProblem("logo-fout", f"het logo '{reference}' kan niet worden gevonden "
                                       "(een symbolische koppeling in een kring)") from None
    if not target.is_relative_to(allowed):
        raise LogoProblem("pad-buiten-repository",
                          f"het logo '{reference}' ligt buiten de repository ({allowed})")
    media_type = LOGO_TYPES.get(target.suffix.lower())
    if media_type is None:
        raise LogoProblem("logo-fout", f"het logo '{reference}' moet PNG, JPEG of SVG zijn")
    data = _read_logo(target, reference)
    signatures = {"image/png": data.startswith(b"\x89PNG\r\n\x1a\n"),
                  "image/jpeg": data.startswith(b"\xff\xd8\xff"),
                  "image/svg+xml": b"<svg" in data[:4096]}
    if not signatures[media_type]:
        raise LogoProblem("logo-fout", f"'{reference}' is geen "
                                       f"{target.suffix.lstrip('.').upper()}-afbeelding")
    if media_type == "image/svg+xml":
        from sopc.svg import svg_problem

        if problem := svg_problem(data):
            raise LogoProblem("logo-fout", f"het logo '{reference}' kan niet: {problem}")
    from sopc.pdf import image_problem

    if problem := image_problem(data, media_type):
        raise LogoProblem("logo-fout", f"het logo '{reference}': {problem}")
    import base64  # only for a layer with a logo

    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _read_logo(target: Path, reference: str) -> bytes:
    """At most MAX_LOGO_BYTES of a regular file, never blocking on a special one."""
    from sopc.diagnostics import dutch_os_error
    from sopc.inputs import read_regular

    try:
        data = read_regular(target, MAX_LOGO_BYTES)
    except OSError as error:
        raise LogoProblem("logo-fout", f"het logo '{reference}' kan niet worden gelezen "
                                       f"({dutch_os_error(error)})") from None
    if len(data) > MAX_LOGO_BYTES:
        raise LogoProblem("logo-fout", f"het logo '{reference}' is groter dan de grens van "
                                       f"{dutch_number(MAX_LOGO_BYTES)} bytes")
    return data


def extend(base: SwvLayer, layer: SwvLayer, report: Report) -> SwvLayer:
    """Fields the layer sets replace the base preset's; the rest is inherited. Its
    `opbouw_aanpassen` adjusts the preset's outline (problems go to `report`)."""
    overrides = {name: getattr(layer, name) for name in layer.model_fields_set}
    if layer.outline_changes:
        nodes = outline.build_tree(base.outline, ("opbouw",), own=False)
        nodes = outline.apply_changes(nodes, layer.outline_changes, ("opbouw_aanpassen",),
                                      report)
        overrides["outline"] = outline.to_parts(nodes)
        overrides["outline_changes"] = []
    return base.model_copy(update=overrides)


def own_layer(name: SwvName) -> SwvLayer:
    """The layer of a school whose SWV has none: only the SWV's name, and the school's
    own outline (which `resolve` takes from the school file)."""
    return SwvLayer.model_validate({
        "sopc": 1, "soort": "swv",
        "swv": {"id": outline.slug(name.name), "naam": name.name,
                **({"korte_naam": name.short_name} if name.short_name else {}),
                **({"website": name.website} if name.website else {})}})


def find_layer(school: SchoolFile, school_path: Path, source: SourceMap, display: str,
               registry: SwvRegistry, default_swv: str | None = None
               ) -> tuple[SwvLayer | None, list[Diagnostic], Path | None]:
    if isinstance(school.swv, SwvName):
        return own_layer(school.swv), [], None
    reference = school.swv or default_swv
    span = source.value_span(("swv",))
    if reference is None:
        return None, [Diagnostic(display, span, "swv-ontbreekt",
                                 "dit schoolbestand noemt geen SWV-laag", ("swv",),
                                 hint="zet 'swv: <preset of bestand>' in het bestand, of "
                                      "'swv = ...' in sopc.toml")], None
    if reference in PRESETS:
        return registry.preset(reference), [], None
    if not reference.endswith((".yaml", ".yml")):
        return None, [Diagnostic(display, span, "onbekende-swv",
                                 f"onbekende SWV-laag '{reference}'", ("swv",),
                                 hint=did_you_mean(reference, list(PRESETS))
                                 or "gebruik een preset of een pad naar een .yaml-bestand")], None
    path = (school_path.parent / reference)
    shown = display_path(path)
    if not os.path.lexists(path):
        return None, [Diagnostic(display, span, "onbekende-swv",
                                 f"het SWV-bestand '{reference}' bestaat niet (gezocht: {shown})",
                                 ("swv",))], None
    # resolved (symlinks followed) it must be a regular file inside the school's
    # repository (sopc.inputs)
    root = repository_root(school_path, registry.repository_root(school_path))
    try:
        check_input(path, root)
    except InputRefused as refused:
        hint = ("ligt de repository hoger? Zet daar een sopc.toml; die map is dan de grens"
                if refused.code == "pad-buiten-repository" else None)
        return None, [Diagnostic(display, span, refused.code,
                                 f"het SWV-bestand '{reference}': {refused}", ("swv",),
                                 hint=hint)], None
    layer, diagnostics = registry.file(path, shown)
    if layer is None:
        errors = list(diagnostics)
        errors.append(Diagnostic(display, span, "ongeldige-swv",
                                 f"de SWV-laag '{reference}' bevat fouten", ("swv",)))
        return None, errors, path
    return layer, [], path
