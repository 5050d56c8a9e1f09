"""Hostile and broken input: every case a Dutch diagnostic, exit 1, no traceback, bounded.

Each case runs `sopc validate` as its own process under a 1 GiB memory limit and a
30 s time limit (tests/hostile/conftest.py) and checks the diagnostic sopc gives.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from processes import sopc_process

pytestmark = pytest.mark.slow  # real processes, a few seconds each

VALID = (Path(__file__).resolve().parents[2] / "examples" / "op-de-heuvel.yaml").read_text(
    encoding="utf-8").replace("swv: swv-po-stroomland.yaml", "swv: perspectief-op-school")
MINIMAL = ("sopc: 1\nswv: ppo-nk\nschool:\n  naam: Test\n  brin: 12AB\n  vestiging: '00'\n"
           "sop:\n  schooljaar: 2021-2022\n")


def alias_bomb() -> bytes:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines).encode()


def big_file() -> bytes:
    chunk = b"# " + b"x" * 1000 + b"\n"
    return b"sopc: 1\n" + chunk * (50 * 1024)  # about 50 MB


CASES: dict[str, tuple[bytes, str, int | None, str]] = {
    # name: (content, expected code, expected line or None, words in the message)
    # stopped where the expansion crosses the limit, long before a billion values
    "alias-bom": (alias_bomb(), "te-veel-aliassen", 6, "uitvouwen van aliassen"),
    "10000-diep": (b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", "te-diep-genest", 1,
                   "diep"),
    "50-mb": (big_file(), "bestand-te-groot", None, "grens"),
    "binaire-rommel": (bytes(range(256)) * 64, "codering", None, "tekstbestand"),
    "nul-bytes": (b"sopc: 1\nschool:\n  naam: A\x00B\n", "codering", 3, "NUL"),
    "utf16-met-bom": (codecs.BOM_UTF16_LE + MINIMAL.encode("utf-16-le"), "codering", None,
                      "UTF-16"),
    "utf16-zonder-bom": (MINIMAL.encode("utf-16-le"), "codering", None, "UTF-16"),
    "windows-1252": (MINIMAL.replace("Test", "Caf\u00e9 \u201cDe Ster\u201d").encode("cp1252"),
                     "codering", 4, "Windows-1252"),
    "latin-1": (MINIMAL.replace("Test", "Caf\u00e9").encode("latin-1"), "codering", 4,
                "Windows-1252"),
    "python-object-tag": (b"sopc: 1\nschool: !!python/object/apply:os.system ['echo hoi']\n",
                          "yaml-tag", 2, "!!python/object/apply:os.system"),
    "meerdere-documenten": (MINIMAL.encode() + b"---\n" + MINIMAL.encode(),
                            "meerdere-documenten", 9, "document"),
    "leeg": (b"", "leeg-bestand", None, "leeg"),
    "alleen-commentaar": (b"# nog niets\n", "leeg-bestand", None, "leeg"),
    "lijst": (b"- een\n- twee\n", "geen-mapping", 1, "mapping"),
    "scalar": (b"hallo\n", "geen-mapping", 1, "mapping"),
    "heel-lange-regel": (MINIMAL.replace("naam: Test", "naam: [" + "x, " * 200_000 + "]")
                         .encode(), "verkeerd-type", 4, "verwacht tekst"),
    "ongeldige-surrogaat": (MINIMAL.encode().replace(b"Test", b"T\xed\xa0\x80st"), "codering",
                            4, "surrogaat"),
    "onaf-bewerkt": (VALID[: len(VALID) // 2].rsplit("\n", 3)[0].encode() + b"\n  - \"open",
                     "yaml-syntax", None, ""),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_input_gives_a_clear_diagnostic(tmp_path: Path, name: str) -> None:
    content, code, line, words = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    outcome = sopc_process("validate", "--format", "parsable", str(path))
    assert outcome.code == 1, (outcome.out, outcome.err)
    assert "Traceback" not in outcome.err and "interne fout" not in outcome.err
    first = outcome.out.splitlines()[0]
    assert first.startswith(f"{path}:"), first
    assert first.endswith(f"[{code}]"), first
    if line is not None:
        assert first.startswith(f"{path}:{line}:"), first
    assert words in first, first
    assert len(first) < 400, "a diagnostic stays readable, however deep or long the input"
    assert outcome.seconds < 20
    assert 0 < outcome.peak_kib < 400 * 1024, f"{outcome.peak_kib} KiB"


@pytest.mark.parametrize(("name", "content"), [
    ("utf8-bom", codecs.BOM_UTF8 + VALID.encode()),
    ("crlf", VALID.replace("\n", "\r\n").encode()),
])
def test_accepted_variants(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    outcome = sopc_process("validate", "--format", "parsable", "--today", "2022-03-01",
                           str(path))
    # the example is valid; only the MR advice is missing (a warning)
    assert outcome.code == 0, outcome.out
    assert [line.rsplit(" ", 1)[-1] for line in outcome.out.splitlines()] == [
        "[mr-advies-ontbreekt]"]
