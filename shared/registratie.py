"""The registers at the source as the use cases read them: each read a logged processing.

Every read of a register for a partij is a processing of personal data: one LDV record per partij
read from the register (not from the cache), in the request's trace, with the register as the
foreign processor. The records are written while the register is asked - a register read and
its record cost one round trip, not two - and the answer is used only once they are stored: if
the Logboek cannot record them, the Logboek's refusal (503) stands.

What the service does with the answers is decided here, once:
- a partij no basisregistratie keeps - a person known by eIDAS identifier only - has a
  registration without a source (``geen_basisregistratie``): nothing is read or logged for it,
  and nothing restricts it;
- a partij the source no longer keeps (deceased, emigrated, a company gone from the
  Handelsregister) is not reachable: lookups answer as for an absent partij and its profile is
  read-only;
- a representative's branch must be a vestiging of the company it represents;
- a Dutch postal address must exist in the BAG, which completes it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from shared.errors import (
    DomainError,
    Fout,
    InvalidParam,
    alleen_lezen,
    ongeldige_invoer,
    register_niet_beschikbaar,
)
from shared.identity.access import PartijCaller
from shared.models.bronnen import (
    AdresVraag,
    BagAdres,
    Bron,
    Bronlezing,
    RegisterNietBeschikbaar,
    Registratie,
    Vestigingsprofiel,
    geen_basisregistratie,
)
from shared.models.bronnen import niet_beschikbaar as registratie_niet_beschikbaar
from shared.models.ldv import Verwerking
from shared.models.partij import SoortIdentificator, ldv_id_type
from shared.models.profiel import NederlandsPostadres, NederlandsPostadresInvoer, kalenderdatum
from shared.ports import Adressen, Handelsregister, Logboek, Personen
from shared.tracing import TraceContext, new_span_id, now_ms

# The processing activities of the service's own register reads, as its register of processing
# activities names them, and what the Logboek calls each read.
VERWERKINGSACTIVITEIT = "urn:nl:profielservice:verwerkingsactiviteit:bronregister-raadplegen"
_VERWERKING = {
    Bron.BRP: "raadplegen BRP",
    Bron.KVK: "raadplegen Handelsregister",
    Bron.BAG: "raadplegen BAG",
}
# The doel the records name: keeping the profile true to its source.
DOEL = "gegevens-bij-de-bron"
# The LDV's foreign processor of each read: the register's API, the same in every environment.
PROCESSOR = {
    Bron.BRP: "https://brp-api.github.io/Haal-Centraal-BRP-bevragen/",
    Bron.KVK: "https://developers.kvk.nl/documentation/basisprofiel-api",
    Bron.BAG: "https://lvbag.github.io/BAG-API/",
}


@dataclass(frozen=True)
class Partij:
    """A partij as the registers know it: its identifier (only ever sent to its own register)
    and the store's key it is logged under."""

    soort: SoortIdentificator
    identificator: str
    key: str
    sealed_identifier: str | None = None  # what its LDV records carry for a key rotation

    @classmethod
    def van(cls, caller: PartijCaller) -> Partij:
        return cls(caller.soort, caller.subject.identifier, caller.partij, caller.sealed_identifier)


