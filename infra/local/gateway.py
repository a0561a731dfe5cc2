"""The local API gateway: what AWS HTTP API (or a Knative ingress) does in front of the functions.

It routes ``METHOD /api/profiel/v1/...`` by the registry's route table to the function that owns
the route, hands it the API Gateway v2 event with ``routeKey`` and ``pathParameters`` set, and
answers unknown routes itself with a problem. HEAD goes wherever GET goes (werkzeug's rules match
HEAD where they allow GET; the function answers it as GET without the body). Everything under
``/dev-idp/`` it hands to the development IdP's app (``infra.local.dev_idp_web``), as a broker
would be reached beside the API.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from functions.registry import FUNCTIONS, Function, Route
from infra.local.dev_idp_web import PREFIX
from shared.http.entrypoints import (
    HEALTH_PATH,
    STANDARD_HEADERS,
    encoded_slash,
    problem_event_response,
    refuse_large_body,
    request_target,
    wsgi_event,
    wsgi_response,
)
from shared.logs import logger
from shared.problems import method_not_allowed, not_found, server_error

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


class Gateway:
    def __init__(
        self,
        handlers: dict[str, LambdaHandler],
        dev_idp: WsgiApp | None = None,
        functions: Iterable[Function] = FUNCTIONS,
    ) -> None:
        """``dev_idp`` serves every path under ``/dev-idp/``: ``DevIdpWeb`` (login pages and
        tokens), or ``DevIdpKeys`` (only the key set and its discovery document)."""
        self._handlers = handlers
        self._dev_idp = dev_idp
        rules = [
            Rule(route.rule, methods=[route.method], endpoint=(function.name, route))
            for function in functions
            for route in function.routes
        ]
        # A trailing slash or a doubled one is a different URL: 404, never a redirect.
        self._map = Map(rules, strict_slashes=True, merge_slashes=False, redirect_defaults=False)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            response = self.respond(Request(environ))
        except Exception as error:  # noqa: BLE001 - as API Gateway answers a failing integration
            # The type only: a message may carry what the request carried.
            logger.error("gateway error", extra={"error": type(error).__name__})
            response = _to_werkzeug(problem_event_response(server_error()))
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        if encoded_slash(request_target(request.environ)):
            # werkzeug decodes the path: ``profiel%2Fcontactgegevens`` would be routed as
            # ``profiel/contactgegevens``. An encoded slash is data in a segment, and no route has
            # a segment that can hold one.
            return _to_werkzeug(problem_event_response(not_found()))
        if request.path == HEALTH_PATH:
            return _json(200, {"status": "UP"})
        if self._dev_idp is not None and request.path.startswith(PREFIX):
            answer: Response = Response.from_app(self._dev_idp, request.environ, buffered=True)
            return answer
        try:
            (function_name, route), parameters = self._map.bind_to_environ(request.environ).match()
        except MethodNotAllowed as error:
            # HEAD is among them wherever GET is, as it is served.
            allowed = sorted(error.valid_methods or ())
            return _to_werkzeug(problem_event_response(method_not_allowed(allowed)))
        except NotFound:
            return _to_werkzeug(problem_event_response(not_found()))
        return self._invoke(function_name, route, parameters, request)

    def _invoke(
        self, function_name: str, route: Route, parameters: dict, request: Request
    ) -> Response:
        refused = refuse_large_body(request.content_length)
        if refused is not None:
            return _to_werkzeug(refused)
        event = wsgi_event(request, route.route_key, parameters or None)
        # As API Gateway and an ingress tell the function how the client reached them.
        event["headers"].setdefault("x-forwarded-proto", request.scheme)
        return _to_werkzeug(self._handlers[function_name](event, None))


def _to_werkzeug(response: dict[str, Any]) -> Response:
    answer: Response = wsgi_response(response)
    return answer


def _json(status: int, body: Any) -> Response:
    return Response(
        json.dumps(body),
        status=status,
        headers={"Content-Type": "application/json", **STANDARD_HEADERS},
    )
