"""The write-backs of an organisation's existing client, under the purpose its credentials are
bound to.

Every operation first needs a grant for that purpose (403 without, as for a read). A partij is
named only by a UUID this organisation was given with a lookup (``shared.identity.verwijzing``):
any other UUID - another organisation's, a made-up one, one whose lookup has passed its
retention - is refused as a bad field (400), saying nothing of whom it might be. All checks
come before anything is stored: a refused request stores nothing.

- A klantcontact is kept as a contact moment of nobody for a day (``Contactmomenten``); a
  betrokkene that names a partij links it, and from then on the partij sees it. Linking is a
  processing of the partij's data by the organisation: one LDV record, stored first (fail
  closed). A partij without a profile gets no contact moment (the record is made all the same):
  nothing is kept about someone the service has no profile of, or who erased it.
- A digital address the organisation provides for a partij becomes a contact detail of its
  profile that nobody verified - no code is sent; its owner may verify it, and until then no
  organisation gets it. Nothing changes when it is there already, the profile is full, there is
  no profile, the partij does not share with this organisation, or its register no longer keeps
  it; the answer is the same whatever happened. The write is the profile's conditional write, in
  the organisation's role (the history shows "organisatie"); one LDV record first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from functions.klantcontacten import core
from shared.errors import (
    DomainError,
    Fout,
    InvalidParam,
    niet_beschikbaar,
    ongeldige_invoer,
    register_niet_beschikbaar,
)
from shared.identity.access import OrganisatieCaller, PartijKeys
from shared.identity.subject import ActorRole
from shared.identity.verwijzing import Verwezen
from shared.models.contactmoment import Contactmoment
from shared.models.ldv import Verwerking, organisatie_verwerking
from shared.models.profiel import Profiel, SoortDigitaalAdres
from shared.models.register import Doel
from shared.ports import Clock, Contactmomenten, Logboek, Profielen, Register, StoredProfiel
from shared.registratie import Bronregisters, Partij
from shared.store.errors import VersionConflict
from shared.store.profielen import Change
from shared.tracing import TraceContext, new_span_id, now_ms

# The LDV names of the processing actions, the same for every purpose.
VERWERKING_CONTACTMOMENT = "vastleggen contactmoment"
VERWERKING_ADRES = "vastleggen verstrekt digitaal adres"
# A parallel change of the profile is read again and the address added anew, a few times.
_SAVE_ATTEMPTS = 3

_ONBEKENDE_PARTIJ = "geen partij die uw organisatie met een opvraging kreeg"
_ONBEKEND_KLANTCONTACT = "geen klantcontact van uw organisatie (of niet meer bewaard)"


@dataclass(frozen=True)
class Klantcontacten:
    contactmomenten: Contactmomenten
    register: Register
    logboek: Logboek
    profielen: Profielen
    bronnen: Bronregisters
    clock: Clock
    # Whom a partij UUID this organisation was given refers to: (uuid, oin) -> Verwezen.
    verwezen: Callable[[str, str], Verwezen | None]
    # What the store knows the partij with this identifier by (its keyed pseudonym).
    partij_keys: Callable[[Verwezen], PartijKeys]
    # During a key rotation: the partij's items moved from its old key to its new one, before a
    # write under the new key (shared.store.rotation.move_on_access).
    verhuizen: Callable[[str, str], None]
    new_ids: Callable[[], UUID] = field(default=uuid4)
    span_ids: Callable[[], str] = field(default=new_span_id)
    millis: Callable[[], int] = field(default=now_ms)

    # --- klantcontacten ------------------------------------------------------------------------

    def klantcontact(
        self, caller: OrganisatieCaller, invoer: core.KlantcontactInvoer
    ) -> Contactmoment:
        """``POST /klantcontacten``: kept for the betrokkene that will name its partij."""
        self._doel(caller)
        now = self.clock()
        moment = core.contactmoment(invoer, caller.oin, self.new_ids(), now)
        self.contactmomenten.bewaar_klantcontact(moment, now)
        return moment

    def betrokkene(
        self,
        caller: OrganisatieCaller,
        invoer: core.BetrokkeneMetKlantcontact,
        trace: TraceContext,
    ) -> UUID:
        """``POST /betrokkenen``: the klantcontact becomes the partij's contact moment. The new
        betrokkene's UUID."""
        doel = self._doel(caller)
        moment = self.contactmomenten.klantcontact(
            caller.oin, str(invoer.had_klantcontact.uuid), self.clock()
        )
        if moment is None:
            raise _ongeldig("hadKlantcontact.uuid", _ONBEKEND_KLANTCONTACT)
        verwezen = self._partij(caller, doel, invoer.was_partij, "wasPartij.uuid")
        if verwezen is not None:
            self._koppel(caller, doel, verwezen, moment, trace)
        return self.new_ids()

    def onderwerpobject(
        self, caller: OrganisatieCaller, invoer: core.OnderwerpobjectMetKlantcontact
    ) -> UUID:
        """``POST /onderwerpobjecten``: what a klantcontact was about (a case). Answered, not
        kept - a contact moment is its subject, not its case - once its klantcontacten are
        found to be this organisation's."""
        self._doel(caller)
        now = self.clock()
        for name, verwijzing in (
            ("klantcontact.uuid", invoer.klantcontact),
            ("wasKlantcontact.uuid", invoer.was_klantcontact),
        ):
            if verwijzing is not None and (
                self.contactmomenten.klantcontact(caller.oin, str(verwijzing.uuid), now) is None
            ):
                raise _ongeldig(name, _ONBEKEND_KLANTCONTACT)
        return self.new_ids()

    def maak(
        self, caller: OrganisatieCaller, invoer: core.MaakKlantcontact, trace: TraceContext
    ) -> tuple[Contactmoment, core.Aangemaakt]:
        """``POST /maak-klantcontact``: the three at once, all checked before any is kept."""
        doel = self._doel(caller)
        betrokkene, onderwerpobject = invoer.betrokkene, invoer.onderwerpobject
        now = self.clock()
        if onderwerpobject is not None and onderwerpobject.was_klantcontact is not None:
            was = str(onderwerpobject.was_klantcontact.uuid)
            if self.contactmomenten.klantcontact(caller.oin, was, now) is None:
                raise _ongeldig("onderwerpobject.wasKlantcontact.uuid", _ONBEKEND_KLANTCONTACT)
        verwezen = (
            self._partij(caller, doel, betrokkene.was_partij, "betrokkene.wasPartij.uuid")
            if betrokkene is not None
            else None
        )
        moment = core.contactmoment(invoer.klantcontact, caller.oin, self.new_ids(), now)
        if verwezen is not None:
            self._koppel(caller, doel, verwezen, moment, trace)
        # Kept unlinked as well: a later betrokkene or onderwerpobject may name it.
        self.contactmomenten.bewaar_klantcontact(moment, now)
        ids = core.Aangemaakt(
            moment.klantcontact,
            str(self.new_ids()) if betrokkene is not None else None,
            str(self.new_ids()) if onderwerpobject is not None else None,
        )
        return moment, ids

    # --- a digital address ---------------------------------------------------------------------

    def digitaal_adres(
        self,
        caller: OrganisatieCaller,
        invoer: core.DigitaalAdresInvoer,
        trace: TraceContext,
    ) -> tuple[SoortDigitaalAdres, str]:
        """``POST /digitaleadressen``: the address as an unverified detail of the partij's
        profile, where it may go (see the module). Its kind and stored form: the answer is the
        same whatever happened (``core.digitaal_adres``)."""
        doel = self._doel(caller)
        soort, adres = core.te_bewaren_adres(invoer)
        verwezen = self._partij(
            caller, doel, invoer.verstrekt_door_partij, "verstrektDoorPartij.uuid"
        )
        if verwezen is None:
            return soort, adres  # an address of a betrokkene only: no partij, nothing to keep
        keys = self.partij_keys(verwezen)
        start = self.millis()
        stored = self._profiel(keys)
        toevoegen = stored is not None and stored.profiel.delen.met(caller.oin)
        if toevoegen:
            # The register beside: a partij it no longer keeps has a profile that is read-only.
            partij = Partij(
                verwezen.soort, verwezen.identificator, keys.key, keys.sealed_identifier
            )
            registratie = self.bronnen.lees([partij], trace)[keys.key]
            if not registratie.beschikbaar:
                raise register_niet_beschikbaar(
                    registratie.bron.naam if registratie.bron else "Het register"
                )
            toevoegen = registratie.bijgehouden
        self.logboek.write(
            [self._verwerking(VERWERKING_ADRES, caller, doel, verwezen, keys, trace, start)]
        )
        if toevoegen:
            assert stored is not None
            self._voeg_toe(keys, stored, soort, adres, verwezen, trace)
        return soort, adres

    def _voeg_toe(
        self,
        keys: PartijKeys,
        stored: StoredProfiel,
        soort: SoortDigitaalAdres,
        adres: str,
        verwezen: Verwezen,
        trace: TraceContext,
    ) -> None:
        for _ in range(_SAVE_ATTEMPTS):
            changed = core.met_verstrekt_adres(stored.profiel, soort, adres, self.new_ids())
            if changed is None:
                return
            change = Change(
                actor_role=ActorRole.ORGANISATIE,
                actor=None,  # the organisation is named in the LDV record, in the same trace
                at=self.clock(),
                trace_id=trace.trace_id,
                span_id=trace.span_id,
                soort=verwezen.soort,
                sealed_identifier=keys.sealed_identifier,
            )
            try:
                self.profielen.save(keys.key, changed, stored.version, change)
                return
            except VersionConflict:
                stored = self.profielen.get(keys.key)
        raise niet_beschikbaar("Het adres kon nu niet worden vastgelegd; probeer het zo opnieuw.")

    # --- shared steps --------------------------------------------------------------------------

    def _doel(self, caller: OrganisatieCaller) -> Doel:
        organisatie = self.register.get(caller.oin)
        doel = organisatie.doel(caller.doel) if organisatie and caller.doel else None
        if doel is None:
            raise DomainError(
                Fout.GEEN_TOEGANG, "Uw organisatie heeft geen toekenning voor dit doel."
            )
        return doel

    def _partij(
        self,
        caller: OrganisatieCaller,
        doel: Doel,
        verwijzing: core.Verwijzing | None,
        name: str,
    ) -> Verwezen | None:
        """Whom the partij UUID refers to (None: no partij named); a UUID this organisation was
        not given, or of a kind its purpose does not cover, is a bad field."""
        if verwijzing is None:
            return None
        verwezen = self.verwezen(str(verwijzing.uuid), caller.oin)
        if verwezen is None or verwezen.soort not in doel.soorten:
            raise _ongeldig(name, _ONBEKENDE_PARTIJ)
        return verwezen

    def _profiel(self, keys: PartijKeys) -> StoredProfiel | None:
        """The partij's stored profile, None if it has none. During a key rotation it may still
        be under the key being replaced: then it is moved first, as every write is under the new
        key only."""
        stored = self.profielen.get(keys.key)
        previous = keys.previous
        if stored.version == 0 and previous is not None and self.profielen.get(previous).version:
            self.verhuizen(previous, keys.key)
            stored = self.profielen.get(keys.key)
        return stored if stored.profiel != Profiel() else None

    def _koppel(
        self,
        caller: OrganisatieCaller,
        doel: Doel,
        verwezen: Verwezen,
        moment: Contactmoment,
        trace: TraceContext,
    ) -> None:
        keys = self.partij_keys(verwezen)
        start = self.millis()
        stored = self._profiel(keys)
        self.logboek.write(
            [self._verwerking(VERWERKING_CONTACTMOMENT, caller, doel, verwezen, keys, trace, start)]
        )
        if stored is not None:
            self.contactmomenten.koppel(keys.key, moment)

    def _verwerking(
        self,
        name: str,
        caller: OrganisatieCaller,
        doel: Doel,
        verwezen: Verwezen,
        keys: PartijKeys,
        trace: TraceContext,
        start: int,
    ) -> Verwerking:
        return organisatie_verwerking(
            name=name,
            trace=trace,
            span_id=self.span_ids(),
            start_time=start,
            end_time=self.millis(),
            oin=caller.oin,
            doel=doel,
            partij=keys.key,
            soort=verwezen.soort,
            sealed_identifier=keys.sealed_identifier,
        )


def _ongeldig(name: str, reason: str) -> DomainError:
    return ongeldige_invoer([InvalidParam(name, "onbekend", reason)])
