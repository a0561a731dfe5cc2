"""Fuzzing the other standards' contracts this service answers - Open Klant 2's Klantinteracties
API and MOZa's profielservice API - with schemathesis, against their own documents as vendored in
``specs/`` (``specs/SOURCES.md``), not against this service's.

Only the operations served are fuzzed, and which those are comes from the registry when the test
runs: every route whose ``contract`` is that document, matched with the document's operation of
the same method and full path (the document's server URL, if it has one, followed by its path).
A route of a contract that its document does not have fails the test. So an operation that lands
later - the write-backs, another read - is fuzzed from the moment the registry serves it.

The calls go through the local gateway to the functions and the moto server, as the municipality's
existing client (``Authorization: Token <key>`` of the local register, the Klantinteracties
document's ``tokenAuth``; MOZa's document declares no security, the header is sent all the same).
Each operation is run as ``tests/fuzz/test_schemathesis.py`` runs the service's own: the
document's examples, the coverage phase and ``MAX_EXAMPLES`` fuzzed requests, positive and
negative, derandomized with a fixed seed. A failing request does not end an operation's run:
every request of it is made, and what failed is said at its end, each kind once (``Unexplained``).
Random identifiers name nobody, so the answers that carry a partij - and the 201 of each
write-back, which needs a partij or klantcontact the key was given or made - are checked as well
on requests that name what the test made (``Known``).

Checked on every answer (``CHECKS``, the same as for the service's own document): no server
error; status, content type, headers and body as the foreign document says; an invalid request is
refused, a valid one not refused as invalid; no answer without the key; a method the path does
not have is 405. Where the foreign document cannot be met to the letter - it documents only the
200 of a read, so a 404 or a 400 problem is an undocumented status - the failure is ``INTENDED``,
per check, operation and status, with the reason. Any other failure fails the test.
"""

from __future__ import annotations

import copy
import json
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure, FailureGroup

from functions.registry import FUNCTIONS, KLANTINTERACTIES, MOZA_PROFIELSERVICE
from infra.local.demo import GEMEENTE_API_KEY
from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from shared.http.routes import BASE_PATH, Contract
from tests.fuzz.test_schemathesis import CHECKS, SEED
from tests.integration.test_verification import add_verified_email, last_code
from tests.support import SPECS, ApiClient, random_kvk_nummer, random_test_bsn

# Per operation and mode: twice the service's own document's, as a read is cheap (about 1,300
# requests in all, ~20 s).
MAX_EXAMPLES = 100


def _template(path: str) -> str:
    """A path with its parameters unnamed: ``/partijen/{}`` for ``/partijen/{uuid}``."""
    return re.sub(r"\{[^}/]+\}", "{}", path)


@dataclass(frozen=True)
class Foreign:
    """A contract as its document has it, and the operations of it this service serves."""

    contract: Contract
    document: dict[str, Any]
    base: str  # the document's server URL (a path), or "" where its paths are full
    served: tuple[str, ...]  # the document's labels: ``GET /partijen``

    @property
    def name(self) -> str:
        return self.contract.document


def _foreign(contract: Contract) -> Foreign:
    text = (SPECS / contract.document).read_text(encoding="utf-8")
    document = json.loads(text) if contract.document.endswith(".json") else yaml.safe_load(text)
    servers = document.get("servers") or [{"url": ""}]
    base = servers[0]["url"].rstrip("/")
    assert base == "" or base.startswith("/"), (contract.document, base)
    operations = {
        (method.upper(), _template(base + path)): f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "patch"}
    }
    routes = [r for f in FUNCTIONS for r in f.routes if r.contract == contract]
    missing = [
        r.route_key for r in routes if (r.method, _template(r.base + r.path)) not in operations
    ]
    assert not missing, f"routes of {contract.document} its document does not have: {missing}"
    served = tuple(sorted(operations[(r.method, _template(r.base + r.path))] for r in routes))
    return Foreign(contract, document, base, served)


