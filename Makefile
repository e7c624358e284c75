# Two commands for users: `make run` and `make test`. Everything else supports them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# the first `make run` installs without a word: pip's output goes to a log, shown only on failure,
# so the terminal's one line says where the sandbox is
LOG := $(VENV)/install.log
QUIET = >>$(LOG) 2>&1 || { cat $(LOG) >&2; exit 1; }
# English is the source text (the msgids); only the other languages have catalogs
MO := locales/zh_CN/LC_MESSAGES/cadence.mo

.PHONY: run test migrate i18n i18n-compile lint bench mutate clean

$(BIN)/python:
	@$(PY) -m venv $(VENV)
	@$(BIN)/pip install -q --upgrade pip $(QUIET)

$(STAMP): $(BIN)/python pyproject.toml
	@$(BIN)/pip install -q -e . $(QUIET)
	@touch $@

$(TEST_STAMP): $(BIN)/python pyproject.toml
	@$(BIN)/pip install -q -e '.[test]' $(QUIET)
	@touch $(STAMP) $@

locales/%/LC_MESSAGES/cadence.mo: locales/%/LC_MESSAGES/cadence.po | $(STAMP)
	@$(BIN)/pybabel -q compile -D cadence -d locales -l $*

i18n-compile: $(MO)

# with TELEGRAM_BOT_TOKEN: the bot on Telegram (`run` migrates first); without it: the sandbox, a
# local Telegram in the browser (`python -m bot run` itself still exits 2 without a token)
HAS_TOKEN := from bot.settings import Settings; raise SystemExit(Settings().telegram_bot_token is None)
run: $(STAMP) i18n-compile
	@if $(BIN)/python -c '$(HAS_TOKEN)' 2>/dev/null; then exec $(BIN)/python -m bot run; \
	else exec $(BIN)/python -m bot sandbox; fi

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

# extract -> update -> compile: run after changing any user-visible text
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k n_:1,2 -k N_ -o locales/cadence.pot --no-location --sort-output --project=cadence .
	$(BIN)/pybabel update -D cadence -i locales/cadence.pot -d locales -l zh_CN --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -D cadence -d locales

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# the suite over two workers (each its own PostgreSQL database), then the timing-sensitive tests
# alone (tests/conftest.py ALONE): a stop within 3 s or a pace per second is measured unloaded;
# `bot run`'s one-line errors wait beside the others; the kill loop runs alone (see ALONE)
WORKERS ?= 2
test: $(TEST_STAMP) i18n-compile lint
	$(BIN)/pytest -n $(WORKERS) -m "not alone" --durations=15
	$(BIN)/pytest -m alone --durations=10

bench: $(TEST_STAMP) i18n-compile
	$(BIN)/python -m benchmarks.updates
	$(BIN)/python -m benchmarks.programme
	$(BIN)/python -m benchmarks.fanout
	$(BIN)/python -m benchmarks.memory
	$(BIN)/python -m benchmarks.import_latency
	$(BIN)/python -m benchmarks.import_bulk
	$(BIN)/python -m benchmarks.monday
	$(BIN)/python -m benchmarks.startup
	$(BIN)/python -m benchmarks.board

# mutation testing of the domain and the use cases by the fast tests (not in CI, nor in `make test`):
# slow, so narrow it with e.g.
# make mutate MUTANTS='core.domain.dispatches.* core.domain.lights.*'; mutants/ keeps the results.
# One worker unless told: a shared machine stays usable (MUTATE_CHILDREN=2 on a quiet one)
MUTANTS ?=
MUTATE_CHILDREN ?= 1
MUTATE_STAMP := $(VENV)/.installed-mutate
$(MUTATE_STAMP): $(TEST_STAMP)
	$(BIN)/pip install -q -e '.[test,mutate]'
	touch $@

mutate: $(MUTATE_STAMP) i18n-compile
	$(BIN)/mutmut run --max-children $(MUTATE_CHILDREN) $(MUTANTS)
	$(BIN)/mutmut results --all true | $(BIN)/python tests/mutation_score.py $(MUTANTS)

clean:
	rm -rf $(VENV) $(MO) mutants
