"""`make screenshots`: pictures of the built examples, to look at them.

Builds both examples (HTML, Markdown, PDF, Word; the full SOP, the parents' version
and the schoolgids chapter) into build/, then writes PNGs to the folder given: every
HTML at desktop and phone width (1280 and 375 px), page 1 of every PDF (pdftoppm), and
the pages of every Word file as LibreOffice prints it (the full SOP's first two).
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import WIDTHS, chromium, open_page, screenshot  # noqa: E402

import sopc  # noqa: E402


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/screenshots")
    built = ROOT / "build"
    examples = [ROOT / "examples" / "op-de-heuvel.yaml",
                ROOT / "examples" / "ppo-noord-kennemerland.yaml"]
    report = sopc.build(examples, built, ("html", "md", "pdf", "docx"),
                        today=datetime.date(2022, 3, 1),
                        profiles=("volledig", "ouders", "schoolgids"))
    outputs = [path for result in report.files for path in result.outputs]
    with chromium() as browser:
        for html in (p for p in outputs if p.suffix == ".html"):
            for label, width in WIDTHS.items():
                page = open_page(browser, html, width)
                print(screenshot(page, target / f"{html.stem}-{label}.png"))
                page.close()
    for pdf in (p for p in outputs if p.suffix == ".pdf"):
        stem = target / f"{pdf.stem}-pdf-pagina"
        stem.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(stem)], check=True)
        print(f"{stem}.png")
    word_pages([p for p in outputs if p.suffix == ".docx"], target)


def word_pages(files: list[Path], target: Path) -> None:
    """Each DOCX printed by LibreOffice (as a school opening it would see it), per page."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice ontbreekt (Debian: libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory() as folder:
        converted = Path(folder)
        subprocess.run([soffice, f"-env:UserInstallation={(converted / 'profiel').as_uri()}",
                        "--headless", "--convert-to", "pdf", "--outdir", str(converted),
                        *map(str, files)], check=True, capture_output=True)
        for docx in files:
            last = ["-l", "2"] if docx.stem.count(".") == 0 else []
            stem = target / f"{docx.stem}-word-pagina"
            subprocess.run(["pdftoppm", "-png", "-r", "80", *last,
                            str(converted / f"{docx.stem}.pdf"), str(stem)], check=True)
            for picture in sorted(target.glob(f"{stem.name}-*.png")):
                print(picture)


if __name__ == "__main__":
    main()
