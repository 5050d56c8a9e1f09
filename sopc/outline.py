"""The document outline as a tree the school owns: ids, adjustments, numbering.

An SWV layer supplies an outline (`opbouw`); a school takes it as is, adjusts it
(`opbouw_aanpassen`: rename, move, insert, leave out) or replaces it (`opbouw`).
An SWV file that builds on a preset (`basis:`) adjusts the preset's outline the
same way. Every part has a stable id: the one it was given, else its text id, its
catalogue, its block kind or its title in lower case. Adjustments name parts by
that id, so they survive when the SWV reorders or renames its outline; an
adjustment that names a part that is not there is an error at its own line.

Numbering is worked out here too: per part `nummering` (cijfers, letters, romeins,
geen) and `voorvoegsel` ("Bijlage", "Deel"); a `deel` groups chapters that are
numbered from 1 inside it; a part without a number does not use one up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from sopc.diagnostics import YamlPath
from sopc.models import CATALOGUE_BLOCK_NAMES, OutlineChange, OutlinePart

Report = Callable[[YamlPath, str, str, str | None], None]  # path, code, message, hint


def slug(text: str) -> str:
    """'Verklaring afkortingen' → 'verklaring-afkortingen' (accents folded)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-") or "onderdeel"


def derived_id(part: OutlinePart) -> str:
    if part.id:
        return part.id
    if part.text:
        return part.text
    if part.block:
        if part.block in CATALOGUE_BLOCK_NAMES and part.catalogue:
            return part.catalogue
        return part.block
    return slug(part.heading or "")


@dataclass(slots=True)
class Node:
    """One part in the tree; `path` is where it was written (for diagnostics)."""

    part: OutlinePart
    id: str
    children: list[Node] = field(default_factory=list)
    path: YamlPath = ()
    own: bool = False  # written in the school file (not taken from the SWV)
    changed_at: YamlPath | None = None  # the school's adjustment that renamed or moved it

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def build_tree(parts: Sequence[OutlinePart], path: YamlPath, own: bool,
               taken: dict[str, Node] | None = None) -> list[Node]:
    """Nodes with ids. A derived id that is taken gets '-2', '-3', ... (an id given
    twice is reported by `duplicate_part_ids`)."""
    taken = {} if taken is None else taken
    nodes = []
    for index, part in enumerate(parts):
        node_id = derived_id(part)
        if not part.id and node_id in taken:
            number = 2
            while f"{node_id}-{number}" in taken:
                number += 1
            node_id = f"{node_id}-{number}"
        node = Node(part, node_id, path=(*path, index), own=own)
        taken.setdefault(node_id, node)
        node.children = build_tree(part.parts, (*path, index, "onderdelen"), own, taken)
        nodes.append(node)
    return nodes


def walk(nodes: Sequence[Node]) -> Iterator[Node]:
    for node in nodes:
        yield from node.walk()


def duplicate_part_ids(nodes: Sequence[Node]) -> list[tuple[Node, Node]]:
    """(second, first) for every id written twice on purpose (`id:` or a text id)."""
    seen: dict[str, Node] = {}
    found = []
    for node in walk(nodes):
        if node.id in seen and (node.part.id or node.part.text):
            found.append((node, seen[node.id]))
        seen.setdefault(node.id, node)
    return found


# ----------------------------------------------------------------------------------------
# Adjustments
# ----------------------------------------------------------------------------------------

def _find(nodes: list[Node], part_id: str) -> tuple[list[Node], int] | None:
    for index, node in enumerate(nodes):
        if node.id == part_id:
            return nodes, index
        found = _find(node.children, part_id)
        if found is not None:
            return found
    return None


def _known(nodes: list[Node]) -> list[str]:
    return [node.id for node in walk(nodes)]


