"""One handler, three runtimes: the same request through Lambda, functions-framework and OpenFaaS
gives the same answer; and every sample event in ``events/`` runs.

OpenFaaS twice: the application of the service's own image (``infra/openfaas/index.py``, served
by gunicorn - see also ``test_openfaas_server``) and the ``handle(event, context)`` a function
exports for OpenFaaS's stock python3-http template."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import sys
import threading
import time
from importlib import import_module
from pathlib import Path
from types import ModuleType, SimpleNamespace
from urllib.parse import parse_qsl

import functions_framework
import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from functions.registry import FUNCTIONS, function
from infra.local.events import render_event
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.store.audit import AuditTrail
from tests.support import ApiClient, random_test_bsn

REPOSITORY = Path(__file__).resolve().parents[2]
EVENTS = REPOSITORY / "events"


def through_lambda(function_name: str, event: dict) -> tuple[int, dict, dict]:
    response = import_module(function(function_name).handler_module).lambda_handler(event, None)
    body = response["body"]
    return response["statusCode"], response["headers"], json.loads(body) if body else None


def knative_app(function_name: str, target: str, signature_type: str = "http"):
    """functions-framework's app for a function, without leaving its settings in os.environ."""
    saved = dict(os.environ)
    try:
        return functions_framework.create_app(
            target=target,
            source=str(REPOSITORY / function(function_name).source_path),
            signature_type=signature_type,
        )
    finally:
        os.environ.clear()
        os.environ.update(saved)


def through_knative(function_name: str, event: dict) -> tuple[int, dict, dict]:
    app = knative_app(function_name, "http_handler")
    response = app.test_client().open(
        event["rawPath"],
        method=event["requestContext"]["http"]["method"],
        headers=event["headers"],
        data=event.get("body", ""),
    )
    return response.status_code, dict(response.headers), response.get_json(force=True)


def through_openfaas(function_name: str, event: dict) -> tuple[int, dict, dict]:
    """The request as the stock python3-http template hands it to ``handle``."""
    openfaas_event = SimpleNamespace(
        body=(event.get("body") or "").encode(),
        headers=event["headers"],
        method=event["requestContext"]["http"]["method"],
        query=dict(parse_qsl(event["rawQueryString"])),
        path=event["rawPath"],
    )
    response = import_module(function(function_name).handler_module).handle(openfaas_event, None)
    return response["statusCode"], response["headers"], json.loads(response["body"])


def through_openfaas_image(function_name: str, event: dict) -> tuple[int, dict, dict]:
    """The request through the application of the service's OpenFaaS image."""
    response = through_openfaas_server(function_name, event)
    return response.status_code, dict(response.headers), response.get_json(force=True)


RUNTIMES = (through_lambda, through_knative, through_openfaas_image, through_openfaas)


def load_event(relative: str, workspace, bsn: str) -> dict:
    return render_event(json.loads((EVENTS / relative).read_text()), workspace, bsn)


@pytest.mark.parametrize(
    "relative",
    [
        "get-profile/profiel.json",
        # A change to the value it already has: the same answer however often it is sent.
        "update-profile/voorkeuren.json",
    ],
)
def test_the_three_entry_points_give_the_same_answer(relative: str, store, workspace) -> None:
    bsn = random_test_bsn()
    function_name = relative.split("/")[0]
    setup = load_event("update-profile/voorkeuren.json", workspace, bsn)
    assert through_lambda("update-profile", setup)[0] == 200

    answers = [runtime(function_name, load_event(relative, workspace, bsn)) for runtime in RUNTIMES]
    statuses, headers, bodies = zip(*answers, strict=True)
    assert statuses == (200,) * len(RUNTIMES)
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["voorkeuren"]["correspondentie"] == "post"
    for name in ("ETag", "API-Version", "Content-Type"):
        assert len({h[name] for h in headers}) == 1, name


def test_the_three_entry_points_give_the_same_problem(store, workspace) -> None:
    bad = load_event("update-profile/postadres-nederlands.json", workspace, random_test_bsn())
    bad["body"] = json.dumps({"soort": "nederlands", "postcode": "nope"})
    answers = [runtime("update-profile", bad) for runtime in RUNTIMES]
    assert {a[0] for a in answers} == {400}
    assert all(a[2] == answers[0][2] for a in answers)
    assert {a[1]["Content-Type"] for a in answers} == {"application/problem+json"}


