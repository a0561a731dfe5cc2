"""Delivery feedback: when a contact detail becomes onbestelbaar (undeliverable), and who is told.

No I/O, no clock: the use case passes the profiles it read and the time. The rules:

1. an organisation's report marks an address only if it is exactly the address that
   organisation would be given now under the purpose (and service) it names - the one rule of
   every lookup (:func:`shared.models.verstrekking.verstrekking`, after the sharing choice) - so
   an organisation can neither mark nor probe an address it was never given. Whatever the
   outcome, the organisation hears the same (202): no oracle;
2. NotifyNL's receipt of a message the service sent itself marks the detail the message's
   reference names, on a permanent failure only, and only while the detail still has the address
   the message went to (a changed address is a new address: the old bounce says nothing of it);
3. a marked detail stays in the profile, verified or not, with the day it was reported
   (``onbestelbaar_sinds``); no organisation gets it (``Contactgegeven.mag_worden_verstrekt``);
   a new verification with a code, or a new address, clears it;
4. the owner is told at another verified, deliverable e-mail address of the profile - the
   standard one if it is such an address - or, without one, sees the status at the next visit.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from uuid import UUID

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from functions.lookup_preferences.core import Betrokkene
from shared.models.base import ApiModel, api_schema
from shared.models.profiel import (
    MAXIMUM_ADRES_LENGTH,
    Contactgegeven,
    Profiel,
    SoortDigitaalAdres,
    kalenderdatum,
    normalise_adres,
)
from shared.models.values import NOT_BLANK_PATTERN
from shared.models.verstrekking import verstrekking
from shared.models.voorkeuren import CODE_PATTERN

# GOV.UK Notify's status of a message that can never be delivered: an e-mail address that does
# not exist or refuses, a phone number that is not in use. Every other status ("delivered",
# "temporary-failure", "technical-failure", ...) changes nothing.
PERMANENT_FAILURE = "permanent-failure"


class Onbestelbaarmelding(ApiModel):
    """Body of ``POST /onbestelbaar``: an organisation reports that messages to an address it was
    given bounce for good."""

    model_config = api_schema(
        "Onbestelbaarmelding",
        "Een adres dat de organisatie voor dit doel kreeg, waar berichten blijvend niet "
        "aankomen. Identificerende nummers alleen hier, nooit in een URL.",
        example={
            "doel": "notificatie",
            "betrokkene": {"bsn": "999993653"},
            "soortDigitaalAdres": "email",
            "adres": "jan@example.nl",
        },
    )

    doel: str = Field(pattern=CODE_PATTERN)
    dienst: str | None = Field(
        default=None,
        pattern=CODE_PATTERN,
        description="De dienst waarvoor het adres werd opgevraagd, als dat voor een dienst was.",
    )
    betrokkene: Betrokkene
    soort_digitaal_adres: SoortDigitaalAdres
    adres: str = Field(
        min_length=1,
        max_length=MAXIMUM_ADRES_LENGTH,
        description="Het adres zoals de organisatie het kreeg.",
        json_schema_extra={"pattern": NOT_BLANK_PATTERN},
    )

    @field_validator("adres")
    @classmethod
    def _normalise_adres(cls, value: str, info: ValidationInfo) -> str:
        # The stored form: an address sent as the organisation wrote it down still matches.
        soort = info.data.get("soort_digitaal_adres")
        return normalise_adres(soort, value) if soort else value


class Afleverbericht(ApiModel):
    """Body of ``POST /notifynl/afleverberichten``: GOV.UK Notify's delivery receipt (callback),
    as NotifyNL sends it - its own snake_case names, and fields it may add later ignored."""

    model_config = api_schema(
        "Afleverbericht",
        "Een ontvangstbericht van NotifyNL (de callback van GOV.UK Notify) over een bericht dat "
        "de Profiel Service zelf verstuurde.",
    ) | ConfigDict(alias_generator=None, extra="ignore")

    id: UUID = Field(description="Het id van het bericht bij NotifyNL.")
    reference: str | None = Field(
        default=None,
        max_length=1000,
        description="De referentie die de Profiel Service met het bericht meestuurde: voor "
        "anderen onleesbaar; een referentie die niet van de Profiel Service is, verandert niets.",
    )
    to: str = Field(
        max_length=MAXIMUM_ADRES_LENGTH, description="Het adres waarheen het bericht ging."
    )
    status: str = Field(
        max_length=100,
        description="De afleverstatus; alleen `permanent-failure` maakt een contactgegeven "
        "onbestelbaar.",
    )
    created_at: str | None = Field(default=None, max_length=100, description="Aangemaakt.")
    completed_at: str | None = Field(default=None, max_length=100, description="Afgehandeld.")
    sent_at: str | None = Field(default=None, max_length=100, description="Verstuurd.")
    notification_type: str = Field(max_length=20, description="`email` of `sms`.")

    def __repr__(self) -> str:
        # Reprs end up in tracebacks: never the recipient.
        return f"Afleverbericht(id={self.id}, status={self.status!r})"

    __str__ = __repr__

    @property
    def blijvend_onbestelbaar(self) -> bool:
        return self.status == PERMANENT_FAILURE


def gegeven_adres(
    profiel: Profiel,
    oin: str,
    dienst: str | None,
    soort: SoortDigitaalAdres,
    adres: str,
    now: datetime,
) -> Contactgegeven | None:
    """The contact detail an organisation's report is about: only the address of this kind this
    organisation would be given now, and only if it is the address reported."""
    if not profiel.delen.met(oin):
        return None  # refused: it is given nothing, so it can report nothing
    gegeven = verstrekking(profiel, oin, dienst, now).adres(soort)
    return gegeven if gegeven is not None and gegeven.adres == adres else None


def bericht_adres(profiel: Profiel, contactgegeven_id: UUID, to: str) -> Contactgegeven | None:
    """The contact detail a delivery receipt is about: the one its reference names, while it
    still has the address the message went to (as NotifyNL writes it, normalised again) and is
    not marked already."""
    found = profiel.contactgegeven(contactgegeven_id)
    if found is None or found.onbestelbaar_sinds is not None:
        return None
    try:
        sent_to = normalise_adres(found.soort_digitaal_adres, to)
    except ValueError:
        return None
    return found if sent_to == found.adres else None


def onbestelbaar(profiel: Profiel, contactgegeven_id: UUID, now: datetime) -> Profiel:
    """The profile with this contact detail marked onbestelbaar from today (in the Netherlands)."""
    contactgegevens = tuple(
        c.model_copy(update={"onbestelbaar_sinds": kalenderdatum(now)})
        if c.id == contactgegeven_id
        else c
        for c in profiel.contactgegevens
    )
    return profiel.model_copy(update={"contactgegevens": contactgegevens})


def te_waarschuwen(profiel: Profiel, onbestelbaar_id: UUID, now: datetime) -> Contactgegeven | None:
    """Where the owner hears of it: another e-mail address of the profile that is verified, not
    stale and deliverable - the standard one first; None when there is none (the owner sees the
    status at the next visit)."""
    candidates = [
        c
        for c in profiel.contactgegevens
        if c.soort_digitaal_adres is SoortDigitaalAdres.EMAIL
        and c.id != onbestelbaar_id
        and c.mag_worden_verstrekt(now)
    ]
    return next((c for c in candidates if c.is_standaard_adres), None) or next(
        iter(candidates), None
    )


def token_klopt(sent: str, expected: str | None) -> bool:
    """Whether the bearer token of a delivery receipt is the one NotifyNL was configured with:
    compared in constant time; nothing matches when none is configured."""
    return expected is not None and hmac.compare_digest(sent.encode(), expected.encode())
