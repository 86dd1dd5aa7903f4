# BSB Studio: `make demo` serves the demo, `make test` runs the whole suite (SQLite, then PostgreSQL).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test test-sqlite test-postgres browser-deps node-deps system-deps lint messages bench fuzz clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

demo: install
	$(BIN)/bsb demo --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests; installed with apt-get when missing and we are root.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; }

# axe-core (pinned in package-lock.json) into node_modules/ for the accessibility crawl.
# npm itself comes from Debian when missing and we are root.
node-deps:
	@command -v npm >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	@if command -v npm >/dev/null 2>&1; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm missing and not root: the accessibility crawl will be skipped"; fi

# Redis (the RQ task backend's tests) and espeak-ng (synthesised Norwegian speech for the
# speech-to-text tests), from Debian when missing and we are root; their tests skip otherwise.
system-deps:
	@missing=""; command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v espeak-ng >/dev/null 2>&1 || missing="$$missing espeak-ng"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing and not root:$$missing (their tests will be skipped)"; fi; fi

test: install browser-deps node-deps system-deps test-sqlite test-postgres

test-sqlite:
	$(BIN)/pytest -q

# The same suite on PostgreSQL, where it is installed or can be installed (as root).
test-postgres:
	@if url=$$(bash scripts/postgres-for-tests.sh); then \
	  echo "== the same suite on PostgreSQL ($$url)"; DATABASE_URL="$$url" $(BIN)/pytest -q; \
	else echo "PostgreSQL not available: skipped the PostgreSQL run"; fi

lint: install
	$(BIN)/ruff check src tests

# Collect the interface texts into the bokmål .po file and compile it (needs GNU gettext).
messages: install
	cd src/bsbstudio && BSB_DATA_DIR=$$(mktemp -d) ../../$(BIN)/django-admin makemessages -l nb --ignore='demo/*' --settings=bsbstudio.settings
	cd src/bsbstudio && BSB_DATA_DIR=$$(mktemp -d) ../../$(BIN)/django-admin compilemessages --settings=bsbstudio.settings

bench: install
	$(BIN)/bsb bench deid
	$(BIN)/bsb bench import

# The importers and forms with 10,000 generated inputs each (tests/fuzz, docs/fuzzing.md).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -p no:cacheprovider tests/fuzz --hypothesis-show-statistics

clean:
	rm -rf $(VENV) var .pytest_cache
