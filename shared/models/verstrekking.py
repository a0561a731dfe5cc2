"""What one organisation may be given of a profile: the one rule every surface answers by.

``/opvragingen``, the Klantinteracties surface (Open Klant's clients: NotifyNL's OMC, Open Forms)
and the MOZa profielservice contract render the same :class:`Verstrekking` in their own shapes,
so that each client's own selection lands on the address this rule chooses. No I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.models.profiel import Contactgegeven, Profiel, SoortDigitaalAdres
from shared.models.voorkeuren import Voorkeurset, resolve


@dataclass(frozen=True)
class Verstrekking:
    """The preferences that apply to one organisation (and service, and branch), and per kind the
    address to use - only one that may be released: verified, not stale, deliverable."""

    voorkeuren: Voorkeurset
    adressen: dict[SoortDigitaalAdres, Contactgegeven | None]

    def adres(self, soort: SoortDigitaalAdres) -> Contactgegeven | None:
        return self.adressen[soort]

    @property
    def per_kanaal(self) -> tuple[Contactgegeven, ...]:
        """The addresses the organisation may write to, preferred first: e-mail before SMS, and
        neither on a channel the partij refused at the level that applies."""
        kanalen = self.voorkeuren.kanalen
        wanted = (
            (SoortDigitaalAdres.EMAIL, kanalen.email),
            (SoortDigitaalAdres.TELEFOONNUMMER, kanalen.sms),
        )
        return tuple(
            found
            for soort, choice in wanted
            if choice is not False and (found := self.adressen[soort]) is not None
        )


def verstrekking(
    profiel: Profiel,
    oin: str,
    dienst: str | None,
    now: datetime,
    vestigingsnummer: str | None = None,
) -> Verstrekking:
    """What the partij's profile gives this organisation now (the partij shares with it)."""
    voorkeuren = resolve(profiel.voorkeuren, oin, dienst, vestigingsnummer)
    return Verstrekking(
        voorkeuren,
        {
            soort: _releasable(profiel.voorkeursadres(soort, voorkeuren), now)
            for soort in SoortDigitaalAdres
        },
    )


def _releasable(contactgegeven: Contactgegeven | None, now: datetime) -> Contactgegeven | None:
    return contactgegeven if contactgegeven and contactgegeven.mag_worden_verstrekt(now) else None
