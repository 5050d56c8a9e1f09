from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sopc.diagnostics import Span
from sopc.loader import _LINE_BREAK, Limits, load_bytes, load_text


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
    assert loaded.source.key_span(("school", "naam")) == Span(2, 3, 2, 7)
    assert loaded.source.value_span(("school", "naam")) == Span(2, 9, 2, 10)
    assert loaded.source.value_span(("school", "lijst", 1)).line == 5
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


def test_a_merge_key_takes_only_mappings() -> None:
    result = load_text("a:\n  <<: x\n  b: 1\n", "t.yaml")
    assert codes(result) == ["yaml-syntax"]
    assert "'<<' moet verwijzen" in result.diagnostics[0].message


def test_every_value_an_alias_brings_in_counts_toward_the_limit() -> None:
    """The limit on values counts each container and text once, and an alias as all the
    values it stands for: exactly, for anchors on lists and on mappings alike."""
    for text, count in (("a: &a [x, y, z]\nb: [*a, *a]\n", 1 + 4 + 1 + 2 * 4),
                        ("a: &a {p: x, q: y}\nb: [*a, *a, *a]\n", 1 + 3 + 1 + 3 * 3),
                        ("a: &a\n  p: x\n  q: [y]\nb:\n  - *a\n", 1 + 4 + 1 + 4)):
        assert codes(load_text(text, "t.yaml", Limits(max_nodes=count))) == [], text
        assert codes(load_text(text, "t.yaml", Limits(max_nodes=count - 1))) == [
            "te-veel-aliassen"], text


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


# ----------------------------------------------------------------------------------------
# Text that YAML reads differently than it looks: ' #' and several lines without '|'
# ----------------------------------------------------------------------------------------

TEXT_SHAPE = {"commentaar-in-tekst", "tekst-zonder-blokteken"}


def shape_warnings(text: str) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.line, d.span.col) for d in load_text(text, "t.yaml").diagnostics
            if d.code in TEXT_SHAPE]


def test_one_space_before_hash_is_a_warning_at_the_hash() -> None:
    loaded = load_text("school:\n  omschrijving: Wij bieden groep #3 extra\n", "t.yaml")
    assert loaded.data == {"school": {"omschrijving": "Wij bieden groep"}}
    [warning] = loaded.diagnostics
    assert (warning.code, warning.severity.value) == ("commentaar-in-tekst", "warning")
    assert warning.span == Span(2, 34, 2, 42)  # '#3 extra'
    assert warning.path == ("school", "omschrijving")
    assert warning.message == ("alles na ' #' leest YAML als commentaar, dus '#3 extra' "
                               "valt weg")
    assert warning.hint is not None and "aanhalingstekens" in warning.hint
    # in a list, on the last line of a wrapped value, after a tab, after wide characters
    assert shape_warnings("l:\n  - x #y\n") == [("commentaar-in-tekst", 2, 7)]
    assert shape_warnings("a: een\n  twee #drie\n") == [("commentaar-in-tekst", 2, 8)]
    assert shape_warnings("a: b\t#c\n") == [("commentaar-in-tekst", 1, 6)]
    assert shape_warnings("é😀: ü😀 x #y\r\nb: c\u2028d: e #f\n") == [
        ("commentaar-in-tekst", 1, 10), ("commentaar-in-tekst", 3, 6)]
    long = load_text("a: b #" + "x" * 60 + "\n", "t.yaml").diagnostics[0].message
    assert "'#" + "x" * 39 + "…'" in long


def test_deliberate_comments_stay_silent() -> None:
    assert shape_warnings("a: b  # uitleg\nc: d          # uitleg\n") == []
    assert shape_warnings("a: # nog invullen\nb:\n") == []  # no value to lose
    assert shape_warnings("a: 'b' #c\nd: \"e\" #f\n") == []  # quoted: the text is whole
    assert shape_warnings("a: | #c\n  x #y\nb: > #c\n  z #w\n") == []  # '#' is text here
    assert shape_warnings("# kop\na: b\n# einde\nc: [d, e] # lijst\n") == []
    assert shape_warnings("a: groep#3\nb: 'x' #\n") == []


