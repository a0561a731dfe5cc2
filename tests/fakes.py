"""In-memory fakes of the ports (``shared.ports``): the use cases tested in milliseconds, with
no store, no NotifyNL, no register and no HTTP. Each keeps the contract its real adapter keeps - conditional
saves, the limits on codes (the domain's own rules), attempts counted before the outcome - and
records what it was asked, for the tests to read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from shared.errors import niet_beschikbaar
from shared.models.audit import AuditRecord
from shared.models.contactmoment import Contactmoment
from shared.models.bronnen import (
    AdresVraag,
    BagAdres,
    Bron,
    Bronlezing,
    Gelezen,
    Onderneming,
    Persoon,
    RegisterNietBeschikbaar,
    Vestigingsprofiel,
)
from shared.models.ldv import Verwerking
from shared.models.profiel import AdresWijziging, Contactgegeven, Profiel
from shared.models.register import Organisatie
from shared.models.verificatie import Controle, TooManySends, Verificatie
from shared.ports import Change, StoredProfiel
from shared.store.errors import VersionConflict
from shared.store.logboek import logboek_niet_beschikbaar
from shared.verification import too_many_sends


@dataclass
class InMemoryProfielen:
    stored: dict[str, StoredProfiel] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    # Versions someone else stores just before the next saves: a race, on demand.
    races: list[Profiel] = field(default_factory=list)
    erased: set[str] = field(default_factory=set)  # erased and not stored anew since

    def get(self, partij: str) -> StoredProfiel:
        return self.stored.get(partij, StoredProfiel(Profiel(), 0))

    def get_many(self, partijen: Iterable[str]) -> dict[str, Profiel]:
        return {
            p: self.stored[p].profiel for p in partijen if p in self.stored and p not in self.erased
        }

    def save(self, partij: str, profiel: Profiel, expected_version: int, change: Change) -> int:
        if self.races:
            self.stored[partij] = StoredProfiel(self.races.pop(0), self.get(partij).version + 1)
        if self.get(partij).version != expected_version:
            raise VersionConflict
        self.erased.discard(partij)
        self.stored[partij] = StoredProfiel(profiel, expected_version + 1)
        self.changes.append(change)
        return expected_version + 1

    def wis(self, partij: str, expected_version: int, change: Change) -> int:
        version = self.save(partij, Profiel(), expected_version, change)
        self.erased.add(partij)
        return version


@dataclass
class InMemoryCodes:
    """Codes kept in memory and "sent" into ``sent``; the codes handed out are ``codes``."""

    codes: Iterator[str] = field(default_factory=lambda: iter(f"{n:06d}" for n in range(1, 10**6)))
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # partij, address, code
    failing: bool = False  # NotifyNL unreachable
    _state: dict[tuple[str, UUID], Verificatie] = field(default_factory=dict)

    def send(self, partij: str, contactgegeven: Contactgegeven, now: datetime) -> Verificatie:
        if self.failing:
            raise niet_beschikbaar("NotifyNL is niet bereikbaar.")
        code = next(self.codes)
        key = (partij, contactgegeven.id)
        try:
            after = self._state.get(key, Verificatie()).met_nieuwe_code(
                _hash(contactgegeven, code), now
            )
        except TooManySends as limit:
            raise too_many_sends(limit.retry_after_seconds) from None
        self._state[key] = after
        self.sent.append((partij, contactgegeven.adres, code))
        return after

    def check(
        self, partij: str, contactgegeven: Contactgegeven, code: str, now: datetime
    ) -> Controle:
        key = (partij, contactgegeven.id)
        controle = self._state.get(key, Verificatie()).controleer(_hash(contactgegeven, code), now)
        self._state[key] = controle.verificatie
        return controle

    def vergeet(self, partij: str) -> None:
        self._state = {key: v for key, v in self._state.items() if key[0] != partij}

    def last_code_to(self, adres: str) -> str:
        return next(code for _, to, code in reversed(self.sent) if to == adres)


@dataclass
class InMemoryBerichten:
    notices: list[tuple[str, AdresWijziging]] = field(default_factory=list)

    def send_notice(self, email_adres: str, wijziging: AdresWijziging) -> None:
        self.notices.append((email_adres, wijziging))


def _hash(contactgegeven: Contactgegeven, code: str) -> str:
    # Bound to the address, as the real keyed hash is: a code proves only where it went.
    return f"{contactgegeven.id}|{contactgegeven.adres}|{code}"


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class InMemoryRegister:
    organisaties: dict[str, Organisatie] = field(default_factory=dict)

    def get(self, oin: str) -> Organisatie | None:
        return self.organisaties.get(oin)

    def all(self) -> tuple[Organisatie, ...]:
        return tuple(self.organisaties.values())


@dataclass
class InMemoryLogboek:
    verwerkingen: list[Verwerking] = field(default_factory=list)
    failing: bool = False

    def write(self, verwerkingen: Iterable[Verwerking]) -> None:
        written = list(verwerkingen)  # all or nothing, as the real one
        if self.failing:
            raise logboek_niet_beschikbaar()
        self.verwerkingen.extend(written)

    def lookups_of(
        self, betrokkene: str, limit: int, before: str | None = None
    ) -> tuple[list[Verwerking], str | None]:
        # The real one's position: the start time in ms and the span, as sortable text.
        def moment(v: Verwerking) -> str:
            return f"{v.start_time:013d}-{v.span_id}"

        found = sorted(
            (
                v
                for v in self.verwerkingen
                if v.data_subject_id == betrokkene
                and v.oin
                and (before is None or moment(v) < before)
            ),
            key=moment,
            reverse=True,
        )
        page = found[:limit]
        return page, moment(page[-1]) if len(found) > limit else None


@dataclass
class InMemoryAudittrail:
    records: list[AuditRecord] = field(default_factory=list)

    def of(self, partij: str) -> list[AuditRecord]:
        return sorted((r for r in self.records if r.partij == partij), key=lambda r: r.volgnummer)


@dataclass
class InMemoryContactmomenten:
    """Klantcontacten by organisation and UUID until linked, then contact moments by partij;
    ``failing``: the store is down."""

    klantcontacten: dict[tuple[str, str], Contactmoment] = field(default_factory=dict)
    momenten: dict[str, dict[str, Contactmoment]] = field(default_factory=dict)
    failing: bool = False

    def bewaar_klantcontact(self, moment: Contactmoment, now: datetime) -> None:
        self._up()
        self.klantcontacten[(moment.oin, moment.klantcontact)] = moment

    def klantcontact(self, oin: str, klantcontact: str, now: datetime) -> Contactmoment | None:
        self._up()
        return self.klantcontacten.get((oin, klantcontact))

    def koppel(self, partij: str, moment: Contactmoment) -> None:
        self._up()
        self.momenten.setdefault(partij, {})[moment.klantcontact] = moment

    def van(self, partij: str, now: datetime) -> list[Contactmoment]:
        self._up()
        found = self.momenten.get(partij, {}).values()
        return sorted(found, key=lambda m: (m.tijdstip, m.klantcontact), reverse=True)

    def vergeet(self, partij: str) -> None:
        self._up()
        self.momenten.pop(partij, None)

    def _up(self) -> None:
        if self.failing:
            raise niet_beschikbaar("De opslag is even niet bereikbaar.")


@dataclass
class _InMemoryBron:
    """What a register client keeps to itself: down or not, and a cache - the first read of a
    key comes from the register (``uit_bron``, after telling ``bij_lezen``), later ones from the
    cache."""

    bron: Bron
    failing: bool = False
    reads: list[str] = field(default_factory=list)  # the keys read from the register, in order
    _cached: set[str] = field(default_factory=set)

    def expire(self) -> None:
        """The cache's lifetime passes: the next read of each key is from the register again."""
        self._cached.clear()

    def _read(self, keys: Sequence[str], bij_lezen: Bronlezing | None) -> set[str]:
        """The keys read at the source now."""
        if self.failing:
            raise RegisterNietBeschikbaar(self.bron)
        new = [key for key in dict.fromkeys(keys) if key not in self._cached]
        if new and bij_lezen is not None:
            bij_lezen(new)
        self._cached.update(new)
        self.reads.extend(new)
        return set(new)


