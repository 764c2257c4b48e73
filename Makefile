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

.PHONY: install run test eval calibrate tune bench lint format clean

install: $(STAMP)

# The CPU build of torch goes in first, pinned, so nothing later can pull a CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
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

# The shared dev set and the project's article sets, against the raw seed article; then the
# project's guide sets, against the shipped guide. The vague-message sets go to both.
VAGUE_SETS   := $(sort $(wildcard eval/vague-*.jsonl))
ARTICLE_SETS := $(SHARED)/eval/dev-questions.jsonl $(sort $(wildcard eval/article-*.jsonl)) \
	$(VAGUE_SETS)

eval: $(STAMP)
	@for questions in $(ARTICLE_SETS); do \
		echo "$(BIN)/rolebot eval --knowledge $(SEED) $$questions"; \
		$(BIN)/rolebot eval --knowledge $(SEED) $$questions || exit 1; \
	done
	@for questions in $(sort $(wildcard eval/guide-*.jsonl)) $(VAGUE_SETS); do \
		echo "$(BIN)/rolebot eval $$questions"; \
		$(BIN)/rolebot eval $$questions || exit 1; \
	done

# Refit the answer-or-decline model (bot/abstention.json) on the labelled sets the query adapter
# never saw, whose scores are those of new questions (the adapter's own training questions
# score higher): guide holdouts 1-11, the article set and article holdouts 6 and 9-19; and
# short, vague messages that are no question about a role, against both documents. Holdouts
# 20-25 and guide holdouts 12-21 fit nothing: they were sealed, then scored once.
CALIBRATION_SETS := eval/guide-holdout.jsonl \
	$(foreach n,2 3 4 5 6 7 8 9 10 11,eval/guide-holdout-$(n).jsonl) \
	$(foreach n,questions $(foreach k,6 9 10 11 12 13 14 15 16 17 18 19,holdout-$(k)), \
		$(SEED)=eval/article-$(n).jsonl) \
	eval/vague-calibration.jsonl $(SEED)=eval/vague-calibration.jsonl

calibrate: $(STAMP)
	$(BIN)/rolebot calibrate $(CALIBRATION_SETS)

# Refit the query adapter (embeddings/query_adapter.npz) on the guide set and article holdouts
# 1-5, 7 and 8, then the answer-or-decline model, whose scores the adapter moves. The article
# set, holdout 6 and the guide holdouts stay unseen by the adapter.
TUNE_SETS := eval/guide-questions.jsonl \
	$(foreach n,holdout holdout-2 holdout-3 holdout-4 holdout-5 holdout-7 holdout-8,$(SEED)=eval/article-$(n).jsonl)

tune: $(STAMP)
	$(BIN)/rolebot tune $(TUNE_SETS)
	$(MAKE) calibrate

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
