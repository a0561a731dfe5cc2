"""Fuzzing every documented operation with schemathesis, over HTTP, as the right kind of caller.

The document is the one the service serves (``GET /api/profiel/v1/openapi.json``); the calls go
through the local gateway to the functions and the moto server. Each operation gets
``MAX_EXAMPLES`` generated requests - valid and invalid ones - as a burger (portal operations)
or as an organisation with a grant (the lookup). Checked on every answer: no server error, a
status code, content type, headers and body the document allows.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from functions.registry import FUNCTIONS
from infra.local.dev_idp import DevIdentityProvider
from shared.http.openapi import openapi_document
from tests.support import random_test_bsn

# Enough to find what a careless handler gets wrong, small enough for `make test` on 2 cores.
MAX_EXAMPLES = 25
GEMEENTE = "00000099000000000001"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_RUN: list[str] = []


@pytest.fixture(scope="session")
def callers(idp: DevIdentityProvider) -> dict[str, str]:
    return {
        "burger": idp.burger_token(random_test_bsn()),
        "organisatie": idp.organisation_token(GEMEENTE),
    }


# The document as the service builds and serves it (a test compares the served one with it).
schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, api_url: str, callers) -> None:
    caller = "organisatie" if case.path.startswith("/opvragingen") else "burger"
    headers = {"Authorization": f"Bearer {callers[caller]}"}
    EXAMPLES_RUN.append(f"{case.method} {case.path}")
    case.call_and_validate(base_url=api_url, headers=headers, checks=CHECKS)


def test_every_operation_in_code_was_fuzzed() -> None:
    """Runs after the fuzzing above (pytest keeps the file's order); says how much it did."""
    # Besides the documented operations it also tries other methods on each path (negative data).
    operations = set(EXAMPLES_RUN)
    in_code = {route.key for function in FUNCTIONS for route in function.routes}
    print(f"\nschemathesis: {len(EXAMPLES_RUN)} requests, {len(in_code)} documented operations")
    assert in_code <= operations
