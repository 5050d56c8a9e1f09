"""The one registry of block kinds: a kind's name, its builder and its templates.

A `blok:` in an outline names one of these kinds. Each kind has:
- a builder: (the resolver, the outline part) → the kind's view (sopc.view), or None
  when the school gave nothing to show;
- one template per format, `blokken/<kind>.html.j2` and `blokken/<kind>.md.j2`, so a
  theme overrides one kind without copying the others (a test checks that every
  kind has both and that the schema offers exactly these names);
- `places`: where in the school file its data comes from, so the resolver can tell
  which values of the school reached the document (nothing is silently lost);
- a Dutch line for docs/opbouw.md and the schema's description.

Builders call `ctx.placed(path)` for what they print. They never return Pydantic
models: the view classes are the templates' contract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sopc import view
from sopc.dates import format_date
from sopc.textformat import escape_markdown  # names of the SWV layer in list items

if TYPE_CHECKING:
    from sopc.models import ApproachItem, Catalogue, CatalogueAnswers, CatalogueItem, OutlinePart
    from sopc.resolve import Resolver

Builder = Callable[["Resolver", "OutlinePart"], "view.BlockData | None"]


@dataclass(frozen=True, slots=True)
class BlockKind:
    name: str
    builder: Builder
    summary: str  # Dutch: what the block shows (docs/opbouw.md, editor tooltips)
    needs_catalogue: bool = False
    source: str | None = None  # the key of the school file it shows ('aanbod' + catalogue)

    def template(self, output_format: str) -> str:
        return f"blokken/{self.name}.{output_format}.j2"


# ----------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------

def format_percentage(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def list_items(items: Iterable[ApproachItem]) -> tuple[view.ListItem, ...]:
    return tuple(view.ListItem(item.text, list_items(item.sub)) for item in items)


def legend(ctx: Resolver) -> tuple[view.LegendColumn, ...]:
    return tuple(view.LegendColumn(c.id, c.label, c.explanation, c.symbol)
                 for c in ctx.layer.legend)


def is_yes(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() == "ja"


def _heading(catalogue: Catalogue) -> view.CatalogueHeading:
    return view.CatalogueHeading(catalogue.title, catalogue.column_header,
                                 catalogue.other_header, catalogue.answer_header)


def _catalogue(ctx: Resolver, part: OutlinePart
               ) -> tuple[Catalogue, CatalogueAnswers, dict[str, Any]] | None:
    """The catalogue a block shows and the school's answers, as item id → answer."""
    catalogue = ctx.catalogues.get(part.catalogue or "")
    if catalogue is None:
        return None
    answers = ctx.school.offer.get(catalogue.id)
    if answers is None:
        return None
    ctx.placed("aanbod", catalogue.id)
    entries = answers.items
    if isinstance(entries, list):
        entries = dict.fromkeys(entries, "ja")
    return catalogue, answers, entries


# ----------------------------------------------------------------------------------------
# Builders, one per kind
# ----------------------------------------------------------------------------------------

def school_data(ctx: Resolver, part: OutlinePart) -> view.SchoolDataBlock:
    info = ctx.school.school
    sop = ctx.school.sop
    rows: list[tuple[str, str | None, tuple[tuple[str, str], ...]]] = [
        ("Invuldatum", format_date(sop.filled_in), (("sop", "invuldatum"),)),
        ("Naam van onze school", info.name, (("school", "naam"),)),
        ("BRIN en vestiging", f"{info.brin}{info.branch}",
         (("school", "brin"), ("school", "vestiging"))),
        ("Onderwijstype", info.school_type, (("school", "onderwijstype"),)),
        ("Naam van ons schoolbestuur", info.board, (("school", "bestuur"),)),
        ("Naam samenwerkingsverband", ctx.layer.swv.name, ()),
        ("Plaats", info.place, (("school", "plaats"),)),
        ("Werkgebied", info.work_area, (("school", "werkgebied"),)),
        ("Website", info.website, (("school", "website"),)),
        ("Vastgesteld", format_date(sop.adopted), (("sop", "vastgesteld"),)),
        ("Advies medezeggenschapsraad", format_date(sop.council_advice),
         (("sop", "mr_advies"),)),
        ("Instemming oudergeleding MR", format_date(sop.consent), (("sop", "instemming"),)),
    ]
    shown = []
    for label, value, paths in rows:
        if value:
            shown.append((label, value))
            for path in paths:
                ctx.placed(*path)
    return view.SchoolDataBlock(part.introduction, tuple(shown))


