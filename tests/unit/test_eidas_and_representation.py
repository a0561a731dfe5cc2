"""A person known only by an eIDAS identifier, and someone acting for another person, in the use
cases (in-memory fakes): no register for the first, doelbinding per kind of partij in lookups,
the LDV's name of the kind, and a representative's changes stored with their role.

The claims that make these callers are tested in test_subject.py; over HTTP in
tests/integration/test_representation.py and the authorisation matrix.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from functions.get_profile.usecases import ProfielLezen
from functions.lookup_preferences.core import Betrokkene
from functions.update_profile import core
from functions.update_profile.usecases import Wijziging
from shared.errors import DomainError, Fout
from shared.identity.access import PartijCaller
from shared.identity.subject import ActorRole, Subject
from shared.models.antwoorden import GetoondeRegistratie
from shared.models.bronnen import AdresVraag, Registratie, geen_basisregistratie
from shared.models.partij import SoortIdentificator, ldv_id_type
from shared.models.profiel import ContactnaamZetten
from shared.models.register import Doel, Organisatie
from tests.fakes import InMemoryRegister
from tests.unit.test_usecases import (
    BSN,
    EMAIL,
    GEMEENTE,
    TRACE,
    Lookups,
    Versie,
    World,
    _gemeente,
    ask_with,
)

EIDAS = "ES/NL/02635542Y"
EIDAS_KEY = f"p-{SoortIdentificator.EIDAS}-{EIDAS}"  # the lookups' partij_key of the fakes
EIDAS_BURGER = PartijCaller(
    Subject(SoortIdentificator.EIDAS, EIDAS, ActorRole.BURGER), partij=EIDAS_KEY, actor=None
)


# --- a person known by eIDAS only: no basisregistratie ------------------------------------------


def test_an_eidas_partij_has_a_registration_without_a_source_read_nowhere(world: World) -> None:
    lezen = ProfielLezen(world.profielen, InMemoryRegister(), world.bronnen, world.clock)
    _, registratie = lezen.profiel(EIDAS_BURGER, TRACE)
    assert registratie == geen_basisregistratie()
    assert registratie.bron is None and registratie.beschikbaar and registratie.bijgehouden
    assert not registratie.bekend
    # Nothing asked at any source, so nothing for the Logboek.
    assert world.personen.reads == [] and world.handelsregister.reads == []
    assert world.registerlog.verwerkingen == []


def test_an_eidas_partij_shows_bron_geen() -> None:
    shown = GetoondeRegistratie.van(geen_basisregistratie()).model_dump(mode="json", by_alias=True)
    assert shown == {"bron": "geen", "beschikbaar": True, "bijgehouden": True}


def test_a_registration_without_a_source_can_be_neither_unavailable_nor_known() -> None:
    with pytest.raises(ValueError):
        Registratie(None, beschikbaar=False)


def test_an_eidas_partij_maintains_its_profile(world: World) -> None:
    stored = world.add_email(EIDAS_BURGER)
    assert stored.version == 1
    [change] = world.profielen.changes
    assert (change.soort, change.actor_role, change.actor) == (
        SoortIdentificator.EIDAS,
        ActorRole.BURGER,
        None,
    )


def test_an_eidas_partij_names_itself(world: World) -> None:
    """No register has a name for it: a contactnaam "from the register" is a conflict."""
    with pytest.raises(DomainError) as refused:
        world.wijzigen(
            Wijziging(EIDAS_BURGER, Versie(0), TRACE),
            lambda p, r: core.set_contactnaam(p, ContactnaamZetten(uit_register=True), r),
        )
    assert refused.value.fout is Fout.CONFLICT
    stored, _ = world.wijzigen(
        Wijziging(EIDAS_BURGER, Versie(0), TRACE),
        lambda p, r: core.set_contactnaam(p, ContactnaamZetten(contactnaam="J. García"), r),
    )
    assert stored.profiel.contactnaam == "J. García"


# --- lookups: doelbinding per kind of partij -----------------------------------------------------


@pytest.fixture
def eidas_lookups(lookups: Lookups) -> Lookups:
    """The lookups' world with an eIDAS partij too: one verified e-mail address."""
    lookups.world.add_email(EIDAS_BURGER)
    lookups.world.verify(EIDAS_BURGER)
    lookups.world.personen.reads.clear()
    lookups.world.registerlog.verwerkingen.clear()
    return lookups


