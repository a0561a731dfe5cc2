"""Preferences per channel, organisation, service and branch over HTTP; the stored size; the
phase-1 shape read back. Gateway -> functions -> moto server over HTTP, organisations from the
local register (``infra/local/register.json``)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import boto3
import pytest
import requests

from infra.local.dev_idp import DevIdentityProvider
from infra.local.registers.kvk import vestigingsnummer_van_test
from infra.local.store import EmbeddedStore
from shared.identity.access import partij_key
from shared.identity.subject import ActorRole, subject_for
from shared.models.profiel import ContactgegevenToevoegen, Profiel
from shared.models.voorkeuren import Voorkeurset
from shared.store.profielen import Change, ProfielRepository
from shared.store.tables import PROFIEL_SCHEMA_VERSION, ProfielItem
from tests.builders import put_old_profiel_item
from tests.support import ApiClient, random_kvk_nummer, random_test_bsn

GEMEENTE, WATERSCHAP = "00000099000000000001", "00000099000000000002"
UITKERING = "00000099000000000003"
NIET_IN_REGISTER = "00000099000000000999"


def problem(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json()


def per_organisatie(client: ApiClient) -> dict[str, dict]:
    response = client.request("GET", "/profiel/organisaties")
    assert response.status_code == 200, response.text
    return {o["oin"]: o for o in response.json()["organisaties"]}


def test_preferences_per_organisation_and_service_show_where_they_apply(
    burger: ApiClient,
) -> None:
    email = burger.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": "a@example.nl"}
    ).json()["contactgegevens"][0]
    werk = burger.change(
        "POST",
        "/profiel/contactgegevens",
        {"soortDigitaalAdres": "email", "adres": "werk@example.nl", "isStandaardAdres": False},
    ).json()["contactgegevens"][1]
    patched = burger.change(
        "PATCH",
        "/profiel/voorkeuren",
        {"correspondentie": "digitaal", "kanalen": {"email": True, "sms": True}, "taal": "nl"},
    )
    assert patched.status_code == 200, patched.text
    organisatie = burger.change(
        "PUT",
        f"/profiel/voorkeuren/organisaties/{GEMEENTE}",
        {"kanalen": {"sms": False}, "voorkeursadressen": {"email": werk["id"]}},
    )
    assert organisatie.status_code == 200, organisatie.text
    dienst = burger.change(
        "PUT",
        f"/profiel/voorkeuren/organisaties/{GEMEENTE}/diensten/parkeren",
        {"kanalen": {"sms": True}},
    )
    assert dienst.status_code == 200, dienst.text

    shown = per_organisatie(burger)
    assert set(shown) == {GEMEENTE, WATERSCHAP, UITKERING}  # the whole register
    gemeente = shown[GEMEENTE]
    assert gemeente["naam"] == "Gemeente Voorbeeldstad"
    assert gemeente["afwijkend"] is True
    assert gemeente["voorkeuren"]["kanalen"]["sms"] is False
    assert gemeente["voorkeuren"]["kanalen"]["email"] is True  # from the default
    assert gemeente["email"]["adres"] == "werk@example.nl"
    diensten = {d["code"]: d for d in gemeente["diensten"]}
    assert diensten["parkeren"]["afwijkend"] is True
    assert diensten["parkeren"]["voorkeuren"]["kanalen"]["sms"] is True
    assert diensten["parkeren"]["email"]["adres"] == "werk@example.nl"
    assert diensten["afval"]["afwijkend"] is False
    waterschap = shown[WATERSCHAP]
    assert waterschap["afwijkend"] is False
    assert waterschap["email"]["id"] == email["id"]
    assert waterschap["voorkeuren"]["taal"] == "nl"

    assert (
        burger.change(
            "DELETE", f"/profiel/voorkeuren/organisaties/{GEMEENTE}/diensten/parkeren"
        ).status_code
        == 200
    )
    assert (
        burger.change("DELETE", f"/profiel/voorkeuren/organisaties/{GEMEENTE}").status_code == 200
    )
    assert per_organisatie(burger)[GEMEENTE]["afwijkend"] is False
    assert burger.read().json()["voorkeuren"]["organisaties"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"correspondentie": "fax"}, "correspondentie"),
        ({"kanalen": {"sms": "ja"}}, "kanalen.sms"),
        ({"kanalen": {"duif": True}}, "kanalen.duif"),
        ({"taal": "xx"}, "taal"),
        ({"weergave": {"thema": "paars"}}, "weergave.thema"),
        ({"weergave": {"aanhef": "Yo"}}, "weergave.aanhef"),
        ({"voorkeursadressen": {"email": "geen-id"}}, "voorkeursadressen.email"),
        ({"voorkeursadressen": {"email": str(uuid.UUID(int=7))}}, "voorkeursadressen.email"),
        ({"onbekend": 1}, "onbekend"),
    ],
)
def test_an_invalid_preference_is_a_400_naming_the_field_and_stores_nothing(
    burger: ApiClient, body: dict, field: str
) -> None:
    before = burger.read()
    for method, path in (
        ("PATCH", "/profiel/voorkeuren"),
        ("PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}"),
        ("PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}/diensten/afval"),
    ):
        answer = problem(burger.change(method, path, body), 400)
        assert [p["name"] for p in answer["invalidParams"]] == [field], (method, path)
    after = burger.read()
    assert after.headers["ETag"] == before.headers["ETag"]


def test_only_registered_organisations_and_services_can_be_chosen(burger: ApiClient) -> None:
    body = {"taal": "en"}
    problem(burger.change("PUT", f"/profiel/voorkeuren/organisaties/{NIET_IN_REGISTER}", body), 404)
    problem(
        burger.change("PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}/diensten/aow", body),
        404,
    )
    problem(burger.change("DELETE", f"/profiel/voorkeuren/organisaties/{WATERSCHAP}"), 404)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/profiel/voorkeuren/organisaties/123", "oin"),
        (f"/profiel/voorkeuren/organisaties/{GEMEENTE}/diensten/AOW!", "dienst"),
    ],
)
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_a_malformed_oin_or_dienst_is_invalid_input_naming_it(
    burger: ApiClient, method: str, path: str, parameter: str
) -> None:
    before = burger.read()
    answer = problem(burger.change(method, path, {"taal": "en"} if method == "PUT" else None), 400)
    assert [p["name"] for p in answer["invalidParams"]] == [parameter]
    assert burger.read().headers["ETag"] == before.headers["ETag"]


def test_a_branch_representative_sets_the_branch_which_falls_back_to_the_company(
    api_url: str, idp: DevIdentityProvider
) -> None:
    kvk = random_kvk_nummer()
    vestiging = vestigingsnummer_van_test(kvk, 1)  # a branch of it in the Handelsregister
    company = ApiClient(api_url, idp.ondernemer_token(kvk))
    branch = ApiClient(api_url, idp.ondernemer_token(kvk, vestigingsnummer=vestiging))
    assert (
        company.change(
            "PATCH", "/profiel/voorkeuren", {"kanalen": {"email": True, "sms": True}}
        ).status_code
        == 200
    )
    assert (
        company.change(
            "PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}", {"taal": "de"}
        ).status_code
        == 200
    )
    assert (
        branch.change("PATCH", "/profiel/voorkeuren", {"kanalen": {"sms": False}}).status_code
        == 200
    )

    stored = company.read().json()["voorkeuren"]
    assert stored["kanalen"]["sms"] is True  # the company's own default is untouched
    assert stored["vestigingen"][0]["vestigingsnummer"] == vestiging
    for_branch = per_organisatie(branch)[GEMEENTE]["voorkeuren"]
    assert for_branch["kanalen"] == {**for_branch["kanalen"], "email": True, "sms": False}
    assert for_branch["taal"] == "de"
    for_company = per_organisatie(company)[GEMEENTE]["voorkeuren"]
    assert for_company["kanalen"]["sms"] is True


def realistic_maximal_profile() -> Profiel:
    """5 e-mail addresses, 3 phone numbers, a postal address, every default preference, and
    preferences for 20 organisations - some with a service, half with their own address."""
    from functions.update_profile import core
    from functions.verify_contact.core import verified

    profiel = Profiel()
    now = datetime.now(UTC)
    adressen = [("email", f"voornaam.achternaam{i}@voorbeeldprovider.nl") for i in range(5)]
    adressen += [("telefoonnummer", f"06 1234567{i}") for i in range(3)]
    for soort, adres in adressen:
        request = ContactgegevenToevoegen.model_validate(
            {"soortDigitaalAdres": soort, "adres": adres, "omschrijving": "Privé"}
        )
        profiel, added = core.add_contactgegeven(profiel, request, uuid.uuid4())
        profiel = verified(profiel, added, now)
    profiel = core.set_postadres(
        profiel,
        Profiel.model_validate(
            {
                "postadres": {
                    "soort": "nederlands",
                    "straat": "Burgemeester van Walsumweg",
                    "huisnummer": 1234,
                    "huisletter": "A",
                    "huisnummertoevoeging": "bis",
                    "postcode": "1234AB",
                    "woonplaats": "Ons Dorp aan de Rijn",
                }
            }
        ).postadres,
    )
    tweede_email = profiel.contactgegevens[1].id
    profiel = core.change_voorkeuren(
        profiel,
        Voorkeurset.model_validate(
            {
                "correspondentie": "digitaal",
                "kanalen": {
                    "email": True,
                    "sms": True,
                    "berichtenbox": True,
                    "portaal": False,
                    "post": False,
                },
                "taal": "nl",
                "weergave": {"aanhef": "informeel", "thema": "donker", "lettergrootte": "groot"},
            }
        ),
    )
    for n in range(20):
        choice = {"kanalen": {"sms": False, "berichtenbox": True}}
        if n % 2:
            choice["voorkeursadressen"] = {"email": str(tweede_email)}
        profiel = core.set_organisatie(
            profiel, f"00000001{n:012d}", Voorkeurset.model_validate(choice)
        )
        if n % 5 == 0:
            profiel = core.set_dienst(
                profiel, f"00000001{n:012d}", "vergunningen", Voorkeurset(correspondentie="post")
            )
    return profiel


def dynamodb_size(value: dict) -> int:
    """The size DynamoDB bills for one attribute value (AWS's documented rules)."""
    [(kind, content)] = value.items()
    if kind == "S":
        return len(content.encode())
    if kind == "N":
        digits = len(content.lstrip("-").replace(".", "").lstrip("0")) or 1
        return (digits + 1) // 2 + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + dynamodb_size(v) for v in content)
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + dynamodb_size(v) for k, v in content.items())
    raise AssertionError(kind)