CONTRACTS = {c.document: _foreign(c) for c in (KLANTINTERACTIES, MOZA_PROFIELSERVICE)}
KI = CONTRACTS[KLANTINTERACTIES.document]
MOZA = CONTRACTS[MOZA_PROFIELSERVICE.document]

_WRITES = (
    "POST /klantcontacten",
    "POST /betrokkenen",
    "POST /onderwerpobjecten",
    "POST /maak-klantcontact",
    "POST /digitaleadressen",
)
_ONLY_200 = "Open Klant's document gives each read a 200 alone (Open Klant answers others too)"
_MOZA_DOCUMENTS = "MOZa's document gives these reads 200, 206, 400, 404 and 500 alone"
# (check, operation, status) - or, for a problem naming fields, (check, operation, status, the
# code of each field), or for a request with an empty expand (check, operation, status,
# "expand=") - to why the answer differs there from what the foreign document says. The
# operation is the document's label. Nothing else may fail.
INTENDED: dict[tuple[str, str, int] | tuple[str, str, int, str], str] = {
    # Klantinteracties: reads.
    ("status_code_conformance", "GET /partijen/{uuid}", 404): (
        f"{_ONLY_200}: a partij UUID this organisation was not given is 404 (a problem), as Open "
        "Klant answers a UUID it does not have; a generated UUID is never one it was given"
    ),
    **{
        ("status_code_conformance", label, 400): (
            f"{_ONLY_200}: a filter value that is not of the type the document gives it (uuid, "
            "uri, date, boolean, integer, one of an enum) is refused, 400 naming each, as Open "
            "Klant's own filters refuse it - and as negative_data_rejection asks"
        )
        for label in ("GET /partijen", "GET /partijen/{uuid}", "GET /digitaleadressen")
    },
    **{
        ("negative_data_rejection", label, 200, "expand="): (
            "an empty expand is no expansion, as Open Klant reads it: on the wire an empty list "
            "and a list of one empty name are both `expand=` (style form, explode false), and "
            "Maykin's client sends `expand=` for an empty list"
        )
        for label in ("GET /partijen", "GET /partijen/{uuid}", "GET /digitaleadressen")
    },
    # Klantinteracties: the write-backs (functions/klantcontacten, record-contact), documented
    # with a 201 alone. A body the document refuses is refused; no body at all is an empty
    # object, as Open Klant (DRF) reads it - 400 naming what it lacks, or 201 for an
    # onderwerpobject, whose document requires no body.
    **{
        ("status_code_conformance", label, 400): (
            "Open Klant's document gives a create its 201 alone: a body it refuses - or that "
            "Open Klant refuses beyond it, below - is 400 naming each field, as Open Klant "
            "answers it (DRF's 400 with each field's errors)"
        )
        for label in _WRITES
    },
    # Where Open Klant's own server refuses more than its document says - its Django models and
    # DRF serialisers check what drf-spectacular leaves out of the document - so does this.
    **{
        ("positive_data_acceptance", label, 400, "string_too_short"): (
            "a required text may not be blank - kanaal, onderwerp and taal of a klantcontact, "
            'the adres of a digitaal adres: 400 naming it, as Open Klant refuses "" for them '
            "(DRF's CharField without allow_blank, for model fields that are not blank=True); "
            "its document leaves out that minLength"
        )
        for label in ("POST /klantcontacten", "POST /maak-klantcontact", "POST /digitaleadressen")
    },
    **{
        ("positive_data_acceptance", label, 400, "onbekend"): (
            "a partij (wasPartij, verstrektDoorPartij) is named only by a UUID a lookup gave "
            "this organisation, a klantcontact (hadKlantcontact, klantcontact, wasKlantcontact) "
            "only by one it made: any other is 400 naming the field, as Open Klant answers a "
            "reference to an object it does not have (400, DRF's does_not_exist) - its document "
            "has any UUID; a generated one names nothing"
        )
        for label in _WRITES
        if label != "POST /klantcontacten"  # it names nothing else
    },
    ("positive_data_acceptance", "POST /digitaleadressen", 400, "niet_ondersteund"): (
        "soortDigitaalAdres overig is 400 naming it: the service keeps only what its owner can "
        "verify with a code - an e-mail address or a phone number; anything else would be kept "
        "unverifiable"
    ),
    ("positive_data_acceptance", "POST /digitaleadressen", 400, "value_error"): (
        "an adres that is no e-mail address (email) or phone number (telefoonnummer) is 400 "
        "naming it: it could never be verified with a code, nor be given to anyone; the "
        "document has any text up to 80 characters"
    ),
    # MOZa's profielservice: the two reads (functions/moza_profielservice).
    **{
        ("status_code_conformance", label, 415): (
            f"{_MOZA_DOCUMENTS}: a body that is not JSON (or none) is 415 Unsupported Media "
            "Type, as MOZa's own (Quarkus) server answers it"
        )
        for label in (
            "POST /api/profielservice/v1/partij",
            "POST /api/profielservice/v1/partijen/bulk",
        )
    },
    ("status_code_conformance", "POST /api/profielservice/v1/partij", 403): (
        f"{_MOZA_DOCUMENTS}: a dienstverlener other than the organisation of the key (its name "
        "or OIN) is refused, 403: an organisation asks for itself only"
    ),
    ("positive_data_acceptance", "POST /api/profielservice/v1/partij", 400, "onbekend"): (
        "a dienstNaam must be one of the organisation's services in the register (400 naming "
        "it), as for /opvragingen: the document has any string"
    ),
}
# Per foreign document: what ran, and which intended failures showed up.
REQUESTS: Counter[tuple[str, str, str, str]] = Counter()
SEEN: Counter[tuple[Any, ...]] = Counter()
STARTED: list[float] = []


