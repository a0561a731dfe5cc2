"""What the use cases need of the world, as protocols: the ports.

A use case (``functions/<function>/usecases.py``) is built with its ports and knows nothing of
DynamoDB, NotifyNL or HTTP. The adapters are the store's repositories (``shared/store``), the
code sender (``shared/verification.py``), the notifier (``shared/notify.py``) and the register
clients (``shared/registers``); the tests build the same use cases with the in-memory fakes of
``tests/fakes.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from shared.models.bronnen import Bronlezing
from shared.store.profielen import Change, StoredProfiel

if TYPE_CHECKING:  # only named here: a function imports the models it uses, and no more
    from shared.models.audit import AuditRecord
    from shared.models.bronnen import (
        AdresVraag,
        BagAdres,
        Gelezen,
        Onderneming,
        Persoon,
        Vestigingsprofiel,
    )
    from shared.models.contactmoment import Contactmoment
    from shared.models.ldv import Verwerking
    from shared.models.profiel import AdresWijziging, Contactgegeven, Profiel, SoortDigitaalAdres
    from shared.models.register import Organisatie
    from shared.models.verificatie import Controle, Verificatie

__all__ = [
    "Adressen",
    "Audittrail",
    "Berichten",
    "Bronlezing",
    "Change",
    "Clock",
    "Codes",
    "Contactmomenten",
    "Handelsregister",
    "Inzage",
    "Logboek",
    "Onbestelbaarberichten",
    "Personen",
    "Profielen",
    "Register",
    "StoredProfiel",
]

# The time now: passed in, so a use case is repeatable in a test.
Clock = Callable[[], datetime]


class Profielen(Protocol):
    def get(self, partij: str) -> StoredProfiel:
        """The stored profile (version 0 and an empty profile if there is none)."""

    def get_many(self, partijen: Iterable[str]) -> dict[str, Profiel]:
        """The stored profiles of these partijen, by partij (the ones that have one)."""

    def save(self, partij: str, profiel: Profiel, expected_version: int, change: Change) -> int:
        """Store ``profiel`` if the stored version is still ``expected_version``; the new
        version. ``VersionConflict`` (``shared.store.errors``) if someone was first."""

    def wis(self, partij: str, expected_version: int, change: Change) -> int:
        """Erase the profile as :meth:`save` stores one: afterwards it reads as empty, lookups
        find none, and a new profile continues from the new version."""


class Codes(Protocol):
    """Verification codes: their state per contact detail, and sending them."""

    def send(self, partij: str, contactgegeven: Contactgegeven, now: datetime) -> Verificatie:
        """Send a new code (within the limits, else a ``te-veel-verzoeken`` refusal); the state
        after sending."""

    def check(
        self, partij: str, contactgegeven: Contactgegeven, code: str, now: datetime
    ) -> Controle:
        """Check a code, the attempt stored before the outcome is known."""

    def vergeet(self, partij: str) -> None:
        """Remove every verification state of the partij."""


class Berichten(Protocol):
    def send_notice(self, email_adres: str, wijziging: AdresWijziging) -> None:
        """Tell a verified e-mail address that it was replaced or removed."""


class Onbestelbaarberichten(Protocol):
    def send_onbestelbaar(
        self, email_adres: str, soort: SoortDigitaalAdres, reference: str
    ) -> None:
        """Tell a verified e-mail address that a contact detail of this kind in the profile is
        undeliverable, with the reference its own delivery receipt will carry."""


class Register(Protocol):
    """The register of organisations: their purposes (doelbinding) and services."""

    def get(self, oin: str) -> Organisatie | None: ...

    def all(self) -> tuple[Organisatie, ...]: ...


class Logboek(Protocol):
    def write(self, verwerkingen: Iterable[Verwerking]) -> None:
        """Record them all, or raise a ``niet-beschikbaar`` refusal: then nothing may be told."""


class Inzage(Protocol):
    def lookups_of(
        self, betrokkene: str, limit: int, before: str | None = None
    ) -> tuple[list[Verwerking], str | None]:
        """The lookups of one data subject's data by organisations, newest first, a page of at
        most ``limit`` before the position ``before``; and where the next page starts."""


class Audittrail(Protocol):
    def of(self, partij: str) -> list[AuditRecord]:
        """One partij's audit records in the order of its changes."""


class Contactmomenten(Protocol):
    """The contact moments organisations' existing clients write back (never a message's
    content): a klantcontact waits for the betrokkene that names its partij, then is the
    partij's."""

    def bewaar_klantcontact(self, moment: Contactmoment, now: datetime) -> None:
        """Keep a klantcontact not linked to a partij yet, for a short while."""

    def klantcontact(self, oin: str, klantcontact: str, now: datetime) -> Contactmoment | None:
        """This organisation's klantcontact by its UUID (None: none, or no longer kept)."""

    def koppel(self, partij: str, moment: Contactmoment) -> None:
        """Keep it as one of the partij's contact moments (again: the same one)."""

    def van(self, partij: str, now: datetime) -> list[Contactmoment]:
        """The partij's contact moments, newest first."""

    def vergeet(self, partij: str) -> None:
        """Remove every contact moment of the partij."""


# The registers at the source. Each raises ``RegisterNietBeschikbaar`` (``shared.models.bronnen``)
# when the register cannot answer now; an answer read from the register rather than the cache
# says so (``Gelezen.uit_bron``). Just before a register is asked, ``bij_lezen`` is told what it
# will be asked about (``Bronlezing``): so the caller can record that processing in the Logboek
# while the request is in flight.


class Personen(Protocol):
    """The BRP."""

    def raadpleeg(
        self, bsns: Sequence[str], bij_lezen: Bronlezing | None = None
    ) -> dict[str, Gelezen[Persoon | None]]:
        """Per BSN asked: the person, or None if the BRP does not know the BSN."""


class Handelsregister(Protocol):
    """The KVK Handelsregister."""

    def onderneming(
        self, kvk_nummer: str, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[Onderneming | None]:
        """The company with its vestigingen, or None if it is not (or no longer) registered."""

    def vestiging(
        self, vestigingsnummer: str, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[Vestigingsprofiel | None]:
        """One vestiging's profile, or None if the register has no such vestiging."""


class Adressen(Protocol):
    """The BAG."""

    def zoek(
        self, vraag: AdresVraag, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[tuple[BagAdres, ...]]:
        """The addresses at this postcode and huisnummer - only those with this huisletter and
        toevoeging when they are given. (``bij_lezen`` is told the postcode.)"""
