"""The OpenAPI document: the committed file what the code generates, valid OpenAPI 3.0.3, the
routes in code and nothing else, the headers and problems the service promises, and schemas that
the service's real answers and the sample requests fit - and answer models that give exactly the
answers.

The NL API Design Rules linter runs on it in ``tests/deploy/test_adr_lint.py``.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError
from stdnum.nl import bsn as stdnum_bsn

from functions.access_log import app as access_log_app
from functions.access_log import core as access_log
from functions.get_profile import core as get_profile
from functions.lookup_preferences import core as lookup
from functions.lookup_preferences.core import Opvraging
from functions.openapi import document_text
from functions.registry import BASE_PATH, FUNCTIONS, function
from functions.update_profile import core as update_core
from functions.verify_contact import core as verify
from shared.errors import DomainError
from shared.http.entrypoints import API_VERSION, lambda_entry
from shared.http.errors import problem_of
from shared.http.openapi import DOCUMENT, OPENAPI_MEDIA_TYPE, openapi_document, openapi_json
from shared.http.path import code_parameter, oin_parameter, uuid_parameter
from shared.http.profiel import (
    ETAG_PATTERN,
    IF_MATCH_PATTERN,
    contactgegeven_view,
    etag,
    profiel_response,
    required_if_match,
)
from shared.models import antwoorden
from shared.models.audit import Actie, AuditRecord
from shared.models.bronnen import (
    BagAdres,
    Bron,
    Onderneming,
    Persoon,
    Registratie,
    RegistratieAdres,
    Vestiging,
    Vestigingsprofiel,
)
from shared.models.ldv import Verwerking
from shared.models.partij import SoortIdentificator
from shared.models.profiel import (
    ContactgegevenToevoegen,
    ContactgegevenWijzigen,
    ContactnaamZetten,
    Delen,
    PostadresInvoer,
    Profiel,
)
from shared.models.register import Organisatie
from shared.models.values import (
    BSN_PATTERN,
    EIDAS_PATTERN,
    KVK_NUMMER_PATTERN,
    LANDCODE_PATTERN,
    NOT_BLANK_PATTERN,
    OIN_PATTERN,
    POSTCODE_PATTERN,
    TAALCODE_PATTERN,
    UUID_PATTERN,
    VESTIGINGSNUMMER_PATTERN,
)
from shared.models.verificatie import (
    Verificatie,
    VerificatieBevestigen,
    VerificatiecodeVerzonden,
)
from shared.models.voorkeuren import CODE_PATTERN, Voorkeuren, Voorkeurset
from shared.opvragen import Gevonden
from shared.problems import (
    PROBLEM_CONTENT_TYPE,
    InvalidParam,
    Problem,
    invalid_input,
    unauthorized,
)
from shared.tracing import new_span_id, trace_context
from tests.support import SPECS

REPOSITORY = Path(__file__).resolve().parents[2]
EVENTS = REPOSITORY / "events"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
OIN = "00000099000000000001"
BSN = "999993653"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, item[method])
        for path, item in document["paths"].items()
        for method in METHODS
        if method in item
    ]


def resolved(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A ``$ref`` to a component, followed (they are never chained here)."""
    if "$ref" not in node:
        return node
    _, _, kind, name = node["$ref"].split("/")
    return document["components"][kind][name]


def responses(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (f"{method} {path}", status, resolved(document, response))
        for method, path, operation in operations(document)
        for status, response in operation["responses"].items()
    ]


def schema_validator(document: dict[str, Any], name: str):
    from openapi_schema_validator import OAS30Validator

    return OAS30Validator({"$ref": f"#/components/schemas/{name}", **document})


def assert_fits(document: dict[str, Any], name: str, instance: Any) -> None:
    errors = [e.message for e in schema_validator(document, name).iter_errors(instance)]
    assert errors == [], (name, instance)


# --- the document as a whole -----------------------------------------------------------------

REGENERATE = ".venv/bin/python -m functions.openapi"


def test_the_committed_document_is_what_the_code_generates() -> None:
    """get-profile serves the committed file as it is: it must be what the route table and the
    models give now."""
    committed, generated = DOCUMENT.read_text(encoding="utf-8"), document_text()
    if committed != generated:
        lines = difflib.unified_diff(
            committed.splitlines(), generated.splitlines(), "committed", "generated", lineterm=""
        )
        pytest.fail(
            f"{DOCUMENT.relative_to(REPOSITORY)} is not what the code generates: regenerate it "
            f"with `{REGENERATE}` and commit it.\n" + "\n".join(list(lines)[:40])
        )


