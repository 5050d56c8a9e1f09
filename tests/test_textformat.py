from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sopc import textformat


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_plain_fast_path_matches_the_parser(text: str) -> None:
    if textformat.is_plain(text):
        assert textformat.to_html(text) == (textformat.parser().render(text) if text else "")
        assert textformat.to_html_inline(text) == textformat.parser().renderInline(text).strip()


def test_raw_html_is_escaped_in_markdown_output() -> None:
    text = "Zie <https://example.org> en <b>vet</b> maar `<code>` blijft."
    assert textformat.to_markdown(text) == \
        "Zie <https://example.org> en \\<b>vet\\</b> maar `<code>` blijft."


def test_links_with_script_scheme_are_dropped() -> None:
    html = textformat.to_html("[x](javascript:alert(1)) [y](https://example.org)")
    assert "<a href" in html and 'href="javascript' not in html


def test_escape_markdown() -> None:
    assert textformat.escape_markdown("a*b_c|d") == "a\\*b\\_c\\|d"
