"""Where the built-in theme's templates are (kept light: the build cache hashes them)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

THEME = "standaard"


def builtin_template_dir() -> Path:
    return Path(str(resources.files("sopc.templates").joinpath(THEME)))


def builtin_templates() -> list[str]:
    return sorted(path.name for path in builtin_template_dir().iterdir()
                  if path.is_file() and not path.name.startswith((".", "_")))
