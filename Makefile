# Two commands on a fresh machine: `make release` and `make test`.
# Each (re)creates .venv from pyproject.toml when it is missing or stale.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
VERSION ?= 1.1.0
SEEDS  ?= seeds
DIST   ?= dist
KEY_FILE ?= $(CORPUS_PSEUDONYM_KEY_FILE)

.PHONY: venv release validate test lint eval-parse eval-anonymise eval-language bench bench-dedupe bench-parse bench-pipeline bench-anonymise clean

venv: $(STAMP)

# The stamp is older than pyproject.toml when dependencies changed: rebuild.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

release: $(STAMP)
	$(PY) -m pipeline release --seeds $(SEEDS) --dist $(DIST) --version $(VERSION) $(if $(KEY_FILE),--key-file $(KEY_FILE),)
	@$(PY) -m pipeline.docs.toplevel $(DIST) DATASHEET.md

validate: $(STAMP)
	@for d in $(DIST)/*/; do [ -d "$$d" ] || continue; $(PY) -m pipeline validate "$$d" || exit 1; done

test: $(STAMP)
	$(PY) -m ruff check pipeline tests
	$(PY) -m pytest
	@$(MAKE) --no-print-directory validate

lint: $(STAMP)
	$(PY) -m ruff check pipeline tests

eval-parse: $(STAMP)
	$(PY) -m pipeline.evaluation.parse

eval-anonymise: $(STAMP)
	$(PY) -m pipeline.evaluation.anonymise

# articles.language against the real pages' gold (../shared/real-pages by default).
REAL_PAGES ?= ../shared/real-pages
eval-language: $(STAMP)
	$(PY) -m pipeline.evaluation.language $(REAL_PAGES)

bench-dedupe: $(STAMP)
	$(PY) -m pipeline.bench.dedupe

bench-pipeline: $(STAMP)
	$(PY) -m pipeline.bench.pipeline

# Parse time of one page of 1,000 vs 20,000 comments (BENCH_PARSE_* settings: see the module).
bench-parse: $(STAMP)
	$(PY) -m pipeline.bench.parse_scaling

bench-anonymise: $(STAMP)
	$(PY) -m pipeline.bench.anonymise

# Figures, not tests: BENCH_MB=... sets the synthetic corpus sizes (default 100 MB and 1 GB).
bench: $(STAMP) bench-dedupe bench-parse bench-pipeline

clean:
	rm -rf build .pytest_cache .ruff_cache
