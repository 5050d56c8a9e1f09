"""DUO's list of school locations: the reader, the snapshot in the package, `sopc new
--vestiging`, the content check, the settings, and that nothing reads it unasked."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, run_cli
from hypothesis import given
from hypothesis import strategies as st

from sopc import duo

DOWNLOAD = FIXTURES / "duo" / "vestigingen.csv"  # five rows of DUO's file, bytes as served
sys.path.insert(0, str(ROOT / "tools"))
from duo_snapshot import snapshot_bytes  # noqa: E402

MINIMAL = ("sopc: 1\nswv: ppo-nk\nschool:\n  naam: Test\n  brin: 12AB\n  vestiging: '00'\n"
           "sop:\n  schooljaar: 2021-2022\n")
HEUVEL = duo.Location("06KG00", "Basisschool Op de Heuvel", "Ericastraat", "39", "6561 VX",
                      "GROESBEEK", "BERG EN DAL", "Rooms-Katholiek", "42486", "0243972412",
                      "www.bs-opdeheuvel.nl")


# -- reading ------------------------------------------------------------------------------

def test_the_download_as_duo_serves_it() -> None:
    """Windows-1252, CRLF, ';': names with DUO's typographic apostrophe come through."""
    listed = duo.read_list(DOWNLOAD)
    assert sorted(listed.locations) == ["03WU00", "04JI00", "05OC00", "06KG00", "32JK00"]
    assert listed.get("06KG00") == HEUVEL
    assert listed.get("05OC00").name == "Dalton Kindcentrum ’t Kompas"  # type: ignore[union-attr]
    assert listed.source == str(DOWNLOAD)


def _as_comma_utf8(text: str, bom: bool) -> bytes:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


@pytest.mark.parametrize("bom", [False, True])
def test_the_comma_separated_utf8_variant(tmp_path: Path, bom: bool) -> None:
    converted = tmp_path / "vestigingen.csv"
    converted.write_bytes(_as_comma_utf8(DOWNLOAD.read_bytes().decode("cp1252"), bom))
    assert duo.read_list(converted).locations == duo.read_list(DOWNLOAD).locations


def test_old_column_names(tmp_path: Path) -> None:
    text = DOWNLOAD.read_bytes().decode("cp1252")
    header, _, rest = text.partition("\r\n")
    header = header.replace("INSTELLINGSCODE", "BRIN NUMMER").replace("VESTIGINGSCODE",
                                                                      "VESTIGINGSNUMMER")
    old = tmp_path / "oud.csv"
    old.write_bytes(f"{header}\r\n{rest}".encode("cp1252"))
    assert duo.read_list(old).locations == duo.read_list(DOWNLOAD).locations
    # older files may give only the two digits of the location
    short = tmp_path / "kort.csv"
    short.write_bytes(f"{header}\r\n{rest}".replace(";06KG00;", ";00;").encode("cp1252"))
    assert duo.read_list(short).get("06KG00") == HEUVEL


@pytest.mark.parametrize(("content", "message"), [
    (b"", "het bestand is leeg"),
    (b"PROVINCIE;NAAM;PLAATS\r\nGelderland;x;y\r\n", "de kolom VESTIGINGSCODE (of "
                                                      "VESTIGINGSNUMMER) ontbreekt"),
    (b"zomaar wat tekst\n", "geen lijst met kolommen"),
    (b"VESTIGINGSCODE;VESTIGINGSNAAM;PLAATSNAAM\r\n06KG00;A;B\r\nXYZ;C;D\r\n",
     "regel 3: 'XYZ' is geen vestigingscode"),
    (b"VESTIGINGSCODE;VESTIGINGSNAAM;PLAATSNAAM\r\n", "geen enkele vestiging"),
    (b"\x1f\x8b\x08\x00", "ingepakt (gzip)"),
])
def test_a_malformed_file_is_a_clear_error(tmp_path: Path, content: bytes, message: str
                                           ) -> None:
    bad = tmp_path / "lijst.csv"
    bad.write_bytes(content)
    with pytest.raises(duo.DuoError, match=message.replace("(", r"\(").replace(")", r"\)")):
        duo.read_list(bad)


def test_a_malformed_download_stops_validate_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "lijst.csv"
    bad.write_bytes(b"a;b;c\r\n1;2;3\r\n")
    school = tmp_path / "school.yaml"
    school.write_text(MINIMAL,
                      encoding="utf-8")
    result = run_cli("validate", str(school), "--duo", str(bad))
    assert result.code == 2
    assert "lijst.csv: de kolom VESTIGINGSCODE" in result.err
    missing = run_cli("validate", str(school), "--duo", str(tmp_path / "weg.csv"))
    assert missing.code == 2 and "de lijst van DUO" in missing.err and "bestaat niet" in \
        missing.err


