"""Who is asking (shared.identity.subject), how sure we are (assurance), how it is stored
(pseudonym)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from shared.identity.access import PartijCaller
from shared.identity.assurance import LEVELS, level_of, meets
from shared.identity.pseudonym import pseudonym
from shared.identity.subject import (
    NAMENS_EEN_PERSOON,
    ActorRole,
    Subject,
    UnsupportedSubject,
    is_person_token,
    subject_for,
    subject_from_claims,
)
from shared.models.partij import (
    SoortIdentificator,
    ldv_id_type,
    oidc_id_type,
    soort_of_oidc_id_type,
)

BSN_ID_TYPE = "urn:nl-eid-gdi:1.0:id:BSN"  # OIDC NL GOV, written out: what a token carries
KVK_ID_TYPE = "urn:nl-eid-gdi:1.0:id:KvKnr"
EIDAS_ID_TYPE = "urn:nl-eid-gdi:1.0:id:EIDAS"  # this service's choice (shared/models/partij.py)
PSEUDONYM_ID_TYPE = "urn:nl-eid-gdi:1.0:id:pseudonym"
BSN = "999993653"  # BRP test BSN
KVK = "68750110"
ACTOR = "vertegenwoordiger-7"  # the eHerkenning pseudonym of the person acting


def burger_claims(**changes: Any) -> dict[str, Any]:
    return {"iss": "https://digid.example", "sub": BSN, "sub_id_type": BSN_ID_TYPE, **changes}


def ondernemer_claims(**represents: Any) -> dict[str, Any]:
    return {
        "iss": "https://eherkenning.example",
        "sub": ACTOR,
        "represents": {"sub": KVK, "sub_id_type": KVK_ID_TYPE, **represents},
    }


EIDAS = "ES/NL/02635542Y"  # the eIDAS SAML Attribute Profile's example, for a Dutch service
AUD = "profielservice"


def eidas_claims(**changes: Any) -> dict[str, Any]:
    return {
        "iss": "https://eidas.example",
        "aud": AUD,
        "sub": EIDAS,
        "sub_id_type": EIDAS_ID_TYPE,
        **changes,
    }


REPRESENTED = "100600505"  # BRP test BSN: the person acted for
GEMACHTIGDE_BSN = "999990342"  # the gemachtigde, logged in with their own DigiD


def namens_claims(rol: Any = "gemachtigde", **represents: Any) -> dict[str, Any]:
    return {
        "iss": "https://digid.example",
        "aud": AUD,
        "sub": GEMACHTIGDE_BSN,
        "sub_id_type": BSN_ID_TYPE,
        "represents": {
            "sub": REPRESENTED,
            "sub_id_type": BSN_ID_TYPE,
            "iss": "https://digid.example",
            "rol": rol,
            **represents,
        },
    }


# --- subject_from_claims ---------------------------------------------------------------------


def test_a_burger_is_identified_by_the_bsn_in_sub() -> None:
    subject = subject_from_claims(burger_claims())
    assert subject == Subject(SoortIdentificator.BSN, BSN, ActorRole.BURGER)
    assert subject.actor_identifier is None


@pytest.mark.parametrize(
    "sub",
    [
        "999993654",  # fails the 11-proof
        "99999365",  # eight digits
        "0999993653",  # ten digits
        " 999993653",
        "999 993 653",
        "999.993.653",
        "99999365a",
        "",
        "000000000",
    ],
)
def test_an_invalid_bsn_is_unsupported(sub: str) -> None:
    with pytest.raises(UnsupportedSubject) as caught:
        subject_from_claims(burger_claims(sub=sub))
    if sub.strip():
        assert sub.strip() not in str(caught.value)


@pytest.mark.parametrize(
    "digits",
    [pytest.param(0xFF10, id="full-width"), pytest.param(0x0660, id="arabic-indic")],
)
def test_a_bsn_in_non_ascii_digits_is_unsupported(digits: int) -> None:
    """The same BSN in other digits would be a second spelling, so a second pseudonym."""
    other = BSN.translate({ord(d): digits + int(d) for d in "0123456789"})
    with pytest.raises(UnsupportedSubject):
        subject_from_claims(burger_claims(sub=other))


def test_an_ondernemer_is_the_kvk_nummer_it_is_represented_by() -> None:
    subject = subject_from_claims(ondernemer_claims())
    assert subject == Subject(
        SoortIdentificator.KVK_NUMMER, KVK, ActorRole.VERTEGENWOORDIGER, ACTOR
    )
    assert subject.actor_role == "vertegenwoordiger"
    assert subject.actor_identifier == ACTOR


def test_represents_wins_over_a_bsn_of_the_representative() -> None:
    claims = {**ondernemer_claims(), "sub": BSN, "sub_id_type": BSN_ID_TYPE}
    subject = subject_from_claims(claims)
    assert subject.soort is SoortIdentificator.KVK_NUMMER
    assert subject.identifier == KVK
    assert subject.actor_identifier == BSN


@pytest.mark.parametrize(
    "represents",
    [
        {"sub": BSN, "sub_id_type": BSN_ID_TYPE},  # a burger, without saying in which role
        {"sub": "123456789012", "sub_id_type": "urn:nl-eid-gdi:1.0:id:vestigingsnummer"},
        {"sub": KVK, "sub_id_type": "urn:nl-eid-gdi:1.0:id:RSIN"},
        {"sub": KVK},
        {"sub": KVK, "sub_id_type": KVK_ID_TYPE.upper()},
        KVK,
        [KVK, KVK_ID_TYPE],
    ],
)
def test_represents_with_another_id_type_is_unsupported(represents: Any) -> None:
    claims = {**ondernemer_claims(), "represents": represents}
    with pytest.raises(UnsupportedSubject) as caught:
        subject_from_claims(claims)
    assert KVK not in str(caught.value) and BSN not in str(caught.value)


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "", " 68750110", None])
def test_an_invalid_kvk_nummer_is_unsupported(kvk: str | None) -> None:
    claims = ondernemer_claims()
    if kvk is None:
        del claims["represents"]["sub"]
    else:
        claims["represents"]["sub"] = kvk
    with pytest.raises(UnsupportedSubject):
        subject_from_claims(claims)


@pytest.mark.parametrize("kvk", ["٦٨٧٥٠١١٠", "６８７５０１１０"])
def test_a_kvk_nummer_in_non_ascii_digits_is_unsupported(kvk: str) -> None:
    with pytest.raises(UnsupportedSubject):
        subject_from_claims(ondernemer_claims(sub=kvk))


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"sub": BSN}, id="bsn-without-id-type"),
        pytest.param(
            {"sub": BSN, "sub_id_type": "urn:nl-eid-gdi:1.0:id:pseudonym"}, id="pseudonym"
        ),
        pytest.param({"sub": BSN, "sub_id_type": BSN_ID_TYPE.lower()}, id="id-type-lower-case"),
        pytest.param({"sub": "abc", "sub_id_type": KVK_ID_TYPE}, id="kvk-as-own-sub"),
        pytest.param({"sub": BSN, "represents": None}, id="represents-null"),
        pytest.param({}, id="nothing"),
    ],
)
def test_a_token_without_bsn_or_represents_is_unsupported(claims: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedSubject) as caught:
        subject_from_claims(claims)
    assert BSN not in str(caught.value)


@pytest.mark.parametrize(
    "subject",
    [
        pytest.param(subject_from_claims(burger_claims()), id="burger"),
        pytest.param(subject_from_claims(ondernemer_claims()), id="ondernemer"),
        pytest.param(subject_for(bsn=BSN), id="system-burger"),
        pytest.param(subject_for(kvk_nummer=KVK), id="system-ondernemer"),
        pytest.param(subject_from_claims(eidas_claims()), id="eidas"),
        pytest.param(subject_from_claims(namens_claims("curator")), id="curator"),
    ],
)
def test_repr_and_str_never_carry_an_identifier(subject: Subject) -> None:
    for text in (repr(subject), str(subject), f"{subject}", f"{subject!r}", repr([subject])):
        for identifier in (BSN, KVK, ACTOR, EIDAS, REPRESENTED, GEMACHTIGDE_BSN):
            assert identifier not in text
        assert subject.soort.value in text  # but it still says what it is


def test_a_subject_is_frozen() -> None:
    subject = subject_from_claims(burger_claims())
    with pytest.raises(AttributeError):
        subject.identifier = "999993654"  # type: ignore[misc]


# --- eIDAS -----------------------------------------------------------------------------------


def test_a_person_logged_in_through_eidas_is_a_burger_known_by_the_eidas_identifier() -> None:
    subject = subject_from_claims(eidas_claims())
    assert subject == Subject(SoortIdentificator.EIDAS, EIDAS, ActorRole.BURGER)
    assert subject.actor_identifier is None


@pytest.mark.parametrize(
    "sub",
    [
        "NL/NL/123",  # a Dutch person has a BSN
        "ES/AT/02635542Y",  # for an Austrian service
        "es/NL/02635542Y",
        "ES/NL/",
        "ES/NL/0263 5542Y",
        " ES/NL/02635542Y",
        "ES/NL/02635542Y\n",
        "ES/NL/0263554２Y",  # a full-width digit: a second spelling
        "ES/NL/" + "x" * 251,
        "02635542Y",
        "",
    ],
)
def test_a_malformed_eidas_identifier_is_unsupported(sub: str) -> None:
    claims = {**eidas_claims(), "sub": sub}
    with pytest.raises(UnsupportedSubject) as caught:
        subject_from_claims(claims)
    assert (sub.strip() or "§") not in str(caught.value)


@pytest.mark.parametrize("sub", [123, None, ["ES/NL/1"], {"sub": EIDAS}])
def test_an_eidas_sub_that_is_not_a_string_is_unsupported(sub: object) -> None:
    with pytest.raises(UnsupportedSubject):
        subject_from_claims({**eidas_claims(), "sub": sub})


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param(
            {**eidas_claims(), "alt_sub": [{"sub": BSN, "sub_id_type": BSN_ID_TYPE, "aud": AUD}]},
            id="eidas-sub-bsn-in-alt-sub",
        ),
        pytest.param(
            {**eidas_claims(), "alt_sub": {"sub": BSN, "sub_id_type": BSN_ID_TYPE, "aud": AUD}},
            id="alt-sub-as-one-object",
        ),
        pytest.param(
            {
                **burger_claims(aud=[AUD, "portaal"]),
                "alt_sub": [{"sub": EIDAS, "sub_id_type": EIDAS_ID_TYPE, "aud": AUD}],
            },
            id="bsn-sub-eidas-in-alt-sub",
        ),
        pytest.param(
            {
                **eidas_claims(),
                "alt_sub": [
                    {"sub": "x", "sub_id_type": PSEUDONYM_ID_TYPE, "aud": AUD},
                    {"sub": BSN, "sub_id_type": BSN_ID_TYPE, "aud": AUD},
                ],
            },
            id="bsn-among-others",
        ),
    ],
)
def test_a_bsn_wins_over_an_eidas_identifier(claims: dict[str, Any]) -> None:
    """An eIDAS login the BRP matched to a BSN is a burger with a BSN: one profile, not two."""
    assert subject_from_claims(claims) == Subject(SoortIdentificator.BSN, BSN, ActorRole.BURGER)


def test_an_alt_sub_for_another_audience_is_not_for_this_service() -> None:
    claims = {
        **eidas_claims(),
        "alt_sub": [{"sub": BSN, "sub_id_type": BSN_ID_TYPE, "aud": "een-andere-dienst"}],
    }
    assert subject_from_claims(claims).soort is SoortIdentificator.EIDAS


@pytest.mark.parametrize(
    "alt_sub",
    [
        pytest.param([{"sub": "999993654", "sub_id_type": BSN_ID_TYPE, "aud": AUD}], id="bad-bsn"),
        pytest.param(
            [
                {"sub": BSN, "sub_id_type": BSN_ID_TYPE, "aud": AUD},
                {"sub": "100600505", "sub_id_type": BSN_ID_TYPE, "aud": AUD},
            ],
            id="two-bsns",
        ),
        pytest.param([BSN], id="not-an-object"),
        pytest.param([{"sub": 999993653, "sub_id_type": BSN_ID_TYPE, "aud": AUD}], id="a-number"),
    ],
)
def test_a_malformed_alt_sub_for_this_service_is_refused_not_passed_over(alt_sub: Any) -> None:
    """A BSN that is there but broken never falls back to the eIDAS identifier: that would be
    a second profile of one person."""
    with pytest.raises(UnsupportedSubject) as caught:
        subject_from_claims({**eidas_claims(), "alt_sub": alt_sub})
    assert BSN not in str(caught.value)


def test_a_bsn_in_sub_and_the_same_in_alt_sub_is_one_bsn() -> None:
    claims = {
        **burger_claims(aud=AUD),
        "alt_sub": [{"sub": BSN, "sub_id_type": BSN_ID_TYPE, "aud": AUD}],
    }
    assert subject_from_claims(claims).identifier == BSN


# --- acting for another natural person -------------------------------------------------------


@pytest.mark.parametrize(
    ("rol", "role"),
    [
        ("gemachtigde", ActorRole.GEMACHTIGDE),
        ("curator", ActorRole.CURATOR),
        ("bewindvoerder", ActorRole.BEWINDVOERDER),
    ],
)
def test_a_representative_of_a_person_acts_on_the_represented_persons_profile(
    rol: str, role: ActorRole
) -> None:
    subject = subject_from_claims(namens_claims(rol))
    assert subject == Subject(SoortIdentificator.BSN, REPRESENTED, role, GEMACHTIGDE_BSN)
    # The same store identity as the person's own login: one profile.
    own = subject_from_claims(burger_claims(sub=REPRESENTED))
    assert (subject.soort, subject.identifier) == (own.soort, own.identifier)


def test_a_professional_representative_may_be_known_by_a_pseudonym() -> None:
    claims = {**namens_claims("bewindvoerder"), "sub": ACTOR, "sub_id_type": PSEUDONYM_ID_TYPE}
    subject = subject_from_claims(claims)
    assert (subject.identifier, subject.actor_identifier) == (REPRESENTED, ACTOR)


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param(namens_claims(None), id="rol-missing"),
        pytest.param(namens_claims("mentor"), id="rol-unknown"),
        pytest.param(namens_claims("Curator"), id="rol-upper-case"),
        pytest.param(namens_claims(["curator"]), id="rol-a-list"),
        pytest.param(namens_claims("vertegenwoordiger"), id="rol-of-a-company"),
        pytest.param(namens_claims("burger"), id="rol-burger"),
        pytest.param(namens_claims(sub="999993654"), id="represented-bsn-fails-elfproef"),
        pytest.param(namens_claims(sub="10060050"), id="represented-bsn-eight-digits"),
        pytest.param(namens_claims(sub=100600505), id="represented-bsn-a-number"),
        pytest.param(namens_claims(sub="１００６００５０５"), id="represented-bsn-full-width"),
        pytest.param(namens_claims(sub=None), id="represented-bsn-missing"),
        pytest.param(namens_claims(vestigingsnummer="000037178601"), id="person-with-branch"),
        pytest.param({**namens_claims(), "sub": REPRESENTED}, id="representing-oneself"),
        pytest.param({**namens_claims(), "sub": ""}, id="no-one-acting"),
        pytest.param(
            namens_claims(
                represents={"sub": BSN, "sub_id_type": BSN_ID_TYPE, "rol": "gemachtigde"}
            ),
            id="chain",
        ),
        pytest.param(
            {**namens_claims(), "represents": {"sub": EIDAS, "sub_id_type": EIDAS_ID_TYPE}},
            id="representing-an-eidas-person",
        ),
    ],
)
def test_a_malformed_representation_of_a_person_is_unsupported(claims: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedSubject) as caught:
        subject_from_claims(claims)
    for value in (REPRESENTED, GEMACHTIGDE_BSN, BSN, EIDAS):
        assert value not in str(caught.value)


def test_a_chain_of_representations_of_a_company_is_unsupported_too() -> None:
    """OIDC NL GOV: the deepest ``represents`` is the party served, not the first."""
    claims = ondernemer_claims(represents={"sub": BSN, "sub_id_type": BSN_ID_TYPE})
    with pytest.raises(UnsupportedSubject):
        subject_from_claims(claims)


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param(burger_claims(act={"sub": GEMACHTIGDE_BSN}), id="burger-with-act"),
        pytest.param({**namens_claims(), "act": {"sub": ACTOR}}, id="represents-with-act"),
        pytest.param({**ondernemer_claims(), "act": {"sub": ACTOR}}, id="ondernemer-with-act"),
    ],
)
def test_an_rfc8693_act_claim_is_unsupported(claims: dict[str, Any]) -> None:
    """OIDC NL GOV reverses RFC 8693: ``act`` would make the represented person look like the
    one acting, and the audit trail would say so."""
    with pytest.raises(UnsupportedSubject) as caught:
        subject_from_claims(claims)
    assert "act" in str(caught.value)


@pytest.mark.parametrize(
    ("rol", "may"),
    [
        (ActorRole.BURGER, True),
        (ActorRole.VERTEGENWOORDIGER, True),
        (ActorRole.CURATOR, True),
        (ActorRole.SYSTEEM, True),
        (ActorRole.GEMACHTIGDE, False),
        (ActorRole.BEWINDVOERDER, False),
        (ActorRole.ORGANISATIE, False),
    ],
)
def test_who_may_exercise_the_persons_rights(rol: ActorRole, may: bool) -> None:
    """Sharing choices and erasure stay with the person, a company's representative and a
    curator; a gemachtigde and a bewindvoerder may read and maintain, not decide those."""
    caller = PartijCaller(Subject(SoortIdentificator.BSN, BSN, rol), partij="p", actor=None)
    assert caller.mag_rechten_uitoefenen is may


def test_every_role_is_decided_on() -> None:
    """A new role must be put on one side of the line above, not fall on one by accident."""
    assert set(ActorRole) == {
        ActorRole.BURGER,
        ActorRole.VERTEGENWOORDIGER,
        ActorRole.CURATOR,
        ActorRole.SYSTEEM,
        ActorRole.GEMACHTIGDE,
        ActorRole.BEWINDVOERDER,
        ActorRole.ORGANISATIE,
    }
    assert NAMENS_EEN_PERSOON == {
        ActorRole.GEMACHTIGDE,
        ActorRole.CURATOR,
        ActorRole.BEWINDVOERDER,
    }


@pytest.mark.parametrize(
    ("claims", "person"),
    [
        pytest.param(burger_claims(), True, id="burger"),
        pytest.param(eidas_claims(), True, id="eidas"),
        pytest.param(namens_claims("curator"), True, id="curator"),
        pytest.param(ondernemer_claims(), True, id="ondernemer"),
        pytest.param(
            {
                "sub": "00000099000000000001",
                "alt_sub": [{"sub": BSN, "sub_id_type": BSN_ID_TYPE, "aud": "elders"}],
            },
            True,
            id="bsn-in-an-alt-sub-for-any-audience",
        ),
        pytest.param({"sub": "00000099000000000001", "alt_sub": "rommel"}, False, id="junk"),
        pytest.param({"sub": "00000099000000000001", "scope": "x"}, False, id="organisation"),
    ],
)
def test_which_tokens_are_a_persons(claims: dict[str, Any], person: bool) -> None:
    assert is_person_token(claims) is person


# --- subject_for -----------------------------------------------------------------------------


def test_subject_for_a_bsn_is_a_burger_acted_on_by_the_system() -> None:
    assert subject_for(bsn=BSN) == Subject(SoortIdentificator.BSN, BSN, ActorRole.SYSTEEM)


def test_subject_for_a_kvk_nummer_is_an_ondernemer_acted_on_by_the_system() -> None:
    assert subject_for(kvk_nummer=KVK) == Subject(
        SoortIdentificator.KVK_NUMMER, KVK, ActorRole.SYSTEEM
    )


def test_subject_for_an_eidas_identifier_is_an_eidas_partij_acted_on_by_the_system() -> None:
    assert subject_for(eidas=EIDAS) == Subject(SoortIdentificator.EIDAS, EIDAS, ActorRole.SYSTEEM)
    with pytest.raises(ValueError) as caught:
        subject_for(eidas="NL/NL/1")
    assert "NL/NL/1" not in str(caught.value)


def test_subject_for_prefers_the_bsn() -> None:
    assert subject_for(bsn=BSN, kvk_nummer=KVK).soort is SoortIdentificator.BSN


@pytest.mark.parametrize(
    "arguments",
    [{}, {"bsn": "999993654"}, {"bsn": "12345678"}, {"kvk_nummer": "1234567"}, {"kvk_nummer": "x"}],
)
def test_subject_for_refuses_invalid_or_missing_identifiers(arguments: dict[str, str]) -> None:
    with pytest.raises(ValueError) as caught:
        subject_for(**arguments)
    for value in arguments.values():
        assert value not in str(caught.value)


def test_the_same_partij_is_the_same_store_identity_whoever_acts() -> None:
    from_token = subject_from_claims(burger_claims())
    by_system = subject_for(bsn=BSN)
    assert (from_token.soort, from_token.identifier) == (by_system.soort, by_system.identifier)
    assert from_token.actor_role != by_system.actor_role


# --- assurance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("acr", "level"),
    [
        ("http://eidas.europa.eu/LoA/low", 1),
        ("http://eidas.europa.eu/LoA/substantial", 2),
        ("http://eidas.europa.eu/LoA/high", 3),
        ("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", 1),
        ("urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract", 2),
        ("urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard", 2),
        ("urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI", 3),
        ("urn:etoegang:core:assurance-class:loa2", 1),
        ("urn:etoegang:core:assurance-class:loa2plus", 1),
        ("urn:etoegang:core:assurance-class:loa3", 2),
        ("urn:etoegang:core:assurance-class:loa4", 3),
        # unknown or malformed: no assurance at all
        ("urn:etoegang:core:assurance-class:loa5", 0),
        ("http://eidas.europa.eu/LoA/HIGH", 0),
        ("http://eidas.europa.eu/LoA/high ", 0),
        ("high", 0),
        ("substantial", 0),
        ("", 0),
        (None, 0),
        (3, 0),
        (["http://eidas.europa.eu/LoA/high"], 0),
        ({"acr": "http://eidas.europa.eu/LoA/high"}, 0),
    ],
)
def test_level_of(acr: object, level: int) -> None:
    assert level_of(acr) == level


@pytest.mark.parametrize(
    ("acr", "expected"),
    [
        ("http://eidas.europa.eu/LoA/substantial", True),
        ("http://eidas.europa.eu/LoA/high", True),
        ("urn:etoegang:core:assurance-class:loa3", True),
        ("urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI", True),
        ("http://eidas.europa.eu/LoA/low", False),
        ("urn:etoegang:core:assurance-class:loa2plus", False),
        ("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", False),
        ("urn:onbekend", False),
        (None, False),
    ],
)
def test_meets_substantial(acr: object, expected: bool) -> None:
    assert meets(acr, "substantial") is expected


@pytest.mark.parametrize("minimum", list(LEVELS))
def test_meets_is_at_least_the_minimum(minimum: str) -> None:
    for level_name in LEVELS:
        acr = f"http://eidas.europa.eu/LoA/{level_name}"
        assert meets(acr, minimum) is (LEVELS[level_name] >= LEVELS[minimum])  # type: ignore[index]
    assert not meets(None, minimum)  # type: ignore[arg-type]


# --- pseudonym -------------------------------------------------------------------------------

KEY = b"k" * 32


def test_a_pseudonym_is_deterministic_and_64_hex_characters() -> None:
    first = pseudonym(BSN_ID_TYPE, BSN, KEY)
    assert first == pseudonym(BSN_ID_TYPE, BSN, KEY)
    assert re.fullmatch(r"[0-9a-f]{64}", first)


def test_a_pseudonym_differs_per_key() -> None:
    assert pseudonym(BSN_ID_TYPE, BSN, KEY) != pseudonym(BSN_ID_TYPE, BSN, b"l" * 32)


def test_a_pseudonym_differs_per_identifier() -> None:
    assert pseudonym(BSN_ID_TYPE, BSN, KEY) != pseudonym(BSN_ID_TYPE, "999993654", KEY)


def test_the_same_digits_of_another_id_type_give_another_pseudonym() -> None:
    digits = "99999365"
    assert pseudonym(KVK_ID_TYPE, digits, KEY) != pseudonym(BSN_ID_TYPE, digits, KEY)
    assert pseudonym("actor", BSN, KEY) != pseudonym(BSN_ID_TYPE, BSN, KEY)


def test_a_pseudonym_does_not_contain_the_identifier() -> None:
    for id_type, identifier in ((BSN_ID_TYPE, BSN), (KVK_ID_TYPE, KVK), ("actor", ACTOR)):
        value = pseudonym(id_type, identifier, KEY)
        assert identifier not in value
        assert identifier.encode().hex() not in value


def test_a_pseudonym_is_not_a_plain_hash() -> None:
    import hashlib

    value = pseudonym(BSN_ID_TYPE, BSN, KEY)
    for message in (BSN, f"{BSN_ID_TYPE}:{BSN}"):
        assert value != hashlib.sha256(message.encode()).hexdigest()


# --- the one encoding of the kinds of identifier ----------------------------------------------


def test_the_kinds_are_klantinteracties_code_soort_object_id() -> None:
    """Klantinteracties' codes, and ``eidas`` for the one it has only ``overig`` for."""
    assert {s.value for s in SoortIdentificator} <= {
        "bsn",
        "kvk_nummer",
        "vestigingsnummer",
        "rsin",
        "eidas",
    }


