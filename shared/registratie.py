"""The registers at the source as the use cases read them: each read a logged processing.

Every read of a register for a partij is a processing of personal data: one LDV record per partij
read from the register (not from the cache), in the request's trace, with the register as the
foreign processor. If the Logboek cannot record it, the register's data is not used.

What the service does with the answers is decided here, once:
- a partij the source no longer keeps (deceased, emigrated, a company gone from the
  Handelsregister) is not reachable: lookups answer as for an absent partij and its profile is
  read-only;
- a representative's branch must be a vestiging of the company it represents;
- a Dutch postal address must exist in the BAG, which completes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

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
    Gelezen,
    RegisterNietBeschikbaar,
    Registratie,
)
from shared.models.bronnen import niet_beschikbaar as registratie_niet_beschikbaar
from shared.models.ldv import Verwerking
from shared.models.partij import SoortIdentificator, ldv_id_type
from shared.models.profiel import NederlandsPostadres, NederlandsPostadresInvoer, kalenderdatum
from shared.ports import Adressen, Handelsregister, Logboek, Personen
from shared.tracing import TraceContext, new_span_id

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

_BRON_VAN = {
    SoortIdentificator.BSN: Bron.BRP,
    SoortIdentificator.KVK_NUMMER: Bron.KVK,
}


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class Partij:
    """A partij as the registers know it: its identifier (only ever sent to its own register)
    and the store's key it is logged under."""

    soort: SoortIdentificator
    identificator: str
    key: str


@dataclass(frozen=True)
class Bronregisters:
    personen: Personen
    handelsregister: Handelsregister
    adressen: Adressen
    logboek: Logboek
    span_ids: Callable[[], str] = new_span_id
    millis: Callable[[], int] = field(default=_now_ms)

    # --- one partij: its own profile -----------------------------------------------------------

    def van(self, caller: PartijCaller, trace: TraceContext) -> Registratie:
        """The partij's registration at its source, or that the source is unavailable. A branch
        representative whose branch is not the company's is refused."""
        partij = Partij(caller.soort, caller.subject.identifier, caller.partij)
        registratie = self.lees([partij], trace).get(partij.key)
        if registratie is None:  # an identifier kind without a register of its own
            return registratie_niet_beschikbaar(Bron.KVK)
        vestiging = caller.vestigingsnummer
        if vestiging is not None and registratie.onderneming is not None:
            if not registratie.onderneming.heeft_vestiging(vestiging):
                raise DomainError(
                    Fout.GEEN_TOEGANG,
                    "De vestiging in uw token hoort volgens het Handelsregister niet bij deze "
                    "onderneming.",
                )
        return registratie

    def voor_wijziging(self, caller: PartijCaller, trace: TraceContext) -> Registratie:
        """As :meth:`van`, for a change: refused when the source no longer keeps the partij, and
        for a branch representative when the Handelsregister cannot confirm the branch now."""
        registratie = self.van(caller, trace)
        if not registratie.bijgehouden:
            raise alleen_lezen()
        if caller.vestigingsnummer is not None and not registratie.beschikbaar:
            raise register_niet_beschikbaar(registratie.bron.naam)
        return registratie

    # --- many partijen: an organisation's lookup ---------------------------------------------

    def lees(self, partijen: Sequence[Partij], trace: TraceContext) -> dict[str, Registratie]:
        """Per partij key: its registration. A register that cannot answer gives
        ``beschikbaar: false`` for its partijen; the other register is still read."""
        start = self.millis()
        result: dict[str, Registratie] = {}
        gelezen: list[tuple[Partij, Bron]] = []
        bsns = {p.identificator: p for p in partijen if p.soort is SoortIdentificator.BSN}
        if bsns:
            try:
                personen = self.personen.raadpleeg(list(bsns))
            except RegisterNietBeschikbaar:
                personen = None
            for bsn, partij in bsns.items():
                if personen is None:
                    result[partij.key] = registratie_niet_beschikbaar(Bron.BRP)
                    continue
                antwoord = personen[bsn]
                result[partij.key] = Registratie(Bron.BRP, True, persoon=antwoord.waarde)
                if antwoord.uit_bron:
                    gelezen.append((partij, Bron.BRP))
        for partij in partijen:
            if partij.soort is not SoortIdentificator.KVK_NUMMER:
                continue
            try:
                onderneming = self.handelsregister.onderneming(partij.identificator)
            except RegisterNietBeschikbaar:
                result[partij.key] = registratie_niet_beschikbaar(Bron.KVK)
                continue
            result[partij.key] = Registratie(Bron.KVK, True, onderneming=onderneming.waarde)
            if onderneming.uit_bron:
                gelezen.append((partij, Bron.KVK))
        self._log(gelezen, trace, start)
        return result

    # --- the BAG -------------------------------------------------------------------------------

    def zoek_adressen(
        self, vraag: AdresVraag, namens: PartijCaller, trace: TraceContext
    ) -> tuple[BagAdres, ...]:
        """The BAG's addresses for a postcode and huisnummer, read on behalf of a partij."""
        start = self.millis()
        try:
            gevonden = self.adressen.zoek(vraag)
        except RegisterNietBeschikbaar:
            raise register_niet_beschikbaar(Bron.BAG.naam) from None
        self._log_bag(gevonden, namens, trace, start)
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
            soort="nederlands",
            straat=adres.straat,
            huisnummer=adres.huisnummer,
            huisletter=adres.huisletter,
            huisnummertoevoeging=adres.huisnummertoevoeging,
            postcode=adres.postcode,
            woonplaats=adres.woonplaats,
            nummeraanduiding_identificatie=adres.nummeraanduiding_identificatie,
            gecontroleerd_op=kalenderdatum(now),
        )

    # --- the Logboek ---------------------------------------------------------------------------

    def _log(self, gelezen: Iterable[tuple[Partij, Bron]], trace: TraceContext, start: int) -> None:
        end = self.millis()
        self.logboek.write(
            self._verwerking(partij.key, ldv_id_type(partij.soort), bron, trace, start, end)
            for partij, bron in gelezen
        )

    def _log_bag(
        self,
        gevonden: Gelezen[tuple[BagAdres, ...]],
        namens: PartijCaller,
        trace: TraceContext,
        start: int,
    ) -> None:
        if gevonden.uit_bron:
            verwerking = self._verwerking(
                namens.partij, ldv_id_type(namens.soort), Bron.BAG, trace, start, self.millis()
            )
            self.logboek.write([verwerking])

    def _verwerking(
        self, key: str, id_type: str, bron: Bron, trace: TraceContext, start: int, end: int
    ) -> Verwerking:
        return Verwerking(
            trace_id=trace.trace_id,
            span_id=self.span_ids(),
            parent_span_id=trace.parent_span_id,
            name=_VERWERKING[bron],
            status="Ok",
            start_time=start,
            end_time=end,
            processing_activity_id=VERWERKINGSACTIVITEIT,
            data_subject_id=key,
            data_subject_id_type=id_type,
            oin=None,
            doel=DOEL,
            processor=PROCESSOR[bron],
        )


def kies_adres(gevonden: Sequence[BagAdres], vraag: AdresVraag) -> BagAdres:
    """The one address of the BAG's answer that is the address asked for, or the field that
    makes it unknown: no such huisnummer at the postcode, no such letter, no such toevoeging."""
    if not gevonden:
        raise _onbekend("huisnummer", "de BAG heeft geen adres met dit huisnummer bij deze postcode")

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
