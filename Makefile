# rootout — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint fmt eval bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

REPORT ?= build/executive-report.html

# The main job, on the embedded default store (SQLite in the user data folder):
# check the catalog, scan this machine, scan the synthetic Example Agency estate,
# open removal cases, and write the executive report. `rootout scan` exits 2 when a
# collector source could not be read (listed in its output); that does not stop the run.
run: $(STAMP)
	$(BIN)/rootout catalog lint
	$(BIN)/rootout scan --no-assets || [ $$? -eq 2 ]
	$(BIN)/rootout scan examples/estate/inputs --no-assets
	$(BIN)/rootout case open --auto
	@mkdir -p $(dir $(REPORT))
	$(BIN)/rootout report --format html -o $(REPORT)
	@echo "next: open $(REPORT); 'rootout findings', 'rootout explain ID', 'rootout case list', 'rootout report --format far-52.204-23'"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench examples
	$(BIN)/ruff format --check src tests bench examples
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff check --fix src tests bench examples
	$(BIN)/ruff format src tests bench examples

eval: $(STAMP)
	$(BIN)/python -m tests.eval
	$(BIN)/python -m tests.procurement.eval
	$(BIN)/python -m tests.suppliers.eval

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
