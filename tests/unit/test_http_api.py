"""The HTTP layer every function shares: routing, problems, bodies, If-Match, trace context.

Requests go through the functions' real resolver as API Gateway v2 events built by
``api_gateway_event`` and run by ``resolve``, exactly as the three runtimes do.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import logging
import re
from typing import Annotated, Any

import pytest
from pydantic import AfterValidator, RootModel
from werkzeug.test import EnvironBuilder

from functions.lookup_preferences.core import Opvraging
from functions.registry import BASE_PATH, Toegang
from functions.registry import function as registered
from shared.config import ENVIRONMENT_VARIABLES, get_settings
from shared.http.api import (
    FunctionApi,
    invalid_params,
    json_response,
    model_response,
    parse_body,
    problem_response,
)
from shared.http.entrypoints import STANDARD_HEADERS, api_gateway_event, resolve, wsgi_event
from shared.http.profiel import IfMatch, etag, required_if_match
from shared.http.resolver import HttpEvent, Response
from shared.http.routes import Function, Route
from shared.logs import LOGGER_NAME
from shared.models.base import ApiModel
from shared.models.profiel import ContactgegevenToevoegen, Postadres
from shared.problems import (
    PROBLEM_CONTENT_TYPE,
    PROBLEM_TYPE_BASE,
    InvalidParam,
    Problem,
    invalid_input,
    method_not_allowed,
    not_found,
    server_error,
    service_unavailable,
    unauthorized,
)
from shared.tracing import TraceContext, trace_context

BSN = "999993653"
MAX_BODY_BYTES = 2048
CONTACTGEGEVEN_ID = "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch):
    """Settings from the environment, as a deployed function reads them; fresh for each test."""
    for variable in ENVIRONMENT_VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY", "p" * 32)
    monkeypatch.setenv(
        "PROFIEL_TRUSTED_ISSUERS",
        json.dumps([{"issuer": "https://inlog.example.nl", "jwks_uri": "file:///nonexistent"}]),
    )
    monkeypatch.setenv("PROFIEL_MAX_BODY_BYTES", str(MAX_BODY_BYTES))
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


class Envelop(ApiModel):
    """A nested body, to see dotted names."""

    contactgegevens: list[ContactgegevenToevoegen]


def function(name: str) -> Function:
    """A function of the registry with every route open to anyone: these tests are about
    routing, bodies and answers; who may call is tested on its own below."""
    real = registered(name)
    return dataclasses.replace(
        real, routes=tuple(dataclasses.replace(r, toegang=Toegang.IEDEREEN) for r in real.routes)
    )


class PostadresBody(RootModel[Postadres]):
    """The body of PUT /profiel/postadres, as functions.update_profile.app declares it."""


def _register_all(api: FunctionApi, body_model: type | None = None) -> FunctionApi:
    for route in api.function.routes:

        def handler(_key: str = route.key, **params: str) -> Response:
            if params.get("contactgegevenId") == "boom":
                raise RuntimeError(f"secret {BSN}")
            body = None
            if body_model is not None and api.current_event.body:
                body = parse_body(api.current_event, body_model).model_dump(mode="json")
            return json_response(200, {"route": _key, "params": params, "body": body})

        api.route(route.key)(handler)
    return api


@pytest.fixture
def get_api() -> FunctionApi:
    return _register_all(FunctionApi(function("get-profile")))


@pytest.fixture
def update_api() -> FunctionApi:
    return _register_all(FunctionApi(function("update-profile")), ContactgegevenToevoegen)


def call(
    api: FunctionApi,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    query: str = "",
) -> dict[str, Any]:
    event = api_gateway_event(method, path, query, (headers or {}).items(), body, "192.0.2.1")
    return resolve(api, event, None)


def headers_of(response: dict[str, Any]) -> dict[str, str]:
    return {name.lower(): value for name, value in response["headers"].items()}


def assert_problem(response: dict[str, Any], status: int) -> dict[str, Any]:
    assert response["statusCode"] == status
    assert headers_of(response)["content-type"] == PROBLEM_CONTENT_TYPE
    body = json.loads(response["body"])
    assert body["status"] == status
    assert body["type"].startswith(PROBLEM_TYPE_BASE)
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def event_of(body: bytes, content_type: str | None = "application/json") -> HttpEvent:
    headers = [("Content-Type", content_type)] if content_type is not None else []
    return HttpEvent(
        api_gateway_event("POST", f"{BASE_PATH}/profiel/contactgegevens", "", headers, body, None)
    )


# --- FunctionApi and the registry ------------------------------------------------------------


@pytest.mark.parametrize("name", ["get-profile", "update-profile"])
def test_every_registry_route_reaches_its_handler(name: str) -> None:
    api = _register_all(FunctionApi(function(name)))
    for route in function(name).routes:
        path = BASE_PATH + route.path.replace("{contactgegevenId}", CONTACTGEGEVEN_ID)
        response = call(api, route.method, path)
        assert response["statusCode"] == 200, route.key
        body = json.loads(response["body"])
        assert body["route"] == route.key
        if "{contactgegevenId}" in route.path:
            assert body["params"] == {"contactgegevenId": CONTACTGEGEVEN_ID}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("get-profile", "POST /profiel/contactgegevens"),  # another function's route
        ("get-profile", "GET /profiel/postadres"),
        ("get-profile", "get /profiel"),
        ("get-profile", "GET /profiel/"),
        ("get-profile", "GET /profiel/contactgegevens/<contactgegevenId>"),
        ("update-profile", "GET /profiel"),
        ("update-profile", "PUT /profiel/voorkeuren"),
        ("update-profile", f"PATCH {BASE_PATH}/profiel/voorkeuren"),
    ],
)
def test_a_route_the_registry_does_not_give_the_function_cannot_be_registered(
    name: str, key: str
) -> None:
    api = FunctionApi(function(name))
    with pytest.raises(LookupError):
        api.route(key)


def test_each_function_api_is_its_own_resolver() -> None:
    first, second = FunctionApi(function("get-profile")), FunctionApi(function("get-profile"))
    assert first.resolver is not second.resolver

    @first.route("GET /profiel")
    def profiel() -> Response:
        return json_response(200, {"van": "first"})

    assert call(first, "GET", f"{BASE_PATH}/profiel")["statusCode"] == 200
    # The second has the route in its registry but no handler: not served by the first's.
    assert call(second, "GET", f"{BASE_PATH}/profiel")["statusCode"] != 200


# --- routing errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE_PATH}/onbekend",
        f"{BASE_PATH}/profiel/",  # a trailing slash is another path
        f"{BASE_PATH}/profiel/contactgegevens/{CONTACTGEGEVEN_ID}/",
        f"{BASE_PATH}/profiel/contactgegevens",  # update-profile's path, not get-profile's
        f"{BASE_PATH}/profiel/contactgegevens/a/b",
        f"{BASE_PATH}/profielen",
        f"{BASE_PATH}",
        f"{BASE_PATH}/",
        "/",
        f"{BASE_PATH}x/profiel",
        "/api/profiel/v2/profiel",
        f"{BASE_PATH}/{BSN}",
    ],
)
def test_an_unknown_path_is_a_404_problem(
    get_api: FunctionApi, path: str, service_log: list[logging.LogRecord]
) -> None:
    body = assert_problem(call(get_api, "GET", path), 404)
    assert set(body) == {"type", "title", "status", "detail"}
    assert BSN not in json.dumps(body)
    # A wrong URL may carry an identifier: the raw path is neither answered nor logged.
    assert service_log
    for record in service_log:
        assert BSN not in record.getMessage() + repr(record.__dict__)


@pytest.mark.parametrize("path", ["/profiel", f"/profiel/contactgegevens/{CONTACTGEGEVEN_ID}"])
def test_a_route_without_the_base_path_is_a_404_problem(get_api: FunctionApi, path: str) -> None:
    assert_problem(call(get_api, "GET", path), 404)


@pytest.mark.parametrize(
    ("name", "method", "path", "allowed"),
    [
        ("get-profile", "POST", "/profiel", "GET, HEAD"),
        ("get-profile", "DELETE", "/profiel", "GET, HEAD"),
        ("get-profile", "PUT", f"/profiel/contactgegevens/{CONTACTGEGEVEN_ID}", "GET, HEAD"),
        ("update-profile", "GET", f"/profiel/contactgegevens/{CONTACTGEGEVEN_ID}", "DELETE, PATCH"),
        ("update-profile", "PUT", f"/profiel/contactgegevens/{CONTACTGEGEVEN_ID}", "DELETE, PATCH"),
        ("update-profile", "GET", "/profiel/contactgegevens", "POST"),
        ("update-profile", "GET", "/profiel/postadres", "DELETE, PUT"),
        ("update-profile", "POST", "/profiel/voorkeuren", "PATCH"),
    ],
)
def test_a_known_path_with_a_wrong_method_is_a_405_with_allow(
    name: str, method: str, path: str, allowed: str
) -> None:
    api = _register_all(FunctionApi(function(name)))
    response = call(api, method, BASE_PATH + path)
    body = assert_problem(response, 405)
    assert headers_of(response)["allow"] == allowed
    # The same as the registry says for this path, and HEAD wherever GET is.
    template = re.sub(r"[0-9a-f-]{36}", "{contactgegevenId}", path)
    registry = {r.method for r in function(name).routes if r.path == template}
    assert allowed.split(", ") == sorted(registry | ({"HEAD"} if "GET" in registry else set()))
    assert allowed in body["detail"]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def service_log():
    """The records of the service's logger, whatever handlers and formatting it has."""
    handler = _Records()
    service_logger = logging.getLogger(LOGGER_NAME)
    service_logger.addHandler(handler)
    yield handler.records
    service_logger.removeHandler(handler)