def legend_block(ctx: Resolver, part: OutlinePart) -> view.LegendBlock:
    return view.LegendBlock(part.introduction, legend(ctx))


def availability(ctx: Resolver, part: OutlinePart) -> view.AvailabilityBlock | None:
    found = _catalogue(ctx, part)
    if found is None:
        return None
    catalogue, answers, entries = found

    def row(name: str, value: Any) -> view.AvailabilityRow:
        if ctx.is_placeholder(value):
            return view.AvailabilityRow(name, (), to_fill_in=True)
        marks = value if isinstance(value, list) else [value] if value else []
        return view.AvailabilityRow(name, tuple(str(mark) for mark in marks))

    return view.AvailabilityBlock(
        _heading(catalogue), part.introduction, legend(ctx),
        tuple(row(item.name, entries.get(item.id)) for item in catalogue.items),
        tuple(row(other.name, other.value) for other in answers.other),
        answers.note)


def list_block(ctx: Resolver, part: OutlinePart) -> view.ListBlock | None:
    found = _catalogue(ctx, part)
    if found is None:
        return None
    catalogue, answers, entries = found
    return view.ListBlock(
        _heading(catalogue), part.introduction,
        tuple(item.name for item in catalogue.items if is_yes(entries.get(item.id))),
        tuple(other.name for other in answers.other if other.value is None
              or is_yes(other.value)),
        answers.note)


def status(ctx: Resolver, part: OutlinePart) -> view.StatusBlock | None:
    found = _catalogue(ctx, part)
    if found is None:
        return None
    catalogue, answers, entries = found
    yes_no = catalogue.kind == "ja-nee"

    def answer(value: Any) -> str:
        if ctx.is_placeholder(value):
            return "nog in te vullen"
        if yes_no:
            return "Ja" if is_yes(value) else "Nee"
        return str(value)

    return view.StatusBlock(
        _heading(catalogue), part.introduction,
        tuple((item.name, answer(entries[item.id])) for item in catalogue.items
              if item.id in entries),
        tuple((other.name, answer(other.value)) for other in answers.other),
        answers.note)


def clusters(ctx: Resolver, part: OutlinePart) -> view.ClustersBlock | None:
    if not ctx.school.clusters:
        return None
    ctx.placed("clusters")
    result = []
    for number, profile in enumerate(ctx.school.clusters, start=1):
        definition = ctx.clusters.get(profile.cluster)
        title = definition.title if definition else profile.cluster
        if profile.description:
            title = f"{title} {profile.description}"
        result.append(view.ClusterView(number, title, list_items(profile.approaches),
                                       list_items(profile.in_development),
                                       list_items(profile.ambition)))
    return view.ClustersBlock(part.introduction, tuple(result))


def offer_summary(ctx: Resolver, part: OutlinePart) -> view.OfferSummaryBlock | None:
    """Per legend column (op school, via bestuur, ...): the items offered that way."""
    groups: dict[str, list[str]] = {column.id: [] for column in ctx.layer.legend}
    for _, entries in _offered(ctx):
        for _, name, marks in entries:
            for mark in marks:
                if mark in groups and name not in groups[mark]:
                    groups[mark].append(name)
    columns = tuple(view.OfferColumn(column.label, column.explanation, tuple(groups[column.id]))
                    for column in ctx.layer.legend if groups[column.id])
    return view.OfferSummaryBlock(part.introduction, columns) if columns else None