def _config(mode: str) -> SchemathesisConfig:
    # Nothing learnt from answers: the same requests in every run.
    phases: dict[str, dict[str, Any]] = {
        "examples": {"extra-data-sources": {"responses": False}},
        "coverage": {"extra-data-sources": {"responses": False}},
        "fuzzing": {
            "extra-data-sources": {"responses": False},
            "error-feedback": {"enabled": False},
        },
    }
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": mode,
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                # The key is always sent (below): a generated one would be replaced.
                "with-security-parameters": False,
            },
            "phases": phases,
        }
    )


def _with_discriminators(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each ``oneOf`` that has a ``discriminator`` mapping said in JSON Schema:
    each choice holds only for its own value of the property. OpenAPI's discriminator picks the
    one schema an object is validated against; JSON Schema knows no discriminator and takes any
    choice that fits - and Open Klant's ``Partij`` choices (persoon, contactpersoon,
    organisatie) have so few required fields that every partij, Open Klant's own too, fits more
    than one of them. Nothing else changes."""
    document = copy.deepcopy(document)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            mapping = (node.get("discriminator") or {}).get("mapping")
            if mapping and "oneOf" in node:
                name = node["discriminator"]["propertyName"]
                by_ref = {ref: value for value, ref in mapping.items()}
                node["oneOf"] = [
                    {
                        "allOf": [
                            choice,
                            {
                                "type": "object",
                                "required": [name],
                                "properties": {name: {"enum": [by_ref[choice["$ref"]]]}},
                            },
                        ]
                    }
                    if choice.get("$ref") in by_ref
                    else choice
                    for choice in node["oneOf"]
                ]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document)
    return document


def _schema(foreign: Foreign) -> Any:
    document = _with_discriminators(foreign.document)
    schema = schemathesis.openapi.from_dict(document, config=_config("all"))
    served = set(foreign.served)
    return schema.include(lambda ctx: ctx.operation.label in served)


klantinteracties_schema = _schema(KI)
moza_schema = _schema(MOZA)

_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    # Every failure says what was sent; shrinking it would only cost time.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="session")
def origin(api_url: str) -> str:
    """Scheme, host and port of the local gateway: every contract's base is below it."""
    return api_url.removesuffix(BASE_PATH)


