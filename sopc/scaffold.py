"""`sopc new`: a starter school file with a placeholder wherever the school must write.

It is written from the chosen SWV layer (a preset, or the layer `swv` in sopc.toml
names), so every text id, catalogue and cluster of that layer is present. Every value
the school has to replace is a placeholder of sopc.placeholders, which `sopc validate`
reports one by one (`voorbeeldtekst`): an untouched starter is never a clean SOP.
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sopc import placeholders
from sopc.config import Config
from sopc.diagnostics import Diagnostic, Span
from sopc.layers import PRESETS, SwvRegistry
from sopc.models import SwvLayer, walk
from sopc.regime import BY_SCHOOL_YEAR, RegimeSetting, school_year_of

if TYPE_CHECKING:
    from sopc.duo import Location

DEFAULT_PRESET = "perspectief-op-school"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def modeline(schema_reference: str) -> str:
    """The first line that tells YAML editors (yaml-language-server) which schema applies."""
    return f"# yaml-language-server: $schema={schema_reference}"


@dataclass(frozen=True, slots=True)
class StarterLayer:
    """The SWV layer a starter is written for, and how the new file names it."""

    layer: SwvLayer
    swv: str | None  # the value of `swv:` in the new file; None: sopc.toml supplies it
    note: str  # the header line that says where the layer comes from
    own_outline: bool = False  # an SWV without a layer: its name and the school's outline


def preset_layer(preset: str, registry: SwvRegistry | None = None) -> StarterLayer:
    layer = (registry or SwvRegistry()).preset(preset)
    return StarterLayer(layer, preset, f"# SWV-laag: de ingebouwde preset '{preset}'.")


# The outline of a school whose SWV has no layer in sopc (`sopc new --zonder-preset`):
# written into the new file as it stands, and read back to know which texts it asks for.
OWN_OUTLINE = """\
opbouw:   # de hoofdstukken van uw profiel; pas ze aan (zie docs/opbouw.md)
  - paragraaf: Inleiding
    onderdelen:
      - tekst: inleiding
  - paragraaf: Onze school
    onderdelen:
      - blok: school-gegevens
      - paragraaf: Visie op ondersteuning
        onderdelen: [{tekst: visie}]
  - paragraaf: Ondersteuning
    onderdelen:
      - paragraaf: Basisondersteuning
        onderdelen: [{tekst: basisondersteuning}]
      - paragraaf: Extra ondersteuning
        onderdelen: [{tekst: extra-ondersteuning}]
      - paragraaf: Grenzen aan onze ondersteuning
        onderdelen: [{tekst: grenzen}]
  - paragraaf: Inbreng van leerlingen
    onderdelen:
      - blok: leerlingeninbreng
  - paragraaf: Ambities
    onderdelen:
      - tekst: ambities
"""


def own_outline_layer() -> StarterLayer:
    """A starter for a school in an SWV without a layer: the SWV's name and an outline
    of the school's own."""
    import yaml

    layer = SwvLayer.model_validate({
        "sopc": 1, "soort": "swv", "swv": {"id": "eigen", "naam": placeholders.SWV_NAME},
        "opbouw": yaml.safe_load(OWN_OUTLINE)["opbouw"]})
    return StarterLayer(layer, None, "# SWV-laag: geen; dit bestand heeft een eigen opbouw.",
                        own_outline=True)


