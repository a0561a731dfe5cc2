"""Fuzzing every documented operation with schemathesis, over HTTP, as the right kind of caller,
in both generation modes.

The document is the one the service serves (``GET /api/profiel/v1/openapi.json``); the calls go
through the local gateway to the functions and the moto server, as a burger (portal operations)
or as an organisation with a grant (the lookup). Schemathesis runs every phase on each operation:
the document's examples; the coverage phase (boundary values, each constraint broken on its own,
a required part left out, methods the path does not have); and ``MAX_EXAMPLES`` fuzzed requests -
all of it in generation mode "all": positive (valid per the document) and negative (invalid).
Derandomized, with a fixed seed: a run repeats exactly.

Checked on every answer (``CHECKS``): no server error; status, content type, headers and body as
documented; a request the document calls invalid is refused (4xx); one it calls valid is not
refused as invalid; a request without a required header is refused; a method the path does not
have is 405 with ``Allow``; an operation behind a token does not answer without it.

What a JSON Schema cannot say - the elfproef, whether an e-mail address or phone number is real,
the ISO lists of languages and countries, which Unicode characters a text may hold, what the
profile or the register holds - makes the service refuse some requests the document calls valid.
Those are ``INTENDED``, per check and operation, with the reason (the document's descriptions
say each in words). Any other failure fails the test.

Schemathesis (4.32) builds the coverage phase's valid header values from letters and digits
only, so for an operation with a required ``If-Match`` (whose pattern needs quotes or ``*``) it
makes no valid coverage cases at all. A second pass gives them back: the coverage phase, valid
cases only, for those operations with the ``If-Match`` parameter taken out of the document and
``If-Match: *`` sent by the test - everything else in the document as served.
"""

from __future__ import annotations

import copy
import re
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from functions.registry import FUNCTIONS
from infra.local.dev_idp import DevIdentityProvider
from shared.http.openapi import openapi_document
from tests.support import random_test_bsn

# Per operation and mode: enough to find what a careless handler gets wrong, few enough for
# `make test` on 2 cores (with the coverage phase: about 2,100 requests in all, ~30 s).
MAX_EXAMPLES = 50
SEED = 20261122
GEMEENTE = "00000099000000000001"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    unsupported_method,
    ignored_auth,
]

_ELFPROEF = (
    "a BSN must pass the elfproef (and not be 000000000): the pattern gives 9 digits, the "
    "description the elfproef"
)
_TEKST = (
    "a text refuses control, format, private-use and unassigned characters (Unicode "
    "categories, beyond an OpenAPI 3.0 pattern): the description says so"
)
_ADRES = (
    "an address must be a real e-mail address (email-validator) or a valid phone number "
    "(phonenumbers), as the description says: no pattern says which"
)
_TAAL = "taal must be an ISO 639-1 code: the pattern gives two letters, the description the list"
_VOORKEURSADRES = (
    "a voorkeursadres must name a contact detail of that kind in the profile: the profile "
    "decides, not the document (400 naming the field)"
)
# (check, operation) -> why the service refuses there what the document allows. Nothing else
# may fail.
INTENDED: dict[tuple[str, str], str] = {
    ("positive_data_acceptance", "POST /profiel/contactgegevens"): f"{_ADRES}; {_TEKST}",
    ("positive_data_acceptance", "PATCH /profiel/contactgegevens/{contactgegevenId}"): (
        f"{_ADRES}; {_TEKST}"
    ),
    ("positive_data_acceptance", "PUT /profiel/postadres"): (
        f"{_TEKST}; land must be an assigned ISO 3166-1 alpha-2 code other than NL: the pattern "
        "gives two letters, the description the list; a Dutch address must be one the BAG has "
        "(400 naming huisnummer, huisletter or huisnummertoevoeging), as the description says"
    ),
    ("positive_data_acceptance", "PUT /profiel/contactnaam"): _TEKST,
    ("positive_data_acceptance", "PATCH /profiel/voorkeuren"): f"{_TAAL}; {_VOORKEURSADRES}",
    ("positive_data_acceptance", "PUT /profiel/voorkeuren/organisaties/{oin}"): (
        f"{_TAAL}; {_VOORKEURSADRES}"
    ),
    ("positive_data_acceptance", "PUT /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}"): (
        f"{_TAAL}; {_VOORKEURSADRES}"
    ),
    ("positive_data_acceptance", "POST /opvragingen"): (
        f"{_ELFPROEF}; a dienst must be one of the organisation's services in the register "
        "(400 naming it)"
    ),
}

