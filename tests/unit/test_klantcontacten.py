"""record-contact: the write-backs of Open Klant's clients - the pure core (what is kept, what is
answered) and the use cases with in-memory ports - and what the partij then reads, exports and
erases."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from pydantic import ValidationError

from functions.access_log.usecases import ContactmomentenLezen
from functions.klantcontacten import core
from functions.klantcontacten.usecases import (
    VERWERKING_ADRES,
    VERWERKING_CONTACTMOMENT,
    Klantcontacten,
)
from functions.update_profile.core import add_contactgegeven, set_delen
from functions.update_profile.usecases import ProfielWissen, Wijziging
from functions.verify_contact.core import verified
from shared.errors import DomainError, Fout
from shared.identity.access import OrganisatieCaller, PartijCaller, PartijKeys
from shared.identity.subject import ActorRole, subject_for
from shared.identity.verwijzing import Verwezen
from shared.models.bronnen import Persoon
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Delen, Profiel, SoortDigitaalAdres, VerificatieStatus
from shared.models.register import Doel, Organisatie
from shared.ports import StoredProfiel
from shared.registratie import Bronregisters
from shared.tracing import TraceContext
from tests.builders import toevoegen, uid
from tests.fakes import (
    FixedClock,
    InMemoryAdressen,
    InMemoryBerichten,
    InMemoryCodes,
    InMemoryContactmomenten,
    InMemoryHandelsregister,
    InMemoryLogboek,
    InMemoryPersonen,
    InMemoryProfielen,
    InMemoryRegister,
)

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
GEMEENTE, WATERSCHAP = "00000099000000000001", "00000099000000000003"
BSN = "999993653"
PARTIJ = "a" * 64
PARTIJ_UUID = "0d5e6f7a-1b2c-4d3e-8f4a-5b6c7d8e9f0a"  # the municipality's UUID of that partij
TRACE = TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "1111111111111111")
URLS = core.Urls("https://profiel.example.nl/klantinteracties/api/v1")
MESSAGE = "Beste inwoner, uw vergunning PV-2026-123 is verleend."

KLANTCONTACT = {
    "kanaal": "Email",
    "onderwerp": "Uw parkeervergunning",
    "inhoud": MESSAGE,
    "reactie": "Dank u",
    "indicatieContactGelukt": True,
    "taal": "nl",
    "vertrouwelijk": True,
    "plaatsgevondenOp": "2026-11-22T11:00:00+01:00",
    "metadata": {"zaak": "PV-2026-123"},
}


def klantcontact(**changes: object) -> core.KlantcontactInvoer:
    return core.KlantcontactInvoer.model_validate({**KLANTCONTACT, **changes})


# --- the core: what is kept of a klantcontact -----------------------------------------------------


def test_only_the_contact_moment_is_kept_never_the_message() -> None:
    moment = core.contactmoment(klantcontact(), GEMEENTE, uid(1), NOW)
    assert (moment.oin, moment.kanaal, moment.onderwerp, moment.gelukt) == (
        GEMEENTE,
        "Email",
        "Uw parkeervergunning",
        True,
    )
    assert moment.tijdstip == datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    assert MESSAGE not in repr(moment) and "PV-2026-123" not in repr(moment)
    # Nor in the answer: Open Klant's members are all there, the content empty.
    answer = core.klantcontact(klantcontact(), moment, core.Aangemaakt(str(uid(1))), URLS)
    text = json.dumps(answer)
    assert MESSAGE not in text and "Dank u" not in text and "PV-2026-123" not in text
    assert answer["inhoud"] == "" and answer["url"] == f"{URLS.base}/klantcontacten/{uid(1)}"
    # hoofdOnderwerpType is a URI: left out when none was sent, never "".
    assert "hoofdOnderwerpType" not in answer
    typed = klantcontact(hoofdOnderwerpType="https://catalogi.example.nl/zaaktypen/1")
    answer = core.klantcontact(typed, moment, core.Aangemaakt(str(uid(1))), URLS)
    assert answer["hoofdOnderwerpType"] == "https://catalogi.example.nl/zaaktypen/1"
    assert MESSAGE not in repr(klantcontact()) and MESSAGE not in str(klantcontact())


def test_a_time_without_offset_is_dutch_time_and_none_is_now() -> None:
    # NotifyNL's OMC may send .NET's "O" of a parsed local time: 7 digits, no offset.
    local = core.contactmoment(
        klantcontact(plaatsgevondenOp="2026-07-01T12:00:00.0000000"), GEMEENTE, uid(1), NOW
    )
    assert local.tijdstip.astimezone(UTC) == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    without = {k: v for k, v in KLANTCONTACT.items() if k != "plaatsgevondenOp"}
    absent = core.KlantcontactInvoer.model_validate(without)
    assert core.contactmoment(absent, GEMEENTE, uid(1), NOW).tijdstip == NOW


def test_the_bodies_are_read_as_open_klant_reads_them() -> None:
    # What a client sends back that it read (read-only members) is ignored, as Open Klant does.
    assert klantcontact(url="https://x/klantcontacten/1", hadBetrokkenen=[]).kanaal == "Email"
    for bad in (
        {"kanaal": ""},
        {"kanaal": "x" * 51},
        {"onderwerp": "x" * 201},
        {"taal": "nlds"},
        {"indicatieContactGelukt": "ja"},
        {"inhoud": "x" * 1001},
    ):
        with pytest.raises(ValidationError):
            klantcontact(**bad)
    with pytest.raises(ValidationError):
        core.BetrokkeneMetKlantcontact.model_validate(
            {"hadKlantcontact": {"uuid": str(uid(1))}, "rol": "eigenaar", "initiator": True}
        )


def _refused(model: type, body: dict) -> list[tuple[str, str]]:
    """Where and why the body is refused, as ``invalidParams`` will name it."""
    with pytest.raises(ValidationError) as refused:
        model.model_validate_json(json.dumps(body))
    return sorted(
        (".".join(str(part) for part in error["loc"]), error["type"])
        for error in refused.value.errors()
    )


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        # What is dropped is checked all the same, as the document types it.
        ({"inhoud": None}, ("inhoud", "string_type")),
        ({"reactie": 5}, ("reactie", "string_type")),
        ({"metadata": None}, ("metadata", "dict_type")),
        ({"metadata": {"zaak": "x" * 256}}, ("metadata.zaak", "string_too_long")),
        ({"metadata": {"zaak": 1}}, ("metadata.zaak", "string_type")),
        ({"hoofdOnderwerpType": ""}, ("hoofdOnderwerpType", "string_pattern_mismatch")),
        ({"hoofdOnderwerpType": "geen uri"}, ("hoofdOnderwerpType", "string_pattern_mismatch")),
        ({"hoofdOnderwerpType": None}, ("hoofdOnderwerpType", "string_type")),
        ({"verdereActieOndernomen": None}, ("verdereActieOndernomen", "bool_type")),
        # A time is ISO 8601 text: not null, no Unix time, not a date alone.
        ({"plaatsgevondenOp": None}, ("plaatsgevondenOp", "datetime_type")),
        ({"plaatsgevondenOp": 1700000000}, ("plaatsgevondenOp", "datetime_type")),
        ({"plaatsgevondenOp": "1700000000"}, ("plaatsgevondenOp", "datetime_parsing")),
        ({"plaatsgevondenOp": "2026-11-22"}, ("plaatsgevondenOp", "datetime_parsing")),
    ],
)
def test_every_member_of_a_klantcontact_is_checked_as_the_document_types_it(
    changes: dict, refused: tuple[str, str]
) -> None:
    assert _refused(core.KlantcontactInvoer, {**KLANTCONTACT, **changes}) == [refused]


def test_a_betrokkene_s_name_and_addresses_are_checked_though_never_kept() -> None:
    adres = {
        "straatnaam": 1,
        "adresregel2": "x" * 81,
        "huisnummer": "12",
        "postcode": "1234ab",
        "land": "N",
        "nummeraanduidingId": "123",
    }
    body = {
        "klantcontact": KLANTCONTACT,
        "betrokkene": {
            "rol": "klant",
            "initiator": True,
            "organisatienaam": None,
            "bezoekadres": adres,
            "correspondentieadres": {"stad": None},
            "contactnaam": {"voornaam": 7, "voorletters": "x" * 11},
        },
    }
    assert _refused(core.MaakKlantcontact, body) == [
        ("betrokkene.bezoekadres.adresregel2", "string_too_long"),
        ("betrokkene.bezoekadres.huisnummer", "int_type"),
        ("betrokkene.bezoekadres.land", "string_too_short"),
        ("betrokkene.bezoekadres.nummeraanduidingId", "string_pattern_mismatch"),
        ("betrokkene.bezoekadres.postcode", "string_pattern_mismatch"),
        ("betrokkene.bezoekadres.straatnaam", "string_type"),
        ("betrokkene.contactnaam.voorletters", "string_too_long"),
        ("betrokkene.contactnaam.voornaam", "string_type"),
        ("betrokkene.correspondentieadres.stad", "string_type"),
        ("betrokkene.organisatienaam", "string_type"),
    ]
    # What the document makes nullable may be null; a betrokkene or onderwerpobject may not.
    valid = {
        "klantcontact": {**KLANTCONTACT, "nummer": None, "indicatieContactGelukt": None},
        "betrokkene": {
            "rol": "klant",
            "initiator": True,
            "wasPartij": None,
            "bezoekadres": {"huisnummer": None, "postcode": "1234 AB", "land": "NL"},
            "correspondentieadres": None,
            "contactnaam": None,
        },
        "onderwerpobject": {"wasKlantcontact": None, "onderwerpobjectidentificator": None},
    }
    assert core.MaakKlantcontact.model_validate_json(json.dumps(valid)).betrokkene is not None
    for part in ("betrokkene", "onderwerpobject"):
        assert _refused(core.MaakKlantcontact, {**valid, part: None}) == [(part, "dict_type")]


def test_an_onderwerpobjectidentificator_is_four_texts_never_null() -> None:
    for name in ("objectId", "codeObjecttype", "codeRegister", "codeSoortObjectId"):
        body = {"onderwerpobjectidentificator": {name: None}}
        assert _refused(core.OnderwerpobjectMetKlantcontact, body) == [
            (f"onderwerpobjectidentificator.{name}", "string_type")
        ]
    body = {"onderwerpobjectidentificator": {"codeRegister": "x" * 201}}
    assert _refused(core.OnderwerpobjectMetKlantcontact, body) == [
        ("onderwerpobjectidentificator.codeRegister", "string_too_long")
    ]
    # No body at all is an onderwerpobject of nothing, as in Open Klant.
    assert core.OnderwerpobjectMetKlantcontact.model_validate({}).klantcontact is None


def test_a_provided_address_s_members_are_checked_as_the_document_types_them() -> None:
    body = {"adres": "a@example.nl", "soortDigitaalAdres": "email"}
    for changes, refused in (
        ({"isStandaardAdres": None}, ("isStandaardAdres", "bool_type")),
        ({"omschrijving": None}, ("omschrijving", "string_type")),
        ({"referentie": ""}, ("referentie", "string_pattern_mismatch")),
        ({"referentie": None}, ("referentie", "string_type")),
        ({"verificatieDatum": 0}, ("verificatieDatum", "date_type")),
        ({"verificatieDatum": "2026-11-01T00:00:00"}, ("verificatieDatum", "date_parsing")),
    ):
        assert _refused(core.DigitaalAdresInvoer, {**body, **changes}) == [refused]


# --- the core: an address an organisation provides ----------------------------------------------


def profiel() -> Profiel:
    """One verified e-mail address (the standard one)."""
    result, email = add_contactgegeven(Profiel(), toevoegen("email", "a@example.nl"), uid(1))
    return verified(result, email, NOW)


def adres(**changes: object) -> core.DigitaalAdresInvoer:
    body = {
        "verstrektDoorPartij": {"uuid": PARTIJ_UUID},
        "adres": "Nieuw@Example.nl",
        "soortDigitaalAdres": "email",
        **changes,
    }
    return core.DigitaalAdresInvoer.model_validate(body)


def test_a_provided_address_is_an_unverified_detail_and_never_the_standard_one() -> None:
    soort, normalised = core.te_bewaren_adres(adres(verificatieDatum="2026-11-01"))
    assert (soort, normalised) == (SoortDigitaalAdres.EMAIL, "Nieuw@example.nl")
    changed = core.met_verstrekt_adres(profiel(), soort, normalised, uid(2))
    nieuw = changed.contactgegeven(uid(2))
    assert nieuw.verificatie_status(NOW) is VerificatieStatus.NIET_GEVERIFIEERD
    assert not nieuw.mag_worden_verstrekt(NOW)
    assert not nieuw.is_standaard_adres
    assert changed.contactgegeven(uid(1)).is_standaard_adres


def test_a_provided_address_changes_nothing_when_present_or_full_or_without_a_profile() -> None:
    email = SoortDigitaalAdres.EMAIL
    assert core.met_verstrekt_adres(profiel(), email, "a@example.nl", uid(2)) is None
    assert core.met_verstrekt_adres(Profiel(), email, "b@example.nl", uid(2)) is None
    full = profiel()
    for n in range(2, 6):
        full, _ = add_contactgegeven(full, toevoegen("email", f"{n}@example.nl"), uid(n))
    assert core.met_verstrekt_adres(full, email, "b@example.nl", uid(9)) is None


def test_a_kind_or_address_this_service_keeps_none_of_is_a_bad_field() -> None:
    cases = (({"soortDigitaalAdres": "overig"}, "soortDigitaalAdres"), ({"adres": "x@@y"}, "adres"))
    for body, name in cases:
        with pytest.raises(DomainError) as refused:
            core.te_bewaren_adres(adres(**body))
        assert refused.value.fout is Fout.ONGELDIGE_INVOER
        assert [p.name for p in refused.value.invalid_params] == [name]
        assert "x@@y" not in refused.value.invalid_params[0].reason


def test_the_address_answer_is_the_same_whatever_became_of_it() -> None:
    soort, normalised = core.te_bewaren_adres(adres())
    first = core.digitaal_adres(adres(), soort, normalised, GEMEENTE, URLS)
    assert first == core.digitaal_adres(adres(), soort, normalised, GEMEENTE, URLS)
    assert first["verificatieDatum"] is None and first["isStandaardAdres"] is False
    # referentie only when it was sent: the document's pattern has no empty one.
    assert "referentie" not in first
    sent = core.digitaal_adres(adres(referentie="zaak-1"), soort, normalised, GEMEENTE, URLS)
    assert sent["referentie"] == "zaak-1"
    assert first["verstrektDoorPartij"]["url"] == f"{URLS.base}/partijen/{PARTIJ_UUID}"
    other = core.digitaal_adres(adres(), soort, normalised, WATERSCHAP, URLS)
    assert other["uuid"] != first["uuid"]


# --- the use cases -----------------------------------------------------------------------------


def organisatie(oin: str = GEMEENTE) -> Organisatie:
    return Organisatie(
        oin=oin,
        naam="Gemeente Voorbeeldstad" if oin == GEMEENTE else "Waterschap",
        doelen=(
            Doel(
                code="notificatie",
                omschrijving="Notificatie",
                grondslag="Awb",
                verwerkingsactiviteit="https://register.example.nl/notificatie",
                velden=("email",),
            ),
        ),
    )


CALLER = OrganisatieCaller(GEMEENTE, "notificatie")


@dataclass
class World:
    profielen: InMemoryProfielen = field(default_factory=InMemoryProfielen)
    momenten: InMemoryContactmomenten = field(default_factory=InMemoryContactmomenten)
    logboek: InMemoryLogboek = field(default_factory=InMemoryLogboek)
    personen: InMemoryPersonen = field(default_factory=InMemoryPersonen)
    register: InMemoryRegister = field(default_factory=InMemoryRegister)
    # The partij UUIDs each organisation was given: (uuid, oin) -> whom.
    gegeven: dict[tuple[str, str], Verwezen] = field(default_factory=dict)
    moved: list[tuple[str, str]] = field(default_factory=list)
    ids: count = field(default_factory=lambda: count(100))

    def __post_init__(self) -> None:
        self.register.organisaties = {o: organisatie(o) for o in (GEMEENTE, WATERSCHAP)}
        self.gegeven[(PARTIJ_UUID, GEMEENTE)] = Verwezen(SoortIdentificator.BSN, BSN)
        self.profielen.stored[PARTIJ] = StoredProfiel(profiel(), 1)

    @property
    def klantcontacten(self) -> Klantcontacten:
        return Klantcontacten(
            self.momenten,
            self.register,
            self.logboek,
            self.profielen,
            Bronregisters(
                self.personen, InMemoryHandelsregister(), InMemoryAdressen(), InMemoryLogboek()
            ),
            FixedClock(NOW),
            verwezen=lambda u, oin: self.gegeven.get((u, oin)),
            partij_keys=lambda v: PartijKeys(PARTIJ if v.identificator == BSN else "b" * 64),
            verhuizen=lambda old, new: self.moved.append((old, new)),
            new_ids=lambda: uid(next(self.ids)),
            span_ids=lambda: "2" * 16,
            millis=lambda: 5,
        )

    def maak(self, caller: OrganisatieCaller = CALLER, partij: str = PARTIJ_UUID):
        body = core.MaakKlantcontact.model_validate(
            {
                "klantcontact": KLANTCONTACT,
                "betrokkene": {"wasPartij": {"uuid": partij}, "rol": "klant", "initiator": True},
                "onderwerpobject": {"onderwerpobjectidentificator": {"objectId": "zaak-1"}},
            }
        )
        return self.klantcontacten.maak(caller, body, TRACE)


def betrokkene(klantcontact: str, partij: str = PARTIJ_UUID) -> core.BetrokkeneMetKlantcontact:
    return core.BetrokkeneMetKlantcontact.model_validate(
        {
            "wasPartij": {"uuid": partij},
            "hadKlantcontact": {"uuid": klantcontact},
            "rol": "klant",
            "initiator": True,
            "contactnaam": {"voornaam": "Jan"},
        }
    )


def test_three_steps_make_the_partij_s_contact_moment_with_one_ldv_record() -> None:
    world = World()
    made = world.klantcontacten.klantcontact(CALLER, klantcontact())
    assert world.momenten.momenten == {}  # nobody's yet
    world.klantcontacten.betrokkene(CALLER, betrokkene(made.klantcontact), TRACE)
    onderwerp = core.OnderwerpobjectMetKlantcontact.model_validate(
        {
            "klantcontact": {"uuid": made.klantcontact},
            "wasKlantcontact": {"uuid": made.klantcontact},
        }
    )
    world.klantcontacten.onderwerpobject(CALLER, onderwerp)
    assert world.momenten.van(PARTIJ, NOW) == [made]
    [record] = world.logboek.verwerkingen
    assert (record.name, record.oin, record.doel, record.data_subject_id) == (
        VERWERKING_CONTACTMOMENT,
        GEMEENTE,
        "notificatie",
        PARTIJ,
    )
    assert record.parent_span_id == TRACE.parent_span_id
    # A second betrokkene of the same klantcontact: still one contact moment.
    world.klantcontacten.betrokkene(CALLER, betrokkene(made.klantcontact), TRACE)
    assert len(world.momenten.van(PARTIJ, NOW)) == 1


def test_maak_klantcontact_links_at_once() -> None:
    world = World()
    moment, ids = world.maak()
    assert world.momenten.van(PARTIJ, NOW) == [moment]
    assert ids.betrokkene and ids.onderwerpobject and ids.klantcontact == moment.klantcontact
    # Kept unlinked too, for a betrokkene or onderwerpobject that names it later.
    assert world.momenten.klantcontact(GEMEENTE, moment.klantcontact, NOW) == moment


@pytest.mark.parametrize("partij", ["another organisation's", "made up"])
def test_a_partij_uuid_this_organisation_was_not_given_is_a_bad_field_and_nothing_is_kept(
    partij: str,
) -> None:
    world = World()
    if partij == "another organisation's":
        world.gegeven[("5e2b1c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", WATERSCHAP)] = Verwezen(
            SoortIdentificator.BSN, BSN
        )
    other = "5e2b1c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    with pytest.raises(DomainError) as refused:
        world.maak(partij=other)
    assert refused.value.fout is Fout.ONGELDIGE_INVOER
    assert [p.name for p in refused.value.invalid_params] == ["betrokkene.wasPartij.uuid"]
    assert world.momenten.klantcontacten == {} and world.momenten.momenten == {}
    assert world.logboek.verwerkingen == []

    made = world.klantcontacten.klantcontact(CALLER, klantcontact())
    with pytest.raises(DomainError) as refused:
        world.klantcontacten.betrokkene(CALLER, betrokkene(made.klantcontact, other), TRACE)
    assert [p.name for p in refused.value.invalid_params] == ["wasPartij.uuid"]
    assert world.momenten.momenten == {} and world.logboek.verwerkingen == []


def test_another_organisation_s_klantcontact_is_not_found() -> None:
    world = World()
    waterschap = OrganisatieCaller(WATERSCHAP, "notificatie")
    made = world.klantcontacten.klantcontact(waterschap, klantcontact())
    with pytest.raises(DomainError) as refused:
        world.klantcontacten.betrokkene(CALLER, betrokkene(made.klantcontact), TRACE)
    assert [p.name for p in refused.value.invalid_params] == ["hadKlantcontact.uuid"]
    onderwerp = core.OnderwerpobjectMetKlantcontact.model_validate(
        {"klantcontact": {"uuid": made.klantcontact}}
    )
    with pytest.raises(DomainError):
        world.klantcontacten.onderwerpobject(CALLER, onderwerp)
    assert world.momenten.momenten == {}


def test_no_grant_for_the_purpose_is_refused_before_anything() -> None:
    world = World()
    ungranted = (
        OrganisatieCaller(GEMEENTE, "belasting"),
        OrganisatieCaller("0" * 20, "notificatie"),
    )
    for caller in ungranted:
        with pytest.raises(DomainError) as refused:
            world.klantcontacten.klantcontact(caller, klantcontact())
        assert refused.value.fout is Fout.GEEN_TOEGANG
    assert world.momenten.klantcontacten == {}


def test_without_the_logboek_nothing_is_linked() -> None:
    world = World()
    world.logboek.failing = True
    with pytest.raises(DomainError) as refused:
        world.maak()
    assert refused.value.fout is Fout.NIET_BESCHIKBAAR
    assert world.momenten.momenten == {} and world.momenten.klantcontacten == {}


def test_a_partij_without_a_profile_gets_no_contact_moment() -> None:
    world = World()
    world.profielen.stored.clear()
    world.maak()
    assert world.momenten.momenten == {}
    assert len(world.logboek.verwerkingen) == 1  # the processing is recorded all the same


def test_during_a_key_rotation_the_partij_is_moved_before_its_contact_moment_is_kept() -> None:
    world = World()
    world.profielen.stored = {"c" * 64: StoredProfiel(profiel(), 1)}

    def verhuizen(old: str, new: str) -> None:
        world.moved.append((old, new))
        world.profielen.stored[new] = world.profielen.stored.pop(old)

    use_case = world.klantcontacten
    object.__setattr__(use_case, "partij_keys", lambda v: PartijKeys(PARTIJ, "c" * 64))
    object.__setattr__(use_case, "verhuizen", verhuizen)
    body = core.MaakKlantcontact.model_validate(
        {
            "klantcontact": KLANTCONTACT,
            "betrokkene": {"wasPartij": {"uuid": PARTIJ_UUID}, "rol": "klant", "initiator": True},
        }
    )
    use_case.maak(CALLER, body, TRACE)
    assert world.moved == [("c" * 64, PARTIJ)]
    assert len(world.momenten.van(PARTIJ, NOW)) == 1


def test_an_organisation_s_address_is_added_unverified_in_its_role() -> None:
    world = World()
    _, normalised = world.klantcontacten.digitaal_adres(CALLER, adres(), TRACE)
    stored = world.profielen.get(PARTIJ)
    assert stored.version == 2
    added = next(c for c in stored.profiel.contactgegevens if c.adres == normalised)
    assert added.verificatie_datum is None and not added.mag_worden_verstrekt(NOW)
    [change] = world.profielen.changes
    assert change.actor_role is ActorRole.ORGANISATIE and change.actor is None
    assert change.trace_id == TRACE.trace_id
    [record] = [v for v in world.logboek.verwerkingen if v.name == VERWERKING_ADRES]
    assert (record.oin, record.data_subject_id) == (GEMEENTE, PARTIJ)
    # Sent again: there already, nothing changes.
    world.klantcontacten.digitaal_adres(CALLER, adres(), TRACE)
    assert world.profielen.get(PARTIJ).version == 2


@pytest.mark.parametrize("why", ["refused", "deceased", "no profile"])
def test_an_address_is_not_added_where_the_organisation_may_not(why: str) -> None:
    world = World()
    if why == "refused":
        stored = world.profielen.get(PARTIJ)
        refused = set_delen(stored.profiel, Delen(geweigerd=(GEMEENTE,)))
        world.profielen.stored[PARTIJ] = StoredProfiel(refused, 1)
    elif why == "deceased":
        world.personen.personen[BSN] = Persoon(overleden=True)
    else:
        world.profielen.stored.clear()
    before = world.profielen.get(PARTIJ)
    world.klantcontacten.digitaal_adres(CALLER, adres(), TRACE)  # the same answer
    assert world.profielen.get(PARTIJ) == before and world.profielen.changes == []


def test_an_address_is_not_added_while_the_brp_cannot_say_whether_the_partij_is_kept() -> None:
    world = World()
    world.personen.failing = True
    with pytest.raises(DomainError) as refused:
        world.klantcontacten.digitaal_adres(CALLER, adres(), TRACE)
    assert refused.value.fout is Fout.NIET_BESCHIKBAAR
    assert world.profielen.changes == []


def test_a_parallel_change_is_read_again_and_the_address_added_to_it() -> None:
    world = World()
    raced, _ = add_contactgegeven(profiel(), toevoegen("telefoonnummer", "0612345678"), uid(7))
    world.profielen.races.append(raced)
    world.klantcontacten.digitaal_adres(CALLER, adres(), TRACE)
    stored = world.profielen.get(PARTIJ)
    assert stored.profiel.contactgegeven(uid(7)) is not None
    assert any(c.adres == "Nieuw@example.nl" for c in stored.profiel.contactgegevens)


# --- what the partij reads, and erases ---------------------------------------------------------


def test_the_partij_reads_its_contact_moments_newest_first_with_the_organisation_s_name() -> None:
    world = World()
    earlier = klantcontact(plaatsgevondenOp="2026-11-01T09:00:00Z")
    older = core.contactmoment(earlier, GEMEENTE, uid(1), NOW)
    newer = core.contactmoment(klantcontact(indicatieContactGelukt=None), "0" * 20, uid(2), NOW)
    world.momenten.koppel(PARTIJ, older)
    world.momenten.koppel(PARTIJ, newer)
    caller = PartijCaller(subject_for(bsn=BSN), partij=PARTIJ, actor=None)
    shown = ContactmomentenLezen(world.momenten, world.register, FixedClock(NOW))(caller)
    assert [m["organisatie"]["naam"] for m in shown] == [None, "Gemeente Voorbeeldstad"]
    assert shown[1] == {
        "tijdstip": "2026-11-01T09:00:00+00:00",
        "organisatie": {"oin": GEMEENTE, "naam": "Gemeente Voorbeeldstad"},
        "kanaal": "Email",
        "onderwerp": "Uw parkeervergunning",
        "gelukt": True,
    }
    assert shown[0]["gelukt"] is None


def test_an_erasure_removes_the_contact_moments() -> None:
    world = World()
    world.maak()
    caller = PartijCaller(subject_for(bsn=BSN), partij=PARTIJ, actor=None)

    class Elke:
        def matches(self, version: int) -> bool:
            return True

    wissen = ProfielWissen(
        world.profielen,
        InMemoryCodes(),
        InMemoryBerichten(),
        FixedClock(NOW + timedelta(minutes=1)),
        contactmomenten=world.momenten,
    )
    wissen(Wijziging(caller, Elke(), TRACE))
    assert world.momenten.van(PARTIJ, NOW) == []