def test_a_realistic_maximal_profile_fits_one_read_unit(store: EmbeddedStore) -> None:
    profiel = realistic_maximal_profile()
    assert len(profiel.voorkeuren.organisaties) == 20
    key = partij_key(subject_for(random_test_bsn()))
    change = Change(ActorRole.BURGER, None, datetime.now(UTC), "0" * 32)
    ProfielRepository().save(key, profiel, 0, change)
    client = boto3.client("dynamodb", endpoint_url=store.endpoint)
    raw = client.get_item(TableName=ProfielItem.Meta.table_name, Key={"partij": {"S": key}})["Item"]
    size = sum(len(name.encode()) + dynamodb_size(value) for name, value in raw.items())
    print(f"\nrealistic maximal profile as stored: {size} bytes")
    assert size < 4096
    assert ProfielRepository().get(key).profiel == profiel


def test_a_profile_stored_in_the_phase_1_shape_reads_in_the_new_shape(
    store: EmbeddedStore, api_url: str, idp: DevIdentityProvider
) -> None:
    bsn = random_test_bsn()
    key = partij_key(subject_for(bsn))
    contact_id = str(uuid.uuid4())
    # Exactly what phase 1 wrote: schema version 1, voorkeuren with only the general choice.
    client = put_old_profiel_item(
        store, key, 1, {"id": contact_id}, voorkeuren={"M": {"correspondentie": {"S": "post"}}}
    )

    owner = ApiClient(api_url, idp.burger_token(bsn))
    read = owner.read()
    assert read.status_code == 200, read.text
    assert read.headers["ETag"] == '"3"'
    body = read.json()
    assert body["voorkeuren"]["correspondentie"] == "post"
    assert body["voorkeuren"]["organisaties"] == []
    assert body["contactgegevens"][0]["id"] == contact_id
    assert per_organisatie(owner)[GEMEENTE]["voorkeuren"]["correspondentie"] == "post"

    # The next change stores the new shape, and the old choice with it.
    changed = owner.change("PUT", f"/profiel/voorkeuren/organisaties/{GEMEENTE}", {"taal": "en"})
    assert changed.status_code == 200, changed.text
    stored = client.get_item(TableName=ProfielItem.Meta.table_name, Key={"partij": {"S": key}})
    assert stored["Item"]["schema_version"] == {"N": str(PROFIEL_SCHEMA_VERSION)}
    assert json.loads(json.dumps(changed.json()["voorkeuren"]))["correspondentie"] == "post"


def test_a_verification_moment_of_schema_2_reads_as_its_day_in_the_netherlands(
    store: EmbeddedStore, api_url: str, idp: DevIdentityProvider
) -> None:
    bsn = random_test_bsn()
    key = partij_key(subject_for(bsn))
    contact_id = str(uuid.uuid4())
    verified_late_evening_utc = "2026-06-30T22:30:00+00:00"  # 1 July, 00:30 in Amsterdam
    put_old_profiel_item(
        store, key, 2, {"id": contact_id, "verificatieDatum": verified_late_evening_utc}
    )

    owner = ApiClient(api_url, idp.burger_token(bsn))
    [shown] = owner.read().json()["contactgegevens"]
    assert shown["verificatieDatum"] == "2026-07-01"
    assert shown["verificatieStatus"] == "geverifieerd"