def config_layer(config: Config, registry: SwvRegistry
                 ) -> tuple[StarterLayer | None, list[Diagnostic]]:
    """The layer `swv` in sopc.toml names (a preset, or a file relative to sopc.toml).

    The new file gets no `swv:` of its own: it follows sopc.toml, as the other schools
    of the repository do. A layer that cannot be used gives its diagnostics instead."""
    from sopc.inputs import InputRefused, check_input, display_path

    reference, root, source = config.swv, config.root, config.source
    assert reference is not None and root is not None and source is not None
    note = (f"# Geen 'swv:' in dit bestand: de SWV-laag komt uit {source.name} "
            f"(swv = {_quoted(reference)}).")
    settings = display_path(source)
    if reference in PRESETS:
        return StarterLayer(registry.preset(reference), None, note), []

    where = _setting_span(source, "swv")

    def problem(code: str, message: str, hint: str | None = None) -> list[Diagnostic]:
        return [Diagnostic(settings, where, code, message, ("swv",), hint=hint)]

    if not reference.endswith((".yaml", ".yml")):
        close = difflib.get_close_matches(reference, PRESETS, n=1)
        return None, problem("onbekende-swv", f"onbekende SWV-laag '{reference}'",
                             f"bedoelde u '{close[0]}'?" if close
                             else f"gebruik een preset ({', '.join(PRESETS)}) of een pad "
                                  "naar een .yaml-bestand")
    path = root / reference
    shown = display_path(path)
    if not os.path.lexists(path):
        return None, problem("onbekende-swv", f"het SWV-bestand '{reference}' bestaat niet "
                                              f"(gezocht: {shown})")
    try:
        check_input(path, root)
    except InputRefused as refused:
        return None, problem(refused.code, f"het SWV-bestand '{reference}': {refused}")
    layer, diagnostics = registry.file(path, shown)
    if layer is None:
        return None, [*diagnostics, *problem("ongeldige-swv",
                                             f"de SWV-laag '{reference}' bevat fouten")]
    return StarterLayer(layer, None, note), []


def _setting_span(settings: Path, key: str) -> Span:
    """Where `key = ...` stands in a settings file (its first line if not found)."""
    from sopc.config import MAX_CONFIG_BYTES
    from sopc.inputs import read_regular

    try:
        text = read_regular(settings, MAX_CONFIG_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return Span.start_of_file()
    found = re.search(rf"^[ \t]*({re.escape(key)})[ \t]*=", text, re.MULTILINE)
    if found is None:
        return Span.start_of_file()
    line = text.count("\n", 0, found.start(1)) + 1
    column = found.start(1) - text.rfind("\n", 0, found.start(1))
    return Span(line, column, line, column + len(key))


_PLAIN = re.compile(r"[^\W_][^:#\n\"'\\]*(?<![\s])", re.UNICODE)
_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})


def _text(value: str) -> str:
    """A value as YAML: plain when YAML reads it back as that same text, else quoted
    (a name such as "'t Kompas", one with ': ', or one that looks like a number)."""
    plain = _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS \
        and not re.fullmatch(r"[-+0-9.,_ e]+", value)
    return value if plain else _quoted(value)


def website(address: str) -> str | None:
    """DUO's 'www.school.nl' as an address a browser and sopc take: 'https://www.school.nl'."""
    address = address.strip()
    if not address or " " in address:
        return None
    return address if re.match(r"https?://", address, re.IGNORECASE) else f"https://{address}"


def school_lines(location: Location | None, stand: str) -> list[str]:
    """The `school:` lines of a starter: placeholders, or what DUO lists for `location`."""
    if location is None:
        return [
            f"  naam: {placeholders.SCHOOL_NAME}",
            f"  brin: {placeholders.BRIN}          # twee cijfers en twee hoofdletters",
            '  vestiging: "00"',
            "  onderwijstype: Basisonderwijs (BAO)",
            f"  bestuur: {placeholders.BOARD}",
            f"  plaats: {placeholders.PLACE}",
            *contact_lines(set()),
        ]
    from sopc.duo import place_name

    known = [
        ("adres", location.address),
        ("telefoon", location.phone),
        ("website", website(location.website) or ""),
    ]
    return [
        f"  # uit de lijst van DUO ({stand}); controleer en vul aan",
        f"  naam: {_text(location.name)}",
        f"  brin: {location.brin}",
        f'  vestiging: "{location.branch}"',
        "  onderwijstype: Basisonderwijs (BAO)",
        *([f"  denominatie: {_text(location.denomination)}"] if location.denomination else []),
        f"  bestuur: {placeholders.BOARD}   # de naam; DUO noemt alleen het nummer",
        *([f'  bevoegd_gezag: "{location.board_number}"   # nummer van het bestuur bij DUO']
          if location.board_number.isdigit() else []),
        f"  plaats: {_text(place_name(location.place))}",
        *([f"  gemeente: {_text(place_name(location.municipality))}"]
          if location.municipality else []),
        *(f"  {key}: {_text(value)}" for key, value in known if value.strip()),
        *contact_lines({key for key, value in known if value.strip()}),
    ]


