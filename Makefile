# The two commands of the README: `make demo` and `make test`. Both set up what they
# need themselves: a virtual environment in .venv with sopc, its PDF extra and its dev
# tools; `make test` also the Debian packages (Chromium, Java, LibreOffice) and the npm
# checkers (vnu-jar, axe-core) that the publication tests run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TOOLS := tools/node_modules/.installed

.PHONY: demo test system lint typecheck schemas golden bench screenshots clean duo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sopc build examples/ -o build/

test: $(STAMP) system $(TOOLS) lint typecheck
	$(BIN)/python -m pytest

system:
	bash tools/install-system-packages.sh

$(TOOLS): tools/package.json tools/package-lock.json
	cd tools && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(TOOLS)

screenshots: $(STAMP) system
	$(BIN)/python tools/screenshots.py build/screenshots

lint: $(STAMP)
	$(BIN)/ruff check sopc tests benchmarks tools

typecheck: $(STAMP)
	$(BIN)/mypy --strict sopc

schemas: $(STAMP)
	$(BIN)/sopc schema --soort school -o schemas/school.schema.json
	$(BIN)/sopc schema --soort swv -o schemas/swv.schema.json
	cp schemas/school.schema.json schemas/swv.schema.json examples/schools-repo/schemas/

golden: $(STAMP)
	SOPC_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py tests/test_validation.py \
		tests/test_docs_opbouw.py \
		tests/test_schools_repo.py tests/test_output.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet check-jsonschema  # for comparison only
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

# The DUO snapshot in sopc/data from a new download of "Alle schoolvestigingen in het
# basisonderwijs": make duo DUO=pad/naar/download.csv STAND="mei 2026"
duo: $(STAMP)
	$(BIN)/python tools/duo_snapshot.py "$(DUO)" --stand "$(STAND)"
