"""Open Klant's clients write back, unchanged, and the person sees it: NotifyNL's OMC records each
message it sent as a klantcontact - a contact moment in the person's history, never the message -
and Open Forms saves an address for next time, which no organisation gets until its owner has
verified it with a code.

Through the local gateway over HTTP, with the municipality's API key of the local register, as
the OMC and Open Forms send it.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import requests

from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.contactmoment import Contactmoment
from shared.store.audit import AuditTrail
from shared.store.tables import ContactmomentItem, ProfielItem, VerwerkingItem
from tests.integration.test_klantinteracties import OpenKlantClient, person_with_two_addresses
from tests.integration.test_lookup import GEMEENTE, Organisation
from tests.integration.test_verification import last_code, received
from tests.support import ApiClient, random_test_bsn, wait_for

UITKERINGSINSTANTIE = "00000099000000000003"  # a grant for notificatie too, in the local register


class OmcClient(OpenKlantClient):
    def post(self, path: str, body: dict) -> requests.Response:
        return requests.post(self.base + path, json=body, headers=self.headers, timeout=60)

    def partij_uuid(self, bsn: str) -> str:
        [partij] = self.partij_by_bsn(bsn).json()["results"]
        return partij["uuid"]


def klantcontact(onderwerp: str, inhoud: str, gelukt: bool = True) -> dict:
    """As NotifyNL's OMC (workflow v2) builds it."""
    return {
        "kanaal": "Email",
        "onderwerp": onderwerp,
        "inhoud": inhoud,
        "indicatieContactGelukt": gelukt,
        "taal": "nl",
        "vertrouwelijk": True,
        "plaatsgevondenOp": "2026-11-22T11:00:00.0000000",
    }


def betrokkene(partij: str) -> dict:
    """As NotifyNL's OMC builds it: the partij UUID it read, the person the client."""
    return {"wasPartij": {"uuid": partij}, "rol": "klant", "initiator": True}


ZAAK = {
    "objectId": "0b2f6d6c-3c3e-4d4f-9a5e-7c1a2b3c4d5e",
    "codeObjecttype": "zaak",
    "codeRegister": "openzaak",
    "codeSoortObjectId": "uuid",
}


def stored_anywhere(text: str) -> bool:
    """Whether ``text`` is in any item of the contact moments, the profiles or the Logboek."""
    return any(
        text in json.dumps(item.attribute_values, default=str)
        for table in (ContactmomentItem, ProfielItem, VerwerkingItem)
        for item in table.scan()
    )


