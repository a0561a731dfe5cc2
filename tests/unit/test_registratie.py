"""The use cases with the registers at the source (BRP, Handelsregister, BAG) as in-memory fakes:
what the service does with what a register says, and that each read from a register is logged.
The register clients themselves are tested over HTTP (test_register_clients.py, and against the
stand-ins in tests/integration)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date

import pytest

from functions.get_profile.usecases import ProfielLezen
from functions.update_profile import core
from functions.update_profile.usecases import Wijziging
from shared.errors import DomainError, Fout
from shared.identity.access import PartijCaller
from shared.identity.subject import ActorRole, Subject
from shared.models.bronnen import (
    BagAdres,
    Bron,
    Bronlezing,
    Gelezen,
    Persoon,
    RegistratieAdres,
    Vestigingsprofiel,
)
from shared.models.partij import SoortIdentificator
from shared.models.profiel import ContactnaamZetten, NederlandsPostadresInvoer
from shared.registratie import DOEL, PROCESSOR, VERWERKINGSACTIVITEIT
from tests.builders import uid
from tests.fakes import InMemoryRegister
from tests.unit.test_usecases import (
    BSN,
    BURGER,
    EMAIL,
    TRACE,
    TRACE_OF_CALLER,
    VERTEGENWOORDIGER,
    Lookups,
    Versie,
    World,
)

MOULIN = Persoon(
    adressering=RegistratieAdres("Boterdiep 31", "3077 AW  ROTTERDAM"),
    aanhef="Geachte mevrouw Moulin",
    aanschrijfwijze="S. Moulin",
    gebruik_in_lopende_tekst="mevrouw Moulin",
)
OVERLEDEN = Persoon(overleden=True, opschorting_reden="O")
GEEMIGREERD = Persoon(opschorting_reden="E")
BOTERDIEP = BagAdres("Boterdiep", 31, None, None, "3077 AW", "Rotterdam", "0599200000219678")
BOTERDIEP_A = BagAdres("Boterdiep", 31, "A", None, "3077 AW", "Rotterdam", "0599200000219679")


def _invoer(**fields: object) -> NederlandsPostadresInvoer:
    return NederlandsPostadresInvoer.model_validate(
        {"soort": "nederlands", "postcode": "3077aw", "huisnummer": 31, **fields}
    )


# --- the owner's profile -----------------------------------------------------------------------


def test_the_profile_shows_the_brp_registration_and_logs_one_read(world: World) -> None:
    world.personen.personen["999993653"] = MOULIN
    lezen = ProfielLezen(world.profielen, InMemoryRegister(), world.bronnen, world.clock)
    _, registratie = lezen.profiel(BURGER, TRACE)
    assert registratie.bron is Bron.BRP and registratie.persoon is MOULIN
    [record] = world.registerlog.verwerkingen
    assert (record.name, record.data_subject_id, record.oin, record.doel) == (
        "raadplegen BRP",
        "p-burger",
        None,
        DOEL,
    )
    assert record.trace_id == TRACE.trace_id
    assert record.attributes["dpl.core.foreign_operation.processor"] == PROCESSOR[Bron.BRP]
    assert record.processing_activity_id == VERWERKINGSACTIVITEIT
    # A second read within the cache's lifetime reads nothing at the source, and logs nothing.
    lezen.profiel(BURGER, TRACE)
    assert len(world.registerlog.verwerkingen) == 1 and world.personen.reads == ["999993653"]


def test_a_register_outage_marks_the_registration_unavailable_not_the_profile(
    world: World,
) -> None:
    world.add_email()
    logged = len(world.registerlog.verwerkingen)
    world.personen.failing = True
    lezen = ProfielLezen(world.profielen, InMemoryRegister(), world.bronnen, world.clock)
    stored, registratie = lezen.profiel(BURGER, TRACE)
    assert stored.version == 1 and not registratie.beschikbaar
    assert len(world.registerlog.verwerkingen) == logged


def test_a_company_shows_its_kvk_registration(world: World) -> None:
    lezen = ProfielLezen(world.profielen, InMemoryRegister(), world.bronnen, world.clock)
    _, registratie = lezen.profiel(VERTEGENWOORDIGER, TRACE)
    assert registratie.bron is Bron.KVK and registratie.onderneming.naam == "Test BV Donald"
    [record] = world.registerlog.verwerkingen
    assert record.name == "raadplegen Handelsregister"


# --- beside the store's read: on a thread only when a register must be asked --------------------


def _threads_asking_the_brp(world: World, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of the thread each BRP read (from its cache or the register) runs on."""
    threads: list[str] = []
    real = world.personen.raadpleeg

    def raadpleeg(
        bsns: Sequence[str], bij_lezen: Bronlezing | None = None
    ) -> dict[str, Gelezen[Persoon | None]]:
        threads.append(threading.current_thread().name)
        return real(bsns, bij_lezen)

    monkeypatch.setattr(world.personen, "raadpleeg", raadpleeg)
    return threads


