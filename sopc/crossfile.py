"""Checks across the files of one run, made in file order by the caller (sopc.api.run).

Kept free of Pydantic: an incremental build that finds nothing changed runs these
over cached results without importing the schema.
"""

from __future__ import annotations

from sopc.diagnostics import Diagnostic, Span


class Claims:
    """Who claimed a key first in this run (a BRIN + vestiging, an output name)."""

    def __init__(self) -> None:
        self._owners: dict[str, tuple[str, Span]] = {}

    def claim(self, key: str, display: str, span: Span) -> tuple[str, Span] | None:
        """None if `key` is free (now taken by `display`), else the earlier owner."""
        owner = self._owners.get(key)
        if owner is None:
            self._owners[key] = (display, span)
        return owner


def duplicate_school(claims: Claims, code: str, span: Span, display: str
                     ) -> Diagnostic | None:
    """`dubbele-school` when an earlier file in this run has the same BRIN + vestiging."""
    owner = claims.claim(code, display, span)
    if owner is None:
        return None
    other, other_span = owner
    return Diagnostic(display, span, "dubbele-school",
                      f"BRIN en vestiging {code} staan ook in {other} (regel {other_span.line})",
                      ("school", "brin"), related=(owner,),
                      hint="elke vestiging heeft één eigen schoolbestand")
