"""The preference model: the one resolution rule on every level, and each preference's type."""

from __future__ import annotations

import copy
from typing import Any
from uuid import UUID

import pytest
from pydantic import ValidationError

from functions.update_profile.core import (
    add_contactgegeven,
    change_voorkeuren,
    patched_voorkeuren,
    remove_contactgegeven,
    set_dienst,
    set_organisatie,
)
from shared.errors import DomainError
from shared.http.errors import problem_of
from shared.models.profiel import Profiel, SoortDigitaalAdres
from shared.models.voorkeuren import (
    MAXIMUM_ORGANISATIES,
    Voorkeuren,
    Voorkeurset,
    merge_patch,
    resolve,
)
from tests.builders import toevoegen, uid

GEMEENTE, WATERSCHAP = "00000099000000000001", "00000099000000000002"
VESTIGING, ANDERE_VESTIGING = "000012345678", "000087654321"


def level(**values: Any) -> Voorkeurset:
    return Voorkeurset.model_validate(values)


def voorkeuren(**values: Any) -> Voorkeuren:
    return Voorkeuren.model_validate(values)


# --- the resolution rule ---------------------------------------------------------------------------

LAYERED = voorkeuren(
    correspondentie="digitaal",
    kanalen={"email": True, "sms": True, "post": False},
    taal="nl",
    organisaties=[
        {
            "oin": GEMEENTE,
            "kanalen": {"sms": False},
            "taal": "en",
            "diensten": [{"dienst": "parkeren", "kanalen": {"email": False, "sms": True}}],
        }
    ],
)


def test_without_an_organisation_the_default_applies() -> None:
    resolved = resolve(LAYERED)
    assert resolved.kanalen.model_dump() == {
        "email": True,
        "sms": True,
        "berichtenbox": None,
        "portaal": None,
        "post": False,
    }
    assert resolved.taal == "nl"


def test_an_organisation_overrides_the_default_preference_by_preference() -> None:
    resolved = resolve(LAYERED, GEMEENTE)
    assert resolved.kanalen.sms is False  # the organisation's
    assert resolved.kanalen.email is True  # not chosen there: the default's
    assert resolved.kanalen.post is False
    assert resolved.taal == "en"
    assert resolved.correspondentie == "digitaal"


def test_a_service_overrides_its_organisation_which_overrides_the_default() -> None:
    resolved = resolve(LAYERED, GEMEENTE, "parkeren")
    assert resolved.kanalen.email is False  # service
    assert resolved.kanalen.sms is True  # service, over the organisation's False
    assert resolved.taal == "en"  # organisation
    assert resolved.kanalen.post is False  # default


def test_an_organisation_or_service_without_preferences_falls_through() -> None:
    assert resolve(LAYERED, WATERSCHAP) == resolve(LAYERED)
    assert resolve(LAYERED, GEMEENTE, "afval") == resolve(LAYERED, GEMEENTE)
    assert resolve(LAYERED, WATERSCHAP, "parkeren") == resolve(LAYERED)


COMPANY = voorkeuren(
    correspondentie="post",
    kanalen={"email": True, "sms": True},
    organisaties=[{"oin": GEMEENTE, "kanalen": {"email": False}, "taal": "de"}],
    vestigingen=[
        {
            "vestigingsnummer": VESTIGING,
            "kanalen": {"sms": False},
            "organisaties": [{"oin": WATERSCHAP, "correspondentie": "digitaal"}],
        }
    ],
)


def test_a_branch_falls_back_to_its_company() -> None:
    resolved = resolve(COMPANY, vestigingsnummer=VESTIGING)
    assert resolved.kanalen.sms is False  # the branch's
    assert resolved.kanalen.email is True  # the company's
    assert resolved.correspondentie == "post"


def test_the_branch_chain_comes_before_the_company_chain() -> None:
    # The branch's own organisation level wins; what it leaves open comes from the branch's
    # default, then from the company's organisation level, then the company's default.
    at_waterschap = resolve(COMPANY, WATERSCHAP, vestigingsnummer=VESTIGING)
    assert at_waterschap.correspondentie == "digitaal"
    assert at_waterschap.kanalen.sms is False
    at_gemeente = resolve(COMPANY, GEMEENTE, vestigingsnummer=VESTIGING)
    assert at_gemeente.kanalen.email is False  # company, organisation level
    assert at_gemeente.kanalen.sms is False  # branch default beats company default
    assert at_gemeente.taal == "de"