def test_an_unexpected_error_is_a_500_problem_that_tells_nothing(
    get_api: FunctionApi, service_log: list[logging.LogRecord]
) -> None:
    response = call(get_api, "GET", f"{BASE_PATH}/profiel/contactgegevens/boom")
    body = assert_problem(response, 500)
    assert set(body) == {"type", "title", "status", "detail"}
    text = response["body"]
    for leak in (BSN, "secret", "RuntimeError", "Traceback", ".py", "/work", "test_http_api"):
        assert leak not in text
    # The log names the type and the place, never the message.
    errors = [r for r in service_log if r.levelno == logging.ERROR]
    assert [r.__dict__.get("error") for r in errors] == ["RuntimeError"]
    for record in service_log:
        logged = record.getMessage() + repr(record.__dict__)
        assert BSN not in logged and "secret" not in logged


def test_a_problem_raised_by_a_handler_is_rendered_with_its_headers() -> None:
    api = FunctionApi(function("get-profile"))

    @api.route("GET /profiel")
    def profiel() -> Response:
        raise unauthorized("Stuur een token mee.", token_sent=False)

    response = call(api, "GET", f"{BASE_PATH}/profiel")
    body = assert_problem(response, 401)
    assert body["detail"] == "Stuur een token mee."
    assert headers_of(response)["www-authenticate"] == 'Bearer realm="profielservice"'


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/profiel", 200),
        ("GET", f"/profiel/contactgegevens/{CONTACTGEGEVEN_ID}", 200),
        ("GET", "/onbekend", 404),
        ("DELETE", "/profiel", 405),
        ("GET", "/profiel/contactgegevens/boom", 500),
    ],
)
def test_every_response_carries_the_standard_headers(
    get_api: FunctionApi, method: str, path: str, status: int
) -> None:
    response = call(get_api, method, BASE_PATH + path)
    assert response["statusCode"] == status
    headers = response["headers"]
    assert headers["API-Version"] == STANDARD_HEADERS["API-Version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", headers["API-Version"])
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"


