"""Unit tests of shared.models.values: the normalisers of single values and the Tekst type.

Every normaliser raises ValueError with a message that ends up in API answers and may be logged,
so besides what is accepted and refused, these tests check that no message repeats its input.
"""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from shared.models.values import (
    Tekst,
    normalise_bsn,
    normalise_eidas_identificator,
    normalise_email,
    normalise_kvk_nummer,
    normalise_landcode,
    normalise_postcode,
    normalise_telefoonnummer,
    normalise_vestigingsnummer,
)

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def repeated_fragment(message: str, value: str, width: int = 5) -> str | None:
    """The first piece of ``value`` (``width`` characters, or all of a shorter value) in ``message``."""
    if not value.strip():
        return None
    if len(value) <= width:
        return value if value in message else None
    return next(
        (
            value[i : i + width]
            for i in range(len(value) - width + 1)
            if value[i : i + width] in message
        ),
        None,
    )


# --- e-mail ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("jan@example.nl", "jan@example.nl"),
        ("Jan@Example.NL", "Jan@example.nl"),  # the domain is case-insensitive, the local part not
        ("jan@EXAMPLE.COM", "jan@example.com"),
        ("j.de.vries+profiel@mail.example.nl", "j.de.vries+profiel@mail.example.nl"),
    ],
)
def test_normalise_email_accepts_and_lowercases_the_domain(value: str, expected: str) -> None:
    assert normalise_email(value) == expected


EMAIL_REFUSED = [
    pytest.param("jan.example.nl", id="no-at-sign"),
    pytest.param("jan@@example.nl", id="two-at-signs"),
    pytest.param("x@localhost", id="localhost"),
    pytest.param("jan@example", id="single-label-domain"),
    pytest.param("jan@example.invalid", id="special-use-tld"),
    pytest.param("jan@[192.0.2.1]", id="ip-literal"),
    pytest.param("", id="empty"),
    pytest.param("jan@", id="nothing-after-at"),
    pytest.param("@example.nl", id="nothing-before-at"),
    pytest.param("jan de vries@example.nl", id="space-in-local-part"),
    pytest.param(" jan@example.nl", id="leading-space"),
    pytest.param("jan..vries@example.nl", id="double-dot"),
    pytest.param("Jan <jan@example.nl>", id="display-name"),
]


@pytest.mark.parametrize("value", EMAIL_REFUSED)
def test_normalise_email_refuses(value: str) -> None:
    with pytest.raises(ValueError, match="geen geldig e-mailadres"):
        normalise_email(value)


@pytest.mark.parametrize("value", EMAIL_REFUSED)
def test_normalise_email_message_does_not_repeat_the_input(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalise_email(value)
    assert repeated_fragment(str(caught.value), value) is None


def test_normalise_email_message_does_not_repeat_an_internationalised_domain_label() -> None:
    value = "piet@\u0661jansen.example.nl"
    with pytest.raises(ValueError) as caught:
        normalise_email(value)
    assert repeated_fragment(str(caught.value), value) is None


# --- telefoonnummer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("06 12345678", "+31612345678"),
        ("0612345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("020 123 4567", "+31201234567"),
        ("+31 (0)6 12345678", "+31612345678"),
        ("0031612345678", "+31612345678"),  # the international prefix from the Netherlands
        ("0031 6 12345678", "+31612345678"),
        ("+31612345678", "+31612345678"),
        ("+32 470 12 34 56", "+32470123456"),  # a Belgian mobile number stays Belgian
    ],
)
def test_normalise_telefoonnummer_gives_e164(value: str, expected: str) -> None:
    assert normalise_telefoonnummer(value) == expected


