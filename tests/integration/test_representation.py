"""Acting for another person, and a person known only by eIDAS, over HTTP.

Through the local gateway, the stream pump and process-log, with tokens of the development IdP:
a gemachtigde, a curator and a bewindvoerder maintain one person's profile, which the person's
own login sees as they left it, and every change is in the person's history in the role it was
made in. A person logging in through eIDAS keeps a profile no basisregistratie knows, which an
organisation finds only for a purpose that covers eIDAS.
"""

from __future__ import annotations

import re
import uuid

import requests

from infra.local.dev_idp import AUDIENCE, DevIdentityProvider
from infra.local.notify import NotifyStandIn
from pump.stream import StreamPump
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.models.partij import SoortIdentificator, oidc_id_type
from shared.store.audit import AuditTrail
from tests.support import (
    PERSONAL_DATA,
    ApiClient,
    random_eidas_identificator,
    random_test_bsn,
    wait_for,
)

GEMEENTE = "00000099000000000001"
ACR_LOW = "http://eidas.europa.eu/LoA/low"


def test_representatives_changes_are_in_the_persons_history_in_their_roles(
    api_url: str, idp: DevIdentityProvider, pump: StreamPump
) -> None:
    bsn, gemachtigde_bsn = random_test_bsn(), random_test_bsn()
    person = ApiClient(api_url, idp.burger_token(bsn))
    gemachtigde = ApiClient(api_url, idp.representative_token(bsn, "gemachtigde", gemachtigde_bsn))
    curator = ApiClient(api_url, idp.representative_token(bsn, "curator"))
    bewindvoerder = ApiClient(api_url, idp.representative_token(bsn, "bewindvoerder"))

    assert person.change("PATCH", "/profiel/voorkeuren", {"taal": "nl"}).status_code == 200
    email = f"namens.{uuid.uuid4().hex[:10]}@example.nl"
    gemachtigde.read()
    added = gemachtigde.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": email}
    )
    assert added.status_code == 201, added.text
    curator.read()
    assert curator.change("PUT", "/profiel/delen", {"geweigerd": [GEMEENTE]}).status_code == 200
    bewindvoerder.read()
    changed = bewindvoerder.change("PATCH", "/profiel/voorkeuren", {"correspondentie": "post"})
    assert changed.status_code == 200, changed.text

    # One profile, whoever acts: the person's own login sees exactly what the others left.
    own, theirs = person.read(), gemachtigde.read()
    assert own.status_code == theirs.status_code == 200
    assert own.json() == theirs.json() and own.headers["ETag"] == theirs.headers["ETag"] == '"4"'
    assert [c["adres"] for c in own.json()["contactgegevens"]] == [email]
    # The gemachtigde's own profile is untouched.
    assert ApiClient(api_url, idp.burger_token(gemachtigde_bsn)).read().headers["ETag"] == '"0"'

    partij = partij_key(subject_for(bsn))
    wait_for(lambda: len(AuditTrail().of(partij)) == 4)
    history = person.request("GET", "/profiel/historie").json()["wijzigingen"]
    assert [(c["actie"], c["velden"], c["door"], c["versie"]) for c in history] == [
        ("gewijzigd", ["voorkeuren.correspondentie"], "bewindvoerder", 4),
        ("gewijzigd", ["delen"], "curator", 3),
        ("gewijzigd", ["contactgegevens.email"], "gemachtigde", 2),
        ("aangemaakt", ["voorkeuren.taal"], "burger", 1),
    ]
    # A representative reads the same history: they act for the person.
    assert gemachtigde.request("GET", "/profiel/historie").json()["wijzigingen"] == history
    # Who acted is kept as a pseudonym per person, never as their identifier.
    actors = [r.actor for r in AuditTrail().of(partij)]
    assert actors[0] is None and len(set(actors[1:])) == 3 and None not in actors[1:]
    assert all(gemachtigde_bsn not in actor for actor in actors[1:])
    assert gemachtigde_bsn not in str(history) and email not in str(history)