# --- HEAD ------------------------------------------------------------------------------------


def test_head_answers_as_get_without_the_body() -> None:
    api = FunctionApi(function("get-profile"))

    @api.route("GET /profiel")
    def profiel() -> Response:
        return json_response(200, {"naam": "Zoë"}, {"ETag": '"3"'})

    get = call(api, "GET", f"{BASE_PATH}/profiel")
    head = call(api, "HEAD", f"{BASE_PATH}/profiel")
    assert head["statusCode"] == get["statusCode"] == 200
    assert head["body"] == ""
    # The same headers, and the length in bytes of the body GET gives (RFC 9110 §8.6).
    length = str(len(get["body"].encode()))
    assert head["headers"] == {**get["headers"], "Content-Length": length}
    assert head["headers"]["ETag"] == '"3"'
    assert head["headers"]["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("name", "path", "status", "allow"),
    [
        ("update-profile", "/profiel/contactgegevens", 405, "POST"),
        ("get-profile", "/onbekend", 404, None),
    ],
)
def test_head_where_there_is_no_get_is_the_same_problem_without_the_body(
    name: str, path: str, status: int, allow: str | None
) -> None:
    api = _register_all(FunctionApi(function(name)))
    get = call(api, "GET", BASE_PATH + path)
    head = call(api, "HEAD", BASE_PATH + path)
    assert head["statusCode"] == get["statusCode"] == status
    assert head["body"] == ""
    assert headers_of(head).get("allow") == allow
    assert headers_of(head)["content-type"] == PROBLEM_CONTENT_TYPE
    assert head["headers"]["API-Version"] == STANDARD_HEADERS["API-Version"]


# --- an encoded slash in the path ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        # Each would reach a handler with "abc/def" or the id and a slash as contactgegevenId.
        f"{BASE_PATH}/profiel/contactgegevens/abc%2Fdef",
        f"{BASE_PATH}/profiel/contactgegevens/{CONTACTGEGEVEN_ID}%2f",
        f"{BASE_PATH}/profiel/contactgegevens%2F{CONTACTGEGEVEN_ID}",
        f"{BASE_PATH}%2Fprofiel",
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_an_encoded_slash_in_the_path_is_a_404_problem(
    get_api: FunctionApi, path: str, method: str
) -> None:
    response = call(get_api, method, path)
    assert response["statusCode"] == 404
    assert headers_of(response)["content-type"] == PROBLEM_CONTENT_TYPE
    assert response["headers"]["API-Version"] == STANDARD_HEADERS["API-Version"]
    if method == "GET":
        assert_problem(response, 404)


@pytest.mark.parametrize(
    ("target", "routed"),
    [
        (f"{BASE_PATH}/profiel%2Fcontactgegevens", f"{BASE_PATH}/profiel%2Fcontactgegevens"),
        (f"{BASE_PATH}/profiel%2fcontactgegevens", f"{BASE_PATH}/profiel%2fcontactgegevens"),
        (f"{BASE_PATH}/%70rofiel", f"{BASE_PATH}/profiel"),  # not reserved: decoded as usual
        (f"{BASE_PATH}/profiel?vanaf=a%2Fb", f"{BASE_PATH}/profiel"),  # the query is no path
    ],
)
def test_the_event_of_a_wsgi_request_never_decodes_an_encoded_slash(
    target: str, routed: str
) -> None:
    request = EnvironBuilder(path=target, method="POST").get_request()
    event = wsgi_event(request)
    assert event["rawPath"] == event["requestContext"]["http"]["path"] == routed


def test_a_handler_cannot_override_the_standard_headers() -> None:
    api = FunctionApi(function("get-profile"))

    @api.route("GET /profiel")
    def profiel() -> Response:
        return json_response(200, {}, {"Cache-Control": "public, max-age=3600"})

    response = call(api, "GET", f"{BASE_PATH}/profiel")
    assert response["headers"]["Cache-Control"] == "no-store"


# --- bodies ----------------------------------------------------------------------------------


class _Regel(ApiModel):
    tekst_regel: str
    nummer: int | None = None


class _Document(ApiModel):
    regels: tuple[_Regel, ...]
    bij_naam: dict[str, str]


@pytest.mark.parametrize(
    "text",
    ["Zoë Ĳsselmeer", "\u2028 en \u2029", 'aan"hef\\', "tab\tnieuw\nregel\x01\x7f", "😀 &<>/"],
)
def test_a_model_response_is_the_same_text_as_the_json_response_of_its_dump(text: str) -> None:
    """Serialised by pydantic in one go, the body stays what json.dumps of the dump would be."""
    model = _Document(
        regels=(_Regel(tekst_regel=text, nummer=3), _Regel(tekst_regel="")), bij_naam={text: text}
    )
    by_model = model_response(201, model, {"ETag": '"3"'})
    by_dump = json_response(201, model.model_dump(mode="json", by_alias=True), {"ETag": '"3"'})
    assert by_model.body == by_dump.body
    assert (by_model.status_code, by_model.content_type, by_model.headers) == (
        by_dump.status_code,
        by_dump.content_type,
        by_dump.headers,
    )
    assert '"tekstRegel"' in by_model.body