def apply_changes(nodes: list[Node], changes: Sequence[OutlineChange], path: YamlPath,
                  report: Report) -> list[Node]:
    """The outline after each change in order; a change that cannot be made is
    reported at its line and skipped (the others still apply)."""
    from sopc.hints import did_you_mean

    renamed: dict[str, int] = {}  # part id → the change that renamed it
    for index, change in enumerate(changes):
        where: YamlPath = (*path, index)
        target_key, target = change.target()

        def unknown(key: str, part_id: str, where: YamlPath = where) -> None:
            report((*where, key), "onbekend-onderdeel",
                   f"er is geen onderdeel met het id '{part_id}' in de opbouw",
                   did_you_mean(part_id, _known(nodes)))

        anchor = None
        anchor_key, anchor_id = change.position()
        if anchor_id is not None:
            anchor = _find(nodes, anchor_id)
            if anchor is None:
                unknown(anchor_key, anchor_id)
                continue
            if anchor_key == "in" and not anchor[0][anchor[1]].part.is_heading:
                report((*where, anchor_key), "onmogelijke-aanpassing",
                       f"'{anchor_id}' is geen paragraaf of deel; er kan niets in",
                       "gebruik 'voor' of 'na'")
                continue
            if anchor_id == target:
                report((*where, anchor_key), "onmogelijke-aanpassing",
                       f"'{target}' kan niet {anchor_key} zichzelf worden geplaatst", None)
                continue
        if change.insert is not None:
            taken = {node.id: node for node in walk(nodes)}
            new = build_tree([change.insert], (*where, "voeg_toe"), True, taken)[0]
            new.path = (*where, "voeg_toe")
            if new.id in {node.id for node in walk(nodes)}:
                report((*where, "voeg_toe"), "dubbel-id",
                       f"het id '{new.id}' bestaat al in de opbouw",
                       "geef het nieuwe onderdeel een eigen 'id'")
                continue
            _place(nodes, new, anchor_key, anchor)
            continue
        assert target is not None
        found = _find(nodes, target)
        if found is None:
            unknown(target_key, target)
            continue
        siblings, position = found
        node = siblings[position]
        if change.rename is not None:
            if node.id in renamed:
                report((*where, target_key), "onmogelijke-aanpassing",
                       f"'{target}' is al hernoemd in aanpassing {renamed[node.id] + 1}; "
                       "de eerste titel zou verloren gaan",
                       "zet alles wat verandert in één 'hernoem'")
                continue
            renamed[node.id] = index
            node.part = node.part.renamed(change.title, change.numbering, change.prefix)
            node.changed_at = where
            continue
        required = [n for n in node.walk() if n.part.required]
        if change.remove is not None:
            if required:
                what = "dit onderdeel is" if required[0] is node else \
                    f"het onderdeel '{required[0].id}' hierin is"
                report((*where, target_key), "verplicht-onderdeel",
                       f"{what} verplicht volgens het SWV en kan niet worden weggelaten", None)
                continue
            for inner in node.walk():
                if inner.changed_at is not None or inner.own:
                    report(inner.changed_at or inner.path, "niet-geplaatst",
                           f"deze aanpassing komt niet in het document: '{target}' wordt "
                           f"weggelaten in aanpassing {index + 1}",
                           "haal een van de twee aanpassingen weg")
            del siblings[position]
            continue
        # move
        if anchor is not None and any(anchor[0] is n.children for n in node.walk()):
            report((*where, anchor_key), "onmogelijke-aanpassing",
                   f"'{target}' kan niet binnen zichzelf worden geplaatst", None)
            continue
        del siblings[position]
        anchor = _find(nodes, anchor_id) if anchor_id is not None else None
        node.changed_at = node.changed_at or where
        _place(nodes, node, anchor_key, anchor)
    return nodes


def _place(nodes: list[Node], node: Node, anchor_key: str,
           anchor: tuple[list[Node], int] | None) -> None:
    if anchor is None:
        nodes.append(node)
        return
    siblings, position = anchor
    if anchor_key == "voor":
        siblings.insert(position, node)
    elif anchor_key == "na":
        siblings.insert(position + 1, node)
    else:  # "in": the last part inside that one
        siblings[position].children.append(node)


def to_parts(nodes: Sequence[Node]) -> list[OutlinePart]:
    """Back to outline parts, each with its id written out (so a derived id stays the
    same after a rename)."""
    return [node.part.model_copy(update={"id": node.id, "parts": to_parts(node.children)})
            for node in nodes]


def missing_required(layer_nodes: Sequence[Node], school_nodes: Sequence[Node]) -> list[Node]:
    """The SWV's required parts that a school's own outline leaves out."""
    present = {node.id for node in walk(school_nodes)}
    return [node for node in walk(layer_nodes) if node.part.required and node.id not in present]


# ----------------------------------------------------------------------------------------
# Numbering
# ----------------------------------------------------------------------------------------

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _letters(number: int) -> str:
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def _roman(number: int) -> str:
    text = ""
    for value, symbol in _ROMAN:
        while number >= value:
            text += symbol
            number -= value
    return text


def format_number(number: int, style: str) -> str:
    if style == "letters":
        return _letters(number)
    if style == "romeins":
        return _roman(number)
    return str(number)


@dataclass(frozen=True, slots=True)
class Numbered:
    number: str  # what stands before the title: '3.2', 'Bijlage A', 'Deel I', or ''
    chain: str  # what the parts inside continue from: '3.2', 'A', '' (restart)
    inherited: str  # the style parts inside get when they name none


class Counter:
    """Numbers the headed parts of one list of siblings."""

    def __init__(self, chain: str, inherited: str) -> None:
        self.chain = chain
        self.inherited = inherited
        self.counts: dict[tuple[str, str, str | None], int] = {}

    def next(self, part: OutlinePart) -> Numbered:
        is_group = part.group is not None
        style = part.numbering or ("romeins" if is_group else self.inherited)
        prefix = part.prefix if part.prefix is not None else ("Deel" if is_group else None)
        if style == "geen":  # inside an unnumbered deel, chapters are numbered again
            return Numbered(prefix or "", "", "cijfers" if is_group else "geen")
        key = ("deel" if is_group else "paragraaf", style, prefix)
        self.counts[key] = count = self.counts.get(key, 0) + 1
        label = format_number(count, style)
        if prefix:
            return Numbered(f"{prefix} {label}", "" if is_group else label, "cijfers")
        number = f"{self.chain}.{label}" if self.chain else label
        return Numbered(number, number, "cijfers")
