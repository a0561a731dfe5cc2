"""Path and query parameters: each parsed once, at the edge, into the value the core works with.

A value that cannot be an identifier of its kind is a mistake in the request, not a missing
resource: 400 naming the parameter, so a client sees its bug rather than a puzzling 404. A
well-formed identifier that names nothing of the caller's is 404, whoever else it may belong to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from uuid import UUID

from shared.models.bronnen import AdresVraag
from shared.models.values import UUID_PATTERN, normalise_oin, normalise_postcode
from shared.models.voorkeuren import CODE_PATTERN
from shared.problems import InvalidParam, Problem, invalid_input

_DIENSTCODE = re.compile(CODE_PATTERN)
_UUID = re.compile(UUID_PATTERN)


def uuid_parameter(name: str, value: str) -> UUID:
    """A UUID as the API writes it (:data:`UUID_PATTERN`): ``UUID()`` would also take it without
    hyphens, in braces, as a URN, or with ``_`` between the digits."""
    if not _UUID.fullmatch(value):
        raise _invalid(name, "geen UUID")
    return UUID(value)


def oin_parameter(name: str, value: str) -> str:
    """An organisation's OIN in a path (an organisation's number, never a person's)."""
    try:
        return normalise_oin(value)
    except ValueError as error:
        raise _invalid(name, str(error)) from None


def code_parameter(name: str, value: str) -> str:
    """A code from the register (a dienst): lower-case letters, digits and hyphens."""
    if not _DIENSTCODE.fullmatch(value):
        raise _invalid(name, "kleine letters, cijfers en streepjes, hoogstens 40 tekens")
    return value


_HUISNUMMER = re.compile(r"[1-9][0-9]{0,4}")
_HUISLETTER = re.compile(r"[A-Za-z]")
_TOEVOEGING = re.compile(r"[A-Za-z0-9]{1,4}")


def adres_vraag(query: Mapping[str, str]) -> AdresVraag:
    """``postcode`` and ``huisnummer`` (with ``huisletter``, ``huisnummertoevoeging``) of a query:
    every wrong one named, none repeated back."""
    wrong = []
    postcode = query.get("postcode")
    try:
        postcode = normalise_postcode(postcode or "")
    except ValueError as error:
        wrong.append(InvalidParam("postcode", "ongeldig", str(error)))
    checks = (
        ("huisnummer", _HUISNUMMER, True, "een getal van 1 tot en met 99999"),
        ("huisletter", _HUISLETTER, False, "één letter"),
        ("huisnummertoevoeging", _TOEVOEGING, False, "1 tot 4 letters of cijfers"),
    )
    for name, pattern, required, reason in checks:
        value = query.get(name)
        if (value is None and required) or (value is not None and not pattern.fullmatch(value)):
            wrong.append(InvalidParam(name, "ongeldig", reason))
    if wrong:
        raise invalid_input(wrong)
    return AdresVraag(
        str(postcode),
        int(query["huisnummer"]),
        query.get("huisletter"),
        query.get("huisnummertoevoeging"),
    )


def _invalid(name: str, reason: str) -> Problem:
    return invalid_input([InvalidParam(name, "ongeldig", reason)])
