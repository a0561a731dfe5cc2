"""A contact detail becomes onbestelbaar: reported by an organisation, or by NotifyNL's receipt.

Both end in the same step (:meth:`_Markeren._markeer`): the pure core picks the contact detail,
the profile is stored with it marked, on condition that the version is still the one read (a
parallel change is read again and the rule applied anew, as verify-contact does), and the audit
trail follows from the store's stream - in the role of who reported it (``organisatie``, or
``systeem`` for NotifyNL). Only then is the owner told, at another verified e-mail address:
best effort, because the marking is what protects the owner (no organisation writes to a dead
address any more) and the owner sees the status at the next visit anyway; a NotifyNL outage must
not turn an organisation's report away.

An organisation's report is a processing of the partij's data under the purpose it names: one
LDV record per report, stored before anything changes (fail closed: without it, 503 and nothing
marked), whatever the outcome - as with every lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from functions.report_delivery import core
from shared.errors import (
    DomainError,
    Fout,
    InvalidParam,
    niet_beschikbaar,
    ongeldige_invoer,
)
from shared.identity.access import OrganisatieCaller, PartijKeys
from shared.identity.subject import ActorRole
from shared.logs import logger
from shared.models.ldv import organisatie_verwerking
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Contactgegeven, Profiel
from shared.ports import Clock, Logboek, Onbestelbaarberichten, Profielen, Register, StoredProfiel
from shared.store.errors import VersionConflict
from shared.store.profielen import Change
from shared.tracing import TraceContext, new_span_id, now_ms

# The LDV name of the processing action, the same for every purpose.
VERWERKING = "melden onbestelbaar"
# A parallel change of the profile is read again and the rule applied anew, a few times.
_SAVE_ATTEMPTS = 3

# What picks the contact detail to mark in a profile as read, at a moment (None: nothing).
Kiezen = Callable[[Profiel, datetime], Contactgegeven | None]


@dataclass(frozen=True)
class _Markeren:
    profielen: Profielen
    berichten: Onbestelbaarberichten
    clock: Clock
    # The reference a message to this contact detail of this partij carries (its receipt's).
    referentie: Callable[[str, UUID], str]

    def _markeer(self, partij: str, stored: StoredProfiel, kies: Kiezen, change: Change) -> bool:
        """Mark what ``kies`` picks in the partij's profile, read again after a parallel change;
        then tell the owner. Whether anything was marked."""
        for _ in range(_SAVE_ATTEMPTS):
            now = self.clock()
            gekozen = kies(stored.profiel, now)
            if gekozen is None:
                return False
            profiel = core.onbestelbaar(stored.profiel, gekozen.id, now)
            try:
                self.profielen.save(partij, profiel, stored.version, change)
            except VersionConflict:
                stored = self.profielen.get(partij)
                continue
            self._waarschuw(partij, profiel, gekozen, now)
            return True
        raise niet_beschikbaar("De melding kon nu niet worden verwerkt; probeer het zo opnieuw.")

    def _waarschuw(
        self, partij: str, profiel: Profiel, onbestelbaar: Contactgegeven, now: datetime
    ) -> None:
        target = core.te_waarschuwen(profiel, onbestelbaar.id, now)
        if target is None:
            return  # the owner sees "onbestelbaar" at the next visit
        try:
            self.berichten.send_onbestelbaar(
                target.adres, onbestelbaar.soort_digitaal_adres, self.referentie(partij, target.id)
            )
        except DomainError:
            # NotifyNL is down: the detail is marked all the same; the owner sees it in the
            # profile. (shared.notify logged NotifyNL's status.)
            logger.warning("the owner was not told of an undeliverable contact detail")


@dataclass(frozen=True)
class OnbestelbaarMelden(_Markeren):
    """An organisation reports that an address it was given bounces for good."""

    register: Register = field(kw_only=True)
    logboek: Logboek = field(kw_only=True)
    # What the store knows the partij with this identifier by (its keyed pseudonym).
    partij_keys: Callable[[SoortIdentificator, str], PartijKeys] = field(kw_only=True)
    # During a key rotation: the partij's items moved from its old key to its new one, before a
    # write under the new key (shared.store.rotation.move_on_access).
    verhuizen: Callable[[str, str], None] = field(kw_only=True)
    span_ids: Callable[[], str] = field(default=new_span_id, kw_only=True)
    millis: Callable[[], int] = field(default=now_ms, kw_only=True)

    def __call__(
        self, caller: OrganisatieCaller, melding: core.Onbestelbaarmelding, trace: TraceContext
    ) -> None:
        """Nothing to answer: the same whether the address was marked, was not the one given, or
        the partij has no profile at all."""
        start_time = self.millis()
        organisatie = self.register.get(caller.oin)
        doel = organisatie.doel(melding.doel) if organisatie else None
        if doel is None:
            raise DomainError(
                Fout.GEEN_TOEGANG, "Uw organisatie heeft geen toekenning voor dit doel."
            )
        if melding.dienst is not None and organisatie.dienst(melding.dienst) is None:
            raise ongeldige_invoer(
                [InvalidParam("dienst", "onbekend", "geen dienst van uw organisatie")]
            )
        soort, identificator = melding.betrokkene.identificator
        keys = self.partij_keys(soort, identificator)

        def kies(profiel: Profiel, now: datetime) -> Contactgegeven | None:
            return core.gegeven_adres(
                profiel,
                caller.oin,
                melding.dienst,
                melding.soort_digitaal_adres,
                melding.adres,
                now,
            )

        # A partij of a kind the purpose does not cover is not even read: it was never given.
        found = self._gevonden(keys, kies) if soort in doel.soorten else None
        self.logboek.write(
            [
                organisatie_verwerking(
                    name=VERWERKING,
                    trace=trace,
                    span_id=self.span_ids(),
                    start_time=start_time,
                    end_time=self.millis(),
                    oin=caller.oin,
                    doel=doel,
                    partij=keys.key,
                    soort=soort,
                    sealed_identifier=keys.sealed_identifier,
                )
            ]
        )
        if found is None:
            return
        change = Change(
            actor_role=ActorRole.ORGANISATIE,
            actor=None,  # the organisation is named in the report's LDV record, in the same trace
            at=self.clock(),
            trace_id=trace.trace_id,
            span_id=trace.span_id,
            soort=soort,
            sealed_identifier=keys.sealed_identifier,
        )
        self._markeer(keys.key, found, kies, change)

    def _gevonden(self, keys: PartijKeys, kies: Kiezen) -> StoredProfiel | None:
        """The stored profile if the report would mark something in it (None otherwise). During
        a key rotation it may still be under the key being replaced: every function writes under
        the new key only, so then it is moved there first - only when something is to change."""
        stored = self.profielen.get(keys.key)
        if kies(stored.profiel, self.clock()) is not None:
            return stored
        if stored.version or keys.previous is None:
            return None
        old = self.profielen.get(keys.previous)
        if kies(old.profiel, self.clock()) is None:
            return None
        self.verhuizen(keys.previous, keys.key)
        return self.profielen.get(keys.key)


@dataclass(frozen=True)
class AfleverberichtVerwerken(_Markeren):
    """NotifyNL's delivery receipt of a message the service sent to a contact detail."""

    # The partij's store key and the contact detail's id a reference holds; None if it is none
    # of ours (or from before a key rotation).
    uit_referentie: Callable[[str], tuple[str, UUID] | None] = field(kw_only=True)

    def __call__(self, bericht: core.Afleverbericht, trace: TraceContext) -> bool:
        """Whether a contact detail was marked (for the log; NotifyNL is told nothing else)."""
        if not bericht.blijvend_onbestelbaar or not bericht.reference:
            return False
        found = self.uit_referentie(bericht.reference)
        if found is None:
            return False
        partij, contactgegeven_id = found
        stored = self.profielen.get(partij)
        # Nobody logged in: the service itself, on NotifyNL's word. What the key stands for is
        # the item's own, stored again as it was.
        change = Change(
            actor_role=ActorRole.SYSTEEM,
            actor=None,
            at=self.clock(),
            trace_id=trace.trace_id,
            span_id=trace.span_id,
            soort=stored.soort,
            sealed_identifier=stored.sealed_identifier,
        )
        return self._markeer(
            partij,
            stored,
            lambda profiel, _now: core.bericht_adres(profiel, contactgegeven_id, bericht.to),
            change,
        )
