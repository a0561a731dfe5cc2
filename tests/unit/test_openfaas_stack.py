"""infra/openfaas/ deploys exactly the functions, routes and handlers the code has, safely.

``problems`` checks a faas-cli stack file twice: against a model of faas-cli's own schema
(unknown keys and wrong types included, which faas-cli itself would silently ignore or reject
late), then against ``functions/registry.py``. The real ``stack.yml`` must give no problem, and
each kind of mistake a broken copy of it makes must give at least one. ``index.py``, the WSGI
application gunicorn serves in each image, is tested here with werkzeug's test client; its real
server in ``tests/integration/test_openfaas_server.py``.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import importlib.util
import io
import json
import os
import runpy
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Annotated, Any, Literal

import pytest
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from werkzeug.test import Client

from functions.registry import FUNCTIONS, Function, Route
from shared.config import ENVIRONMENT_VARIABLES, ConfigurationError, get_settings

ROOT = Path(__file__).resolve().parents[2]
OPENFAAS = ROOT / "infra" / "openfaas"
STACK_PATH = OPENFAAS / "stack.yml"


def _load_index() -> ModuleType:
    # In the image index.py is the top-level module ``index`` (gunicorn.conf.py's wsgi_app), not
    # a module of a package; loaded from its file here, once for the whole run.
    spec = importlib.util.spec_from_file_location("openfaas_index", OPENFAAS / "index.py")
    assert spec and spec.loader
    if spec.name not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules[spec.name]


index = _load_index()
# gunicorn's settings in the image: a Python file of plain assignments.
GUNICORN = runpy.run_path(str(OPENFAAS / "gunicorn.conf.py"))

# What every function entry must say; the handler folder holds the one Dockerfile.
HANDLER = "./infra/openfaas"
SHARED_ENV_FILE = "infra/openfaas/env.yml"
PSEUDONYM_KEY_SECRET = "profiel-pseudonym-key"
ROUTES_ANNOTATION = "profielservice.nl/routes"
STREAM_ANNOTATION = "profielservice.nl/consumes-profile-stream"
FUNCTION_LABEL = "profielservice.nl/function"

# The configuration the functions read that is not secret (README, "Configuration"); the shared
# environment file must set each. The secret ones come from OpenFaaS secrets via index.py.
NON_SECRET_VARIABLES = (
    "PROFIEL_TRUSTED_ISSUERS",
    "PROFIEL_AUDIENCE",
    "PROFIEL_MINIMUM_ASSURANCE",
    "PROFIEL_ORGANISATION_SCOPE",
    "PROFIEL_TABLE_PREFIX",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_REGION",
    "PROFIEL_NOTIFY_BASE_URL",
    "PROFIEL_NOTIFY_TEMPLATE_EMAIL_CODE",
    "PROFIEL_NOTIFY_TEMPLATE_SMS_CODE",
    "PROFIEL_NOTIFY_TEMPLATE_EMAIL_NOTICE",
    "PROFIEL_NOTIFY_TEMPLATE_EMAIL_ONBESTELBAAR",
    "PROFIEL_PUBLIC_BASE_URL",
    "PROFIEL_EVENT_WEBHOOKS",
    "PROFIEL_BRP_BASE_URL",
    "PROFIEL_KVK_BASE_URL",
    "PROFIEL_BAG_BASE_URL",
    "PROFIEL_SEALING_PUBLIC_KEY",
)
SECRET_VARIABLES = frozenset(index.SECRET_VARIABLES.values())


# A model of the faas-cli stack file. Field names and types follow faas-cli's Go structs
# (github.com/openfaas/faas-cli, stack/schema.go: Services, Provider, Function,
# FunctionResources, StackConfiguration, TemplateSource, EnvironmentFile - the yaml tags) and
# the OpenFaaS YAML reference (openfaas/docs, docs/reference/yaml.md), which adds the
# function-level `build_args` map of current faas-cli versions. `platforms` (a string, for
# buildx / `faas-cli publish`) is taken from a port of that schema that mirrors the tags; the
# short-lived `build_config` of one faas-cli version, superseded by `build_args`, is left out.
# Stricter than faas-cli on purpose: its YAML decoding ignores unknown keys, so a misspelt key
# (`enviroment`) would deploy without complaint; here it is a problem.
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# A function name is a DNS label (RFC 1035), as the OpenFaaS YAML reference requires.
FunctionName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]


class Provider(_Strict):
    name: Literal["openfaas"]
    gateway: str
    network: str | None = None  # Docker Swarm's; kept in the Go struct


class FunctionResources(_Strict):
    memory: str | None = None
    cpu: str | None = None


class StackFunction(_Strict):
    lang: str
    handler: str
    image: str
    registry_auth: str | None = None
    fprocess: str | None = None
    environment: dict[str, str] | None = None
    secrets: list[str] | None = None
    skip_build: bool = False
    constraints: list[str] | None = None
    environment_file: list[str] | None = None
    labels: dict[str, str] | None = None
    limits: FunctionResources | None = None
    requests: FunctionResources | None = None
    readonly_root_filesystem: bool = False
    build_options: list[str] | None = None
    build_args: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    namespace: str | None = None
    platforms: str | None = None


class TemplateSource(_Strict):
    name: str
    source: str | None = None
    path: str | None = None


class StackConfiguration(_Strict):
    templates: list[TemplateSource] | None = None
    # `copy` in YAML; renamed here because it would shadow BaseModel.copy.
    copy_paths: list[str] | None = Field(default=None, alias="copy")


class Stack(_Strict):
    # `version: 1.0` is a YAML float; faas-cli reads it into a string.
    version: Literal["1.0"] | None = None
    provider: Provider
    functions: dict[FunctionName, StackFunction]
    configuration: StackConfiguration | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> object:
        return str(value) if isinstance(value, float) else value


class EnvironmentFile(_Strict):
    environment: dict[str, str]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def problems(
    stack: dict[str, Any],
    functions: Iterable[Function] = FUNCTIONS,
    environment_files: Mapping[str, Any] | None = None,
) -> list[str]:
    """What is wrong with ``stack``: as a faas-cli stack file, then as this service's.

    ``environment_files`` maps an ``environment_file`` entry to its parsed content; by default
    each is read from the repository, where faas-cli (run from the root) reads it.
    """
    try:
        model = Stack.model_validate(stack)
    except ValidationError as error:
        return [
            f"schema: {'.'.join(str(part) for part in e['loc'])}: {e['msg']}"
            for e in error.errors()
        ]
    registry = {f.name: f for f in functions}
    found = [
        f"{name}: in the registry, missing from the stack"
        for name in sorted(registry.keys() - model.functions.keys())
    ]
    found += [
        f"{name}: in the stack, not in the registry"
        for name in sorted(model.functions.keys() - registry.keys())
    ]
    for name in sorted(registry.keys() & model.functions.keys()):
        found += [f"{name}: {p}" for p in _function_problems(registry[name], model.functions[name])]
    images = [declared.image for declared in model.functions.values()]
    found += [
        f"image {i} is used more than once" for i in sorted(set(images)) if images.count(i) > 1
    ]
    files = {path for d in model.functions.values() for path in d.environment_file or ()}
    for path in sorted(files):
        found += [f"{path}: {p}" for p in _environment_file_problems(path, environment_files)]
    return found


def _function_problems(function: Function, declared: StackFunction) -> list[str]:
    found = []
    if declared.lang != "dockerfile" or declared.handler != HANDLER:
        found.append(
            f"not built by the Dockerfile: lang {declared.lang}, handler {declared.handler}"
        )
    if f"-{function.name}:" not in declared.image:
        found.append(f"image {declared.image} does not name the function")
    package = (declared.build_args or {}).get(index.PACKAGE_VARIABLE)
    if package != function.package:
        found.append(
            f"build argument {index.PACKAGE_VARIABLE} is {package}, not {function.package}"
        )
    try:
        index.function_app(function)
    except (ImportError, AttributeError) as error:
        found.append(f"index.py cannot serve {function.package}: {type(error).__name__}")

    annotations = declared.annotations or {}
    expected = {route.manifest_key for route in function.routes}
    listed = annotations.get(ROUTES_ANNOTATION)
    routes = [r.strip() for r in listed.split(",")] if listed is not None else []
    found += [
        f"route {key} missing from {ROUTES_ANNOTATION}" for key in sorted(expected - set(routes))
    ]
    found += [
        f"route {key} in {ROUTES_ANNOTATION} is not the function's"
        for key in sorted(set(routes) - expected)
    ]
    if len(routes) != len(set(routes)):
        found.append(f"{ROUTES_ANNOTATION} repeats a route")
    stream = annotations.get(STREAM_ANNOTATION)
    if stream != ("true" if function.consumes_profile_stream else None):
        registry = function.consumes_profile_stream
        found.append(f"{STREAM_ANNOTATION} is {stream!r}, the registry says {registry}")

    if (declared.labels or {}).get(FUNCTION_LABEL) != function.name:
        found.append(f"label {FUNCTION_LABEL} is not {function.name}")
    secrets = declared.secrets or []
    if PSEUDONYM_KEY_SECRET not in secrets:
        found.append(f"secret {PSEUDONYM_KEY_SECRET} missing")
    found += [
        f"secret {s} is not one index.py reads into the environment"
        for s in secrets
        if s not in index.SECRET_VARIABLES
    ]
    found += [
        f"secret {v} set in plain environment"
        for v in sorted(SECRET_VARIABLES & (declared.environment or {}).keys())
    ]
    if declared.readonly_root_filesystem is not True:
        found.append("readonly_root_filesystem is not true")
    if SHARED_ENV_FILE not in (declared.environment_file or []):
        found.append(f"environment_file lacks {SHARED_ENV_FILE}")
    return found


def _environment_file_problems(path: str, given: Mapping[str, Any] | None) -> list[str]:
    if given is not None:
        content = given.get(path)
    elif (ROOT / path).is_file():
        content = load_yaml(ROOT / path)
    else:
        content = None
    if content is None:
        return ["missing"]
    try:
        variables = EnvironmentFile.model_validate(content).environment
    except ValidationError as error:
        return [f"schema: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
    found = [
        f"secret {v} in an environment file" for v in sorted(SECRET_VARIABLES & variables.keys())
    ]
    if path == SHARED_ENV_FILE:
        found += [f"{v} missing" for v in NON_SECRET_VARIABLES if v not in variables]
    return found


STACK = load_yaml(STACK_PATH)


def test_the_stack_file_has_no_problems() -> None:
    assert problems(STACK) == []


Change = Callable[[dict[str, Any]], None]


def _set(keys: tuple[str, ...], value: Any) -> Change:
    """A change to a stack: the value at ``keys`` (a path of keys, which may hold dots)."""

    def change(stack: dict[str, Any]) -> None:
        *parents, last = keys
        target = stack
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _delete(keys: tuple[str, ...]) -> Change:
    def change(stack: dict[str, Any]) -> None:
        *parents, last = keys
        target = stack
        for key in parents:
            target = target[key]
        del target[last]

    return change


def _add_function(stack: dict[str, Any]) -> None:
    extra = copy.deepcopy(stack["functions"]["get-profile"])
    extra["image"] = "ghcr.io/example/profielservice-extra:latest"
    extra["labels"][FUNCTION_LABEL] = "extra"
    stack["functions"]["extra"] = extra


def _drop_route(stack: dict[str, Any]) -> None:
    annotations = stack["functions"]["get-profile"]["annotations"]
    routes = [r.strip() for r in annotations[ROUTES_ANNOTATION].split(",")]
    annotations[ROUTES_ANNOTATION] = ", ".join(
        r for r in routes if r != "GET /profiel/organisaties"
    )


def _same_image(stack: dict[str, Any]) -> None:
    functions = stack["functions"]
    functions["get-profile"]["image"] = functions["process-log"]["image"]


GET_PROFILE = ("functions", "get-profile")
PROCESS_LOG = ("functions", "process-log")
SCALE_MIN = "com.openfaas.scale.min"

BROKEN: list[tuple[str, Change, str]] = [
    ("misspelt key", _set((*GET_PROFILE, "enviroment"), {"A": "b"}), "enviroment"),
    ("unknown top-level key", _set(("x-defaults",), {}), "x-defaults"),
    ("other provider", _set(("provider", "name"), "faas"), "provider.name"),
    ("labels as a list", _set((*GET_PROFILE, "labels"), ["a", "b"]), "labels"),
    ("label value a number", _set((*GET_PROFILE, "labels", SCALE_MIN), 1), SCALE_MIN),
    ("invalid function name", _set(("functions", "Get_Profile"), {}), "Get_Profile"),
    ("missing registry function", _delete(PROCESS_LOG), "process-log: in the registry"),
    ("extra function", _add_function, "extra: in the stack"),
    ("route missing from the annotation", _drop_route, "GET /profiel/organisaties missing"),
    (
        "routes on the stream consumer",
        _set((*PROCESS_LOG, "annotations", ROUTES_ANNOTATION), "GET /x"),
        "route GET /x",
    ),
    (
        "stream consumer not marked",
        _delete((*PROCESS_LOG, "annotations", STREAM_ANNOTATION)),
        STREAM_ANNOTATION,
    ),
    (
        "wrong package",
        _set((*GET_PROFILE, "build_args", "FUNCTION_PACKAGE"), "functions.access_log"),
        "functions.access_log",
    ),
    ("no package", _delete((*GET_PROFILE, "build_args")), "FUNCTION_PACKAGE"),
    (
        "writable root filesystem",
        _set((*GET_PROFILE, "readonly_root_filesystem"), False),
        "readonly_root_filesystem",
    ),
    (
        "no pseudonym key",
        _set((*GET_PROFILE, "secrets"), ["profiel-aws-access-key-id"]),
        PSEUDONYM_KEY_SECRET,
    ),
    (
        "secret index.py does not read",
        _set((*GET_PROFILE, "secrets"), [PSEUDONYM_KEY_SECRET, "PROFIEL_PSEUDONYM_KEY"]),
        "not one index.py reads",
    ),
    (
        "secret in plain environment",
        _set((*GET_PROFILE, "environment"), {"PROFIEL_PSEUDONYM_KEY": "x" * 32}),
        "plain environment",
    ),
    ("no shared environment file", _set((*GET_PROFILE, "environment_file"), []), SHARED_ENV_FILE),
    (
        "another handler folder",
        _set((*GET_PROFILE, "handler"), "./functions/get_profile"),
        "not built by the Dockerfile",
    ),
    ("one image for two functions", _same_image, "more than once"),
]


@pytest.mark.parametrize(
    ("change", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_a_broken_stack_is_caught(change: Change, expected: str) -> None:
    stack = copy.deepcopy(STACK)
    change(stack)
    found = problems(stack)
    assert any(expected in p for p in found), found


ENVIRONMENT = load_yaml(OPENFAAS / "env.yml")


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        (
            {
                "environment": {
                    k: v for k, v in ENVIRONMENT["environment"].items() if k != "AWS_REGION"
                }
            },
            "AWS_REGION missing",
        ),
        (
            {"environment": {**ENVIRONMENT["environment"], "AWS_SECRET_ACCESS_KEY": "x"}},
            "secret AWS_SECRET_ACCESS_KEY",
        ),
        (
            {"environment": {**ENVIRONMENT["environment"], "PROFIEL_CLOCK_SKEW_SECONDS": 30}},
            "schema",
        ),
        ({"variables": {}}, "schema"),
    ],
    ids=["variable missing", "secret in the file", "number not quoted", "wrong shape"],
)
def test_a_broken_environment_file_is_caught(environment: dict[str, Any], expected: str) -> None:
    assert problems(STACK, environment_files={SHARED_ENV_FILE: ENVIRONMENT}) == []
    found = problems(STACK, environment_files={SHARED_ENV_FILE: environment})
    assert any(expected in p for p in found), found


def test_a_route_added_in_code_is_named_as_missing() -> None:
    extra = Route("GET", "/profiel/extra")
    functions = tuple(
        dataclasses.replace(f, routes=(*f.routes, extra)) if f.name == "get-profile" else f
        for f in FUNCTIONS
    )
    assert problems(STACK, functions) == [
        f"get-profile: route {extra.key} missing from {ROUTES_ANNOTATION}"
    ]


def test_the_build_context_holds_what_the_dockerfile_copies() -> None:
    """faas-cli's build context is the handler folder plus `configuration.copy`: nothing else."""
    dockerfile = (OPENFAAS / "Dockerfile").read_text(encoding="utf-8")
    copied = {p.removeprefix("./") for p in STACK["configuration"]["copy"]}
    context = {p.name for p in OPENFAAS.iterdir()} | copied
    for line in dockerfile.splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(w.startswith("--from") for w in words):
            for source in words[1:-1]:
                assert source.rstrip("/") in context, source
    assert f"ARG {index.PACKAGE_VARIABLE}" in dockerfile
    assert "gunicorn.conf.py" in context