# What parents need to reach the school: the parents' version and the schoolgids chapter
# print these under "Meer informatie" / "Contact" (as comments: nothing to replace when
# a school leaves them out; placeholders when uncommented as they are).
_CONTACT_EXAMPLES = (("contactpersoon", placeholders.CONTACT),
                     ("telefoon", placeholders.PHONE), ("email", placeholders.EMAIL),
                     ("website", placeholders.WEBSITE))


def contact_lines(known: set[str]) -> list[str]:
    missing = [(key, example) for key, example in _CONTACT_EXAMPLES if key not in known]
    if not missing:
        return []
    return ["  # voor ouders (zij lezen dit in hun versie en in de schoolgids); haal '#' weg:",
            *(f"  # {key}: {example}" for key, example in missing)]


def sop_lines(school_year: str, schoolgids: bool) -> list[str]:
    """The `sop:` block, and under the schoolgids regime (sopc.regime) what the law asks
    of the schoolgids: the pupils' say and the consent of the MR's parents' section."""
    if not schoolgids:
        return [
            "sop:",
            f"  schooljaar: {school_year}   # het schooljaar waarvoor dit SOP geldt",
            "  # Vul deze twee datums in (JJJJ-MM-DD) zodra ze bekend zijn en haal dan het",
            "  # hekje (#) aan het begin van de regel weg:",
            "  # mr_advies: JJJJ-MM-DD    # datum van het advies van de medezeggenschapsraad",
            "  # vastgesteld: JJJJ-MM-DD  # datum waarop het bestuur het SOP vaststelde",
        ]
    text = _quoted(placeholders.TEXT)
    return [
        "sop:",
        f"  schooljaar: {school_year}   # het schooljaar van deze schoolgids",
        "  # Vul deze twee datums in (JJJJ-MM-DD) zodra ze bekend zijn en haal dan het",
        "  # hekje (#) aan het begin van de regel weg:",
        "  # instemming: JJJJ-MM-DD   # datum van de instemming van de oudergeleding van de MR",
        "  # vastgesteld: JJJJ-MM-DD  # datum waarop het bestuur de schoolgids vaststelde",
        "",
        "# De inbreng van leerlingen over de ondersteuning (artikel 13b WPO; zie",
        "# docs/schoolgids.md): hoe u hen hoorde, wat zij zeiden en wat er daardoor veranderde.",
        "leerlingeninbreng:",
        f"  hoe: {text}",
        f"  wat_leerlingen_zeiden: {text}",
        f"  wat_er_veranderde: {text}",
        "",
        "# Wat uw school toevoegt aan de basisondersteuning van het SWV (mag weg):",
        "# basisondersteuning: ...",
    ]