def _offered(ctx: Resolver) -> Iterator[tuple[Catalogue, list[tuple[CatalogueItem | None,
                                                                      str, list[str]]]]]:
    """Each availability catalogue the school answered, with what it answered: the
    catalogue's items in the catalogue's order, then the school's own ('anders'), each
    as (item or None, name, the legend columns that apply)."""
    for catalogue in ctx.layer.catalogues:
        answers = ctx.school.offer.get(catalogue.id)
        if catalogue.kind != "beschikbaarheid" or answers is None \
                or not isinstance(answers.items, dict):
            continue
        entries: list[tuple[CatalogueItem | None, str, list[str]]] = [
            (item, item.name, _as_list(answers.items[item.id]))
            for item in catalogue.items if item.id in answers.items]
        entries += [(None, other.name, _as_list(other.value)) for other in answers.other]
        yield catalogue, entries


def _as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def clusters_summary(ctx: Resolver, part: OutlinePart) -> view.ClustersSummaryBlock | None:
    """Per cluster the school describes: its short name and how many approaches."""
    rows = []
    for profile in ctx.school.clusters:
        definition = ctx.clusters.get(profile.cluster)
        if definition is None or not (profile.approaches or profile.in_development):
            continue
        name = definition.short or definition.title
        if profile.description:
            name = f"{name} {profile.description}"
        rows.append(view.ClusterCount(name, len(profile.approaches),
                                      len(profile.in_development)))
    return view.ClustersSummaryBlock(part.introduction, tuple(rows)) if rows else None


def levels_overview(ctx: Resolver, part: OutlinePart) -> view.LevelsOverviewBlock | None:
    numbered = [level for level in ctx.layer.levels if level.number is not None]
    if not numbered:
        return None
    return view.LevelsOverviewBlock(part.introduction, tuple(
        f"Ondersteuningsniveau {level.number}: {level.name}" for level in numbered))


def levels(ctx: Resolver, part: OutlinePart) -> view.LevelsBlock | None:
    overrides = {level.level: level for level in ctx.school.levels}
    result = []
    for level in ctx.layer.levels:
        override = overrides.get(level.id)
        description = override.description if override and override.description \
            else level.description
        team = override.team if override and override.team is not None else level.team
        title = level.name if level.number is None else f"Niveau {level.number}: {level.name}"
        result.append(view.LevelView(title, description, tuple(team)))
    if ctx.school.levels:
        ctx.placed("niveaus")
    return view.LevelsBlock(part.introduction, tuple(result)) if result else None


def boundaries(ctx: Resolver, part: OutlinePart) -> view.BoundariesBlock | None:
    found = ctx.school.boundaries
    if found is None:
        return None
    ctx.placed("grenzen")
    return view.BoundariesBlock(part.introduction, list_items(found.items), found.note)


def documents(ctx: Resolver, part: OutlinePart) -> view.DocumentsBlock | None:
    groups: dict[str, list[str]] = {}
    for document in ctx.school.documents:
        groups.setdefault(document.location, []).append(document.title)
    if not groups:
        return None
    ctx.placed("documenten")
    return view.DocumentsBlock(part.introduction, tuple(
        view.DocumentGroup(location, tuple(titles)) for location, titles in groups.items()))


def glossary(ctx: Resolver, part: OutlinePart) -> view.GlossaryBlock | None:
    found = ctx.layer.glossary
    if found is None:
        return None
    return view.GlossaryBlock(found.title, found.introduction, found.column_header, tuple(
        view.GlossaryEntry(entry.term, entry.definition) for entry in found.entries))


def inspection(ctx: Resolver, part: OutlinePart) -> view.InspectionBlock | None:
    found = ctx.school.inspection
    if found is None:
        return None
    ctx.placed("inspectie")
    return view.InspectionBlock(part.introduction, format_date(found.date), found.verdict,
                                found.report)


def referrals(ctx: Resolver, part: OutlinePart) -> view.ReferralsBlock | None:
    found = ctx.school.population.referrals if ctx.school.population else None
    if not found:
        return None
    ctx.placed("populatie", "verwijzingen")
    return view.ReferralsBlock(part.introduction, found.school_year, tuple(
        view.CountRow(line.description, line.count) for line in found.lines))


