"""What the three register stand-ins share: the switches and records other tests read, JSON
answers, and the committed fixtures they are seeded from.

Each stand-in counts the requests it answered (``calls``), keeps the last ``KEPT_REQUESTS``
request bodies or queries (``requests``, oldest first) so a test can check what a client sent
against the official document, and answers every request with the register's "unavailable"
error while ``failing`` is set. Nothing is logged: what the clients send and what the stand-ins
answer is personal data.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

DATA = Path(__file__).parent / "data"
KEPT_REQUESTS = 100


@cache
def fixture(name: str) -> Any:
    """A committed fixture of ``data/`` (read once; callers copy before they change it)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


class StandIn:
    """A WSGI app with the shared records and switches; subclasses implement ``respond``."""

    def __init__(self, api_key: str | None = None) -> None:
        self.api_key = api_key
        self.failing = False
        self.calls = 0
        self.requests: list[Any] = []
        self._lock = threading.Lock()  # the server is threaded

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.respond(request)
        finally:
            with self._lock:
                self.calls += 1
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        raise NotImplementedError

    def remember(self, what: Any) -> None:
        with self._lock:
            self.requests.append(what)
            del self.requests[:-KEPT_REQUESTS]

    def reset(self) -> None:
        """Back to the state of a new stand-in: no calls, no requests, not failing."""
        with self._lock:
            self.calls = 0
            self.requests.clear()
            self.failing = False

    def key_problem(self, request: Request, header: str) -> str | None:
        """``"missing"`` or ``"wrong"`` when this stand-in has a key and the request does not
        carry it in ``header``; None when the request may pass."""
        if self.api_key is None:
            return None
        given = request.headers.get(header)
        if not given:
            return "missing"
        return None if given == self.api_key else "wrong"


class Refusal(Exception):
    """A request the stand-in answers with its register's error: the status and the body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def json_response(
    status: int, body: Any, content_type: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False).encode("utf-8"),
        status=status,
        content_type=content_type,
        headers=headers,
    )


def accepts(request: Request, *media_types: str) -> bool:
    """Whether the request's ``Accept`` header allows one of ``media_types`` (no header: yes)."""
    if not request.headers.get("Accept"):
        return True
    return any(request.accept_mimetypes[media] > 0 for media in media_types)
