"""The use cases with in-memory fakes of their ports (tests/fakes.py): behaviour in
milliseconds, no store, no NotifyNL, no HTTP. The wiring of every route to its use case is tested
over HTTP in tests/integration."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from functions.access_log.usecases import HistorieLezen, InzageLezen
from functions.get_profile.usecases import ProfielLezen
from functions.lookup_preferences.core import Opvraging, answers
from functions.update_profile import core
from functions.update_profile.usecases import ProfielWijzigen, Wijziging
from functions.verify_contact.usecases import CodeBevestigen, CodeVersturen
from infra.local.demo import LOCAL_REGISTER
from shared.errors import DomainError, Fout
from shared.identity.access import OrganisatieCaller, PartijCaller, PartijKeys
from shared.identity.subject import ActorRole, Subject, subject_for
from shared.models.audit import Actie, AuditRecord, volgnummer
from shared.models.bronnen import Onderneming, Vestiging
from shared.models.partij import SoortIdentificator
from shared.models.profiel import AdresWijziging, Profiel
from shared.models.register import Organisatie, Register
from shared.models.verificatie import Uitkomst
from shared.opvragen import Opvragen
from shared.ports import StoredProfiel
from shared.registratie import Bronregisters
from shared.tracing import TraceContext
from tests.builders import toevoegen, uid, wijzigen
from tests.fakes import (
    FixedClock,
    InMemoryAdressen,
    InMemoryAudittrail,
    InMemoryBerichten,
    InMemoryCodes,
    InMemoryContactmomenten,
    InMemoryHandelsregister,
    InMemoryLogboek,
    InMemoryPersonen,
    InMemoryProfielen,
    InMemoryRegister,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BURGER = PartijCaller(subject_for(bsn="999993653"), partij="p-burger", actor=None)
VERTEGENWOORDIGER = PartijCaller(
    Subject(SoortIdentificator.KVK_NUMMER, "68750110", ActorRole.VERTEGENWOORDIGER, "iemand"),
    partij="p-bedrijf",
    actor="a-iemand",
)
BEDRIJF = Onderneming(
    "68750110",
    "Test BV Donald",
    vestigingen=(Vestiging("000037178601", "Test BV Donald", None, hoofdvestiging=True),),
)
TRACE = TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", None)
EMAIL = "jan@example.nl"


@dataclass(frozen=True)
class Versie:
    """An If-Match of one version."""

    version: int

    def matches(self, version: int) -> bool:
        return version == self.version


@dataclass
class World:
    profielen: InMemoryProfielen
    codes: InMemoryCodes
    berichten: InMemoryBerichten
    clock: FixedClock
    personen: InMemoryPersonen = field(default_factory=InMemoryPersonen)
    handelsregister: InMemoryHandelsregister = field(default_factory=InMemoryHandelsregister)
    adressen: InMemoryAdressen = field(default_factory=InMemoryAdressen)
    # The records of the registers' reads (the lookups' own records are in ``Lookups``).
    registerlog: InMemoryLogboek = field(default_factory=InMemoryLogboek)

    def __post_init__(self) -> None:
        self.handelsregister.ondernemingen["68750110"] = BEDRIJF

    @property
    def bronnen(self) -> Bronregisters:
        return Bronregisters(
            self.personen,
            self.handelsregister,
            self.adressen,
            self.registerlog,
            span_ids=lambda: "2" * 16,
            millis=lambda: 5,
        )

    @property
    def wijzigen(self) -> ProfielWijzigen:
        return ProfielWijzigen(self.profielen, self.codes, self.berichten, self.bronnen, self.clock)

    def change(self, caller: PartijCaller, version: int, apply) -> StoredProfiel:
        stored, _ = self.wijzigen(Wijziging(caller, Versie(version), TRACE), lambda p, _: apply(p))
        return stored

    def add_email(self, caller: PartijCaller = BURGER, version: int = 0, adres: str = EMAIL):
        return self.change(
            caller,
            version,
            lambda p: core.add_contactgegeven(p, toevoegen("email", adres), uid(1))[0],
        )

    @property
    def bevestigen(self) -> CodeBevestigen:
        return CodeBevestigen(self.profielen, self.codes, self.bronnen, self.clock)

    @property
    def versturen(self) -> CodeVersturen:
        return CodeVersturen(self.profielen, self.codes, self.bronnen, self.clock)

    def verify(self, caller: PartijCaller = BURGER, adres: str = EMAIL):
        return self.bevestigen(caller, TRACE, uid(1), self.codes.last_code_to(adres))


@pytest.fixture
def world() -> World:
    return World(InMemoryProfielen(), InMemoryCodes(), InMemoryBerichten(), FixedClock(NOW))


# --- changing a profile ------------------------------------------------------------------------


def test_a_change_is_stored_with_who_when_and_in_which_trace(world: World) -> None:
    stored = world.add_email(VERTEGENWOORDIGER)
    assert stored.version == 1
    assert [c.adres for c in world.profielen.get("p-bedrijf").profiel.contactgegevens] == [EMAIL]
    [change] = world.profielen.changes
    assert (change.actor_role, change.actor, change.soort) == (
        ActorRole.VERTEGENWOORDIGER,
        "a-iemand",
        SoortIdentificator.KVK_NUMMER,
    )
    assert (change.at, change.trace_id, change.span_id) == (NOW, TRACE.trace_id, TRACE.span_id)


def test_a_new_address_gets_a_code_before_the_change_is_stored(world: World) -> None:
    world.add_email()
    assert [(p, a) for p, a, _ in world.codes.sent] == [("p-burger", EMAIL)]


def test_a_stale_version_is_refused_and_nothing_happens(world: World) -> None:
    world.add_email()
    with pytest.raises(DomainError) as refused:
        world.add_email(version=0, adres="ander@example.nl")
    assert refused.value.fout is Fout.VERSIE_VEROUDERD
    assert len(world.profielen.changes) == 1 and len(world.codes.sent) == 1


def test_someone_storing_first_makes_it_stale_too(world: World) -> None:
    world.profielen.races.append(Profiel())
    with pytest.raises(DomainError) as refused:
        world.add_email()
    assert refused.value.fout is Fout.VERSIE_VEROUDERD
    assert world.profielen.changes == []


def test_a_change_that_changes_nothing_stores_and_sends_nothing(world: World) -> None:
    world.add_email()
    stored = world.change(BURGER, 1, lambda profiel: profiel)
    assert stored.version == 1
    assert len(world.profielen.changes) == 1 and len(world.codes.sent) == 1


def test_without_notifynl_nothing_is_stored(world: World) -> None:
    world.codes.failing = True
    with pytest.raises(DomainError) as refused:
        world.add_email()
    assert refused.value.fout is Fout.NIET_BESCHIKBAAR
    assert world.profielen.get("p-burger").version == 0


def test_a_replaced_verified_address_is_told(world: World) -> None:
    world.add_email()
    _, version = world.verify()
    world.clock.now = NOW + timedelta(minutes=1)  # a new code to the detail: a minute later
    world.change(
        BURGER,
        version,
        lambda p: core.change_contactgegeven(p, uid(1), wijzigen({"adres": "nieuw@example.nl"})),
    )
    assert world.berichten.notices == [(EMAIL, AdresWijziging.VERVANGEN)]
    assert world.codes.sent[-1][1] == "nieuw@example.nl"


def test_an_unverified_address_replaced_is_not_told(world: World) -> None:
    world.add_email()
    world.clock.now = NOW + timedelta(minutes=1)
    world.change(
        BURGER,
        1,
        lambda p: core.change_contactgegeven(p, uid(1), wijzigen({"adres": "nieuw@example.nl"})),
    )
    assert world.berichten.notices == []


# --- verifying a contact detail ----------------------------------------------------------------


def test_the_right_code_verifies_the_detail_and_stores_a_version(world: World) -> None:
    world.add_email()
    contactgegeven, version = world.verify()
    assert contactgegeven.verificatie_datum is not None
    assert version == 2 and world.profielen.changes[-1].trace_id == TRACE.trace_id


def test_a_wrong_code_says_how_many_attempts_are_left_and_stores_nothing(world: World) -> None:
    world.add_email()
    with pytest.raises(DomainError) as refused:
        world.bevestigen(BURGER, TRACE, uid(1), "999999")
    assert refused.value.fout is Fout.CODE_ONJUIST
    assert "nog 4 keer" in refused.value.detail
    assert world.profielen.get("p-burger").version == 1


def test_a_code_is_not_for_another_partijs_detail(world: World) -> None:
    world.add_email()
    with pytest.raises(DomainError) as refused:
        world.verify(caller=VERTEGENWOORDIGER)
    assert refused.value.fout is Fout.NIET_GEVONDEN


def test_a_change_in_between_is_retried_not_lost(world: World) -> None:
    world.add_email()
    # Someone sets the postal address preference while the code is being checked.
    world.profielen.races.append(world.profielen.get("p-burger").profiel)
    contactgegeven, version = world.verify()
    assert contactgegeven.verificatie_datum is not None and version == 3


def test_a_new_code_is_sent_to_ones_own_detail_within_the_limits(world: World) -> None:
    world.add_email()
    versturen = world.versturen
    with pytest.raises(DomainError) as refused:
        versturen(BURGER, TRACE, uid(1))  # a minute has not passed since the code of adding it
    assert (refused.value.fout, refused.value.retry_after_seconds) == (Fout.TE_VEEL_VERZOEKEN, 60)
    world.clock.now = NOW + timedelta(minutes=1)
    answer = versturen(BURGER, TRACE, uid(1))
    assert answer["soortDigitaalAdres"] == "email"
    assert world.codes.sent[-1][1] == EMAIL
    with pytest.raises(DomainError) as unknown:
        versturen(BURGER, TRACE, uid(2))
    assert unknown.value.fout is Fout.NIET_GEVONDEN


def test_changing_an_address_within_a_minute_of_its_code_is_refused_and_nothing_stored(
    world: World,
) -> None:
    world.add_email()
    with pytest.raises(DomainError) as refused:
        world.change(
            BURGER,
            1,
            lambda p: core.change_contactgegeven(p, uid(1), wijzigen({"adres": "typo@example.nl"})),
        )
    assert refused.value.fout is Fout.TE_VEEL_VERZOEKEN
    assert world.profielen.get("p-burger").version == 1


# --- an organisation's lookup ------------------------------------------------------------------

GEMEENTE = "00000099000000000001"
ORGANISATIE = OrganisatieCaller(GEMEENTE)


def _gemeente() -> Organisatie:
    [organisatie] = [
        o
        for o in Register.model_validate_json(LOCAL_REGISTER.read_text()).root
        if o.oin == GEMEENTE
    ]
    return organisatie


@dataclass
class Lookups:
    world: World
    register: InMemoryRegister
    logboek: InMemoryLogboek

    @property
    def opvragen(self) -> Opvragen:
        return self._opvragen(span_ids=lambda: "1" * 16)

    def _opvragen(self, **more: object) -> Opvragen:
        return Opvragen(
            self.world.profielen,
            self.register,
            self.logboek,
            self.world.bronnen,
            self.world.clock,
            partij_keys=lambda soort, identificator: PartijKeys(f"p-{soort}-{identificator}"),
            **more,
        )

    def opvragen_at(self, millis: int) -> None:
        """One lookup of BSN whose records start at ``millis``."""
        opvragen = self._opvragen(span_ids=lambda: f"{millis:016x}", millis=lambda: millis)
        body = {"doel": "notificatie", "betrokkenen": [{"bsn": BSN}]}
        opvragen(ORGANISATIE.oin, Opvraging.model_validate(body).vraag, TRACE_OF_CALLER)

    def ask(self, *bsns: str, doel: str = "notificatie", **extra: object) -> list[dict]:
        body = {"doel": doel, "betrokkenen": [{"bsn": b} for b in bsns], **extra}
        return ask_with(self.opvragen, body)


def ask_with(opvragen: Opvragen, body: dict) -> list[dict]:
    """The answers of /opvragingen to this body, as its function renders them."""
    opvraging = Opvraging.model_validate(body)
    opgevraagd = opvragen(ORGANISATIE.oin, opvraging.vraag, TRACE_OF_CALLER)
    return answers(opgevraagd, opvraging.dienst, opvraging.alleen_bereikbaarheid)


TRACE_OF_CALLER = TraceContext("5bf92f3577b34da6a3ce929d0e0e4736", "1" * 16, "00f067aa0ba902b7")
BSN, OTHER_BSN = "999993653", "100600505"


@pytest.fixture
def lookups(world: World) -> Lookups:
    key = f"p-{SoortIdentificator.BSN}-{BSN}"
    world.add_email(PartijCaller(subject_for(bsn=BSN), partij=key, actor=None))
    world.verify(PartijCaller(subject_for(bsn=BSN), partij=key, actor=None))
    return Lookups(world, InMemoryRegister({GEMEENTE: _gemeente()}), InMemoryLogboek())


def test_a_granted_purpose_gets_verified_details_after_one_record_per_subject(
    lookups: Lookups,
) -> None:
    first, absent = lookups.ask(BSN, OTHER_BSN, BSN)[:2]
    assert first["gegevens"]["email"] == EMAIL and absent == {"beschikbaar": False}
    records = lookups.logboek.verwerkingen
    assert len(records) == 2  # asked three times, two data subjects
    assert {r.trace_id for r in records} == {TRACE_OF_CALLER.trace_id}
    assert {r.parent_span_id for r in records} == {TRACE_OF_CALLER.parent_span_id}
    assert {(r.oin, r.doel) for r in records} == {(GEMEENTE, "notificatie")}


def test_a_purpose_without_a_grant_is_refused_and_nothing_recorded(lookups: Lookups) -> None:
    with pytest.raises(DomainError) as refused:
        lookups.ask(BSN, doel="iets-anders")
    assert refused.value.fout is Fout.GEEN_TOEGANG
    assert lookups.logboek.verwerkingen == []


def test_an_unknown_service_is_invalid_input(lookups: Lookups) -> None:
    with pytest.raises(DomainError) as refused:
        lookups.ask(BSN, dienst="hondenbelasting")
    assert [p.name for p in refused.value.invalid_params] == ["dienst"]


def test_without_the_logboek_nothing_is_told(lookups: Lookups) -> None:
    lookups.logboek.failing = True
    with pytest.raises(DomainError) as refused:
        lookups.ask(BSN)
    assert refused.value.fout is Fout.NIET_BESCHIKBAAR
    assert EMAIL not in refused.value.detail


# --- reading one's own profile and what happened to it -----------------------------------------


def test_a_contact_detail_is_read_only_from_ones_own_profile(world: World) -> None:
    world.add_email()
    lezen = ProfielLezen(world.profielen, InMemoryRegister(), world.bronnen, world.clock)
    contactgegeven, version = lezen.contactgegeven(BURGER, uid(1))
    assert (contactgegeven.adres, version) == (EMAIL, 1)
    with pytest.raises(DomainError) as refused:
        lezen.contactgegeven(VERTEGENWOORDIGER, uid(1))
    assert refused.value.fout is Fout.NIET_GEVONDEN


def test_per_organisation_shows_each_detail_as_it_counts_now(world: World) -> None:
    world.add_email()
    world.verify()
    register = InMemoryRegister({GEMEENTE: _gemeente()})
    lezen = ProfielLezen(world.profielen, register, world.bronnen, world.clock)
    shown: list[datetime] = []

    def weergave(contactgegeven, now: datetime) -> dict:
        shown.append(now)
        return {"adres": contactgegeven.adres}

    [per], version = lezen.per_organisatie(BURGER, weergave)
    assert per["oin"] == GEMEENTE and per["email"] == {"adres": EMAIL} and version == 2
    assert set(shown) == {NOW}


def test_the_inzage_is_the_callers_lookups_newest_first_in_pages(lookups: Lookups) -> None:
    for n in range(3):
        lookups.opvragen_at(1_000 + n)
    key = f"p-{SoortIdentificator.BSN}-{BSN}"
    caller = PartijCaller(subject_for(bsn=BSN), partij=key, actor=None)
    inzage = InzageLezen(lookups.logboek, lookups.register)
    first = inzage(caller, 2, None)
    assert [a["startTime"] for a in first["processingActivities"]] == [1_002, 1_001]
    assert first["processingActivities"][0]["organisatie"]["naam"] == "Gemeente Voorbeeldstad"
    rest = inzage(caller, 2, first["volgende"])
    assert [a["startTime"] for a in rest["processingActivities"]] == [1_000]
    assert rest["volgende"] is None
    assert inzage(BURGER, 10, None)["processingActivities"] == []  # another partij's: none


def test_the_history_is_newest_first_without_values(world: World) -> None:
    trail = InMemoryAudittrail()
    for versie in (1, 2):
        trail.records.append(
            AuditRecord(
                "p-burger",
                volgnummer(versie),
                Actie.GEWIJZIGD,
                ("voorkeuren.taal",),
                versie - 1,
                versie,
                "burger",
                None,
                f"2026-11-30T12:0{versie}:00+00:00",
                TRACE.trace_id,
            )
        )
    changes = HistorieLezen(trail)(BURGER)
    assert [c["versie"] for c in changes] == [2, 1]
    assert HistorieLezen(trail)(VERTEGENWOORDIGER) == []


def test_the_export_holds_profile_history_and_lookups_and_is_itself_logged(
    lookups: Lookups,
) -> None:
    from functions.get_profile.usecases import ProfielExporteren

    world = lookups.world
    lookups.opvragen_at(1_000)
    key = f"p-{SoortIdentificator.BSN}-{BSN}"
    caller = PartijCaller(subject_for(bsn=BSN), partij=key, actor=None)
    lezen = ProfielLezen(world.profielen, lookups.register, world.bronnen, world.clock)
    trail = InMemoryAudittrail()
    exporteren = ProfielExporteren(
        lezen,
        trail,
        lookups.logboek,
        world.registerlog,
        lambda: 7,
        contactmomenten=InMemoryContactmomenten(),
    )
    export = exporteren(caller, TRACE)
    assert export.stored.version == 2 and export.stored.profiel.contactgegevens[0].adres == EMAIL
    assert [a["startTime"] for a in export.inzage] == [1_000]
    [logged] = [v for v in world.registerlog.verwerkingen if v.name == "exporteren eigen gegevens"]
    assert (logged.data_subject_id, logged.oin, logged.trace_id) == (key, None, TRACE.trace_id)

    world.registerlog.failing = True  # without its record the export does not leave
    with pytest.raises(DomainError) as refused:
        exporteren(caller, TRACE)
    assert refused.value.fout is Fout.NIET_BESCHIKBAAR


# --- erasure -------------------------------------------------------------------------------------


def test_erasure_tells_verified_addresses_forgets_codes_and_a_new_profile_follows(
    world: World,
) -> None:
    from functions.update_profile.usecases import ProfielWissen

    world.add_email()
    world.verify()
    wissen = ProfielWissen(
        world.profielen,
        world.codes,
        world.berichten,
        world.clock,
        contactmomenten=InMemoryContactmomenten(),
    )
    with pytest.raises(DomainError) as stale:
        wissen(Wijziging(BURGER, Versie(1), TRACE))
    assert stale.value.fout is Fout.VERSIE_VEROUDERD
    version = wissen(Wijziging(BURGER, Versie(2), TRACE))
    assert version == 3
    assert world.berichten.notices == [(EMAIL, AdresWijziging.VERWIJDERD)]
    assert world.profielen.get("p-burger") == StoredProfiel(Profiel(), 3)
    assert world.profielen.get_many(["p-burger"]) == {}  # lookups find nothing
    assert world.profielen.changes[-1].actor_role is BURGER.rol
    # Its verification state is gone: a code check finds no code at all.
    checked = world.codes.check("p-burger", _email_detail(), "000001", NOW)
    assert checked.uitkomst is Uitkomst.GEEN_CODE
    # A new profile continues after the erasure.
    assert world.add_email(version=3).version == 4
    with pytest.raises(DomainError) as nothing:
        wissen(Wijziging(VERTEGENWOORDIGER, Versie(0), TRACE))
    assert nothing.value.fout is Fout.NIET_GEVONDEN


def _email_detail():
    from shared.models.profiel import Contactgegeven, SoortDigitaalAdres

    return Contactgegeven(id=uid(1), soort_digitaal_adres=SoortDigitaalAdres.EMAIL, adres=EMAIL)
