"""Make the DUO snapshot that ships in the package (sopc/data/duo-vestigingen-bo.tsv).

    python tools/duo_snapshot.py DUO-DOWNLOAD.csv --stand "april 2026"

Reads the download with sopc's own reader (any variant DUO serves), keeps only the
columns sopc uses, and writes them sorted by code as tab-separated UTF-8 with a first
line naming source and date: the same download always gives the same bytes (`make duo`
twice changes nothing). Plain text, not packed: unpacking cost every cold start 4 ms.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sopc.duo import FIELDS, SNAPSHOT, DuoError, read_list  # noqa: E402

TARGET = ROOT / "sopc" / "data" / SNAPSHOT


def snapshot_bytes(download: Path, stand: str) -> bytes:
    listed = read_list(download)
    lines = [f"# DUO, Alle schoolvestigingen in het basisonderwijs, stand {stand} "
             "(open onderwijsdata, CC-0)", "\t".join(COLUMN_NAMES)]
    for code in sorted(listed.locations):
        location = listed.locations[code]
        lines.append("\t".join(" ".join(getattr(location, field).split())
                               for field in FIELDS))
    text = "\n".join(lines) + "\n"
    return text.encode("utf-8")


# the header of the snapshot: DUO's current column names, so parse_list reads it as-is
COLUMN_NAMES = ("VESTIGINGSCODE", "VESTIGINGSNAAM", "STRAATNAAM", "HUISNUMMER-TOEVOEGING",
                "POSTCODE", "PLAATSNAAM", "GEMEENTENAAM", "DENOMINATIE",
                "BEVOEGD GEZAG NUMMER", "TELEFOONNUMMER", "INTERNETADRES")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("download", type=Path, help="DUO's CSV file as downloaded")
    parser.add_argument("--stand", required=True, help="the month of the download, e.g. "
                                                        "'april 2026'")
    parser.add_argument("-o", "--output", type=Path, default=TARGET)
    options = parser.parse_args()
    try:
        snapshot = snapshot_bytes(options.download, options.stand)
    except DuoError as error:
        print(error, file=sys.stderr)
        return 1
    options.output.write_bytes(snapshot)
    print(f"{options.output}: {len(snapshot) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