def _dockerfile_environment() -> dict[str, str]:
    """The variables the Dockerfile's ENV instruction(s) set: what of-watchdog reads."""
    dockerfile = (OPENFAAS / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    variables: dict[str, str] = {}
    for line in dockerfile.splitlines():
        if line.startswith("ENV "):
            for assignment in shlex.split(line.removeprefix("ENV ")):
                name, _, value = assignment.partition("=")
                variables[name] = value
    return variables


def test_of_watchdog_starts_gunicorn_on_its_upstream_address() -> None:
    """of-watchdog runs ``fprocess`` - split at spaces, no shell - and forwards to
    ``upstream_url``: gunicorn with gunicorn.conf.py, bound there, serving index.py's app."""
    environment = _dockerfile_environment()
    assert environment["mode"] == "http"
    # No quotes: the watchdog would hand them to gunicorn as part of the arguments.
    assert environment["fprocess"] == "gunicorn --config gunicorn.conf.py"
    assert environment["upstream_url"] == f"http://{GUNICORN['bind']}"
    assert GUNICORN["bind"].startswith("127.0.0.1:")  # nothing but the watchdog reaches it
    module, _, factory = GUNICORN["wsgi_app"].partition(":")
    assert (module, factory) == ("index", "create_app()")
    assert callable(index.create_app)
    # Threads in one process; no access log (it would carry raw paths); no control socket
    # (it would be created under $HOME, on the read-only root filesystem).
    assert (GUNICORN["workers"], GUNICORN["worker_class"]) == (1, "gthread")
    assert GUNICORN["threads"] > 1
    assert GUNICORN["accesslog"] is None
    assert GUNICORN["control_socket_disable"] is True


@pytest.fixture
def restored_environ() -> Iterator[None]:
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The service's settings from the environment, as in a deployed function."""
    for variable in ENVIRONMENT_VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY", "p" * 32)
    monkeypatch.setenv(
        "PROFIEL_TRUSTED_ISSUERS",
        json.dumps([{"issuer": "https://inlog.example.nl", "jwks_uri": "file:///nonexistent"}]),
    )
    monkeypatch.setenv("PROFIEL_MAX_BODY_BYTES", str(MAX_BODY_BYTES))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


MAX_BODY_BYTES = 1024


class RecordingRouter:
    """Stands in for a function's router: keeps each event, answers with a fixed response."""

    def __init__(self, response: dict[str, Any]) -> None:
        self.events: list[dict[str, Any]] = []
        self.response = response
        self.resolver = self
        self.function = SimpleNamespace(name="test-function")

    def resolve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        return copy.deepcopy(self.response)


def test_healthz_through_a_real_function() -> None:
    client = Client(index.function_app(index.registered("functions.get_profile")))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.get_data()) == {"status": "UP"}
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["API-Version"]