TELEFOON_REFUSED = [
    pytest.param("123", id="too-short"),
    pytest.param("112", id="emergency-number"),
    pytest.param("06 1234 5678 9", id="too-long"),
    pytest.param("abc", id="letters"),
    pytest.param("06ABCDEFGH", id="letters-after-prefix"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("value", TELEFOON_REFUSED)
def test_normalise_telefoonnummer_refuses(value: str) -> None:
    with pytest.raises(ValueError, match="telefoonnummer"):
        normalise_telefoonnummer(value)


@pytest.mark.parametrize("value", TELEFOON_REFUSED)
def test_normalise_telefoonnummer_message_does_not_repeat_the_input(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalise_telefoonnummer(value)
    assert repeated_fragment(str(caught.value), value) is None


# --- BSN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["999993653", "999990342", "100600505"])
def test_normalise_bsn_accepts_valid_test_bsns(value: str) -> None:
    assert normalise_bsn(value) == value


BSN_REFUSED = [
    pytest.param("99999365", id="8-digits"),
    pytest.param("9999936530", id="10-digits"),
    pytest.param("0999993653", id="10-digits-leading-zero"),
    pytest.param("99999365a", id="letter"),
    pytest.param("999 993 653", id="spaces"),
    pytest.param("999.993.653", id="dots"),
    pytest.param("999993654", id="fails-elfproef"),
    pytest.param("000000000", id="all-zeros"),
    pytest.param("999993653\n", id="trailing-newline"),
    pytest.param("999993653".translate(ARABIC_INDIC), id="arabic-indic-digits"),
    pytest.param("", id="empty"),
]


def test_normalise_bsn_refuses_full_width_digits() -> None:
    with pytest.raises(ValueError):
        normalise_bsn("999993653".translate(FULL_WIDTH))


@pytest.mark.parametrize("value", BSN_REFUSED)
def test_normalise_bsn_refuses(value: str) -> None:
    with pytest.raises(ValueError, match="geen geldig BSN"):
        normalise_bsn(value)


@pytest.mark.parametrize("value", BSN_REFUSED)
def test_normalise_bsn_message_does_not_repeat_the_input(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalise_bsn(value)
    assert repeated_fragment(str(caught.value), value) is None


# --- KVK-nummer and vestigingsnummer -------------------------------------------------------------


def test_normalise_kvk_nummer_accepts_eight_digits() -> None:
    assert normalise_kvk_nummer("69599084") == "69599084"


@pytest.mark.parametrize(
    "value",
    ["6959908", "695990840", "6959908a", " 69599084", "69599084\n", "6959 9084", ""],
)
def test_normalise_kvk_nummer_refuses_anything_but_eight_digits(value: str) -> None:
    with pytest.raises(ValueError, match="precies 8 cijfers") as caught:
        normalise_kvk_nummer(value)
    assert repeated_fragment(str(caught.value), value) is None


@pytest.mark.parametrize("digits", [ARABIC_INDIC, FULL_WIDTH], ids=["arabic-indic", "full-width"])
def test_normalise_kvk_nummer_refuses_non_ascii_digits(digits: dict[int, int]) -> None:
    with pytest.raises(ValueError):
        normalise_kvk_nummer("69599084".translate(digits))


def test_normalise_vestigingsnummer_accepts_twelve_digits() -> None:
    assert normalise_vestigingsnummer("000012345678") == "000012345678"


@pytest.mark.parametrize(
    "value", ["00001234567", "0000123456789", "00001234567a", "0000 1234 5678", ""]
)
def test_normalise_vestigingsnummer_refuses_anything_but_twelve_digits(value: str) -> None:
    with pytest.raises(ValueError, match="precies 12 cijfers") as caught:
        normalise_vestigingsnummer(value)
    assert repeated_fragment(str(caught.value), value) is None


@pytest.mark.parametrize("digits", [ARABIC_INDIC, FULL_WIDTH], ids=["arabic-indic", "full-width"])
def test_normalise_vestigingsnummer_refuses_non_ascii_digits(digits: dict[int, int]) -> None:
    with pytest.raises(ValueError):
        normalise_vestigingsnummer("000012345678".translate(digits))


# --- eIDAS identifier --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "ES/NL/02635542Y",  # the eIDAS SAML Attribute Profile's example, for a Dutch service
        "DE/NL/a1B2c3D4e5",  # case kept: it is the issuing country's identifier
        "BE/NL/" + "f" * 250,  # 256 characters in all
        "IT/NL/TINIT-RSSMRA80A01H501U",
        "AT/NL/a+b/c=",
    ],
)
def test_normalise_eidas_identificator_takes_it_as_it_is(value: str) -> None:
    assert normalise_eidas_identificator(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "NL/NL/123456789",  # a Dutch person logs in with DigiD
        "ES/AT/02635542Y",  # for an Austrian service, not this one
        "es/NL/02635542Y",
        "E/NL/02635542Y",
        "ESP/NL/02635542Y",
        "ES/NL/",
        "ES/NL/0263 5542Y",
        " ES/NL/02635542Y",
        "ES/NL/02635542Y ",
        "ES/NL/02635542Y\n",
        "ES/NL/0263\u200b5542Y",  # zero-width space
        "ES/NL/Müller",
        "ES/NL/" + "f" * 251,
        "02635542Y",
        "",
    ],
)
def test_normalise_eidas_identificator_refuses(value: str) -> None:
    with pytest.raises(ValueError, match="eIDAS") as caught:
        normalise_eidas_identificator(value)
    assert repeated_fragment(str(caught.value), value) is None


def test_an_eidas_identifier_in_full_width_letters_is_refused() -> None:
    """Full-width ＥＳ would be a second spelling of ES, so a second pseudonym."""
    with pytest.raises(ValueError):
        normalise_eidas_identificator("ＥＳ/NL/02635542Y")


# --- postcode ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234ab", "1234 AB"),
        ("1234AB", "1234 AB"),
        ("1234 AB", "1234 AB"),
        ("1234 ab", "1234 AB"),
        ("9999 ZZ", "9999 ZZ"),
    ],
)
def test_normalise_postcode_gives_four_digits_space_two_capitals(value: str, expected: str) -> None:
    assert normalise_postcode(value) == expected