def test_several_lines_without_block_indicator_are_a_warning() -> None:
    loaded = load_text("teksten:\n  aanpak: Wij bieden\n    - extra leestijd\n"
                       "    - een rekenmaatje\n", "t.yaml")
    assert loaded.data == {"teksten": {"aanpak": "Wij bieden - extra leestijd - een "
                                                 "rekenmaatje"}}
    [warning] = loaded.diagnostics
    assert (warning.code, warning.severity.value) == ("tekst-zonder-blokteken", "warning")
    assert warning.span == Span(2, 11, 4, 22)
    assert warning.path == ("teksten", "aanpak")
    assert warning.hint == ("schrijf 'aanpak: |' en zet de tekst ingesprongen op de regels "
                            "eronder")
    for text in ("a: een\n\n  twee\n", "a: een\n  * twee\n", "a: een\n  + twee\n",
                 "a: een\n  1. twee\n", "a: een\n  12) twee\n", "a: 'een\n\n  twee'\n",
                 'a: "een\n  # Kop\n  twee"\n', "a: 'een\n  - twee'\n",
                 "a: \"een\n   \t\n  twee\"\n"):
        assert shape_warnings(text) == [("tekst-zonder-blokteken", 1, 4)], text
    item = load_text("- een\n\n  twee\n", "t.yaml").diagnostics[0]
    assert item.hint is not None and item.hint.startswith("schrijf '- |'")


def test_wrapped_sentences_and_written_line_breaks_stay_silent() -> None:
    assert shape_warnings("a: Een lange zin die alleen\n  over twee regels staat.\n") == []
    assert shape_warnings("a: 'Een zin\n  -jarigen en 2.1 Visie'\n") == []
    assert shape_warnings("a: |\n  een\n\n  - twee\nb: >\n  een\n\n  twee\n") == []
    # '\n' written in double quotes keeps the line break: the list is kept
    assert shape_warnings('a: "Wij bieden:\\n\n  - lezen\\n\n\n  - rekenen"\n') == []
    assert shape_warnings('a: "een\\\\n\n  - twee"\n') == [("tekst-zonder-blokteken", 1, 4)]


def test_a_shape_warning_does_not_make_the_file_invalid() -> None:
    from sopc.validation import validate_loaded

    base = (Path(__file__).parent / "fixtures" / "invalid" / "text-shape.yaml")
    model, diagnostics = validate_loaded(load_bytes(base.read_bytes(), "text-shape.yaml"))
    assert model is not None
    assert {d.code for d in diagnostics} == TEXT_SHAPE


# Values as a user might write them: words, list markers, '#', quotes, blank lines.
value_text = st.lists(st.sampled_from(
    [*"ab #-*+1.):'\"\\\t", "é", "😀", "\u2028", "een", "- ", "1. ", "# ", "  "]),
    max_size=20).map("".join)


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(value_text, min_size=1, max_size=6),
       indicator=st.sampled_from(["|", "|-", "|+", "|2", ">", ">-"]),
       in_list=st.booleans())
def test_block_scalars_never_get_a_shape_warning(lines: list[str], indicator: str,
                                                 in_list: bool) -> None:
    body = "".join(f"    {line.replace(chr(0x2028), ' ')}\n" if line.strip() else "\n"
                   for line in lines)
    text = (f"l:\n  - {indicator}\n" if in_list else f"a:\n  b: {indicator}\n") + body
    loaded = load_text(text, "x.yaml")
    assert not {d.code for d in loaded.diagnostics} & TEXT_SHAPE, text


@settings(max_examples=400, deadline=None)
@given(value=value_text.filter(lambda v: "#" not in v),
       where=st.sampled_from(["a: {}\n", "a:\n  - {}\n", "a: [{}]\n", "a: x\nb: {}\n"]))
def test_one_line_values_without_hash_never_get_a_shape_warning(value: str, where: str) -> None:
    text = where.format(value.replace("\u2028", " "))
    assert not {d.code for d in load_text(text, "x.yaml").diagnostics} & TEXT_SHAPE, text


