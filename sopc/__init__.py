"""sopc, the SOP compiler: a school's YAML file → its schoolondersteuningsprofiel.

The library API is `sopc.validate(paths)` and `sopc.build(paths, output_dir)`; they
are imported lazily so that `import sopc` (and `sopc --version`) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "build", "validate"]

if TYPE_CHECKING:
    from sopc.api import build, validate


def __getattr__(name: str) -> Any:
    if name in ("build", "validate"):
        from sopc import api

        return getattr(api, name)
    raise AttributeError(name)
