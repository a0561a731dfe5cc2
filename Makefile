# The two commands: `make run` (the local stack) and `make test` (the whole suite).
# Both set up .venv on first use; pip installs exactly the versions in constraints.txt. `make test`
# also installs the deployment checker osls (npm, exactly package-lock.json) into node_modules.

# Deployments run Python 3.12 (Lambda python3.12, the python:3.12-slim images), so the venv and
# the tests do too wherever this machine has a 3.12: on PATH, or installed by pyenv. Else python3,
# with a warning. `make PYTHON=python3.13 test` chooses another.
PYTHON ?= $(firstword $(shell python3.12 -c 'import sys; print(sys.executable)' 2>/dev/null) \
            $(wildcard $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions/3.12*/bin/python3.12) python3)
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV   := .venv
BIN    := $(VENV)/bin
# One per interpreter version: another Python builds the venv anew.
STAMP  := $(VENV)/.installed-$(PYTHON_VERSION)
NODE_STAMP := node_modules/.installed

.PHONY: run test bench openapi install package layer bytecode clean

run: $(STAMP)
	$(BIN)/profiel run

# In parallel, a test file per worker (each has its own store and servers), on every core; the
# schemathesis fuzzing after it, in one process: its lazily generated tests do not run under
# pytest-xdist.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/pytest -n auto --dist loadfile --ignore=tests/fuzz
	$(BIN)/pytest tests/fuzz

# Performance figures side by side (issues 9 and 20), not part of `make test`: `make bench` (with
# a tax run of 100,000; the figures also go to bench/results/<date>.json), or
# `make bench BENCH_ARGS=--quick` (also --only cold,warm,bulk,latency,taxrun,... and --profile).
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

# The OpenAPI document from the route table and the models, into shared/http/openapi.json (committed,
# served as it is; a unit test fails when it is out of date).
openapi: $(STAMP)
	$(BIN)/python -m functions.openapi

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test "$(PYTHON_VERSION)" = 3.12 || echo "warning: Python 3.12 not found, using $(PYTHON) \
	  ($(PYTHON_VERSION)); deployments run 3.12 (install it, or make PYTHON=<path> ...)" >&2
	test "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" \
	  = "$(PYTHON_VERSION)" || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[local,test]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

# What `osls deploy` ships besides serverless.yml: the dependencies layer and the bytecode of the
# service's own code. Lambda's disk is read-only: whatever has no .pyc there is compiled again at
# every cold start. The .pyc files are hash-based, so the times a zip gives the files do not
# matter; those of the deployed Python, 3.12.
package: layer bytecode

REQUIRE_312 = test "$$($(BIN)/python -c 'import sys; print(sys.implementation.cache_tag)')" \
  = cpython-312 || { echo "error: Lambda runs Python 3.12: its bytecode only" >&2; exit 1; }

# The Lambda layer of serverless.yml: the pinned dependencies as arm64 wheels, compiled.
layer: $(STAMP)
	@$(REQUIRE_312)
	rm -rf .layer && mkdir -p .layer/python
	$(BIN)/python -m pip install --quiet --target .layer/python --platform manylinux2014_aarch64 \
	  --implementation cp --python-version 3.12 --only-binary=:all: --no-compile \
	  -c constraints.txt .
	# The service's own code is in each function's package, not in the layer.
	rm -rf .layer/python/functions .layer/python/shared .layer/python/infra .layer/python/pump \
	  .layer/python/profielservice*
	# Unchecked: nothing edits a layer's files, so Python need not even read the sources.
	$(BIN)/python -m compileall -q --invalidation-mode unchecked-hash .layer/python

# The service's code compiled into the __pycache__ folders serverless.yml packages beside it.
# Checked hash-based .pyc files: Python hashes the source (a millisecond for all of it) and
# compiles a source edited since instead, so a deploy after an edit never runs old bytecode.
# What was compiled before (other versions, removed modules) goes first.
bytecode:
	@$(REQUIRE_312)
	find functions shared -name __pycache__ -type d -prune -exec rm -rf {} +
	$(BIN)/python -m compileall -q --invalidation-mode checked-hash functions shared

clean:
	rm -rf $(VENV) .pytest_cache node_modules .layer
