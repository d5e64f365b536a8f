# The two commands a newcomer needs: `make run` and `make test`. Everything else is setup they call.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite bench venv catalogs extract-messages update-catalogs compile-catalogs clean

run: $(STAMP)
	$(BIN)/meridian shell --demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python -m bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Translation workflow (pybabel): extract -> update -> (translate) -> compile.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k n_:1,2 --no-location --sort-output \
		--project meridian --copyright-holder "Meridian contributors" -o locales/meridian.pot .

update-catalogs: extract-messages
	$(BIN)/pybabel update -i locales/meridian.pot -d locales -D meridian --no-fuzzy-matching

compile-catalogs: $(STAMP)
	@if ls locales/*/LC_MESSAGES/meridian.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d locales -D meridian --statistics 2>&1 | tail -n 1; fi

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