def ask(lookups: Lookups, *betrokkenen: dict[str, str], doel: str) -> list[dict[str, Any]]:
    body = {"doel": doel, "betrokkenen": list(betrokkenen)}
    return ask_with(lookups.opvragen, body)


def test_a_purpose_that_covers_eidas_answers_for_an_eidas_partij(eidas_lookups: Lookups) -> None:
    [answer] = ask(eidas_lookups, {"eidas": EIDAS}, doel="notificatie")
    assert answer["beschikbaar"] is True and answer["gegevens"]["email"] == EMAIL
    # Read at no source, and one record of the lookup, naming the kind of pseudonym.
    assert eidas_lookups.world.personen.reads == []
    assert eidas_lookups.world.registerlog.verwerkingen == []
    [record] = eidas_lookups.logboek.verwerkingen
    assert record.data_subject_id == EIDAS_KEY
    assert record.data_subject_id_type == ldv_id_type(SoortIdentificator.EIDAS)
    assert record.data_subject_id_type.endswith(":eIDAS")


def test_a_purpose_without_eidas_answers_as_absent_and_reads_nothing(
    eidas_lookups: Lookups,
) -> None:
    """``aanslag-versturen`` names no ``soorten``: BSN and KVK-nummer only. The eIDAS partij
    with a profile looks exactly like one without; the lookup is still recorded."""
    reads: list[object] = []
    get_many = eidas_lookups.world.profielen.get_many
    eidas_lookups.world.profielen.get_many = lambda keys: reads.append(list(keys)) or get_many(keys)
    found, absent = ask(
        eidas_lookups,
        {"bsn": BSN},
        {"eidas": EIDAS},
        doel="aanslag-versturen",
    )
    assert found["beschikbaar"] is True
    assert absent == {"beschikbaar": False}
    assert absent == ask(eidas_lookups, {"eidas": "DE/NL/NIEMAND"}, doel="notificatie")[0]
    assert EIDAS_KEY not in reads[0]  # not even read from the store
    kinds = {r.data_subject_id: r.data_subject_id_type for r in eidas_lookups.logboek.verwerkingen}
    assert kinds[EIDAS_KEY] == ldv_id_type(SoortIdentificator.EIDAS)


def test_a_purpose_without_bsn_answers_a_burger_as_absent(eidas_lookups: Lookups) -> None:
    alleen_eidas = (
        _gemeente().doel("notificatie").model_copy(update={"soorten": (SoortIdentificator.EIDAS,)})
    )
    eidas_lookups.register.organisaties[GEMEENTE] = _gemeente().model_copy(
        update={"doelen": (alleen_eidas,)}
    )
    burger, eidas = ask(eidas_lookups, {"bsn": BSN}, {"eidas": EIDAS}, doel="notificatie")
    assert burger == {"beschikbaar": False} and eidas["beschikbaar"] is True


def test_an_eidas_partij_has_no_registered_address_to_point_to(eidas_lookups: Lookups) -> None:
    postadres = Doel.model_validate(
        {
            "code": "post",
            "omschrijving": "Post",
            "grondslag": "Een wet",
            "verwerkingsactiviteit": "https://register.example.nl/post",
            "velden": ["postadres"],
            "soorten": ["bsn", "eidas"],
        }
    )
    eidas_lookups.register.organisaties[GEMEENTE] = Organisatie(
        oin=GEMEENTE, naam="Gemeente", doelen=(postadres,)
    )
    burger, eidas = ask(eidas_lookups, {"bsn": BSN}, {"eidas": EIDAS}, doel="post")
    assert burger["gegevens"] == {"postadres": None, "postadresBron": "brp"}
    assert eidas["gegevens"] == {"postadres": None, "postadresBron": "geen"}