# Lines of a file as a user might write them, some with a comment after the value.
yaml_line = st.tuples(
    st.sampled_from(["", "", "  ", "    "]),
    st.sampled_from(["a: ", "b: ", "c: ", "- ", "", "a: '", 'b: "', "a: |"]),
    st.lists(st.sampled_from([*"ab -:#'\"[],", "é", "😀", "woord", "1. ", "  "]),
             max_size=8).map("".join),
    st.sampled_from(["", "", " #x", "  #x", "\t#x", " #"]),
    st.sampled_from(["\n", "\n", "\r\n", "\u2028", "\x85"]),
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(yaml_line, max_size=8).map("".join))
def test_shape_warnings_never_crash_and_point_at_their_text(text: str) -> None:
    loaded = load_text(text, "x.yaml")
    lines = _LINE_BREAK.split(text)
    for diagnostic in loaded.diagnostics:
        if diagnostic.code == "commentaar-in-tekst":
            line = lines[diagnostic.span.line - 1]
            assert line[diagnostic.span.col - 1] == "#", (text, diagnostic)
            assert line[diagnostic.span.col - 2] in " \t"
            assert line[diagnostic.span.col - 3] not in " \t"
        elif diagnostic.code == "tekst-zonder-blokteken":
            assert diagnostic.span.end_line > diagnostic.span.line


def test_shipped_files_and_the_starter_have_no_shape_warning() -> None:
    from sopc.layers import PRESETS
    from sopc.scaffold import preset_layer, starter

    root = Path(__file__).resolve().parent.parent
    shipped = [*root.glob("examples/**/*.yaml"), *root.glob("sopc/presets/*.yaml")]
    assert len(shipped) >= 8
    for path in shipped:
        loaded = load_bytes(path.read_bytes(), str(path))
        assert loaded.data is not None
        assert not {d.code for d in loaded.diagnostics} & TEXT_SHAPE, path
    for preset in PRESETS:
        text = starter(preset_layer(preset), "school.schema.json")
        assert "# " in text  # it has comments: written with two spaces or more
        assert not {d.code for d in load_text(text, "school.yaml").diagnostics} & TEXT_SHAPE


def test_shape_warnings_with_the_pure_python_parser(monkeypatch) -> None:
    """The pure-Python parser (where libyaml is absent) counts a leading BOM in its marks,
    libyaml does not: the same warnings either way."""
    import yaml

    from sopc import loader

    texts = ["a: b #c\n", "\ufeffa: b #c\n", "a: een\n\n  twee\n", "\ufeffa: 'een\n  - twee'\n",
             "é😀: x\u2028b: y #z\n"]
    expected = [shape_warnings(text) for text in texts]
    assert all(expected)
    monkeypatch.setattr(loader, "_YamlLoader", yaml.SafeLoader)
    assert [shape_warnings(text) for text in texts] == expected


def test_a_control_character_is_a_diagnostic_with_the_pure_python_parser(monkeypatch) -> None:
    """Where libyaml is absent, the pure-Python reader checks the characters as the
    parser is made: a control character is still a diagnostic at its place, not a
    traceback (the review of the lazy source map found it)."""
    import yaml

    from sopc import loader

    monkeypatch.setattr(loader, "_YamlLoader", yaml.SafeLoader)
    loaded = load_text("school:\n  naam: De \x07Bel\n", "s.yaml")
    assert loaded.data is None
    assert codes(loaded) == ["yaml-syntax"]
    assert "stuurteken" in loaded.diagnostics[0].message
    assert loaded.diagnostics[0].span.line == 2


def test_bold_or_emphasis_at_the_start_of_a_value_says_to_quote_it() -> None:
    """'- **Dagritmekaarten** in elke groep.' is how schools write an aanpak; YAML reads
    the '*' as an alias. The message says so and what to do (a user trial found the
    bare 'na * wordt een naam verwacht' cryptic)."""
    for value in ("**Dagritmekaarten** in elke groep.", "*Plusklas* op woensdag."):
        loaded = load_text(f"aanpak:\n  - {value}\n", "s.yaml")
        assert codes(loaded) == ["yaml-syntax"]
        message = loaded.diagnostics[0].message
        assert "*nadruk*" in message and "aanhalingstekens" in message
        assert loaded.diagnostics[0].span.line == 2