@dataclass(frozen=True)
class Bronregisters:
    personen: Personen
    handelsregister: Handelsregister
    adressen: Adressen
    logboek: Logboek
    span_ids: Callable[[], str] = new_span_id
    millis: Callable[[], int] = field(default=now_ms)
    # Only on the twin that answers from the caches (:meth:`_intussen`): a register that would
    # have to be asked raises _BronNodig, before anything is sent or recorded.
    alleen_uit_cache: bool = field(default=False, kw_only=True)

    # --- one partij: its own profile -----------------------------------------------------------

    def van(self, caller: PartijCaller, trace: TraceContext) -> Registratie:
        """The partij's registration at its source, or that the source is unavailable. A branch
        representative whose branch is not the company's is refused."""
        partij = Partij.van(caller)
        registratie = self.lees([partij], trace)[partij.key]
        vestiging = caller.vestigingsnummer
        onderneming = registratie.onderneming
        if vestiging is None or onderneming is None:
            return registratie
        if not onderneming.heeft_vestiging(vestiging):
            raise DomainError(
                Fout.GEEN_TOEGANG,
                "De vestiging in uw token hoort volgens het Handelsregister niet bij deze "
                "onderneming.",
            )
        return dataclasses.replace(registratie, vestiging=self._vestiging(partij, vestiging, trace))

    def voor_wijziging(self, caller: PartijCaller, trace: TraceContext) -> Registratie:
        """As :meth:`van`, for a change: refused when the source no longer keeps the partij, and
        for a branch representative when the Handelsregister cannot confirm the branch now."""
        registratie = self.van(caller, trace)
        if not registratie.bijgehouden:
            raise alleen_lezen()
        if caller.vestigingsnummer is not None and not registratie.beschikbaar:
            raise register_niet_beschikbaar(Bron.KVK.naam)
        return registratie

    def _vestiging(
        self, partij: Partij, vestigingsnummer: str, trace: TraceContext
    ) -> Vestigingsprofiel | None:
        """The branch a representative acts for, as the Handelsregister describes it (None when
        it cannot say now: the company's registration is shown without it)."""
        vastlegging = _Vastlegging(self, trace)
        try:
            bij_lezen = vastlegging.voor(Bron.KVK, lambda _: partij)
            return self.handelsregister.vestiging(vestigingsnummer, bij_lezen).waarde
        except RegisterNietBeschikbaar:
            return None
        finally:
            vastlegging.afwachten()

    def van_intussen(self, caller: PartijCaller, trace: TraceContext) -> Future[Registratie]:
        """:meth:`van`, beside the caller's own store read: started on another thread when a
        register must be asked, so that the caller reads its store meanwhile."""
        return self._intussen(Bronregisters.van, caller, trace)

    def voor_wijziging_intussen(
        self, caller: PartijCaller, trace: TraceContext
    ) -> Future[Registratie]:
        """:meth:`voor_wijziging`, beside the caller's store read, as :meth:`van_intussen`."""
        return self._intussen(Bronregisters.voor_wijziging, caller, trace)

    def _intussen(
        self,
        lees: Callable[[Bronregisters, PartijCaller, TraceContext], Registratie],
        caller: PartijCaller,
        trace: TraceContext,
    ) -> Future[Registratie]:
        # Within the caches' lifetime every answer is kept: nothing to overlap with the store's
        # round trip, and handing the read to a thread and back would cost more than the read
        # (about half a millisecond of a warm read). Answered here then; otherwise on a thread.
        answered: Future[Registratie] = Future()
        try:
            answered.set_result(lees(self._uit_cache, caller, trace))
        except _BronNodig:
            return _LEZERS.submit(lees, self, caller, trace)
        except Exception as refusal:  # noqa: BLE001 - handed on, not handled
            # Raised where the thread's would be, at result(): after the caller's store read.
            answered.set_exception(refusal)
        return answered

    @cached_property
    def _uit_cache(self) -> Bronregisters:
        return dataclasses.replace(self, alleen_uit_cache=True)

    # --- many partijen: an organisation's lookup ---------------------------------------------

    def lees(self, partijen: Sequence[Partij], trace: TraceContext) -> dict[str, Registratie]:
        """Per partij key: its registration - for every partij given. A register that cannot
        answer gives ``beschikbaar: false`` for its partijen; the other register is still read.
        A partij of a kind no basisregistratie keeps (eIDAS) is not read anywhere."""
        result: dict[str, Registratie] = {}
        vastlegging = _Vastlegging(self, trace)
        try:
            bsns = {p.identificator: p for p in partijen if p.soort is SoortIdentificator.BSN}
            if bsns:
                result |= self._personen(bsns, vastlegging)
            for partij in partijen:
                if partij.soort is SoortIdentificator.KVK_NUMMER:
                    result[partij.key] = self._onderneming(partij, vastlegging)
                elif partij.soort is not SoortIdentificator.BSN:
                    result[partij.key] = geen_basisregistratie()
        finally:
            # The answers are used only once their reads are recorded (fail closed).
            vastlegging.afwachten()
        return result

    def _personen(
        self, bsns: dict[str, Partij], vastlegging: _Vastlegging
    ) -> dict[str, Registratie]:
        bij_lezen = vastlegging.voor(Bron.BRP, lambda bsn: bsns[bsn])
        try:
            personen = self.personen.raadpleeg(list(bsns), bij_lezen)
        except RegisterNietBeschikbaar:
            return {p.key: registratie_niet_beschikbaar(Bron.BRP) for p in bsns.values()}
        return {
            partij.key: Registratie(Bron.BRP, True, persoon=personen[bsn].waarde)
            for bsn, partij in bsns.items()
        }

    def _onderneming(self, partij: Partij, vastlegging: _Vastlegging) -> Registratie:
        bij_lezen = vastlegging.voor(Bron.KVK, lambda _: partij)
        try:
            onderneming = self.handelsregister.onderneming(partij.identificator, bij_lezen)
        except RegisterNietBeschikbaar:
            return registratie_niet_beschikbaar(Bron.KVK)
        return Registratie(Bron.KVK, True, onderneming=onderneming.waarde)

    # --- the BAG -------------------------------------------------------------------------------

    def zoek_adressen(
        self, vraag: AdresVraag, namens: PartijCaller, trace: TraceContext
    ) -> tuple[BagAdres, ...]:
        """The BAG's addresses for a postcode and huisnummer, read on behalf of a partij."""
        partij = Partij.van(namens)
        vastlegging = _Vastlegging(self, trace)
        try:
            gevonden = self.adressen.zoek(vraag, vastlegging.voor(Bron.BAG, lambda _: partij))
        except RegisterNietBeschikbaar:
            raise register_niet_beschikbaar(Bron.BAG.naam) from None
        finally:
            vastlegging.afwachten()
        return gevonden.waarde

    def controleer_adres(
        self,
        invoer: NederlandsPostadresInvoer,
        namens: PartijCaller,
        trace: TraceContext,
        now: datetime,
    ) -> NederlandsPostadres:
        """The address as the BAG has it, with its reference; a 400 naming the field that makes
        it one the BAG does not have, a 503 when the BAG cannot be asked."""
        vraag = AdresVraag(
            invoer.postcode, invoer.huisnummer, invoer.huisletter, invoer.huisnummertoevoeging
        )
        # Every address at the number: so that the refusal can name the letter or toevoeging.
        aan_huisnummer = AdresVraag(invoer.postcode, invoer.huisnummer)
        adres = kies_adres(self.zoek_adressen(aan_huisnummer, namens, trace), vraag)
        return NederlandsPostadres(
            soort="nederlands", **dataclasses.asdict(adres), gecontroleerd_op=kalenderdatum(now)
        )

    def verwerking(self, partij: Partij, bron: Bron, trace: TraceContext, at: int) -> Verwerking:
        """The LDV record of one read of a register for a partij."""
        return Verwerking(
            trace_id=trace.trace_id,
            span_id=self.span_ids(),
            parent_span_id=trace.parent_span_id,
            name=_VERWERKING[bron],
            status="Ok",
            start_time=at,
            end_time=at,
            processing_activity_id=VERWERKINGSACTIVITEIT,
            data_subject_id=partij.key,
            data_subject_id_type=ldv_id_type(partij.soort),
            oin=None,
            doel=DOEL,
            processor=PROCESSOR[bron],
            sealed_identifier=partij.sealed_identifier,
        )


