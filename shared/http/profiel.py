"""The profile resource over HTTP: its representation, its ``ETag`` and ``If-Match``.

The ETag is the stored version of the whole profile; every change names the version it was made
on, so a change based on a stale read is refused (412) rather than silently overwriting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shared.http.api import Response, model_response
from shared.models.bronnen import Registratie
from shared.models.profiel import Contactgegeven, Profiel
from shared.problems import InvalidParam, Problem, invalid_input

# The ETags this service hands out: the profile's version, quoted (the document's pattern).
ETAG_PATTERN = r'^"[0-9]+"$'
_OUR_ETAG = re.compile(ETAG_PATTERN)
# RFC 9110 8.8.3: an entity tag, and If-Match's list of them (5.6.1: empty elements allowed).
_ENTITY_TAG = r'(?:W/)?"[\x21\x23-\x7e\x80-\xff]*"'
_SEPARATOR = r"[ \t]*,[ \t,]*"
_OWS = " \t"  # RFC 9110 5.6.3: optional white space
# Every If-Match this service takes: ``*`` or a list of entity tags, with optional white space
# around. The OpenAPI document gives this very pattern (ECMA-262 and Python read it alike);
# anything else that is not blank is a 400, a blank one a 428.
IF_MATCH_PATTERN = (
    rf"^(?:[ \t]*\*[ \t]*|[ \t,]*{_ENTITY_TAG}(?:{_SEPARATOR}{_ENTITY_TAG})*[ \t,]*)$"
)
_IF_MATCH = re.compile(IF_MATCH_PATTERN)


def etag(version: int) -> str:
    return f'"{version}"'


def profiel_response(
    profiel: Profiel,
    version: int,
    registratie: Registratie,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The profile with what its source register says now. The ETag is the stored profile's
    version: the registration is the register's, read anew, and no change can be based on it."""
    # Imported where used: the answer models of every operation would cost each cold start.
    from shared.models.antwoorden import GetoondProfiel

    shown = GetoondProfiel.van(profiel, registratie, datetime.now(UTC))
    return model_response(status, shown, {"ETag": etag(version), **(headers or {})})


def contactgegeven_response(contactgegeven: Contactgegeven, version: int) -> Response:
    from shared.models.antwoorden import GetoondContactgegeven

    shown = GetoondContactgegeven.van(contactgegeven, datetime.now(UTC))
    return model_response(200, shown, {"ETag": etag(version)})


def contactgegeven_view(contactgegeven: Contactgegeven, now: datetime) -> dict[str, Any]:
    """A contact detail as its owner sees it: as stored, and whether it counts as verified now."""
    from shared.models.antwoorden import GetoondContactgegeven

    return GetoondContactgegeven.van(contactgegeven, now).model_dump(mode="json", by_alias=True)


@dataclass(frozen=True)
class IfMatch:
    """A parsed ``If-Match``: ``*`` or a list of entity tags.

    Strong comparison (RFC 9110 8.8.3.2): a weak tag never matches, and tags compare character
    by character (``"03"`` is not ``"3"``).
    """

    any: bool
    tags: frozenset[str]

    def matches(self, version: int) -> bool:
        return version > 0 if self.any else etag(version) in self.tags


def required_if_match(headers: dict[str, str]) -> IfMatch:
    value = headers.get("if-match") or ""
    if not value.strip(_OWS):
        raise Problem(
            428,
            "Versie ontbreekt",
            "Stuur de ETag van het profiel mee als If-Match, zodat een wijziging nooit een "
            "nieuwere versie overschrijft. Haal het profiel op voor de huidige ETag.",
            "if-match-ontbreekt",
        )
    if not _IF_MATCH.fullmatch(value):
        # Most often an ETag without its quotes: 412 would send the client to re-read in vain.
        raise invalid_input(
            [InvalidParam("If-Match", "ongeldig", 'de ETag met aanhalingstekens, zoals "3", of *')]
        )
    if value.strip(_OWS) == "*":
        return IfMatch(True, frozenset())
    # Only tags this service hands out ("<digits>") can ever match; others are dropped here.
    tags = re.findall(_ENTITY_TAG, value)
    return IfMatch(False, frozenset(tag for tag in tags if _OUR_ETAG.fullmatch(tag)))
