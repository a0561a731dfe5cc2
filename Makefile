# The two commands: `make run` (the local stack) and `make test` (the whole suite).
# Both set up .venv on first use; pip installs exactly the versions in constraints.txt. `make test`
# also installs the deployment checker osls (npm, exactly package-lock.json) into node_modules.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run test bench install layer clean

run: $(STAMP)
	$(BIN)/profiel run

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/pytest

# Performance figures side by side (issue 9), not part of `make test`: `make bench`, or
# `make bench BENCH_ARGS=--quick` (also --only cold,warm,bulk,audit and --profile).
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[local,test]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

# The Lambda layer of serverless.yml: the pinned dependencies as arm64 wheels, for `sls deploy`.
layer: $(STAMP)
	rm -rf .layer && mkdir -p .layer/python
	$(BIN)/python -m pip install --quiet --target .layer/python --platform manylinux2014_aarch64 \
	  --implementation cp --python-version 3.12 --only-binary=:all: -c constraints.txt .
	# The service's own code is in each function's package, not in the layer.
	rm -rf .layer/python/functions .layer/python/shared .layer/python/infra .layer/python/profielservice*

clean:
	rm -rf $(VENV) .pytest_cache node_modules .layer
