# jczx — two commands: `make run` (quick start on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

# The test settings: debug off like production, plain HTTP for the test client.
TEST_ENV := DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_SECRET_KEY=test-only-secret-key-0123456789abcdefghijklmnop

.PHONY: install run serve test lint format check-deploy backup restore soak clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q ".[dev]"
	@touch $@

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# Quick start: embedded SQLite, standing columns, the demo issue, an admin account; the
# background worker (db_worker: 电子版 pages) runs beside the site and stops with it.
run: install var/secret_key
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY=$$(cat var/secret_key) $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY=$$(cat var/secret_key) $(BIN)/python manage.py bootstrap
	@echo "晋城政协网: http://127.0.0.1:$(PORT)/   编辑部后台: http://127.0.0.1:$(PORT)/admin/"
	@echo "后台任务（电子版：PDF 页面生成）由 db_worker 执行，随网站一起启动和停止。"
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY=$$(cat var/secret_key) $(BIN)/python manage.py db_worker --no-reload & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY=$$(cat var/secret_key) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# One pytest-xdist worker per core (each with its own test database); TEST_WORKERS=0
# runs the suite in this process, e.g. to debug with --pdb.
TEST_WORKERS ?= auto

test: install
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Backups of the database and the media into backups/<timestamp>/ (see backup/services.py).
# In production run them with the service's environment (DATABASE_URL, DJANGO_SECRET_KEY …);
# without DJANGO_SECRET_KEY they act on the quick start's SQLite database.
# `make restore` takes the latest backup, or BACKUP=backups/<timestamp>; YES=1 overwrites
# a database that already has content.
APP_ENV = $(if $(DJANGO_SECRET_KEY),,DJANGO_DEBUG=1 DJANGO_SECRET_KEY=$$(cat var/secret_key))

backup: install var/secret_key
	$(APP_ENV) $(BIN)/python manage.py backup

restore: install var/secret_key
	$(APP_ENV) $(BIN)/python manage.py restore $(BACKUP) $(if $(YES),--yes)

# Soak: gunicorn (2 workers) on 127.0.0.1, 64 connections for 60 s with wrk; writes
# docs/benchmarks.md. DATABASE_URL=postgres://… soaks on a throw-away PostgreSQL database.
soak: install
	$(BIN)/python bench/soak.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
