# Nordwind support assistant. A newcomer needs two targets: `make run` and `make test`.
SHELL := /bin/bash
PYTHON_BIN ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.setup-done
MODEL_STAMP := models/.trained
# schemathesis cannot share .venv with Rasa's pins (requirements/schemathesis.txt says why).
TOOLS_VENV := .venv-tools
TOOLS_STAMP := $(TOOLS_VENV)/.setup-done
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) $(shell find bot -name '*.py' 2>/dev/null)

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
export TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: help setup tools run serve train test test-unit test-integration test-browser test-faults eval eval-tone validate migrate bench clean lock soak

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

setup: $(STAMP)  ## create .venv with the pinned requirements (idempotent)

$(STAMP): requirements/lock.txt requirements/rasa.txt
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check pip==24.0
	# Rasa 3.6.21 and rasa-sdk 3.6.2 declare Python <3.11; they run on 3.11 (docs/setup.md).
	$(PIP) install -q --disable-pip-version-check --no-deps --ignore-requires-python -r requirements/rasa.txt
	$(PIP) install -q --disable-pip-version-check --prefer-binary --no-deps -r requirements/lock.txt
	touch $(STAMP)

tools: $(TOOLS_STAMP)  ## create .venv-tools with the pinned schemathesis (idempotent)

$(TOOLS_STAMP): requirements/schemathesis.txt
	test -x $(TOOLS_VENV)/bin/python || $(PYTHON_BIN) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install -q --disable-pip-version-check pip==24.0
	$(TOOLS_VENV)/bin/pip install -q --disable-pip-version-check --prefer-binary --no-deps -r requirements/schemathesis.txt
	touch $(TOOLS_STAMP)

lock:  ## re-resolve requirements/*.in into requirements/lock.txt (needs the package registry)
	$(PIP) install --prefer-binary -r requirements/rasa-runtime.in -r requirements/project.in
	$(PIP) freeze --exclude rasa --exclude rasa-sdk | grep -v '^-e' > requirements/lock.txt

train: $(MODEL_STAMP)  ## train the model if data, config or components changed

$(MODEL_STAMP): $(STAMP) $(TRAINING_INPUTS)
	$(RASA) train --fixed-model-name nordwind --out models
	touch $(MODEL_STAMP)

run: setup train migrate  ## set up, train if needed, serve everything on http://localhost:5005
	$(PY) -m handoff serve

serve: ## serve without checking setup or training
	$(PY) -m handoff serve

migrate: setup  ## apply database migrations (SQLite file by default, DATABASE_URL otherwise)
	$(PY) -m handoff migrate

validate: setup  ## rasa data validate
	$(RASA) data validate --fail-on-warnings

test: setup tools  ## the whole suite: unit, integration (SQLite, PostgreSQL, Redis, model), browser
	$(PY) -m pytest -q -p no:cacheprovider

test-unit: setup  ## only the fast unit tests
	$(PY) -m pytest -q -p no:cacheprovider tests/unit

test-integration: setup tools
	$(PY) -m pytest -q -p no:cacheprovider tests/integration

test-browser: setup
	$(PY) -m pytest -q -p no:cacheprovider tests/browser

test-faults: setup  ## the fault tests alone (they are part of make test too)
	$(PY) -m pytest -q -p no:cacheprovider -m faults tests/faults

eval: setup train  ## held-out NLU accuracy/macro-F1 and test stories
	$(PY) -m bot.evaluate --model models/nordwind.tar.gz

eval-tone: setup  ## tone scorer on the held-out tone set (and ../shared/data when present)
	$(PY) -m bot.tone.evaluate

soak: setup  ## 10 minutes of steady widget traffic against the app: errors, ack latency, RSS over time
	$(PY) -m tests.faults.soak --minutes $${SOAK_MINUTES:-10}

bench: setup train  ## benchmarks, report in bench/results/
	$(PY) -m bench

clean:  ## remove models and local databases (keeps .venv)
	rm -rf models var .pytest_cache
