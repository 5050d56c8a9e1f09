"""What can be built (formats, profiles) and where the built-in theme's templates are.

Kept free of heavy imports: the CLI checks its options and the build cache hashes the
templates before anything of the pipeline is loaded.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

THEME = "standaard"
FORMATS = ("html", "md", "pdf")
PROFILES = ("volledig", "ouders", "schoolgids")
PRESETS = ("perspectief-op-school", "ppo-nk")  # the SWV layers built into sopc (sopc.presets)


def document_name(stem: str, profile: str) -> str:
    """A document's file name without its extension: `x` for the full SOP, `x.ouders`
    for a profile."""
    return stem if profile == "volledig" else f"{stem}.{profile}"


def builtin_template_dir() -> Path:
    return Path(str(resources.files("sopc.templates").joinpath(THEME)))


def builtin_templates() -> list[str]:
    """Every template of the built-in theme, as the name a theme folder overrides it by
    ('document.html.j2', 'blokken/clusters.html.j2')."""
    folder = builtin_template_dir()
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                  if path.is_file() and not path.name.startswith((".", "_")))