def starter(chosen: StarterLayer, schema_reference: str | None = None,
            today: datetime.date | None = None, location: Location | None = None,
            stand: str = "", regime_setting: RegimeSetting = BY_SCHOOL_YEAR) -> str:
    """The text of a new school file for `chosen`; the school year is the one `today`
    (default: the system date) falls in, and its regime (sopc.regime) decides what the
    file asks for. With a DUO `location`, the school's name, codes, address and contact
    details are filled in from it."""
    layer = chosen.layer
    day = today or datetime.date.today()
    school_year = school_year_of(day)
    regime = regime_setting.of(school_year, layer)
    lines = [modeline(schema_reference)] if schema_reference else []
    lines += [
        "# Startbestand voor een schoolondersteuningsprofiel. Vervang elke voorbeeldwaarde",
        f"# door wat voor uw school geldt, ook elke {_quoted(placeholders.TEXT)}",
        f"# en elk '{placeholders.ANSWER}'. `sopc validate` noemt elke regel die nog een",
        "# voorbeeldwaarde heeft; maak het document daarna met `sopc build`.",
        chosen.note,
        "sopc: 1",
        *([f"swv: {chosen.swv}"] if chosen.swv else []),
        *(["swv:", f"  naam: {placeholders.SWV_NAME}   # de naam van uw samenwerkingsverband"]
          if chosen.own_outline else []),
        "",
        "school:",
        *school_lines(location, stand),
        "",
        *sop_lines(school_year, regime.is_schoolgids),
        "",
        *([OWN_OUTLINE] if chosen.own_outline else []),
        "teksten:",
    ]
    texts_with_default = {p.text: bool(p.default) for p in walk(layer.outline) if p.text}
    for part in walk(layer.outline):
        if part.text is None:
            continue
        if part.required or not (part.default or texts_with_default.get(part.text)):
            # the SWV asks the school for this text (it has no text of its own for it)
            lines.append(f"  {part.text}: {_quoted(placeholders.TEXT)}")
        else:
            label = part.title or "standaardtekst van het SWV"
            lines.append(f"  # {part.text}: ...   ({label}; laat weg om de SWV-tekst te houden)")
    boundaries = [part for part in walk(layer.outline) if part.block == "grenzen"]
    if boundaries:
        # the layer asks for them as a list (a layer that asks for a text has it above)
        lines += ["", "grenzen:"]
        lead = boundaries[0].introduction
        if lead and lead.rstrip().endswith(":"):
            # each point finishes the layer's sentence ("... voldoen van kinderen:")
            lines += [f"  # Elk punt maakt deze zin af: \"{' '.join(lead.split())}\"",
                      "  # Begin een punt dus bijvoorbeeld met 'die ...'."]
        lines += ["  lijst:", f"    - {_quoted(placeholders.BOUNDARY)}"]
    if layer.catalogues:
        legend = [column.id for column in layer.legend]
        lines += ["", "aanbod:"]
        for catalogue in layer.catalogues:
            answers = f"per item: {placeholders.answer_help(catalogue.kind, legend)}"
            lines += [f"  {catalogue.id}:",
                      *textwrap.wrap(answers, 88, initial_indent="    # ",
                                     subsequent_indent="    # ", break_on_hyphens=False),
                      "    items:"]
            for item in catalogue.items:
                lines.append(f"      {item.id}: {placeholders.ANSWER}   # {item.name}")
    if layer.clusters:
        lines += ["", "clusters:"]
        for cluster in layer.clusters:
            if cluster.open:
                continue
            lines += [f"  - cluster: {cluster.id}",
                      "    aanpakken:",
                      f"      - {_quoted(placeholders.APPROACH)}"]
    blocks_used = {part.block for part in walk(layer.outline)}
    if layer.levels and "niveaus" in blocks_used:
        # optional: the SWV's description and team stand unless the school differs
        first = layer.levels[min(1, len(layer.levels) - 1)]
        lines += ["", "# Ondersteuningsniveaus: zonder 'niveaus' staan de omschrijving en het "
                      "ondersteuningsteam", "# van het SWV in het profiel. Wijkt uw school af, "
                      "haal dan de '#' weg en vul in", "# (niveaus: "
                      + ", ".join(level.id for level in layer.levels) + "):",
                  "# niveaus:", f"#   - niveau: {first.id}",
                  "#     team: [Leerkracht, Intern begeleider, Ouders]"]
    if "documenten" in blocks_used:
        lines += ["", "# Documenten en protocollen van de school, met waar ze te vinden zijn "
                      "(haal de '#' weg):", "# documenten:",
                  "#   - {titel: Dyslexieprotocol, vindplaats: Op school in te zien}"]
    return "\n".join(lines) + "\n"

