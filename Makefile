# SIBINA: `make run` serves the application on a laptop, `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench mutation worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(BIN)/python bench/provinsi.py $(BENCH_ARGS)

# A habit, not a gate (slow, not in `make test` or CI): the mutation score of the rule and
# policy modules. `make mutation MUTATION_ARGS="nip ikm --budget 10"` for some of them.
mutation: $(STAMP)
	$(BIN)/python mutation/run.py $(MUTATION_ARGS)

worker: $(STAMP)
	$(BIN)/celery -A pembinaan worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A pembinaan beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .mutation