def career(ctx: Resolver, part: OutlinePart) -> view.CareerBlock | None:
    found = ctx.school.population.career if ctx.school.population else None
    if not found:
        return None
    ctx.placed("populatie", "schoolloopbaan")
    return view.CareerBlock(part.introduction, tuple(
        view.CareerRow(row.stage, row.extensions, row.accelerations) for row in found))


def outflow(ctx: Resolver, part: OutlinePart) -> view.OutflowBlock | None:
    found = ctx.school.population.outflow if ctx.school.population else None
    if not found:
        return None
    ctx.placed("populatie", "uitstroom")
    return view.OutflowBlock(part.introduction, tuple(found.school_years), tuple(
        view.OutflowRow(row.track, tuple(format_percentage(p) for p in row.percentages))
        for row in found.rows))


def cluster_counts(ctx: Resolver, part: OutlinePart) -> view.ClusterCountsBlock | None:
    found = ctx.school.population.cluster_counts if ctx.school.population else None
    if not found:
        return None
    ctx.placed("populatie", "leerlingen_per_cluster")
    rows = []
    for count in found.counts:
        definition = ctx.clusters.get(count.cluster)
        label = (definition.short or definition.title) if definition else count.cluster
        rows.append(view.CountRow(label, count.count))
    return view.ClusterCountsBlock(part.introduction, found.school_year, found.total_pupils,
                                   tuple(rows))


def home(ctx: Resolver, part: OutlinePart) -> view.HomeBlock | None:
    found = ctx.school.population.home if ctx.school.population else None
    if not found:
        return None
    ctx.placed("populatie", "thuissituatie")
    return view.HomeBlock(part.introduction, tuple(
        view.HomeFactor(factor.factor, factor.source, tuple(
            (value.category, format_percentage(value.percentage)) for value in factor.values))
        for factor in found.factors), found.source_note)


def basic_support(ctx: Resolver, part: OutlinePart) -> view.BasicSupportBlock | None:
    swv_text = ctx.layer.basic_support
    school_text = ctx.school.basic_support
    if not swv_text and not school_text:
        return None
    if school_text:
        ctx.placed("basisondersteuning")
    return view.BasicSupportBlock(part.introduction, ctx.layer.swv.name, swv_text, school_text)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _offer_themes(ctx: Resolver, short: bool) -> list[view.OfferTheme]:
    """The extra support per theme: each onderwijsbehoefte-cluster the school describes
    with its approaches (in short: the needs only), and each availability catalogue with
    what it offers, grouped by how (the legend: on school, via the board, ...)."""
    themes: list[view.OfferTheme] = []
    needs: list[view.ListItem] = []
    for profile in ctx.school.clusters:
        definition = ctx.clusters.get(profile.cluster)
        if definition is None or not (profile.approaches or profile.in_development):
            continue
        name = _first_upper((definition.short or definition.title).strip().rstrip(".:"))
        if profile.description:
            name = f"{name} {profile.description}"
        ctx.placed("clusters")
        if short:
            needs.append(view.ListItem(name))
            continue
        approaches = [view.OfferGroup(None, list_items(profile.approaches))]
        if profile.in_development:
            approaches.append(view.OfferGroup("In ontwikkeling",
                                              list_items(profile.in_development)))
        themes.append(view.OfferTheme(name, None, tuple(approaches)))
    if needs:
        themes.append(view.OfferTheme("Onderwijsbehoeften waarvoor wij een aanpak hebben",
                                      None, (view.OfferGroup(None, tuple(needs)),)))
    labels = {column.id: column.label for column in ctx.layer.legend}
    for catalogue, entries in _offered(ctx):
        by_how: dict[str, list[view.ListItem]] = {column: [] for column in labels}
        for item, name, marks in entries:
            text = name if short or item is None or not item.explanation \
                else f"{name}: {item.explanation}"
            ways = [column for column in by_how if column in marks]
            # parents read each item once, under the way nearest to their child (the
            # legend's order: on school first); the full chapter names every way
            for mark in ways[:1] if short else ways:
                by_how[mark].append(view.ListItem(escape_markdown(text)))
        offered = tuple(view.OfferGroup(labels[column], tuple(items))
                        for column, items in by_how.items() if items)
        if offered:
            ctx.placed("aanbod", catalogue.id)
            themes.append(view.OfferTheme(catalogue.title, catalogue.explanation, offered))
    return themes