# --- problems --------------------------------------------------------------------------------


def test_problem_response_is_rfc_9457() -> None:
    response = problem_response(invalid_input([InvalidParam("adres", "value_error", "ongeldig")]))
    assert response.status_code == 400
    assert response.content_type == PROBLEM_CONTENT_TYPE
    assert json.loads(response.body) == {
        "type": PROBLEM_TYPE_BASE + "ongeldige-invoer",
        "title": "Ongeldige invoer",
        "status": 400,
        "detail": "De invoer klopt niet voor: adres.",
        "invalidParams": [{"name": "adres", "code": "value_error", "reason": "ongeldig"}],
    }


@pytest.mark.parametrize(
    ("problem", "status", "headers"),
    [
        (not_found(), 404, {}),
        (method_not_allowed(["DELETE", "PATCH"]), 405, {"Allow": "DELETE, PATCH"}),
        (server_error(), 500, {}),
        (service_unavailable("later"), 503, {"Retry-After": "5"}),
        (
            unauthorized("ongeldig"),
            401,
            {"WWW-Authenticate": 'Bearer realm="profielservice", error="invalid_token"'},
        ),
    ],
)
def test_problem_helpers(problem: Problem, status: int, headers: dict[str, str]) -> None:
    response = problem_response(problem)
    assert response.status_code == status
    assert {k: v for k, v in response.headers.items() if k.lower() != "content-type"} == headers
    body = json.loads(response.body)
    assert body["status"] == status and "invalidParams" not in body
    assert isinstance(problem, Exception) and str(problem) == problem.title


def test_a_problem_without_slug_is_about_blank() -> None:
    assert Problem(418, "Theepot", "Kort en dik.").to_dict()["type"] == "about:blank"


# --- parse_body ------------------------------------------------------------------------------

VALID = {"soortDigitaalAdres": "email", "adres": "Jan@Example.NL", "omschrijving": "werk"}


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "application/merge-patch+json",
        " application/json ",
    ],
)
def test_parse_body_reads_json(content_type: str) -> None:
    parsed = parse_body(event_of(json.dumps(VALID).encode(), content_type), ContactgegevenToevoegen)
    assert parsed.adres == "Jan@example.nl"
    assert parsed.omschrijving == "werk"


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        "text/plain",
        "text/json",
        "application/jsonx",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "json",
    ],
)
def test_parse_body_refuses_other_media_types_with_415(content_type: str | None) -> None:
    with pytest.raises(Problem) as caught:
        parse_body(event_of(json.dumps(VALID).encode(), content_type), ContactgegevenToevoegen)
    assert caught.value.status == 415


def _padded(size: int) -> bytes:
    """A valid body of exactly ``size`` bytes (the padding is JSON whitespace)."""
    raw = json.dumps(VALID).encode()
    return raw + b" " * (size - len(raw))


def test_parse_body_accepts_a_body_of_exactly_the_limit() -> None:
    assert get_settings().max_body_bytes == MAX_BODY_BYTES
    body = _padded(MAX_BODY_BYTES)
    assert parse_body(event_of(body), ContactgegevenToevoegen).adres == "Jan@example.nl"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(_padded(MAX_BODY_BYTES + 1), id="one-byte-over"),
        pytest.param(b"{" + b" " * 100_000, id="far-over-and-invalid"),
        # Fewer characters than the limit, more bytes: bytes count.
        pytest.param(
            json.dumps({**VALID, "omschrijving": "é" * 1100}, ensure_ascii=False).encode(),
            id="multibyte",
        ),
    ],
)
def test_parse_body_refuses_a_body_over_the_limit_with_413(body: bytes) -> None:
    with pytest.raises(Problem) as caught:
        parse_body(event_of(body), ContactgegevenToevoegen)
    assert caught.value.status == 413


@pytest.mark.parametrize("body", [b"{", b"", b"not json", b"{'a': 1}", b'{"adres": "x",}'])
def test_parse_body_refuses_invalid_json_with_400(body: bytes) -> None:
    with pytest.raises(Problem) as caught:
        parse_body(event_of(body), ContactgegevenToevoegen)
    problem = caught.value
    assert problem.status == 400
    assert problem.invalid_params
    assert problem.to_dict()["invalidParams"][0]["name"] == "body"


@pytest.mark.parametrize("body", [b"\xff\xfe{}", '{"adres": "é"}'.encode("latin-1")])
def test_a_body_that_is_not_utf8_is_a_400(update_api: FunctionApi, body: bytes) -> None:
    response = call(
        update_api,
        "POST",
        f"{BASE_PATH}/profiel/contactgegevens",
        body,
        {"Content-Type": "application/json"},
    )
    assert_problem(response, 400)