def test_a_register_that_must_be_asked_is_asked_on_another_thread_and_logged_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.personen.personen["999993653"] = MOULIN
    threads = _threads_asking_the_brp(world, monkeypatch)
    assert world.bronnen.van_intussen(BURGER, TRACE).result().persoon is MOULIN
    # First from the caches, here; the answer is not there, so the read goes to a thread.
    assert threads[0] == threading.current_thread().name
    assert threads[1].startswith("bronregister")
    assert [r.name for r in world.registerlog.verwerkingen] == ["raadplegen BRP"]
    assert world.personen.reads == ["999993653"]


def test_a_registration_the_caches_hold_is_answered_without_a_thread(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.personen.personen["999993653"] = MOULIN
    world.bronnen.van(BURGER, TRACE)
    threads = _threads_asking_the_brp(world, monkeypatch)
    answered = world.bronnen.van_intussen(BURGER, TRACE)
    assert answered.done() and answered.result().persoon is MOULIN
    assert threads == [threading.current_thread().name]
    assert len(world.registerlog.verwerkingen) == 1  # the first read's only


def test_a_refusal_from_the_caches_comes_with_the_answer_not_before_it(world: World) -> None:
    world.bronnen.van(VERTEGENWOORDIGER, TRACE)  # the company, now in the cache
    answered = world.bronnen.van_intussen(_branch("000099999999"), TRACE)
    with pytest.raises(DomainError) as refused:
        answered.result()
    assert refused.value.fout is Fout.GEEN_TOEGANG


# --- no longer kept at the source: read-only, nothing sent ---------------------------------------


@pytest.mark.parametrize("persoon", [OVERLEDEN, GEEMIGREERD], ids=["overleden", "geemigreerd"])
def test_a_person_the_brp_no_longer_keeps_can_only_be_read(world: World, persoon: Persoon) -> None:
    world.add_email()
    world.personen.personen["999993653"] = persoon
    sent = len(world.codes.sent)
    with pytest.raises(DomainError) as refused:
        world.add_email(version=1, adres="ander@example.nl")
    assert refused.value.fout is Fout.ALLEEN_LEZEN
    with pytest.raises(DomainError) as no_code:
        world.versturen(BURGER, TRACE, uid(1))
    assert no_code.value.fout is Fout.ALLEEN_LEZEN
    assert len(world.codes.sent) == sent and world.profielen.get("p-burger").version == 1


def test_a_brp_outage_does_not_stop_a_persons_change(world: World) -> None:
    world.personen.failing = True
    assert world.add_email().version == 1


def test_a_company_gone_from_the_register_can_only_be_read(world: World) -> None:
    del world.handelsregister.ondernemingen["68750110"]
    with pytest.raises(DomainError) as refused:
        world.add_email(VERTEGENWOORDIGER)
    assert refused.value.fout is Fout.ALLEEN_LEZEN


def _branch(vestigingsnummer: str) -> PartijCaller:
    subject = Subject(
        SoortIdentificator.KVK_NUMMER,
        "68750110",
        ActorRole.VERTEGENWOORDIGER,
        "iemand",
        vestigingsnummer=vestigingsnummer,
    )
    return PartijCaller(subject, partij="p-bedrijf", actor="a-iemand")


def test_a_branch_representative_sees_the_branch_and_both_reads_are_logged(world: World) -> None:
    world.handelsregister.vestigingen["000037178601"] = Vestigingsprofiel(
        "000037178601", "68750110", "Test BV Donald", ("Test BV Donald",), None
    )
    lezen = ProfielLezen(world.profielen, InMemoryRegister(), world.bronnen, world.clock)
    _, registratie = lezen.profiel(_branch("000037178601"), TRACE)
    assert registratie.vestiging.vestigingsnummer == "000037178601"
    assert [r.name for r in world.registerlog.verwerkingen] == ["raadplegen Handelsregister"] * 2
    world.handelsregister.failing = True  # the branch cannot be confirmed: refused
    with pytest.raises(DomainError):
        world.add_email(_branch("000037178601"))


def test_a_branch_representative_must_represent_a_branch_of_the_company(world: World) -> None:
    assert world.add_email(_branch("000037178601")).version == 1
    with pytest.raises(DomainError) as refused:
        world.add_email(_branch("000099999999"), version=1, adres="ander@example.nl")
    assert refused.value.fout is Fout.GEEN_TOEGANG
    # Without the Handelsregister the branch cannot be confirmed: no change.
    world.handelsregister.failing = True
    with pytest.raises(DomainError) as unavailable:
        world.add_email(_branch("000037178601"), version=1, adres="ander@example.nl")
    assert unavailable.value.fout is Fout.NIET_BESCHIKBAAR


# --- the contactnaam ---------------------------------------------------------------------------


def test_the_contactnaam_is_taken_from_the_register_on_request(world: World) -> None:
    world.personen.personen["999993653"] = MOULIN
    stored, _ = world.wijzigen(
        Wijziging(BURGER, Versie(0), TRACE),
        lambda p, registratie: core.set_contactnaam(
            p, ContactnaamZetten(uit_register=True), registratie
        ),
    )
    assert stored.profiel.contactnaam == "S. Moulin"
    stored, _ = world.wijzigen(
        Wijziging(VERTEGENWOORDIGER, Versie(0), TRACE),
        lambda p, registratie: core.set_contactnaam(
            p, ContactnaamZetten(uit_register=True), registratie
        ),
    )
    assert stored.profiel.contactnaam == "Test BV Donald"


def test_a_contactnaam_is_one_of_own_or_from_the_register() -> None:
    with pytest.raises(ValueError):
        ContactnaamZetten()
    with pytest.raises(ValueError):
        ContactnaamZetten(contactnaam="Suus", uit_register=True)


# --- the BAG -----------------------------------------------------------------------------------


def test_a_dutch_address_is_completed_from_the_bag_with_its_reference(world: World) -> None:
    world.adressen.adressen = [BOTERDIEP, BOTERDIEP_A]
    wijziging = Wijziging(BURGER, Versie(0), TRACE)
    adres = world.wijzigen.postadres(wijziging, _invoer(straat="Botterdiep"))
    assert (adres.straat, adres.woonplaats, adres.postcode) == ("Boterdiep", "Rotterdam", "3077 AW")
    assert adres.nummeraanduiding_identificatie == "0599200000219678"
    assert adres.gecontroleerd_op == date(2026, 11, 30)
    assert world.wijzigen.postadres(wijziging, _invoer(huisletter="a")).huisletter == "A"
    [record] = world.registerlog.verwerkingen  # the second search came from the cache
    assert (record.name, record.data_subject_id) == ("raadplegen BAG", "p-burger")


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"huisnummer": 33}, "huisnummer"),
        ({"huisletter": "B"}, "huisletter"),
        ({"huisnummertoevoeging": "2"}, "huisnummertoevoeging"),
    ],
)
def test_an_address_the_bag_does_not_have_is_invalid_naming_the_field(
    world: World, fields: dict, named: str
) -> None:
    world.adressen.adressen = [BOTERDIEP, BOTERDIEP_A]
    with pytest.raises(DomainError) as refused:
        world.wijzigen.postadres(Wijziging(BURGER, Versie(0), TRACE), _invoer(**fields))
    assert refused.value.fout is Fout.ONGELDIGE_INVOER
    assert [p.name for p in refused.value.invalid_params] == [named]