@pytest.mark.parametrize(
    ("soort", "oidc"),
    [
        (SoortIdentificator.BSN, BSN_ID_TYPE),
        (SoortIdentificator.KVK_NUMMER, KVK_ID_TYPE),
        (SoortIdentificator.EIDAS, EIDAS_ID_TYPE),
    ],
)
def test_oidc_names_translate_both_ways(soort: SoortIdentificator, oidc: str) -> None:
    assert oidc_id_type(soort) == oidc
    assert soort_of_oidc_id_type(oidc) is soort


def test_a_kind_oidc_has_no_name_for_is_refused_there() -> None:
    with pytest.raises(ValueError):
        oidc_id_type(SoortIdentificator.VESTIGINGSNUMMER)
    assert soort_of_oidc_id_type(KVK_ID_TYPE.upper()) is None


def test_every_kind_has_its_own_ldv_name_and_an_unknown_kind_a_general_one() -> None:
    names = [ldv_id_type(s) for s in SoortIdentificator]
    assert len(set(names)) == len(names)
    assert all(n.startswith(ldv_id_type(None) + ":") for n in names)


def test_the_ldv_names_an_eidas_pseudonym_as_such() -> None:
    assert ldv_id_type(SoortIdentificator.EIDAS) == (
        "urn:nl:profielservice:pseudoniem:hmac-sha256:eIDAS"
    )
