"""Every diagnostic code sopc can report: its default severity and one Dutch line.

The codes are a contract (CI filters and `sopc.toml` refer to them), so they live
in one table; docs/meldingen.md documents each one and a test keeps the two in sync.
Only the content checks and the loader's warnings about how a text is written are
`configurable`: a schema or syntax error cannot be switched off, because the file
could then not be read at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopc.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Code:
    severity: Severity
    summary: str
    configurable: bool = False


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: dict[str, Code] = {
    # Stage 1: reading the file.
    "bestand-onleesbaar": Code(E, "Het bestand kan niet worden gelezen."),
    "bestand-te-groot": Code(E, "Het bestand is groter dan de limiet (5 MiB)."),
    "codering": Code(E, "Het bestand is geen UTF-8 (bijvoorbeeld UTF-16 of Windows-1252)."),
    "leeg-bestand": Code(E, "Het bestand is leeg."),
    "geen-mapping": Code(E, "Het bestand bestaat niet uit regels 'sleutel: waarde'."),
    "meerdere-documenten": Code(E, "Het bestand bevat meer dan één YAML-document."),
    "yaml-syntax": Code(E, "De YAML-syntaxis klopt niet."),
    "yaml-tag": Code(E, "Een YAML-tag zoals !!python/object; die zijn niet toegestaan."),
    "dubbele-sleutel": Code(E, "Dezelfde sleutel staat twee keer op hetzelfde niveau."),
    "onbekende-alias": Code(E, "Een alias (*naam) zonder bijbehorend anker (&naam)."),
    "recursieve-alias": Code(E, "Een alias die naar zichzelf verwijst."),
    "te-veel-aliassen": Code(E, "Te veel waarden door aliassen (tegen 'alias-bommen')."),
    "te-diep-genest": Code(E, "De structuur is dieper genest dan de limiet (64)."),
    "commentaar-in-tekst": Code(W, "Na een waarde staat ' #' (één spatie): YAML leest de rest "
                                   "van de regel als commentaar, die tekst valt weg.", True),
    "tekst-zonder-blokteken": Code(W, "Een tekst over meerdere regels zonder '|', met een lege "
                                      "regel of opsomming: YAML voegt de regels samen.", True),
    # Stage 2: the schema.
    "schema-versie": Code(E, "De schemaversie ('sopc: 1') ontbreekt of wordt niet ondersteund."),
    "ontbrekend-veld": Code(E, "Een verplicht veld ontbreekt."),
    "inspringing": Code(E, "Een sleutel staat niet ingesprongen onder de sleutel waar hij bij "
                           "hoort."),
    "onbekende-sleutel": Code(E, "Een sleutel die het schema niet kent (vaak een tikfout)."),
    "dubbele-punt-in-tekst": Code(E, "Een tekst met ': ' erin die YAML als 'sleutel: waarde' "
                                     "leest; zet hem tussen aanhalingstekens."),
    "verkeerd-type": Code(E, "Een waarde van de verkeerde soort (tekst, getal, lijst, ...)."),
    "ongeldige-waarde": Code(E, "Een waarde die hier niet is toegestaan."),
    "ongeldig-id": Code(E, "Een id met andere tekens dan kleine letters, cijfers en '-'."),
    "ongeldig-onderdeel": Code(E, "Een onderdeel van de opbouw dat niet precies één soort is."),
    "ongeldige-aanpassing": Code(E, "Een aanpassing van de opbouw die niet precies één ding "
                                    "doet, of geen of twee plekken noemt."),
    "brin-formaat": Code(E, "Een BRIN-code die niet uit twee cijfers en twee letters bestaat."),
    "vestiging-formaat": Code(E, "Een vestigingsnummer dat niet uit twee cijfers bestaat."),
    "schooljaar-formaat": Code(E, "Een schooljaar dat niet de vorm '2021-2022' heeft."),
    "datum-formaat": Code(E, "Een datum die niet bestaat of niet de vorm 'JJJJ-MM-DD' of "
                             "'JJJJ-MM' heeft."),
    # Safety of the outputs (URL policy, bounded work per text, invisible characters).
    "ongeldige-url": Code(E, "Een website of rapport-adres dat geen link mag worden (alleen "
                             "https, http, mailto en tel)."),
    "link-weggelaten": Code(W, "Een link of afbeelding in een tekst die niet mag; de tekst "
                               "blijft staan zonder link.", True),
    "tekst-te-lang": Code(E, "Een tekst is langer dan de grens (100.000 tekens)."),
    "tabel-te-groot": Code(E, "De tabellen in een tekst hebben samen meer dan 2.000 cellen."),
    "tekst-te-veel-links": Code(E, "Een tekst heeft meer dan 500 vierkante haken '[' "
                                "(links of afbeeldingen)."),
    "tekst-te-veel-regels": Code(E, "Een tekst heeft meer dan 2.000 regels (lijstpunten, "
                                    "alinea's, koppen)."),
    "tekst-te-diep-genest": Code(E, "Lijsten en citaten in een tekst staan meer dan 10 niveaus "
                                    "diep in elkaar."),
    "onzichtbaar-teken": Code(W, "Een naam of id bevat een onzichtbaar teken of een teken dat "
                                 "de leesrichting omdraait.", True),
    # Stage 3: the SWV layer and the ids that refer to it.
    "swv-ontbreekt": Code(E, "Geen SWV-laag: niet in het bestand en niet in sopc.toml."),
    "onbekende-swv": Code(E, "De SWV-laag (preset of bestand) bestaat niet."),
    "ongeldige-swv": Code(E, "De SWV-laag waar de school naar verwijst, bevat fouten."),
    "geen-swv-laag": Code(E, "Het bestand waar 'swv' naar verwijst, is geen SWV-laag."),
    "onbekend-id": Code(E, "Een id dat niet in de SWV-laag voorkomt."),
    "dubbel-id": Code(E, "Hetzelfde id staat twee keer in een lijst."),
    "ontbrekende-tekst": Code(E, "Een tekst die de SWV-laag verplicht stelt, ontbreekt."),
    "onbekend-onderdeel": Code(E, "Een aanpassing van de opbouw noemt een onderdeel (id) dat "
                                  "er niet is."),
    "verplicht-onderdeel": Code(E, "Een onderdeel dat het SWV verplicht stelt, is weggelaten."),
    "onmogelijke-aanpassing": Code(E, "Een aanpassing die niet kan, zoals een paragraaf "
                                      "binnen zichzelf plaatsen."),
    "onbekend-profiel": Code(E, "De SWV-laag kent de gevraagde versie (--profiel) niet."),
    "kleurcontrast": Code(E, "De accentkleur van de huisstijl is op wit slecht leesbaar."),
    "logo-fout": Code(E, "Het logo ontbreekt, is te groot of is geen PNG, JPEG of SVG."),
    "pad-buiten-repository": Code(E, "Een pad (logo, template, SWV-bestand, schoolbestand) "
                                     "wijst buiten de repository."),
    # Content checks: severities can be changed in sopc.toml.
    "sop-verouderd": Code(E, "Het SOP is meer dan vier jaar oud (peildatum).", True),
    "sop-ouder-dan-een-jaar": Code(W, "Het SOP is meer dan een jaar oud (peildatum).", True),
    "datum-in-toekomst": Code(W, "Een datum van het SOP ligt na de peildatum.", True),
    "mr-advies-ontbreekt": Code(W, "De datum van het advies van de MR ontbreekt.", True),
    "schoolgids-verouderd": Code(E, "Het hoofdstuk voor de schoolgids is voor een eerder "
                                    "schooljaar dan dat van de peildatum.", True),
    "instemming-ontbreekt": Code(W, "De datum van de instemming van de oudergeleding van de MR "
                                    "met de schoolgids ontbreekt.", True),
    "leerlingeninbreng-ontbreekt": Code(W, "De schoolgids beschrijft niet (helemaal) hoe "
                                           "leerlingen hun mening gaven over de ondersteuning "
                                           "en wat dat veranderde.", True),
    "grenzen-ontbreken": Code(W, "De schoolgids zegt niet wat de school niet kan bieden: er "
                                 "staan geen grenzen in het schoolbestand.", True),
    "cluster-ontbreekt": Code(W, "Een cluster van de SWV-laag dat de school niet beschrijft.",
                              True),
    "dubbele-school": Code(E, "Twee bestanden met dezelfde BRIN-code en vestiging.", True),
    "onbekende-vestiging": Code(W, "BRIN en vestiging staan niet in de lijst van DUO: de "
                                   "vestiging is gesloten, nieuw, of de code klopt niet.", True),
    "andere-naam-bij-duo": Code(W, "De naam van de school wijkt af van de naam van die "
                                   "vestiging bij DUO.", True),
    "voorbeeldtekst": Code(W, "Een waarde die nog de voorbeeldwaarde van `sopc new` is (zoals "
                              "'Vervang deze tekst ...' of 'nog in te vullen').", True),
    "swv-tekst-vervangen": Code(INFO, "De school vervangt een standaardtekst van het SWV.", True),
    # Nothing silently lost (issue 11): what the document cannot show is reported.
    "niet-geplaatst": Code(W, "Een waarde van de school waar de opbouw geen plek voor heeft; "
                              "ze staat niet in het document.", True),
    "lege-paragraaf": Code(W, "Een paragraaf blijft leeg (niets ingevuld) en staat daarom niet "
                              "in het document.", True),
    "leeg-onderdeel": Code(W, "Een tekst of blok dat de school in de opbouw zette (of "
                              "hernoemde of verplaatste) waarvoor niets is ingevuld; het staat "
                              "niet in het document.", True),
    "inleiding-zonder-vervolg": Code(W, "Een inleiding die met ':' een opsomming aankondigt, "
                                        "maar daarna is niets ingevuld; ze is weggelaten.",
                                     True),
    # Building.
    "dubbele-uitvoer": Code(E, "Twee schoolbestanden zouden hetzelfde uitvoerbestand maken."),
    "template-fout": Code(E, "Een fout in een template (ook: iets wat de sandbox verbiedt)."),
    # Bounded work per school (issue 10): a document over a limit is reported, not built.
    "document-te-groot": Code(E, "Een document wordt te groot of kost te veel tijd om te "
                                 "maken (grens per school en per soort uitvoer)."),
    "schrijffout": Code(E, "De uitvoer kan niet worden geschreven."),
    # Inputs and outputs on disk (issue 10).
    "geen-gewoon-bestand": Code(E, "Geen gewoon bestand (een pijp, apparaat of socket); "
                                   "sopc leest het niet."),
    "patroon-vindt-niets": Code(W, "Een patroon in 'bestanden' (sopc.toml) vindt geen enkel "
                                   "bestand.", True),
    "bouwverslag-niet-geschreven": Code(W, "Het bouwverslag (.sopc-build.json) kan niet worden "
                                           "geschreven; de volgende build maakt alles opnieuw."),
}


_DUTCH_SEVERITY = {Severity.ERROR: "fout", Severity.WARNING: "waarschuwing",
                   Severity.INFO: "opmerking"}


def codes_table() -> str:
    """The Markdown table of docs/meldingen.md (kept in sync by a test)."""
    lines = ["| Code | Standaard | Aanpasbaar | Betekenis |", "|---|---|---|---|"]
    for code, info in CODES.items():
        lines.append(f"| `{code}` | {_DUTCH_SEVERITY[info.severity]} | "
                     f"{'ja' if info.configurable else 'nee'} | "
                     f"{info.summary.replace('|', chr(92) + '|')} |")
    return "\n".join(lines) + "\n"
