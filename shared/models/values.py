"""Validated value types: each normaliser has one job and delegates the rules to a well-kept library.

Every normaliser raises ``ValueError`` with a message that is safe to show and to log: it never
repeats the value it was given.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

# ASCII digits only: ``\d`` also matches full-width and Arabic-Indic digits, which stdnum would
# accept and fold, giving the same person a second spelling - and so a second pseudonym.
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
_TWENTY_DIGITS = re.compile(r"[0-9]{20}")

# Control, format (bidi overrides, zero-width characters), surrogate, private-use and unassigned
# code points have no place in a name or an address and are how look-alike spoofing is done.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def normalise_text(value: str) -> str:
    text = unicodedata.normalize("NFC", value).strip()
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in text):
        raise ValueError("bevat onzichtbare of besturingstekens")
    return text


# email-validator, phonenumbers and pycountry are imported where they are used: only a change
# needs them, and at import they would cost every function's cold start ~180 ms.


def normalise_email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        # Not the library's explanation: some of its messages quote part of the address.
        raise ValueError("geen geldig e-mailadres") from None


def normalise_telefoonnummer(value: str) -> str:
    """Any valid number, Dutch numbers without country code; stored and shown as E.164."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        raise ValueError("geen telefoonnummer") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("geen geldig telefoonnummer")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_bsn(value: str) -> str:
    # stdnum strips spaces and dots and pads short numbers; a BSN in a token is exactly 9 digits.
    if not _NINE_DIGITS.fullmatch(value) or not stdnum_bsn.is_valid(value):
        raise ValueError("geen geldig BSN")
    return value


def normalise_kvk_nummer(value: str) -> str:
    if not _EIGHT_DIGITS.fullmatch(value):
        raise ValueError("een KVK-nummer bestaat uit precies 8 cijfers")
    return value


def normalise_vestigingsnummer(value: str) -> str:
    if not _TWELVE_DIGITS.fullmatch(value):
        raise ValueError("een vestigingsnummer bestaat uit precies 12 cijfers")
    return value


def normalise_oin(value: str) -> str:
    """Organisatie-identificatienummer (Logius): 20 digits."""
    if not _TWENTY_DIGITS.fullmatch(value):
        raise ValueError("een OIN bestaat uit precies 20 cijfers")
    return value


def normalise_taal(value: str) -> str:
    """A language as ISO 639-1: two lower-case letters of a language that has them."""
    import pycountry

    code = value.strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValueError("geen ISO 639-1 taalcode van twee letters")
    return code


def normalise_postcode(value: str) -> str:
    """Accepts ``1234ab`` and ``1234 AB``; returns ``1234 AB``."""
    try:
        return stdnum_postcode.validate(value)
    except ValueError:
        raise ValueError("geen geldige Nederlandse postcode (1234 AB)") from None


def normalise_landcode(value: str) -> str:
    """ISO 3166-1 alpha-2 of a country other than the Netherlands."""
    import pycountry

    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("geen ISO 3166-1 landcode van twee letters")
    if code == "NL":
        raise ValueError("gebruik voor een adres in Nederland soort 'nederlands'")
    return code


def Tekst(max_length: int) -> object:  # noqa: N802 - reads as a type in model fields
    """A human-written text field: NFC, trimmed, no invisible characters, 1..max_length long."""

    def normalise(value: str) -> str:
        text = normalise_text(value)
        if not text:
            raise ValueError("mag niet leeg zijn")
        if len(text) > max_length:
            raise ValueError(f"mag hoogstens {max_length} tekens lang zijn")
        return text

    # The outer limit refuses absurdly long input before any normalising work is done; the
    # schema shows the limit that counts, after normalising.
    outer_limit = Field(
        max_length=max_length * 4, json_schema_extra={"minLength": 1, "maxLength": max_length}
    )
    return Annotated[str, outer_limit, AfterValidator(normalise)]


Bsn = Annotated[str, AfterValidator(normalise_bsn)]
KvkNummer = Annotated[str, AfterValidator(normalise_kvk_nummer)]
Vestigingsnummer = Annotated[str, AfterValidator(normalise_vestigingsnummer)]
Oin = Annotated[str, AfterValidator(normalise_oin)]
Taal = Annotated[str, Field(max_length=8), AfterValidator(normalise_taal)]
Postcode = Annotated[str, Field(max_length=16), AfterValidator(normalise_postcode)]
Landcode = Annotated[str, Field(max_length=8), AfterValidator(normalise_landcode)]