@pytest.fixture
def unexplained() -> Iterator[Unexplained]:
    """The failures of one operation's fuzzing that no INTENDED entry explains, said at its end
    (an error at teardown). A request that fails is recorded and the fuzzing goes on: hypothesis
    stops an operation at its first failing case - after the explicit phase (the examples and
    the coverage phase) none of its generated cases would run, so an operation that fails once
    is never fuzzed in the fuzzing phase, and with ``-x`` the module's count of what ran ends
    short. Going on, every operation runs all its cases in both modes, and each kind of failure
    shows at once, not only the first."""
    found = Unexplained()
    yield found
    if found.kinds:
        pytest.fail(found.report(), pytrace=False)


@klantinteracties_schema.parametrize()
@_SETTINGS
def test_klantinteracties_operations_answer_as_open_klant_documents(
    case, origin: str, unexplained: Unexplained
) -> None:
    unexplained.add(_call_and_check(KI, case, origin))


@moza_schema.parametrize()
@_SETTINGS
def test_moza_operations_answer_as_the_moza_contract_documents(
    case, origin: str, unexplained: Unexplained
) -> None:
    unexplained.add(_call_and_check(MOZA, case, origin))


@dataclass
class Unexplained:
    """Unexplained failures by kind (check, operation, status, what failed): how often, and the
    first request of each kind as it was sent and answered."""

    kinds: dict[tuple[str, ...], list[Any]] = field(default_factory=dict)

    def add(self, failures: list[tuple[tuple[str, ...], str]]) -> None:
        for kind, described in failures:
            self.kinds.setdefault(kind, [0, described])[0] += 1

    def report(self) -> str:
        total = sum(n for n, _ in self.kinds.values())
        lines = [f"{total} unexplained failures, {len(self.kinds)} kinds:"]
        for n, described in self.kinds.values():
            lines.append(f"[{n}x] {described}")
        return "\n".join(lines)


def _call_and_check(
    foreign: Foreign, case: Any, origin: str, status: int | None = None
) -> list[tuple[tuple[str, ...], str]]:
    """Sends the case and runs every check on the answer: the failures no INTENDED entry
    explains, each with its kind and a description - and another status than ``status``, if
    one is given."""
    STARTED[:] = STARTED or [time.monotonic()]
    headers = {"Authorization": f"Token {GEMEENTE_API_KEY}"}
    response = case.call(base_url=origin + foreign.base, headers=headers)
    meta = case.meta
    mode, phase = (meta.generation.mode.value, meta.phase.name.value) if meta else ("known", "")
    REQUESTS[(foreign.name, f"{case.method.upper()} {case.path}", mode, phase)] += 1
    unexpected = []
    for check in CHECKS:
        try:
            case.validate_response(response, checks=[check], headers=headers)
        except (Failure, FailureGroup) as failure:
            keys = _explained(check.__name__, case, response)
            if keys:
                SEEN.update(keys)
            else:
                found = failure.exceptions if isinstance(failure, FailureGroup) else (failure,)
                titles = "; ".join(sorted({getattr(f, "title", type(f).__name__) for f in found}))
                kind = (check.__name__, case.operation.label, str(response.status_code), titles)
                unexpected.append((kind, _described(case, response, check.__name__, failure)))
    if status is not None and response.status_code != status:
        kind = ("status", case.operation.label, str(response.status_code), "")
        wrong = AssertionError(f"{status} expected")
        unexpected.append((kind, _described(case, response, "status", wrong)))
    return unexpected


def _explained(check: str, case: Any, response: Any) -> list[tuple[Any, ...]]:
    """The INTENDED entries that explain a failed check; none if it is unexplained."""
    explained = INTENDED.keys()
    key = (check, case.operation.label, response.status_code)
    if key in explained:
        return [key]
    if (case.query or {}).get("expand") in ("", [], [""]) and (*key, "expand=") in explained:
        return [(*key, "expand=")]
    try:
        problem = response.json()
    except ValueError:
        return []
    params = problem.get("invalidParams") if isinstance(problem, dict) else None
    codes = {p.get("code") for p in params or () if isinstance(p, dict)}
    keys = [(*key, code) for code in sorted(codes)]
    return keys if keys and all(k in explained for k in keys) else []


