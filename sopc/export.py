"""A built-in SWV layer written out as the YAML a user would write (`sopc presets`).

So a school or SWV can see what it builds on, and copy it: the outline with every
part's id written out (the ids a school's `opbouw_aanpassen` names), the texts, the
clusters, levels, catalogues, legend, glossary and short versions. Dutch keys in the
schema's order; defaults and empty values left out; texts of several lines as `|`
blocks. Loading the result as an SWV file gives the same layer (tested).
"""

from __future__ import annotations

from typing import Any

import yaml

from sopc import outline
from sopc.models import OutlinePart, SwvLayer


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper (it quotes what would read back as something else: dates,
    numbers, yes/no), with texts of several lines as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:  # PyYAML falls back to quotes where a block cannot hold it
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def with_ids(layer: SwvLayer) -> SwvLayer:
    """The layer with each outline part's id written out (as a school refers to it); a
    text's id is its text id, so it is not written twice."""

    def written(parts: list[OutlinePart]) -> list[OutlinePart]:
        return [part.model_copy(update={"id": None if part.id == part.text else part.id,
                                        "parts": written(part.parts)}) for part in parts]

    nodes = outline.build_tree(layer.outline, ("opbouw",), own=False)
    return layer.model_copy(update={"outline": written(outline.to_parts(nodes))})


def layer_data(layer: SwvLayer) -> dict[str, Any]:
    data: dict[str, Any] = with_ids(layer).model_dump(by_alias=True, exclude_defaults=True,
                                                     mode="json")
    data.pop("basis", None)  # the written-out layer stands on its own
    return {"sopc": data.pop("sopc"), "soort": data.pop("soort"), **data}


def layer_yaml(layer: SwvLayer, name: str) -> str:
    header = (
        f"# De ingebouwde SWV-laag '{name}' ({layer.swv.name}), uitgeschreven door\n"
        f"# `sopc presets export {name}`. Elk onderdeel van de opbouw staat er met zijn id:\n"
        "# daarmee past een school de opbouw aan ('opbouw_aanpassen', zie docs/opbouw.md).\n"
        "# Gebruik dit bestand als eigen SWV-laag (zet in een schoolbestand 'swv:' met het\n"
        "# pad ernaartoe), of neem de opbouw over als begin van een eigen 'opbouw'.\n")
    body = yaml.dump(layer_data(layer), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=4096, default_flow_style=False)
    return header + body


def summary(layer: SwvLayer) -> str:
    """One line for `sopc presets list`."""
    chapters = sum(1 for part in layer.outline if part.is_heading)
    parts = [f"{chapters} hoofdstukken"]
    if layer.clusters:
        parts.append(f"{len(layer.clusters)} clusters")
    if layer.levels:
        parts.append(f"{len(layer.levels)} niveaus")
    if layer.catalogues:
        parts.append(f"{len(layer.catalogues)} catalogi")
    if layer.profiles:
        parts.append("korte versies: " + ", ".join(layer.profiles))
    return f"{layer.swv.name}: {', '.join(parts)}"