def test_without_the_bag_an_address_is_not_stored(world: World) -> None:
    world.adressen.failing = True
    with pytest.raises(DomainError) as refused:
        world.wijzigen.postadres(Wijziging(BURGER, Versie(0), TRACE), _invoer())
    assert refused.value.fout is Fout.NIET_BESCHIKBAAR
    assert "BAG" in refused.value.detail


# --- an organisation's lookup ------------------------------------------------------------------


def test_a_deceased_person_answers_as_absent(lookups: Lookups) -> None:
    lookups.world.personen.personen[BSN] = OVERLEDEN
    lookups.world.personen.expire()
    assert lookups.ask(BSN) == [{"beschikbaar": False}]
    in_trace = lookups.world.registerlog.verwerkingen
    [brp_read] = [v for v in in_trace if v.trace_id == TRACE_OF_CALLER.trace_id]
    assert brp_read.name == "raadplegen BRP"


def test_only_partijen_that_would_be_answered_are_looked_up_at_the_source(
    lookups: Lookups,
) -> None:
    lookups.world.personen.expire()
    lookups.world.personen.reads.clear()
    lookups.ask(BSN, "100600505")  # the second has no profile
    assert lookups.world.personen.reads == [BSN]


def test_without_the_brp_a_lookup_tells_nothing(lookups: Lookups) -> None:
    lookups.world.personen.failing = True
    with pytest.raises(DomainError) as refused:
        lookups.ask(BSN)
    assert refused.value.fout is Fout.NIET_BESCHIKBAAR
    assert lookups.logboek.verwerkingen == []


def test_the_registered_address_is_never_passed_on_only_its_source(lookups: Lookups) -> None:
    lookups.world.personen.personen[BSN] = MOULIN
    [answer] = lookups.ask(BSN, doel="aanslag-versturen")
    gegevens = answer["gegevens"]
    assert gegevens["postadres"] is None and gegevens["postadresBron"] == "brp"
    assert "Boterdiep" not in str(answer) and "Moulin" not in str(answer)
    assert gegevens["email"] == EMAIL


def test_a_register_read_the_logboek_cannot_record_is_not_used(world: World) -> None:
    world.personen.personen["999993653"] = MOULIN
    world.registerlog.failing = True
    lezen = ProfielLezen(world.profielen, InMemoryRegister(), world.bronnen, world.clock)
    with pytest.raises(DomainError) as refused:
        lezen.profiel(BURGER, TRACE)
    assert refused.value.fout is Fout.NIET_BESCHIKBAAR
    assert "Logboek" in refused.value.detail
