"""Verifying a contact detail by a code: the rules, free of I/O, of the clock and of randomness.

The state of one contact detail's verification is what the store keeps of it: when codes were
sent (for the send limits), the keyed hash of the current code - never the code, never the
address - and how many wrong attempts were made on it. The caller passes the time; the code and
its hash are made elsewhere (:mod:`shared.verification`).

The limits, and why:
- a code lives ``CODE_LIFETIME`` and dies after ``MAXIMUM_WRONG_ATTEMPTS`` wrong attempts (then
  even the right code is refused), so guessing one of a million codes stays hopeless;
- at most 5 codes per contact detail per ``SEND_WINDOW`` and a minute between two
  (``PER_CONTACTGEGEVEN``), and at most 10 per profile (``PER_PROFIEL``), so nobody can flood
  someone's inbox or phone through this service - not by asking again and again, and not by
  removing an address and adding it again (a new contact detail, with limits of its own).
"""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, Field

from shared.models.base import ApiModel, api_schema
from shared.models.profiel import SoortDigitaalAdres

CODE_LENGTH = 6
CODE_LIFETIME = timedelta(minutes=15)
MAXIMUM_WRONG_ATTEMPTS = 5
SEND_WINDOW = timedelta(minutes=15)


class TooManySends(Exception):
    """No new code now: the limits allow the next one after ``retry_after_seconds``."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__("verification code send limit reached")
        self.retry_after_seconds = max(1, math.ceil(retry_after.total_seconds()))


@dataclass(frozen=True)
class SendLimit:
    """At most ``maximum`` sends per ``SEND_WINDOW``, and at least ``interval`` between two."""

    maximum: int
    interval: timedelta = timedelta(0)

    def within_window(self, sent: tuple[datetime, ...], now: datetime) -> tuple[datetime, ...]:
        return tuple(moment for moment in sent if now - moment < SEND_WINDOW)

    def next_allowed(self, sent: tuple[datetime, ...], now: datetime) -> datetime:
        """The earliest moment of a next send (``now`` when it may go right away)."""
        recent = self.within_window(sent, now)
        earliest = now
        if recent:
            earliest = max(earliest, recent[-1] + self.interval)
        if len(recent) >= self.maximum:
            # The oldest send that must leave the window before there is room again.
            earliest = max(earliest, recent[len(recent) - self.maximum] + SEND_WINDOW)
        return earliest

    def after_send(self, sent: tuple[datetime, ...], now: datetime) -> tuple[datetime, ...]:
        """The sends within the window, this one included; :class:`TooManySends` if not allowed."""
        earliest = self.next_allowed(sent, now)
        if earliest > now:
            raise TooManySends(earliest - now)
        return self.within_window(sent, now) + (now,)


PER_CONTACTGEGEVEN = SendLimit(maximum=5, interval=timedelta(seconds=60))
PER_PROFIEL = SendLimit(maximum=10)


class Uitkomst(StrEnum):
    """What checking a code came to."""

    GOED = "goed"
    FOUT = "fout"
    GEEN_CODE = "geen-code"  # never sent, used, or expired
    GEBLOKKEERD = "geblokkeerd"  # too many wrong attempts on this code


@dataclass(frozen=True)
class Controle:
    uitkomst: Uitkomst
    verificatie: Verificatie
    resterende_pogingen: int = 0


@dataclass(frozen=True)
class Verificatie:
    verzonden: tuple[datetime, ...] = ()  # when codes were sent, oldest first, within the window
    code_hash: str | None = None  # of the current, unused code
    foute_pogingen: int = 0  # on the current code

    @property
    def laatst_verzonden(self) -> datetime | None:
        return self.verzonden[-1] if self.verzonden else None

    @property
    def code_geldig_tot(self) -> datetime | None:
        last = self.laatst_verzonden
        return None if self.code_hash is None or last is None else last + CODE_LIFETIME

    @property
    def vervalt_op(self) -> datetime | None:
        """When nothing in this state matters any more: the code is dead, the sends out of the
        window. The store may delete it from then on (its TTL)."""
        last = self.laatst_verzonden
        return None if last is None else last + max(CODE_LIFETIME, SEND_WINDOW)

    def volgende_code_vanaf(self, now: datetime) -> datetime:
        """The earliest moment a new code may be sent to this contact detail."""
        return PER_CONTACTGEGEVEN.next_allowed(self.verzonden, now)

    def met_nieuwe_code(self, code_hash: str, now: datetime) -> Verificatie:
        """The state after sending a new code; the previous code dies with it.

        Raises :class:`TooManySends` when the limits do not allow a code now.
        """
        return Verificatie(PER_CONTACTGEGEVEN.after_send(self.verzonden, now), code_hash, 0)

    def met_verzending(self, now: datetime) -> Verificatie:
        """The state of the profile as a whole after one more code to any of its details.

        Raises :class:`TooManySends` when the profile's limit does not allow a code now.
        """
        return Verificatie(PER_PROFIEL.after_send(self.verzonden, now))

    def controleer(self, code_hash: str, now: datetime) -> Controle:
        """Check a code given as its hash; the caller must store the returned state *before*
        telling anyone the outcome, so that every attempt counts."""
        valid_until = self.code_geldig_tot
        if valid_until is None or now >= valid_until:
            return Controle(Uitkomst.GEEN_CODE, self)
        if self.foute_pogingen >= MAXIMUM_WRONG_ATTEMPTS:
            return Controle(Uitkomst.GEBLOKKEERD, self)
        if hmac.compare_digest(code_hash, self.code_hash):
            # Used once: the code is gone, the send history stays for the limits.
            return Controle(Uitkomst.GOED, replace(self, code_hash=None, foute_pogingen=0))
        fout = replace(self, foute_pogingen=self.foute_pogingen + 1)
        return Controle(Uitkomst.FOUT, fout, MAXIMUM_WRONG_ATTEMPTS - fout.foute_pogingen)


class VerificatieBevestigen(ApiModel):
    """Body of ``POST /profiel/contactgegevens/{id}/verificatie``: the code the owner received."""

    model_config = api_schema(description="De ontvangen code.")

    code: str = Field(pattern=rf"^[0-9]{{{CODE_LENGTH}}}$", description="De ontvangen code.")


class VerificatiecodeVerzonden(ApiModel):
    """Answer to ``POST /profiel/contactgegevens/{id}/verificatiecode``."""

    model_config = api_schema(
        description="Wanneer de code verloopt en vanaf wanneer een nieuwe kan."
    )

    soort_digitaal_adres: SoortDigitaalAdres
    code_geldig_tot: AwareDatetime
    nieuwe_code_vanaf: AwareDatetime = Field(
        description="Vanaf dan kan een nieuwe code worden aangevraagd."
    )