@pytest.mark.parametrize(
    ("model", "body", "expected"),
    [
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": BSN, "adres": "x"},
            {"soortDigitaalAdres": "enum"},
            id="enum",
        ),
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": "email", "adres": BSN},
            {"adres": "value_error"},
            id="email",
        ),
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": "email", "adres": f"{BSN}@example..nl"},
            {"adres": "value_error"},
            id="email-double-dot",
        ),
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": "email", "adres": "jan@example.nl", "isStandaardAdres": BSN},
            {"isStandaardAdres": "bool_type"},
            id="bool",
        ),
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": "email", "adres": "jan@example.nl", "omschrijving": BSN * 5},
            {"omschrijving": "value_error"},
            id="too-long",
        ),
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": "email"},
            {"adres": "missing"},
            id="missing",
        ),
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": "email", "adres": "jan@example.nl", "bsn": BSN},
            {"bsn": "extra_forbidden"},
            id="extra",
        ),
        pytest.param(
            Envelop,
            {"contactgegevens": [VALID, {"soortDigitaalAdres": "fax", "isStandaardAdres": BSN}]},
            {
                "contactgegevens.1.soortDigitaalAdres": "enum",
                "contactgegevens.1.adres": "missing",
                "contactgegevens.1.isStandaardAdres": "bool_type",
            },
            id="nested",
        ),
        pytest.param(Envelop, [BSN], {"body": "model_type"}, id="not-an-object"),
    ],
)
def test_validation_errors_are_named_invalid_params_without_the_input(
    model: type, body: Any, expected: dict[str, str]
) -> None:
    with pytest.raises(Problem) as caught:
        parse_body(event_of(json.dumps(body).encode()), model)
    problem = caught.value
    assert problem.status == 400
    assert {p.name: p.code for p in problem.invalid_params} == expected
    assert all(p.reason and not p.reason.startswith("Value error") for p in problem.invalid_params)
    rendered = json.dumps(problem.to_dict(), ensure_ascii=False)
    assert BSN not in rendered
    assert "example..nl" not in rendered
    for name in expected:
        assert name in problem.detail


@pytest.mark.parametrize(
    ("model", "body"),
    [
        # email_validator's own messages quote parts of a domain literal.
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": "email", "adres": f"jan@[{BSN}.1.1.1]"},
            id="email-ipv4-literal",
        ),
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": "email", "adres": f"jan@[IPv6:{BSN}]"},
            id="email-ipv6-literal",
        ),
        pytest.param(
            ContactgegevenToevoegen,
            {"soortDigitaalAdres": "email", "adres": f"jan@{BSN}_x.nl"},
            id="email-invalid-character",
        ),
        pytest.param(PostadresBody, {"soort": BSN}, id="postadres-soort"),
    ],
)
def test_validation_reasons_never_repeat_the_input(model: type, body: Any) -> None:
    with pytest.raises(Problem) as caught:
        parse_body(event_of(json.dumps(body).encode()), model)
    assert caught.value.status == 400
    assert BSN not in json.dumps(caught.value.to_dict())


def test_invalid_params_of_a_postadres_name_the_field_as_sent() -> None:
    body = {
        "soort": "nederlands",
        "straat": "Dorpsstraat",
        "huisnummer": 0,
        "postcode": "1234 AB",
        "woonplaats": "Ergens",
    }
    with pytest.raises(Problem) as caught:
        parse_body(event_of(json.dumps(body).encode()), PostadresBody)
    assert [p.name for p in caught.value.invalid_params] == ["huisnummer"]


def test_invalid_params_uses_camel_case_and_leaves_out_the_input() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        ContactgegevenToevoegen.model_validate(
            {"soortDigitaalAdres": "email", "adres": "x" * 300, "isStandaardAdres": BSN}
        )
    params = invalid_params(caught.value)
    assert [p.name for p in params] == ["adres", "isStandaardAdres"]
    assert all(isinstance(p, InvalidParam) for p in params)
    assert BSN not in repr(params) and "x" * 20 not in repr(params)


def test_a_bad_body_through_the_router_is_a_400_problem(update_api: FunctionApi) -> None:
    response = call(
        update_api,
        "POST",
        f"{BASE_PATH}/profiel/contactgegevens",
        json.dumps({"soortDigitaalAdres": "email", "adres": BSN}).encode(),
        {"Content-Type": "application/json"},
    )
    body = assert_problem(response, 400)
    assert [p["name"] for p in body["invalidParams"]] == ["adres"]
    assert BSN not in response["body"]
    assert response["headers"]["Cache-Control"] == "no-store"


def test_a_good_body_through_the_router_reaches_the_handler(update_api: FunctionApi) -> None:
    response = call(
        update_api,
        "POST",
        f"{BASE_PATH}/profiel/contactgegevens",
        json.dumps(VALID).encode(),
        {"content-type": "application/json"},
    )
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["body"]["adres"] == "Jan@example.nl"


# --- duplicate keys ----------------------------------------------------------------------------

OTHER_BSN = "100600505"