# -- the snapshot ---------------------------------------------------------------------------

def test_the_snapshot_holds_the_national_list_with_its_date() -> None:
    listed = duo.snapshot()
    assert listed.source == "stand april 2026"
    assert listed.get("06KG00") == HEUVEL
    assert len(listed.locations) == 6107
    assert [location.code for location in listed.of_brin("06KG")] == ["06KG00"]
    assert listed.get("06KG01") is None and listed.get("nonsense") is None
    # the text search and the parsed table agree
    assert all(listed.get(code) == location for code, location in
               list(listed.locations.items())[::97])


def test_the_snapshot_is_made_reproducibly() -> None:
    first = snapshot_bytes(DOWNLOAD, "april 2026")
    assert first == snapshot_bytes(DOWNLOAD, "april 2026")
    about, columns, *rows = first.decode("utf-8").splitlines()
    assert about.startswith("# DUO, Alle schoolvestigingen") and "stand april 2026" in about
    assert columns.startswith("VESTIGINGSCODE\tVESTIGINGSNAAM")
    assert len(rows) == 5 and rows == sorted(rows)
    # the snapshot in the package has the same form
    shipped = (ROOT / "sopc" / "data" / duo.SNAPSHOT).read_bytes().decode("utf-8")
    assert shipped.splitlines()[1] == columns and shipped.endswith("\n")
    assert "\r" not in shipped  # .gitattributes keeps Windows line ends out


def test_the_snapshot_ships_in_the_package() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"sopc.data" = ["*.tsv"]' in pyproject


def test_neither_version_nor_validate_of_another_school_type_reads_it(tmp_path: Path) -> None:
    """DUO's list is read only when a check or `sopc new` needs it."""
    school = tmp_path / "vo.yaml"
    school.write_text(MINIMAL
                      .replace("school:\n", "school:\n  onderwijstype: Voortgezet onderwijs\n",
                               1), encoding="utf-8")
    probe = ("import sys\nfrom sopc.cli import main\n"
             "for arguments in (['--version'], ['validate', '-q', sys.argv[1]]):\n"
             "    sys.argv = ['sopc', *arguments]\n"
             "    try:\n        main()\n    except SystemExit:\n        pass\n"
             "    print('duo gelezen:', 'sopc.duo' in sys.modules, file=sys.stderr)\n")
    shown = subprocess.run([sys.executable, "-c", probe, str(school)], capture_output=True,
                           text=True, check=True, cwd=tmp_path)
    assert shown.stderr.splitlines() == ["duo gelezen: False"] * 2, shown.stderr


# -- sopc new --vestiging -------------------------------------------------------------------

def test_new_fills_in_the_school_from_duo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("new", "school.yaml", "--vestiging", "06KG00").code == 0
    text = (tmp_path / "school.yaml").read_text(encoding="utf-8")
    school = yaml.safe_load(text)["school"]
    assert school == {
        "naam": "Basisschool Op de Heuvel", "brin": "06KG", "vestiging": "00",
        "onderwijstype": "Basisonderwijs (BAO)", "denominatie": "Rooms-Katholiek",
        "bestuur": "Stichting Voorbeeld", "bevoegd_gezag": "42486", "plaats": "Groesbeek",
        "gemeente": "Berg en Dal", "adres": "Ericastraat 39, 6561 VX Groesbeek",
        "telefoon": "0243972412", "website": "https://www.bs-opdeheuvel.nl"}
    assert "# uit de lijst van DUO (stand april 2026)" in text
    result = run_cli("validate", "--format", "json", "school.yaml")
    codes = {d["code"] for f in json.loads(result.out)["files"] for d in f["diagnostics"]}
    assert result.code == 0 and codes <= {"voorbeeldtekst", "instemming-ontbreekt"}, codes