@pytest.mark.parametrize(
    "betrokkene",
    [
        {"eidas": "NL/NL/123"},
        {"eidas": "ES/AT/02635542Y"},
        {"eidas": EIDAS, "bsn": BSN},
        {"eidas": None},
        {},
    ],
)
def test_a_betrokkene_is_exactly_one_valid_identifier(betrokkene: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        Betrokkene.model_validate(betrokkene)
    assert "NL/NL/123" not in str(caught.value.errors(include_input=False))


def test_a_betrokkene_by_eidas_identifier() -> None:
    assert Betrokkene.model_validate({"eidas": EIDAS}).identificator == (
        SoortIdentificator.EIDAS,
        EIDAS,
    )


def _doel(**changes: Any) -> dict[str, Any]:
    return {
        "code": "notificatie",
        "omschrijving": "Een bericht",
        "grondslag": "Awb 2:14",
        "verwerkingsactiviteit": "https://register.example.nl/notificatie",
        "velden": ["email"],
        **changes,
    }


def test_a_purpose_covers_burgers_and_companies_unless_it_says_otherwise() -> None:
    assert Doel.model_validate(_doel()).soorten == (
        SoortIdentificator.BSN,
        SoortIdentificator.KVK_NUMMER,
    )
    assert Doel.model_validate(_doel(soorten=["eidas"])).soorten == (SoortIdentificator.EIDAS,)


@pytest.mark.parametrize("soorten", [[], ["bsn", "bsn"], ["vestigingsnummer"], ["rsin"], ["BSN"]])
def test_a_purpose_names_kinds_of_partij_it_can_be_asked_about(soorten: list[str]) -> None:
    with pytest.raises(ValidationError):
        Doel.model_validate(_doel(soorten=soorten))


# --- acting for another person -----------------------------------------------------------------

REPRESENTED = "999993653"  # the lookups' BSN, whose profile the fixtures make


@pytest.mark.parametrize("rol", [ActorRole.GEMACHTIGDE, ActorRole.CURATOR, ActorRole.BEWINDVOERDER])
def test_a_representatives_change_is_stored_with_their_role_on_the_persons_profile(
    world: World, rol: ActorRole
) -> None:
    """The partij is the represented person (one profile, whoever acts); who acted is kept as a
    pseudonym (``actor``) with the role, which the audit trail and the history show."""
    caller = PartijCaller(
        Subject(SoortIdentificator.BSN, REPRESENTED, rol, actor_identifier="999990342"),
        partij="p-burger",
        actor="a-vertegenwoordiger",
    )
    world.add_email(caller)
    [change] = world.profielen.changes
    assert (change.actor_role, change.actor, change.soort) == (
        rol,
        "a-vertegenwoordiger",
        SoortIdentificator.BSN,
    )
    assert world.profielen.get("p-burger").profiel.contactgegevens[0].adres == EMAIL
    # A registration as the person's own: the BRP's, read for them.
    assert world.personen.reads == [REPRESENTED]
    assert {v.data_subject_id for v in world.registerlog.verwerkingen} == {"p-burger"}
    assert world.registerlog.verwerkingen[0].name == "raadplegen BRP"


def test_a_bag_read_for_an_eidas_partij_is_logged_under_its_kind(world: World) -> None:
    lezen = ProfielLezen(world.profielen, InMemoryRegister(), world.bronnen, world.clock)
    lezen.adressen(EIDAS_BURGER, AdresVraag("3077 AW", 31), TRACE)
    [record] = world.registerlog.verwerkingen
    assert record.name == "raadplegen BAG" and record.data_subject_id == EIDAS_KEY
    assert record.data_subject_id_type == ldv_id_type(SoortIdentificator.EIDAS)
