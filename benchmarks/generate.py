"""Realistic generated schools for benchmarks and the data-safety tests.

Both reference styles (the PPO-NK example with clusters, the Op de Heuvel example
with availability tables), each school with its own name, BRIN, werkgebied and
text, grown with extra chapters to a target size. Deterministic: the same call
gives the same files.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AREAS = ("Alkmaar", "Bergen", "Castricum", "Heiloo", "Heerhugowaard", "Langedijk")
BOARDS = ("Stichting Kindwijs", "Stichting Primair Onderwijs Kust", "Vereniging De Brug")
PARAGRAPH = ("Een alinea {n} van school {i} met *nadruk*, een [link](https://example.org/{i}) "
             "en gewone tekst over de ondersteuning in de groep. ")


def _base(style: str) -> str:
    if style == "clusters":
        return (EXAMPLES / "ppo-noord-kennemerland.yaml").read_text(encoding="utf-8")
    return (EXAMPLES / "op-de-heuvel.yaml").read_text(encoding="utf-8").replace(
        "swv: swv-po-stroomland.yaml", "swv: perspectief-op-school")


# The availability items of the Op de Heuvel style ('      id: [...]' under 'aanbod:'),
# among which gaps are planted.
PLANTABLE = ("beeldcoach", "dyslexiespecialist", "gedragsspecialist", "jonge-kind-specialist",
             "logopedist", "hoogbegaafdheidsspecialist", "laagbegaafdheidsspecialist",
             "nt2-specialist", "orthopedagoog", "psycholoog", "rekenspecialist",
             "taal-leesspecialist", "combigroep", "combiplus", "hoogbegaafdheidsklas",
             "observatieklas", "taalklas", "tussenvoorziening")


# A short word of running text (between spaces): marked with the school's number, every
# text of a school becomes its own (`own_texts`).
_SHORT_WORD = re.compile(r"(?<= )(de|het|een|en|van|in)(?= )")


def school_text(index: int, target_bytes: int, style: str,
                areas: tuple[str, ...] = AREAS, boards: tuple[str, ...] = BOARDS,
                not_offered: frozenset[str] = frozenset(), own_texts: bool = False) -> str:
    text = _base(style)
    if own_texts:  # no text shared with another school (a real SWV's schools)
        text = _SHORT_WORD.sub(lambda found: f"{found.group(1)}{index}", text)
    letters = chr(65 + index // 26 % 26) + chr(65 + index % 26)
    # from 01AA on: 00AA is the BRIN placeholder of `sopc new` (a CONCEPT document)
    brin = f"{index // 676 % 99 + 1:02d}{letters}"
    text = text.replace("brin: 99ZZ", f"brin: {brin}").replace("brin: 06KG", f"brin: {brin}")
    text = text.replace("OGO-basisschool Ypestein (naam niet in de bron)", f"School {index}")
    text = text.replace("Basisschool Op de Heuvel", f"School {index}")
    area = areas[index % len(areas)]
    board = boards[index // len(areas) % len(boards)]
    text = text.replace("  werkgebied: Heiloo\n", f"  werkgebied: {area}\n")
    if "werkgebied:" not in text:
        text = text.replace("  plaats: Nijmegen\n", f"  plaats: {area}\n  werkgebied: {area}\n")
    text = text.replace("  bestuur: Stichting Primair Onderwijs Groesbeek\n",
                        f"  bestuur: {board}\n")
    if "  bestuur:" not in text:  # the PPO style names no bestuur and its place Heiloo
        text = text.replace(f"  werkgebied: {area}\n",
                            f"  werkgebied: {area}\n  bestuur: {board}\n", 1)
        text = text.replace("  plaats: Heiloo\n", f"  plaats: {area}\n", 1)
    for item in not_offered:  # a planted gap: this school does not offer the item
        text = re.sub(rf"(?m)^(      {re.escape(item)}): \[.*\]$", r"\1: []", text)
    # an SOP as it should be: adopted, with the MR's advice (no warnings to report)
    text = text.replace("  schooljaar: 2021-2022\n", "  schooljaar: 2021-2022\n"
                        "  vastgesteld: 2022-01-10\n  mr_advies: 2021-12-15\n", 1)
    extra = "\nextra_hoofdstukken:\n"
    chapter = 0
    while len((text + extra).encode()) < target_bytes:
        chapter += 1
        extra += (f"  - titel: Aanvulling {chapter}\n    inhoud: |\n      "
                  + "".join(PARAGRAPH.format(n=n, i=index) for n in range(12)) + "\n")
    return text + (extra if chapter else "")


def planted_gaps(areas: tuple[str, ...], count: int, seed: int = 1
                 ) -> dict[str, frozenset[str]]:
    """`count` gaps at random: per werkgebied, the availability items no school of it
    offers (all its schools in the Op de Heuvel style answer [])."""
    rng = random.Random(seed)
    pairs = rng.sample([(area, item) for area in areas for item in PLANTABLE],
                       min(count, len(areas) * len(PLANTABLE)))
    gaps: dict[str, set[str]] = {}
    for area, item in pairs:
        gaps.setdefault(area, set()).add(item)
    return {area: frozenset(items) for area, items in gaps.items()}


def generate(folder: Path, count: int, *, target_bytes: int | None = 40_000,
             seed: int = 1, areas: tuple[str, ...] = AREAS,
             boards: tuple[str, ...] = BOARDS, gaps: int = 0,
             own_texts: bool = False) -> list[Path]:
    """`count` school files in `folder`; `target_bytes=None` varies sizes from 10 to 200 KB.

    `areas` are the werkgebieden the schools are spread over (one: all in one werkgebied,
    the worst case for the overview's matrix), `boards` their besturen. The schools
    alternate between two SWV layers (the two examples' styles). `gaps` plants that many
    gaps (see `planted_gaps`, which gives them with the same seed). Without `own_texts`
    the schools of one style share the reference's texts; with it, every text of a
    school is its own.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    planted = planted_gaps(areas, gaps, seed) if gaps else {}
    paths = []
    for index in range(count):
        size = target_bytes or int(10_000 * (20 ** rng.random()))  # log-uniform 10–200 KB
        area = areas[index % len(areas)]
        # both layers in every werkgebied (with an even number of werkgebieden, index % 2
        # would give each werkgebied one layer)
        style = "clusters" if (index + index // len(areas)) % 2 == 0 else "beschikbaarheid"
        path = folder / f"school-{index:04d}.yaml"
        path.write_text(school_text(index, size, style, areas, boards,
                                    planted.get(area, frozenset()), own_texts),
                        encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Maak gegenereerde schoolbestanden (voor metingen en tests): om en om in "
                    "de stijl van de twee voorbeelden, elk met een eigen naam, BRIN en "
                    "werkgebied. De scholen van één stijl delen de teksten van het "
                    "voorbeeld (zie --eigen-teksten). De BRIN-codes zijn verzonnen, dus "
                    "elke school krijgt de waarschuwing onbekende-vestiging. Dezelfde "
                    "opdracht geeft dezelfde bestanden.")
    parser.add_argument("map", type=Path, help="de map voor de bestanden (wordt gemaakt)")
    parser.add_argument("-n", "--aantal", type=int, default=150, help="hoeveel scholen "
                        "(standaard 150)")
    parser.add_argument("--grootte", type=int, default=40_000,
                        help="grootte per bestand in bytes (standaard 40000); 0: gemengd, "
                             "10 tot 200 KB")
    parser.add_argument("--werkgebied", action="append", default=None,
                        help="een werkgebied; herhaal voor meer (standaard zes)")
    parser.add_argument("--bestuur", action="append", default=None,
                        help="een bestuur; herhaal voor meer (standaard drie)")
    parser.add_argument("--hiaten", type=int, default=0,
                        help="zoveel hiaten planten: een item dat geen school van een "
                             "werkgebied biedt (standaard geen)")
    parser.add_argument("--eigen-teksten", action="store_true",
                        help="geen tekst gedeeld met een andere school, zoals bij echte "
                             "scholen (sopc maakt een gelijke tekst maar één keer op)")
    options = parser.parse_args()
    paths = generate(options.map, options.aantal, target_bytes=options.grootte or None,
                     areas=tuple(options.werkgebied) if options.werkgebied else AREAS,
                     boards=tuple(options.bestuur) if options.bestuur else BOARDS,
                     gaps=options.hiaten, own_texts=options.eigen_teksten)
    print(f"{len(paths)} scholen geschreven in {options.map}")


if __name__ == "__main__":
    main()
