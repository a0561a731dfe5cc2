"""Verifying a contact detail: sending a code and checking it, with the store and NotifyNL.

Used by the verify-contact function (start, confirm) and by update-profile (a new or changed
address gets its code right away). The rules are in :mod:`shared.models.verificatie`; this module
adds the randomness, the keyed hash, the conditional writes and the message.

A code is a keyed hash bound to the profile, the contact detail *and its address*: a code sent to
an address proves nothing once the address changed, and nobody holding the store alone can try
the million possible codes against a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from contextlib import suppress
from datetime import datetime
from uuid import UUID

from shared import notify
from shared.config import get_settings
from shared.errors import DomainError, Fout
from shared.models.profiel import Contactgegeven
from shared.models.verificatie import CODE_LENGTH, Controle, TooManySends, Verificatie
from shared.store.errors import VersionConflict
from shared.store.verificaties import VerificatieRepository

verificaties = VerificatieRepository()

# The sends to all contact details of a profile are kept under the nil UUID, an id no contact
# detail has (theirs are random UUIDs).
WHOLE_PROFILE = UUID(int=0)

# Two requests on the same contact detail at the same moment: the loser of the conditional write
# reads again, a few times, before giving up.
_ATTEMPTS = 3


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def code_hash(partij: str, contactgegeven: Contactgegeven, code: str) -> str:
    secret = get_settings().pseudonym_key.get_secret_value().encode()
    # A key of its own, derived from the service's secret, so that a code hash can never be
    # mistaken for a pseudonym.
    key = hmac.new(secret, b"verificatiecode", hashlib.sha256).digest()
    message = "\x00".join((partij, str(contactgegeven.id), contactgegeven.adres, code))
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def send_verification_code(
    partij: str, contactgegeven: Contactgegeven, now: datetime
) -> Verificatie:
    """Send a new code to the contact detail; the previous one dies. The state after sending.

    The send is recorded - for the contact detail and for the profile as a whole - before the
    message goes out, so two parallel requests cannot both pass the limits; if NotifyNL fails,
    the previous states are put back and the user may try again at once.
    """
    detail = verificaties.get(partij, contactgegeven.id, now)
    whole = verificaties.get(partij, WHOLE_PROFILE, now)
    code = new_code()
    try:
        sent = detail.verificatie.met_nieuwe_code(code_hash(partij, contactgegeven, code), now)
        whole_sent = whole.verificatie.met_verzending(now)
    except TooManySends as limit:
        raise too_many_sends(limit.retry_after_seconds) from None

    recorded: list[tuple[UUID, Verificatie, int]] = []
    try:
        for key, stored, after in (
            (WHOLE_PROFILE, whole, whole_sent),
            (contactgegeven.id, detail, sent),
        ):
            version = verificaties.save(partij, key, after, stored.version)
            recorded.append((key, stored.verificatie, version))
        notify.send_code(
            contactgegeven.soort_digitaal_adres,
            contactgegeven.adres,
            code,
            # Its delivery receipt names this detail: a code that bounces marks it onbestelbaar.
            _referentie(partij, contactgegeven.id),
        )
    except VersionConflict:
        # Another request sent a code at this very moment: to this detail (then the minute
        # between codes applies) or to another one of the profile (then a second will do).
        _put_back(partij, recorded)
        raise too_many_sends(60 if recorded else 1) from None
    except DomainError:
        _put_back(partij, recorded)
        raise
    return sent


def _referentie(partij: str, contactgegeven_id: UUID) -> str:
    # Imported here: only a send needs cryptography's AEAD and HKDF.
    from shared.identity.referentie import referentie

    return referentie(partij, contactgegeven_id)


def _put_back(partij: str, recorded: list[tuple[UUID, Verificatie, int]]) -> None:
    for key, previous, version in reversed(recorded):
        # If even this fails, the failed send counts against the limits: the user waits a bit.
        with suppress(VersionConflict, DomainError):
            verificaties.save(partij, key, previous, version)


def check_code(partij: str, contactgegeven: Contactgegeven, code: str, now: datetime) -> Controle:
    """Check a code, and store that it was tried before the outcome is known to anyone."""
    hashed = code_hash(partij, contactgegeven, code)
    for _ in range(_ATTEMPTS):
        stored = verificaties.get(partij, contactgegeven.id, now)
        controle = stored.verificatie.controleer(hashed, now)
        if controle.verificatie == stored.verificatie:
            return controle  # nothing changes: no code, or blocked
        try:
            verificaties.save(partij, contactgegeven.id, controle.verificatie, stored.version)
        except VersionConflict:
            continue
        return controle
    raise DomainError(
        Fout.GELIJKTIJDIG,
        "Er werd tegelijk een andere code voor dit contactgegeven geprobeerd. Probeer het opnieuw.",
    )


def too_many_sends(retry_after_seconds: int) -> DomainError:
    return DomainError(
        Fout.TE_VEEL_VERZOEKEN,
        "Er zijn net of te vaak codes naar dit adres gestuurd. Wacht even en probeer het dan "
        "opnieuw.",
        retry_after_seconds=retry_after_seconds,
    )


class VerificatieCodes:
    """The ``Codes`` port (``shared.ports``): the verification table and NotifyNL."""

    def send(self, partij: str, contactgegeven: Contactgegeven, now: datetime) -> Verificatie:
        return send_verification_code(partij, contactgegeven, now)

    def check(
        self, partij: str, contactgegeven: Contactgegeven, code: str, now: datetime
    ) -> Controle:
        return check_code(partij, contactgegeven, code, now)

    def vergeet(self, partij: str) -> None:
        verificaties.vergeet(partij)