def extra_support(ctx: Resolver, part: OutlinePart) -> view.OfferBlock | None:
    themes = _offer_themes(ctx, short=False)
    return view.OfferBlock(part.introduction, tuple(themes)) if themes else None


def offer_for_parents(ctx: Resolver, part: OutlinePart) -> view.OfferBlock | None:
    themes = _offer_themes(ctx, short=True)
    return view.OfferBlock(part.introduction, tuple(themes)) if themes else None


def pupil_input(ctx: Resolver, part: OutlinePart) -> view.PupilInputBlock | None:
    given = ctx.school.pupil_input
    if given is None or not (given.how or given.said or given.changed):
        return None
    ctx.placed("leerlingeninbreng")
    return view.PupilInputBlock(part.introduction, given.how, given.said, given.changed)


def more_information(ctx: Resolver, part: OutlinePart) -> view.MoreInformationBlock:
    """Who to ask, how to reach the school, and where the longer document and the SWV's
    support plan are: the school's contact details and a link to the full version."""
    info = ctx.school.school
    rows = (("Contactpersoon", info.contact, "contactpersoon"),
            ("Telefoon", info.phone, "telefoon"), ("E-mail", info.email, "email"),
            ("Website", info.website, "website"), ("Adres", info.address, "adres"))
    contact = []
    for label, value, key in rows:
        if value:
            contact.append(view.Fact(label, value, contact_link(key, value)))
            ctx.placed("school", key)
    return view.MoreInformationBlock(part.introduction, tuple(contact), ctx.full_document(),
                                     swv_reference(ctx.layer.swv.name), ctx.layer.swv.website)


def contact_link(key: str, value: str) -> str | None:
    """Where a contact detail of the school (its key under 'school:') links to, on the
    title page and under "Contact" alike: a number to call, an address to mail, the
    website; None for the others."""
    if key == "telefoon":
        return phone_link(value)
    if key == "email":
        return f"mailto:{value}"
    return value if key == "website" else None


def swv_reference(name: str) -> str:
    """'het samenwerkingsverband SWV Eemland' doubles a word that the name already says:
    such a name stands alone ('Samenwerkingsverband passend onderwijs', 'SWV PO
    Stroomland'), any other gets 'het samenwerkingsverband' before it."""
    if name.lower().startswith(("samenwerkingsverband", "swv ", "swv-")):
        return name
    return f"het samenwerkingsverband {name}"


def phone_link(number: str | None) -> str | None:
    """'024 - 322 11 44' → 'tel:0243221144' (a '+' kept); None when it has no digits."""
    if not number:
        return None
    digits = "".join(ch for ch in number if ch.isdigit() and ch.isascii())
    if not digits:
        return None
    return "tel:" + ("+" if number.strip().startswith("+") else "") + digits


# ----------------------------------------------------------------------------------------
# The registry
# ----------------------------------------------------------------------------------------

