"""`make screenshots`: pictures of the built examples, to look at them.

Builds both examples (HTML, Markdown, PDF; full SOP and parent version) into
build/, then writes PNGs to the folder given: every HTML at desktop and phone
width, and page 1 of every PDF (pdftoppm).
"""

from __future__ import annotations

import datetime
import subprocess
import sys
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
    report = sopc.build(examples, built, ("html", "md", "pdf"), today=datetime.date(2022, 3, 1),
                        profiles=("volledig", "ouders"))
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


if __name__ == "__main__":
    main()
