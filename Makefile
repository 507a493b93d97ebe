# Two entry points: `make run` (the meeting dashboards on the bundled sample meeting) and
# `make test` (the whole suite). Both create .venv/ and install what they need on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MEETING ?= sample_data/ninh-binh-co-quan-dang-2022
PORT   ?= 8866
HOST   ?= 0.0.0.0

.PHONY: run test analyst lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --compile-bytecode --python $(BIN)/python -e ".[dashboards,test]" \
	  || $(BIN)/python -m pip install -e ".[dashboards,test]"
	touch $@

run: $(STAMP)
	$(BIN)/thidua-rank serve $(MEETING) --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

analyst: $(STAMP)
	$(BIN)/thidua-rank analyst --browser

lint: $(STAMP)
	$(BIN)/ruff check thidua_rank tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
