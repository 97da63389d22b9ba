# SIBINA: `make run` serves the application on a laptop, `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The OpenID Connect provider the single sign-on tests start (tests/oidc, node-oidc-provider).
OIDC_MODULES := tests/oidc/node_modules/.package-lock.json

.PHONY: run test test-jam lint bench mutation worker beat clean oidc-modules backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $(STAMP)

# The operations targets (worker, beat, backup, restore) install the packages only when there is
# no virtualenv yet: a newer pyproject.toml must not run pip in front of a backup or a restore
# (`make test` or `make run` reinstalls). An order-only `| $(STAMP)` would not do: make still
# remakes an out-of-date order-only prerequisite.
VENV_READY := $(if $(wildcard $(STAMP)),,$(STAMP))

run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

$(OIDC_MODULES): tests/oidc/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/oidc --no-audit --no-fund; \
	else echo "npm not found: the single sign-on tests will be skipped (they fail under CI=true)"; fi

oidc-modules: $(OIDC_MODULES)

test: $(STAMP) oidc-modules
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite with the clock moved (tests/jam.py) to this year's month end (30 November 23:30 WIB),
# year end (31 December noon), last half hour (31 December 23:30 WIB) and to 06:30 WIB on 1 January,
# when the UTC date is still 31 December. This year's: fixed moments would soon test the past.
JAM_YEAR ?= $(shell date +%Y)
JAM_MOMENTS ?= $(JAM_YEAR)-11-30T23:30+07:00 $(JAM_YEAR)-12-31T12:00+07:00 \
	$(JAM_YEAR)-12-31T23:30+07:00 $(shell expr $(JAM_YEAR) + 1)-01-01T06:30+07:00

test-jam: $(STAMP) oidc-modules
	@failed=""; for moment in $(JAM_MOMENTS); do \
		echo "== pytest --jam=$$moment"; \
		$(BIN)/python -m pytest --jam=$$moment $(PYTEST_ARGS) || failed="$$failed $$moment"; \
	done; \
	if [ -n "$$failed" ]; then echo "== failed at:$$failed"; exit 1; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# `make bench BENCH_ARGS="--pegawai 1000000"`: 100,000 and 1,000,000 pegawai seeded (the second
# grown by SQL, bench/nasional.py) and served side by side; then `bench/ledger.py` measures the JP
# ledger at 1 and 10 million entries. Results: bench/RESULTS.md, "Issue 24".
bench: $(STAMP)
	$(BIN)/python bench/provinsi.py $(BENCH_ARGS)
	$(BIN)/python bench/talenta.py $(BENCH_TALENTA_ARGS)
	$(BIN)/python bench/dampak.py $(BENCH_DAMPAK_ARGS)

# A habit, not a gate (slow, not in `make test` or CI): the mutation score of the rule and
# policy modules. `make mutation MUTATION_ARGS="nip ikm --budget 10"` for some of them.
mutation: $(STAMP)
	$(BIN)/python tests/mutation/run.py $(MUTATION_ARGS)

# Every queue by default; `make worker QUEUES=pdf` (or surel,impor ...) for one kind of work.
# CELERY_ARGS goes to Celery as it is, e.g. `make worker CELERY_ARGS=--quiet` (no banner: with
# LOG_FORMAT=json every line is then JSON).
worker: $(VENV_READY)
	$(BIN)/celery -A pembinaan.celery worker --loglevel=INFO $(if $(QUEUES),--queues=$(QUEUES)) \
		$(CELERY_ARGS)

beat: $(VENV_READY)
	$(BIN)/celery -A pembinaan.celery beat --loglevel=INFO $(CELERY_ARGS)

# Backup and restore (docs/backup.md): the PostgreSQL database of DATABASE_URL and MEDIA_ROOT.
# `make backup` writes a new directory under BACKUP_DIR (the environment's; default cadangan/);
# `make restore BACKUP=cadangan/<directory>` restores it into DATABASE_URL (or
# RESTORE_DATABASE_URL) and checks it against its manifest; GANTI=1 replaces a database that
# has tables; MEDIA=<directory> restores the media there instead of MEDIA_ROOT (a rehearsal
# into an empty directory). RESTORE_DATABASE_URL reaches pulihkan through the environment (make exports it),
# never on a command line, so its password is neither echoed nor seen in `ps`.
backup: $(VENV_READY)
	$(BIN)/python manage.py cadangkan

restore: $(VENV_READY)
	@if [ -z "$(BACKUP)" ]; then \
		echo "[RESTORE_DATABASE_URL=postgres://...] make restore BACKUP=cadangan/<direktori> [MEDIA=<direktori>] [GANTI=1]"; \
		exit 2; fi
	@$(BIN)/python manage.py pulihkan "$(BACKUP)" $(if $(MEDIA),--media "$(MEDIA)") \
		$(if $(GANTI),--ganti)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .mutation tests/oidc/node_modules
