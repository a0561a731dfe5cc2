"""A function's HTTP API: its routes from the registry, and the rules every response follows.

Routing is ``shared.http.resolver``'s (the same on all three runtimes); this module adds what the
service promises on every route:
- only routes the registry gives the function can be registered, and the registry's routes are
  all there (a test checks);
- every error is an RFC 9457 problem; nothing else (no stack trace, no exception text) leaks;
- bodies are JSON, within the size limit, validated by a pydantic model that names bad fields.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from shared.config import get_settings
from shared.errors import DomainError
from shared.http.errors import problem_of
from shared.http.resolver import HttpEvent, RequestScopedResolver, Response
from shared.http.routes import Function, Toegang
from shared.identity.access import (
    OrganisatieCaller,
    PartijCaller,
    Sleutels,
    authenticate,
    authenticate_koppeling,
    authenticate_organisation,
)
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

    def __init__(self, function: Function, sleutels: Sleutels | None = None) -> None:
        self.function = function
        # The register's API keys, for routes of existing clients (Toegang.KOPPELING).
        self.sleutels = sleutels
        # Routes are registered with the full path: the API exists only under its base path, on
        # every runtime (Knative and OpenFaaS hand the function any path they receive).
        self.resolver = RequestScopedResolver()
        self.resolver.exception_handler(Problem)(problem_response)
        # What a use case refuses, in the domain's words: one mapping to its problem.
        self.resolver.exception_handler(DomainError)(lambda e: problem_response(problem_of(e)))
        self.resolver.exception_handler(Exception)(self._unexpected)
        self.resolver.not_found(self._no_route)

    @property
    def current_event(self) -> HttpEvent:
        return self.resolver.current_event

    def route(self, key: str) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
        """Register the handler of ``"METHOD /path/{param}"``, a route the registry lists.

        The handler gets its path parameters and, unless anyone may call the route, ``caller``:
        the authenticated partij or organisation the registry says may call it.
        """
        route = next((r for r in self.function.routes if r.key == key), None)
        if route is None:
            raise LookupError(f"{key} is not a route of {self.function.name} in the registry")

        def register(handler: Callable[..., Response]) -> Callable[..., Response]:
            @functools.wraps(handler)
            def authenticated(**parameters: str) -> Response:
                caller = authenticate_caller(
                    route.toegang, self.current_event.headers, self.sleutels
                )
                if caller is None:
                    return handler(**parameters)
                if isinstance(caller, PartijCaller) and caller.previous_partij is not None:
                    _move_from_previous_key(caller.previous_partij, caller.partij)
                return handler(caller, **parameters)

            return self.resolver.route(route.rule, method=route.method)(authenticated)

        return register

    def _no_route(self, _error: Exception) -> Response:
        path = self.current_event.path
        allowed = {m for r in self.function.routes if r.matches(path) for m in r.methods}
        # The method is one the path has, yet the router took no route: a path parameter its
        # pattern refuses (a space, a control character). No such resource, not a wrong method.
        if not allowed or self.current_event.http_method in allowed:
            return problem_response(not_found())
        return problem_response(method_not_allowed(sorted(allowed)))

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


def authenticate_caller(
    toegang: Toegang, headers: Mapping[str, str], sleutels: Sleutels | None = None
) -> PartijCaller | OrganisatieCaller | None:
    """The caller a route of this kind must have, or the 401/403 problem (None: anyone)."""
    if toegang is Toegang.PARTIJ:
        return authenticate(headers)
    if toegang is Toegang.ORGANISATIE:
        return authenticate_organisation(headers)
    if toegang is Toegang.KOPPELING:
        return authenticate_koppeling(headers, sleutels or _no_keys)
    return None


def _no_keys(_sha256: str) -> None:
    return None


def _move_from_previous_key(previous: str, current: str) -> None:
    """During a key rotation, before the partij's own request: its items moved to its new key."""
    from shared.store.rotation import move_on_access  # the store, only during a rotation

    move_on_access(previous, current)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status,
        content_type=JSON_CONTENT_TYPE,
        body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        headers=headers or {},
    )


