"""Delivery feedback: the pure rules of report-delivery, its use cases with in-memory ports, and
the reference a message carries to NotifyNL and back."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from dateutil.relativedelta import relativedelta
from pydantic import ValidationError

from functions.report_delivery import core
from functions.report_delivery.usecases import (
    VERWERKING,
    AfleverberichtVerwerken,
    OnbestelbaarMelden,
)
from functions.update_profile.core import (
    add_contactgegeven,
    change_contactgegeven,
    set_delen,
    set_dienst,
)
from functions.verify_contact.core import verified
from shared.errors import DomainError, Fout
from shared.identity.access import OrganisatieCaller, PartijKeys
from shared.identity.subject import ActorRole
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Delen, Profiel, SoortDigitaalAdres, VerificatieStatus
from shared.models.register import Dienst, Doel, Organisatie
from shared.models.voorkeuren import Voorkeurset
from shared.ports import StoredProfiel
from shared.tracing import TraceContext
from tests.builders import toevoegen, uid, wijzigen
from tests.fakes import FixedClock, InMemoryLogboek, InMemoryProfielen, InMemoryRegister

# 23:30 in Amsterdam: still 22 November there.
NOW = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
GEMEENTE, ANDERE = "00000099000000000001", "00000099000000000003"
BSN = "999993653"
PARTIJ, VORIGE = "a" * 64, "b" * 64
TRACE = TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "1111111111111111")


def profiel(*, tweede_email: bool = False, verified_at: datetime | None = NOW) -> Profiel:
    """One e-mail address (verified, standard), an unverified phone number, perhaps a second
    verified e-mail address."""
    result, email = add_contactgegeven(Profiel(), toevoegen("email", "a@example.nl"), uid(1))
    if verified_at is not None:
        result = verified(result, email, verified_at)
    result, _ = add_contactgegeven(result, toevoegen("telefoonnummer", "0612345678"), uid(2))
    if tweede_email:
        result, second = add_contactgegeven(result, toevoegen("email", "b@example.nl"), uid(3))
        result = verified(result, second, NOW)
    return result


def melding(adres: str = "a@example.nl", **extra: object) -> core.Onbestelbaarmelding:
    return core.Onbestelbaarmelding.model_validate(
        {
            "doel": "notificatie",
            "betrokkene": {"bsn": BSN},
            "soortDigitaalAdres": "email",
            "adres": adres,
            **extra,
        }
    )


# --- the model: the status and what it means -----------------------------------------------------


def test_onbestelbaar_goes_before_every_other_status_and_is_never_released() -> None:
    marked = core.onbestelbaar(profiel(), uid(1), NOW).contactgegeven(uid(1))
    assert marked.onbestelbaar_sinds == date(2026, 11, 22)  # the day in the Netherlands
    assert marked.verificatie_status(NOW) is VerificatieStatus.ONBESTELBAAR
    assert marked.mag_worden_verstrekt(NOW) is False
    stale = marked.model_copy(update={"verificatie_datum": None})
    assert stale.verificatie_status(NOW) is VerificatieStatus.ONBESTELBAAR


def test_the_day_is_the_dutch_calendar_day() -> None:
    late = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)  # 00:30 on the 22nd in Amsterdam
    marked = core.onbestelbaar(profiel(), uid(1), late).contactgegeven(uid(1))
    assert marked.onbestelbaar_sinds == date(2026, 11, 22)


def test_a_new_verification_clears_it() -> None:
    marked = core.onbestelbaar(profiel(), uid(1), NOW)
    again = verified(marked, marked.contactgegeven(uid(1)), NOW + timedelta(days=1))
    assert again.contactgegeven(uid(1)).onbestelbaar_sinds is None
    assert again.contactgegeven(uid(1)).mag_worden_verstrekt(NOW + timedelta(days=1))


def test_a_new_address_clears_it_and_another_change_does_not() -> None:
    marked = core.onbestelbaar(profiel(), uid(1), NOW)
    described = change_contactgegeven(marked, uid(1), wijzigen({"omschrijving": "Werk"}))
    assert described.contactgegeven(uid(1)).onbestelbaar_sinds is not None
    moved = change_contactgegeven(marked, uid(1), wijzigen({"adres": "c@example.nl"}))
    assert moved.contactgegeven(uid(1)).onbestelbaar_sinds is None
    assert moved.contactgegeven(uid(1)).verificatie_datum is None


def test_a_stored_profile_without_the_field_reads_as_deliverable() -> None:
    stored = profiel().model_dump(mode="json", by_alias=True, exclude_defaults=True)
    assert "onbestelbaarSinds" not in str(stored)
    assert Profiel.model_validate(stored) == profiel()
    marked = core.onbestelbaar(profiel(), uid(1), NOW)
    dumped = marked.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    assert dumped["contactgegevens"][0]["onbestelbaarSinds"] == "2026-11-22"
    assert Profiel.model_validate(dumped) == marked


# --- an organisation's report: only the address it would be given now ---------------------------


def test_a_report_matches_only_the_address_the_organisation_is_given() -> None:
    p = profiel()
    email = SoortDigitaalAdres.EMAIL
    assert core.gegeven_adres(p, GEMEENTE, None, email, "a@example.nl", NOW).id == uid(1)
    assert core.gegeven_adres(p, GEMEENTE, None, email, "b@example.nl", NOW) is None
    # The phone number is not verified: never given, so never reportable.
    phone = SoortDigitaalAdres.TELEFOONNUMMER
    assert core.gegeven_adres(p, GEMEENTE, None, phone, "+31612345678", NOW) is None
    # Nor an address that is stale, or not shared with this organisation.
    stale = profiel(verified_at=NOW - relativedelta(months=19))
    assert core.gegeven_adres(stale, GEMEENTE, None, email, "a@example.nl", NOW) is None
    refused = set_delen(p, Delen(geweigerd=(GEMEENTE,)))
    assert core.gegeven_adres(refused, GEMEENTE, None, email, "a@example.nl", NOW) is None
    assert core.gegeven_adres(refused, ANDERE, None, email, "a@example.nl", NOW) is not None


def test_a_report_follows_the_preferences_for_the_organisation_and_service() -> None:
    p = profiel(tweede_email=True)
    chosen = Voorkeurset.model_validate({"voorkeursadressen": {"email": str(uid(3))}})
    p = set_dienst(p, GEMEENTE, "parkeren", chosen)
    email = SoortDigitaalAdres.EMAIL
    # For the service the municipality is given the second address; otherwise the standard one.
    assert core.gegeven_adres(p, GEMEENTE, "parkeren", email, "b@example.nl", NOW).id == uid(3)
    assert core.gegeven_adres(p, GEMEENTE, "parkeren", email, "a@example.nl", NOW) is None
    assert core.gegeven_adres(p, GEMEENTE, None, email, "a@example.nl", NOW).id == uid(1)
    assert core.gegeven_adres(p, GEMEENTE, None, email, "b@example.nl", NOW) is None


def test_an_already_undeliverable_address_is_given_to_nobody_and_so_not_reported_again() -> None:
    marked = core.onbestelbaar(profiel(), uid(1), NOW)
    email = SoortDigitaalAdres.EMAIL
    assert core.gegeven_adres(marked, GEMEENTE, None, email, "a@example.nl", NOW) is None


def test_the_reported_address_is_compared_in_its_stored_form() -> None:
    assert melding("a@EXAMPLE.nl").adres == "a@example.nl"
    phone = melding("06 12345678", soortDigitaalAdres="telefoonnummer")
    assert phone.adres == "+31612345678"
    with pytest.raises(ValidationError):
        melding("geen adres")
    with pytest.raises(ValidationError):
        melding(betrokkene={"bsn": BSN, "kvkNummer": "69599084"})


# --- NotifyNL's receipt ---------------------------------------------------------------------------


def bericht(status: str = "permanent-failure", to: str = "a@example.nl", **extra: object):
    return core.Afleverbericht.model_validate(
        {
            "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
            "reference": "ref",
            "to": to,
            "status": status,
            "created_at": "2026-11-22T10:00:00.000000Z",
            "completed_at": None,
            "sent_at": None,
            "notification_type": "email",
            **extra,
        }
    )


def test_a_receipt_is_read_as_notify_sends_it_and_never_shows_the_recipient() -> None:
    received = bericht(template_id="later-field")  # fields Notify adds later are ignored
    assert received.blijvend_onbestelbaar
    assert not bericht("delivered").blijvend_onbestelbaar
    assert not bericht("temporary-failure").blijvend_onbestelbaar
    assert "a@example.nl" not in repr(received) and "a@example.nl" not in str(received)


def test_a_receipt_marks_the_detail_only_while_it_has_the_address_the_message_went_to() -> None:
    p = profiel()
    assert core.bericht_adres(p, uid(1), "a@example.nl").id == uid(1)
    assert core.bericht_adres(p, uid(1), "a@EXAMPLE.nl").id == uid(1)  # as Notify writes it
    assert core.bericht_adres(p, uid(2), "+31612345678").id == uid(2)  # an unverified one too
    assert core.bericht_adres(p, uid(1), "c@example.nl") is None
    assert core.bericht_adres(p, uid(9), "a@example.nl") is None
    assert core.bericht_adres(p, uid(1), "geen adres") is None
    marked = core.onbestelbaar(p, uid(1), NOW)
    assert core.bericht_adres(marked, uid(1), "a@example.nl") is None  # once is enough


def test_the_callback_token_is_compared_and_nothing_matches_without_one() -> None:
    assert core.token_klopt("s" * 40, "s" * 40)
    assert not core.token_klopt("s" * 39, "s" * 40)
    assert not core.token_klopt("", None)
    assert not core.token_klopt("s" * 40, None)


def test_the_owner_is_told_at_another_verified_deliverable_email_address() -> None:
    alone = profiel()
    assert core.te_waarschuwen(alone, uid(1), NOW) is None  # sees it at the next visit
    two = profiel(tweede_email=True)
    assert core.te_waarschuwen(two, uid(1), NOW).id == uid(3)
    assert core.te_waarschuwen(two, uid(2), NOW).id == uid(1)  # the standard one first
    both_marked = core.onbestelbaar(two, uid(3), NOW)
    assert core.te_waarschuwen(both_marked, uid(1), NOW) is None


# --- the use cases, with in-memory ports ----------------------------------------------------------


@dataclass
class Meldingen:
    sent: list[tuple[str, SoortDigitaalAdres, str]] = field(default_factory=list)
    failing: bool = False

    def send_onbestelbaar(
        self, email_adres: str, soort: SoortDigitaalAdres, reference: str
    ) -> None:
        if self.failing:
            raise DomainError(Fout.NIET_BESCHIKBAAR, "NotifyNL is niet bereikbaar.")
        self.sent.append((email_adres, soort, reference))


def organisatie() -> Organisatie:
    return Organisatie(
        oin=GEMEENTE,
        naam="Gemeente",
        diensten=(Dienst(code="parkeren", naam="Parkeren"),),
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


@dataclass
class World:
    profielen: InMemoryProfielen = field(default_factory=InMemoryProfielen)
    logboek: InMemoryLogboek = field(default_factory=InMemoryLogboek)
    meldingen: Meldingen = field(default_factory=Meldingen)
    moved: list[tuple[str, str]] = field(default_factory=list)
    previous: str | None = None

    def melden(self) -> OnbestelbaarMelden:
        def verhuizen(previous: str, current: str) -> None:
            self.moved.append((previous, current))
            self.profielen.stored[current] = self.profielen.stored.pop(previous)

        return OnbestelbaarMelden(
            self.profielen,
            self.meldingen,
            FixedClock(NOW),
            lambda partij, cid: f"ref:{partij[:4]}:{cid}",
            register=InMemoryRegister({GEMEENTE: organisatie()}),
            logboek=self.logboek,
            partij_keys=lambda soort, identificator: PartijKeys(PARTIJ, self.previous, "sealed"),
            verhuizen=verhuizen,
            span_ids=lambda: "2222222222222222",
            millis=lambda: 1795341600000,
        )

    def verwerken(self) -> AfleverberichtVerwerken:
        references = {"ref": (PARTIJ, uid(1)), "ref-phone": (PARTIJ, uid(2))}
        return AfleverberichtVerwerken(
            self.profielen,
            self.meldingen,
            FixedClock(NOW),
            lambda partij, cid: f"ref:{partij[:4]}:{cid}",
            uit_referentie=references.get,
        )


def stored(world: World, p: Profiel, key: str = PARTIJ) -> None:
    world.profielen.stored[key] = StoredProfiel(
        p, 3, SoortIdentificator.BSN, "sealed-in-item"
    )


def test_a_report_of_the_given_address_marks_it_logs_it_and_tells_the_owner() -> None:
    world = World()
    stored(world, profiel(tweede_email=True))
    assert world.melden()(OrganisatieCaller(GEMEENTE), melding(), TRACE) is None
    after = world.profielen.get(PARTIJ)
    assert after.version == 4
    assert after.profiel.contactgegeven(uid(1)).onbestelbaar_sinds == date(2026, 11, 22)
    [change] = world.profielen.changes
    assert change.actor_role is ActorRole.ORGANISATIE and change.actor is None
    assert change.soort is SoortIdentificator.BSN and change.sealed_identifier == "sealed"
    assert change.trace_id == TRACE.trace_id
    [record] = world.logboek.verwerkingen
    assert record.name == VERWERKING == "melden onbestelbaar"
    assert (record.oin, record.doel, record.data_subject_id) == (GEMEENTE, "notificatie", PARTIJ)
    assert record.parent_span_id == TRACE.parent_span_id
    assert record.sealed_identifier == "sealed"
    # Told at the other verified address, with a reference naming that address.
    assert world.meldingen.sent == [
        ("b@example.nl", SoortDigitaalAdres.EMAIL, f"ref:aaaa:{uid(3)}")
    ]


@pytest.mark.parametrize(
    "report",
    [
        melding("b@example.nl"),  # an address it was not given
        melding(soortDigitaalAdres="telefoonnummer", adres="0612345678"),  # not verified
        melding(betrokkene={"eidas": "ES/NL/02635542Y"}),  # a kind the purpose does not cover
    ],
)
def test_a_report_of_anything_else_changes_nothing_and_is_logged_all_the_same(report) -> None:
    world = World()
    stored(world, profiel())
    world.melden()(OrganisatieCaller(GEMEENTE), report, TRACE)
    assert world.profielen.get(PARTIJ).version == 3
    assert world.profielen.changes == [] and world.meldingen.sent == []
    assert len(world.logboek.verwerkingen) == 1


def test_a_report_about_nobody_is_logged_and_answered_alike() -> None:
    world = World()
    world.melden()(OrganisatieCaller(GEMEENTE), melding(), TRACE)
    assert world.profielen.stored == {} and len(world.logboek.verwerkingen) == 1


def test_a_report_without_a_grant_or_with_an_unknown_service_is_refused() -> None:
    world = World()
    stored(world, profiel())
    with pytest.raises(DomainError) as refused:
        world.melden()(OrganisatieCaller(ANDERE), melding(), TRACE)
    assert refused.value.fout is Fout.GEEN_TOEGANG
    with pytest.raises(DomainError) as refused:
        world.melden()(OrganisatieCaller(GEMEENTE), melding(doel="aanslag"), TRACE)
    assert refused.value.fout is Fout.GEEN_TOEGANG
    with pytest.raises(DomainError) as unknown:
        world.melden()(OrganisatieCaller(GEMEENTE), melding(dienst="afval"), TRACE)
    assert unknown.value.fout is Fout.ONGELDIGE_INVOER
    assert world.logboek.verwerkingen == [] and world.profielen.changes == []


def test_without_the_logboek_nothing_is_marked() -> None:
    world = World()
    world.logboek.failing = True
    stored(world, profiel())
    with pytest.raises(DomainError) as unavailable:
        world.melden()(OrganisatieCaller(GEMEENTE), melding(), TRACE)
    assert unavailable.value.fout is Fout.NIET_BESCHIKBAAR
    assert world.profielen.get(PARTIJ).version == 3


def test_a_notify_outage_does_not_undo_the_marking() -> None:
    world = World()
    world.meldingen.failing = True
    stored(world, profiel(tweede_email=True))
    world.melden()(OrganisatieCaller(GEMEENTE), melding(), TRACE)
    assert world.profielen.get(PARTIJ).profiel.contactgegeven(uid(1)).onbestelbaar_sinds


def test_a_parallel_change_is_read_again_and_the_rule_applied_anew() -> None:
    world = World()
    stored(world, profiel())
    # Someone adds a description meanwhile: the report still marks the address, keeping it.
    described = change_contactgegeven(profiel(), uid(1), wijzigen({"omschrijving": "Werk"}))
    world.profielen.races.append(described)
    world.melden()(OrganisatieCaller(GEMEENTE), melding(), TRACE)
    after = world.profielen.get(PARTIJ).profiel.contactgegeven(uid(1))
    assert after.omschrijving == "Werk" and after.onbestelbaar_sinds is not None
    # The owner changed the address meanwhile: the report is about an address no longer there.
    world = World()
    stored(world, profiel())
    moved = change_contactgegeven(profiel(), uid(1), wijzigen({"adres": "c@example.nl"}))
    world.profielen.races.append(moved)
    world.melden()(OrganisatieCaller(GEMEENTE), melding(), TRACE)
    assert world.profielen.get(PARTIJ).profiel.contactgegeven(uid(1)).onbestelbaar_sinds is None


def test_during_a_key_rotation_the_profile_is_moved_before_it_is_marked() -> None:
    world = World(previous=VORIGE)
    stored(world, profiel(), key=VORIGE)
    world.melden()(OrganisatieCaller(GEMEENTE), melding(), TRACE)
    assert world.moved == [(VORIGE, PARTIJ)]
    assert world.profielen.get(PARTIJ).profiel.contactgegeven(uid(1)).onbestelbaar_sinds
    # Nothing to mark: nothing is moved by an organisation's report.
    world = World(previous=VORIGE)
    stored(world, profiel(), key=VORIGE)
    world.melden()(OrganisatieCaller(GEMEENTE), melding("b@example.nl"), TRACE)
    assert world.moved == []


def test_a_permanent_failure_marks_the_detail_in_the_systems_role() -> None:
    world = World()
    stored(world, profiel(tweede_email=True))
    assert world.verwerken()(bericht(), TRACE) is True
    after = world.profielen.get(PARTIJ)
    assert after.profiel.contactgegeven(uid(1)).onbestelbaar_sinds == date(2026, 11, 22)
    [change] = world.profielen.changes
    assert change.actor_role is ActorRole.SYSTEEM
    # What the item's key stands for is stored again as the item had it.
    assert (change.soort, change.sealed_identifier) == (SoortIdentificator.BSN, "sealed-in-item")
    assert [to for to, _, _ in world.meldingen.sent] == ["b@example.nl"]


@pytest.mark.parametrize(
    "received",
    [
        bericht("delivered"),
        bericht("temporary-failure"),
        bericht("technical-failure"),
        bericht(to="c@example.nl"),  # the address changed since the message went out
        bericht(reference="not-ours"),
        bericht(reference=None),
    ],
)
def test_anything_but_a_permanent_failure_of_the_current_address_changes_nothing(
    received,
) -> None:
    world = World()
    stored(world, profiel())
    assert world.verwerken()(received, TRACE) is False
    assert world.profielen.changes == [] and world.meldingen.sent == []


def test_a_bounced_code_to_an_unverified_number_marks_it_too() -> None:
    world = World()
    stored(world, profiel())
    received = bericht(to="+31612345678", reference="ref-phone", notification_type="sms")
    assert world.verwerken()(received, TRACE) is True
    shown = world.profielen.get(PARTIJ).profiel.contactgegeven(uid(2))
    assert shown.verificatie_status(NOW) is VerificatieStatus.ONBESTELBAAR
    # Told at the verified e-mail address: a phone number of the profile does not receive.
    assert world.meldingen.sent == [
        ("a@example.nl", SoortDigitaalAdres.TELEFOONNUMMER, f"ref:aaaa:{uid(1)}")
    ]


# --- the reference --------------------------------------------------------------------------------


@pytest.fixture
def pseudonym_key(monkeypatch: pytest.MonkeyPatch):
    from shared.config import get_settings

    def use(key: str) -> None:
        monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY", key)
        monkeypatch.setenv(
            "PROFIEL_TRUSTED_ISSUERS", '[{"issuer": "x", "jwks_uri": "file:///jwks.json"}]'
        )
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def test_a_reference_opens_to_what_it_holds_and_tells_nothing(pseudonym_key) -> None:
    from shared.identity.referentie import referentie, uit_referentie

    pseudonym_key("k" * 40)
    first, second = referentie(PARTIJ, uid(1)), referentie(PARTIJ, uid(1))
    assert first != second  # two messages to one person cannot be linked by NotifyNL
    assert PARTIJ not in first and str(uid(1)) not in first
    assert uit_referentie(first) == (PARTIJ, uid(1))
    damaged = first[:-4] + ("AAAA" if not first.endswith("AAAA") else "BBBB")
    for wrong in (damaged, "", "!!", "a" * 20, first + "x"):
        assert uit_referentie(wrong) is None
    pseudonym_key("n" * 40)  # another key (a rotation began): the old reference opens no more
    assert uit_referentie(first) is None


def test_a_reference_is_not_a_klantinteracties_or_other_ciphertext(pseudonym_key) -> None:
    from shared.identity.referentie import uit_referentie

    pseudonym_key("k" * 40)
    # Anything sealed with another purpose's AES-GCM key, even of the right length, is refused.
    raw = b"\0" * 12 + AESGCM(b"\1" * 32).encrypt(b"\0" * 12, b"\2" * 48, None)
    assert uit_referentie(base64.urlsafe_b64encode(raw).decode()) is None
