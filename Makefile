# Two commands on a fresh machine: `make run` and `make test`. Only python3, pip and make
# are assumed; everything else is installed into .venv from the packages' pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PACKAGES := -e shared -e 'tools[embedded,test,bench]' -e services/toeleiding -e services/prestaties \
            -e services/cheques -e services/evaluatie
PYPROJECTS := shared/pyproject.toml tools/pyproject.toml $(wildcard services/*/pyproject.toml)

.PHONY: install run demo lint test test-unit test-integration test-e2e bench soak asyncapi token lock clean

$(STAMP): $(PYPROJECTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(PACKAGES)
	touch $(STAMP)

install: $(STAMP)

## Set up and run the whole embedded system (PostgreSQL, Kafka-protocol broker, 4 services).
run: $(STAMP)
	$(BIN)/wijkwerk up $(ARGS)

## Same, and fill it with the demo world.
demo: $(STAMP)
	$(BIN)/wijkwerk up --demo $(ARGS)

## Lint (ruff: ruff.toml) and types (mypy: mypy.ini, strict on domain/ and service_layer/).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## Lint and types, then every test tier: unit, integration (real PostgreSQL + broker), end-to-end (all services).
test: lint
	$(BIN)/pytest $(ARGS)

test-unit: $(STAMP)
	$(BIN)/pytest -m "not integration and not e2e" $(ARGS)

test-integration: $(STAMP)
	$(BIN)/pytest -m integration $(ARGS)

test-e2e: $(STAMP)
	$(BIN)/pytest -m e2e $(ARGS)

## Benchmarks against the embedded engines (not part of `make test`); see bench/README.md.
bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

## Fault injection with longer loads (kills services, the broker, PostgreSQL while work flows).
soak: $(STAMP)
	WIJKWERK_SOAK=1 $(BIN)/pytest -m faults -s $(ARGS)

## Regenerate docs/asyncapi.yaml from the event models.
asyncapi: $(STAMP)
	$(BIN)/wijkwerk asyncapi --output docs/asyncapi.yaml

token: $(STAMP)
	$(BIN)/wijkwerk token $(ARGS)

# The image's lock files (deploy/docker/requirements/<service>.txt, pinned with hashes) from
# the pyproject pins; run after changing a dependency (tests/deploy/test_lock.py says when).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet -e 'tools[lock]'
	$(BIN)/python deploy/docker/lock.py

clean:
	rm -rf $(VENV) .wijkwerk .pytest_cache