def test_new_takes_any_spelling_of_the_code_and_a_download(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    assert run_cli("new", str(target), "--vestiging", " 06kg00 ", "--duo",
                   str(DOWNLOAD)).code == 0
    assert f"# uit de lijst van DUO ({DOWNLOAD})" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(("code", "message"), [
    ("06KG01", "vestiging 06KG01 staat niet in de lijst van DUO (stand april 2026); bedoelde "
               "u 06KG00 (Basisschool Op de Heuvel, Groesbeek)?"),
    ("6KG", "'6KG' is geen vestigingscode: vier tekens BRIN en twee cijfers, zoals 06KG00"),
])
def test_new_with_an_unknown_code_writes_nothing(tmp_path: Path, code: str, message: str
                                                 ) -> None:
    result = run_cli("new", str(tmp_path / "x.yaml"), "--vestiging", code)
    assert result.code == 2 and message in " ".join(result.err.split())
    assert not (tmp_path / "x.yaml").exists()


def test_new_in_a_schools_repository_keeps_its_swv_layer(tmp_path: Path) -> None:
    import shutil

    repository = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "schools-repo", repository)
    target = repository / "scholen" / "op-de-heuvel.yaml"
    assert run_cli("new", str(target), "--vestiging", "06KG00").code == 0
    text = target.read_text(encoding="utf-8")
    assert "swv:" not in text.split("school:")[0].split("sopc: 1")[1]  # sopc.toml's layer
    assert "naam: Basisschool Op de Heuvel" in text


# -- the check ------------------------------------------------------------------------------

def _school(tmp_path: Path, name: str, code: str, kind: str = "Basisonderwijs (BAO)") -> Path:
    text = MINIMAL
    data = yaml.safe_load(text)
    data["school"].update({"naam": name, "brin": code[:4], "vestiging": code[4:],
                           "onderwijstype": kind})
    path = tmp_path / "school.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _duo_diagnostics(path: Path, *options: str) -> list[dict[str, object]]:
    result = run_cli("validate", "--format", "json", str(path), *options)
    return [d for f in json.loads(result.out)["files"] for d in f["diagnostics"]
            if d["code"] in ("onbekende-vestiging", "andere-naam-bij-duo")]


def test_a_misspelt_name_gets_the_duo_name_as_hint(tmp_path: Path) -> None:
    [found] = _duo_diagnostics(_school(tmp_path, "Basisschool Op de Heuevl", "06KG00"))
    assert found["code"] == "andere-naam-bij-duo" and found["severity"] == "warning"
    assert found["path"] == "school.naam"
    assert found["hint"] == ("bij DUO heet deze vestiging 'Basisschool Op de Heuvel'; klopt "
                             "de naam of de BRIN-code niet?")


@pytest.mark.parametrize("name", ["Basisschool Op de Heuvel", "BS Op de Heuvel",
                                  "basisschool op de heuvel", "RKBS Op de Heuvel",
                                  "Op de Heuvel", "Basisschool Op De Heuvel."])
def test_the_usual_ways_of_writing_the_name_are_the_same_name(tmp_path: Path, name: str
                                                              ) -> None:
    assert _duo_diagnostics(_school(tmp_path, name, "06KG00")) == []


def test_a_closed_or_unknown_location_is_reported(tmp_path: Path) -> None:
    [closed] = _duo_diagnostics(_school(tmp_path, "Basisschool Op de Heuvel", "06KG01"))
    assert closed["code"] == "onbekende-vestiging" and closed["path"] == "school.brin"
    assert closed["message"] == ("BRIN en vestiging 06KG01 staan niet in de lijst van DUO "
                                 "(stand april 2026): de vestiging is gesloten, nieuw, of de "
                                 "code klopt niet")
    assert closed["hint"] == "onder 06KG kent DUO: 06KG00 (Basisschool Op de Heuvel)"
    [unknown] = _duo_diagnostics(_school(tmp_path, "Nergensschool", "99ZZ00"))
    assert "een nieuwere lijst van DUO geeft u met --duo" in str(unknown["hint"])


def test_other_school_types_and_the_placeholder_brin_are_not_checked(tmp_path: Path) -> None:
    assert _duo_diagnostics(_school(tmp_path, "X", "99ZZ00", "Speciaal basisonderwijs")) == []
    assert _duo_diagnostics(_school(tmp_path, "X", "99ZZ00", "Voortgezet onderwijs")) == []
    assert _duo_diagnostics(_school(tmp_path, "X", "00AA00")) == []