KINDS: dict[str, BlockKind] = {kind.name: kind for kind in (
    BlockKind("school-gegevens", school_data,
              "Tabel met de gegevens van de school: naam, BRIN, bestuur, plaats, data.",
              source="school"),
    BlockKind("legenda", legend_block,
              "De legenda van de beschikbaarheidstabellen (kolommen van het SWV)."),
    BlockKind("beschikbaarheid", availability,
              "Tabel van een catalogus: per item waar het beschikbaar is (kolommen van de "
              "legenda).", needs_catalogue=True, source="aanbod"),
    BlockKind("lijst", list_block,
              "Lijst van de items van een catalogus die de school heeft.",
              needs_catalogue=True, source="aanbod"),
    BlockKind("status", status,
              "Tabel van een catalogus met per item de status die de school opgeeft.",
              needs_catalogue=True, source="aanbod"),
    BlockKind("ja-nee", status,
              "Tabel van een catalogus met per item 'ja' of 'nee'.", needs_catalogue=True,
              source="aanbod"),
    BlockKind("clusters", clusters,
              "De onderwijsbehoefte-clusters met de aanpakken, wat in ontwikkeling is en de "
              "ambitie van de school.", source="clusters"),
    BlockKind("niveaus-overzicht", levels_overview,
              "Opsomming van de genummerde ondersteuningsniveaus van het SWV."),
    BlockKind("niveaus", levels,
              "Per ondersteuningsniveau de omschrijving en het ondersteuningsteam.",
              source="niveaus"),
    BlockKind("grenzen", boundaries,
              "De grenzen van de ondersteuning die de school kan bieden.", source="grenzen"),
    BlockKind("documenten", documents,
              "Documenten en protocollen van de school, per vindplaats.", source="documenten"),
    BlockKind("begrippen", glossary, "De begrippenlijst van het SWV."),
    BlockKind("inspectie", inspection,
              "Datum, waardering en rapport van het laatste inspectieonderzoek.",
              source="inspectie"),
    BlockKind("verwijzingen", referrals,
              "Tabel met verwijzingen naar speciaal (basis)onderwijs in één schooljaar.",
              source="populatie: verwijzingen"),
    BlockKind("schoolloopbaan", career, "Tabel met verlengingen en versnellingen per bouw.",
              source="populatie: schoolloopbaan"),
    BlockKind("uitstroom", outflow,
              "Tabel met de uitstroom naar het voortgezet onderwijs per schooljaar.",
              source="populatie: uitstroom"),
    BlockKind("leerlingen-per-cluster", cluster_counts,
              "Tabel met het aantal leerlingen per onderwijsbehoefte-cluster.",
              source="populatie: leerlingen_per_cluster"),
    BlockKind("thuissituatie", home, "Tabel met gegevens over de opvoedsituatie thuis.",
              source="populatie: thuissituatie"),
    BlockKind("aanbod-samenvatting", offer_summary,
              "Korte versie van het aanbod: per kolom van de legenda de items (voor ouders).",
              source="aanbod"),
    BlockKind("clusters-samenvatting", clusters_summary,
              "Korte versie van de clusters: naam en aantal aanpakken (voor ouders).",
              source="clusters"),
    BlockKind("basisondersteuning", basic_support,
              "De basisondersteuning van het SWV en wat de school eraan toevoegt.",
              source="basisondersteuning"),
    BlockKind("extra-ondersteuning", extra_support,
              "Het extra ondersteuningsaanbod per thema: per cluster de aanpakken, per "
              "catalogus wat de school biedt en hoe (voor de schoolgids).", source="aanbod"),
    BlockKind("aanbod-voor-ouders", offer_for_parents,
              "Kort het aanbod per thema, met de uitleg van de catalogus; zonder aantallen "
              "of codes (voor ouders).", source="aanbod"),
    BlockKind("leerlingeninbreng", pupil_input,
              "Hoe leerlingen hun mening gaven over de ondersteuning, wat zij zeiden en wat "
              "er veranderde.", source="leerlingeninbreng"),
    BlockKind("meer-informatie", more_information,
              "Contactpersoon, telefoon, e-mail en website van de school, een link naar het "
              "volledige document en het SWV.", source="school"),
)}

NAMES: tuple[str, ...] = tuple(KINDS)
CATALOGUE_KINDS = frozenset(name for name, kind in KINDS.items() if kind.needs_catalogue)


def blocks_table() -> str:
    """The Markdown table of docs/opbouw.md (kept in sync by a test and `make golden`)."""
    lines = ["| Blok | Wat het laat zien | Komt uit |", "|---|---|---|"]
    for kind in KINDS.values():
        source = f"`{kind.source}`" if kind.source else "de SWV-laag"
        lines.append(f"| `{kind.name}` | {kind.summary} | {source} |")
    return "\n".join(lines) + "\n"