# What ran, and which intended failures showed up: for the summary after the fuzzing.
REQUESTS: Counter[tuple[str, str, str]] = Counter()
INTENDED_SEEN: Counter[tuple[str, str]] = Counter()
STARTED: list[float] = []


@pytest.fixture(scope="session")
def callers(idp: DevIdentityProvider, api_url: str) -> dict[str, str]:
    burger = idp.burger_token(random_test_bsn())
    # A stored profile: `If-Match: *` matches any stored version (see `_with_matching_if_match`).
    stored = requests.put(
        f"{api_url}/profiel/voorkeuren/organisaties/{GEMEENTE}",
        json={"taal": "nl"},
        headers={"Authorization": f"Bearer {burger}", "If-Match": '"0"'},
        timeout=30,
    )
    assert stored.status_code == 200, stored.text
    return {"burger": burger, "organisatie": idp.organisation_token(GEMEENTE)}


DOCUMENT = openapi_document()
_IF_MATCH_REF = "#/components/parameters/IfMatch"
_IF_MATCH = re.compile(DOCUMENT["components"]["parameters"]["IfMatch"]["schema"]["pattern"])
# The operations with a required If-Match: every change through update-profile.
CHANGES = {
    f"{method.upper()} {path}"
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method != "parameters" and {"$ref": _IF_MATCH_REF} in operation.get("parameters", [])
}


def _config(mode: str, **enabled: bool) -> SchemathesisConfig:
    # Nothing learnt from answers (the ids of new contact details are random, and so is when a
    # code limit answers 429): the same requests in every run.
    phases: dict[str, dict[str, Any]] = {
        "examples": {"extra-data-sources": {"responses": False}},
        "coverage": {"extra-data-sources": {"responses": False}},
        "fuzzing": {
            "extra-data-sources": {"responses": False},
            "error-feedback": {"enabled": False},
        },
    }
    for phase, on in enabled.items():
        phases.setdefault(phase, {})["enabled"] = on
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": mode,
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                # The caller's token is always sent (below): a generated one would be replaced.
                "with-security-parameters": False,
            },
            "phases": phases,
            "checks": {
                # 428 Precondition Required (RFC 6585) is the answer to a change without If-Match.
                "missing_required_header": {
                    "expected-statuses": [400, 401, 403, 406, 415, 422, 428]
                },
            },
        }
    )