def _described(case: Any, response: Any, check: str, failure: BaseException) -> str:
    meta = case.meta
    how = f"{meta.generation.mode.value}, {meta.phase.name.value}" if meta else "known partij"
    found = failure.exceptions if isinstance(failure, FailureGroup) else (failure,)
    what = "; ".join(
        f"{getattr(f, 'title', type(f).__name__)} - {str(getattr(f, 'message', f)).strip()}"
        for f in found
    ).replace("\n", " ")
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    return (
        f"{check} on {case.operation.label} ({how}): {what}\n"
        f"  sent {case.method} {case.formatted_path} query={case.query} headers={headers} "
        f"body={case.body!r:.500}\n"
        f"  answer {response.status_code}: {response.text[:500]}"
    )


# --- Requests that name partijen the test made: answers with a partij in them -----------------


@dataclass(frozen=True)
class Known:
    """Partijen with verified details, and what the municipality's key was given for them."""

    bsn: str
    kvk_nummer: str
    partij_uuid: str  # the municipality's UUID of the person
    klantcontact_uuid: str  # a klantcontact the municipality's key made


def _add_verified_phone(person: ApiClient, notify: NotifyStandIn) -> None:
    number = f"06 2{uuid.uuid4().int % 10**7:07d}"
    body = {"soortDigitaalAdres": "telefoonnummer", "adres": number}
    added = person.change("POST", "/profiel/contactgegevens", body)
    assert added.status_code == 201, added.text
    location = added.headers["Location"].split(BASE_PATH)[1]
    stored = person.request("GET", location).json()["adres"]
    code = last_code(notify, stored)
    assert person.request("POST", f"{location}/verificatie", {"code": code}).status_code == 200


@pytest.fixture(scope="module")
def known(api_url: str, origin: str, idp: DevIdentityProvider, notify_server: Any) -> Known:
    notify = notify_server.app
    bsn = random_test_bsn()
    person = ApiClient(api_url, idp.burger_token(bsn))
    add_verified_email(person, notify, "vreemd.contract")
    _add_verified_phone(person, notify)
    # A name the purpose may give, so that partijIdentificatie carries one.
    named = person.change("PUT", "/profiel/contactnaam", {"contactnaam": "J. de Vries"})
    assert named.status_code == 200, named.text
    kvk_nummer = random_kvk_nummer()
    company = ApiClient(api_url, idp.ondernemer_token(kvk_nummer))
    add_verified_email(company, notify, "vreemd.bedrijf")
    found = requests.get(
        f"{origin}{KLANTINTERACTIES.base}/partijen",
        params={
            "partijIdentificator__codeSoortObjectId": "bsn",
            "partijIdentificator__objectId": bsn,
        },
        headers={"Authorization": f"Token {GEMEENTE_API_KEY}"},
        timeout=30,
    )
    assert found.status_code == 200, found.text
    [partij] = found.json()["results"]
    made = requests.post(
        f"{origin}{KLANTINTERACTIES.base}/klantcontacten",
        json={
            "kanaal": "Email",
            "onderwerp": "Vreemd contract",
            "taal": "nl",
            "vertrouwelijk": True,
        },
        headers={"Authorization": f"Token {GEMEENTE_API_KEY}"},
        timeout=30,
    )
    assert made.status_code == 201, made.text
    return Known(bsn, kvk_nummer, partij["uuid"], made.json()["uuid"])