@pytest.mark.parametrize(
    ("model", "body", "names"),
    [
        pytest.param(
            Opvraging,
            b'{"doel":"notificatie","betrokkenen":[{"bsn":"999993653"}],'
            b'"doel":"aanslag-versturen"}',
            ["doel"],
            id="top-level",
        ),
        pytest.param(
            Opvraging,
            b'{"doel":"notificatie","betrokkenen":[{"bsn":"999993653","bsn":"100600505"}]}',
            ["betrokkenen.0.bsn"],
            id="in-a-list",
        ),
        pytest.param(
            ContactgegevenToevoegen,
            b'{"soortDigitaalAdres":"email","adres":"jan@example.nl","adres":"jan@example.nl"}',
            ["adres"],
            id="the-same-value-twice",
        ),
        pytest.param(
            Envelop,
            b'{"contactgegevens":[{"soortDigitaalAdres":"email","adres":"a@example.nl"},'
            b'{"soortDigitaalAdres":"email","soortDigitaalAdres":"telefoonnummer",'
            b'"adres":"0612345678"}]}',
            ["contactgegevens.1.soortDigitaalAdres"],
            id="nested",
        ),
        pytest.param(
            PostadresBody,
            b'{"soort":"nederlands","straat":"Dorpsstraat","huisnummer":1,"postcode":"1234 AB",'
            b'"woonplaats":"Ons Dorp","soort":"buitenlands"}',
            ["soort"],
            id="the-discriminator",
        ),
        pytest.param(
            Opvraging,
            b'{"doel":"notificatie","doel":"x","betrokkenen":[{"bsn":"1","bsn":"2"}],'
            b'"betrokkenen":[]}',
            ["doel", "betrokkenen"],
            id="several",
        ),
    ],
)
def test_a_key_sent_twice_is_a_400_naming_it(model: type, body: bytes, names: list[str]) -> None:
    with pytest.raises(Problem) as caught:
        parse_body(event_of(body), model)
    problem = caught.value
    assert problem.status == 400 and problem.slug == "ongeldige-invoer"
    assert [p.name for p in problem.invalid_params] == names
    assert {p.code for p in problem.invalid_params} == {"duplicate_key"}
    assert {p.reason for p in problem.invalid_params} == {"komt meer dan een keer voor"}
    rendered = json.dumps(problem.to_dict())
    assert BSN not in rendered and OTHER_BSN not in rendered


def test_a_key_sent_twice_through_the_router_is_a_400_problem(update_api: FunctionApi) -> None:
    body = b'{"soortDigitaalAdres":"email","adres":"a@example.nl","adres":"b@example.nl"}'
    response = call(
        update_api,
        "POST",
        f"{BASE_PATH}/profiel/contactgegevens",
        body,
        {"Content-Type": "application/json"},
    )
    problem = assert_problem(response, 400)
    assert problem["invalidParams"] == [
        {"name": "adres", "code": "duplicate_key", "reason": "komt meer dan een keer voor"}
    ]
    assert "example.nl" not in response["body"]
    assert response["headers"]["API-Version"] == STANDARD_HEADERS["API-Version"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[" * 1020 + b"]" * 1020, id="arrays-1020-deep"),
        pytest.param(b'{"a":' * 330 + b"1" + b"}" * 330, id="objects-330-deep"),
        pytest.param(b'{"a":' * 300 + b'{"b":1,"b":2}' + b"}" * 300, id="a-duplicate-300-deep"),
        pytest.param(b'{"adres":' + b"9" * 1500 + b',"adres":1}', id="a-1500-digit-number"),
        pytest.param(b'{"\\ud800":1,"\\ud800":2}', id="a-lone-surrogate-key-twice"),
    ],
)
def test_a_deeply_nested_or_odd_body_is_a_400_never_a_500(body: bytes) -> None:
    assert len(body) <= MAX_BODY_BYTES
    with pytest.raises(Problem) as caught:
        parse_body(event_of(body), ContactgegevenToevoegen)
    assert caught.value.status == 400
    json.dumps(caught.value.to_dict(), ensure_ascii=False).encode()  # answerable as UTF-8


def test_the_size_limit_comes_before_duplicate_keys() -> None:
    body = b'{"adres":"a","adres":"b","omschrijving":"' + b"x" * MAX_BODY_BYTES + b'"}'
    with pytest.raises(Problem) as caught:
        parse_body(event_of(body), ContactgegevenToevoegen)
    assert caught.value.status == 413


# --- reasons ---------------------------------------------------------------------------------

POSTADRES = {
    "soort": "nederlands",
    "straat": "Dorpsstraat",
    "huisnummer": 1,
    "postcode": "1234 AB",
    "woonplaats": "Ons Dorp",
}


@pytest.mark.parametrize(
    ("model", "body", "name", "code", "reason"),
    [
        (Opvraging, b'{"doel": "notificatie",', "body", "json_invalid", "geen geldige JSON"),
        (Opvraging, b"", "body", "json_invalid", "geen geldige JSON"),
        (Opvraging, b"[1]", "body", "model_type", "moet een object zijn"),
        (
            Opvraging,
            b'{"doel":"notificatie","betrokkenen":[]}',
            "betrokkenen",
            "too_short",
            "te weinig elementen",
        ),
        (
            Opvraging,
            b'{"doel":"Notificatie!","betrokkenen":[{"kvkNummer":"69599084"}]}',
            "doel",
            "string_pattern_mismatch",
            "heeft niet de juiste vorm",
        ),
        (
            ContactgegevenToevoegen,
            json.dumps({**VALID, "isStandaardAdres": "ja"}).encode(),
            "isStandaardAdres",
            "bool_type",
            "moet true of false zijn",
        ),
        (
            Opvraging,
            b'{"doel":"notificatie","betrokkenen":[{"bsn":"123456789"}]}',
            "betrokkenen.0.bsn",
            "value_error",
            "geen geldig BSN",  # the service's own validator
        ),
        (
            ContactgegevenToevoegen,
            json.dumps({**VALID, "omschrijving": "x" * 1000}).encode(),
            "omschrijving",
            "string_too_long",
            "te lang",
        ),
        (
            ContactgegevenToevoegen,
            json.dumps({**VALID, "omschrijving": 12}).encode(),
            "omschrijving",
            "string_type",
            "moet tekst zijn",
        ),
        (
            ContactgegevenToevoegen,
            b'{"soortDigitaalAdres":"fax","adres":"x"}',
            "soortDigitaalAdres",
            "enum",
            "geen van de toegestane waarden",
        ),
        (
            ContactgegevenToevoegen,
            b'{"soortDigitaalAdres":"email"}',
            "adres",
            "missing",
            "verplicht",
        ),
        (
            ContactgegevenToevoegen,
            json.dumps({**VALID, "bsn": BSN}).encode(),
            "bsn",
            "extra_forbidden",
            "onbekend veld",
        ),
        (
            PostadresBody,
            json.dumps({**POSTADRES, "huisnummer": "12"}).encode(),
            "huisnummer",
            "int_type",
            "geen geheel getal",
        ),
        (
            PostadresBody,
            json.dumps({**POSTADRES, "huisnummer": 0}).encode(),
            "huisnummer",
            "greater_than_equal",
            "te klein",
        ),
    ],
)
def test_every_reason_is_a_fixed_dutch_text_never_pydantics(
    model: type, body: bytes, name: str, code: str, reason: str
) -> None:
    with pytest.raises(Problem) as caught:
        parse_body(event_of(body), model)
    params = {p.name: p for p in caught.value.invalid_params}
    assert params[name].code == code
    assert params[name].reason == reason
    for param in caught.value.invalid_params:
        for english in ("Input", "should", "Field", "Invalid", "line", "column", "item"):
            assert english not in param.reason, param


