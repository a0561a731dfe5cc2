"""Who may do what: every operation of the registry x every kind of caller, over HTTP.

One table-driven test. The owner has a profile with one e-mail address; every other caller
works on the owner's contact detail id and must never reach it (404), persons get only their own
profile on collection operations, organisations are refused at portal operations (403), and no
token is 401. The organisation operation is the reverse: only an organisation with a grant.
Persons are a burger, a company's representative, a person logged in through eIDAS, and two who
act for another person (a gemachtigde, a curator): each on the profile they act for, which is
never the owner's - a gemachtigde is refused where the person's own rights are at stake (sharing,
erasure). No answer to anyone but the owner carries the owner's e-mail address, contact detail id
or BSN, and nothing anyone else does changes the owner's profile or sends the owner a message.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests

from functions.registry import BASE_PATH, FUNCTIONS
from infra.local.demo import GEMEENTE_API_KEY
from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.identity.verwijzing import partij_uuid
from shared.store.tables import VerificatieItem
from tests.support import (
    PERSONAL_DATA,
    random_eidas_identificator,
    random_kvk_nummer,
    random_test_bsn,
)

GRANTED_OIN = "00000099000000000001"
UNGRANTED_OIN = "00000099000000000002"
DIENST = "parkeren"
DOEL_SCOPE = "profielservice.opvragen doel:notificatie"
# Served without authentication by design (the API's description): not part of the matrix.
UNAUTHENTICATED_ROUTES = {"GET /openapi.json"}

OWNER = "owner"
OTHER_BURGER = "other-burger"
OTHER_COMPANY = "other-company-representative"
EIDAS_BURGER = "eidas-burger"
GEMACHTIGDE = "gemachtigde-of-another-person"
CURATOR = "curator-of-another-person"
PERSONS = (OTHER_BURGER, OTHER_COMPANY, EIDAS_BURGER, GEMACHTIGDE, CURATOR)
ORG_GRANTED = "organisation-with-grant"
ORG_UNGRANTED = "organisation-without-grant"
# Organisations' existing clients (Toegang.KOPPELING): the granted organisation's API key from the
# register, the same organisation's token with a doel scope, and another organisation's token
# naming a purpose it has no grant for.
API_KEY = "api-key-of-organisation-with-grant"
ORG_GRANTED_DOEL = "organisation-with-grant-doel-scope"
ORG_UNGRANTED_DOEL = "organisation-without-grant-doel-scope"
ORGANISATIONS = (ORG_UNGRANTED, ORG_GRANTED, API_KEY, ORG_GRANTED_DOEL, ORG_UNGRANTED_DOEL)
ANONYMOUS = "no-token"
# The owner goes last: by then every other caller has tried the owner's data.
CALLERS = (ANONYMOUS, *ORGANISATIONS, *PERSONS, OWNER)


def portal(owner: int, other_person: int, gemachtigde: int | None = None) -> dict[str, set[int]]:
    """A portal operation's row: persons as given, organisations 403, no token 401. The
    gemachtigde as another person, except where the person's own rights are at stake
    (``gemachtigde``: 403, ``PartijCaller.mag_rechten_uitoefenen``)."""
    return {
        OWNER: {owner},
        **{person: {other_person} for person in PERSONS},
        GEMACHTIGDE: {other_person if gemachtigde is None else gemachtigde},
        **{organisation: {403} for organisation in ORGANISATIONS},
        API_KEY: {401},  # no access token at all
        ANONYMOUS: {401},
    }


def koppeling(granted: int, ungranted: int = 403) -> dict[str, set[int]]:
    """An existing client's operation (Klantinteracties, MOZa): only credentials bound to a
    purpose the organisation has a grant for - an API key, or a token with a doel scope; a token
    without one is 403, as is a person's."""
    return {
        OWNER: {403},
        **{person: {403} for person in PERSONS},
        ORG_GRANTED: {403},
        ORG_UNGRANTED: {403},
        API_KEY: {granted},
        ORG_GRANTED_DOEL: {granted},
        ORG_UNGRANTED_DOEL: {ungranted},
        ANONYMOUS: {401},
    }