def _known_cases(known: Known) -> dict[str, list[dict[str, Any]]]:
    """Per operation label of either document: the parts of requests that name a known partij."""
    by_bsn = {
        "partijIdentificator__codeSoortObjectId": "bsn",
        "partijIdentificator__objectId": known.bsn,
    }
    by_kvk = {
        "partijIdentificator__codeSoortObjectId": "kvk_nummer",
        "partijIdentificator__codeRegister": "hr",
        "partijIdentificator__codeObjecttype": "niet_natuurlijk_persoon",
        "partijIdentificator__objectId": known.kvk_nummer,
    }
    adressen_by_bsn = {f"verstrektDoorPartij__{k}": v for k, v in by_bsn.items()}
    adressen_by_kvk = {f"verstrektDoorPartij__{k}": v for k, v in by_kvk.items()}
    expand = {"expand": ["digitaleAdressen"]}
    klantcontact = {
        "kanaal": "Email",
        "onderwerp": "Uw aanvraag",
        "taal": "nl",
        "vertrouwelijk": True,
    }
    klantcontact_extra = {
        "inhoud": "Uw aanvraag is verleend.",
        "indicatieContactGelukt": True,
        "hoofdOnderwerpType": "https://catalogi.example.nl/zaaktypen/1",
        "plaatsgevondenOp": "2026-11-22T11:00:00.0000000",
        "metadata": {"zaak": "ZAAK-1"},
    }
    betrokkene = {
        "wasPartij": {"uuid": known.partij_uuid},
        "rol": "klant",
        "initiator": True,
        "contactnaam": {"voornaam": "Jan"},
        "bezoekadres": {"postcode": "1234 AB", "huisnummer": 1, "land": "NL"},
    }
    zaak = {
        "objectId": "0b2f6d6c-3c3e-4d4f-9a5e-7c1a2b3c4d5e",
        "codeObjecttype": "zaak",
        "codeRegister": "openzaak",
        "codeSoortObjectId": "uuid",
    }
    return {
        "GET /partijen": [
            {"query": by_bsn},
            {"query": {**by_bsn, **expand}},
            {"query": {**by_kvk, **expand}},
            {"query": {**by_bsn, "expand": ["digitaleAdressen", "betrokkenen"], "page": 1}},
        ],
        "GET /partijen/{uuid}": [
            {"path_parameters": {"uuid": known.partij_uuid}},
            {"path_parameters": {"uuid": known.partij_uuid}, "query": expand},
        ],
        "GET /digitaleadressen": [
            {"query": adressen_by_bsn},
            {"query": {**adressen_by_bsn, "soortDigitaalAdres": "telefoonnummer"}},
            {"query": {"verstrektDoorPartij__uuid": known.partij_uuid}},
            {"query": adressen_by_kvk},
        ],
        # The write-backs: a 201 that generated requests never reach, as they name no partij
        # or klantcontact the key was given or made - and an address fit to keep.
        "POST /klantcontacten": [
            {"body": klantcontact},
            {"body": {**klantcontact, **klantcontact_extra}},
        ],
        "POST /betrokkenen": [
            {"body": {**betrokkene, "hadKlantcontact": {"uuid": known.klantcontact_uuid}}},
            {
                "body": {
                    "hadKlantcontact": {"uuid": known.klantcontact_uuid},
                    "rol": "vertegenwoordiger",
                    "initiator": False,
                    "wasPartij": None,
                }
            },
        ],
        "POST /onderwerpobjecten": [
            {
                "body": {
                    "klantcontact": {"uuid": known.klantcontact_uuid},
                    "wasKlantcontact": {"uuid": known.klantcontact_uuid},
                    "onderwerpobjectidentificator": zaak,
                }
            },
        ],
        "POST /maak-klantcontact": [
            {
                "body": {
                    "klantcontact": {**klantcontact, **klantcontact_extra},
                    "betrokkene": betrokkene,
                    "onderwerpobject": {
                        "wasKlantcontact": {"uuid": known.klantcontact_uuid},
                        "onderwerpobjectidentificator": zaak,
                    },
                }
            },
            {"body": {"klantcontact": klantcontact}},
        ],
        "POST /digitaleadressen": [
            {
                "body": {
                    "verstrektDoorPartij": {"uuid": known.partij_uuid},
                    "adres": f"bewaard.{uuid.uuid4().hex[:8]}@example.nl",
                    "soortDigitaalAdres": "email",
                    "referentie": "zaak-1",
                }
            },
            {
                "body": {
                    "verstrektDoorPartij": None,
                    "adres": "06 12345678",
                    "soortDigitaalAdres": "telefoonnummer",
                    "isStandaardAdres": False,
                    "omschrijving": "",
                    "verificatieDatum": None,
                }
            },
        ],
        "POST /api/profielservice/v1/partij": [
            {"body": {"identificatieType": "BSN", "identificatieNummer": known.bsn}},
            {"body": {"identificatieType": "KVK", "identificatieNummer": known.kvk_nummer}},
        ],
        "POST /api/profielservice/v1/partijen/bulk": [
            {
                "body": {
                    "identificaties": [
                        {"identificatieType": "BSN", "identificatieNummer": known.bsn},
                        {"identificatieType": "KVK", "identificatieNummer": known.kvk_nummer},
                    ]
                }
            },
            {
                "body": {
                    "identificaties": [
                        {"identificatieType": "BSN", "identificatieNummer": known.bsn},
                        {"identificatieType": "BSN", "identificatieNummer": random_test_bsn()},
                    ]
                }
            },
        ],
    }


