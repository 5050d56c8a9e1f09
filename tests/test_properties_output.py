"""Generated hostile input through every text, name and URL field: the outputs stay inert.

Strings from a hostile alphabet (markup, Markdown syntax, script schemes, fences,
backticks, bidi and zero-width characters, non-ASCII digits) go into every school field
and every SWV string through the real pipeline (`Worker`: load, validate, resolve,
render). Then, for every output:

- the `.md`, parsed as a viewer that allows raw HTML would (markdown-it, `html=True`),
  has no HTML but sopc's own section anchors, no image, and no link outside the URL
  policy;
- the `.html`, parsed by html.parser, has no script-like element, no `on*` attribute, no
  `src`, and every `href` inside the policy;
- no output contains a character that reorders text;
- nothing raises and no template fails (that would be exit 3 on the command line).

Dates and the other typed fields get generated values too: never an exception.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sopc import urls
from sopc.api import RunOptions, Worker
from sopc.config import Config
from sopc.loader import load_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "op-de-heuvel.yaml"
TODAY = datetime.date(2022, 3, 1)
PROFILES = ("volledig", "ouders", "schoolgids")
OPTIONS = RunOptions(today=TODAY, profiles=PROFILES, formats=("html", "md"))

FRAGMENTS = [
    "<", ">", "&", '"', "'", "`", "\\", "|", "*", "_", "[", "]", "(", ")", "!", "#", ":",
    ";", "/", "\n", "\r", "\t", " ", "  ", "-", "+", "=", "~", ".", "1", "a", "Z", "é",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "data:text/html,", "vbscript:",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=x>", "</div>",
    "<!--", "<?php", "<![CDATA[", "&lt;script&gt;", "&#60;", "&#x6a;",
    "```", "````", "~~~", "``", "    ", "\n\n", "\n- ", "\n1. ", "\n> ", "\n# ", "\n---\n",
    "[x](javascript:alert(1))", "[x](<javascript:alert(1)>)", "[y](https://a.nl)",
    "![i](https://t.nl/p.png)", "<https://a.nl>", "<javascript:alert(1)>", "<a@b.nl>",
    "[r]: javascript:alert(1)\n", "[r]", "| a | b |\n|---|---|\n| c | d |\n",
    "\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\u200e", "\ufeff", "\u2060",
    "\u0663", "\uff11", "\u00a0", "\u2028", "\x00", "\x1b[2J",
    "{{ 7*7 }}", "{% raw %}", "${x}",
]
hostile = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12).map("".join)

ANCHOR = re.compile(r'<a id="sop-[a-z0-9-]+"></a>\n?')
# sopc's own link from a short version to the longer one beside it: a file name, quoted
SIBLING = re.compile(r"[A-Za-z0-9._~%-]+\.(?:html|md)")
REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u200b\u2060\ufeff]")
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "img", "svg", "math", "form",
                  "input", "button", "link", "base", "frame", "frameset", "video", "audio"}


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def html_problems(html: str) -> list[str]:
    parser = Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if tag in DANGEROUS_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("src", "srcdoc", "formaction", "action"):
                problems.append(f"<{tag} {name}>")
            if name == "href" and urls.problem(value or "") is not None \
                    and not SIBLING.fullmatch(value or ""):
                problems.append(f"<{tag} href={value!r}>")
    return problems


VIEWER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_problems(markdown: str) -> list[str]:
    problems = []
    for token in VIEWER.parse(markdown):
        if token.type == "inline" and ANCHOR.fullmatch(token.content):
            continue  # sopc's own anchor, a paragraph of its own: '<a id="sop-inleiding"></a>'
        for item in [token, *(token.children or [])]:
            if item.type == "html_block" and not ANCHOR.fullmatch(item.content):
                problems.append(f"html_block {item.content!r}")
            elif item.type == "html_inline":
                problems.append(f"html_inline {item.content!r}")
            elif item.type == "image":
                problems.append(f"image {item.attrs}")
            elif item.type == "link_open" and urls.problem(str(item.attrs["href"])) \
                    and not SIBLING.fullmatch(str(item.attrs["href"])):
                problems.append(f"link {item.attrs['href']!r}")
    return problems


def example_data() -> dict[str, Any]:
    data = load_file(EXAMPLE, "op-de-heuvel.yaml").data
    assert data is not None
    data["swv"] = "perspectief-op-school"  # the preset its SWV layer builds on
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    # JSON is YAML; ensure_ascii writes every special character as an escape.
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    return path


def render(school: Path, worker: Worker) -> dict[str, str]:
    result, contents = worker.process((school, school.name, Config()))
    codes = [d.code for d in result.diagnostics]
    assert "template-fout" not in codes, result.diagnostics
    assert result.failed or len(contents) == 2 * len(PROFILES), codes
    # a build renders its documents as the UTF-8 bytes it writes
    return {name: text.decode("utf-8") if isinstance(text, bytes) else text
            for name, text in contents.items()}


def assert_inert(contents: dict[str, str]) -> None:
    for name, text in contents.items():
        assert not REORDERING.search(text), name
        if name.endswith(".md"):
            assert markdown_problems(text) == [], name
        else:
            assert html_problems(text) == [], name


def put_school_strings(data: dict[str, Any], values: list[str]) -> None:
    """Every free text, name and list entry of the school (not its ids and URLs)."""
    take = iter(values * 40).__next__
    school = data["school"]
    for key in ("naam", "bestuur", "plaats", "werkgebied", "onderwijstype"):
        school[key] = take()
    for text_id in data["teksten"]:
        data["teksten"][text_id] = take()
    data["inspectie"]["waardering"] = take()
    for answers in data["aanbod"].values():
        for other in answers.get("anders", []):
            other["naam"] = take()
        if "toelichting" in answers:
            answers["toelichting"] = take()
    for cluster in data.get("clusters", []):
        cluster["aanpakken"] = [take(), {"tekst": take(), "sub": [take()]}]
        cluster["in_ontwikkeling"] = [take()]
    data["documenten"] = [{"titel": take(), "vindplaats": take()}]
    data["grenzen"] = {"lijst": [take()], "toelichting": take()}
    data["extra_hoofdstukken"] = [{"titel": take(), "inhoud": take()}]


_SHARED_WORKER: list[Worker] = []
_LAYER_NUMBERS = itertools.count()


def shared_worker() -> Worker:
    """One worker (and so one Renderer and preset cache) for the school properties."""
    if not _SHARED_WORKER:
        _SHARED_WORKER.append(Worker(OPTIONS))
    return _SHARED_WORKER[0]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(hostile, min_size=1, max_size=6))
def test_school_strings_never_become_markup(tmp_path: Path, values: list[str]) -> None:
    data = example_data()
    put_school_strings(data, values)
    contents = render(write(tmp_path / "school.yaml", data), shared_worker())
    assert_inert(contents)


url_tail = st.from_regex(r"[a-z0-9./?=&%#()'*;:@!$,+~_-]{1,30}", fullmatch=True)
valid_url = st.builds(lambda scheme, rest: scheme + rest,
                      st.sampled_from(["https://a.nl/", "http://b.nl", "mailto:c@",
                                       "tel:+31", "www.school.nl/"]), url_tail)
url_like = st.one_of(
    valid_url, valid_url, hostile,
    st.builds(lambda scheme, rest: scheme + rest,
              st.sampled_from(["https://", "http://", "mailto:", "tel:", "www.", "#",
                               "javascript:", "data:", "//", "HTTPS://", " https://"]),
              st.one_of(hostile, url_tail)))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(website=url_like, report=url_like)
def test_urls_are_links_only_within_the_policy(tmp_path: Path, website: str,
                                               report: str) -> None:
    data = example_data()
    data["school"]["website"] = website
    data["inspectie"]["rapport"] = report
    contents = render(write(tmp_path / "school.yaml", data), shared_worker())
    assert_inert(contents)
    if contents:  # both passed the policy: each is a link, or shown as text
        assert urls.address_problem(website) is None
        assert urls.address_problem(report) is None


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(hostile, min_size=1, max_size=6))
def test_swv_strings_never_become_markup(tmp_path: Path, values: list[str]) -> None:
    take = iter(values * 20).__next__
    layer = {
        "sopc": 1, "soort": "swv", "basis": "perspectief-op-school",
        "swv": {"id": "swv-x", "naam": take(), "korte_naam": take(),
                "werkgebieden": [take()]},
        "documenttitel": take(),
        "legenda": [{"id": column, "label": take(), "uitleg": take(), "symbool": take()}
                    for column in ("op-school", "via-bestuur", "via-swv")],
        "huisstijl": {"voettekst": take()},
    }
    # A new file name per example: the worker keeps every SWV layer it read by path.
    layer_name = f"swv-{next(_LAYER_NUMBERS)}.yaml"
    write(tmp_path / layer_name, layer)
    data = example_data()
    data["swv"] = layer_name
    contents = render(write(tmp_path / "school.yaml", data), shared_worker())
    assert contents, "an SWV layer with only strings changed must still build"
    assert_inert(contents)


def test_the_examples_pass_the_same_checks(tmp_path: Path) -> None:
    """The checks above are not vacuous: they accept the real documents."""
    contents = render(EXAMPLE, shared_worker())
    assert contents
    assert_inert(contents)
    assert sorted(html_problems('<a href="javascript:x" onclick="y">')) == [
        "<a href='javascript:x'>", "<a onclick>"]
    assert markdown_problems("<b>x</b> [a](javascript:b)") != []


# ----------------------------------------------------------------------------------------
# Dates and typed fields: generated values never give an exception
# ----------------------------------------------------------------------------------------

date_like = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.dates().map(lambda day: day.isoformat()[:7]),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999),
              st.integers(0, 99), st.integers(0, 99)),
    st.text(alphabet="0123456789-\u0663\uff11\n ", max_size=12),
)
anything = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=10), date_like),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invuldatum=date_like, vastgesteld=date_like, mr_advies=date_like,
       inspectie=date_like)
def test_generated_dates_never_raise(tmp_path: Path, invuldatum: str, vastgesteld: str,
                                     mr_advies: str, inspectie: str) -> None:
    data = example_data()
    data["sop"].update(invuldatum=invuldatum, vastgesteld=vastgesteld, mr_advies=mr_advies)
    data["inspectie"]["datum"] = inspectie
    result, contents = shared_worker().process(
        (write(tmp_path / "school.yaml", data), "school.yaml", Config()))
    codes = {d.code for d in result.diagnostics}
    assert "template-fout" not in codes
    for value in (invuldatum, vastgesteld, mr_advies, inspectie):
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?", value):
            assert "datum-formaat" in codes and not contents


TYPED_FIELDS = [
    ("school", "brin"), ("school", "vestiging"), ("sop", "schooljaar"),
    ("populatie", "verwijzingen", "regels", 0, "aantal"),
    ("populatie", "uitstroom", "richtingen", 0, "percentages", 0),
    ("populatie", "leerlingen_per_cluster", "totaal_leerlingen"),
    ("populatie", "thuissituatie", "factoren", 0, "waarden", 0, "percentage"),
    ("aanbod", "deskundigheid", "items"), ("sopc",), ("swv",), ("clusters",),
]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(TYPED_FIELDS), value=anything)
def test_generated_typed_values_never_raise(tmp_path: Path, field: tuple[Any, ...],
                                            value: Any) -> None:
    data = example_data()
    data.setdefault("populatie", {})
    data["populatie"].update({
        "verwijzingen": {"schooljaar": "2020-2021",
                         "regels": [{"omschrijving": "x", "aantal": 1}]},
        "uitstroom": {"schooljaren": ["2020-2021"],
                      "richtingen": [{"richting": "havo", "percentages": [10]}]},
        "leerlingen_per_cluster": {"schooljaar": "2020-2021", "totaal_leerlingen": 10,
                                   "aantallen": []},
        "thuissituatie": {"factoren": [{"factor": "f", "waarden": [
            {"categorie": "c", "percentage": 5}]}]},
    })
    target: Any = data
    for part in field[:-1]:
        target = target[part]
    target[field[-1]] = value
    result, _ = shared_worker().process(
        (write(tmp_path / "school.yaml", data), "school.yaml", Config()))
    assert "template-fout" not in {d.code for d in result.diagnostics}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_markdown_fast_path_matches_the_writer(text: str) -> None:
    from sopc import textformat

    if textformat.is_plain(text) and text:
        written = textformat._MarkdownWriter().document(textformat.syntax_tree(text))
        assert textformat.to_markdown(text) == written
        assert textformat.to_markdown_inline(text) == \
            textformat._MarkdownWriter(one_line=True).document(textformat.syntax_tree(text))


_LONG = "x" * 2100  # a destination past the URL policy's length limit


@pytest.mark.parametrize("text", [
    f"Zie a]:<https://a.nl){_LONG}>",  # '<' of a bracketed destination after ']:'
    f"[a](<https://a.nl){_LONG}>",  # a bracketed destination holds ')' and spaces
    f"[a](<https://a.nl {_LONG}>)",
    f"[a](https://a.nl>{_LONG})",  # '>' stands inside a plain destination
    f"[a](https://a.nl\\){_LONG})",  # an escaped ')' too
])
def test_the_fast_link_check_sees_the_whole_destination(text: str) -> None:
    """Each of these links is refused (too long), though its destination starts with an
    allowed address: the fast check must not stop at that address."""
    from sopc import textformat

    assert textformat._parsed_link_problems(text)
    assert textformat.link_problems(text) == textformat._parsed_link_problems(text)


@pytest.mark.parametrize("text", [
    "[a](httpſ://a.nl)",  # 'ſ' is 's' to IGNORECASE, not to the URL policy: refused
    "[a](maılto:x@a.nl)",  # and 'ı' is 'i'
    "[a](HTTPS://a.nl) en [b](Tel:+31) en [c](#kop)",  # allowed in any case
    "[a](https://a.nl&#x6A;avascript)",  # an entity: the parser decodes it
    "[a](https://a.nl\\)x)",  # an escape
    "[a]( https://a.nl)\n[r]:\n  https://a.nl 'titel'",  # space and line breaks before
    "[a](https://a.nl|x)",  # a character the one search does not take as safe
    "[a](mailto:x@a.nl)[b](ftp://a.nl)",  # the second one refused
    f"[a](https://a.nl/{'x' * 1988})",  # one character past the policy's length
    f"[a](https://a.nl/{'x' * 1987})",  # just within it
    # what the parser escapes makes a target longer than written, past the length:
    # a lone '%', letters with accents, '|' (each found by a review, missed before)
    "[a](#" + "%" * 667 + ")",
    "[r]: https://a.nl/" + "%zz" * 662 + "\n\n[r]",
    "[a](https://a.nl/" + "é" * 400 + ")",
    "[a](https://a.nl/" + "|" * 700 + ")",
    "<https://a.nl/" + "é" * 400 + ">",
    "[a](https://a.nl/%41%zz) [b](https://a.nl/caf%C3%A9)",  # short: allowed either way
    "[a](https://a.nl) <javascript:alert(1)>",  # a text with '<' takes the full check
    "[a](<javascript:alert(1)>)",
])
def test_the_one_search_link_check_agrees_with_the_parser(text: str) -> None:
    """Texts without '<' are told by one search (`_UNSURE_TARGET`), others by a loop over
    their targets: what either lets through must be what the parse allows, at the edges
    of what they take as certainly allowed."""
    from sopc import textformat

    assert textformat.link_problems(text) == textformat._parsed_link_problems(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    *"[]()<>!: \n\\\"'&#;", "https://a.nl", "javascript:", "data:", "mailto:x", "tel:1",
    "a", "  ", "\n\n", "`",
    "&#97;", "&#34;", "*", "(a\"b)", "> ", "- ", "    ", "[r]: ", "](", "\t",
    "x" * 2001,  # beyond the URL policy's length: the whole destination must be checked
    # for the one-search path of a text without '<': schemes in other cases, letters
    # that IGNORECASE would take for 's' and 'i', anchors and escapes
    "HtTpS://a.nl", "httpſ://a.nl", "maılto:", "tel:", "#", "%20", "a.nl/x?y=1", "\r"]),
    max_size=30).map("".join))
def test_the_fast_link_check_agrees_with_the_parser(text: str) -> None:
    """link_problems skips the parse when every link target is allowed; it must find
    exactly what the full parse finds."""
    from sopc import textformat

    assert textformat.link_problems(text) == textformat._parsed_link_problems(text)