def _without_if_match(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the changes' ``If-Match`` parameter left out (the test sends it)."""
    document = copy.deepcopy(document)
    for item in document["paths"].values():
        for method, operation in item.items():
            if method != "parameters" and "parameters" in operation:
                operation["parameters"] = [
                    p for p in operation["parameters"] if p != {"$ref": _IF_MATCH_REF}
                ]
    return document


# The document as the service builds and serves it (a test compares the served one with it).
schema = schemathesis.openapi.from_dict(DOCUMENT, config=_config("all"))
# The second pass: valid coverage cases for the changes (see the module's docstring).
changes_schema = schemathesis.openapi.from_dict(
    _without_if_match(DOCUMENT),
    config=_config("positive", examples=False, fuzzing=False, coverage=True, stateful=False),
).include(name=sorted(CHANGES))


def _with_matching_if_match(case: Any) -> None:
    """A valid If-Match becomes ``*``: a generated ETag is never the profile's version, and the
    412 would stop every change before its body is read. An invalid one (400) or none (428) is
    sent as generated."""
    sent = (case.headers or {}).get("If-Match")
    if sent is not None and _IF_MATCH.fullmatch(sent):
        case.headers["If-Match"] = "*"


def _described(case: Any, response: Any, check: str, failure: BaseException) -> str:
    meta = case.meta
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    found = failure.exceptions if isinstance(failure, FailureGroup) else (failure,)
    what = "; ".join(
        f"{getattr(f, 'title', type(f).__name__)} - {str(getattr(f, 'message', f)).strip()}"
        for f in found
    ).replace("\n", " ")
    return (
        f"{check} on {case.operation.label} ({meta.generation.mode.value}, "
        f"{meta.phase.name.value}): {what}\n"
        f"  sent {case.method} {case.formatted_path} query={case.query} headers={headers} "
        f"body={case.body!r:.500}\n"
        f"  answer {response.status_code}: {response.text[:500]}"
    )


_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    # Every failure says what was sent; shrinking it would only cost time.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@_SETTINGS
def test_every_operation_answers_as_documented(case, api_url: str, callers) -> None:
    _with_matching_if_match(case)
    _call_and_check(case, api_url, callers, "")


@changes_schema.parametrize()
@_SETTINGS
def test_every_change_takes_the_bodies_its_document_allows(case, api_url: str, callers) -> None:
    _call_and_check(case, api_url, callers, "*")


def _call_and_check(case: Any, api_url: str, callers: dict[str, str], if_match: str) -> None:
    STARTED[:] = STARTED or [time.monotonic()]
    caller = "organisatie" if case.path.startswith("/opvragingen") else "burger"
    headers = {"Authorization": f"Bearer {callers[caller]}"}
    if if_match:
        headers["If-Match"] = if_match
    response = case.call(base_url=api_url, headers=headers)
    meta = case.meta
    sent = f"{case.method.upper()} {case.path}"
    REQUESTS[(sent, meta.generation.mode.value, meta.phase.name.value)] += 1
    unexpected = []
    for check in CHECKS:
        try:
            case.validate_response(response, checks=[check], headers=headers)
        except (Failure, FailureGroup) as failure:
            key = (check.__name__, case.operation.label)
            if key in INTENDED:
                INTENDED_SEEN[key] += 1
            else:
                unexpected.append(_described(case, response, check.__name__, failure))
    assert not unexpected, "\n".join(unexpected)


@pytest.fixture(scope="module", autouse=True)
def every_operation_in_code_was_fuzzed_in_both_modes() -> Iterator[None]:
    """After all the fuzzing of this module, whatever order it ran in (a parallel run hands a
    file to one worker, not always in the file's order): says how much it did, and fails the
    run (an error at teardown) if an operation was left out."""
    yield
    # Another contract's routes are fuzzed against that contract's document (test_foreign_contracts).
    in_code = {
        route.key for function in FUNCTIONS for route in function.routes if route.contract is None
    }
    seconds = time.monotonic() - STARTED[0] if STARTED else 0.0
    per = Counter()
    for (_, mode, phase), n in REQUESTS.items():
        per[f"{mode} {phase}"] += n
    print(
        f"\nschemathesis: {sum(REQUESTS.values())} requests in {seconds:.0f} s "
        f"({', '.join(f'{k}: {n}' for k, n in sorted(per.items()))}), "
        f"{len(in_code)} documented operations; intended failures: "
        f"{sum(INTENDED_SEEN.values())} of {len(INTENDED_SEEN)} kinds"
    )
    for key in sorted(set(INTENDED) - set(INTENDED_SEEN)):
        print(f"  intended, not seen this run: {key}")
    # Besides the documented operations it also tries other methods on each path.
    for mode in ("positive", "negative"):
        fuzzed = {operation for operation, m, _ in REQUESTS if m == mode}
        assert in_code <= fuzzed, (mode, sorted(in_code - fuzzed))
    # The second pass did its work: valid boundary cases for every change.
    covered = {operation for operation, m, p in REQUESTS if (m, p) == ("positive", "coverage")}
    assert CHANGES <= covered, sorted(CHANGES - covered)