@dataclass
class InMemoryPersonen(_InMemoryBron):
    bron: Bron = Bron.BRP
    personen: dict[str, Persoon] = field(default_factory=dict)

    def raadpleeg(
        self, bsns: Sequence[str], bij_lezen: Bronlezing | None = None
    ) -> dict[str, Gelezen[Persoon | None]]:
        read = self._read(bsns, bij_lezen)
        return {bsn: Gelezen(self.personen.get(bsn), bsn in read) for bsn in bsns}


@dataclass
class InMemoryHandelsregister(_InMemoryBron):
    bron: Bron = Bron.KVK
    ondernemingen: dict[str, Onderneming] = field(default_factory=dict)
    vestigingen: dict[str, Vestigingsprofiel] = field(default_factory=dict)

    def onderneming(
        self, kvk_nummer: str, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[Onderneming | None]:
        read = self._read([kvk_nummer], bij_lezen)
        return Gelezen(self.ondernemingen.get(kvk_nummer), bool(read))

    def vestiging(
        self, vestigingsnummer: str, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[Vestigingsprofiel | None]:
        read = self._read([vestigingsnummer], bij_lezen)
        return Gelezen(self.vestigingen.get(vestigingsnummer), bool(read))


@dataclass
class InMemoryAdressen(_InMemoryBron):
    bron: Bron = Bron.BAG
    adressen: list[BagAdres] = field(default_factory=list)

    def zoek(
        self, vraag: AdresVraag, bij_lezen: Bronlezing | None = None
    ) -> Gelezen[tuple[BagAdres, ...]]:
        read = self._read([f"{vraag.postcode}|{vraag.huisnummer}"], bij_lezen)
        found = tuple(
            a
            for a in self.adressen
            if a.postcode == vraag.postcode and a.huisnummer == vraag.huisnummer
        )
        return Gelezen(found, bool(read))
