from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st

from sopc.diagnostics import Span
from sopc.loader import Limits, load_bytes, load_text


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_values_stay_as_written() -> None:
    loaded = load_text("a: 00\nb: no\nc: 2021-07-20\nd: 1.10\ne: ja\nf: 06KG00\n", "t.yaml")
    assert loaded.data == {"a": "00", "b": "no", "c": "2021-07-20", "d": "1.10", "e": "ja",
                           "f": "06KG00"}


def test_plain_nulls_are_none_but_quoted_ones_are_text() -> None:
    loaded = load_text("a: ~\nb:\nc: 'null'\nd: null\n", "t.yaml")
    assert loaded.data == {"a": None, "b": None, "c": "null", "d": None}


def test_positions_of_keys_and_values() -> None:
    loaded = load_text("school:\n  naam: X\n  lijst:\n    - een\n    - twee\n", "t.yaml")
    assert loaded.source.keys[("school", "naam")] == Span(2, 3, 2, 7)
    assert loaded.source.values[("school", "naam")] == Span(2, 9, 2, 10)
    assert loaded.source.values[("school", "lijst", 1)].line == 5
    # A path with no span of its own falls back to its nearest ancestor.
    assert loaded.source.value_span(("school", "onbekend")).line == 2


def test_duplicate_key_reported_with_both_lines() -> None:
    loaded = load_text("a: 1\nb: 2\na: 3\n", "t.yaml")
    [diagnostic] = loaded.diagnostics
    assert diagnostic.code == "dubbele-sleutel"
    assert (diagnostic.span.line, diagnostic.span.col) == (3, 1)
    assert "eerder op regel 1" in diagnostic.message
    assert loaded.data == {"a": "1", "b": "2"}


def test_alias_bomb_is_stopped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    assert codes(load_text("\n".join(lines), "bomb.yaml")) == ["te-veel-aliassen"]


def test_merge_keys_and_aliases_expand() -> None:
    loaded = load_text("x: &basis {p: 1, q: 2}\ny:\n  <<: *basis\n  q: 3\n", "t.yaml")
    assert loaded.data == {"x": {"p": "1", "q": "2"}, "y": {"q": "3", "p": "1"}}


def test_depth_limit() -> None:
    text = "[" * 200 + "]" * 200
    assert codes(load_text(text, "diep.yaml")) == ["te-diep-genest"]


def test_size_limit() -> None:
    assert codes(load_bytes(b"a: b\n" * 100, "groot.yaml", Limits(max_bytes=100))) == [
        "bestand-te-groot"]


def test_python_tags_rejected() -> None:
    result = load_text("a: !!python/object:os.system ls\n", "t.yaml")
    assert codes(result) == ["yaml-tag"]
    assert "!!python/object:os.system" in result.diagnostics[0].message


def test_encodings() -> None:
    latin = load_bytes("naam: Oceanië\n".encode("cp1252"), "t.yaml")
    assert codes(latin) == ["codering"]
    assert "Windows-1252" in latin.diagnostics[0].message
    assert latin.diagnostics[0].span.line == 1
    assert codes(load_bytes("naam: x\n".encode("utf-16"), "t.yaml")) == ["codering"]
    assert codes(load_bytes("naam: x\n".encode("utf-16-le"), "t.yaml")) == ["codering"]
    bom = load_bytes(codecs.BOM_UTF8 + "naam: ë\r\n".encode(), "t.yaml")
    assert bom.data == {"naam": "ë"} and not bom.diagnostics


def test_documents_and_shapes() -> None:
    assert codes(load_text("", "t.yaml")) == ["leeg-bestand"]
    assert codes(load_text("- a\n", "t.yaml")) == ["geen-mapping"]
    assert codes(load_text("gewoon tekst", "t.yaml")) == ["geen-mapping"]
    assert codes(load_text("a: 1\n---\nb: 2\n", "t.yaml")) == ["meerdere-documenten"]


def test_syntax_error_position_and_dutch_message() -> None:
    result = load_text("school:\n  naam: a: b\n", "t.yaml")
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "yaml-syntax"
    assert diagnostic.span.line == 2
    assert "aanhalingstekens" in diagnostic.message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_data_or_diagnostics(raw: bytes) -> None:
    result = load_bytes(raw, "x.yaml")
    assert result.data is not None or result.diagnostics
    for diagnostic in result.diagnostics:
        assert diagnostic.span.line >= 1 and diagnostic.span.col >= 1


yaml_ish = st.text(alphabet=st.sampled_from(list("ab: -[]{}&*!|>'\"#\n\t~,?%@`\\0é")),
                   max_size=200)


@settings(max_examples=400, deadline=None)
@given(yaml_ish)
def test_random_yaml_text_gives_data_or_diagnostics(text: str) -> None:
    result = load_text(text, "x.yaml")
    assert result.data is None or isinstance(result.data, dict)
    assert result.data is not None or result.diagnostics