# The operations served that the known requests must cover: the reads, and the write-backs,
# whose 201 generated requests never reach. Another operation the registry serves is fuzzed
# above only.
_READS = {
    "GET /partijen",
    "GET /partijen/{uuid}",
    "GET /digitaleadressen",
    "POST /api/profielservice/v1/partij",
    "POST /api/profielservice/v1/partijen/bulk",
}
_KNOWN = _READS | set(_WRITES)


@pytest.mark.parametrize("foreign", list(CONTRACTS.values()), ids=list(CONTRACTS))
def test_answers_about_a_known_partij_are_as_the_document_says(
    foreign: Foreign, known: Known, origin: str
) -> None:
    schema = klantinteracties_schema if foreign is KI else moza_schema
    cases = _known_cases(known)
    assert any(label in _READS for label in foreign.served), f"no read of {foreign.name} is served"
    covered = [label for label in foreign.served if label in _KNOWN]
    failures = []
    for label in covered:
        method, path = label.split(" ", 1)
        operation = schema[path][method]
        for parts in cases[label]:
            media = {"media_type": "application/json"} if "body" in parts else {}
            case = operation.Case(**parts, **media)
            created = 201 if label in _WRITES else None  # a 400 is no INTENDED one here
            found = _call_and_check(foreign, case, origin, created)
            failures.extend(described for _, described in found)
    assert not failures, "\n".join(failures)


@pytest.fixture(scope="module", autouse=True)
def every_served_operation_was_fuzzed_in_both_modes() -> Iterator[None]:
    """After all of this module: says how much it did, and fails the run (an error at teardown)
    if an operation the registry serves was not fuzzed in both modes."""
    yield
    seconds = time.monotonic() - STARTED[0] if STARTED else 0.0
    for foreign in CONTRACTS.values():
        ran = {k: n for k, n in REQUESTS.items() if k[0] == foreign.name}
        per = Counter()
        for (_, _, mode, phase), n in ran.items():
            per[f"{mode} {phase}".strip()] += n
        print(
            f"\nschemathesis {foreign.name}: {sum(ran.values())} requests "
            f"({', '.join(f'{k}: {n}' for k, n in sorted(per.items()))}), "
            f"{len(foreign.served)} operations served: {', '.join(foreign.served)}"
        )
        # In the fuzzing phase itself, not only among the examples and the coverage phase's.
        for mode in ("positive", "negative"):
            fuzzed = {op for (_, op, m, phase) in ran if (m, phase) == (mode, "fuzzing")}
            served = set(foreign.served)
            assert served <= fuzzed, (foreign.name, mode, sorted(served - fuzzed))
    intended = {k: n for k, n in SEEN.items() if k in INTENDED}
    print(
        f"foreign contracts: {seconds:.0f} s; intended failures: "
        f"{sum(intended.values())} of {len(intended)} kinds"
    )
    for key in sorted(set(INTENDED) - set(SEEN)):
        print(f"  intended, not seen this run: {key}")