class _BronNodig(Exception):
    """An answer is not in a register client's cache: the register itself must be asked."""


def _bron_nodig(_identificatoren: Sequence[str]) -> None:
    raise _BronNodig


# Threads of this process: reading a register beside the store, and writing the LDV records of
# register reads while the reads are in flight. Two pools, so that a read waiting for its
# records never waits for a thread its own records need.
_LEZERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="bronregister")
_SCHRIJVERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="logboek")


class _Vastlegging:
    """The LDV records of one request's register reads, written while the register is asked:
    a record says the partij's identifier went to that register at that moment (when the
    register then fails, it may still have received it). ``afwachten`` waits for them all and
    raises the Logboek's refusal if one could not be written."""

    def __init__(self, bronregisters: Bronregisters, trace: TraceContext) -> None:
        self._bronregisters = bronregisters
        self._trace = trace
        self._pending: list[Future[None]] = []

    def voor(self, bron: Bron, partij_van: Callable[[str], Partij]) -> Bronlezing:
        """What a client is told before it asks ``bron``: the identifiers it will read."""
        if self._bronregisters.alleen_uit_cache:
            return _bron_nodig

        def bij_lezen(identificatoren: Sequence[str]) -> None:
            at = self._bronregisters.millis()
            verwerkingen = [
                self._bronregisters.verwerking(partij_van(i), bron, self._trace, at)
                for i in identificatoren
            ]
            self._pending.append(
                _SCHRIJVERS.submit(self._bronregisters.logboek.write, verwerkingen)
            )

        return bij_lezen

    def afwachten(self) -> None:
        for pending in self._pending:
            pending.result()


def kies_adres(gevonden: Sequence[BagAdres], vraag: AdresVraag) -> BagAdres:
    """The one address of the BAG's answer that is the address asked for, or the field that
    makes it unknown: no such huisnummer at the postcode, no such letter, no such toevoeging."""
    if not gevonden:
        raise _onbekend(
            "huisnummer", "de BAG heeft geen adres met dit huisnummer bij deze postcode"
        )

    def same(a: str | None, b: str | None) -> bool:
        return (a or "").casefold() == (b or "").casefold()

    met_letter = [a for a in gevonden if same(a.huisletter, vraag.huisletter)]
    if not met_letter:
        raise _onbekend("huisletter", "de BAG heeft dit adres niet met deze huisletter")
    precies = [a for a in met_letter if same(a.huisnummertoevoeging, vraag.huisnummertoevoeging)]
    if not precies:
        raise _onbekend(
            "huisnummertoevoeging", "de BAG heeft dit adres niet met deze huisnummertoevoeging"
        )
    return precies[0]


def _onbekend(name: str, reason: str) -> DomainError:
    return ongeldige_invoer([InvalidParam(name, "adres-onbekend", reason)])
