"""Every school-specific paragraph, bullet and table row of each reference SOP appears
in the built HTML and in the built Markdown (as a CommonMark/GFM reader sees it).

Reference lines are compared as fragments (the text export wrapped paragraphs at line
ends) with whitespace normalised. Lines that are layout artefacts of the export, and
facts that sopc holds as table data, are listed with a reason in
tests/fidelity/<name>.exceptions.txt and checked in their table form in <name>.extra.txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE_DIAGNOSTICS, EXAMPLES, example_diagnostics
from fidelity_check import listed, missing, reference_lines
from textextract import html_text, markdown_text, pdf_text

import sopc

CASES = [
    ("sop-op-de-heuvel-perspectief-op-school", "op-de-heuvel"),
    ("sop-ppo-noord-kennemerland-clusters", "ppo-noord-kennemerland"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("fidelity")
    assert example_diagnostics(sopc.build([EXAMPLES], output)) == EXAMPLE_DIAGNOSTICS
    return output


@pytest.mark.parametrize(("reference", "school"), CASES)
def test_reference_fully_in_html(built: Path, reference: str, school: str) -> None:
    text = html_text((built / f"{school}.html").read_text(encoding="utf-8"))
    absent = missing(reference, text)
    assert not absent, "missing from the HTML:\n" + "\n".join(absent)


@pytest.mark.parametrize(("reference", "school"), CASES)
def test_reference_fully_in_markdown(built: Path, reference: str, school: str) -> None:
    text = markdown_text((built / f"{school}.md").read_text(encoding="utf-8"))
    absent = missing(reference, text)
    assert not absent, "missing from the Markdown:\n" + "\n".join(absent)


@pytest.mark.parametrize(("reference", "school"), CASES)
def test_reference_fully_in_pdf(tmp_path: Path, reference: str, school: str) -> None:
    """The PDF (Typst) holds every line too, as pypdf reads its text."""
    report = sopc.build([EXAMPLES / f"{school}.yaml"], tmp_path, ("pdf",), keep_documents=True)
    doc = report.files[0].documents["volledig"]
    running = (f"{doc.school_name} ({doc.school_code}), {doc.place} "
               f"Schooljaar {doc.school_year} · {doc.swv_name}")
    text = pdf_text(tmp_path / f"{school}.pdf", running)
    absent = missing(reference, text, "pdf")
    assert not absent, "missing from the PDF:\n" + "\n".join(absent)
    for line in listed(reference, "pdf-exceptions"):  # there, only read in another order
        assert all(word in text for word in line.split()), line


@pytest.mark.parametrize(("reference", "school"), CASES)
def test_exceptions_are_real_reference_lines(reference: str, school: str) -> None:
    lines = set(reference_lines(reference))
    stale = [line for line in listed(reference, "exceptions") if line not in lines]
    assert not stale, f"exceptions that are not lines of the reference: {stale}"
    assert len(lines) > 100  # the reference was read at all