class _Adressen(ApiModel):
    # ipaddress's ValueError quotes its input ("'…' does not appear to be an IPv4 or IPv6
    # address"): a library's message, not one of the service's validators.
    ip: Annotated[str, AfterValidator(lambda value: str(ipaddress.ip_address(value)))]
    eigen: Annotated[str, AfterValidator(lambda value: _refuse(value))]


def _refuse(value: str) -> str:
    raise ValueError(f"{value} is not accepted here")


def test_a_value_error_from_outside_the_services_code_gets_the_generic_reason() -> None:
    with pytest.raises(Problem) as caught:
        parse_body(event_of(json.dumps({"ip": BSN, "eigen": BSN}).encode()), _Adressen)
    params = {p.name: (p.code, p.reason) for p in caught.value.invalid_params}
    generic = ("value_error", "ongeldige waarde")
    assert params == {"ip": generic, "eigen": generic}
    assert BSN not in json.dumps(caught.value.to_dict())


# --- If-Match and ETag -----------------------------------------------------------------------


@pytest.mark.parametrize("version", [0, 1, 3, 42])
def test_etag_is_the_quoted_version(version: int) -> None:
    assert etag(version) == f'"{version}"'
    assert required_if_match({"if-match": etag(version)}).matches(version)


def test_etag_of_3() -> None:
    assert etag(3) == '"3"'


@pytest.mark.parametrize("headers", [{}, {"if-match": ""}, {"if-match": "   "}])
def test_a_missing_if_match_is_a_428(headers: dict[str, str]) -> None:
    with pytest.raises(Problem) as caught:
        required_if_match(headers)
    assert caught.value.status == 428
    assert caught.value.type.startswith(PROBLEM_TYPE_BASE)


@pytest.mark.parametrize(
    ("value", "matching", "not_matching"),
    [
        pytest.param("*", [1, 2, 3, 1000], [0], id="star"),
        pytest.param(" * ", [1, 7], [0], id="star-with-spaces"),
        pytest.param('"3"', [3], [0, 1, 2, 4, 30, 13], id="one"),
        pytest.param('"2", "3"', [2, 3], [0, 1, 4, 23], id="list"),
        pytest.param('"2","3"', [2, 3], [1, 4], id="list-without-space"),
        pytest.param('"2",, "3",', [2, 3], [1, 4], id="empty-elements"),
        pytest.param('"1,2"', [], [1, 2], id="comma-in-a-tag"),
        pytest.param('W/"3"', [], [0, 3], id="weak"),
        pytest.param('W/"3", "4"', [4], [3], id="weak-and-strong"),
        pytest.param('"-3"', [], [-3, 3], id="negative"),
        pytest.param('"3.0"', [], [3], id="decimal"),
        pytest.param('"abc"', [], [0, 1, 3], id="letters"),
        pytest.param('""', [], [0, 1], id="empty-tag"),
    ],
)
def test_if_match(value: str, matching: list[int], not_matching: list[int]) -> None:
    if_match = required_if_match({"if-match": value})
    assert isinstance(if_match, IfMatch)
    for version in matching:
        assert if_match.matches(version), version
    for version in not_matching:
        assert not if_match.matches(version), version


@pytest.mark.parametrize(
    "value",
    ["3", '"3', '"', "garbage", ",", '"3" "4"', 'w/"3"', '"a"b"', '"3"; "4"'],
)
def test_an_if_match_that_is_no_list_of_entity_tags_is_invalid_input(value: str) -> None:
    with pytest.raises(Problem) as caught:
        required_if_match({"if-match": value})
    assert caught.value.status == 400
    assert [p.name for p in caught.value.invalid_params] == ["If-Match"]


def test_if_match_is_read_from_the_event_headers_whatever_their_case() -> None:
    event = HttpEvent(api_gateway_event("PATCH", "/x", "", [("If-Match", '"5"')], b"", None))
    assert required_if_match(event.headers).matches(5)


@pytest.mark.parametrize("value", ['"\u00b2"', '"\u0663"', '"\uff13"'])
def test_if_match_with_unicode_digits_never_matches(value: str) -> None:
    try:
        if_match = required_if_match({"if-match": value})
    except Problem as problem:  # beyond obs-text (RFC 9110): not an entity tag at all
        assert problem.status == 400
    else:
        assert not any(if_match.matches(version) for version in range(10))


def test_if_match_compares_etags_as_strings() -> None:
    assert not required_if_match({"if-match": '"03"'}).matches(3)


