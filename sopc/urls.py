"""The one URL policy: which addresses may reach a document, as a link or an image.

Every place where a URL from the input reaches output goes through this module: the
`website` of a school or an SWV and the inspection report (`address_problem` at load,
`address_link` in the templates), links and images in Markdown text fields
(markdown-it's `validateLink` is `safe_link`; `sopc.checks` warns at load), in the
HTML, the Markdown and the PDF (which is rendered from the HTML).

- Links: `https`, `http`, `mailto` and `tel`, and references inside the document
  (`#anchor`). A relative path such as `protocol.pdf` is refused: a document is
  published on its own (a school website, a PDF, a schoolgids), so a relative link
  would point at whatever happens to sit next to it there. Only an address field may
  leave out its scheme ('www.school.nl' becomes 'https://www.school.nl').
- Images: none from the input. The document is self-contained (the logo is a
  data: URI that sopc made itself from a checked file), and an image from a text
  would be fetched by every reader (tracking) and by the PDF build (network).

Whitespace, control characters, bidi and zero-width characters and `< > " ` \\` are
refused outright (a real address has them percent-encoded), so what a browser would
strip before reading the scheme (`java\\tscript:`) cannot hide one. The scheme is
compared case-insensitively. Import-light on purpose: no third-party module.
"""

from __future__ import annotations

import functools
import re

LINK_SCHEMES = frozenset({"https", "http", "mailto", "tel"})

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# Bidi controls (overrides, embeddings, isolates, marks) and zero-width characters:
# - in every output they are removed (sopc.render), so no input can reorder the text
#   around it (Trojan Source); ZWJ/ZWNJ (U+200C/D) stay there, as they cannot reorder
#   text and emoji and some scripts need them;
# - names, ids and URLs never need any of them: a warning (sopc.checks) or refused here.
# Control characters other than tab and line ends (ESC, NUL, DEL, the C1 range) are
# treated alike: in a document opened with `cat` or pasted into a CMS they steer the
# terminal or vanish, and no name or text needs them.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# The contents of a character class: what every output leaves out.
INVISIBLE_CHARACTERS = \
    f"{_CONTROLS}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
INVISIBLE_IN_OUTPUT = re.compile(f"[{INVISIBLE_CHARACTERS}]")
INVISIBLE_IN_NAMES = re.compile(
    f"[{_CONTROLS}\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """`text` as every output writes it: without the characters of INVISIBLE_IN_OUTPUT."""
    return INVISIBLE_IN_OUTPUT.sub("", text)


# Never raw in a real address (browsers percent-encode them); in sopc's outputs they
# could only serve to break out of an attribute, an autolink or a link destination.
_NOT_IN_URLS = re.compile(r"[\s<>\"`\\]")
MAX_URL_LENGTH = 2000


# A web address written without its scheme, as people do ('www.school.nl/sop'): only in
# fields that hold an address (`website`, `rapport`), never in a Markdown link, where
# CommonMark reads it as a relative path.
_BARE_DOMAIN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                          r"""[A-Za-z]{2,63}(?:[/?#][^\s<>\\"']*)?""")


# The same rule for an editor's JSON Schema, as far as a pattern can say it (schemes
# case-insensitive, as here; ECMAScript patterns have no flag for that).
_URL_CHARACTER = '[^\\s<>"`\\\\]'
ADDRESS_PATTERN = (
    f"^(?:#{_URL_CHARACTER}*"
    f"|(?:[Hh][Tt][Tt][Pp][Ss]?://|[Mm][Aa][Ii][Ll][Tt][Oo]:|[Tt][Ee][Ll]:)"
    f"{_URL_CHARACTER}*"
    f"|{_BARE_DOMAIN.pattern})$")


def address(url: str) -> str:
    """An address field as a link target: 'www.school.nl' → 'https://www.school.nl'."""
    if _BARE_DOMAIN.fullmatch(url):
        return "https://" + url
    return url


def address_problem(url: str) -> str | None:
    """`problem` for a field that holds an address (a bare domain is fine there)."""
    return problem(address(url))


def address_link(url: str | None) -> str | None:
    """The link target of an address field, or None when the policy refuses it."""
    return None if url is None else safe_link(address(url))


_LINE_CONTROLS = re.compile("[\t\n\r]")  # the controls INVISIBLE_IN_NAMES lets through


@functools.lru_cache(maxsize=1024)  # a text links to the same address again and again
def problem(url: str) -> str | None:
    """None when `url` may be a link in a document; else why not, in Dutch."""
    if not url.strip():
        return "een leeg internetadres"
    if len(url) > MAX_URL_LENGTH:
        return f"een internetadres van meer dan {MAX_URL_LENGTH} tekens"
    if INVISIBLE_IN_NAMES.search(url) or _LINE_CONTROLS.search(url):
        return "het internetadres bevat onzichtbare tekens of stuurtekens"
    if _NOT_IN_URLS.search(url):
        return ("het internetadres bevat een spatie of een teken dat in een adres niet kan "
                "(< > \" ` \\)")
    if url.startswith("#"):
        return None
    scheme = _SCHEME.match(url)
    if scheme is None:
        return ("het internetadres begint niet met https://, http://, mailto: of tel: "
                "(een los pad werkt niet in een gepubliceerd document)")
    name = scheme.group(1).lower()
    if name not in LINK_SCHEMES:
        return (f"'{name}:' is als link niet toegestaan; gebruik https://, http://, "
                "mailto: of tel:")
    if name in ("http", "https") and not url[scheme.end():].startswith("//"):
        return f"na '{name}:' horen twee schuine strepen, zoals 'https://www.school.nl'"
    return None


def safe_link(url: str | None) -> str | None:
    """`url` itself when it may be a link, else None (the caller shows it as text)."""
    if url is None or problem(url) is not None:
        return None
    return url
