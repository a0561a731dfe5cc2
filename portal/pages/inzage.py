"""Who used my details (``GET /inzage``): three parts, each newest first, as the API gives them.

- the lookups by organisations (``GET /profiel/inzage``, the Logboek Dataverwerkingen's records):
  which organisation, for which purpose, under which law, when. The API pages them: its
  ``volgende`` becomes a link ``?vanaf=<volgende>`` to the older ones (a position in the log - a
  time and a span id - not anything about the person);
- the profile's own changes (``GET /profiel/historie``): when, which fields in plain words, and
  who in role terms - never the values;
- the contact moments organisations recorded (``GET /profiel/contactmomenten``).

Every moment is shown in Dutch time (Europe/Amsterdam), in the person's language
(``portal.dates``), inside a ``<time datetime>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request

from portal import dates
from portal.session import api, language, login_required
from portal.texts import CATALOGUE, text

blueprint = Blueprint("inzage", __name__)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The API's own pattern of a position (`vanaf`); anything else is ignored: the newest page.
POSITION = re.compile(r"[0-9]{13}-[0-9a-f]{16}")


@dataclass(frozen=True)
class Moment:
    iso: str  # for <time datetime>, with the Dutch offset
    shown: str  # "30 november 2026, 14:05"


@dataclass(frozen=True)
class Lookup:
    organisation: str
    oin: str | None  # shown only when the register no longer names the organisation
    purpose: str
    basis: str
    basis_known: bool
    moment: Moment | None
    failed: bool


@dataclass(frozen=True)
class Change:
    moment: Moment | None
    what: str
    door: str


@dataclass(frozen=True)
class ContactMoment:
    moment: Moment | None
    organisation: str
    channel: str
    subject: str
    success: str


@blueprint.get("/inzage")
@login_required
def overview() -> str:
    position = request.args.get("vanaf", "")
    paged = POSITION.fullmatch(position) is not None
    client = api()
    inzage = client.get("/profiel/inzage", {"vanaf": position} if paged else None).body or {}
    historie = client.get("/profiel/historie").body or {}
    contactmomenten = client.get("/profiel/contactmomenten").body or {}
    taal = language()
    return render_template(
        "inzage/overview.html",
        lookups=[_lookup(item, taal) for item in inzage.get("processingActivities") or ()],
        older=inzage.get("volgende"),
        paged=paged,
        changes=[_change(item, taal) for item in historie.get("wijzigingen") or ()],
        contacts=[_contact(item, taal) for item in contactmomenten.get("contactmomenten") or ()],
    )


def moment_of(value: datetime, taal: str) -> Moment:
    return Moment(
        value.astimezone(AMSTERDAM).isoformat(timespec="seconds"), dates.moment(value, taal)
    )


def _from_iso(value: Any, taal: str) -> Moment | None:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return moment_of(parsed, taal)


def _from_millis(value: Any, taal: str) -> Moment | None:
    if not isinstance(value, int):
        return None
    return moment_of(datetime.fromtimestamp(value / 1000, UTC), taal)


def _known(prefix: str, value: Any, taal: str, fallback: str | None = None) -> str:
    """The text for an API value (a role, a field, a channel); one this portal does not know
    yet is shown as the API names it, or as ``fallback``."""
    key = f"{prefix}.{value}"
    if key in CATALOGUE:
        return text(key, taal)
    return text(fallback, taal) if fallback else str(value)


def _lookup(item: dict[str, Any], taal: str) -> Lookup:
    organisatie = item.get("organisatie") or {}
    doel = item.get("doel") or {}
    naam = organisatie.get("naam")
    return Lookup(
        organisation=naam or text("inzage.lookup.unknown.organisation", taal),
        oin=None if naam else organisatie.get("oin"),
        purpose=doel.get("omschrijving") or doel.get("code") or "",
        basis=doel.get("grondslag") or text("inzage.lookup.basis.unknown", taal),
        basis_known=bool(doel.get("grondslag")),
        moment=_from_millis(item.get("startTime"), taal),
        failed=item.get("status") == "Error",
    )


def _change(item: dict[str, Any], taal: str) -> Change:
    action = _known("inzage.action", item.get("actie"), taal)
    fields = [_known("inzage.field", veld, taal) for veld in item.get("velden") or ()]
    what = (
        text("inzage.action.fields", taal, action=action, fields=", ".join(fields))
        if fields
        else action
    )
    door = _known("inzage.door", item.get("door"), taal, "inzage.door.unknown")
    return Change(_from_iso(item.get("tijdstip"), taal), what, door)


def _contact(item: dict[str, Any], taal: str) -> ContactMoment:
    organisatie = item.get("organisatie") or {}
    gelukt = item.get("gelukt")
    success = {True: "inzage.success.yes", False: "inzage.success.no"}.get(
        gelukt, "inzage.success.unknown"
    )
    kanaal = str(item.get("kanaal") or "")
    return ContactMoment(
        moment=_from_iso(item.get("tijdstip"), taal),
        organisation=organisatie.get("naam") or text("inzage.lookup.unknown.organisation", taal),
        channel=_channel(kanaal, taal),
        subject=str(item.get("onderwerp") or ""),
        success=text(success, taal),
    )


def _channel(kanaal: str, taal: str) -> str:
    # As the organisation names it ("Email", "sms"): in plain words where the portal knows it.
    key = f"inzage.channel.{kanaal.strip().lower()}"
    return text(key, taal) if key in CATALOGUE else kanaal
