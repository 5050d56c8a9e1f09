"""Markdown in text fields, rendered safely, and the escaping policy of the `.md` output.

markdown-it-py in CommonMark mode with GFM tables and strikethrough: measured at
9 ms against python-markdown's 21 ms for a 40 KB school, and it follows the same
CommonMark rules as GitHub/GitLab, so the `.md` output and the HTML agree.

HTML: raw HTML is disabled (shown as text, never passed through); links go through
the one URL policy (`sopc.urls`, as markdown-it's `validateLink`); an image from a
text is shown as its alt text (the document loads nothing from outside).

Markdown output, correct by construction: a text field is parsed by the same parser
(HTML disabled) and its token tree is written back as Markdown by `_MarkdownWriter`.
Structure the parser recognised (paragraphs, lists, quotes, code, tables, emphasis,
links that pass the URL policy) is written as such; every piece of text is escaped
for the place it lands in (inline, start of a line, table cell, link destination).
A backtick or a fence-like line therefore cannot switch escaping off: code spans and
fences are written with a delimiter longer than any run of backticks in their
content. A hard line break stays one: '\\' and a new line, or '<br>' where a line
cannot end (a table cell, a heading), the only HTML the writer itself writes. Names and
titles (not Markdown) go through `escape_markdown`.

Bounded work: `text_problem` checks a text field at load, with a linear scan and no
parser, against the limits below; a text over a limit never reaches the renderer.

Speed: most text fields are plain sentences, or paragraphs and '- ' points with
emphasis and links, so they skip the parser (the fast paths give byte-identical output,
checked by property tests; anything else goes to the parser), and results are cached:
SWV boilerplate repeats across every school of a run. markdown-it is imported only
when a text needs it.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sopc import urls
from sopc.diagnostics import dutch_number

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

# Limits per text field, generous for real SOPs (the longest text of the examples and
# the reference documents is under 5,000 characters and has no table). Beyond them,
# markdown-it's work grows fast (a 4 MB table: 37 s, 2.9 GB).
MAX_TEXT_CHARACTERS = 100_000
MAX_TABLE_CELLS = 2_000  # rows (header included) × columns, all tables of a text together
MAX_LINES = 2_000  # non-blank lines: each can be a list item, heading or paragraph
MAX_NESTING = 10  # lists and block quotes inside each other
# '[' opens a link or image; markdown-it's work grows faster than linearly with them
# (10,000 took 0.5 s per pass, 50,000 ten times more); real texts have a handful.
MAX_LINK_BRACKETS = 500

# Characters that can start inline syntax (besides '!', which only does before '['), and
# those no output carries (sopc.urls): the fast paths leave a text that holds one to the
# parser, whose writer drops them before it escapes (dropped after, a bidi mark between
# '!' and '[y](...)' left an image in the .md).
_SYNTAX_CHARACTERS = rf"\\`*_\[\]<>&#|~\n\r\t{urls.INVISIBLE_CHARACTERS}"
_SYNTAX_CHARACTER = re.compile(rf"[{_SYNTAX_CHARACTERS}!]")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}
                    ).enable(["table", "strikethrough"])
    md.options["maxNesting"] = MAX_NESTING + 10  # a second bound behind text_problem
    # Every link is parsed as a link, then one the URL policy refuses loses its target
    # (`_unlink_refused`) and keeps its text: '[klik](javascript:x)' reads 'klik', as
    # `link-weggelaten` says, instead of the whole Markdown syntax as text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.core.ruler.push("sopc_unlink_refused", _unlink_refused)
    md.add_render_rule("image", _image_as_text)
    return md


def _unlink_refused(state: Any) -> None:
    """Drop the open and close tokens of every link whose target the policy refuses."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        kept = []
        refused_levels: list[int] = []  # nesting levels of refused links still open
        for token in block.children:
            if token.type == "link_open" and urls.safe_link(str(token.attrs.get("href", ""))) \
                    is None:
                refused_levels.append(token.level)
                continue
            if token.type == "link_close" and refused_levels \
                    and refused_levels[-1] == token.level:
                refused_levels.pop()
                continue
            kept.append(token)
        block.children = kept


