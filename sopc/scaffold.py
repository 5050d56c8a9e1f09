"""`sopc new`: a filled-in starter school file that validates as it is.

It is written from the chosen preset, so every text id, catalogue and cluster of
that SWV layer is present with a placeholder to replace.
"""

from __future__ import annotations

from sopc.layers import SwvRegistry
from sopc.models import SwvLayer, walk

_PLACEHOLDER = "Vervang deze tekst door de tekst van uw school."
_EXAMPLE_APPROACH = "Beschrijf een aanpak die de school ter beschikking heeft."


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def modeline(schema_reference: str) -> str:
    """The first line that tells YAML editors (yaml-language-server) which schema applies."""
    return f"# yaml-language-server: $schema={schema_reference}"


def starter(preset: str, schema_reference: str | None = None) -> str:
    layer: SwvLayer = SwvRegistry().preset(preset)
    lines = [modeline(schema_reference)] if schema_reference else []
    lines += [
        "# Startbestand voor een schoolondersteuningsprofiel. Vervang alle voorbeeldwaarden;",
        "# controleer met `sopc validate` en maak het document met `sopc build`.",
        "sopc: 1",
        f"swv: {preset}",
        "",
        "school:",
        "  naam: Basisschool De Voorbeeld",
        "  brin: 00AA          # twee cijfers en twee hoofdletters",
        '  vestiging: "00"',
        "  onderwijstype: Basisonderwijs (BAO)",
        "  bestuur: Stichting Voorbeeld",
        "  plaats: Voorbeeldstad",
        "",
        "sop:",
        "  schooljaar: 2026-2027",
        "  vastgesteld: 2026-10-01   # datum waarop het bestuur het SOP vaststelde",
        "  mr_advies: 2026-09-15     # datum van het advies van de medezeggenschapsraad",
        "",
        "teksten:",
    ]
    for part in walk(layer.outline):
        if part.text is None:
            continue
        if part.required:
            lines.append(f"  {part.text}: {_quoted(_PLACEHOLDER)}")
        else:
            label = part.title or "standaardtekst van het SWV"
            lines.append(f"  # {part.text}: ...   ({label}; laat weg om de SWV-tekst te houden)")
    if layer.catalogues:
        lines += ["", "aanbod:"]
        for catalogue in layer.catalogues:
            lines.append(f"  {catalogue.id}:")
            lines.append("    items:")
            example = {
                "beschikbaarheid": "[" + (layer.legend[0].id if layer.legend else "") + "]",
                "lijst": "ja",
                "status": "Actief toegepast",
                "ja-nee": "ja",
            }[catalogue.kind]
            for item in catalogue.items:
                lines.append(f"      {item.id}: {example}   # {item.name}")
    if layer.clusters:
        lines += ["", "clusters:"]
        for cluster in layer.clusters:
            if cluster.open:
                continue
            lines += [f"  - cluster: {cluster.id}",
                      "    aanpakken:",
                      f"      - {_quoted(_EXAMPLE_APPROACH)}"]
    return "\n".join(lines) + "\n"
