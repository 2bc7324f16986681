# cleaner: every target sets up .venv first (created and installed from pinned versions when
# missing or when pyproject.toml / constraints.txt changed; otherwise nothing is reinstalled).
# Python 3.11 or newer; 3.11 is the reference (the pinned gate floors and the byte-reproducible
# training were made with it), `make test` also checks the wheel on 3.12 and 3.13.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# The stamp names the Python version: with another PYTHON the venv is made again instead of a
# venv of the wrong interpreter being reused.
PYVER  := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2]) if sys.version_info >= (3, 11) else None' 2>/dev/null)
STAMP  := $(VENV)/.installed-$(PYVER)

.PHONY: setup run test smoke-pythons distclean lint eval gate check-metric eval-order train-order train-noise bench clean-out help

help:
	@echo "make run     set up, then clean fixtures/inputs into out/"
	@echo "make test    set up, then lint, type-check, run the tests and check the wheel on 3.12/3.13"
	@echo "make distclean   remove the venv, out/, build/ and the caches"
	@echo "make eval    set up, then score cleaner and baselines on ../shared/data"
	@echo "make gate    the quality gate alone (pinned subset, floors), with its table"
	@echo "make eval-order   score the order stage on shuffled held-out gold articles"
	@echo "make train-order  re-train the order model and the splice scorers (cleaner/data/order_model.json, splice_model.json, splice_model_embed.json, sentence_model.json)"
	@echo "make train-noise  re-train the text-mode line model (cleaner/data/text_model.json)"
	@echo "make bench   whole-run speed against trafilatura (CPU and wall, interleaved), big pages, memory (~30 min)"

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYVER)" || { echo "need $(PYTHON), Python 3.11 or newer (or set PYTHON=python3.12, say)"; exit 2; }
	@if test -x $(BIN)/python && test "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$(PYVER)"; then \
		echo "$(VENV) was made by another Python: making it again with $(PYTHON)"; rm -rf $(VENV); fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,bench,dask,embed,warc]'
	@rm -f $(VENV)/.installed*
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/cleaner clean fixtures/inputs --out out

lint: $(STAMP)
	$(BIN)/ruff check cleaner tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest
	$(BIN)/python tests/smoke_pythons.py

# The built wheel on Python 3.12 and 3.13 (each one found on the machine): same outputs.
smoke-pythons: $(STAMP)
	$(BIN)/python tests/smoke_pythons.py

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
	$(BIN)/python -m bench.order.splice_train
	$(BIN)/python -m bench.order.splice_train --embed
	$(BIN)/python -m bench.order.sentence_train

# scikit-learn and numpy are for training only: installed here, not by setup.
train-noise: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[train]'
	$(BIN)/python -m bench.textmode.train

bench: $(STAMP)
	$(BIN)/python -m bench.speed

clean-out:
	rm -rf out

# Everything make and the tests build: the venv, out/, build/ (wheel and smoke venvs), caches.
distclean: clean-out
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