def test_the_router_gets_the_api_gateway_event_and_its_answer_is_written(settings: None) -> None:
    router = RecordingRouter(
        {"statusCode": 201, "body": '{"ok":true}', "headers": {"Content-Type": "application/json"}}
    )
    response = Client(index.application(router)).post(
        "/api/profiel/v1/opvragingen?a=1&b=2&a=3", data=b"\xffbody", headers={"X-Test": "yes"}
    )
    [event] = router.events
    http = event["requestContext"]["http"]
    assert (http["method"], event["rawPath"], event["rawQueryString"]) == (
        "POST",
        "/api/profiel/v1/opvragingen",
        "a=1&b=2&a=3",
    )
    # As API Gateway has them: a repeated parameter's values joined, header names lower case.
    assert event["queryStringParameters"] == {"a": "1,3", "b": "2"}
    assert event["headers"]["x-test"] == "yes"
    # Not UTF-8: base64, as API Gateway passes a binary body.
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\xffbody"
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["API-Version"]  # resolve() adds the standard headers
    assert response.get_data() == b'{"ok":true}'


def test_an_encoded_slash_never_reaches_the_router(settings: None) -> None:
    router = RecordingRouter({"statusCode": 200, "body": "", "headers": {}})
    client = Client(index.application(router))
    response = client.get("/api/profiel/v1/profiel%2Fcontactgegevens")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert router.events == []


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_a_413_problem(settings: None, chunked: bool) -> None:
    router = RecordingRouter({"statusCode": 200, "body": "", "headers": {}})
    body = b"x" * (MAX_BODY_BYTES + 1)
    client = Client(index.application(router))
    if chunked:
        # No length declared: the body's size shows only while it is read. gunicorn marks the
        # stream of a chunked body as ended by the server (wsgi.input_terminated).
        response = client.post(
            "/api/profiel/v1/opvragingen",
            input_stream=io.BytesIO(body),
            headers={"Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},
        )
    else:
        response = client.post("/api/profiel/v1/opvragingen", data=body)
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["API-Version"]
    assert router.events == []


def test_an_error_the_function_lets_through_is_a_500_problem(settings: None) -> None:
    class Failing(RecordingRouter):
        def resolve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
            raise ConfigurationError("invalid or missing configuration: PROFIEL_PSEUDONYM_KEY")

    response = Client(index.application(Failing({}))).get("/api/profiel/v1/profiel")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["API-Version"]
    assert json.loads(response.get_data())["status"] == 500


def test_the_stream_function_gets_the_batch_and_answers_its_failures() -> None:
    seen: list[Any] = []

    def lambda_handler(batch: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append((batch, context))
        return {"batchItemFailures": [{"itemIdentifier": "2"}]}

    response = Client(index.batch_application(lambda_handler)).post(
        "/", data=json.dumps({"Records": [{"eventID": "1"}]})
    )
    assert seen == [({"Records": [{"eventID": "1"}]}, None)]
    assert response.status_code == 200
    assert json.loads(response.get_data()) == {"batchItemFailures": [{"itemIdentifier": "2"}]}


def test_the_function_comes_from_the_registry() -> None:
    assert index.registered("functions.process_log").consumes_profile_stream
    with pytest.raises(RuntimeError, match=index.PACKAGE_VARIABLE):
        index.registered(None)
    with pytest.raises(RuntimeError, match="no function of the registry"):
        index.registered("functions.nothing")


def test_secrets_are_read_from_files_unless_the_environment_has_them(
    tmp_path: Path, restored_environ: None
) -> None:
    (tmp_path / "profiel-pseudonym-key").write_text("k" * 40 + "\n")
    (tmp_path / "profiel-notify-api-key").write_text("from-file")
    (tmp_path / "unrelated").write_text("ignored")
    os.environ[index.SECRETS_DIR_VARIABLE] = str(tmp_path)
    os.environ.pop("PROFIEL_PSEUDONYM_KEY", None)
    os.environ["PROFIEL_NOTIFY_API_KEY"] = "from-environment"
    os.environ.pop("AWS_ACCESS_KEY_ID", None)

    assert index.load_secrets() == ["PROFIEL_PSEUDONYM_KEY"]
    # The line break a file usually ends with is not part of the key.
    assert os.environ["PROFIEL_PSEUDONYM_KEY"] == "k" * 40
    assert os.environ["PROFIEL_NOTIFY_API_KEY"] == "from-environment"
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_the_secrets_index_reads_are_the_secret_variables() -> None:
    assert {
        "PROFIEL_PSEUDONYM_KEY",
        "PROFIEL_PSEUDONYM_KEY_PREVIOUS",
        "PROFIEL_NOTIFY_API_KEY",
        "PROFIEL_NOTIFY_CALLBACK_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "PROFIEL_BRP_API_KEY",
        "PROFIEL_KVK_API_KEY",
        "PROFIEL_BAG_API_KEY",
    } == SECRET_VARIABLES
    assert index.DEFAULT_SECRETS_DIR == "/var/openfaas/secrets"
