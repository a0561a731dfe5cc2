"""The powertools HTTP API resolver with its request state kept per request, not per process.

``ApiGatewayResolver.resolve`` stores the current event on ``BaseRouter`` - a class attribute
that every resolver in the process shares - and the route's path parameters in the resolver's
``context`` dict. Several functions hosted in one process (the local gateway, a functions-framework
or OpenFaaS server with threads) would read each other's request: a lookup's Logboek record with
the trace of a concurrent PATCH. Here the event, the Lambda context and the routing context live
in a :class:`~contextvars.ContextVar`, one binding per request, so no lock is needed at all.

The same pattern as powertools' own ``HttpResolverLocal`` (its ASGI resolver), for the API
Gateway v2 event this service speaks on every runtime.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2


@dataclass
class _RequestState:
    event: APIGatewayProxyEventV2 | None = None
    lambda_context: Any = None
    context: dict = field(default_factory=dict)
    processed_stack_frames: list[str] = field(default_factory=list)


class RequestScopedResolver(APIGatewayHttpResolver):
    def __init__(self) -> None:
        # Before super().__init__, which assigns ``context`` and ``processed_stack_frames``.
        self._startup_state = _RequestState()
        self._request_state: ContextVar[_RequestState | None] = ContextVar(
            "profiel_request", default=None
        )
        super().__init__()

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        """Route one API Gateway v2 event; never touches state another request can see."""
        state = _RequestState(
            event=self._to_proxy_event(dict(event)),
            lambda_context=context,
            context=dict(self._startup_state.context),
        )
        token = self._request_state.set(state)
        try:
            return self._build_response(self._resolve())
        finally:
            self._request_state.reset(token)

    @property
    def _state(self) -> _RequestState:
        return self._request_state.get() or self._startup_state

    # Powertools declares these as plain attributes; as properties they read this request's.
    @property  # type: ignore[override]
    def current_event(self) -> APIGatewayProxyEventV2:
        event = self._state.event
        if event is None:
            raise RuntimeError("no request is being resolved")
        return event

    @current_event.setter
    def current_event(self, value: APIGatewayProxyEventV2) -> None:
        self._state.event = value

    @property  # type: ignore[override]
    def lambda_context(self) -> Any:
        return self._state.lambda_context

    @lambda_context.setter
    def lambda_context(self, value: Any) -> None:
        self._state.lambda_context = value

    @property  # type: ignore[override]
    def context(self) -> dict:
        return self._state.context

    @context.setter
    def context(self, value: dict) -> None:
        self._state.context = value

    @property  # type: ignore[override]
    def processed_stack_frames(self) -> list[str]:
        return self._state.processed_stack_frames

    @processed_stack_frames.setter
    def processed_stack_frames(self, value: list[str]) -> None:
        self._state.processed_stack_frames = value