def test_settings_choose_the_list_or_switch_the_check_off(tmp_path: Path) -> None:
    school = _school(tmp_path, "Basisschool Op de Heuvel", "32JK00")
    [other] = _duo_diagnostics(school)
    assert "'BBS de Verwondering'" in str(other["hint"])
    settings = tmp_path / "sopc.toml"
    settings.write_text("[sopc]\nduo = false\n", encoding="utf-8")
    assert _duo_diagnostics(school) == []
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "lijst.csv").write_bytes(
        DOWNLOAD.read_bytes().replace(b"BBS de Verwondering", b"Basisschool Op de Heuvel"))
    settings.write_text('[sopc]\nduo = "data/lijst.csv"\n', encoding="utf-8")
    assert _duo_diagnostics(school) == []
    # --duo goes before the settings
    assert len(_duo_diagnostics(school, "--duo", str(DOWNLOAD))) == 1
    settings.write_text("[sopc]\nduo = 3\n", encoding="utf-8")
    result = run_cli("validate", str(school))
    assert result.code == 2 and "'duo' moet een pad naar de lijst van DUO zijn" in result.err


def test_a_changed_download_makes_the_build_check_again(tmp_path: Path) -> None:
    school = _school(tmp_path, "Basisschool Op de Heuvel", "32JK00")
    listed = tmp_path / "lijst.csv"
    listed.write_bytes(DOWNLOAD.read_bytes())
    (tmp_path / "sopc.toml").write_text('[sopc]\nduo = "lijst.csv"\n', encoding="utf-8")
    first = run_cli("build", str(school), "-o", str(tmp_path / "uit"))
    assert "andere-naam-bij-duo" in first.out
    listed.write_bytes(DOWNLOAD.read_bytes().replace(b"BBS de Verwondering",
                                                     b"Basisschool Op de Heuvel"))
    again = run_cli("build", str(school), "-o", str(tmp_path / "uit"))
    assert "andere-naam-bij-duo" not in again.out


# -- names ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("duo_spelling", "dutch"), [
    ("GROESBEEK", "Groesbeek"), ("BERG EN DAL", "Berg en Dal"),
    ("'S-HERTOGENBOSCH", "'s-Hertogenbosch"), ("DEN HAAG", "Den Haag"),
    ("ALTEVEER GEM NOORDENVELD", "Alteveer gem. Noordenveld"), ("2E EXLOERMOND", "2e Exloermond"),
    ("IJSSELSTEIN", "IJsselstein"), ("HARDINXVELD-GIESSENDAM", "Hardinxveld-Giessendam"),
    ("BERGEN OP ZOOM", "Bergen op Zoom"), ("'T ZANDT", "'t Zandt"), ("DE BILT", "De Bilt"),
    ("Den Helder", "Den Helder"),
])
def test_place_names_in_dutch_spelling(duo_spelling: str, dutch: str) -> None:
    assert duo.place_name(duo_spelling) == dutch


def test_no_place_in_the_national_list_stays_in_capitals() -> None:
    shown = {duo.place_name(location.place) for location in duo.snapshot().locations.values()}
    shown |= {duo.place_name(location.municipality)
              for location in duo.snapshot().locations.values()}
    shouting = sorted(name for name in shown for word in name.replace("-", " ").split()
                      if len(word) > 2 and word.isupper() and not set(word) <= set("IVX"))
    assert shouting == []


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ'- 2", max_size=40))
def test_place_name_only_changes_case(text: str) -> None:
    shown = duo.place_name(text)
    assert shown.replace("gem.", "gem").lower() == " ".join(text.split()).lower()
    assert duo.place_name(shown) == shown


def test_name_keys() -> None:
    assert duo.same_school_name("OBS De Linde", "Openbare Basisschool de Linde")
    assert duo.same_school_name("Kindcentrum ’t Kompas", "KC Het Kompas")
    assert not duo.same_school_name("De Linde", "De Eik")


def test_what_duo_filled_in_is_on_the_title_page(tmp_path: Path) -> None:
    """Nothing lost: gemeente, denominatie and the number of the bevoegd gezag are shown
    in the full SOP; the short versions keep only where the school is and how to reach it."""
    target = tmp_path / "school.yaml"
    assert run_cli("new", str(target), "--vestiging", "06KG00").code == 0
    build = run_cli("build", str(target), "-o", str(tmp_path / "uit"), "--profiel",
                    "volledig,ouders")
    assert build.code == 0, build.out + build.err
    full = (tmp_path / "uit" / "school.md").read_text(encoding="utf-8")
    for shown in ("Berg en Dal", "Rooms-Katholiek", "42486", "Ericastraat 39, 6561 VX Groesbeek",
                  "0243972412", "https://www.bs-opdeheuvel.nl"):
        assert shown in full, shown
    parents = (tmp_path / "uit" / "school.ouders.md").read_text(encoding="utf-8")
    assert "Ericastraat 39" in parents and "42486" not in parents