def test_the_route_table_and_the_served_document_import_no_model_and_no_function() -> None:
    """The registry is data; the committed file is read once per process: neither imports
    pydantic, a model, a function's modules or the generator."""
    script = (
        "import sys; import functions.registry; from shared.http.openapi import openapi_json; "
        "openapi_json(); print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pydantic', 'functions') or m.startswith('shared.models')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "['functions', 'functions.registry']"


def test_nothing_in_shared_imports_from_functions() -> None:
    """shared/ is what every function builds on; the generator and the route table are in
    functions/, never the reverse."""
    for path in sorted((REPOSITORY / "shared").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "functions" for n in names), path


def test_each_operation_is_declared_beside_its_route() -> None:
    """Summary, description and answer sit in functions/registry.py, each route with its own."""
    for f in FUNCTIONS:
        for route in f.routes:
            if route.contract is not None:
                continue  # described by that contract's own document
            assert route.operation is not None, route.key
            assert route.operation.summary and route.operation.description, route.key
            assert (route.operation.tag or f.tag) is not None, route.key


def test_every_route_of_another_contract_is_an_operation_of_its_document() -> None:
    """A route that answers another standard's contract serves an operation that contract's
    vendored document has, at its base path: what its clients call."""
    contract_routes = [r for f in FUNCTIONS for r in f.routes if r.contract is not None]
    assert contract_routes
    for route in contract_routes:
        text = (SPECS / route.contract.document).read_text()
        spec = yaml.safe_load(text)
        bases = [s["url"] for s in spec.get("servers", [])] or [""]
        operations = {
            (method.upper(), base + path)
            for base in bases
            for path, item in spec["paths"].items()
            for method in item
        }
        assert (route.method, route.base + route.path) in operations, route.route_key


def test_the_document_is_valid_openapi_3_0_3(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.0.3"
    try:
        # Installed with moto's server extra (constraints.txt pins it).
        from openapi_spec_validator import OpenAPIV30SpecValidator
    except ImportError:
        # Without it, what a reader needs at least: each operation answers, every $ref resolves.
        assert {"openapi", "info", "paths", "components"} <= set(document)
        for method, path, operation in operations(document):
            assert operation["responses"], (method, path)
        for ref in re.findall(r'"\$ref": "([^"]+)"', json.dumps(document)):
            resolved(document, {"$ref": ref})
        return
    errors = [e.message for e in OpenAPIV30SpecValidator(document).iter_errors()]
    assert errors == []


def test_it_has_none_of_the_json_schema_that_openapi_3_0_lacks(document: dict[str, Any]) -> None:
    """What pydantic writes (draft 2020-12) and 3.0 does not know, or reads differently."""

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key in ("const", "$defs", "prefixItems", "examples", "$schema"):
                assert key not in node or where.endswith(".properties"), f"{where}.{key}"
            if isinstance(node.get("type"), list) or node.get("type") == "null":
                raise AssertionError(f"{where}.type: {node['type']}")
            if "$ref" in node:
                assert set(node) == {"$ref"}, f"{where}: beside $ref, 3.0 ignores {set(node)}"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}.{index}")

    walk(document["paths"], "paths")
    walk(document["components"], "components")


def test_the_server_is_the_base_path_and_the_version_the_api_version(
    document: dict[str, Any],
) -> None:
    assert document["servers"] == [
        {"url": BASE_PATH, "description": "Het basispad van deze versie."}
    ]
    assert document["info"]["version"] == API_VERSION
    assert set(document["info"]["contact"]) == {"name", "url", "email"}


def test_it_is_built_once_and_handed_out_as_a_copy() -> None:
    first = openapi_document()
    first["paths"].clear()
    assert openapi_document()["paths"]
    assert openapi_json() is openapi_json()
    assert json.loads(openapi_json()) == openapi_document()


# --- the operations and the routes -----------------------------------------------------------


def routes_in_code() -> set[tuple[str, str]]:
    """(method, path below the base path) of every route the functions' routers serve."""
    found = set()
    for f in FUNCTIONS:
        if not f.routes:
            continue
        resolver = import_module(f"{f.package}.app").api.resolver
        # The resolver's own table: what really serves.
        for route in resolver.routes:
            if not route.path.startswith(BASE_PATH):
                continue  # another contract's route (Route.contract)
            path = re.sub(r"<(\w+)>", r"{\1}", route.path).removeprefix(BASE_PATH)
            found.add((route.method, path))
    return found


def test_every_route_in_code_is_documented_and_nothing_else(document: dict[str, Any]) -> None:
    documented = {(method, path) for method, path, _ in operations(document)}
    assert documented == routes_in_code()
    assert documented == {
        (r.method, r.path) for f in FUNCTIONS for r in f.routes if r.contract is None
    }


def test_operations_have_a_unique_id_a_summary_and_a_declared_tag(
    document: dict[str, Any],
) -> None:
    declared = {tag["name"] for tag in document["tags"]}
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    for method, path, operation in operations(document):
        assert re.fullmatch(r"[a-z][A-Za-z]+", operation["operationId"]), (method, path)
        assert operation["summary"] and operation["description"], (method, path)
        assert len(operation["tags"]) == 1 and operation["tags"][0] in declared, (method, path)


def test_the_operations_of_one_function_share_its_tag(document: dict[str, Any]) -> None:
    tag_of = {(method, path): op["tags"][0] for method, path, op in operations(document)}
    tags = {}
    for f in FUNCTIONS:
        served = {
            tag_of[(r.method, r.path)]
            for r in f.routes
            if r.key != "GET /openapi.json" and r.contract is None
        }
        if served:
            assert len(served) == 1, f.name
            tags[f.name] = served.pop()
    assert len(set(tags.values())) == len(tags)


def test_path_parameters_are_declared_for_every_template(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        names = set(re.findall(r"\{(\w+)\}", path))
        declared = {
            resolved(document, p)["name"]
            for p in item.get("parameters", [])
            if resolved(document, p)["in"] == "path"
        }
        assert declared == names, path


def test_no_parameter_names_an_identifier_of_a_person(document: dict[str, Any]) -> None:
    # A person's number or contact detail, in a path or a query, ends up in access logs.
    person = re.compile(
        r"bsn|burgerservice|kvk|vestigingsnummer|email|telefoon|adres", re.IGNORECASE
    )
    for path, item in document["paths"].items():
        for name in re.findall(r"\{(\w+)\}", path):
            assert not person.search(name), path
        for method in METHODS:
            parameters = item.get("parameters", []) + item.get(method, {}).get("parameters", [])
            for parameter in parameters:
                name = resolved(document, parameter)["name"]
                assert not person.search(name), (method, path, name)


def test_every_change_needs_if_match_and_a_read_does_not(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        names = {resolved(document, p)["name"] for p in operation.get("parameters", [])}
        route = f"{method} {path}"
        changes = function("update-profile").routes
        assert ("If-Match" in names) == (route in {r.key for r in changes}), route


def test_the_inzage_documents_its_paging(document: dict[str, Any]) -> None:
    operation = document["paths"]["/profiel/inzage"]["get"]
    query = {
        resolved(document, p)["name"]: resolved(document, p)
        for p in operation["parameters"]
        if resolved(document, p)["in"] == "query"
    }
    assert set(query) == {"limiet", "vanaf"}
    assert query["limiet"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": access_log.MAXIMUM_PAGE,
        "default": access_log.DEFAULT_PAGE,
    }


def test_security_person_organisation_and_the_one_public_route(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert {s["scheme"] for s in schemes.values()} == {"bearer"}
    assert all(s["bearerFormat"] == "JWT" for s in schemes.values())
    assert "client-credentials" in schemes["organisatie"]["description"]
    for method, path, operation in operations(document):
        expected = {
            "GET /openapi.json": [],
            "POST /opvragingen": [{"organisatie": []}],
            "POST /onbestelbaar": [{"organisatie": []}],
            # NotifyNL's callback: no person's or organisation's token, its own bearer token.
            "POST /notifynl/afleverberichten": [],
        }.get(f"{method} {path}", [{"burger": []}])
        assert operation["security"] == expected, (method, path)
    lookup_parameters = document["paths"]["/opvragingen"]["post"]["parameters"]
    assert "Fsc-Authorization" in {resolved(document, p)["name"] for p in lookup_parameters}


# --- responses -------------------------------------------------------------------------------


def test_every_response_has_the_api_version_header(document: dict[str, Any]) -> None:
    for route, status, response in responses(document):
        header = resolved(document, response["headers"]["API-Version"])
        assert header["schema"]["type"] == "string", (route, status)


def test_every_error_is_a_problem(document: dict[str, Any]) -> None:
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert "invalidParams" in problem["properties"]
    for route, status, response in responses(document):
        if int(status) >= 400:
            assert response["content"] == {
                PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
            }, (route, status)
        else:
            assert PROBLEM_CONTENT_TYPE not in response.get("content", {}), (route, status)


def test_the_headers_the_answers_carry(document: dict[str, Any]) -> None:
    success = {
        route: response["headers"]
        for route, status, response in responses(document)
        if int(status) < 400
    }
    assert "Location" in success["POST /profiel/contactgegevens"]
    assert "traceparent" in success["POST /opvragingen"]
    assert "access-control-allow-origin" in success["GET /openapi.json"]
    for route in ("GET /profiel", "PUT /profiel/postadres"):
        assert "ETag" in success[route], route
    for route, status, response in responses(document):
        if status in ("429", "503"):
            assert "Retry-After" in response["headers"], (route, status)
        if status == "401":
            assert "WWW-Authenticate" in response["headers"], route


# --- the schemas against what the service really sends and takes ----------------------------


def sample_profiel() -> Profiel:
    return Profiel.model_validate(
        {
            "contactgegevens": [
                {
                    "id": "2d9f4401-bea2-4f28-ac4a-485727e2d80f",
                    "soortDigitaalAdres": "email",
                    "adres": "jan@example.nl",
                    "isStandaardAdres": True,
                    "verificatieDatum": "2026-11-01",
                },
                {
                    "id": "a4da9940-aadd-443f-8083-79ce69d79a18",
                    "soortDigitaalAdres": "telefoonnummer",
                    "adres": "+31612345678",
                    "omschrijving": "Mobiel",
                    "isStandaardAdres": True,
                },
            ],
            "postadres": {
                "soort": "nederlands",
                "straat": "Dorpsstraat",
                "huisnummer": 1,
                "postcode": "1234 AB",
                "woonplaats": "Ons Dorp",
                "nummeraanduidingIdentificatie": "0599200000219678",
                "gecontroleerdOp": "2026-11-30",
            },
            "contactnaam": "J. Jansen",
            "voorkeuren": {
                "correspondentie": "digitaal",
                "kanalen": {"sms": False},
                "voorkeursadressen": {"email": "2d9f4401-bea2-4f28-ac4a-485727e2d80f"},
                "organisaties": [{"oin": OIN, "taal": "en", "diensten": [{"dienst": "parkeren"}]}],
                "vestigingen": [{"vestigingsnummer": "000012345678", "correspondentie": "post"}],
            },
            "delen": {"geweigerd": ["00000099000000000003"], "alleenMet": None},
        }
    )


def sample_register() -> list[Organisatie]:
    return [
        Organisatie.model_validate(
            {
                "oin": OIN,
                "naam": "Gemeente Voorbeeld",
                "diensten": [{"code": "parkeren", "naam": "Parkeren"}],
                "doelen": [
                    {
                        "code": "notificatie",
                        "omschrijving": "Berichten sturen",
                        "grondslag": "Wet",
                        "verwerkingsactiviteit": "https://example.nl/va/1",
                        "velden": [
                            "email",
                            "telefoonnummer",
                            "kanalen",
                            "correspondentie",
                            "taal",
                            "weergave",
                            "postadres",
                        ],
                    }
                ],
            }
        )
    ]


def sample_registraties() -> list[Registratie]:
    """What a register can say: a person, a person it no longer keeps, a company, nobody it
    knows, and no answer at all."""
    adres = RegistratieAdres("Boterdiep 31", "3077 AW  ROTTERDAM")
    persoon = Persoon(adres, "Geachte mevrouw Moulin", "S. Moulin", "mevrouw Moulin")
    bedrijf = Onderneming(
        "69599084",
        "Test EMZ Dagobert",
        ("Test EMZ Dagobert", "Tweede handelsnaam"),
        RegistratieAdres("Postbus 1", "1000 AA  AMSTERDAM"),
        (
            Vestiging(
                "000038509504", "Test EMZ Dagobert", "Hizzaarderlaan 3 A, 8823SJ Lollum", True
            ),
        ),
    )
    return [
        Registratie(Bron.BRP, True, persoon=persoon),
        Registratie(Bron.BRP, True, persoon=Persoon(overleden=True, opschorting_reden="O")),
        Registratie(Bron.KVK, True, onderneming=bedrijf),
        Registratie(
            Bron.KVK,
            True,
            onderneming=bedrijf,
            vestiging=Vestigingsprofiel(
                "000038509504", "69599084", "Test EMZ Dagobert", ("Test EMZ Dagobert",), None
            ),
        ),
        Registratie(Bron.BRP, True),
        Registratie(Bron.KVK, False),
    ]


SAMPLE_BAG_ADRES = BagAdres("Boterdiep", 31, None, None, "3077 AW", "Rotterdam", "0599200000219678")


def gevonden(profiel: Profiel | None, bron: Bron) -> Gevonden:
    """What the lookup found of one partij, as /opvragingen's rendering takes it."""
    return Gevonden(SoortIdentificator.BSN, "p", profiel, bron)


def test_the_real_answers_fit_their_schemas(document: dict[str, Any]) -> None:
    pytest.importorskip("openapi_schema_validator")
    profiel = sample_profiel()
    empty = Profiel()
    for shown in (profiel, empty):
        for registratie in sample_registraties():
            body = json.loads(profiel_response(shown, 3, registratie).body)
            assert_fits(document, "Profiel", body)
    found = {
        "adressen": [
            antwoorden.BagAdresAntwoord.van(SAMPLE_BAG_ADRES).model_dump(mode="json", by_alias=True)
        ]
    }
    assert_fits(document, "Adressuggesties", found)
    view = contactgegeven_view(profiel.contactgegevens[0], NOW)
    assert_fits(document, "Contactgegeven", view)

    register = sample_register()
    for vestiging in (None, "000012345678"):
        overview = get_profile.per_organisatie(
            profiel, register, lambda c: contactgegeven_view(c, NOW), vestiging
        )
        assert_fits(document, "OrganisatieOverzicht", {"organisaties": overview})

    doel = register[0].doel("notificatie")
    answers = [
        lookup.answer(gevonden(shown, bron), OIN, doel, dienst, reachability, NOW)
        for shown in (profiel, empty, None)
        for bron in (Bron.BRP, Bron.KVK)
        for dienst in (None, "parkeren")
        for reachability in (False, True)
    ]
    assert_fits(document, "Opvragingsresultaten", {"resultaten": answers})

    sent = Verificatie().met_nieuwe_code("hash", NOW)
    assert_fits(
        document,
        "VerificatiecodeVerzonden",
        verify.code_sent(profiel.contactgegevens[0], sent, NOW),
    )

    record = AuditRecord(
        "pseudoniem",
        "000000001",
        Actie.GEWIJZIGD,
        ("contactgegevens.email",),
        1,
        2,
        "burger",
        None,
        NOW.isoformat(),
        "4bf92f3577b34da6a3ce929d0e0e4736",
    )
    removed = AuditRecord(
        "pseudoniem",
        "000000002",
        Actie.VERWIJDERD,
        (),
        2,
        None,
        "systeem",
        None,
        NOW.isoformat(),
        None,
    )
    assert_fits(
        document, "Historie", {"wijzigingen": [access_log.change(r) for r in (record, removed)]}
    )

    verwerking = Verwerking(
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "00f067aa0ba902b7",
        None,
        "opvragen",
        "Ok",
        1795341600000,
        1795341600012,
        "https://example.nl/va/1",
        "pseudoniem",
        "urn:x",
        OIN,
        "notificatie",
    )
    gone = Verwerking(**{**verwerking.__dict__, "oin": "00000099000000000009"})
    activities = [access_log.processing_activity(v, register) for v in (verwerking, gone)]
    assert_fits(document, "Inzage", {"processingActivities": activities, "volgende": None})

    problems = [
        invalid_input([InvalidParam("postcode", "value_error", "geen postcode")]).to_dict(),
        unauthorized("Geen token.", token_sent=False).to_dict(),
    ]
    for problem in problems:
        assert_fits(document, "Problem", problem)


def test_the_answer_models_give_exactly_the_answers() -> None:
    """Each answer the service builds, read into the model the document shows for it and written
    out again, is the same JSON to the byte, members in the same order."""

    def same(model: Any, body: Any) -> None:
        written = model.model_validate(body).model_dump(mode="json", by_alias=True)
        assert json.dumps(written) == json.dumps(body), model.__name__

    profiel = sample_profiel()
    for shown in (profiel, Profiel()):
        for registratie in sample_registraties():
            body = json.loads(profiel_response(shown, 3, registratie).body)
            same(antwoorden.GetoondProfiel, body)
            viewed = [contactgegeven_view(c, NOW) for c in shown.contactgegevens]
            built = antwoorden.GetoondProfiel.van(shown, registratie, NOW)
            assert json.dumps(built.model_dump(mode="json", by_alias=True)) == json.dumps(
                {
                    **shown.model_dump(mode="json", by_alias=True),
                    "contactgegevens": viewed,
                    "registratie": body["registratie"],
                }
            )
    same(
        antwoorden.Adressuggesties,
        {
            "adressen": [
                antwoorden.BagAdresAntwoord.van(SAMPLE_BAG_ADRES).model_dump(
                    mode="json", by_alias=True
                )
            ]
        },
    )
    same(antwoorden.GetoondContactgegeven, contactgegeven_view(profiel.contactgegevens[0], NOW))

    register = sample_register()
    for vestiging in (None, "000012345678"):
        overview = get_profile.per_organisatie(
            profiel, register, lambda c: contactgegeven_view(c, NOW), vestiging
        )
        same(antwoorden.OrganisatieOverzicht, {"organisaties": overview})

    doel = register[0].doel("notificatie")
    # The purpose's fields in the register's order, whatever that is.
    backwards = doel.model_copy(update={"velden": tuple(reversed(doel.velden))})
    answers = [
        lookup.answer(gevonden(shown, Bron.BRP), OIN, purpose, dienst, reachability, NOW)
        for shown in (profiel, Profiel(), None)
        for purpose in (doel, backwards)
        for dienst in (None, "parkeren")
        for reachability in (False, True)
    ]
    same(antwoorden.Opvragingsresultaten, {"resultaten": answers})

    sent = Verificatie().met_nieuwe_code("hash", NOW)
    same(VerificatiecodeVerzonden, verify.code_sent(profiel.contactgegevens[0], sent, NOW))

    trace, at = "4bf92f3577b34da6a3ce929d0e0e4736", NOW.isoformat()
    changes = [
        AuditRecord("p", "1", Actie.AANGEMAAKT, ("adres",), None, 1, "burger", None, at, trace),
        AuditRecord("p", "2", Actie.VERWIJDERD, (), 1, None, "systeem", None, at, None),
    ]
    same(antwoorden.Historie, {"wijzigingen": [access_log.change(r) for r in changes]})

    verwerking = Verwerking(
        *(trace, "00f067aa0ba902b7", None, "opvragen", "Ok", 1795341600000, 1795341600012),
        *("https://example.nl/va/1", "pseudoniem", "urn:x", OIN, "notificatie"),
    )
    called = Verwerking(**{**verwerking.__dict__, "parent_span_id": "00f067aa0ba902b8"})
    gone = Verwerking(**{**verwerking.__dict__, "oin": "00000099000000000009"})
    activities = [access_log.processing_activity(v, register) for v in (verwerking, called, gone)]
    for volgende in (None, "1795341600000-00f067aa0ba902b7"):
        same(antwoorden.Inzage, {"processingActivities": activities, "volgende": volgende})

    for problem in (
        invalid_input([InvalidParam("postcode", "value_error", "geen postcode")]),
        unauthorized("Geen token.", token_sent=False),
    ):
        same(antwoorden.ProblemDetails, problem.to_dict())


def test_a_lookup_answers_as_many_results_as_it_takes_betrokkenen() -> None:
    betrokkenen = Opvraging.model_json_schema()["properties"]["betrokkenen"]
    assert betrokkenen["maxItems"] == antwoorden.MAXIMUM_BETROKKENEN


def test_the_schemas_refuse_what_the_service_refuses(document: dict[str, Any]) -> None:
    pytest.importorskip("openapi_schema_validator")

    def refused(name: str, instance: Any) -> bool:
        return not schema_validator(document, name).is_valid(instance)

    assert refused("ContactgegevenToevoegen", {"soortDigitaalAdres": "fax", "adres": "x"})
    assert refused("ContactgegevenWijzigen", {"adres": None})
    assert refused("Postadres", {"soort": "nederlands", "straat": "Dorpsstraat"})
    assert refused("Opvraging", {"doel": "notificatie", "betrokkenen": []})
    assert refused("VerificatieBevestigen", {"code": "12345"})
    assert refused("Voorkeurset", {"kanalen": {"sms": "ja"}})


# --- every constraint the document states is one the service enforces, and the reverse -------


def _status(refused: Problem | DomainError) -> int:
    return (refused if isinstance(refused, Problem) else problem_of(refused)).status


def _judge(validate: Callable[[Any], object]) -> Callable[[Any], bool]:
    """Whether the service takes a value: ``validate`` (a model or parser behind the document)
    returns, rather than refusing it as invalid input."""

    def takes(value: Any) -> bool:
        try:
            validate(value)
        except (ValidationError, ValueError):
            return False
        except (Problem, DomainError) as refused:
            assert _status(refused) == 400, refused
            return False
        return True

    return takes


# As a client sends it: a Dutch address is then completed from the BAG.
_POSTADRES = TypeAdapter(PostadresInvoer)
_NEDERLANDS = {
    "soort": "nederlands",
    "straat": "Dorpsstraat",
    "huisnummer": 1,
    "huisletter": "a",
    "huisnummertoevoeging": "2",
    "postcode": "1234 AB",
    "woonplaats": "Ons Dorp",
}
_BUITENLANDS = {"soort": "buitenlands", "adresregel1": "Rue de la Loi 16", "land": "BE"}
_ID = "2d9f4401-bea2-4f28-ac4a-485727e2d80f"


def _change_takes(body: dict[str, Any]) -> object:
    """The PATCH of a contact detail as the service judges it: the model, then the change to an
    e-mail address in a profile (``core.change_contactgegeven``, which refuses what the model
    cannot: a null address or standard flag, an address of the wrong kind)."""
    request = ContactgegevenWijzigen.model_validate(body)
    profiel = Profiel.model_validate(
        {"contactgegevens": [{"id": _ID, "soortDigitaalAdres": "email", "adres": "a@example.nl"}]}
    )
    return update_core.change_contactgegeven(profiel, UUID(_ID), request)


# (where, pattern, how the service judges a value there, values it takes, values it refuses,
# values the pattern allows that the service refuses for a reason the description gives).
# Response patterns: (where, pattern, None, values the service sends, (), ()).
PATTERN_CASES: list[tuple[str, str, Callable[[Any], bool] | None, tuple, tuple, tuple]] = [
    (
        "Betrokkene.bsn",
        BSN_PATTERN,
        _judge(lambda v: lookup.Betrokkene.model_validate({"bsn": v})),
        ("999993653", "100600505", "012345672"),
        ("000000000", "99999365", "9999936530", "99999365a", " 999993653", "９９９９９３６５３"),
        ("999993654", "123456789"),  # the elfproef
    ),
    (
        "Betrokkene.kvkNummer",
        KVK_NUMMER_PATTERN,
        _judge(lambda v: lookup.Betrokkene.model_validate({"kvkNummer": v})),
        ("69599084", "00000000"),
        ("6959908", "695990845", "6959908a", "６９５９９０８４"),
        (),
    ),
    (
        "Betrokkene.eidas",
        EIDAS_PATTERN,
        _judge(lambda v: lookup.Betrokkene.model_validate({"eidas": v})),
        ("ES/NL/02635542Y", "DE/NL/" + "x" * 250, "BE/NL/a+b/c=", "IT/NL/TINIT-ABC"),
        (
            "NL/NL/1",  # a Dutch person is found by BSN
            "ES/AT/02635542Y",  # for an Austrian service
            "es/NL/1",
            "DE/NL/",
            "DE/NL/a b",
            " DE/NL/x",
            "DE/NL/é",
            "DE/NL/" + "x" * 251,
        ),
        (),
    ),
    (
        "Delen.geweigerd",
        OIN_PATTERN,
        _judge(lambda v: Delen.model_validate({"geweigerd": [v]})),
        (OIN, "00000000000000000000"),
        (OIN[:-1], OIN + "0", OIN[:-1] + "a", ""),
        (),
    ),
    (
        "path oin",
        OIN_PATTERN,
        _judge(lambda v: oin_parameter("oin", v)),
        (OIN,),
        (OIN[:-1], OIN + "0", f" {OIN}"),
        (),
    ),
    (
        "VestigingVoorkeuren.vestigingsnummer",
        VESTIGINGSNUMMER_PATTERN,
        _judge(lambda v: Voorkeuren.model_validate({"vestigingen": [{"vestigingsnummer": v}]})),
        ("000012345678",),
        ("00001234567", "0000123456789", "00001234567a"),
        (),
    ),
    (
        "Voorkeurset.taal",
        TAALCODE_PATTERN,
        _judge(lambda v: Voorkeurset.model_validate({"taal": v})),
        ("nl", "EN", " de ", "Fr\t"),
        ("", "n", "nld", "n l", "ñl", "\u212aa", "nl."),  # \u212a: the Kelvin sign, "k" lowered
        ("xx", "qq"),  # not in ISO 639-1
    ),
    (
        "BuitenlandsPostadres.land",
        LANDCODE_PATTERN,
        _judge(lambda v: _POSTADRES.validate_python({**_BUITENLANDS, "land": v})),
        ("BE", "de", " gb "),
        ("", "B", "BEL", "\u00df", "\ufb01"),  # "ß" and "ﬁ" become SS and FI in upper case
        ("NL", "nl", "XX", "UK"),  # the Netherlands is soort nederlands; not in ISO 3166-1
    ),
    (
        "NederlandsPostadres.postcode",
        POSTCODE_PATTERN,
        _judge(lambda v: _POSTADRES.validate_python({**_NEDERLANDS, "postcode": v})),
        ("1234AB", "1234 ab", " 9999 ZZ ", "1000 sb"),
        (
            "",
            "0123 AB",
            "123 AB",
            "12345",
            "1234 ABC",
            "1234 SA",
            "1234 sd",
            "1234 Ss",
            "1234  AB",
            "NL-1234AB",
            "1234-AB",
            "1234\ufb00",  # "ﬀ": FF in upper case
        ),
        (),
    ),
    (
        "NederlandsPostadres.nummeraanduidingIdentificatie",
        r"^[0-9]{16}$",
        None,
        ("0599200000219678",),
        (),
        (),
    ),
    (
        "NederlandsPostadres.huisletter",
        r"^[A-Za-z]$",
        _judge(lambda v: _POSTADRES.validate_python({**_NEDERLANDS, "huisletter": v})),
        ("a", "B"),
        ("", "ab", "1", "\u00e9"),
        (),
    ),
    (
        "NederlandsPostadres.huisnummertoevoeging",
        r"^[A-Za-z0-9]{1,4}$",
        _judge(lambda v: _POSTADRES.validate_python({**_NEDERLANDS, "huisnummertoevoeging": v})),
        ("2", "a2B4"),
        ("", "12345", "a-b"),
        (),
    ),
    (
        "NederlandsPostadres.straat",
        NOT_BLANK_PATTERN,
        _judge(lambda v: _POSTADRES.validate_python({**_NEDERLANDS, "straat": v})),
        ("Dorpsstraat", " Dorpsstraat "),
        ("", " ", "\t \n"),
        ("Dorps\u200bstraat", "Dorps\x00straat"),  # format and control characters
    ),
    (
        "ContactgegevenToevoegen.adres",
        NOT_BLANK_PATTERN,
        _judge(
            lambda v: ContactgegevenToevoegen.model_validate(
                {"soortDigitaalAdres": "email", "adres": v}
            )
        ),
        ("jan@example.nl",),
        ("", "   "),
        ("jan", "jan@"),  # not an e-mail address
    ),
    (
        "ContactgegevenWijzigen.adres",
        NOT_BLANK_PATTERN,
        _judge(lambda v: _change_takes({"adres": v})),
        ("jan@example.nl",),
        ("", "   "),
        ("jan",),
    ),
    (
        "ContactgegevenWijzigen.omschrijving",
        NOT_BLANK_PATTERN,
        _judge(lambda v: _change_takes({"omschrijving": v})),
        ("Werk", " Werk "),
        ("", " "),
        (),
    ),
    (
        "Voorkeursadressen.email",
        UUID_PATTERN,
        _judge(lambda v: Voorkeurset.model_validate({"voorkeursadressen": {"email": v}})),
        (_ID, _ID.upper()),
        (_ID.replace("-", ""), f"{{{_ID}}}", f"urn:uuid:{_ID}", _ID[:8] + _ID[9:], ""),
        (),
    ),
    (
        "path contactgegevenId",
        UUID_PATTERN,
        _judge(lambda v: uuid_parameter("contactgegevenId", v)),
        (_ID, _ID.upper()),
        (_ID.replace("-", ""), f"{{{_ID}}}", f"urn:uuid:{_ID}", _ID.replace("-", "_"), ""),
        (),
    ),
    (
        "Opvraging.doel",
        CODE_PATTERN,
        _judge(lambda v: Opvraging.model_validate({"doel": v, "betrokkenen": [{"bsn": BSN}]})),
        ("notificatie", "a", "a-1", "a" * 40),
        ("", "Notificatie", "-a", "a" * 41, "a_b", "a b"),
        (),
    ),
    (
        "path dienst",
        CODE_PATTERN,
        _judge(lambda v: code_parameter("dienst", v)),
        ("parkeren", "p-1"),
        ("", "Parkeren", "-p", "p" * 41),
        (),
    ),
    (
        "VerificatieBevestigen.code",
        r"^[0-9]{6}$",
        _judge(lambda v: VerificatieBevestigen.model_validate({"code": v})),
        ("123456", "000000"),
        ("12345", "1234567", "12345a", "١٢٣٤٥٦", " 123456"),
        (),
    ),
    (
        "If-Match",
        IF_MATCH_PATTERN,
        _judge(lambda v: required_if_match({"if-match": v})),
        ('"3"', "*", " * ", 'W/"3"', '"1", "2"', ', "2",', '""', '"a,b"', '"3"\t'),
        ("3", '*, "3"', '"3', "W/3", '"3"x', "'3'", "**", '"3" "4"'),
        (),
    ),
    (
        "vanaf",
        r"^[0-9]{13}-[0-9a-f]{16}$",
        _judge(lambda v: _check(access_log_app._POSITION.fullmatch(v))),
        ("1795341600000-00f067aa0ba902b7",),
        ("", "1795341600000-00F067AA0BA902B7", "179534160000-00f067aa0ba902b7"),
        (),
    ),
    ("ETag", ETAG_PATTERN, None, tuple(etag(n) for n in (0, 1, 3, 12345)), (), ()),
    (
        "traceparent (answer)",
        r"^00-[0-9a-f]{32}-[0-9a-f]{16}-01$",
        None,
        (
            trace_context({}).traceparent,
            trace_context({"traceparent": TRACEPARENT}).traceparent,
        ),
        (),
        (),
    ),
    (
        "ProcessingActivity.traceId",
        r"^[0-9a-f]{32}$",
        None,
        (trace_context({}).trace_id, trace_context({"traceparent": TRACEPARENT}).trace_id),
        (),
        (),
    ),
    (
        "ProcessingActivity.spanId",
        r"^[0-9a-f]{16}$",
        None,
        (new_span_id(), trace_context({"traceparent": TRACEPARENT}).parent_span_id),
        (),
        (),
    ),
]


def _check(found: object) -> object:
    if not found:
        raise ValueError("refused")
    return found


def documented_patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return own.union(*(documented_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(documented_patterns(value) for value in node))
    return set()


def test_every_documented_pattern_has_its_cases(document: dict[str, Any]) -> None:
    """A pattern added to the document without saying here what the service does with it fails;
    so does a case whose pattern the document no longer gives."""
    cased = {pattern for _, pattern, *_ in PATTERN_CASES}
    assert documented_patterns(document) == cased


@pytest.mark.parametrize(
    ("where", "pattern", "takes", "accepted", "refused", "beyond"),
    PATTERN_CASES,
    ids=[case[0] for case in PATTERN_CASES],
)
def test_a_documented_pattern_takes_what_the_service_takes(
    where: str,
    pattern: str,
    takes: Callable[[Any], bool] | None,
    accepted: tuple[str, ...],
    refused: tuple[str, ...],
    beyond: tuple[str, ...],
) -> None:
    """Each value the pattern allows the service takes, each it refuses the service refuses -
    read as JSON Schema does (a search, Python's ``re``, as schemathesis and the validators do);
    ``beyond``: what the pattern allows and the service refuses for a reason the description
    gives in words (the elfproef, the ISO lists, invisible characters, a real address)."""
    for value in accepted:
        assert re.search(pattern, value), (where, value)
        assert takes is None or takes(value), (where, value)
    for value in refused:
        assert not re.search(pattern, value), (where, value)
        assert not takes(value), (where, value)
    for value in beyond:
        assert re.search(pattern, value), (where, value)
        assert not takes(value), (where, value)


# Per request body: the service's judge, and a body it takes.
REQUEST_BODIES: dict[str, tuple[Callable[[Any], bool], dict[str, Any]]] = {
    "ContactgegevenToevoegen": (
        _judge(ContactgegevenToevoegen.model_validate),
        {
            "soortDigitaalAdres": "email",
            "adres": "jan@example.nl",
            "omschrijving": "Werk",
            "isStandaardAdres": True,
        },
    ),
    "ContactgegevenWijzigen": (
        _judge(_change_takes),
        {"adres": "jan@example.nl", "omschrijving": "Werk", "isStandaardAdres": True},
    ),
    "NederlandsPostadresInvoer": (_judge(_POSTADRES.validate_python), _NEDERLANDS),
    "Postbusadres": (
        _judge(_POSTADRES.validate_python),
        {"soort": "postbus", "postbusnummer": 1234, "postcode": "1000 AA", "woonplaats": "A"},
    ),
    "ContactnaamZetten": (_judge(ContactnaamZetten.model_validate), {"contactnaam": "J. Jansen"}),
    "BuitenlandsPostadres": (
        _judge(_POSTADRES.validate_python),
        {**_BUITENLANDS, "adresregel2": "1000 Bruxelles", "adresregel3": "Belgique"},
    ),
    "Voorkeurset": (
        _judge(Voorkeurset.model_validate),
        {"correspondentie": "post", "taal": "nl"},
    ),
    "Opvraging": (
        _judge(Opvraging.model_validate),
        {
            "doel": "notificatie",
            "dienst": "parkeren",
            "alleenBereikbaarheid": True,
            "betrokkenen": [{"bsn": BSN}],
        },
    ),
    "VerificatieBevestigen": (_judge(VerificatieBevestigen.model_validate), {"code": "123456"}),
}

# What the request bodies' fields could be sent as, besides their own values.
_ODD_VALUES = ("", " ", "\t", 0, 1, "true", "1", None, [], {})
# Fields whose rule goes beyond what a schema can say (a real address, the ISO lists): there the
# document may allow what the service refuses - never the reverse.
_BEYOND_A_SCHEMA = {
    ("ContactgegevenToevoegen", "adres"),
    ("ContactgegevenWijzigen", "adres"),
    ("BuitenlandsPostadres", "land"),
    ("Voorkeurset", "taal"),
}


def test_every_request_body_is_documented_as_the_service_judges_it(
    document: dict[str, Any],
) -> None:
    """Empty, blank, a number for a boolean, a text for a number, null: the document refuses
    exactly what the model refuses, field by field (the empty postcode of an outside tester's
    report, the ``alleenBereikbaarheid: 0`` that was taken as false)."""
    pytest.importorskip("openapi_schema_validator")
    for name, (takes, body) in REQUEST_BODIES.items():
        validator = schema_validator(document, name)
        assert validator.is_valid(body) and takes(body), name
        for field in document["components"]["schemas"][name]["properties"]:
            for value in _ODD_VALUES:
                sent = {**body, field: value}
                documented, taken = validator.is_valid(sent), takes(sent)
                if (name, field) in _BEYOND_A_SCHEMA:
                    assert documented or not taken, (name, field, value)
                else:
                    assert documented == taken, (name, field, value, documented)


def test_a_betrokkene_is_exactly_one_of_bsn_and_kvk_nummer(document: dict[str, Any]) -> None:
    pytest.importorskip("openapi_schema_validator")
    validator = schema_validator(document, "Betrokkene")
    takes = _judge(lookup.Betrokkene.model_validate)
    for betrokkene, valid in [
        ({"bsn": BSN}, True),
        ({"kvkNummer": "69599084"}, True),
        ({"bsn": BSN, "kvkNummer": None}, True),
        ({"bsn": None, "kvkNummer": "69599084"}, True),
        ({}, False),
        ({"bsn": None}, False),
        ({"bsn": None, "kvkNummer": None}, False),
        ({"bsn": BSN, "kvkNummer": "69599084"}, False),
    ]:
        assert validator.is_valid(betrokkene) is valid, betrokkene
        assert takes(betrokkene) is valid, betrokkene


def test_the_bsn_is_documented_with_the_elfproef(document: dict[str, Any]) -> None:
    bsn = document["components"]["schemas"]["Betrokkene"]["properties"]["bsn"]
    assert "elfproef" in bsn["description"] and "000000000" in bsn["description"]
    examples = [bsn["example"]] + [
        b["bsn"]
        for b in document["components"]["schemas"]["Opvraging"]["example"]["betrokkenen"]
        if "bsn" in b
    ]
    for example in examples:
        assert stdnum_bsn.is_valid(example), example
        assert re.search(bsn["pattern"], example), example
        lookup.Betrokkene.model_validate({"bsn": example})
    # The one number that passes the elfproef's sum and is still no BSN: refused, and the
    # pattern says so.
    assert not re.search(bsn["pattern"], "000000000")
    assert not _judge(lambda v: lookup.Betrokkene.model_validate({"bsn": v}))("000000000")


def test_a_traceparent_is_never_refused_and_the_document_says_so(
    document: dict[str, Any],
) -> None:
    """W3C Trace Context: an invalid traceparent is ignored and a new trace begins - so the
    document gives it no pattern a client could be refused by."""
    parameter = document["components"]["parameters"]["Traceparent"]
    assert "pattern" not in parameter["schema"]
    assert "ongeldig" in parameter["description"] and "nieuwe trace" in parameter["description"]
    for sent in ("", "garbage", "ff-" + TRACEPARENT[3:], TRACEPARENT.upper(), "00-" + "0" * 32):
        trace = trace_context({"traceparent": sent})
        assert trace.parent_span_id is None and re.fullmatch("[0-9a-f]{32}", trace.trace_id)
    assert trace_context({"traceparent": TRACEPARENT}).trace_id == TRACEPARENT[3:35]


def test_the_if_match_parameter_is_the_parsers_pattern(document: dict[str, Any]) -> None:
    parameter = document["components"]["parameters"]["IfMatch"]
    assert parameter["schema"]["pattern"] == IF_MATCH_PATTERN
    for form in ('"3"', "`*`", "428", "400", "412"):
        assert form in parameter["description"], form
    with pytest.raises(Problem) as missing:
        required_if_match({"if-match": " "})
    assert missing.value.status == 428


def test_a_merge_patch_names_only_members_of_the_level(document: dict[str, Any]) -> None:
    """``null`` for a member the level does not have would remove nothing: a misspelt name is
    refused, as the document's ``additionalProperties: false`` says, not silently ignored."""
    pytest.importorskip("openapi_schema_validator")
    validator = schema_validator(document, "VoorkeurenWijziging")
    for patch, valid in [
        ({"taal": None, "kanalen": {"sms": None}, "weergave": None}, True),
        ({"kanalen": {"sms": False}}, True),
        ({"taall": None}, False),
        ({"kanalen": {"fax": None}}, False),
        ({"weergave": {"kleur": None}}, False),
        ({"voorkeursadressen": {"fax": None}}, False),
    ]:
        assert validator.is_valid(patch) is valid, patch
        try:
            update_core.patched_voorkeuren(Profiel(), patch)
        except DomainError as refused:
            assert not valid and problem_of(refused).status == 400, patch
        else:
            assert valid, patch


def sample_bodies() -> list[tuple[str, dict[str, Any]]]:
    """(route key below the base path, body) of every sample event that has a body."""
    found = []
    for path in sorted(EVENTS.rglob("*.json")):
        event = json.loads(path.read_text())
        if not event.get("body"):
            continue
        text = event["body"].replace("{{bsn}}", "999993653").replace("{{code}}", "123456")
        method, full_path = event["routeKey"].split(" ", 1)
        if not full_path.startswith(BASE_PATH + "/"):
            continue  # another contract's route (MOZa's): checked against that contract's document
        found.append((f"{method} {full_path.removeprefix(BASE_PATH)}", json.loads(text)))
    return found


def test_the_sample_requests_fit_the_documented_bodies(document: dict[str, Any]) -> None:
    pytest.importorskip("openapi_schema_validator")
    samples = sample_bodies()
    assert samples
    for key, body in samples:
        method, path = key.split(" ", 1)
        request = document["paths"][path][method.lower()]["requestBody"]
        schema = request["content"]["application/json"]["schema"]
        assert_fits(document, schema["$ref"].rsplit("/", 1)[1], body)


def test_the_examples_are_accepted_by_the_models(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    Opvraging.model_validate(schemas["Opvraging"]["example"])
    # The stored profile: without what is shown beside it (the registration read at the source).
    stored = {k: v for k, v in schemas["Profiel"]["example"].items() if k != "registratie"}
    Profiel.model_validate(
        {
            **stored,
            "contactgegevens": [
                {k: v for k, v in c.items() if k != "verificatieStatus"}
                for c in schemas["Profiel"]["example"]["contactgegevens"]
            ],
        }
    )


# --- the route that serves it ----------------------------------------------------------------


def test_the_document_is_served_without_a_token_to_any_origin(
    document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = import_module("functions.get_profile.app").api
    event = json.loads((EVENTS / "get-profile" / "openapi.json").read_text())
    assert "authorization" not in event["headers"]
    response = lambda_entry(api)(event, None)
    assert response["statusCode"] == 200
    headers = response["headers"]
    assert headers["Content-Type"] == OPENAPI_MEDIA_TYPE
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["API-Version"] == API_VERSION
    assert json.loads(response["body"]) == document


def test_a_token_is_not_looked_at_on_the_public_route() -> None:
    api = import_module("functions.get_profile.app").api
    event = json.loads((EVENTS / "get-profile" / "openapi.json").read_text())
    event["headers"]["authorization"] = "Bearer not-a-jwt"
    assert lambda_entry(api)(event, None)["statusCode"] == 200


def test_every_deployment_carries_the_committed_document() -> None:
    """AWS: serverless.yml's package patterns name it (tests/deploy/ looks into the package).
    Knative: the image installs the package, so it is package data. OpenFaaS: the image copies
    shared/ as it is."""
    import tomllib

    import yaml

    relative = DOCUMENT.relative_to(REPOSITORY).as_posix()
    serverless = yaml.safe_load((REPOSITORY / "serverless.yml").read_text())
    assert relative in serverless["package"]["patterns"]
    pyproject = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())
    assert DOCUMENT.name in pyproject["tool"]["setuptools"]["package-data"]["shared.http"]
    knative = (REPOSITORY / "infra" / "knative" / "Dockerfile").read_text()
    assert re.search(r"^COPY shared \./shared$", knative, re.MULTILINE)
    assert re.search(r"^RUN pip install -c constraints.txt \. ", knative, re.MULTILINE)
    openfaas = (REPOSITORY / "infra" / "openfaas" / "Dockerfile").read_text()
    assert re.search(r"^COPY shared/ shared/$", openfaas, re.MULTILINE)