def model_response(status: int, body: BaseModel, headers: dict[str, str] | None = None) -> Response:
    """``body`` as the JSON its model documents (by alias), serialised by pydantic in one go:
    the same text as :func:`json_response` of its ``model_dump(mode="json", by_alias=True)``."""
    return Response(
        status_code=status,
        content_type=JSON_CONTENT_TYPE,
        body=body.model_dump_json(by_alias=True),
        headers=headers or {},
    )


def problem_response(problem: Problem) -> Response:
    return Response(
        status_code=problem.status,
        content_type=PROBLEM_CONTENT_TYPE,
        body=json.dumps(problem.to_dict(), ensure_ascii=False, separators=(",", ":")),
        headers=dict(problem.headers),
    )


def parse_body(event: HttpEvent, model: type[ModelT]) -> ModelT:
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
    # Before pydantic, which reads a key sent twice as its last value: what was checked would not
    # be what the client meant (nor what another parser in the chain saw).
    duplicates = duplicate_keys(body)
    if duplicates:
        raise invalid_input(
            [InvalidParam(name, "duplicate_key", _DUPLICATE_KEY) for name in duplicates]
        )
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

    The reason is Dutch and never pydantic's (English, and it quotes parser positions and input):
    a fixed text per error type, or the message of one of the service's own validators. It never
    repeats the value that was sent (it may be personal data, and answers end up in logs); the
    name is a path in the body as the client sent it.
    """
    params = []
    errors = error.errors(include_url=False)
    failed_inside = {e["loc"][:depth] for e in errors for depth in range(len(e["loc"]))}
    for e in errors:
        if e["type"] == "too_short" and e["loc"] in failed_inside:
            # Pydantic counts only the valid items: one bad item of a list of one also reads as
            # "too few items". The item's own error says what is wrong.
            continue
        name = ".".join(_body_path(e["loc"], body))
        if e["type"] in ("union_tag_invalid", "union_tag_not_found"):
            # A wrong or missing kind (``soort``) is an error of that field, not of the whole body.
            discriminator = str(e.get("ctx", {}).get("discriminator", "")).strip("'")
            name = ".".join(part for part in (name, discriminator) if part)
        params.append(InvalidParam(name or "body", e["type"], _reason(e)))
    return params


_DUPLICATE_KEY = "komt meer dan een keer voor"
_UNKNOWN_ERROR = "ongeldige waarde"

# One fixed Dutch reason per pydantic error type (pydantic_core's ErrorType); a type not here
# reads as _UNKNOWN_ERROR. Only types the service's models can raise need a better text.
_REASONS: dict[str, str] = {
    "json_invalid": "geen geldige JSON",
    "json_type": "geen geldige JSON",
    "recursion_loop": "te diep genest",
    "missing": "verplicht",
    "extra_forbidden": "onbekend veld",
    "model_type": "moet een object zijn",
    "model_attributes_type": "moet een object zijn",
    "dict_type": "moet een object zijn",
    "list_type": "moet een lijst zijn",
    "tuple_type": "moet een lijst zijn",
    "set_type": "moet een lijst zijn",
    "frozen_set_type": "moet een lijst zijn",
    "iterable_type": "moet een lijst zijn",
    "set_item_not_hashable": "ongeldig element in de lijst",
    "too_short": "te weinig elementen",
    "too_long": "te veel elementen",
    "string_type": "moet tekst zijn",
    "string_unicode": "geen geldige tekst",
    "string_too_short": "te kort",
    "string_too_long": "te lang",
    "string_pattern_mismatch": "heeft niet de juiste vorm",
    "enum": "geen van de toegestane waarden",
    "literal_error": "geen van de toegestane waarden",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "int_type": "geen geheel getal",
    "int_parsing": "geen geheel getal",
    "int_from_float": "geen geheel getal",
    "int_parsing_size": "getal te groot",
    "float_type": "geen getal",
    "float_parsing": "geen getal",
    "finite_number": "geen eindig getal",
    "greater_than": "te klein",
    "greater_than_equal": "te klein",
    "less_than": "te groot",
    "less_than_equal": "te groot",
    "multiple_of": "geen toegestaan veelvoud",
    "none_required": "moet null zijn",
    "date_type": "geen geldige datum",
    "date_parsing": "geen geldige datum",
    "date_from_datetime_parsing": "geen geldige datum",
    "date_from_datetime_inexact": "geen geldige datum",
    "datetime_type": "geen geldig tijdstip",
    "datetime_parsing": "geen geldig tijdstip",
    "datetime_from_date_parsing": "geen geldig tijdstip",
    "timezone_naive": "zonder tijdzone",
    "timezone_aware": "met een tijdzone",
    "uuid_type": "geen geldige UUID",
    "uuid_parsing": "geen geldige UUID",
    "uuid_version": "geen geldige UUID",
    "url_type": "geen geldige URL",
    "url_parsing": "geen geldige URL",
    "url_syntax_violation": "geen geldige URL",
    "url_too_long": "te lang",
    "url_scheme": "geen geldige URL",
    "decimal_type": "geen geldig getal",
    "decimal_parsing": "geen geldig getal",
    "frozen_field": "kan niet gewijzigd worden",
    "frozen_instance": "kan niet gewijzigd worden",
    "value_error": _UNKNOWN_ERROR,
    "assertion_error": _UNKNOWN_ERROR,
}

# Where the service's own validators live: their ValueError messages are written for the client.
_SHARED = Path(__file__).resolve().parents[1]
_SERVICE_SOURCES = (str(_SHARED) + os.sep, str(_SHARED.parent / "functions") + os.sep)


def _reason(error: Any) -> str:
    """The Dutch reason of one of pydantic's errors (an ``ErrorDetails``)."""
    ctx = error.get("ctx") or {}
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        # The tags are the model's own values (``nederlands``, ``buitenlands``), not the input.
        return f"kies een van: {ctx.get('expected_tags', '')}"
    if error["type"] == "value_error" and _raised_by_the_service(ctx.get("error")):
        reason = str(ctx["error"])
        sent = error.get("input")
        # The validators never quote what they were given; should one ever do, this holds.
        quoted = isinstance(sent, (str, int, float)) and len(str(sent)) >= 3 and str(sent) in reason
        if not quoted:
            return reason
    return _REASONS.get(error["type"], _UNKNOWN_ERROR)


