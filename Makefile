# cleaner: every target sets up .venv first (created and installed from pinned versions when
# missing or when pyproject.toml / constraints.txt changed; otherwise nothing is reinstalled).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint eval gate check-metric eval-order train-order train-noise bench clean-out help

help:
	@echo "make run     set up, then clean fixtures/inputs into out/"
	@echo "make test    set up, then lint, type-check and run the tests"
	@echo "make eval    set up, then score cleaner and baselines on ../shared/data"
	@echo "make gate    the quality gate alone (pinned subset, floors), with its table"
	@echo "make eval-order   score the order stage on shuffled held-out gold articles"
	@echo "make train-order  re-train the order model (cleaner/data/order_model.json)"
	@echo "make train-noise  re-train the text-mode line model (cleaner/data/text_model.json)"
	@echo "make bench   throughput, no-op re-run, peak memory and per-stage time"

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (set PYTHON=...)"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,bench,dask]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/cleaner clean fixtures/inputs --out out

lint: $(STAMP)
	$(BIN)/ruff check cleaner tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/python -m bench.eval
	$(BIN)/python -m bench.empty_pages
	$(BIN)/python -m bench.summary

gate: $(STAMP)
	$(BIN)/python -m pytest tests/gate -s

check-metric: $(STAMP)
	$(BIN)/python -m bench.check_metric

eval-order: $(STAMP)
	$(BIN)/python -m bench.order.evaluate

train-order: $(STAMP)
	$(BIN)/python -m bench.order.train

# scikit-learn and numpy are for training only: installed here, not by setup.
train-noise: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[train]'
	$(BIN)/python -m bench.textmode.train

bench: $(STAMP)
	$(BIN)/python -m bench.speed

clean-out:
	rm -rf out
