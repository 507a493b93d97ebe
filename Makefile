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

# uv is tried first (about 9x faster) with the system's certificates (--native-tls: a
# company or school proxy's certificate is trusted as the browser trusts it); whatever it
# says goes to .venv/uv-install.log, and pip takes over silently. Only when pip fails too is
# anything printed (pip's error, and where uv's is).
$(STAMP): pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@{ $(BIN)/python -m pip install --quiet --disable-pip-version-check uv \
	     >$(VENV)/uv-install.log 2>&1 \
	   && $(BIN)/uv pip install --quiet --native-tls --compile-bytecode \
	     --python $(BIN)/python -e ".[dashboards,test]" >>$(VENV)/uv-install.log 2>&1; } \
	  || $(BIN)/python -m pip install --quiet --disable-pip-version-check \
	     -e ".[dashboards,test]" \
	  || { echo "cài đặt thất bại / install failed (uv: $(VENV)/uv-install.log)" >&2; exit 1; }
	@touch $@

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
