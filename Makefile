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
export PYTHON_BIN

# Quiet by default: one line per step, the step's own output goes to var/log/make.log and is shown only when the
# step fails. VERBOSE=1 shows everything (and third-party warnings, see handoff/logs.py).
export VERBOSE ?= 0
STEP_LOG := var/log/make.log
STEP = @step() { name=$$1; shift; printf '%s\n' "$$name"; \
	if [ "$(VERBOSE)" = 1 ]; then "$$@"; return; fi; mkdir -p $(dir $(STEP_LOG)); \
	"$$@" >$(STEP_LOG) 2>&1 || { tail -n 25 $(STEP_LOG); \
	printf 'failed: %s (whole output in %s; VERBOSE=1 shows everything)\n' "$$name" $(STEP_LOG); return 1; }; }; step
PIP_QUIET := -q --disable-pip-version-check --no-input

.PHONY: help system-run system-test setup tools run screenshots serve train test test-unit test-integration test-browser test-faults eval eval-tone validate migrate bench clean lock soak

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

# What the machine itself must have (Python 3.11; for the tests the Debian packages of requirements/debian.txt and
# PostgreSQL and Redis running): installed once with apt-get as root, otherwise one line says what to install.
system-run:
	@bash requirements/system.sh run

system-test:
	@bash requirements/system.sh test

setup: system-run $(STAMP)  ## create .venv with the pinned requirements (idempotent)

$(STAMP): requirements/lock.txt requirements/rasa.txt
	$(STEP) "Python environment .venv ($(PYTHON_BIN))" bash -c 'test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)'
	$(STEP) "Installing pip 24.0" $(PIP) install $(PIP_QUIET) pip==24.0
	@# Rasa 3.6.21 and rasa-sdk 3.6.2 declare Python <3.11; they run on 3.11 (docs/setup.md).
	$(STEP) "Installing Rasa 3.6.21 (requirements/rasa.txt)" \
		$(PIP) install $(PIP_QUIET) --no-deps --ignore-requires-python -r requirements/rasa.txt
	$(STEP) "Installing the pinned requirements (requirements/lock.txt, about 2.5 GB the first time)" \
		$(PIP) install $(PIP_QUIET) --prefer-binary --no-deps -r requirements/lock.txt
	@touch $(STAMP)

tools: $(TOOLS_STAMP)  ## create .venv-tools with the pinned schemathesis (idempotent)

$(TOOLS_STAMP): requirements/schemathesis.txt
	$(STEP) "Tools environment .venv-tools" \
		bash -c 'test -x $(TOOLS_VENV)/bin/python || $(PYTHON_BIN) -m venv $(TOOLS_VENV)'
	$(STEP) "Installing schemathesis (requirements/schemathesis.txt)" bash -c '$(TOOLS_VENV)/bin/pip install \
		$(PIP_QUIET) pip==24.0 && $(TOOLS_VENV)/bin/pip install $(PIP_QUIET) --prefer-binary --no-deps \
		-r requirements/schemathesis.txt'
	@touch $(TOOLS_STAMP)

lock:  ## re-resolve requirements/*.in into requirements/lock.txt (needs the package registry)
	$(PIP) install --prefer-binary -r requirements/rasa-runtime.in -r requirements/project.in
	$(PIP) freeze --exclude rasa --exclude rasa-sdk | grep -v '^-e' > requirements/lock.txt

train: $(MODEL_STAMP)  ## train the model if data, config or components changed

$(MODEL_STAMP): $(STAMP) $(TRAINING_INPUTS)
	@$(PY) -m handoff train --out models
	@touch $(MODEL_STAMP)

run: system-run setup train  ## set up, train if needed, migrate, serve everything on http://localhost:5005
	@$(PY) -m handoff serve

serve: ## serve without checking setup or training
	$(PY) -m handoff serve

migrate: setup  ## apply database migrations (SQLite file by default, DATABASE_URL otherwise)
	$(PY) -m handoff migrate

validate: setup  ## rasa data validate --fail-on-warnings, except for responses the custom actions send by name
	@$(PY) -m handoff validate

test: system-test setup tools  ## the whole suite: unit, integration (SQLite, PostgreSQL, Redis, model), browser
	$(PY) -m pytest -q -p no:cacheprovider

test-unit: setup  ## only the fast unit tests
	$(PY) -m pytest -q -p no:cacheprovider tests/unit

test-integration: setup tools
	$(PY) -m pytest -q -p no:cacheprovider tests/integration

test-browser: system-test setup
	$(PY) -m pytest -q -p no:cacheprovider tests/browser

test-faults: setup  ## the fault tests alone (they are part of make test too)
	$(PY) -m pytest -q -p no:cacheprovider -m faults tests/faults

eval: setup train  ## held-out NLU accuracy/macro-F1 and test stories
	$(PY) -m bot.evaluate --model models/nordwind.tar.gz

eval-tone: setup  ## tone scorer on the held-out tone set (and ../shared/data when present)
	$(PY) -m bot.tone.evaluate

screenshots: system-test setup train  ## renew docs/screenshots/ from the real trained assistant in Chromium
	@$(PY) -m tests.browser.screenshots --model models/nordwind.tar.gz --out docs/screenshots

soak: setup  ## 10 minutes of steady widget traffic against the app: errors, ack latency, RSS over time
	$(PY) -m tests.faults.soak --minutes $${SOAK_MINUTES:-10}

bench: setup train  ## benchmarks, report in bench/results/
	$(PY) -m bench

clean:  ## remove models and local databases (keeps .venv)
	rm -rf models var .pytest_cache
