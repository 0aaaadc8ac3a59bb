# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Both create .venv and install the project into it; nothing is installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-output

.PHONY: demo test lint types unit services install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/ringfence demo --out $(DEMO_DIR)

services:
	bash scripts/ensure-services.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: $(STAMP)
	$(BIN)/mypy --strict src

unit: $(STAMP)
	$(BIN)/pytest -q

test: $(STAMP) services lint types unit

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache

.PHONY: train-classifier evaluate-classifier

# Scam message classifier (docs/classify.md): rebuild corpus/messages.jsonl from the templates,
# then train the models shipped in src/ringfence/data/classify/ (deterministic; about 1 min,
# plus about 6 min the first time to compute the e5 embeddings cached in /tmp).
train-classifier: $(STAMP)
	$(BIN)/python corpus/build.py
	$(BIN)/python scripts/train_classifier.py

# Held-out split, blind set and UCI 5-fold cross-validation; writes corpus/evaluation.json.
evaluate-classifier: $(STAMP)
	$(BIN)/python scripts/evaluate_classifier.py