def test_a_representative_of_a_person_is_refused_at_the_organisation_operation(
    api_url: str, idp: DevIdentityProvider
) -> None:
    token = idp.representative_token(random_test_bsn(), "curator", scope="profielservice.opvragen")
    answer = requests.post(
        api_url + "/opvragingen",
        json={"doel": "notificatie", "betrokkenen": [{"bsn": random_test_bsn()}]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 403


def test_an_eidas_person_keeps_a_profile_no_basisregistratie_knows(
    api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn
) -> None:
    identificator = random_eidas_identificator()
    person = ApiClient(api_url, idp.eidas_token(identificator))
    read = person.read()
    assert read.status_code == 200, read.text
    assert read.json()["registratie"] == {"bron": "geen", "beschikbaar": True, "bijgehouden": True}

    email = f"eidas.{uuid.uuid4().hex[:10]}@example.nl"
    added = person.change(
        "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": email}
    ).json()["contactgegevens"][0]
    code = re.search(r"\d{6}", notify.messages_to(email)[-1].body).group(0)
    PERSONAL_DATA.register(code)
    verify = f"/profiel/contactgegevens/{added['id']}/verificatie"
    assert person.request("POST", verify, {"code": code}).status_code == 200
    assert person.change("PUT", "/profiel/contactnaam", {"contactnaam": "J. García"}).ok

    gemeente = {"Authorization": f"Bearer {idp.organisation_token(GEMEENTE)}"}

    def look_up(doel: str, betrokkene: dict[str, str]) -> requests.Response:
        body = {"doel": doel, "betrokkenen": [betrokkene]}
        return requests.post(api_url + "/opvragingen", json=body, headers=gemeente, timeout=30)

    # "notificatie" covers eIDAS (infra/local/register.json); "aanslag-versturen" does not.
    found = look_up("notificatie", {"eidas": identificator})
    assert found.status_code == 200, found.text
    [result] = found.json()["resultaten"]
    assert result["beschikbaar"] is True and result["gegevens"]["email"] == email
    [absent] = look_up("aanslag-versturen", {"eidas": identificator}).json()["resultaten"]
    assert absent == {"beschikbaar": False}
    [unknown] = look_up("aanslag-versturen", {"eidas": "DE/NL/NIEMAND"}).json()["resultaten"]
    assert unknown == absent
    refused = look_up("notificatie", {"eidas": "NL/NL/123456789"})
    assert refused.status_code == 400
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["betrokkenen.0.eidas"]
    assert "123456789" not in refused.text

    # Both lookups are in the person's inzage.
    inzage = person.request("GET", "/profiel/inzage").json()["processingActivities"]
    assert sorted(a["doel"]["code"] for a in inzage) == ["aanslag-versturen", "notificatie"]

    # Assurance: eIDAS "low" is refused by default, as for anyone.
    low = ApiClient(api_url, idp.eidas_token(identificator, acr=ACR_LOW)).read()
    assert low.status_code == 403


def test_an_eidas_login_that_brings_a_bsn_is_the_burger_with_that_bsn(
    api_url: str, idp: DevIdentityProvider
) -> None:
    bsn = random_test_bsn()
    burger = ApiClient(api_url, idp.burger_token(bsn))
    assert burger.change("PATCH", "/profiel/voorkeuren", {"taal": "de"}).status_code == 200
    alt_sub = [{"sub": bsn, "sub_id_type": oidc_id_type(SoortIdentificator.BSN), "aud": AUDIENCE}]
    eidas = ApiClient(api_url, idp.eidas_token(random_eidas_identificator(), alt_sub=alt_sub))
    read = eidas.read()
    assert read.status_code == 200 and read.headers["ETag"] == '"1"'
    assert read.json() == burger.read().json()
    assert read.json()["registratie"]["bron"] == "brp"