# The expected status of every cell. A non-owner on the owner's contact detail: 404; a person on
# a collection operation: a 2xx on their own (possibly empty) profile.
EXPECTED: dict[str, dict[str, set[int]]] = {
    "GET /profiel": portal(owner=200, other_person=200),
    "GET /profiel/contactgegevens/{contactgegevenId}": portal(owner=200, other_person=404),
    "GET /profiel/organisaties": portal(owner=200, other_person=200),
    "GET /adressen": portal(owner=200, other_person=200),
    "GET /profiel/export": portal(owner=200, other_person=200),
    "POST /profiel/contactgegevens": portal(owner=201, other_person=201),
    "PATCH /profiel/contactgegevens/{contactgegevenId}": portal(owner=200, other_person=404),
    "DELETE /profiel/contactgegevens/{contactgegevenId}": portal(owner=200, other_person=404),
    "PUT /profiel/postadres": portal(owner=200, other_person=200),
    "DELETE /profiel/postadres": portal(owner=200, other_person=200),
    # Each person sets their own contactnaam just before removing it again.
    "PUT /profiel/contactnaam": portal(owner=200, other_person=200),
    "DELETE /profiel/contactnaam": portal(owner=200, other_person=200),
    "PATCH /profiel/voorkeuren": portal(owner=200, other_person=200),
    "PUT /profiel/delen": portal(owner=200, other_person=200, gemachtigde=403),
    "PUT /profiel/voorkeuren/organisaties/{oin}": portal(owner=200, other_person=200),
    "DELETE /profiel/voorkeuren/organisaties/{oin}": portal(owner=200, other_person=200),
    "PUT /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}": portal(
        owner=200, other_person=200
    ),
    "DELETE /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}": portal(
        owner=200, other_person=200
    ),
    "POST /profiel/contactgegevens/{contactgegevenId}/verificatiecode": portal(
        owner=202, other_person=404
    ),
    "POST /profiel/contactgegevens/{contactgegevenId}/verificatie": portal(
        owner=200, other_person=404
    ),
    "GET /profiel/inzage": portal(owner=200, other_person=200),
    "GET /profiel/historie": portal(owner=200, other_person=200),
    # Last of all: each person erases the profile they act for - the gemachtigde may not.
    "DELETE /profiel": portal(owner=204, other_person=204, gemachtigde=403),
    "POST /opvragingen": {
        OWNER: {403},
        **{person: {403} for person in PERSONS},
        ORG_GRANTED: {200},
        ORG_UNGRANTED: {403},
        API_KEY: {401},  # an API key is for existing clients only
        ORG_GRANTED_DOEL: {200},
        ORG_UNGRANTED_DOEL: {403},
        ANONYMOUS: {401},
    },
    # The owner's address is not verified while the others try: the granted organisation was
    # never given it, so its report changes nothing - and is answered as any other (202).
    "POST /onbestelbaar": {
        OWNER: {403},
        **{person: {403} for person in PERSONS},
        ORG_GRANTED: {202},
        ORG_UNGRANTED: {403},
        API_KEY: {401},
        ORG_GRANTED_DOEL: {202},
        ORG_UNGRANTED_DOEL: {403},
        ANONYMOUS: {401},
    },
    # NotifyNL's callback takes NotifyNL's bearer token only: no person's or organisation's.
    "POST /notifynl/afleverberichten": {name: {401} for name in CALLERS},
    # The owner's partij UUID for the granted organisation: another organisation finds nothing
    # by it (404), whatever its grants.
    "GET /klantinteracties/api/v1/partijen": koppeling(200),
    "GET /klantinteracties/api/v1/partijen/{uuid}": koppeling(200, ungranted=404),
    "GET /klantinteracties/api/v1/digitaleadressen": koppeling(200),
    # MOZa's contract: the owner has a profile (nothing verified yet, so no address in it).
    "POST /api/profielservice/v1/partij": koppeling(200),
    "POST /api/profielservice/v1/partijen/bulk": koppeling(200),
    # Open Klant's clients write back: a klantcontact (and its betrokkene naming the owner's
    # partij UUID for the granted organisation, and its onderwerpobject) - a contact moment of
    # the owner's, in a table of its own; an address the owner has already - nothing changes.
    "POST /klantinteracties/api/v1/klantcontacten": koppeling(201),
    "POST /klantinteracties/api/v1/betrokkenen": koppeling(201),
    "POST /klantinteracties/api/v1/onderwerpobjecten": koppeling(201),
    "POST /klantinteracties/api/v1/maak-klantcontact": koppeling(201),
    "POST /klantinteracties/api/v1/digitaleadressen": koppeling(201),
    "GET /profiel/contactmomenten": portal(owner=200, other_person=200),
}
# Answers that carry back the identifier the caller itself sent (MOZa's ``identificaties``, so that
# a bulk answer can be matched): the BSN there is no leak - only to whom it may be answered at all.
ECHOES_IDENTIFIER = {
    "POST /api/profielservice/v1/partij",
    "POST /api/profielservice/v1/partijen/bulk",
}
# Answers that carry back the address the caller itself sent (Open Klant's ``DigitaalAdres``).
ECHOES_ADDRESS = {"POST /klantinteracties/api/v1/digitaleadressen"}
KLANTINTERACTIES = "/klantinteracties/api/v1"
KLANTCONTACT = {"kanaal": "email", "onderwerp": "Matrix", "taal": "nld", "vertrouwelijk": False}

POSTADRES = {"soort": "nederlands", "huisnummer": 5, "postcode": "3074 LA"}  # in the BAG


@dataclass
class Owner:
    bsn: str
    token: str
    email: str
    contactgegeven_id: str
    emails: list[str]


@dataclass(frozen=True)
class Caller:
    name: str
    token: str | None

    @property
    def is_person(self) -> bool:
        return self.name in (OWNER, *PERSONS)


@dataclass
class Matrix:
    api_url: str
    owner: Owner
    notify: NotifyStandIn

    def call(
        self,
        caller: Caller,
        method: str,
        path: str,
        body: Any = None,
        if_match: str | None = None,
        base: str = BASE_PATH,
    ) -> requests.Response:
        scheme = "Token" if caller.name == API_KEY else "Bearer"
        headers = {"Authorization": f"{scheme} {caller.token}"} if caller.token else {}
        if if_match:
            headers["If-Match"] = if_match
        url = self.api_url.removesuffix(BASE_PATH) + base + path
        return requests.request(method, url, json=body, headers=headers, timeout=30)

    def etag_of(self, caller: Caller) -> str:
        response = self.call(caller, "GET", "/profiel")
        assert response.status_code == 200, response.text
        return response.headers["ETag"]


def body_for(key: str, caller: Caller, matrix: Matrix) -> Any:
    """A valid body for the operation, so that a caller who may do it gets a 2xx."""
    bodies: dict[str, Callable[[], Any]] = {
        "POST /profiel/contactgegevens": lambda: {
            "soortDigitaalAdres": "email",
            "adres": new_email(caller, matrix),
        },
        "PATCH /profiel/contactgegevens/{contactgegevenId}": lambda: {"omschrijving": "Werk"},
        "PUT /profiel/postadres": lambda: POSTADRES,
        "PUT /profiel/contactnaam": lambda: {"contactnaam": "Matrix"},
        "PATCH /profiel/voorkeuren": lambda: {"taal": "en", "kanalen": {"email": True}},
        "PUT /profiel/delen": lambda: {"geweigerd": [UNGRANTED_OIN]},
        "PUT /profiel/voorkeuren/organisaties/{oin}": lambda: {"correspondentie": "post"},
        "PUT /profiel/voorkeuren/organisaties/{oin}/diensten/{dienst}": lambda: {
            "kanalen": {"sms": False}
        },
        "POST /profiel/contactgegevens/{contactgegevenId}/verificatie": lambda: {
            "code": owner_code(matrix) if caller.name == OWNER else "123456"
        },
        "POST /opvragingen": lambda: {
            "doel": "notificatie",
            "dienst": DIENST,
            "betrokkenen": [{"bsn": matrix.owner.bsn}],
        },
        "POST /onbestelbaar": lambda: {
            "doel": "notificatie",
            "dienst": DIENST,
            "betrokkene": {"bsn": matrix.owner.bsn},
            "soortDigitaalAdres": "email",
            "adres": matrix.owner.email,
        },
        "POST /notifynl/afleverberichten": lambda: {
            "id": str(uuid.uuid4()),
            "reference": None,
            "to": matrix.owner.email,
            "status": "permanent-failure",
            "notification_type": "email",
        },
        "POST /api/profielservice/v1/partij": lambda: {
            "identificatieType": "BSN",
            "identificatieNummer": matrix.owner.bsn,
            "dienstverlener": "Gemeente Voorbeeldstad",
            "dienstNaam": "Parkeervergunningen",
        },
        "POST /api/profielservice/v1/partijen/bulk": lambda: {
            "identificaties": [
                {"identificatieType": "BSN", "identificatieNummer": matrix.owner.bsn}
            ]
        },
        "POST /klantinteracties/api/v1/klantcontacten": lambda: KLANTCONTACT,
        "POST /klantinteracties/api/v1/betrokkenen": lambda: {
            "wasPartij": {"uuid": owner_partij_uuid(matrix.owner)},
            "hadKlantcontact": {"uuid": klantcontact_of(caller, matrix)},
            "rol": "klant",
            "initiator": True,
        },
        "POST /klantinteracties/api/v1/onderwerpobjecten": lambda: {
            "klantcontact": {"uuid": klantcontact_of(caller, matrix)},
        },
        "POST /klantinteracties/api/v1/maak-klantcontact": lambda: {
            "klantcontact": KLANTCONTACT,
            "betrokkene": {
                "wasPartij": {"uuid": owner_partij_uuid(matrix.owner)},
                "rol": "klant",
                "initiator": True,
            },
        },
        "POST /klantinteracties/api/v1/digitaleadressen": lambda: {
            "verstrektDoorPartij": {"uuid": owner_partij_uuid(matrix.owner)},
            "adres": matrix.owner.email,
            "soortDigitaalAdres": "email",
        },
    }
    return bodies[key]() if key in bodies else None


def owner_partij_uuid(owner: Owner) -> str:
    """The owner's partij UUID for the granted organisation (valid once it looked the owner up)."""
    return partij_uuid(GRANTED_OIN, partij_key(subject_for(owner.bsn)))


def klantcontact_of(caller: Caller, matrix: Matrix) -> str:
    """A klantcontact the caller made just now, where it may; else a UUID of nothing."""
    made = matrix.call(caller, "POST", "/klantcontacten", KLANTCONTACT, base=KLANTINTERACTIES)
    return made.json()["uuid"] if made.status_code == 201 else str(uuid.uuid4())


def new_email(caller: Caller, matrix: Matrix) -> str:
    address = f"matrix.{caller.name}.{uuid.uuid4().hex[:10]}@example.nl"
    if caller.name == OWNER:
        matrix.owner.emails.append(address)
    return address


def owner_code(matrix: Matrix) -> str:
    message = matrix.notify.messages_to(matrix.owner.email)[-1]
    code = re.search(r"(?<!\d)\d{6}(?!\d)", message.body).group(0)
    PERSONAL_DATA.register(code)
    return code


def before_owner_call(key: str, matrix: Matrix) -> None:
    """A new code needs a minute since the last one: age the stored send times, never wait."""
    if key == "POST /profiel/contactgegevens/{contactgegevenId}/verificatiecode":
        partij = partij_key(subject_for(matrix.owner.bsn))
        item = VerificatieItem.get(partij, matrix.owner.contactgegeven_id, consistent_read=True)
        item.verzonden = [
            (datetime.fromisoformat(sent) - timedelta(seconds=61)).isoformat()
            for sent in item.verzonden
        ]
        item.vervalt_op = item.vervalt_op - timedelta(seconds=61)
        item.save()


# Query parameters an operation needs to be answered at all.
QUERIES = {
    "/adressen": "?postcode=3074LA&huisnummer=5",
    "/partijen": "?partijIdentificator__codeSoortObjectId=bsn&partijIdentificator__objectId={bsn}",
    "/digitaleadressen": "?verstrektDoorPartij__partijIdentificator__codeSoortObjectId=bsn"
    "&verstrektDoorPartij__partijIdentificator__objectId={bsn}",
}


def fill(path: str, owner: Owner) -> str:
    # The owner's partij UUID for the granted organisation: valid once it looked the owner up.
    uuid_for_granted = partij_uuid(GRANTED_OIN, partij_key(subject_for(owner.bsn)))
    return (
        (path + QUERIES.get(path, ""))
        .replace("{contactgegevenId}", owner.contactgegeven_id)
        .replace("{oin}", GRANTED_OIN)
        .replace("{dienst}", DIENST)
        .replace("{uuid}", uuid_for_granted)
        .replace("{bsn}", owner.bsn)
    )


def ordered_operations() -> list[tuple[str, str, str, str]]:
    """(key, method, path, base) in registry order; the owner's contact detail is removed last but
    one, the whole profile last."""
    routes = [
        (route.manifest_key, route.method, route.path, route.base)
        for function in FUNCTIONS
        for route in function.routes
        if route.key not in UNAUTHENTICATED_ROUTES
    ]
    last = ("DELETE /profiel/contactgegevens/{contactgegevenId}", "DELETE /profiel")
    return [r for r in routes if r[0] not in last] + sorted(
        (r for r in routes if r[0] in last), key=lambda r: last.index(r[0])
    )


@pytest.fixture
def owner(api_url: str, idp: DevIdentityProvider, notify: NotifyStandIn) -> Owner:
    bsn = random_test_bsn()
    token = idp.burger_token(bsn)
    email = f"matrix.eigenaar.{uuid.uuid4().hex[:10]}@example.nl"
    headers = {"Authorization": f"Bearer {token}", "If-Match": '"0"'}
    added = requests.post(
        api_url + "/profiel/contactgegevens",
        json={"soortDigitaalAdres": "email", "adres": email},
        headers=headers,
        timeout=30,
    )
    assert added.status_code == 201, added.text
    [contactgegeven] = added.json()["contactgegevens"]
    assert notify.messages_to(email), "the owner's code went to the NotifyNL stand-in"
    return Owner(bsn, token, email, contactgegeven["id"], [email])


