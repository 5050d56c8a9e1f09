# The two commands of the README: `make demo` and `make test`. Both set up what they
# need themselves (a virtual environment in .venv with sopc and its dev tools).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck schemas golden bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sopc build examples/ -o build/

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check sopc tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict sopc

schemas: $(STAMP)
	$(BIN)/sopc schema --soort school -o schemas/school.schema.json
	$(BIN)/sopc schema --soort swv -o schemas/swv.schema.json
	cp schemas/school.schema.json schemas/swv.schema.json examples/schools-repo/schemas/

golden: $(STAMP)
	SOPC_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py tests/test_validation.py \
		tests/test_schools_repo.py tests/test_output.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet check-jsonschema  # for comparison only
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
