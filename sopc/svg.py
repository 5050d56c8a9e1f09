"""Which SVG images sopc accepts: drawings that cost as much to draw as they are long.

An SVG can make its renderer do far more work than its size suggests, or reach out:
`<use>` copies an element (ten nested levels of ten copies are ten billion shapes from
2 KB), patterns, markers and symbols repeat content, an entity declaration expands text
("billion laughs"), `href` and `url(...)` can name files and web addresses, `<script>`
and `<foreignObject>` carry code and HTML. A logo needs none of that, so sopc refuses
it rather than trying to render it safely (rasterising would need an SVG engine when
the SWV layer is only validated, and would lose the sharp vector logo in the PDF).

What remains: shapes, paths, text, groups, gradients, clip paths and masks, referred to
only from inside the file (`url(#id)`, a gradient's `href="#id"`), one level deep. The
same rules apply to a logo when the SWV layer loads (`logo-fout` at the logo's line, so
`sopc validate` reports it) and to every SVG that reaches the PDF engine.

Parsed with expat from the standard library: no DTD, no entity, no external file is ever
read, because a DOCTYPE stops the parse before anything in it is processed.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from sopc.diagnostics import dutch_number

MAX_SVG_ELEMENTS = 5_000
MAX_SVG_DEPTH = 50

# Elements that repeat other content or load something: the ways an SVG multiplies work.
_REPEATING = {"use", "symbol", "pattern", "marker", "tref", "textpath", "mpath", "feimage",
              "image", "include", "filter"}
# Elements that carry code or other documents.
_ACTIVE = {"script", "foreignobject", "iframe", "object", "embed", "audio", "video",
           "handler", "listener", "canvas"}
_GRADIENTS = {"lineargradient", "radialgradient"}
_REFERABLE = _GRADIENTS | {"clippath", "mask"}  # what url(#id) may point at
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)


class _Refused(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def svg_problem(data: bytes) -> str | None:
    """None for an SVG sopc can draw safely, else a Dutch sentence saying why not."""
    try:
        _Checker().check(data)
    except _Refused as refused:
        return f"{refused.message} (regel {refused.line} van de SVG)"
    return None


class _Checker:
    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.depth = 0
        self.elements = 0
        self.kinds: dict[str, str] = {}  # id → element name
        # (referring element, target id, line, inside a clip path or mask)
        self.references: list[tuple[str, str, int, bool]] = []
        self.masking_depth: int | None = None  # depth of the clip path or mask we are in
        self.in_style = False
        self.stack: list[str] = []
        self.linked_gradients: set[str] = set()  # ids of gradients that refer to another

    def refuse(self, message: str) -> None:
        raise _Refused(message, self.parser.CurrentLineNumber)

    def check(self, data: bytes) -> None:
        parser = self.parser
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.ExternalEntityRefHandler = self._external
        parser.ProcessingInstructionHandler = self._instruction
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        try:
            parser.Parse(data, True)
        except expat.ExpatError as error:
            raise _Refused(f"de SVG is geen geldige XML ({expat.errors.messages[error.code]})",
                           error.lineno) from None
        if self.elements == 0:
            raise _Refused("de SVG bevat geen tekening", 1)
        for element, target, line, masking in self.references:
            kind = self.kinds.get(target)
            if kind is None:
                raise _Refused(f"<{element}> verwijst naar '#{target}', dat niet in de SVG "
                               "staat", line)
            # Gradients are leaves; a clip path or mask may not refer to another one,
            # and a gradient may take its colours from one that takes them from none.
            allowed = _GRADIENTS if element in _GRADIENTS or masking else _REFERABLE
            chained = element in _GRADIENTS and target in self.linked_gradients
            if kind not in allowed or chained:
                raise _Refused(f"<{element}> verwijst naar <{kind}>; in een logo mogen alleen "
                               "kleurverlopen, knip- en maskerpaden naar elkaar verwijzen, "
                               "één niveau diep", line)

    def _doctype(self, *_: object) -> None:
        self.refuse("de SVG heeft een DOCTYPE (met mogelijke entiteiten); haal die weg")

    def _entity(self, *_: object) -> None:
        self.refuse("de SVG declareert entiteiten; dat mag niet")

    def _external(self, *_: object) -> int:
        self.refuse("de SVG verwijst naar een extern bestand")
        return 0

    def _instruction(self, target: str, _: str) -> None:
        self.refuse(f"de SVG bevat een verwerkingsinstructie (<?{target} ...?>)")

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        name = tag.rsplit(" ", 1)[-1]
        lowered = name.lower()
        self.elements += 1
        self.depth += 1
        if self.elements == 1 and lowered != "svg":
            self.refuse(f"de SVG begint met <{name}> in plaats van <svg>")
        if self.elements > MAX_SVG_ELEMENTS:
            self.refuse(f"de SVG heeft meer dan {dutch_number(MAX_SVG_ELEMENTS)} elementen")
        if self.depth > MAX_SVG_DEPTH:
            self.refuse(f"de SVG is dieper genest dan {MAX_SVG_DEPTH} niveaus")
        if lowered in _REPEATING:
            self.refuse(f"de SVG gebruikt <{name}>, dat andere inhoud herhaalt of laadt; "
                        "dat mag niet in een logo (sla het logo op als platte tekening)")
        if lowered in _ACTIVE:
            self.refuse(f"de SVG bevat <{name}> (code of een ander document); dat mag niet "
                        "in een logo")
        self.stack.append(lowered)
        if lowered in ("clippath", "mask") and self.masking_depth is None:
            self.masking_depth = self.depth
        masking = self.masking_depth is not None
        element_id = attributes.get("id", "").strip()
        line = self.parser.CurrentLineNumber
        for qualified, value in attributes.items():
            attribute = qualified.rsplit(" ", 1)[-1].lower()
            if attribute.startswith("on"):
                self.refuse(f"de SVG bevat een script ({attribute}=...)")
            if attribute == "id":
                self.kinds[value.strip()] = lowered
            elif attribute == "href":
                if lowered not in _GRADIENTS or not value.strip().startswith("#"):
                    self.refuse(f"<{name}> verwijst met href naar '{value[:60]}'; in een logo "
                                "mag alleen een kleurverloop naar een ander verwijzen")
                self.references.append((lowered, value.strip()[1:], line, masking))
                self.linked_gradients.add(element_id)
            else:
                self._urls(lowered, value, line, masking)
        self.in_style = lowered == "style"

    def _urls(self, element: str, text: str, line: int, masking: bool) -> None:
        if "url(" not in text.lower() and "@import" not in text.lower():
            return
        if "@import" in text.lower():
            self.refuse("de SVG laadt een stijlblad (@import)")
        for match in _URL.finditer(text):
            target = match.group(2).strip()
            if not target.startswith("#"):
                self.refuse(f"de SVG verwijst naar '{target[:60]}' buiten het bestand")
            self.references.append((element, target[1:], line, masking))

    def _text(self, text: str) -> None:
        if self.in_style:
            self._urls("style", text, self.parser.CurrentLineNumber,
                       self.masking_depth is not None)

    def _end(self, _: str) -> None:
        if self.masking_depth == self.depth:
            self.masking_depth = None
        self.depth -= 1
        self.stack.pop()
        self.in_style = bool(self.stack) and self.stack[-1] == "style"
