"""What the service reads at the source: the BRP, the KVK Handelsregister and the BAG.

Data bij de bron: these are read when needed and never stored. The register clients
(``shared/registers``) turn each register's own answer into these types; the use cases and the
fakes of the tests speak only these. A ``repr`` never shows a value: register answers are personal
data and must not reach a log or a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Bron(StrEnum):
    """A register the service reads (its code in answers, LDV records and configuration)."""

    BRP = "brp"
    KVK = "kvk"
    BAG = "bag"

    @property
    def naam(self) -> str:
        """Its name at the start of a Dutch sentence."""
        return {"brp": "De BRP", "kvk": "Het Handelsregister", "bag": "De BAG"}[self.value]


class RegisterNietBeschikbaar(Exception):
    """The register did not answer in time, answered with an error, or its circuit is open."""

    def __init__(self, bron: Bron) -> None:
        super().__init__(f"{bron.value} niet beschikbaar")
        self.bron = bron


# What a register client tells its caller just before it asks the register: the identifiers it
# will read at the source (not from its cache). The caller records that processing meanwhile.
Bronlezing = Callable[[Sequence[str]], None]


@dataclass(frozen=True)
class Gelezen(Generic[T]):
    """A register's answer, and whether this call read it from the register (a processing the
    Logboek records) rather than from the per-process cache."""

    waarde: T
    uit_bron: bool


@dataclass(frozen=True, repr=False)
class RegistratieAdres:
    """A registered address as the lines of an envelope (the BRP's ``adressering``)."""

    adresregel1: str | None = None
    adresregel2: str | None = None
    adresregel3: str | None = None
    land: str | None = None  # the country's name, only for an address abroad

    def __repr__(self) -> str:
        return "RegistratieAdres(...)"


# Reasons of ``opschortingBijhouding`` after which a person is no longer reachable (BRP, Tabel 36
# "Reden opschorting bijhouding"): O overlijden, E emigratie, R persoonslijst aangelegd in de RNI
# (no longer kept by a Dutch municipality). Not F (a mistaken list) or M (ministerieel besluit).
NIET_MEER_BEREIKBAAR = frozenset({"O", "E", "R"})


@dataclass(frozen=True, repr=False)
class Persoon:
    """What the service reads of a person in the BRP (Haal Centraal BRP Personen Bevragen 2.x)."""

    adressering: RegistratieAdres | None = None
    aanhef: str | None = None  # "Geachte mevrouw Moulin"
    aanschrijfwijze: str | None = None  # "S. Moulin": the name on an envelope
    gebruik_in_lopende_tekst: str | None = None  # "mevrouw Moulin"
    overleden: bool = False
    opschorting_reden: str | None = None  # the code of opschortingBijhouding.reden
    geheimhouding: bool = False

    @property
    def bereikbaar(self) -> bool:
        """Whether the person is still kept in the BRP: not deceased, not emigrated, not removed."""
        return not self.overleden and self.opschorting_reden not in NIET_MEER_BEREIKBAAR

    def __repr__(self) -> str:
        return "Persoon(...)"


@dataclass(frozen=True, repr=False)
class Vestiging:
    vestigingsnummer: str
    naam: str | None  # eersteHandelsnaam
    adres: str | None  # volledigAdres
    hoofdvestiging: bool = False

    def __repr__(self) -> str:
        return "Vestiging(...)"


@dataclass(frozen=True, repr=False)
class Vestigingsprofiel:
    """One vestiging as the Handelsregister describes it (KVK API Vestigingsprofiel): what a
    representative of that branch only sees of it."""

    vestigingsnummer: str
    kvk_nummer: str
    naam: str | None  # eersteHandelsnaam
    handelsnamen: tuple[str, ...] = ()
    # Its correspondentieadres, else its bezoekadres.
    adres: RegistratieAdres | None = None

    def __repr__(self) -> str:
        return "Vestigingsprofiel(...)"


@dataclass(frozen=True, repr=False)
class Onderneming:
    """What the service reads of a company in the Handelsregister (KVK API Basisprofiel)."""

    kvk_nummer: str
    naam: str
    handelsnamen: tuple[str, ...] = ()
    # The correspondentieadres of the hoofdvestiging, else its bezoekadres.
    adres: RegistratieAdres | None = None
    vestigingen: tuple[Vestiging, ...] = field(default=())

    def heeft_vestiging(self, vestigingsnummer: str) -> bool:
        return any(v.vestigingsnummer == vestigingsnummer for v in self.vestigingen)

    def __repr__(self) -> str:
        return "Onderneming(...)"


@dataclass(frozen=True, repr=False)
class AdresVraag:
    """A Dutch address to look up in the BAG."""

    postcode: str  # "1234 AB" (normalised)
    huisnummer: int
    huisletter: str | None = None
    huisnummertoevoeging: str | None = None

    def __repr__(self) -> str:
        return "AdresVraag(...)"


@dataclass(frozen=True, repr=False)
class BagAdres:
    """One address of the BAG (Individuele Bevragingen v2 ``/adressen``)."""

    straat: str  # openbareRuimteNaam
    huisnummer: int
    huisletter: str | None
    huisnummertoevoeging: str | None
    postcode: str  # "1234 AB"
    woonplaats: str  # woonplaatsNaam
    nummeraanduiding_identificatie: str

    def __repr__(self) -> str:
        return "BagAdres(...)"


@dataclass(frozen=True)
class Registratie:
    """What the register at the source says of a partij, as far as it could be read now.

    ``beschikbaar`` False: the register did not answer; the rest of the profile is still shown.
    Neither a person nor a company: the register does not know the identifier (then nothing is
    restricted - the service cannot know better than its source).

    ``bron`` None: the partij has no basisregistratie at all - a person known only by an eIDAS
    identifier (:func:`geen_basisregistratie`). Nothing to read, so nothing unavailable; nothing
    says the person is gone, so the profile is kept and can be changed; no registered address,
    so a lookup says there is none (``postadresBron: geen``).
    """

    bron: Bron | None
    beschikbaar: bool
    persoon: Persoon | None = None
    onderneming: Onderneming | None = None
    # For a branch's representative: that branch (None when the Handelsregister could not say).
    vestiging: Vestigingsprofiel | None = None

    def __post_init__(self) -> None:
        if self.bron is None and not (self.beschikbaar and not self.bekend):
            raise ValueError("without a register there is nothing unavailable or known")

    @property
    def bekend(self) -> bool:
        return self.persoon is not None or self.onderneming is not None

    @property
    def bijgehouden(self) -> bool:
        """False when the source says the partij is gone: deceased, emigrated or removed from
        the BRP, or no longer in the Handelsregister. Then lookups answer as for an absent
        partij, nothing is sent, and the profile can only be read."""
        if not self.beschikbaar or self.bron is None:
            return True
        if self.bron is Bron.BRP:
            return self.persoon is None or self.persoon.bereikbaar
        return self.onderneming is not None


def niet_beschikbaar(bron: Bron) -> Registratie:
    return Registratie(bron, beschikbaar=False)


def geen_basisregistratie() -> Registratie:
    """The registration of a partij no basisregistratie keeps: a person known by eIDAS only."""
    return Registratie(None, beschikbaar=True)