def _image_as_text(self: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    """An image from a text becomes its description: the document loads nothing."""
    return str(self.renderInline(tokens[index].children or [], options, env))


def _escape_html(text: str) -> str:
    """Text as markdown-it escapes it in HTML: '&', '<', '>' and '"'. Four replaces, each
    a fast scan; a translation table took about 50 ns a character."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;")


def is_plain(text: str) -> bool:
    """Whether nothing in `text` could make CommonMark do more than wrap one paragraph."""
    return not _line_syntax(text) and _SYNTAX_CHARACTER.search(text) is None


def _line_syntax(line: str) -> bool:
    """Whether a line's start, end or spaces can make CommonMark read more than text in
    it: white space at its start or end, a first character that can start a block ('-',
    '+', '=', '>' or a digit), two spaces in a row (a hard line break). Tested on the
    string: one regular expression with these anchors tried them at every character,
    ten times as long as the search for syntax characters."""
    return bool(line) and (line[0].isspace() or line[0] in "-+=>" or line[0].isdecimal()
                           or line[-1].isspace() or "  " in line)


def plain_paragraphs(text: str) -> list[list[str]] | None:
    """The paragraphs (each a list of lines) of a text that is nothing but plain lines
    and empty lines between them, the usual school text; None for anything else, which
    goes to the parser. CommonMark makes such a text one paragraph per group of lines,
    each line as it is: `to_html` and `to_markdown` write it without a parse (a
    property test holds them to the parser's output)."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line:
            if current:
                paragraphs.append(current)
                current = []
        elif is_plain(line):
            current.append(line)
        else:
            return None
    if current:
        paragraphs.append(current)
    return paragraphs


# The next most common school text: paragraphs and lists of '- ' points, with emphasis
# ('*nadruk*', '**vet**') and links ('[tekst](https://…)') in the lines. Its pieces, in
# forms that CommonMark can read only one way:
# what `is_plain` lets through, and '!' (an image only before '[': not in a line)
_PLAIN = rf"[^{_SYNTAX_CHARACTERS}]"
_EDGE = rf"(?:(?!\s){_PLAIN})"  # the first or last character of an emphasis: no space
_URL_CHARACTER_PLAIN = r"(?:[A-Za-z0-9\-._~:/?#@!$'*+,;=]|%[0-9A-Fa-f]{2})"
# A host name markdown-it's normalizeLink (mdurl) leaves as it is: ASCII labels of at
# most 63 characters (a longer one is cut); the whole name at most 255 characters,
# which `_simple_line` checks (a longer one is dropped).
_HOST = r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.?"
_SIMPLE_PIECE = re.compile(
    rf"({_PLAIN}+)"  # 1: text
    # 2, 3: emphasis or strong emphasis (`_simple_line` checks what stands around it)
    rf"|(\*\*?)({_EDGE}(?:{_PLAIN}*{_EDGE})?)\2"
    # 4, 5: an inline link without a title whose target normalizeLink leaves as it is:
    # ASCII, no '&' (an entity), '%' only as an escape; a plain host and port for http,
    # mdurl reads the part after 'mailto:' and 'tel:' as a host too (so: an address
    # with a host, a number); 6, 7: the host of a web or mail address
    rf"|\[({_PLAIN}+)\]\((https?://({_HOST})(?::[0-9]+)?(?:[/?#]{_URL_CHARACTER_PLAIN}*)?"
    rf"|mailto:[A-Za-z0-9._+-]+@({_HOST})|tel:\+?[0-9-]{{1,32}})\)")
# Around an emphasis, what makes its first delimiter only open and its last only close
# (CommonMark's flanking rules): after a space or the line's start, or after '(' when a
# letter or digit follows; before a space or the line's end, or before punctuation when
# a letter or digit precedes.
_SPACE_AROUND = ("", " ")
_BEFORE_LETTER = ("", " ", "(")
_AFTER_LETTER = ("", " ", ".", ",", ";", ":", "?", "!", ")")


def _simple_line(line: str) -> tuple[str, str] | None:
    """A line of a paragraph or list point as (HTML, Markdown), as the parser and
    `_MarkdownWriter` write it; None when the line has anything but simple pieces (or
    nothing: an empty point). One space at the end is dropped, as the parser drops it
    (two make a hard line break)."""
    if line.endswith(" ") and not line.endswith("  "):
        line = line[:-1]
    if not line or _line_syntax(line) or "![" in line:
        return None
    html: list[str] = []
    markdown: list[str] = []
    position, end = 0, len(line)
    while position < end:
        piece = _SIMPLE_PIECE.match(line, position)
        if piece is None:
            return None
        text, marker, emphasised, label, target, web_host, mail_host = piece.groups()
        if text is not None:
            html.append(_escape_html(text))
            markdown.append(escape_inline(text, line_start=position == 0))
        elif marker is not None:
            before = line[position - 1:position]
            after = line[piece.end():piece.end() + 1]
            if before not in (_BEFORE_LETTER if emphasised[0].isalnum() else _SPACE_AROUND) \
                    or after not in (_AFTER_LETTER if emphasised[-1].isalnum()
                                     else _SPACE_AROUND):
                return None
            tag = "em" if marker == "*" else "strong"
            html.append(f"<{tag}>{_escape_html(emphasised)}</{tag}>")
            markdown.append(marker + escape_inline(emphasised, line_start=False) + marker)
        else:
            if urls.problem(target) is not None or len(web_host or mail_host or "") > 255:
                return None  # the parser keeps only its text, or a changed target
            html.append(f'<a href="{target}">{_escape_html(label)}</a>')
            markdown.append(f"[{escape_inline(label, line_start=True)}]"
                            f"({link_destination(target)})")
        position = piece.end()
    return "".join(html), "".join(markdown)


@lru_cache(maxsize=256)
def simple_text(text: str) -> tuple[str, str] | None:
    """A text of paragraphs and tight lists of '- ' points, each point one line, with
    only simple pieces in its lines (see `_SIMPLE_PIECE`): its (HTML, Markdown) without
    a parse, as `parsed_html` and `parsed_markdown` write it (a property test holds
    them to the parser's bytes); None for anything else, which goes to the parser."""
    html: list[str] = []
    markdown: list[str] = []
    paragraph: list[tuple[str, str]] = []  # the lines of the open paragraph
    points: list[tuple[str, str]] = []  # the points of the open list
    list_closed = False  # a list ended by an empty line: a point now would join it

    def close_paragraph() -> None:
        html.append("<p>" + "\n".join(line_html for line_html, _ in paragraph) + "</p>\n")
        markdown.append("\n".join(line_markdown for _, line_markdown in paragraph))
        paragraph.clear()

    def close_list() -> None:
        html.append("<ul>\n" + "".join(f"<li>{point}</li>\n" for point, _ in points)
                    + "</ul>\n")
        markdown.append("\n".join(f"- {point}" for _, point in points))
        points.clear()

    for line in text.split("\n"):
        if not line:
            if paragraph:
                close_paragraph()
            if points:
                close_list()
                list_closed = True
            continue
        if line.startswith("- "):
            if list_closed:
                return None  # one loose list in CommonMark: its points are paragraphs
            written = _simple_line(line[2:])
            if written is None:
                return None
            if paragraph:  # a point may interrupt a paragraph
                close_paragraph()
            points.append(written)
            continue
        if points:
            return None  # a lazy continuation of the last point
        written = _simple_line(line)
        if written is None:
            return None
        paragraph.append(written)
        list_closed = False
    if paragraph:
        close_paragraph()
    if points:
        close_list()
    return "".join(html), "\n\n".join(markdown)


# Sized for the SWV boilerplate that every school repeats; a larger cache only keeps
# school texts that never come back, and memory would grow with the number of schools.
@lru_cache(maxsize=1024)
def to_html(text: str) -> str:
    """A Markdown text field as HTML block content."""
    paragraphs = plain_paragraphs(text)
    if paragraphs is not None:
        return "".join("<p>" + _escape_html("\n".join(paragraph)) + "</p>\n"
                       for paragraph in paragraphs)
    simple = simple_text(text)
    return simple[0] if simple is not None else parsed_html(text)


def parsed_html(text: str) -> str:
    """`to_html` by the parser, whatever the text."""
    md = parser()
    return str(md.renderer.render(_tokens(text), md.options, {}))


@lru_cache(maxsize=256)
def _tokens(text: str) -> list[Any]:
    """One parse of a text, for its HTML and its Markdown output alike."""
    return parser().parse(text)


@lru_cache(maxsize=1024)
def to_html_inline(text: str) -> str:
    """A Markdown text field as inline HTML (list items, table cells)."""
    if is_plain(text):
        return _escape_html(text)
    return str(parser().renderInline(text)).strip()


@lru_cache(maxsize=1024)
def to_markdown(text: str) -> str:
    """A Markdown text field for the .md output: its structure kept, all text escaped."""
    paragraphs = plain_paragraphs(text)
    if paragraphs is not None:
        return "\n\n".join("\n".join(paragraph) for paragraph in paragraphs)
    simple = simple_text(text)
    return simple[1] if simple is not None else parsed_markdown(text)


def parsed_markdown(text: str) -> str:
    """`to_markdown` by the parser, whatever the text."""
    return _MarkdownWriter().document(syntax_tree(text))


@lru_cache(maxsize=1024)
def to_markdown_inline(text: str, indent: str = "") -> str:
    """For a list item of .md: the text's inline content as one paragraph.

    Soft line breaks become spaces; a hard line break is kept as CommonMark's backslash
    form ('\\' and a new line), the next line indented by `indent` (only its length
    counts: the list item's content column; without it a lazy continuation line, which
    CommonMark also keeps in the item)."""
    if is_plain(text):
        return text
    written = _MarkdownWriter(one_line=True).document(syntax_tree(text))
    if indent and "\n" in written:
        written = written.replace("\n", "\n" + " " * len(indent))
    return written


@lru_cache(maxsize=1024)
def to_markdown_cell(text: str) -> str:
    """For a GFM table cell of .md: the text's inline content on one line, pipes not yet
    escaped (see `table_cell`). A hard line break becomes '<br>', since a cell cannot hold
    a new line: GitHub and GitLab render it as a line break; it is written by sopc only
    here, never taken from the text (whose '<' is always escaped)."""
    if is_plain(text):
        return text
    return _MarkdownWriter(one_line=True, cell=True).document(syntax_tree(text))


@lru_cache(maxsize=1)
def _unchecked_parser() -> MarkdownIt:
    """The same parser, but keeping every link, so `link_problems` can see them."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


# Everywhere CommonMark can take a link target from: an inline link '](target', an
# autolink '<scheme:...>', a reference definition '[name]: target' (anywhere: also in
# quotes and lists), found from its ']:'. A superset of what the parser finds; every
# branch starts with a literal, so `re` skips ahead to ']' or '<' (a search from each
# '[' took four times as long).
_LINK_TARGETS = re.compile(
    r"\][(:]\s*(<?)([^()\[\]\s<>]*)(.?)"
    r"|<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>", re.DOTALL)
# Where a destination must end for the text found to be all of it: '<...>' only at its
# '>' (inside, spaces and parentheses are part of it); a plain one at a space, a ')' or
# the end ('>' and '[' may stand inside a plain destination).
_BRACKETED_END = (">",)
_PLAIN_END = ("", ")", " ", "\t", "\n")


# A link target as the parser keeps it: markdown-it's normalizeLink (mdurl's encode)
# leaves these characters, and a '%' with two hex digits, as they are; any other
# character, a lone '%' among them, becomes a longer escape, so the target it checks
# against the URL policy (its length too) is not the one written. Without '&': an
# entity the parser would decode.
# (Runs of plain characters between the escapes: a group of two branches per character
# took three times as long.)
_KEPT_CHARACTERS = r"A-Za-z0-9\-._~:/?#@!$'*+,;="
_KEPT = f"[{_KEPT_CHARACTERS}]"
_AS_PARSED = rf"{_KEPT}*(?:%[0-9A-Fa-f]{{2}}{_KEPT}*)*"
_TARGET_AS_PARSED = re.compile(_AS_PARSED)
# An inline link or reference definition whose target is NOT certainly allowed: one not
# written as an address of an allowed scheme or an '#anchor', kept as the parser keeps
# it, within the policy's length, ended by what ends a plain target. Its scheme letters
# are spelled out: under IGNORECASE, 'ſ' would match 's', and 'ı' and 'İ' 'i', which the
# policy's scheme does not.
_SAFE_TARGET = (r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Mm][Aa][Ii][Ll][Tt][Oo]:|[Tt][Ee][Ll]:|#)"
                rf"(?=[{_KEPT_CHARACTERS}%]{{0,{urls.MAX_URL_LENGTH - 8}}}"
                r"(?:[) \t\n]|\Z))"
                rf"{_AS_PARSED}(?=[) \t\n]|\Z)")
_UNSURE_TARGET = re.compile(rf"\][(:](?!\s*{_SAFE_TARGET})")


def _plainly_allowed(text: str) -> bool:
    """Whether every link target in `text` is certainly allowed, without a parse: each
    one found whole (see `_LINK_TARGETS`), kept by the parser as written (see
    `_TARGET_AS_PARSED`), and allowed by the URL policy.

    Most texts are told by one search in `re`: without a '<', every target the loop
    below finds follows a '](' or ']:', and when each of those is followed by a safe
    target (`_SAFE_TARGET`), the loop finds only those and allows them all. A search
    from the literal ']' skips ahead at C speed, where the loop's pattern, two branches,
    tests each character (the texts of a 40 KB school with its links: 1.2 ms, now 0.2)."""
    if "<" not in text and _UNSURE_TARGET.search(text) is None:
        return True
    for found in _LINK_TARGETS.finditer(text):
        bracket, target, end, autolink = found.groups()
        if autolink is not None:
            if not _TARGET_AS_PARSED.fullmatch(autolink) or urls.problem(autolink) is not None:
                return False
        elif end not in (_BRACKETED_END if bracket else _PLAIN_END) \
                or not _TARGET_AS_PARSED.fullmatch(target) or urls.problem(target) is not None:
            return False
    return True


def link_problems(text: str) -> list[tuple[str, str | None]]:
    """Every link or image in a text field that breaks the URL policy: (Dutch problem,
    hint), in the order they stand. At load, so that `validate` reports what the
    renderer drops."""
    if "]" not in text and "<" not in text:  # no link, image or autolink possible
        return []
    if "![" not in text and _plainly_allowed(text):
        return []  # the parse is the slow part of validate: most texts need none
    return _parsed_link_problems(text)


def _parsed_link_problems(text: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for token in _unchecked_parser().parse(text):
        for child in token.children or ():
            if child.type == "image":
                found.append((f"de afbeelding '{child.attrs.get('src', '')}' wordt niet "
                              "getoond: een document laadt niets van buiten",
                              "beschrijf in tekst wat erop staat"))
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                problem = urls.problem(href)
                if problem:
                    found.append((f"de link '{href}' kan niet: {problem}", None))
    return found


def syntax_tree(text: str) -> SyntaxTreeNode:
    """The syntax tree of a text field (for writers that are not text: sopc.word)."""
    from markdown_it.tree import SyntaxTreeNode

    return SyntaxTreeNode(_tokens(text))


# ----------------------------------------------------------------------------------------
# Escaping by context
# ----------------------------------------------------------------------------------------

# Inline: characters that open emphasis, code, links, raw HTML, strikethrough or a
# table cell, and '#' (a heading at the start, a closing sequence at the end).
# '!' only matters before '[', and '>' only at the start of a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<|~#])")
# '&' only where it would start an entity ('&amp;', '&#60;').
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# At the start of a line: block syntax (lists, quotes, headings, setext underlines).


# At the start of a line: a list item ('1. ', '- '), a thematic break or setext underline
# ('---', '==='), a block quote. '2.1 Visie' and '-jarigen' stay as they are.
_ORDERED_MARKER = re.compile(r"([0-9]{1,9}[.)])(?:[ \t]|$)")
_BLOCK_START = re.compile(r">|[-+=](?![0-9A-Za-z])")


def escape_inline(text: str, *, line_start: bool) -> str:
    # A substitution with a template runs Python code per call even where nothing
    # matches; most pieces need no escape, and a search only tells whether it does.
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text) if _INLINE_SPECIAL.search(text) else text
    if "&" in escaped:
        escaped = _ENTITY.sub(r"\\&", escaped)
    if line_start:
        ordered = _ORDERED_MARKER.match(escaped)
        if ordered:  # '1. ' and '1) ' start an ordered list: escape the delimiter
            end = ordered.end(1)
            escaped = escaped[:end - 1] + "\\" + escaped[end - 1:]
        elif _BLOCK_START.match(escaped):
            escaped = "\\" + escaped
    return escaped


@lru_cache(maxsize=4096)  # names and labels of the SWV layer, printed for every school
def escape_markdown(text: str) -> str:
    """Plain text (names, titles) made literal in Markdown, on one line, without control,
    bidi or zero-width characters (see sopc.urls.INVISIBLE_IN_OUTPUT)."""
    plain = urls.INVISIBLE_IN_OUTPUT.sub("", " ".join(str(text).split()))
    return escape_inline(plain, line_start=True)


def table_cell(text: str) -> str:
    """Markdown already in inline form, made safe for a GFM table cell.

    The table splitter turns every backslash-pipe into a pipe before the inline
    parser runs (also inside code spans), so every pipe gets one backslash more."""
    return text.replace("|", "\\|")


def link_destination(url: str) -> str:
    """A URL as a Markdown link destination in pointy brackets."""
    return "<" + re.sub(r"([\\<>])", r"\\\1", url) + ">"


def markdown_link(url: str | None) -> str:
    """An address field in .md: a link when the URL policy allows it, else plain text."""
    if not url:
        return ""
    target = urls.address_link(url)
    if target is None:
        return escape_markdown(url)
    if target == url and _AUTOLINK_SAFE.fullmatch(url):
        return f"<{url}>"  # as the documents were written by hand
    return f"[{escape_markdown(url)}]({link_destination(target)})"


def code_span(content: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    if content.startswith("`") or content.endswith("`") or (
            content.startswith(" ") and content.endswith(" ") and content.strip()):
        content = f" {content} "
    return f"{fence}{content}{fence}"


def _code_fence(content: str, info: str) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    language = re.sub(r"[^0-9A-Za-z_+.#-]", "", info.split(" ")[0] if info else "")
    body = content[:-1] if content.endswith("\n") else content
    return [fence + language, *(body.split("\n") if content else []), fence]


# What may stand between '<' and '>' of an autolink (CommonMark: no spaces, controls, '<>').
_AUTOLINK_SAFE = re.compile(r"[^\x00-\x20\x7f<>\\]+")


def _escape_trailing_bang(out: list[str]) -> None:
    """A '!' just before a link would make it an image: escape it (an even number of
    backslashes before it means it is not escaped yet)."""
    if out and out[-1].endswith("!"):
        backslashes = len(out[-1][:-1]) - len(out[-1][:-1].rstrip("\\"))
        if backslashes % 2 == 0:
            out[-1] = out[-1][:-1] + "\\!"


# The written text of emphasis in three parts: the white space (not a line break) it
# starts with, the rest, the white space it ends with.
_EDGE_SPACES = re.compile(r"([^\S\n]*)(.*?)([^\S\n]*)", re.DOTALL)


def _last_written(out: list[str]) -> str | None:
    """The last piece in `out` that is not empty (markdown-it leaves empty text nodes
    where it took delimiters away), or None."""
    return next((piece for piece in reversed(out) if piece), None)


class _MarkdownWriter:
    """Writes a markdown-it syntax tree back as Markdown (see the module docstring)."""

    def __init__(self, *, one_line: bool = False, cell: bool = False) -> None:
        self.one_line = one_line
        # A table cell or a heading: written on one line, so a soft line break becomes a
        # space and a hard one '<br>' (see `to_markdown_cell`).
        self.single_line = cell

    def document(self, root: SyntaxTreeNode) -> str:
        if self.one_line:
            pieces = [piece for piece in self._flat(root) if piece]
            return " ".join(pieces)
        return "\n".join(self._blocks(root.children, tight=False)).strip("\n")

    # -- blocks: each gives a list of lines -------------------------------------------

    def _blocks(self, nodes: list[SyntaxTreeNode], *, tight: bool) -> list[str]:
        lines: list[str] = []
        for node in nodes:
            block = self._block(node, tight=tight)
            if not block:
                continue
            if lines and not tight:  # in a tight list item, a blank line would loosen it
                lines.append("")
            lines.extend(block)
        return lines

    def _block(self, node: SyntaxTreeNode, *, tight: bool) -> list[str]:
        kind = node.type
        if kind == "paragraph":
            return self._inline_lines(node.children[0]) if node.children else []
        if kind == "heading":
            level = int(node.tag[1:])
            # one line: a hard line break (a setext heading can hold one) becomes '<br>'
            outside, self.single_line = self.single_line, True
            try:
                text = "".join(self._inline_lines(node.children[0])) if node.children else ""
            finally:
                self.single_line = outside
            return [("#" * level + " " + text).rstrip()]
        if kind in ("bullet_list", "ordered_list"):
            return self._list(node)
        if kind == "blockquote":
            inner = self._blocks(node.children, tight=False)
            return [("> " + line).rstrip() for line in inner] or [">"]
        if kind in ("fence", "code_block"):
            return _code_fence(node.content, node.info if kind == "fence" else "")
        if kind == "hr":
            return ["***"]
        if kind == "table":
            return self._table(node)
        # html_block cannot occur (HTML is disabled); anything unknown is shown as text.
        return [escape_inline(" ".join(node.content.split()), line_start=True)]

    def _list(self, node: SyntaxTreeNode) -> list[str]:
        ordered = node.type == "ordered_list"
        number = int(str(node.attrs.get("start", 1))) if ordered else 0
        delimiter = (node.markup or ".") if ordered else (node.markup or "-")
        tight = all(paragraph.hidden for item in node.children for paragraph in item.children
                    if paragraph.type == "paragraph")
        lines: list[str] = []
        for item in node.children:
            marker = f"{number}{delimiter} " if ordered else f"{delimiter} "
            number += 1
            body = self._blocks(item.children, tight=tight)
            if lines and not tight:
                lines.append("")
            if not body:
                lines.append(marker.rstrip())
                continue
            indent = " " * len(marker)
            lines.append(marker + body[0])
            lines.extend((indent + line) if line else "" for line in body[1:])
        return lines

    def _table(self, node: SyntaxTreeNode) -> list[str]:
        rows: list[list[str]] = []
        aligns: list[str] = []
        outside = self.single_line
        self.single_line = True
        try:
            for section in node.children:
                for row in section.children:
                    cells = []
                    for cell in row.children:
                        if section.type == "thead":
                            style = str(cell.attrs.get("style", ""))
                            aligns.append(style.removeprefix("text-align:"))
                        text = " ".join(self._inline_lines(cell.children[0])) \
                            if cell.children else ""
                        cells.append(table_cell(text))
                    rows.append(cells)
        finally:
            self.single_line = outside
        delimiter = {"left": ":---", "right": "---:", "center": ":---:"}
        lines = ["| " + " | ".join(rows[0]) + " |",
                 "| " + " | ".join(delimiter.get(a, "---") for a in aligns) + " |"]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return lines

    # -- inline ---------------------------------------------------------------------------

    def _inline_lines(self, inline: SyntaxTreeNode) -> list[str]:
        out: list[str] = []
        self._inline(inline.children, out)
        return "".join(out).split("\n")

    def _inline(self, nodes: list[SyntaxTreeNode], out: list[str], label: bool = False
                ) -> None:
        """`nodes` written to `out`; `label`: `out` is a link's text, which starts after
        its '[' (escaped as a line's start all the same, as the fast path does)."""
        for node in nodes:
            kind = node.type
            written = _last_written(out)
            line_start = written is None or written.endswith("\n")
            if kind == "text":
                # invisible characters dropped before it is escaped; spaces they leave
                # at a line's start would indent it (a code block, a list)
                text = urls.visible(node.content)
                if line_start and (written is not None or not label):
                    text = text.lstrip(" \t")
                out.append(escape_inline(text, line_start=line_start))
            elif kind == "code_inline":
                out.append(code_span(node.content))
            elif kind == "softbreak":
                out.append(" " if self.single_line or self.one_line else "\n")
            elif kind == "hardbreak":  # kept: '<br>' where a line cannot end
                out.append("<br>" if self.single_line else "\\\n")
            elif kind in ("em", "strong", "s"):
                marker = {"em": "*", "strong": "**", "s": "~~"}[kind]
                opened = len(out)
                out.append(marker)
                self._inline(node.children, out, label)
                edges = _EDGE_SPACES.fullmatch("".join(out[opened + 1:]))
                assert edges is not None  # every text matches
                before, core, after = edges.groups()
                if core and not before and not after:
                    out.append(marker)
                    continue
                # An invisible character dropped at its edge left a space there (or all
                # there was): a marker beside a space opens or closes nothing ('* a*' at
                # a line's start is a list item). The spaces go outside the markers, and
                # away where a space or a line's start is before them.
                del out[opened:]
                written = _last_written(out)
                if written[-1].isspace() if written is not None else not label:
                    before = ""
                out.append(before + (marker + core + marker if core else "") + after)
            elif kind == "link":
                self._link(node, out)
            elif kind == "image":  # shown as its description (see sopc.urls)
                self._inline(node.children, out, label)
            else:  # html_inline cannot occur (HTML is disabled); show anything else as text
                out.append(escape_inline(urls.visible(node.content), line_start=line_start))

    def _link(self, node: SyntaxTreeNode, out: list[str]) -> None:
        href = str(node.attrs.get("href", ""))
        if urls.safe_link(href) is None:
            self._inline(node.children, out)
            return
        if node.markup == "autolink":  # keep '<https://…>' readable as it was written
            shown = "".join(child.content for child in node.children)
            if _AUTOLINK_SAFE.fullmatch(shown) and href in (shown, "mailto:" + shown):
                out.append(f"<{shown}>")
                return
        _escape_trailing_bang(out)
        label: list[str] = []
        self._inline(node.children, label, label=True)
        title = node.attrs.get("title")
        suffix = ""
        if title:
            suffix = ' "' + re.sub(r'(["\\])', r"\\\1", " ".join(str(title).split())) + '"'
        out.append(f"[{''.join(label)}]({link_destination(href)}{suffix})")

    def _flat(self, node: SyntaxTreeNode) -> list[str]:
        """One line: the inline content of every block, code blocks as code spans."""
        if node.type == "inline":
            out: list[str] = []
            self._inline(node.children, out)
            return ["".join(out)]
        if node.type in ("fence", "code_block"):
            return [code_span(" ".join(node.content.split()))]
        pieces = []
        for child in node.children:
            pieces.extend(self._flat(child))
        return pieces


# ----------------------------------------------------------------------------------------
# A text as a plain tree, for writers that are not Markdown or HTML (sopc.pdf, sopc.word)
# ----------------------------------------------------------------------------------------


def text_tree(text: str, anchors: Container[str] = ()) -> list[Any]:
    """A Markdown text field as a list of blocks: {"t": "p"|"h"|"ul"|"ol"|"quote"|"code"|
    "hr"|"table", ...}; inline content as strings and {"t": "strong"|"em"|"s"|"code"|"br"|
    "link", ...}. The same reading as the HTML's: a link the URL policy refuses, or to a
    '#anker' not among `anchors` (the document's sections), is its text; an image is its
    description; every string is without the characters no output carries."""
    if is_plain(text):
        return [{"t": "p", "c": [urls.visible(text)]}] if text else []
    return _TreeWriter(anchors).blocks(syntax_tree(text).children)


class _TreeWriter:
    def __init__(self, anchors: Container[str]) -> None:
        self.anchors = anchors

    def blocks(self, nodes: Sequence[SyntaxTreeNode]) -> list[Any]:
        out: list[Any] = []
        for node in nodes:
            kind = node.type
            if kind == "paragraph":
                out.append({"t": "p", "c": self.inline_of(node)})
            elif kind == "heading":
                # a heading without words ('#' alone) has nothing to show; PDF/UA forbids it
                if content := self.inline_of(node):
                    out.append({"t": "h", "level": int(node.tag[1:]), "c": content})
            elif kind in ("bullet_list", "ordered_list"):
                items = [self.blocks(item.children) for item in node.children]
                if kind == "ordered_list":
                    out.append({"t": "ol", "start": int(str(node.attrs.get("start", 1))),
                                "items": items})
                else:
                    out.append({"t": "ul", "items": items})
            elif kind == "blockquote":
                out.append({"t": "quote", "c": self.blocks(node.children)})
            elif kind in ("fence", "code_block"):
                out.append({"t": "code", "text": urls.visible(node.content.rstrip("\n"))})
            elif kind == "hr":
                out.append({"t": "hr"})
            elif kind == "table":
                out.append(self.table(node))
            else:  # html_block cannot occur (HTML is disabled): anything else as text
                out.append({"t": "p", "c": [urls.visible(" ".join(node.content.split()))]})
        return out

    def table(self, node: SyntaxTreeNode) -> dict[str, Any]:
        head: list[Any] = []
        rows: list[Any] = []
        for section in node.children:
            for row in section.children:
                cells = [self.inline_of(cell) for cell in row.children]
                if section.type == "thead":
                    head = cells
                else:
                    rows.append(cells)
        return {"t": "table", "head": head, "rows": rows}

    def inline_of(self, node: SyntaxTreeNode) -> list[Any]:
        return self.inline(node.children[0].children) if node.children else []

    def inline(self, nodes: Sequence[SyntaxTreeNode]) -> list[Any]:
        out: list[Any] = []
        for node in nodes:
            kind = node.type
            if kind == "text":
                out.append(urls.visible(node.content))
            elif kind == "softbreak":
                out.append(" ")
            elif kind == "hardbreak":
                out.append({"t": "br"})
            elif kind == "code_inline":
                out.append({"t": "code", "text": urls.visible(node.content)})
            elif kind in ("em", "strong", "s"):
                out.append({"t": kind, "c": self.inline(node.children)})
            elif kind == "link":
                target = urls.safe_link(str(node.attrs.get("href", "")))
                label = self.inline(node.children)
                if target is None or (target.startswith("#") and target[1:] not in self.anchors):
                    out.extend(label)
                else:
                    out.append({"t": "link", "href": target, "c": label})
            elif kind == "image":  # its description (the document loads nothing)
                out.extend(self.inline(node.children))
            else:
                out.append(urls.visible(node.content))
        return out


# ----------------------------------------------------------------------------------------
# Limits, checked at load
# ----------------------------------------------------------------------------------------

# Possessive quantifiers: a long run of spaces cannot make the match backtrack.
_DELIMITER_ROW = re.compile(r"[ >\t]*+(?:\|[ \t]*+)?:?-++:?[ \t]*+"
                            r"(?:\|[ \t]*+:?-++:?[ \t]*+)*+\|?[ \t]*+")
_QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?")
_LIST_MARKER = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)")


def text_problem(text: str) -> tuple[str, str] | None:
    """(code, Dutch message) when a text field is over a limit; None when it is fine.

    A linear scan, no parser: it runs at load for every text, so that `validate`
    reports what the build would refuse. The estimates err on the large side."""
    if len(text) > MAX_TEXT_CHARACTERS:
        return ("tekst-te-lang",
                f"de tekst heeft {dutch_number(len(text))} tekens; de grens is "
                f"{dutch_number(MAX_TEXT_CHARACTERS)}")
    if "-" in text and "|" in text:
        cells = _table_cells(text)
        if cells > MAX_TABLE_CELLS:
            return ("tabel-te-groot",
                    f"de tabellen in de tekst hebben samen ongeveer {dutch_number(cells)} "
                    f"cellen (rijen × kolommen); de grens is {dutch_number(MAX_TABLE_CELLS)}")
    # (counted only when there can be that many: most texts have a few dozen lines)
    lines = sum(1 for line in text.split("\n") if line.strip()) \
        if text.count("\n") >= MAX_LINES else 0
    if lines > MAX_LINES:
        # Each line can be a block of its own (a list item, a heading): the PDF's layout
        # time grows with their number (14,000 list items: more than 30 s).
        return ("tekst-te-veel-regels",
                f"de tekst heeft {dutch_number(lines)} regels; de grens is "
                f"{dutch_number(MAX_LINES)}")
    brackets = text.count("[")
    if brackets > MAX_LINK_BRACKETS:
        return ("tekst-te-veel-links",
                f"de tekst heeft {dutch_number(brackets)} vierkante haken '[' (links of "
                f"afbeeldingen); de grens is {dutch_number(MAX_LINK_BRACKETS)}")
    depth = _deepest_nesting(text)
    if depth > MAX_NESTING:
        return ("tekst-te-diep-genest",
                f"lijsten en citaten staan {depth} niveaus diep in elkaar; de grens is "
                f"{MAX_NESTING}")
    return None


def _table_cells(text: str) -> int:
    """Rows × columns of every table in the text, added up."""
    total = 0
    lines = text.split("\n")
    index = 1
    while index < len(lines):
        line = lines[index]
        if "-" in line and _DELIMITER_ROW.fullmatch(line.rstrip("\r")) and (
                "|" in line or "|" in lines[index - 1]):
            columns = max(_cells(line), _cells(lines[index - 1]))
            rows = 1
            index += 1
            while index < len(lines) and lines[index].strip():
                rows += 1
                columns = max(columns, _cells(lines[index]))
                index += 1
            total += rows * columns
        index += 1
    return total


def _cells(line: str) -> int:
    """The cells of a table row: '| a | b |' has two (outer pipes are optional)."""
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") else row
    return row.count("|") + 1


# A line that may open a block quote or a list item (after spaces and tabs): a text
# without one (most school texts) nests nothing, and needs no walk over its lines. The
# first line is matched, the others searched from their line end: `re` then skips from
# one '\n' to the next (a search for '^' tries every character).
_NESTING_LINE = r"[ \t]*(?:>|(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$))"
_NESTING_FIRST = re.compile(_NESTING_LINE, re.MULTILINE)
_NESTING_LATER = re.compile("\n" + _NESTING_LINE, re.MULTILINE)


def _may_nest(text: str) -> bool:
    return _NESTING_FIRST.match(text) is not None or _NESTING_LATER.search(text) is not None


def _deepest_nesting(text: str) -> int:
    """How deep lists and block quotes go: quotes counted per line, list items by the
    column their content starts at (an item is inside the one whose content column its
    marker reaches), as CommonMark nests them."""
    return _nesting_of_lines(text) if _may_nest(text) else 0


def _nesting_of_lines(text: str) -> int:
    deepest = 0
    open_items: list[int] = []  # content columns of the list items still open
    for line in text.split("\n"):
        rest = line.expandtabs(4)
        quotes = 0
        while found := _QUOTE.match(rest):
            if not quotes:  # a quote left of a list item's content is outside that item
                indent = len(rest) - len(rest.lstrip(" "))
                while open_items and open_items[-1] > indent:
                    open_items.pop()
            quotes += 1
            rest = rest[found.end():]
        deepest = max(deepest, quotes + len(open_items))
        if not rest.strip():
            continue
        column = len(rest) - len(rest.lstrip(" "))
        rest = rest[column:]
        marker = _LIST_MARKER.match(rest)
        if marker is None:
            if column == 0:  # roughly: an unindented paragraph ends the lists
                open_items.clear()
            deepest = max(deepest, quotes + len(open_items))
            continue
        while open_items and open_items[-1] > column:
            open_items.pop()
        while marker is not None:
            width = marker.end() if marker.group().endswith((" ", "\t")) else marker.end() + 1
            open_items.append(column + width)
            column += width
            rest = rest[marker.end():].lstrip(" ")
            marker = _LIST_MARKER.match(rest)
        deepest = max(deepest, quotes + len(open_items))
    return deepest