# --- trace context ---------------------------------------------------------------------------

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


@pytest.mark.parametrize(
    "traceparent",
    [
        f"00-{TRACE_ID}-{PARENT_ID}-01",
        f"00-{TRACE_ID}-{PARENT_ID}-00",
        f"  00-{TRACE_ID}-{PARENT_ID}-01  ",
    ],
)
def test_a_valid_traceparent_is_continued(traceparent: str) -> None:
    context = trace_context({"traceparent": traceparent})
    assert context.trace_id == TRACE_ID
    assert context.parent_span_id == PARENT_ID
    assert re.fullmatch(r"[0-9a-f]{16}", context.span_id)
    assert context.span_id != PARENT_ID
    assert context.traceparent == f"00-{TRACE_ID}-{context.span_id}-01"


def test_each_request_gets_its_own_span() -> None:
    headers = {"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"}
    spans = {trace_context(headers).span_id for _ in range(20)}
    assert len(spans) == 20


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="absent"),
        pytest.param({"traceparent": ""}, id="empty"),
        pytest.param({"traceparent": "garbage"}, id="garbage"),
        pytest.param({"traceparent": f"00-{'0' * 32}-{PARENT_ID}-01"}, id="zero-trace-id"),
        pytest.param({"traceparent": f"00-{TRACE_ID}-{'0' * 16}-01"}, id="zero-parent-id"),
        pytest.param({"traceparent": f"ff-{TRACE_ID}-{PARENT_ID}-01"}, id="version-ff"),
        pytest.param({"traceparent": f"00-{TRACE_ID.upper()}-{PARENT_ID}-01"}, id="upper-case"),
        pytest.param({"traceparent": f"00-{TRACE_ID[:-1]}-{PARENT_ID}-01"}, id="short-trace-id"),
        pytest.param({"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01-extra"}, id="trailing"),
        pytest.param({"traceparent": f"00_{TRACE_ID}_{PARENT_ID}_01"}, id="separators"),
        pytest.param({"Traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"}, id="not-lower-cased"),
    ],
)
def test_an_absent_or_invalid_traceparent_starts_a_new_trace(headers: dict[str, str]) -> None:
    context = trace_context(headers)
    assert isinstance(context, TraceContext)
    assert re.fullmatch(r"[0-9a-f]{32}", context.trace_id)
    assert context.trace_id not in (TRACE_ID, "0" * 32)
    assert re.fullmatch(r"[0-9a-f]{16}", context.span_id)
    assert context.span_id != "0" * 16
    assert context.parent_span_id is None


def test_new_traces_are_random() -> None:
    assert len({trace_context({}).trace_id for _ in range(20)}) == 20


# --- routes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            f"{BASE_PATH}/profiel/voorkeuren/organisaties/1/diensten/aow",
            {"oin": "1", "dienst": "aow"},
        ),
        (f"{BASE_PATH}/profiel/voorkeuren/organisaties/1/diensten/", None),
        (f"{BASE_PATH}/profiel/voorkeuren/organisaties/1/diensten/a/b", None),
        ("/profiel/voorkeuren/organisaties/1/diensten/aow", None),
    ],
)
def test_a_route_names_the_parameters_of_its_paths_only(
    path: str, expected: dict[str, str] | None
) -> None:
    route = Route("PUT", "/profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}")
    assert route.parameters(path) == expected
    assert route.matches(path) is (expected is not None)
    assert Route("GET", "/profiel").parameters(f"{BASE_PATH}/profiel") == {}


@pytest.mark.parametrize(
    ("betrokkenen", "names"),
    [
        ([{"bsn": "123456789"}], ["betrokkenen.0.bsn"]),  # no elfproef: only the item's error
        ([], ["betrokkenen"]),  # an empty list is too short itself
    ],
)
def test_a_bad_item_is_named_once_not_also_as_a_list_too_short(
    betrokkenen: list, names: list[str]
) -> None:
    body = json.dumps({"doel": "notificatie", "betrokkenen": betrokkenen}).encode()
    with pytest.raises(Problem) as caught:
        parse_body(event_of(body), Opvraging)
    assert [p.name for p in caught.value.invalid_params] == names


# --- who may call: the route's declaration, checked before its handler runs --------------------


@pytest.mark.parametrize(
    ("name", "key", "allowed"),
    [
        ("get-profile", "GET /profiel", Toegang.PARTIJ),
        ("lookup-preferences", "POST /opvragingen", Toegang.ORGANISATIE),
        ("get-profile", "GET /openapi.json", Toegang.IEDEREEN),
    ],
)
def test_a_route_gets_the_caller_its_declaration_asks_for(
    name: str, key: str, allowed: Toegang
) -> None:
    real = registered(name)
    [route] = [r for r in real.routes if r.key == key]
    assert route.toegang is allowed
    api = FunctionApi(real)
    called: list[tuple] = []

    @api.route(key)
    def handler(*caller: object) -> Response:
        called.append(caller)
        return json_response(200, {})

    response = call(api, route.method, BASE_PATH + route.path)
    if allowed is Toegang.IEDEREEN:
        assert response["statusCode"] == 200 and called == [()]  # no caller to hand over
    else:
        assert_problem(response, 401)  # no token: refused before the handler ran
        assert called == []


def test_no_route_module_authenticates_by_itself() -> None:
    import pathlib

    apps = pathlib.Path(__file__).resolve().parents[2].glob("functions/*/app.py")
    assert [p.parent.name for p in apps if "authenticate(" in p.read_text()] == []