def test_health_endpoints_of_the_container_runtimes(store) -> None:
    knative = knative_app("get-profile", "http_handler")
    assert knative.test_client().get("/healthz").status_code == 200
    handle = import_module(function("get-profile").handler_module).handle
    assert handle(SimpleNamespace(path="/healthz"), None)["statusCode"] == 200


# The order in which the sample events make sense on one profile, with the status each gives.
EVENT_SEQUENCE = [
    ("get-profile/openapi.json", 200),  # no token: the API's description is public
    ("get-profile/profiel.json", 200),
    ("update-profile/contactgegeven-toevoegen.json", 201),
    ("get-profile/contactgegeven.json", 200),
    ("verify-contact/verificatie.json", 200),  # with the code adding it sent
    ("verify-contact/verificatiecode.json", 429),  # a new code only a minute after the last
    ("update-profile/contactgegeven-wijzigen.json", 200),
    ("get-profile/adressen.json", 200),
    ("get-profile/export.json", 200),
    ("update-profile/postadres-nederlands.json", 200),
    ("update-profile/postadres-buitenlands.json", 200),
    ("update-profile/postadres-verwijderen.json", 200),
    ("update-profile/contactnaam.json", 200),  # the BRP's aanschrijfwijze
    ("update-profile/contactnaam-verwijderen.json", 200),
    ("update-profile/voorkeuren.json", 200),
    ("update-profile/voorkeuren-organisatie.json", 200),
    ("update-profile/voorkeuren-dienst.json", 200),
    ("get-profile/organisaties.json", 200),
    ("update-profile/voorkeuren-dienst-verwijderen.json", 200),
    ("update-profile/voorkeuren-organisatie-verwijderen.json", 200),
    ("update-profile/delen.json", 200),
    ("lookup-preferences/opvraging.json", 200),
    # Not the address the municipality was given: nothing changes, the answer is the same.
    ("report-delivery/onbestelbaar.json", 202),
    ("report-delivery/afleverbericht.json", 204),  # no reference of ours: nothing changes
    ("klantinteracties/partijen.json", 200),
    ("klantinteracties/partij.json", 200),  # by the UUID the lookup before gave
    ("klantinteracties/digitaleadressen.json", 200),
    ("moza-profielservice/partij.json", 200),
    ("moza-profielservice/partijen-bulk.json", 200),  # every partij asked found: not 206
    ("record-contact/klantcontact.json", 201),
    # A klantcontact no earlier request made (its UUID is the service's to give): 400 naming it.
    ("record-contact/betrokkene.json", 400),
    ("record-contact/onderwerpobject.json", 400),
    ("record-contact/maak-klantcontact.json", 201),  # for the partij UUID the lookups gave
    ("record-contact/digitaal-adres.json", 201),  # an unverified contact detail now
    ("read-access-log/inzage.json", 200),
    ("read-access-log/historie.json", 200),
    ("read-access-log/contactmomenten.json", 200),
    ("update-profile/contactgegeven-verwijderen.json", 200),
    ("update-profile/profiel-verwijderen.json", 204),  # erasure, last
]


def test_every_sample_api_event_runs_in_order(store, workspace) -> None:
    bsn = random_test_bsn()
    for relative, status in EVENT_SEQUENCE:
        event = load_event(relative, workspace, bsn)
        got, headers, body = through_lambda(relative.split("/")[0], event)
        assert got == status, (relative, body)
        assert headers["API-Version"] == "1.0.0"


def test_every_sample_event_is_covered_and_matches_its_route() -> None:
    files = {str(p.relative_to(EVENTS)) for p in EVENTS.rglob("*.json")}
    covered = {relative for relative, _ in EVENT_SEQUENCE} | {"process-log/stream-batch.json"}
    assert files == covered
    for relative, _ in EVENT_SEQUENCE:
        event = json.loads((EVENTS / relative).read_text())
        route_keys = {r.route_key for r in function(relative.split("/")[0]).routes}
        assert event["routeKey"] in route_keys, relative
    routes = {r.route_key for f in FUNCTIONS for r in f.routes}
    sampled = {json.loads((EVENTS / r).read_text())["routeKey"] for r, _ in EVENT_SEQUENCE}
    assert sampled == routes  # a sample for every route


