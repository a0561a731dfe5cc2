"""The Profiel Service API as the portal calls it: over HTTP, with the person's access token.

A problem answer (RFC 9457) becomes ``ApiProblem``; its ``invalidParams`` are kept by field
name, so that a form shows each message next to the field it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

TIMEOUT_SECONDS = 10
# The API's problem types are this and a name (docs/api.md, "Problems").
PROBLEM_TYPE_BASE = "urn:nl:profielservice:problem:"


class Dutch(str):
    """A text of the API, which speaks Dutch: an English page marks it ``lang="nl"`` (WCAG
    3.1.2), so that a screen reader reads it as Dutch."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    etag: str | None
    headers: dict[str, str]
    content: bytes = b""


@dataclass
class ApiProblem(Exception):
    status: int
    title: str
    detail: str
    # field name (the API's, e.g. "adres", "huisnummer") -> the API's message
    fields: dict[str, str] = field(default_factory=dict)
    retry_after: str | None = None
    # The problem type's URI: which refusal this is, whatever its wording.
    type: str = "about:blank"

    def is_a(self, name: str) -> bool:
        return self.type == PROBLEM_TYPE_BASE + name

    def __str__(self) -> str:  # never the body: it may quote what the person typed
        return f"API problem {self.status}"


class NotLoggedIn(Exception):
    """The API refused the token (expired, or the session was ended elsewhere)."""


class ProfielApi:
    def __init__(self, base_url: str, token: str, http: requests.Session | None = None) -> None:
        self._base_url = base_url
        self._token = token
        self._http = http or requests.Session()

    def get(self, path: str, params: dict[str, str] | None = None) -> Answer:
        return self._call("GET", path, params=params)

    def send(self, method: str, path: str, body: Any = None, version: str | None = None) -> Answer:
        """A change: ``version`` is the ETag the page was built from (``If-Match``), so a
        change based on what the person no longer sees is refused (412), not applied."""
        headers = {"If-Match": version} if version else {}
        return self._call(method, path, json=body, headers=headers)

    def _call(self, method: str, path: str, **arguments: Any) -> Answer:
        headers = {"Authorization": f"Bearer {self._token}", **arguments.pop("headers", {})}
        response = self._http.request(
            method, self._base_url + path, headers=headers, timeout=TIMEOUT_SECONDS, **arguments
        )
        if response.status_code == 401:
            raise NotLoggedIn
        body: Any = None
        if response.content and "json" in response.headers.get("Content-Type", ""):
            body = response.json()
        if response.status_code >= 400:
            raise _problem(response.status_code, body, response.headers.get("Retry-After"))
        return Answer(
            response.status_code,
            body,
            response.headers.get("ETag"),
            dict(response.headers),
            response.content,
        )


def _problem(status: int, body: Any, retry_after: str | None) -> ApiProblem:
    body = body if isinstance(body, dict) else {}
    fields: dict[str, str] = {}
    for param in body.get("invalidParams") or ():
        # The first message per field: one message next to a field is what a person reads.
        fields.setdefault(str(param.get("name", "")), Dutch(param.get("reason", "")))
    return ApiProblem(
        status,
        Dutch(body.get("title", "")),
        Dutch(body.get("detail", "")),
        fields,
        retry_after,
        str(body.get("type") or "about:blank"),
    )
