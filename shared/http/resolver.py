"""The router of a function's HTTP API: an API Gateway HTTP API (payload 2.0) event to the
handler of its route, and the handler's answer to the response API Gateway expects.

The routes are the registry's (``shared.http.api.FunctionApi`` registers them). Requests run
concurrently, of one function or of several in one process (the local gateway, a
functions-framework or OpenFaaS server with threads): the current event lives in a
:class:`~contextvars.ContextVar`, one binding per request, so no request reads another's and no
lock is needed.

It replaces powertools' resolver, whose import brings every resolver powertools has (AppSync's
asyncio included) and all its event classes - a fifth of the import floor at every cold start -
for what is here a match of the path against a function's few route templates. What the
functions relied on of it is kept: a ``<parameter>`` matches the same characters (never ``/``,
``?``, ``#`` or a quote), the path is matched as sent (percent-encoded), routes without a
parameter are tried first, an exception goes to the handler of the nearest class in its MRO,
and the response has the same form.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# What a path parameter may hold, as powertools' routers have it: RFC 3986's unreserved
# characters and sub-delimiters, ":", "@", "%" (percent-encoding), what it calls unsafe, and
# word characters.
_PARAMETER = r"[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+"
_TEMPLATE_PARAMETER = re.compile(r"<(\w+)>")

Handler = Callable[..., "Response"]


class Response:
    """What a route answers. ``content_type`` is also its ``Content-Type``, unless ``headers``
    give one."""

    def __init__(
        self,
        status_code: int,
        content_type: str | None = None,
        body: str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status_code = status_code
        self.content_type = content_type
        self.body = body
        self.headers: dict[str, str] = dict(headers) if headers else {}
        if content_type:
            self.headers.setdefault("Content-Type", content_type)

    def event_response(self) -> dict[str, Any]:
        """The response API Gateway expects of the function (payload 2.0)."""
        body, encoded = self.body, False
        if isinstance(body, bytes):
            body, encoded = base64.b64encode(body).decode(), True
        headers = {name: value for name, value in self.headers.items() if value is not None}
        return {
            "statusCode": self.status_code,
            "body": body,
            "isBase64Encoded": encoded,
            "headers": headers,
            "cookies": [],
        }


class HttpEvent:
    """What a route reads of an API Gateway HTTP API (payload 2.0) event."""

    def __init__(self, event: Mapping[str, Any]) -> None:
        self.raw_event = event

    @cached_property
    def headers(self) -> dict[str, str]:
        """The request's headers by their names in lower case, as API Gateway gives them."""
        return {
            name.lower(): value for name, value in (self.raw_event.get("headers") or {}).items()
        }

    @property
    def http_method(self) -> str:
        method: str = self.raw_event["requestContext"]["http"]["method"]
        return method

    @property
    def path(self) -> str:
        """The path as sent (percent-encoded), without the stage a stage other than
        ``$default`` puts before it."""
        path: str = self.raw_event["rawPath"]
        stage = self.raw_event.get("requestContext", {}).get("stage")
        if stage and stage != "$default":
            return path.removeprefix(f"/{stage}")
        return path

    @property
    def query_string_parameters(self) -> dict[str, str]:
        parameters: dict[str, str] = self.raw_event.get("queryStringParameters") or {}
        return parameters

    @property
    def body(self) -> str | None:
        body: str | None = self.raw_event.get("body")
        return body

    @cached_property
    def decoded_body(self) -> str | None:
        """The body as text; a base64-encoded one decoded as UTF-8 (which may fail)."""
        body = self.body
        if self.raw_event.get("isBase64Encoded") and body:
            return base64.b64decode(body.encode()).decode()
        return body


@dataclass(frozen=True)
class RegisteredRoute:
    method: str
    path: str  # the template, parameters as ``<name>``
    pattern: re.Pattern[str]
    handler: Handler


class NotFoundError(Exception):
    """No route of the function has the request's method and path."""


class RequestScopedResolver:
    """The routes of one function, and the handlers of what they raise."""

    def __init__(self) -> None:
        self._routes: list[RegisteredRoute] = []
        self._exception_handlers: dict[type[Exception], Callable[[Exception], Response]] = {}
        self._current: ContextVar[HttpEvent | None] = ContextVar("profiel_request", default=None)

    @property
    def routes(self) -> tuple[RegisteredRoute, ...]:
        """The routes it serves, in the order they are tried: those without a parameter first,
        each kind in the order registered."""
        return tuple(self._routes)

    def route(self, rule: str, method: str) -> Callable[[Handler], Handler]:
        """Register the handler of ``method`` on ``rule``; its ``<parameter>`` values are passed
        to it by name."""
        pattern = re.compile(
            "^" + _TEMPLATE_PARAMETER.sub(lambda m: f"(?P<{m.group(1)}>{_PARAMETER})", rule) + "$"
        )

        def register(handler: Handler) -> Handler:
            self._routes.append(RegisteredRoute(method.upper(), rule, pattern, handler))
            self._routes.sort(key=lambda route: _TEMPLATE_PARAMETER.search(route.path) is not None)
            return handler

        return register

    def exception_handler(
        self, exception: type[Exception]
    ) -> Callable[[Callable[[Exception], Response]], Callable[[Exception], Response]]:
        def register(handler: Callable[[Exception], Response]) -> Callable[[Exception], Response]:
            self._exception_handlers[exception] = handler
            return handler

        return register

    def not_found(
        self, handler: Callable[[Exception], Response]
    ) -> Callable[[Exception], Response]:
        """What answers a request no route has (the handler gets a :class:`NotFoundError`)."""
        return self.exception_handler(NotFoundError)(handler)

    @property
    def current_event(self) -> HttpEvent:
        """The event of the request being resolved, in this context."""
        event = self._current.get()
        if event is None:
            raise RuntimeError("no request is being resolved")
        return event

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        """Route one API Gateway v2 event; never touches state another request can see."""
        request = HttpEvent(event)
        token = self._current.set(request)
        try:
            return self._answer(request).event_response()
        finally:
            self._current.reset(token)

    def _answer(self, request: HttpEvent) -> Response:
        method, path = request.http_method.upper(), request.path
        for route in self._routes:
            found = route.pattern.match(path) if route.method == method else None
            if found is not None:
                try:
                    return route.handler(**found.groupdict())
                except Exception as error:  # noqa: BLE001 - to its handler, or raised again
                    return self._handled(error)
        return self._handled(NotFoundError(f"{method} {path}"))

    def _handled(self, error: Exception) -> Response:
        """The answer of the handler of the nearest class of ``error``; re-raised without one."""
        for kind in type(error).__mro__:
            handler = self._exception_handlers.get(kind)
            if handler is not None:
                return handler(error)
        raise error
