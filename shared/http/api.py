"""A function's HTTP API: its routes from the registry, and the rules every response follows.

Routing is the powertools resolver's (the same on all three runtimes); this module adds what the
service promises on every route:
- only routes the registry gives the function can be registered, and the registry's routes are
  all there (a test checks);
- every error is an RFC 9457 problem; nothing else (no stack trace, no exception text) leaks;
- bodies are JSON, within the size limit, validated by a pydantic model that names bad fields.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from pydantic import BaseModel, ValidationError

from shared.config import get_settings
from shared.http.routes import Function
from shared.logs import logger
from shared.problems import (
    PROBLEM_CONTENT_TYPE,
    InvalidParam,
    Problem,
    invalid_input,
    method_not_allowed,
    not_found,
    server_error,
)

JSON_CONTENT_TYPE = "application/json"
_JSON_MEDIA_TYPE = re.compile(r"application/([a-z0-9.+-]+\+)?json", re.IGNORECASE)

ModelT = TypeVar("ModelT", bound=BaseModel)


class FunctionApi:
    """The resolver of one function, bound to that function's routes in the registry."""

    def __init__(self, function: Function) -> None:
        self.function = function
        # Routes are registered with the full path: the API exists only under its base path, on
        # every runtime (Knative and OpenFaaS hand the function any path they receive).
        self.resolver = APIGatewayHttpResolver()
        self.resolver.exception_handler(Problem)(problem_response)
        self.resolver.exception_handler(Exception)(self._unexpected)
        self.resolver.not_found(self._no_route)
        # The resolver keeps the current request on itself: one request at a time (see
        # shared.http.entrypoints.resolve).
        self.lock = threading.Lock()

    @property
    def current_event(self) -> APIGatewayProxyEventV2:
        return self.resolver.current_event

    def route(self, key: str) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
        """Register the handler of ``"METHOD /path/{param}"``, a route the registry lists."""
        route = next((r for r in self.function.routes if r.key == key), None)
        if route is None:
            raise LookupError(f"{key} is not a route of {self.function.name} in the registry")
        return self.resolver.route(route.rule, method=route.method)

    def _no_route(self, _error: Exception) -> Response:
        path = self.current_event.path
        allowed = sorted(r.method for r in self.function.routes if r.matches(path))
        return problem_response(method_not_allowed(allowed) if allowed else not_found())

    def _unexpected(self, error: Exception) -> Response:
        # The type and the place, never the message: messages of library exceptions can carry
        # the values that caused them.
        tb = error.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
        logger.error(
            "unexpected error",
            extra={"function": self.function.name, "error": type(error).__name__, "where": where},
        )
        return problem_response(server_error())


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status,
        content_type=JSON_CONTENT_TYPE,
        body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        headers=headers or {},
    )


def problem_response(problem: Problem) -> Response:
    return Response(
        status_code=problem.status,
        content_type=PROBLEM_CONTENT_TYPE,
        body=json.dumps(problem.to_dict(), ensure_ascii=False, separators=(",", ":")),
        headers=dict(problem.headers),
    )


def parse_body(event: APIGatewayProxyEventV2, model: type[ModelT]) -> ModelT:
    """The request body as ``model``, or a 413/415/400 problem that says what is wrong."""
    content_type = (event.headers.get("content-type") or "").split(";")[0].strip()
    if not _JSON_MEDIA_TYPE.fullmatch(content_type):
        raise Problem(
            415,
            "Niet-ondersteund mediatype",
            "Stuur de gegevens als JSON, met Content-Type: application/json.",
            "mediatype",
        )
    try:
        body = event.decoded_body or ""
    except UnicodeDecodeError:
        raise invalid_input(
            [InvalidParam("body", "encoding", "stuur de gegevens als UTF-8")]
        ) from None
    if len(body.encode()) > get_settings().max_body_bytes:
        raise Problem(413, "Te groot", "De aanvraag is te groot.", "te-groot")
    try:
        return model.model_validate_json(body)
    except ValidationError as error:
        raise invalid_input(invalid_params(error, _json_or_none(body))) from None


def validated(model: type[ModelT], values: Any) -> ModelT:
    """``values`` (a request body after merging, say) as ``model``, or a 400 naming each field."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise invalid_input(invalid_params(error, values)) from None


def invalid_params(error: ValidationError, body: Any = None) -> list[InvalidParam]:
    """Pydantic's errors as ``invalidParams``: where in the body, which rule, why.

    The reason never repeats the value that was sent (it may be personal data, and answers end
    up in logs); the name is a path in the body as the client sent it.
    """
    params = []
    for e in error.errors(include_url=False):
        name = ".".join(_body_path(e["loc"], body))
        if e["type"] in ("union_tag_invalid", "union_tag_not_found"):
            # A wrong or missing kind (``soort``) is an error of that field, not of the whole body.
            discriminator = str(e.get("ctx", {}).get("discriminator", "")).strip("'")
            name = ".".join(part for part in (name, discriminator) if part)
            reason = f"kies een van: {e.get('ctx', {}).get('expected_tags', '')}"
        else:
            reason = e["msg"].removeprefix("Value error, ")
            sent = e.get("input")
            if isinstance(sent, (str, int, float)) and len(str(sent)) >= 3 and str(sent) in reason:
                reason = f"ongeldige waarde ({e['type']})"
        params.append(InvalidParam(name or "body", e["type"], reason))
    return params


def _body_path(location: tuple[int | str, ...], body: Any) -> list[str]:
    """The error's location as a path through ``body``.

    Pydantic puts the chosen variant of a tagged union in the location (``nederlands`` in
    ``postadres.nederlands.postcode``); that is a value in the body, not a key, so it is left out.
    """
    path, current = [], body
    for part in location:
        if isinstance(current, dict) and part not in current and part in current.values():
            continue  # the tag of a tagged union
        path.append(str(part))
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            current = None
    return path


def _json_or_none(body: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # deeply nested: pydantic refused it already
        return None