def test_the_sample_stream_batch_writes_one_record_per_change(store) -> None:
    batch = json.loads((EVENTS / "process-log" / "stream-batch.json").read_text())
    partij = batch["Records"][0]["dynamodb"]["Keys"]["partij"]["S"]
    result = import_module(function("process-log").handler_module).lambda_handler(batch, None)
    assert result == {"batchItemFailures": []}
    assert len(AuditTrail().of(partij)) == 3


def _stream_batch_for(partij: str) -> dict:
    batch = json.loads((EVENTS / "process-log" / "stream-batch.json").read_text())
    for record in batch["Records"]:
        record["dynamodb"]["Keys"]["partij"]["S"] = partij
    return batch


def test_process_log_writes_the_same_trail_on_the_three_runtimes(store) -> None:
    module = import_module(function("process-log").handler_module)
    trails = {}

    partij = "runtime-lambda"
    assert module.lambda_handler(_stream_batch_for(partij), None) == {"batchItemFailures": []}
    trails["lambda"] = AuditTrail().of(partij)

    # OpenFaaS: the batch as the body of a request to the image's application...
    partij = "runtime-openfaas"
    body = json.dumps(_stream_batch_for(partij)).encode()
    index = _openfaas_index()
    answer = Client(index.function_app(function("process-log"))).post("/", data=body)
    assert answer.status_code == 200
    assert json.loads(answer.get_data()) == {"batchItemFailures": []}
    trails["openfaas"] = AuditTrail().of(partij)

    # ... and to the handle(event, context) of the stock python3-http template.
    partij = "runtime-openfaas-template"
    body = json.dumps(_stream_batch_for(partij)).encode()
    result = module.handle(
        SimpleNamespace(body=body, headers={}, method="POST", query={}, path="/"), None
    )
    assert result["statusCode"] == 200
    assert json.loads(result["body"]) == {"batchItemFailures": []}
    trails["openfaas-template"] = AuditTrail().of(partij)

    # Knative: a Trigger delivers each stream record as one CloudEvent.
    partij = "runtime-knative"
    app = knative_app("process-log", "cloudevent_handler", "cloudevent")
    client = app.test_client()
    for record in _stream_batch_for(partij)["Records"]:
        cloud_event = {
            "specversion": "1.0",
            "type": "nl.overheid.profielservice.stream-record",
            "source": "urn:nl:profielservice:stream-pump",
            "id": record["dynamodb"]["SequenceNumber"],
            "datacontenttype": "application/json",
            "data": record,
        }
        response = client.post(
            "/", json=cloud_event, headers={"Content-Type": "application/cloudevents+json"}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    trails["knative"] = AuditTrail().of(partij)

    def comparable(records):
        return [
            (r.volgnummer, r.actie, r.velden, r.versie_voor, r.versie_na, r.actor_rol, r.tijdstip)
            for r in records
        ]

    assert len(trails["lambda"]) == 3
    assert (
        comparable(trails["lambda"])
        == comparable(trails["openfaas"])
        == comparable(trails["openfaas-template"])
        == comparable(trails["knative"])
    )


def test_on_knative_the_pump_feeds_process_log_through_a_broker(store, api_url, idp) -> None:
    """Stream pump -> CloudEvents over HTTP (what a Broker and Trigger pass on) -> process-log's
    CloudEvent function under functions-framework -> the audit trail."""
    from infra.local.serving import serve
    from infra.local.store import free_port
    from pump.cloudevents import cloudevent_forwarder
    from pump.stream import StreamPump
    from shared.store.tables import ProfielItem

    app = knative_app("process-log", "cloudevent_handler", "cloudevent")
    accepted: list[str] = []

    def broker(environ, start_response):
        # Passes the event on as a Trigger would, and notes what the function accepted.
        def noting(status, headers, exc_info=None):
            if status.startswith("2"):
                accepted.append(environ.get("CONTENT_TYPE", ""))
            return start_response(status, headers, exc_info)

        return app(environ, noting)

    server = serve(broker, "127.0.0.1", free_port())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sink = f"http://127.0.0.1:{server.server_port}/"
    pump = StreamPump(ProfielItem.Meta.table_name, cloudevent_forwarder(sink), store.endpoint)
    pump.start()
    try:
        bsn = random_test_bsn()
        client = ApiClient(api_url, idp.burger_token(bsn))
        assert client.change("PATCH", "/profiel/voorkeuren", {"taal": "nl"}).status_code == 200
        assert client.change("PATCH", "/profiel/voorkeuren", {"taal": "en"}).status_code == 200
        deadline = time.monotonic() + 15
        while len(accepted) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pump.wait_until_idle(10)
    finally:
        pump.stop()
        server.shutdown()
        server.server_close()
    assert len(accepted) >= 2
    assert len(AuditTrail().of(partij_key(subject_for(bsn)))) == 2


@functools.cache
def _openfaas_index() -> ModuleType:
    """infra/openfaas/index.py, the WSGI application in the OpenFaaS image (the top-level module
    ``index`` there, not a module of a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(
        "openfaas_index", REPOSITORY / "infra" / "openfaas" / "index.py"
    )
    assert spec is not None and spec.loader is not None
    if spec.name not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules[spec.name]


def through_openfaas_server(function_name: str, event: dict) -> Response:
    """The request over index.py's WSGI app, which converts it into the event for the router."""
    client = Client(_openfaas_index().function_app(function(function_name)))
    return client.open(
        event["rawPath"],
        method=event["requestContext"]["http"]["method"],
        headers=event["headers"],
        data=event.get("body", ""),
    )


def through_knative_server(function_name: str, event: dict) -> Response:
    return (
        knative_app(function_name, "http_handler")
        .test_client()
        .open(
            event["rawPath"],
            method=event["requestContext"]["http"]["method"],
            headers=event["headers"],
            data=event.get("body", ""),
        )
    )


@pytest.mark.parametrize(
    "path",
    ["/api/profiel/v1/profiel%2Fcontactgegevens", "/api/profiel/v1/profiel%2fcontactgegevens"],
)
def test_an_encoded_slash_is_a_404_on_the_three_runtimes(store, workspace, path: str) -> None:
    bsn = random_test_bsn()
    event = load_event("update-profile/contactgegeven-toevoegen.json", workspace, bsn)
    event["routeKey"] = "$default"
    # API Gateway hands the path as sent; the WSGI servers decode it, and keep it as sent aside.
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    lambda_status, lambda_headers, lambda_body = through_lambda("update-profile", event)
    answers = [(lambda_status, lambda_headers["Content-Type"], lambda_headers["API-Version"])]
    for runtime in (through_knative_server, through_openfaas_server):
        answer = runtime("update-profile", event)
        answers.append(
            (answer.status_code, answer.headers["Content-Type"], answer.headers["API-Version"])
        )
    assert answers == [(404, "application/problem+json", "1.0.0")] * 3
    assert lambda_body["type"].endswith(":niet-gevonden")
    # Nothing was added to the profile.
    read = load_event("get-profile/profiel.json", workspace, bsn)
    status, headers, _ = through_lambda("get-profile", read)
    assert (status, headers["ETag"]) == (200, '"0"')


def test_head_is_get_without_the_body_on_the_three_runtimes(store, workspace) -> None:
    bsn = random_test_bsn()
    setup = load_event("update-profile/voorkeuren.json", workspace, bsn)
    assert through_lambda("update-profile", setup)[0] == 200
    get = load_event("get-profile/profiel.json", workspace, bsn)
    head = json.loads(json.dumps(get))
    head["requestContext"]["http"]["method"] = "HEAD"

    handler = import_module(function("get-profile").handler_module).lambda_handler
    lambda_get, lambda_head = handler(get, None), handler(head, None)
    assert lambda_head["statusCode"] == lambda_get["statusCode"] == 200
    assert lambda_head["body"] == ""
    length = str(len(lambda_get["body"].encode()))
    assert lambda_head["headers"] == {**lambda_get["headers"], "Content-Length": length}

    for runtime in (through_knative_server, through_openfaas_server):
        got, headed = runtime("get-profile", get), runtime("get-profile", head)
        assert headed.status_code == got.status_code == 200, runtime.__name__
        assert headed.get_data() == b""
        for name in ("Content-Type", "ETag", "API-Version", "Cache-Control", "Content-Length"):
            assert headed.headers.get(name) == got.headers.get(name), (runtime.__name__, name)
        assert headed.headers["Content-Length"] == length
