# The two commands a newcomer needs: `make run` and `make test`. Everything else is setup they call.
# Both install from requirements.lock (exact versions with hashes), so a new release of a dependency cannot
# break a clean clone; `make lock` upgrades the lock, `make test-latest` tries the newest allowed versions.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
UV_VERSION := 0.13.9
LATEST_VENV ?= .venv-latest

.PHONY: run web test test-latest lock bench bench-quick venv catalogs extract-messages update-catalogs compile-catalogs init-catalog clean

# The demo runs in a throwaway database (never the file `meridian serve` uses) and starts afresh each time.
run: $(STAMP)
	$(BIN)/meridian shell --demo

# The web dashboard with the demo team at http://127.0.0.1:8080 (MERIDIAN_HTTP_PORT), a throwaway database too.
web: $(STAMP)
	$(BIN)/meridian serve --demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

# The suite on the newest versions pyproject.toml allows, in a throwaway venv: what an upgrade would change.
# Not part of `make test`. If it passes, `make lock` takes those versions.
test-latest:
	rm -rf $(LATEST_VENV)
	$(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	$(LATEST_VENV)/bin/python tools/lock_report.py $(LOCK)
	$(LATEST_VENV)/bin/python -m pytest -n 2 -q -p no:cacheprovider; status=$$?; \
		$(LATEST_VENV)/bin/python tools/lock_report.py $(LOCK) --brief; exit $$status

# Re-resolve every dependency to the newest version pyproject.toml allows and rewrite the lock (with hashes).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --extra test --generate-hashes --universal \
		--python-version 3.11 --upgrade --quiet --custom-compile-command "make lock" -o $(LOCK)

# Benchmarks (bench/, docs/PERFORMANCE.md): full sizes take about 5 minutes on a quiet 2-core machine (15 on
# a busy one) and rewrite the table in docs/PERFORMANCE.md; bench-quick runs small sizes in a couple of
# minutes (results in bench/results/quick/).
bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

venv: $(STAMP)

$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Translation workflow (pybabel): extract -> update -> translate the new entries -> compile.
# The keywords match bot/i18n.py: tr._("..."), N_("...") and tr.n_("singular", "plural", n).
# Every step is idempotent: re-running it with unchanged sources leaves every file byte for byte as it was
# (the template is only rewritten when a message changed, not for a new POT-Creation-Date), so the
# committed .mo files can be checked against their .po files (tests/bot/test_i18n.py).
PYBABEL ?= $(BIN)/pybabel
POT := locales/meridian.pot
BABEL_KEYWORDS := -k _ -k N_ -k n_:1,2

$(BIN)/pybabel: | $(STAMP)

extract-messages: $(PYBABEL)
	$(PYBABEL) --quiet extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output --no-wrap \
		--project meridian --copyright-holder "Meridian contributors" -o $(POT).new .
	@if [ -f $(POT) ] && diff -q -I '^"POT-Creation-Date: ' $(POT) $(POT).new >/dev/null; then \
		rm $(POT).new; else mv $(POT).new $(POT); echo "$(POT) updated"; fi

update-catalogs: extract-messages
	$(PYBABEL) --quiet update -i $(POT) -d locales -D meridian --no-fuzzy-matching --ignore-obsolete \
		--ignore-pot-creation-date --no-wrap

compile-catalogs: $(PYBABEL)
	$(PYBABEL) compile -d locales -D meridian --statistics

# A new language: `make init-catalog LOCALE=sv` (babel writes the language's Plural-Forms header).
init-catalog: $(PYBABEL)
	test -n "$(LOCALE)"
	$(PYBABEL) init -i $(POT) -d locales -D meridian -l $(LOCALE) --no-wrap

catalogs: update-catalogs compile-catalogs

clean:
	rm -rf $(VENV) $(LATEST_VENV) .pytest_cache build *.egg-info