def test_the_omc_s_maak_klantcontact_becomes_a_contact_moment_without_its_content(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> None:
    bsn, person, _, _ = person_with_two_addresses(api_url, idp, notify)
    omc = OmcClient(api_url)
    message = f"Uw aanvraag is verleend (kenmerk {uuid.uuid4().hex})."
    onderwerp = f"Parkeervergunning {uuid.uuid4().hex[:8]}"
    body = {
        "klantcontact": klantcontact(onderwerp, message),
        "betrokkene": betrokkene(omc.partij_uuid(bsn)),
        "onderwerpobject": {"onderwerpobjectidentificator": ZAAK},
    }
    made = omc.post("/maak-klantcontact", body)
    assert made.status_code == 201, made.text
    answer = made.json()
    kc = answer["klantcontact"]
    assert kc["url"].endswith(f"/klantinteracties/api/v1/klantcontacten/{kc['uuid']}")
    made_betrokkene = {k: answer["betrokkene"][k] for k in ("uuid", "url")}
    assert kc["hadBetrokkenen"] == [made_betrokkene]
    assert answer["onderwerpobject"]["klantcontact"]["uuid"] == kc["uuid"]
    assert message not in made.text

    [moment] = person.request("GET", "/profiel/contactmomenten").json()["contactmomenten"]
    assert moment["organisatie"] == {"oin": GEMEENTE, "naam": "Gemeente Voorbeeldstad"}
    assert (moment["kanaal"], moment["onderwerp"], moment["gelukt"]) == ("Email", onderwerp, True)
    assert moment["tijdstip"].startswith("2026-11-22T11:00:00+01:00")
    assert not stored_anywhere(message)
    # In the export too, and gone with the profile.
    assert person.request("GET", "/profiel/export").json()["contactmomenten"] == [moment]
    assert person.change("DELETE", "/profiel").status_code == 204
    assert list(ContactmomentItem.query(partij_key(subject_for(bsn)))) == []


def test_the_omc_s_three_steps_after_reading_the_partij(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> None:
    bsn, person, _, _ = person_with_two_addresses(api_url, idp, notify)
    omc = OmcClient(api_url)
    partij = omc.partij_uuid(bsn)
    message = f"Bericht {uuid.uuid4().hex}"
    # The OMC's own POST /klantcontacten says nothing of when: now.
    sent = klantcontact("Status gewijzigd", message, False)
    del sent["plaatsgevondenOp"]
    made = omc.post("/klantcontacten", sent)
    assert made.status_code == 201, made.text
    kc = made.json()["uuid"]
    # Not the person's yet: a klantcontact of nobody.
    assert person.request("GET", "/profiel/contactmomenten").json()["contactmomenten"] == []

    linked = omc.post(
        "/betrokkenen",
        betrokkene(partij) | {"hadKlantcontact": {"uuid": kc}},
    )
    assert linked.status_code == 201, linked.text
    assert linked.json()["wasPartij"]["uuid"] == partij
    about = omc.post(
        "/onderwerpobjecten",
        {
            "klantcontact": {"uuid": kc},
            "wasKlantcontact": {"uuid": kc},
            "onderwerpobjectidentificator": ZAAK,
        },
    )
    assert about.status_code == 201, about.text
    assert about.json()["onderwerpobjectidentificator"]["objectId"] == ZAAK["objectId"]

    [moment] = person.request("GET", "/profiel/contactmomenten").json()["contactmomenten"]
    assert (moment["onderwerp"], moment["gelukt"]) == ("Status gewijzigd", False)
    assert not stored_anywhere(message)
    # The link is a processing of the person's data: the inzage shows it.
    inzage = person.request("GET", "/profiel/inzage").json()["processingActivities"]
    assert "vastleggen contactmoment" in {a["name"] for a in inzage}


def test_another_organisation_s_partij_uuid_is_refused_and_nothing_is_stored(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> None:
    bsn, person, _, _ = person_with_two_addresses(api_url, idp, notify)
    scope = "profielservice.opvragen doel:notificatie"
    token = idp.organisation_token(UITKERINGSINSTANTIE, scope=scope)
    theirs = OmcClient(api_url, token, "Bearer").partij_uuid(bsn)
    omc = OmcClient(api_url)
    assert omc.partij_uuid(bsn) != theirs

    onderwerp = f"Niet van ons {uuid.uuid4().hex}"
    refused = omc.post(
        "/maak-klantcontact",
        {
            "klantcontact": klantcontact(onderwerp, "x"),
            "betrokkene": betrokkene(theirs),
        },
    )
    assert refused.status_code == 400
    assert refused.headers["Content-Type"] == "application/problem+json"
    [param] = refused.json()["invalidParams"]
    assert param["name"] == "betrokkene.wasPartij.uuid"
    assert bsn not in refused.text
    assert not stored_anywhere(onderwerp)

    kc = omc.post("/klantcontacten", klantcontact(onderwerp, "x")).json()["uuid"]
    step = omc.post(
        "/betrokkenen",
        betrokkene(theirs) | {"hadKlantcontact": {"uuid": kc}},
    )
    assert step.status_code == 400
    assert [p["name"] for p in step.json()["invalidParams"]] == ["wasPartij.uuid"]
    assert person.request("GET", "/profiel/contactmomenten").json()["contactmomenten"] == []


def test_open_forms_saves_an_address_no_organisation_gets_until_its_owner_verifies_it(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn, pump
) -> None:
    bsn = random_test_bsn()
    person = ApiClient(api_url, idp.burger_token(bsn))
    phone = {"soortDigitaalAdres": "telefoonnummer", "adres": f"06 3{uuid.uuid4().int % 10**7:07d}"}
    assert person.change("POST", "/profiel/contactgegevens", phone).status_code == 201
    open_forms = OmcClient(api_url)
    gemeente = Organisation(api_url, idp.organisation_token(GEMEENTE))
    email = f"bewaard.{uuid.uuid4().hex[:8]}@example.nl"

    body = {
        "verstrektDoorPartij": {"uuid": open_forms.partij_uuid(bsn)},
        "adres": email,
        "soortDigitaalAdres": "email",
        "verificatieDatum": "2026-11-01",  # not the organisation's to say
    }
    saved = open_forms.post("/digitaleadressen", body)
    assert saved.status_code == 201, saved.text
    assert (saved.json()["adres"], saved.json()["verificatieDatum"]) == (email, None)
    # Sent again: there already - the same answer, nothing changes.
    version = person.read().headers["ETag"]
    assert open_forms.post("/digitaleadressen", body).json() == saved.json()
    assert person.read().headers["ETag"] == version

    [added] = [c for c in person.read().json()["contactgegevens"] if c["adres"] == email]
    assert added["verificatieStatus"] == "niet-geverifieerd"
    assert received(notify, email) == []  # no code was sent
    assert gemeente.look_up(bsn).json()["resultaten"][0]["gegevens"]["email"] is None
    [partij] = open_forms.partij_by_bsn(bsn).json()["results"]
    assert email not in {a["adres"] for a in partij["_expand"]["digitaleAdressen"]}
    # The history shows the change in the organisation's role (from the stream: in a moment).
    wait_for(lambda: len(AuditTrail().of(partij_key(subject_for(bsn)))) == 2)
    history = person.request("GET", "/profiel/historie").json()["wijzigingen"]
    assert (history[0]["velden"], history[0]["door"]) == (["contactgegevens.email"], "organisatie")

    # The owner asks for a code and enters it: now it is given.
    path = f"/profiel/contactgegevens/{added['id']}"
    assert person.request("POST", f"{path}/verificatiecode").status_code == 202
    code = last_code(notify, email)
    assert person.request("POST", f"{path}/verificatie", {"code": code}).status_code == 200
    assert gemeente.look_up(bsn).json()["resultaten"][0]["gegevens"]["email"] == email
    [partij] = open_forms.partij_by_bsn(bsn).json()["results"]
    assert email in {a["adres"] for a in partij["_expand"]["digitaleAdressen"]}


def test_an_address_for_no_partij_of_ours_or_of_a_kind_not_kept_is_a_bad_field(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> None:
    bsn, person, _, _ = person_with_two_addresses(api_url, idp, notify)
    open_forms = OmcClient(api_url)
    version = person.read().headers["ETag"]
    unknown = open_forms.post(
        "/digitaleadressen",
        {
            "verstrektDoorPartij": {"uuid": str(uuid.uuid4())},
            "adres": "a@example.nl",
            "soortDigitaalAdres": "email",
        },
    )
    assert unknown.status_code == 400
    assert [p["name"] for p in unknown.json()["invalidParams"]] == ["verstrektDoorPartij.uuid"]
    overig = open_forms.post(
        "/digitaleadressen",
        {
            "verstrektDoorPartij": {"uuid": open_forms.partij_uuid(bsn)},
            "adres": "@jan",
            "soortDigitaalAdres": "overig",
        },
    )
    assert overig.status_code == 400
    assert [p["name"] for p in overig.json()["invalidParams"]] == ["soortDigitaalAdres"]
    assert person.read().headers["ETag"] == version


def test_a_body_open_klant_s_document_refuses_is_refused_whole_even_where_it_is_dropped(
    api_url: str,
) -> None:
    omc = OmcClient(api_url)
    onderwerp = f"Ongeldig {uuid.uuid4().hex}"
    sent = klantcontact(onderwerp, "x") | {"metadata": {"zaak": "x" * 256}}
    refused = omc.post(
        "/maak-klantcontact",
        {
            "klantcontact": sent,
            "betrokkene": {
                "rol": "klant",
                "initiator": True,
                "bezoekadres": {"straatnaam": 12, "adresregel2": "x" * 81},
            },
        },
    )
    assert refused.status_code == 400, refused.text
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert sorted(p["name"] for p in refused.json()["invalidParams"]) == [
        "betrokkene.bezoekadres.adresregel2",
        "betrokkene.bezoekadres.straatnaam",
        "klantcontact.metadata.zaak",
    ]
    assert not stored_anywhere(onderwerp)
    # null where the document has a text: not taken as "".
    about = omc.post(
        "/onderwerpobjecten", {"onderwerpobjectidentificator": ZAAK | {"codeRegister": None}}
    )
    assert about.status_code == 400, about.text
    names = [p["name"] for p in about.json()["invalidParams"]]
    assert names == ["onderwerpobjectidentificator.codeRegister"]


def test_no_body_is_read_as_open_klant_reads_it_and_a_body_not_json_is_415(api_url: str) -> None:
    omc = OmcClient(api_url)
    # No content at all is an empty object, as Django REST framework reads it: 400 naming what
    # the document requires - or, for an onderwerpobject (its document requires no body), one
    # of nothing.
    empty = requests.post(omc.base + "/klantcontacten", headers=omc.headers, timeout=60)
    assert empty.status_code == 400, empty.text
    assert empty.headers["Content-Type"] == "application/problem+json"
    assert [(p["name"], p["code"]) for p in empty.json()["invalidParams"]] == [
        ("kanaal", "missing"),
        ("onderwerp", "missing"),
        ("taal", "missing"),
        ("vertrouwelijk", "missing"),
    ]
    nothing = requests.post(omc.base + "/onderwerpobjecten", headers=omc.headers, timeout=60)
    assert nothing.status_code == 201, nothing.text
    assert nothing.json()["onderwerpobjectidentificator"] is None
    text = requests.post(
        omc.base + "/klantcontacten",
        data="kanaal=Email",
        headers=omc.headers | {"Content-Type": "text/plain"},
        timeout=60,
    )
    assert text.status_code == 415
    # An answer has no hoofdOnderwerpType that was not sent: the document's is a URI, never "".
    made = omc.post("/klantcontacten", klantcontact("Zonder type", "x"))
    assert made.status_code == 201, made.text
    assert "hoofdOnderwerpType" not in made.json()


def test_a_key_rotation_moves_the_contact_moments_and_leaves_klantcontacten_of_nobody(
    store,
) -> None:
    from shared.store.contactmomenten import ContactmomentRepository
    from shared.store.rotation import RotationKeys, _stored_keys, move_partij

    repository = ContactmomentRepository()
    old, new = uuid.uuid4().hex * 2, uuid.uuid4().hex * 2
    now = datetime.now(UTC)
    moment = Contactmoment(str(uuid.uuid4()), GEMEENTE, "Email", "Verplaatst", now, True)
    repository.koppel(old, moment)
    repository.bewaar_klantcontact(moment, now)
    # Only the partij's own items: a klantcontact of nobody is no partij's to move.
    assert ("contactmomenten", old) in set(_stored_keys())
    assert not any(key.startswith("klantcontact:") for _, key in _stored_keys())

    move_partij(old, new, RotationKeys(b"oud" * 11, b"nieuw" * 7))
    assert repository.van(old, now) == []
    [moved] = repository.van(new, now)
    assert moved == moment
    assert repository.klantcontact(GEMEENTE, moment.klantcontact, now) == moment
    move_partij(old, new, RotationKeys(b"oud" * 11, b"nieuw" * 7))  # again: harmless
    assert repository.van(new, now) == [moment]