POSTCODE_REFUSED = [
    pytest.param("0123 AB", id="leading-zero"),
    pytest.param("1234 SA", id="SA-not-used"),
    pytest.param("1234 SD", id="SD-not-used"),
    pytest.param("1234 SS", id="SS-not-used"),
    pytest.param("1234 ss", id="ss-lowercase-not-used"),
    pytest.param("12345", id="five-digits"),
    pytest.param("123 AB", id="three-digits"),
    pytest.param("1234 ABC", id="three-letters"),
    pytest.param("AB 1234", id="reversed"),
    pytest.param("", id="empty"),
    # What stdnum takes and the documented pattern does not: refused before stdnum sees it.
    pytest.param("NL-1234AB", id="country-prefix"),
    pytest.param("1234-AB", id="dash"),
    pytest.param("1234  AB", id="two-spaces"),
    pytest.param("1 2 3 4 A B", id="spaces-between"),
    pytest.param("1234\ufb00", id="ligature-ff-upper-cases-to-FF"),
]


@pytest.mark.parametrize("value", POSTCODE_REFUSED)
def test_normalise_postcode_refuses(value: str) -> None:
    with pytest.raises(ValueError, match="geen geldige Nederlandse postcode"):
        normalise_postcode(value)


@pytest.mark.parametrize("value", POSTCODE_REFUSED)
def test_normalise_postcode_message_does_not_repeat_the_input(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalise_postcode(value)
    # The message shows the example "1234 AB"; what was sent must not be in it.
    assert not value or value not in str(caught.value)


# --- landcode ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [("be", "BE"), ("BE", "BE"), ("De", "DE"), (" gb ", "GB")]
)
def test_normalise_landcode_gives_upper_case_alpha_2(value: str, expected: str) -> None:
    assert normalise_landcode(value) == expected


@pytest.mark.parametrize("value", ["NL", "nl", " Nl "])
def test_normalise_landcode_sends_the_netherlands_to_soort_nederlands(value: str) -> None:
    with pytest.raises(ValueError, match="'nederlands'"):
        normalise_landcode(value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("XX", id="unassigned"),
        pytest.param("UK", id="not-iso"),
        pytest.param("EU", id="reserved"),
        pytest.param("BEL", id="alpha-3"),
        pytest.param("B", id="one-letter"),
        pytest.param("", id="empty"),
        # Not ASCII letters, though upper case makes them so: "SS" (South Sudan), "FI".
        pytest.param("\u00df", id="sharp-s"),
        pytest.param("\ufb01", id="ligature-fi"),
    ],
)
def test_normalise_landcode_refuses_what_is_not_an_assigned_alpha_2(value: str) -> None:
    with pytest.raises(ValueError, match="ISO 3166-1") as caught:
        normalise_landcode(value)
    assert repeated_fragment(str(caught.value), value) is None


# --- Tekst(n) ----------------------------------------------------------------------------------

TEKST_5 = TypeAdapter(Tekst(5))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("abc", "abc", id="plain"),
        pytest.param("  abc\t", "abc", id="trimmed"),
        pytest.param(" abcde ", "abcde", id="exactly-n-after-trimming"),
        pytest.param("\u00a0abc\u00a0", "abc", id="no-break-spaces-trimmed"),
        pytest.param("e\u0301", "\u00e9", id="nfc"),
        pytest.param("e\u0301" * 5, "\u00e9" * 5, id="length-counted-after-nfc"),
        pytest.param("a b", "a b", id="inner-space-kept"),
    ],
)
def test_tekst_normalises(value: str, expected: str) -> None:
    assert TEKST_5.validate_python(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("", "mag niet leeg zijn", id="empty"),
        pytest.param("   ", "mag niet leeg zijn", id="spaces"),
        pytest.param("\t\n ", "mag niet leeg zijn", id="whitespace"),
        pytest.param("abcdef", "hoogstens 5 tekens", id="too-long"),
        pytest.param(" abcdef ", "hoogstens 5 tekens", id="too-long-after-trimming"),
        pytest.param("a\u200db", "onzichtbare of besturingstekens", id="zero-width-joiner"),
        pytest.param("a\u202eb", "onzichtbare of besturingstekens", id="rtl-override"),
        pytest.param("a\x07b", "onzichtbare of besturingstekens", id="bell"),
        pytest.param("a\ufeffb", "onzichtbare of besturingstekens", id="byte-order-mark"),
        pytest.param("a\nb", "onzichtbare of besturingstekens", id="inner-newline"),
        pytest.param("a\ue000b", "onzichtbare of besturingstekens", id="private-use"),
    ],
)
def test_tekst_refuses(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TEKST_5.validate_python(value)
    [error] = caught.value.errors()
    assert error["type"] == "value_error"
    assert message in error["msg"]


def test_tekst_refuses_absurdly_long_input_before_normalising() -> None:
    with pytest.raises(ValidationError) as caught:
        TEKST_5.validate_python("a" * 21)
    assert [e["type"] for e in caught.value.errors()] == ["string_too_long"]


@pytest.mark.parametrize("value", ["geheimx", "ge\u200dheim", "geh\x07eim"])
def test_tekst_messages_do_not_repeat_the_input(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TEKST_5.validate_python(value)
    # Only the message goes into an API answer (the HTTP layer leaves the input out).
    for error in caught.value.errors():
        assert repeated_fragment(error["msg"], value, width=4) is None
