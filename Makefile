# The two commands: `make run` (the local stack) and `make test` (the whole suite).
# Both set up .venv on first use; pip installs exactly the versions in constraints.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install clean

run: $(STAMP)
	$(BIN)/profiel run

test: $(STAMP)
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[local,test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache
