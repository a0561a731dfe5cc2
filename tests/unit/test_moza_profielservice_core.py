"""The MOZa profielservice surface's pure parts: the requests, the scope a caller may ask in, and
what MOZa's own e-mail selection picks from the answer - always the address the preference rule
(``shared.models.verstrekking``) gives that organisation and dienst."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from functions.moza_profielservice import core
from functions.update_profile.core import add_contactgegeven, set_dienst, set_organisatie
from functions.verify_contact.core import verified
from shared.errors import DomainError, Fout
from shared.identity.verwijzing import adres_uuid, partij_uuid
from shared.models.antwoorden import MAXIMUM_BETROKKENEN
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Profiel, SoortDigitaalAdres
from shared.models.register import Dienst, Organisatie
from shared.models.verstrekking import verstrekking
from shared.models.voorkeuren import Voorkeurset
from shared.opvragen import Gevonden, Opgevraagd
from tests.builders import toevoegen, uid
from tests.integration.test_moza_profielservice import moza_selection
from tests.unit.test_lookup_core import ANDERE, GEMEENTE, NOW, doel

BSN = "999993653"
NAAM = "Gemeente Voorbeeldstad"
GEMEENTE_ORG = Organisatie(
    oin=GEMEENTE,
    naam=NAAM,
    diensten=(
        Dienst(code="parkeren", naam="Parkeervergunningen"),
        Dienst(code="afval", naam="Afvalinzameling"),
    ),
)
ANDERE_ORG = Organisatie(oin=ANDERE, naam="Uitkeringsinstantie Voorbeeld")


def request(**body: object) -> core.PartijRequest:
    return core.PartijRequest.model_validate(
        {"identificatieType": "BSN", "identificatieNummer": BSN, **body}
    )


def three_emails_and_a_phone(unverified: str | None = None) -> Profiel:
    """a (the standard address), b, c and a phone number, all verified; and an unverified one."""
    profiel = Profiel()
    addresses = [
        ("email", "a@example.nl"),
        ("email", "b@example.nl"),
        ("email", "c@example.nl"),
        ("telefoonnummer", "0612345678"),
    ]
    for n, (soort, adres) in enumerate(addresses, start=1):
        profiel, added = add_contactgegeven(profiel, toevoegen(soort, adres), uid(n))
        profiel = verified(profiel, added, NOW)
    if unverified:
        profiel, _ = add_contactgegeven(profiel, toevoegen("email", unverified), uid(9))
    return profiel


def shown(
    profiel: Profiel,
    scope: core.Scope,
    *velden: str,
    now: datetime = NOW,
) -> dict:
    return core.partij(
        "partij-key", profiel, request(), scope, doel(*(velden or ("email", "telefoonnummer"))), now
    )


def rule(profiel: Profiel, scope: core.Scope) -> str | None:
    """The e-mail address the preference rule gives this organisation and dienst."""
    dienst = scope.dienst.code if scope.dienst else None
    gegeven = verstrekking(profiel, scope.organisatie.oin, dienst, NOW)
    found = gegeven.adres(SoortDigitaalAdres.EMAIL)
    return found.adres if found else None


def both(profiel: Profiel, scope: core.Scope) -> tuple[str | None, str | None]:
    """What MOZa's selection picks from the answer - as the dienstverlener and dienst it sent
    (the register's names) - and what the rule gives."""
    dienst = scope.dienst.naam if scope.dienst else "Parkeervergunningen"
    picked = moza_selection(shown(profiel, scope), scope.organisatie.naam, dienst)
    return picked, rule(profiel, scope)


def test_mozas_selection_lands_on_the_rules_address_at_every_level() -> None:
    parkeren = core.scope(GEMEENTE_ORG, NAAM, "Parkeervergunningen")
    afval = core.scope(GEMEENTE_ORG, NAAM, "afval")
    organisatie = core.scope(GEMEENTE_ORG, None, None)
    andere = core.scope(ANDERE_ORG, None, None)
    scopes = (parkeren, afval, organisatie, andere)

    # The default level: the standard address everywhere.
    profiel = three_emails_and_a_phone()
    assert [both(profiel, s) for s in scopes] == [("a@example.nl", "a@example.nl")] * 4

    # The organisation level: b for the municipality, in each of its services; a elsewhere.
    profiel = set_organisatie(
        profiel, GEMEENTE, Voorkeurset.model_validate({"voorkeursadressen": {"email": str(uid(2))}})
    )
    assert [both(profiel, s) for s in scopes] == [("b@example.nl", "b@example.nl")] * 3 + [
        ("a@example.nl", "a@example.nl")
    ]

    # The dienst level: c for parking permits only.
    profiel = set_dienst(
        profiel,
        GEMEENTE,
        "parkeren",
        Voorkeurset.model_validate({"voorkeursadressen": {"email": str(uid(3))}}),
    )
    assert [both(profiel, s) for s in scopes] == [
        ("c@example.nl", "c@example.nl"),
        ("b@example.nl", "b@example.nl"),
        ("b@example.nl", "b@example.nl"),
        ("a@example.nl", "a@example.nl"),
    ]

    # MOZa's client names the organisation otherwise (its OIN): no scope matches, isDefault does.
    picked = moza_selection(shown(profiel, parkeren), GEMEENTE, "parkeren")
    assert picked == rule(profiel, parkeren) == "c@example.nl"


def test_one_address_of_each_kind_scoped_to_what_was_asked() -> None:
    parkeren = core.scope(GEMEENTE_ORG, NAAM, "Parkeervergunningen")
    partij = shown(three_emails_and_a_phone(), parkeren)
    scopes = [{"dienstverlenerNaam": NAAM, "dienstNaam": "Parkeervergunningen"}]
    assert partij["contactgegevens"] == [
        {
            "id": adres_uuid(GEMEENTE, uid(1)),
            "type": "Email",
            "waarde": "a@example.nl",
            "isGeverifieerd": True,
            "isDefault": True,
            "scopes": scopes,
        },
        {
            "id": adres_uuid(GEMEENTE, uid(4)),
            "type": "Telefoonnummer",
            "waarde": "+31612345678",
            "isGeverifieerd": True,
            "isDefault": True,
            "scopes": scopes,
        },
    ]
    assert partij["partijId"] == partij_uuid(GEMEENTE, "partij-key")
    assert partij["identificaties"] == [{"identificatieType": "BSN", "identificatieNummer": BSN}]
    # At the organisation's level the scope has no dienstNaam (MOZa reads that as none).
    partij = shown(three_emails_and_a_phone(), core.scope(GEMEENTE_ORG, None, None))
    assert partij["contactgegevens"][0]["scopes"] == [{"dienstverlenerNaam": NAAM}]


def test_an_unverified_or_refused_address_is_never_there_and_nothing_takes_its_place() -> None:
    scope = core.scope(GEMEENTE_ORG, NAAM, None)
    profiel = three_emails_and_a_phone(unverified="d@example.nl")
    chosen = Voorkeurset.model_validate({"voorkeursadressen": {"email": str(uid(9))}})
    profiel = set_organisatie(profiel, GEMEENTE, chosen)
    partij = shown(profiel, scope)
    assert [c["type"] for c in partij["contactgegevens"]] == ["Telefoonnummer"]
    assert moza_selection(partij, NAAM, "") is None
    assert rule(profiel, scope) is None
    # No e-mail for this organisation at all: nothing for MOZa's e-mail selection either.
    no_email = Voorkeurset.model_validate({"kanalen": {"email": False}})
    profiel = set_organisatie(three_emails_and_a_phone(), GEMEENTE, no_email)
    assert moza_selection(shown(profiel, scope), NAAM, "") is None


def test_only_what_the_purpose_allows() -> None:
    scope = core.scope(GEMEENTE_ORG, None, None)
    profiel = three_emails_and_a_phone()
    assert [c["type"] for c in shown(profiel, scope, "email")["contactgegevens"]] == ["Email"]
    assert shown(profiel, scope, "kanalen")["contactgegevens"] == []
    chosen = Voorkeurset.model_validate(
        {
            "taal": "en",
            "kanalen": {"berichtenbox": False, "sms": True},
            "weergave": {"aanhef": "informeel", "thema": "donker", "lettergrootte": "groot"},
        }
    )
    profiel = set_organisatie(profiel, GEMEENTE, chosen)

    def voorkeuren(*velden: str) -> list[tuple[str, str]]:
        partij = shown(profiel, scope, *velden)
        return [(v["voorkeurType"], v["waarde"]) for v in partij["voorkeuren"]]

    assert voorkeuren("email") == []
    assert voorkeuren("taal") == [("WebsiteTaal", "en")]
    assert voorkeuren("kanalen") == [("OntvangViaBerichtenbox", "false")]
    assert voorkeuren("weergave") == [("WebsiteThema", "donker"), ("Aanhef", "informeel")]
    every = voorkeuren("email", "telefoonnummer", "kanalen", "correspondentie", "taal", "weergave")
    assert [t for t, _ in every] == [
        "WebsiteTaal",
        "WebsiteThema",
        "Aanhef",
        "OntvangViaBerichtenbox",
    ]
    # Nobody says whether the person may be phoned; and what nobody chose is left out.
    nothing_chosen = shown(three_emails_and_a_phone(), scope, "taal", "kanalen", "weergave")
    assert nothing_chosen["voorkeuren"] == []
    # Each preference's id is stable and per organisation, as the partij's.
    partij = shown(profiel, scope, "taal")
    again = shown(profiel, scope, "taal")
    assert partij["voorkeuren"][0]["id"] == again["voorkeuren"][0]["id"]
    assert uuid.UUID(partij["voorkeuren"][0]["id"])
    elsewhere = shown(profiel, core.scope(ANDERE_ORG, None, None), "taal")
    assert elsewhere["partijId"] != partij["partijId"]


def test_the_scope_is_the_callers_own_organisation_and_one_of_its_services() -> None:
    assert core.scope(GEMEENTE_ORG, None, None) == core.Scope(GEMEENTE_ORG)
    assert core.scope(GEMEENTE_ORG, "  ", "") == core.Scope(GEMEENTE_ORG)  # blank: not given
    assert core.scope(GEMEENTE_ORG, GEMEENTE, None) == core.Scope(GEMEENTE_ORG)  # its OIN
    assert core.scope(GEMEENTE_ORG, "gemeente  VOORBEELDSTAD", None) == core.Scope(GEMEENTE_ORG)
    parkeren = GEMEENTE_ORG.dienst("parkeren")
    for dienst in ("parkeren", "Parkeervergunningen", "parkeervergunningen"):
        assert core.scope(GEMEENTE_ORG, NAAM, dienst) == core.Scope(GEMEENTE_ORG, parkeren)
    with pytest.raises(DomainError) as refused:
        core.scope(GEMEENTE_ORG, "Uitkeringsinstantie Voorbeeld", None)
    assert refused.value.fout is Fout.GEEN_TOEGANG
    with pytest.raises(DomainError) as refused:
        core.scope(GEMEENTE_ORG, ANDERE, None)
    assert refused.value.fout is Fout.GEEN_TOEGANG
    with pytest.raises(DomainError) as unknown:
        core.scope(GEMEENTE_ORG, NAAM, "Hondenbelasting")
    assert unknown.value.fout is Fout.ONGELDIGE_INVOER
    assert [p.name for p in unknown.value.invalid_params] == ["dienstNaam"]


@pytest.mark.parametrize(
    ("soort", "nummer", "betrokkene"),
    [
        ("BSN", BSN, (SoortIdentificator.BSN, BSN)),
        ("KVK", "69599084", (SoortIdentificator.KVK_NUMMER, "69599084")),
        # Nobody this service keeps: an RSIN, numbers that fail their check.
        ("RSIN", "002564440", None),
        ("BSN", "123456789", None),
        ("BSN", " 999993653", None),
        ("KVK", "6959908", None),
        ("KVK", BSN, None),
    ],
)
def test_the_partij_a_request_names(soort: str, nummer: str, betrokkene: tuple | None) -> None:
    given = core.PartijIdentificatieRequest.model_validate(
        {"identificatieType": soort, "identificatieNummer": nummer}
    )
    assert given.betrokkene == betrokkene


def test_requests_as_the_contract_has_them() -> None:
    assert request(dienstverlener=None, dienstNaam=None).dienst_naam is None  # Jackson's nulls
    assert request(dienstNaam="Parkeervergunningen").dienst_naam == "Parkeervergunningen"
    one = {"identificatieType": "BSN", "identificatieNummer": BSN}
    bulk = core.PartijBulkRequest.model_validate({"identificaties": [one] * MAXIMUM_BETROKKENEN})
    assert len(bulk.identificaties) == MAXIMUM_BETROKKENEN
    for bad in (
        {"identificaties": []},
        {"identificaties": [one] * (MAXIMUM_BETROKKENEN + 1)},
        {"identificaties": [{"identificatieType": "OIN", "identificatieNummer": BSN}]},
        {"identificaties": [{"identificatieType": "BSN", "identificatieNummer": "   "}]},
        {"identificaties": [{"identificatieType": "BSN"}]},
    ):
        with pytest.raises(ValidationError):
            core.PartijBulkRequest.model_validate(bad)


def test_bulk_answers_each_partij_found_once_in_the_order_asked() -> None:
    profiel = three_emails_and_a_phone()
    asked = tuple(
        core.PartijIdentificatieRequest.model_validate(
            {"identificatieType": soort, "identificatieNummer": nummer}
        )
        for soort, nummer in [("BSN", BSN), ("KVK", "69599084"), ("BSN", "999990342"), ("BSN", BSN)]
    )
    gevonden = (
        Gevonden(SoortIdentificator.BSN, "k1", profiel, None),
        Gevonden(SoortIdentificator.KVK_NUMMER, "k2", None, None),  # absent or refusing
        Gevonden(SoortIdentificator.BSN, "k3", profiel, None),
        Gevonden(SoortIdentificator.BSN, "k1", profiel, None),  # asked twice
    )
    opgevraagd = Opgevraagd(GEMEENTE_ORG, doel("email"), NOW, gevonden)
    partijen = core.partijen(opgevraagd, asked, core.Scope(GEMEENTE_ORG))
    assert [p["partijId"] for p in partijen] == [
        partij_uuid(GEMEENTE, "k1"),
        partij_uuid(GEMEENTE, "k3"),
    ]
    assert [p["identificaties"][0]["identificatieNummer"] for p in partijen] == [BSN, "999990342"]
    assert not core.alle_gevonden(asked, partijen)
    assert core.alle_gevonden((asked[0], asked[2], asked[3]), partijen)


# --- checked against MOZa's own document, not only our reading of it ------------------------

SPEC = Path(__file__).resolve().parents[2] / "specs" / "moza-profielservice-api.json"
EVENTS = Path(__file__).resolve().parents[2] / "events" / "moza-profielservice"


def fits(name: str, instance: object) -> None:
    """``instance`` is valid as MOZa's schema ``name`` (formats checked), and carries no member
    the schema does not name (MOZa's generated Java client would drop it silently)."""
    from jsonschema import Draft202012Validator

    spec = json.loads(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    validator = Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": spec["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    assert [e.message for e in validator.iter_errors(instance)] == [], (name, instance)

    def named_only(schema: dict, value: object) -> None:
        if "$ref" in schema:
            named_only(schemas[schema["$ref"].rsplit("/", 1)[1]], value)
        elif isinstance(value, dict) and "properties" in schema:
            assert set(value) <= set(schema["properties"]), (name, set(value))
            for key, member in value.items():
                named_only(schema["properties"][key], member)
        elif isinstance(value, list) and "items" in schema:
            for item in value:
                named_only(schema["items"], item)

    named_only(schemas[name], instance)


def test_the_answers_fit_mozas_document() -> None:
    chosen = Voorkeurset.model_validate(
        {"taal": "nl", "kanalen": {"berichtenbox": True}, "weergave": {"aanhef": "formeel"}}
    )
    profiel = set_organisatie(three_emails_and_a_phone(), GEMEENTE, chosen)
    for scope in (core.scope(GEMEENTE_ORG, NAAM, "parkeren"), core.Scope(GEMEENTE_ORG)):
        partij = shown(profiel, scope, "email", "telefoonnummer", "kanalen", "taal", "weergave")
        assert partij["contactgegevens"] and len(partij["voorkeuren"]) == 3
        fits("PartijResponse", partij)


def test_the_sample_requests_fit_mozas_document() -> None:
    schemas = {"partij.json": "PartijRequest", "partijen-bulk.json": "PartijBulkRequest"}
    assert sorted(p.name for p in EVENTS.glob("*.json")) == sorted(schemas)
    for name, schema in schemas.items():
        body = json.loads(json.loads((EVENTS / name).read_text())["body"].replace("{{bsn}}", BSN))
        fits(schema, body)
        model = core.PartijRequest if schema == "PartijRequest" else core.PartijBulkRequest
        model.model_validate(body)
