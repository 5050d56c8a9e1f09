#!/usr/bin/env bash
# Debian packages the full test suite needs, installed only when missing:
#   chromium              axe-core accessibility checks and screenshots (via Playwright)
#   default-jre-headless  the Nu HTML Checker (vnu.jar) runs on Java
#   npm                   fetches vnu-jar and axe-core (tools/package.json)
#   poppler-utils         pdftoppm, for a picture of PDF page 1 (make screenshots)
#   fonts-dejavu-core     the font of Chromium and of the PDF (Typst) on a bare machine
#   libreoffice-writer-nogui  converts each built DOCX to PDF (tests/test_word.py)
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "missing Debian packages (${missing[*]}); install them as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