def test_every_operation_for_every_caller(
    api_url: str,
    idp: DevIdentityProvider,
    notify: NotifyStandIn,
    owner: Owner,
    capsys: pytest.CaptureFixture[str],
) -> None:
    operations = ordered_operations()
    assert {key for key, *_ in operations} == set(EXPECTED), (
        "every authenticated operation of the registry has a row in the expectation table"
    )
    matrix = Matrix(api_url, owner, notify)
    callers = {
        OWNER: Caller(OWNER, owner.token),
        OTHER_BURGER: Caller(OTHER_BURGER, idp.burger_token(random_test_bsn())),
        OTHER_COMPANY: Caller(OTHER_COMPANY, idp.ondernemer_token(random_kvk_nummer())),
        EIDAS_BURGER: Caller(EIDAS_BURGER, idp.eidas_token(random_eidas_identificator())),
        GEMACHTIGDE: Caller(
            GEMACHTIGDE,
            idp.representative_token(random_test_bsn(), "gemachtigde", random_test_bsn()),
        ),
        CURATOR: Caller(CURATOR, idp.representative_token(random_test_bsn(), "curator")),
        ORG_GRANTED: Caller(ORG_GRANTED, idp.organisation_token(GRANTED_OIN)),
        ORG_UNGRANTED: Caller(ORG_UNGRANTED, idp.organisation_token(UNGRANTED_OIN)),
        API_KEY: Caller(API_KEY, GEMEENTE_API_KEY),
        ORG_GRANTED_DOEL: Caller(ORG_GRANTED_DOEL, idp.organisation_token(GRANTED_OIN, DOEL_SCOPE)),
        ORG_UNGRANTED_DOEL: Caller(
            ORG_UNGRANTED_DOEL, idp.organisation_token(UNGRANTED_OIN, DOEL_SCOPE)
        ),
        ANONYMOUS: Caller(ANONYMOUS, None),
    }
    owner_caller = callers[OWNER]
    owner_etag = matrix.etag_of(owner_caller)
    messages_to_owner = len(notify.messages_to(owner.email))

    wrong: list[str] = []
    leaks: list[str] = []
    cells = 0
    for name in CALLERS:
        caller = callers[name]
        if name == OWNER:
            # Everyone else has had their go: the owner's profile and inbox are as they were.
            assert matrix.etag_of(owner_caller) == owner_etag, "another caller changed the profile"
            assert len(notify.messages_to(owner.email)) == messages_to_owner, (
                "another caller had a message sent to the owner's address"
            )
        for key, method, path, base in operations:
            cells += 1
            if name == OWNER:
                before_owner_call(key, matrix)
            if method == "GET":
                if_match = None
            elif caller.is_person:
                if_match = matrix.etag_of(caller)  # the caller's own current version
            else:
                if_match = matrix.etag_of(owner_caller)  # the owner's: as valid as it gets
            response = matrix.call(
                caller, method, fill(path, owner), body_for(key, caller, matrix), if_match, base
            )
            expected = EXPECTED[key][name]
            if response.status_code not in expected:
                wrong.append(
                    f"{key} as {name}: {response.status_code}, expected {sorted(expected)}: "
                    f"{response.text[:200]}"
                )
            if response.status_code >= 400:
                assert response.headers["Content-Type"] == "application/problem+json", key
                assert "Traceback" not in response.text
            if response.status_code == 401 and caller.name != API_KEY:
                assert response.headers["WWW-Authenticate"].startswith("Bearer ")
            if name != OWNER:
                seen = response.text + repr(dict(response.headers))
                echoed = key in ECHOES_IDENTIFIER and response.status_code < 400
                sent_back = key in ECHOES_ADDRESS and response.status_code < 400
                for secret in (*owner.emails, owner.contactgegeven_id, owner.bsn):
                    if secret in seen and not (echoed and secret == owner.bsn):
                        if sent_back and secret == owner.email:
                            continue  # the address the caller sent, not one it was given
                        leaks.append(f"{key} as {name}: the answer contains the owner's data")

    with capsys.disabled():
        print(
            f"\n[authorisation matrix] {len(operations)} operations x {len(CALLERS)} callers = "
            f"{cells} cells; {len(wrong)} unexpected, {len(leaks)} leaks"
        )
    assert cells == len(EXPECTED) * len(CALLERS)
    assert not wrong, "\n".join(wrong)
    assert not leaks, "\n".join(leaks)
