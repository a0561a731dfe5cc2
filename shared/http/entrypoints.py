"""One handler, three runtimes: the thin entry points every HTTP function exposes.

All three turn their request into an API Gateway HTTP API (v2) event and call :func:`resolve`:
- AWS Lambda behind API Gateway: the event as it comes;
- Knative / Cloud Run through functions-framework: a Flask request;
- OpenFaaS: the WSGI request gunicorn hands ``infra/openfaas/index.py`` (:func:`wsgi_event`).
  ``handle(event, context)`` (:func:`openfaas_entry`) is only for OpenFaaS's stock
  ``python3-http`` template; the service's own image does not use it.

Requests run concurrently, of one function or of several in one process: no request state is
kept anywhere another request can read it (``shared.http.resolver``).
"""

from __future__ import annotations

import base64
import gc
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from shared import snapstart
from shared.config import get_settings
from shared.http.api import FunctionApi, problem_response
from shared.logs import logger
from shared.problems import Problem, not_found

API_VERSION = "1.0.0"

# Headers on every response, errors included.
STANDARD_HEADERS = {
    "API-Version": API_VERSION,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}

HEALTH_PATH = "/healthz"

# A percent-encoded slash, in any case: data inside a path segment, never a separator.
_ENCODED_SLASH = re.compile("%2f", re.IGNORECASE)