def _raised_by_the_service(error: object) -> bool:
    """Whether ``error`` is a ValueError raised in the service's code, not inside a library
    (whose messages are English and may quote the value)."""
    if not isinstance(error, ValueError) or error.__traceback__ is None:
        return False
    innermost = error.__traceback__
    while innermost.tb_next is not None:
        innermost = innermost.tb_next
    return os.path.realpath(innermost.tb_frame.f_code.co_filename).startswith(_SERVICE_SOURCES)


def duplicate_keys(body: str) -> list[str]:
    """The path (as in ``invalidParams``) of each key that appears twice in one object of the
    JSON ``body``, in the order of the body; empty for a body that is no JSON at all (pydantic
    says why)."""
    try:
        document = json.loads(
            body,
            object_pairs_hook=_Object,
            # Only the keys matter here: numbers are not converted (no int-to-str digit limit).
            parse_int=_ignored,
            parse_float=_ignored,
            parse_constant=_ignored,
        )
    except (ValueError, RecursionError):  # deeply nested: pydantic refuses it too
        return []
    found: list[str] = []
    # Depth first, without recursion: a body within the size limit can nest thousands deep.
    stack: list[tuple[tuple[str, ...], Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Object):
            found.extend(".".join((*path, key)) for key in value.duplicates)
            children = [((*path, key), child) for key, child in value.items()]
        elif isinstance(value, list):
            children = [((*path, str(index)), child) for index, child in enumerate(value)]
        else:
            continue
        stack.extend(reversed(children))
    # A key with a lone surrogate cannot be answered as UTF-8; pydantic refuses such a body.
    return [name for name in found if _encodable(name)]


class _Object(dict):
    """A JSON object that remembers which of its keys were sent more than once."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        counts: dict[str, int] = {}
        for key, _value in pairs:
            counts[key] = counts.get(key, 0) + 1
        self.duplicates = [key for key, count in counts.items() if count > 1]


def _ignored(_text: str) -> None:
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


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