def test_another_branch_and_the_company_itself_see_only_the_company() -> None:
    assert resolve(COMPANY, GEMEENTE, vestigingsnummer=ANDERE_VESTIGING) == resolve(
        COMPANY, GEMEENTE
    )
    assert resolve(COMPANY).kanalen.sms is True


# --- each preference is validated by its type ------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"correspondentie": "fax"}, ("correspondentie",)),
        ({"kanalen": {"sms": "ja"}}, ("kanalen", "sms")),
        ({"kanalen": {"sms": 1}}, ("kanalen", "sms")),
        ({"kanalen": {"duif": True}}, ("kanalen", "duif")),
        ({"taal": "xx"}, ("taal",)),
        ({"taal": "nld"}, ("taal",)),
        ({"taal": "Nederlands"}, ("taal",)),
        ({"taal": "\u212aA"}, ("taal",)),  # the Kelvin sign: "ka" once lowered
        (
            {"voorkeursadressen": {"email": "2d9f4401bea24f28ac4a485727e2d80f"}},  # no hyphens
            ("voorkeursadressen", "email"),
        ),
        ({"weergave": {"thema": "paars"}}, ("weergave", "thema")),
        ({"weergave": {"aanhef": "Hoi"}}, ("weergave", "aanhef")),
        ({"weergave": {"kleur": "blauw"}}, ("weergave", "kleur")),
        ({"voorkeursadressen": {"email": "niet-een-id"}}, ("voorkeursadressen", "email")),
        ({"lievelingseten": "pizza"}, ("lievelingseten",)),
    ],
)
def test_an_invalid_value_names_its_field(values: dict[str, Any], field: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as caught:
        Voorkeurset.model_validate(values)
    assert [e["loc"] for e in caught.value.errors()] == [field]


def test_a_language_is_normalised_to_iso_639_1() -> None:
    assert level(taal="EN").taal == "en"


@pytest.mark.parametrize(
    "scopes",
    [
        {"organisaties": [{"oin": "123"}]},
        {"organisaties": [{"oin": GEMEENTE}, {"oin": GEMEENTE}]},
        {"organisaties": [{"oin": GEMEENTE, "diensten": [{"dienst": "Parkeren!"}]}]},
        {"vestigingen": [{"vestigingsnummer": "12"}]},
        {"organisaties": [{"oin": f"{n:020d}"} for n in range(MAXIMUM_ORGANISATIES + 1)]},
    ],
)
def test_scopes_are_checked(scopes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        voorkeuren(**scopes)


# --- changing preferences ----------------------------------------------------------------------------


def test_a_merge_patch_changes_what_it_names_and_removes_what_is_null() -> None:
    current = {"correspondentie": "post", "kanalen": {"email": True, "sms": True}}
    patch = {"kanalen": {"sms": False, "email": None}, "taal": "nl"}
    assert merge_patch(current, patch) == {
        "correspondentie": "post",
        "kanalen": {"sms": False},
        "taal": "nl",
    }
    assert current == {"correspondentie": "post", "kanalen": {"email": True, "sms": True}}


# RFC 7396, Appendix A: every example, as (original, patch, result).
RFC_7396_EXAMPLES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(
    ("original", "patch", "result"), RFC_7396_EXAMPLES, ids=[str(i) for i in range(1, 16)]
)
def test_merge_patch_gives_every_result_of_rfc_7396_appendix_a(
    original: Any, patch: Any, result: Any
) -> None:
    kept = copy.deepcopy((original, patch))
    assert merge_patch(original, patch) == result
    assert (original, patch) == kept  # neither argument changes


def test_a_null_in_a_nested_patch_removes_even_where_the_member_was_absent() -> None:
    # Not merged but copied, {"thema": null} would be kept as a null member.
    assert merge_patch({"taal": "nl"}, {"weergave": {"thema": None}}) == {
        "taal": "nl",
        "weergave": {},
    }
    patch = {"weergave": {"thema": None, "aanhef": "formeel"}}
    assert merge_patch({"weergave": "licht"}, patch) == {"weergave": {"aanhef": "formeel"}}


@pytest.mark.parametrize(
    "patch", [{"weergave": {"kleur": None}}, {"taall": None}, {"kanalen": {"fax": None}}]
)
def test_a_merge_patch_naming_an_unknown_member_is_refused_even_with_null(
    patch: dict[str, Any],
) -> None:
    # The merge itself would drop it silently; the level's model is what refuses the name.
    with pytest.raises(DomainError) as refused:
        patched_voorkeuren(Profiel(), patch)
    assert problem_of(refused.value).status == 400


def test_patching_the_default_leaves_the_organisation_levels_alone() -> None:
    profiel = set_organisatie(Profiel(), GEMEENTE, level(correspondentie="post"))
    body = {"correspondentie": "digitaal", "kanalen": {"sms": False}}
    changed = change_voorkeuren(
        profiel, Voorkeurset.model_validate(patched_voorkeuren(profiel, body))
    )
    assert changed.voorkeuren.correspondentie == "digitaal"
    assert changed.voorkeuren.organisatie(GEMEENTE).correspondentie == "post"


def test_setting_an_organisation_keeps_its_services() -> None:
    profiel = set_dienst(Profiel(), GEMEENTE, "parkeren", level(taal="en"))
    profiel = set_organisatie(profiel, GEMEENTE, level(taal="de"))
    organisatie = profiel.voorkeuren.organisatie(GEMEENTE)
    assert organisatie.taal == "de"
    assert organisatie.dienst("parkeren").taal == "en"


def test_a_branch_representative_changes_only_the_branch() -> None:
    profiel = change_voorkeuren(Profiel(), level(kanalen={"sms": True}))
    profiel = change_voorkeuren(profiel, level(kanalen={"sms": False}), VESTIGING)
    assert profiel.voorkeuren.kanalen.sms is True
    assert profiel.voorkeuren.vestiging(VESTIGING).kanalen.sms is False


def test_too_many_organisations_is_a_conflict() -> None:
    profiel = Profiel()
    for n in range(MAXIMUM_ORGANISATIES):
        profiel = set_organisatie(profiel, f"{n:020d}", level(taal="nl"))
    with pytest.raises(DomainError) as caught:
        set_organisatie(profiel, GEMEENTE, level(taal="nl"))
    assert problem_of(caught.value).status == 409


# --- preferred addresses ------------------------------------------------------------------------------


def with_two_emails() -> tuple[Profiel, UUID, UUID]:
    profiel, first = add_contactgegeven(Profiel(), toevoegen("email", "a@example.nl"), uid(1))
    profiel, second = add_contactgegeven(profiel, toevoegen("email", "b@example.nl"), uid(2))
    return profiel, first.id, second.id


def test_the_preferred_address_is_the_one_chosen_else_the_standard_one() -> None:
    profiel, standaard, other = with_two_emails()
    profiel = set_organisatie(profiel, GEMEENTE, level(voorkeursadressen={"email": str(other)}))
    email = SoortDigitaalAdres.EMAIL
    assert profiel.voorkeursadres(email, resolve(profiel.voorkeuren)).id == standaard
    assert profiel.voorkeursadres(email, resolve(profiel.voorkeuren, GEMEENTE)).id == other
    assert (
        profiel.voorkeursadres(SoortDigitaalAdres.TELEFOONNUMMER, resolve(profiel.voorkeuren))
        is None
    )


def test_a_preferred_address_must_be_in_the_profile_and_of_its_kind() -> None:
    profiel, standaard, _ = with_two_emails()
    with pytest.raises(DomainError) as caught:
        set_organisatie(profiel, GEMEENTE, level(voorkeursadressen={"email": str(uid(9))}))
    assert problem_of(caught.value).status == 400
    assert [p.name for p in problem_of(caught.value).invalid_params] == ["voorkeursadressen.email"]
    with pytest.raises(DomainError):
        change_voorkeuren(profiel, level(voorkeursadressen={"telefoonnummer": str(standaard)}))


def test_removing_a_preferred_address_removes_the_choice_everywhere() -> None:
    profiel, _, other = with_two_emails()
    choice = level(voorkeursadressen={"email": str(other)})
    profiel = change_voorkeuren(profiel, choice)
    profiel = set_dienst(profiel, GEMEENTE, "parkeren", choice)
    profiel = change_voorkeuren(profiel, choice, VESTIGING)
    removed = remove_contactgegeven(profiel, other)
    assert [
        where for where, lvl in removed.voorkeuren.levels() if lvl.voorkeursadressen.email
    ] == []
    assert Profiel.model_validate(removed.model_dump()) == removed
