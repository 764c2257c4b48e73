# rolebot: `make run` and `make test` are all a new machine needs.
VENV    ?= .venv
PY      := $(VENV)/bin/python
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SHARED  ?= ../shared

# Slack tokens and other settings may live in an untracked .env file.
-include .env
export

# The model ships inside a Python package; never reach for a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test eval tune bench lint format clean

install: $(STAMP)

# The CPU build of torch goes in first, pinned, so nothing later can pull a CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	# Exports the bundled model to ONNX once (the default encoder; needs torch) and indexes the guide.
	$(BIN)/rolebot index
	touch $(STAMP)

run: $(STAMP)
	@if [ -n "$$SLACK_BOT_TOKEN$$SLACK_CLIENT_ID" ]; then \
		exec $(BIN)/rolebot serve; \
	else \
		echo "No SLACK_BOT_TOKEN set: starting the terminal chat on the shipped guide."; \
		exec $(BIN)/rolebot chat; \
	fi

test: $(STAMP)
	$(BIN)/pytest

SEED    := $(SHARED)/seed/pm-vs-tpm-article.txt

# One table per run: every corpus of eval/manifest.json, rolebot beside plain heading-prefixed
# cosine and BM25 on the same passages; first over all splits, then over the test split alone.
eval: $(STAMP)
	$(BIN)/rolebot eval --shared $(SHARED)
	$(BIN)/rolebot eval --shared $(SHARED) --split test

# Refit the query adapter (embeddings/query_adapter.npz) and the answer-or-decline model
# (bot/abstention.json) on train splits of eval/manifest.json; never on dev or test.

tune: $(STAMP)
	$(BIN)/rolebot tune --shared $(SHARED)

bench: $(STAMP)
	$(PY) -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .rolebot .pytest_cache .ruff_cache *.egg-info
