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

# Refit the query adapter (embeddings/query_adapter.npz) on the answerable questions of every
# labelled set below, then the answer-or-decline model (bot/abstention.json) on all their
# questions, each scored by an adapter fitted without it (cross-fitted over 3 folds), so that
# the model judges scores like those of new questions. It keeps 98% of the answerable ones
# answered. The short, vague messages (no question about a role) go to both documents and
# only calibrate. Guide holdouts 27-29 are left out: written after the last fit, scored once.
GUIDE_FIT   := questions holdout $(foreach n,$(shell seq 2 26),holdout-$(n))
ARTICLE_FIT := questions holdout $(foreach n,$(shell seq 2 28),holdout-$(n))
TUNE_SETS := $(foreach n,$(GUIDE_FIT),eval/guide-$(n).jsonl) \
	$(foreach n,$(ARTICLE_FIT),$(SEED)=eval/article-$(n).jsonl) \
	eval/vague-calibration.jsonl $(SEED)=eval/vague-calibration.jsonl

tune: $(STAMP)
	$(BIN)/rolebot tune $(TUNE_SETS)

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