def resolve(api: FunctionApi, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Run one request through the function's router; the API Gateway v2 response dict.

    HEAD is answered wherever GET is (RFC 9110 §9.3.2): routed as GET, with GET's status and
    headers and no body.
    """
    started = time.perf_counter()
    head = _method(event) == "HEAD"
    if encoded_slash(event.get("rawPath")):
        # No route has a segment that may hold a slash, and decoded it would name another route.
        response = problem_event_response(not_found())
    else:
        response = api.resolver.resolve(_as_get(event) if head else event, context)
    response["headers"] = {**response.get("headers", {}), **STANDARD_HEADERS}
    if head:
        response = _without_body(response)
    route = event.get("routeKey")
    logger.info(
        "request",
        extra={
            "function": api.function.name,
            # The route template, never the raw path: a wrong URL may carry an identifier.
            "route": route if route and route != "$default" else None,
            "method": _method(event),
            "status": response["statusCode"],
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return response


def _method(event: dict[str, Any]) -> str | None:
    method: str | None = event.get("requestContext", {}).get("http", {}).get("method")
    return method


def _as_get(event: dict[str, Any]) -> dict[str, Any]:
    """The event of a HEAD request as the GET request it is routed as."""
    request_context = event.get("requestContext", {})
    http = {**request_context.get("http", {}), "method": "GET"}
    return {**event, "requestContext": {**request_context, "http": http}}


def _without_body(response: dict[str, Any]) -> dict[str, Any]:
    """The answer to HEAD: GET's status and headers, without the body.

    Its Content-Length is the GET body's: the only value RFC 9110 §8.6 allows in an answer to
    HEAD - a transport that counts the (empty) body itself would say 0.
    """
    body = response.get("body") or ""
    length = len(base64.b64decode(body) if response.get("isBase64Encoded") else body.encode())
    headers = {**response.get("headers", {}), "Content-Length": str(length)}
    return {**response, "body": "", "isBase64Encoded": False, "headers": headers}


def request_target(environ: dict[str, Any]) -> str | None:
    """The request target as the client sent it, not percent-decoded: WSGI servers keep it in
    ``REQUEST_URI`` (werkzeug) or ``RAW_URI`` (gunicorn, werkzeug); None when neither does."""
    target: str | None = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    return target


def encoded_slash(target: str | None) -> bool:
    """Whether the path of a request target as sent holds an encoded slash (``%2F``)."""
    return bool(_ENCODED_SLASH.search((target or "").split("?", 1)[0]))


def routing_path(path: str, target: str | None) -> str:
    """The path to route on: ``path``, the server's percent-decoded one - unless the target as
    sent holds an encoded slash, which decoding turns into a separator (``profiel%2Fcontact…``
    would become the route ``profiel/contact…``). Then the path as sent, which :func:`resolve`
    refuses."""
    return (target or "").split("?", 1)[0] if encoded_slash(target) else path


def lambda_entry(api: FunctionApi) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    # Resumed from a SnapStart snapshot, the function drops what it kept from before.
    snapstart.register_hooks()
    # What the import made lives as long as the instance: out of the garbage collector's sight,
    # a request's collections only look at the request's own objects (a bulk lookup of 1000
    # makes enough to trigger full collections: a fifth of its CPU time).
    gc.freeze()

    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return resolve(api, event, context)

    return lambda_handler


def knative_entry(api: FunctionApi) -> Callable[[Any], Any]:
    """A functions-framework HTTP function (``--signature-type http``)."""

    def http_handler(request: Any) -> Any:
        if request.path == HEALTH_PATH:
            return '{"status":"UP"}', 200, {"Content-Type": "application/json", **STANDARD_HEADERS}
        response = refuse_large_body(request.content_length) or resolve(
            api, wsgi_event(request), None
        )
        return wsgi_response(response)

    return http_handler


def wsgi_event(
    request: Any, route_key: str = "$default", path_parameters: dict[str, str] | None = None
) -> dict[str, Any]:
    """The API Gateway v2 event of a werkzeug (or Flask) request."""
    return api_gateway_event(
        request.method,
        routing_path(request.path, request_target(request.environ)),
        request.query_string.decode("latin-1"),
        request.headers.items(),
        request.get_data(),
        request.remote_addr,
        route_key,
        path_parameters,
    )


def openfaas_entry(api: FunctionApi) -> Callable[[Any, Any], dict[str, Any]]:
    """The ``handle(event, context)`` of OpenFaaS's stock python3-http template, for a function
    deployed with that template. The service's own image does not use it: its
    ``infra/openfaas/index.py`` turns the WSGI request into the event itself, once."""

    def handle(event: Any, context: Any) -> dict[str, Any]:
        if event.path == HEALTH_PATH:
            return {"statusCode": 200, "body": '{"status":"UP"}', "headers": dict(STANDARD_HEADERS)}
        body = event.body if isinstance(event.body, bytes) else (event.body or "").encode()
        query = urlencode(event.query or {})
        headers = event.headers.items() if event.headers else ()
        # The template's event has only the decoded path; an event that also carries the
        # request target as sent (``request_uri``) never has an encoded slash routed as a
        # separator.
        path = routing_path(event.path, getattr(event, "request_uri", None))
        response = refuse_large_body(len(body)) or resolve(
            api, api_gateway_event(event.method, path, query, headers, body, None), context
        )
        return {
            "statusCode": response["statusCode"],
            "body": body_text(response),
            "headers": response["headers"],
        }

    return handle


def api_gateway_event(
    method: str,
    path: str,
    raw_query: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    source_ip: str | None,
    route_key: str = "$default",
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The API Gateway HTTP API (payload 2.0) event for a plain HTTP request."""
    merged: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        merged[key] = f"{merged[key]},{value}" if key in merged else value
    try:
        text, is_base64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_base64 = base64.b64encode(body).decode(), True
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": merged,
        "requestContext": {
            "http": {
                "method": method.upper(),
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip or "127.0.0.1",
                "userAgent": merged.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": is_base64,
    }
    if body:
        event["body"] = text
    parameters: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        # As API Gateway does: a repeated parameter's values joined by commas.
        parameters[name] = f"{parameters[name]},{value}" if name in parameters else value
    if parameters:
        event["queryStringParameters"] = parameters
    if path_parameters:
        event["pathParameters"] = path_parameters
    return event


def refuse_large_body(length: int | None) -> dict[str, Any] | None:
    """Refuse an oversized body before it is read into memory."""
    if length is None or length <= get_settings().max_body_bytes:
        return None
    return problem_event_response(Problem(413, "Te groot", "De aanvraag is te groot.", "te-groot"))


def problem_event_response(problem: Problem) -> dict[str, Any]:
    """A problem as an API Gateway v2 response dict, for answers given before any router runs."""
    response = problem_response(problem)
    return {
        "statusCode": response.status_code,
        "body": response.body,
        "headers": {**response.headers, "Content-Type": response.content_type, **STANDARD_HEADERS},
    }


def wsgi_response(response: dict[str, Any]) -> Any:
    """An API Gateway v2 response dict as a werkzeug Response, for the WSGI runtimes.

    werkzeug sets Content-Length from the body; an answer to HEAD has none but declares its GET
    body's length (:func:`_without_body`), which is kept.
    """
    from werkzeug.wrappers import Response  # only the WSGI runtimes have werkzeug

    answer = Response(
        body_text(response), status=response["statusCode"], headers=response["headers"]
    )
    declared = {k.lower(): v for k, v in response["headers"].items()}.get("content-length")
    if declared is not None:
        answer.headers["Content-Length"] = declared
    return answer


def body_text(response: dict[str, Any]) -> str:
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        return base64.b64decode(body).decode("utf-8")
    return body
