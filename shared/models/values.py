"""Validated value types: each normaliser has one job and delegates the rules to a well-kept library.

Every normaliser raises ``ValueError`` with a message that is safe to show and to log: it never
repeats the value it was given.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, Field
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

# ASCII digits only: ``\d`` also matches full-width and Arabic-Indic digits, which stdnum would
# accept and fold, giving the same person a second spelling - and so a second pseudonym.
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
_TWENTY_DIGITS = re.compile(r"[0-9]{20}")

# The patterns the OpenAPI document gives for these values, written so that ECMA-262 and Python's
# ``re`` read them alike (``\s`` is white space as ``str.strip`` sees it, in either up to a few
# control and format characters). Each says what its normaliser below accepts, as far as a
# pattern can: the elfproef of a BSN and the ISO lists of languages and countries are in the
# descriptions. The normalisers check these very patterns, and say why in Dutch; the length limits
# pydantic checks (``max_length``) refuse absurd input before any work is done.
BSN_PATTERN = r"^(?!0{9})[0-9]{9}$"
KVK_NUMMER_PATTERN = r"^[0-9]{8}$"
VESTIGINGSNUMMER_PATTERN = r"^[0-9]{12}$"
OIN_PATTERN = r"^[0-9]{20}$"
# The eIDAS uniqueness identifier (PersonIdentifier, eIDAS SAML Attribute Profile 1.2, 2.2.3): the
# country that issued it, "/", the country it is for, "/", the identifier - "ES/AT/02635542Y" for
# a Spanish eID at an Austrian service. For this service the second is always NL, and the first
# never is (a Dutch person logs in with DigiD, with a BSN). The identifier is the issuing
# country's: visible ASCII, its case kept (two cases may be two persons), at most 256 characters
# in all. Nothing is trimmed or folded, as with a BSN: one person, one spelling, one pseudonym.
EIDAS_PATTERN = r"^(?!NL/)[A-Z]{2}/NL/[!-~]{1,250}$"
EIDAS_MAX_LENGTH = 256
# Two ASCII letters, any case, white space around them allowed (it is trimmed). ASCII only:
# ``str.upper`` and ``str.lower`` fold look-alikes into letters ("ß" becomes "SS", the Kelvin
# sign "k"), which would let a client send a code nobody can read back.
_TWO_LETTERS = r"\s*[A-Za-z]{2}\s*"
TAALCODE_PATTERN = rf"^{_TWO_LETTERS}$"
LANDCODE_PATTERN = rf"^{_TWO_LETTERS}$"
# Four digits, the first not 0, an optional space, two letters - of any case, but never SA, SD or
# SS (PostNL does not use them) - and white space around them allowed.
POSTCODE_PATTERN = r"^\s*[1-9][0-9]{3} ?(?:[A-RT-Za-rt-z][A-Za-z]|[Ss][BCE-RT-Zbce-rt-z])\s*$"
# A UUID in its one written form (RFC 9562), hex digits of either case.
UUID_PATTERN = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
# Something besides white space: a text that is empty once trimmed is refused.
NOT_BLANK_PATTERN = r"\S"

_TWO_LETTERS_RE = re.compile(_TWO_LETTERS)
_EIDAS = re.compile(EIDAS_PATTERN)
_POSTCODE = re.compile(POSTCODE_PATTERN)
_UUID = re.compile(UUID_PATTERN)

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


def normalise_eidas_identificator(value: str) -> str:
    """An eIDAS uniqueness identifier for a Dutch service (:data:`EIDAS_PATTERN`), as given."""
    if not _EIDAS.fullmatch(value):
        raise ValueError("geen eIDAS-identificatie voor een Nederlandse dienst")
    return value


def normalise_taal(value: str) -> str:
    """A language as ISO 639-1: two lower-case letters of a language that has them."""
    import pycountry

    if not _TWO_LETTERS_RE.fullmatch(value):
        raise ValueError("geen ISO 639-1 taalcode van twee letters")
    code = value.strip().lower()
    if pycountry.languages.get(alpha_2=code) is None:
        raise ValueError("geen ISO 639-1 taalcode van twee letters")
    return code


def normalise_postcode(value: str) -> str:
    """Accepts ``1234ab`` and ``1234 AB`` (:data:`POSTCODE_PATTERN`); returns ``1234 AB``."""
    try:
        # The pattern first: stdnum also takes "NL-", dashes and spaces anywhere, and letters
        # that only become A-Z in upper case ("ﬀ"): more than the document can say.
        if not _POSTCODE.fullmatch(value):
            raise ValueError
        return stdnum_postcode.validate(value)
    except ValueError:
        raise ValueError("geen geldige Nederlandse postcode (1234 AB)") from None


def normalise_landcode(value: str) -> str:
    """ISO 3166-1 alpha-2 of a country other than the Netherlands."""
    import pycountry

    if not _TWO_LETTERS_RE.fullmatch(value):
        raise ValueError("geen ISO 3166-1 landcode van twee letters")
    code = value.strip().upper()
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("geen ISO 3166-1 landcode van twee letters")
    if code == "NL":
        raise ValueError("gebruik voor een adres in Nederland soort 'nederlands'")
    return code


def normalise_uuid(value: object) -> object:
    """A UUID as the API writes it; pydantic would also take it without hyphens, in braces or as
    a URN - forms the document does not give. A UUID object (from the store) passes as it is."""
    if isinstance(value, str) and not _UUID.fullmatch(value):
        raise ValueError("geen UUID (8-4-4-4-12 hexadecimale cijfers)")
    return value


def Tekst(max_length: int) -> object:
    """A human-written text field: NFC, trimmed, no invisible characters, 1..max_length long.

    The document gives the length after normalising, and that the text is not blank; the
    characters refused are in the description.
    """

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
        max_length=max_length * 4,
        json_schema_extra={
            "minLength": 1,
            "maxLength": max_length,
            "pattern": NOT_BLANK_PATTERN,
            "description": _TEKST_DESCRIPTION.format(max_length=max_length),
        },
    )
    return Annotated[str, outer_limit, AfterValidator(normalise)]


_TEKST_DESCRIPTION = (
    "Tekst van 1 tot en met {max_length} tekens, geteld na NFC-normalisatie en na het weghalen "
    "van witruimte aan begin en eind (alleen witruimte is leeg). Besturings-, opmaak- "
    "(bidi, zero-width), privé- en niet-toegekende tekens worden geweigerd."
)

# What a pattern cannot say is in the description; the OpenAPI document takes both from here.
Bsn = Annotated[
    str,
    Field(
        json_schema_extra={
            "pattern": BSN_PATTERN,
            "description": "Burgerservicenummer: 9 cijfers die de elfproef doorstaan - "
            "9×c1 + 8×c2 + 7×c3 + 6×c4 + 5×c5 + 4×c6 + 3×c7 + 2×c8 − c9 is deelbaar door 11. "
            "000000000 doorstaat die som wel, maar is geen BSN en wordt geweigerd, net als "
            "elk nummer dat de elfproef niet doorstaat (400).",
            "example": "999993653",
        }
    ),
    AfterValidator(normalise_bsn),
]
KvkNummer = Annotated[
    str,
    Field(
        json_schema_extra={
            "pattern": KVK_NUMMER_PATTERN,
            "description": "KVK-nummer: 8 cijfers.",
            "example": "69599084",
        }
    ),
    AfterValidator(normalise_kvk_nummer),
]
Vestigingsnummer = Annotated[
    str,
    Field(
        json_schema_extra={
            "pattern": VESTIGINGSNUMMER_PATTERN,
            "description": "Vestigingsnummer (KVK): 12 cijfers.",
        }
    ),
    AfterValidator(normalise_vestigingsnummer),
]
Oin = Annotated[
    str,
    Field(
        json_schema_extra={
            "pattern": OIN_PATTERN,
            "description": "Organisatie-identificatienummer (OIN): 20 cijfers.",
        }
    ),
    AfterValidator(normalise_oin),
]
EidasIdentificator = Annotated[
    str,
    Field(
        max_length=EIDAS_MAX_LENGTH,
        json_schema_extra={
            "pattern": EIDAS_PATTERN,
            "description": "eIDAS-identificatie (PersonIdentifier van de eIDAS-verordening): de "
            "landcode van het land dat haar uitgaf, `/NL/` (het land waarvoor zij is: Nederland) "
            "en de identificatie zelf, zichtbare ASCII-tekens; hoogstens 256 tekens, hoofd- en "
            "kleine letters verschillen. Een Nederlandse (`NL/NL/...`) bestaat niet: wie een BSN "
            "heeft, wordt met het BSN gevonden.",
            "example": "ES/NL/02635542Y",
        },
    ),
    AfterValidator(normalise_eidas_identificator),
]
Taal = Annotated[
    str,
    Field(
        max_length=8,
        json_schema_extra={
            "minLength": 2,
            "pattern": TAALCODE_PATTERN,
            "description": "ISO 639-1: de code van twee letters van een taal die er een heeft, "
            "bijvoorbeeld nl of en; hoofd- of kleine letters, opgeslagen en getoond in kleine "
            "letters.",
        },
    ),
    AfterValidator(normalise_taal),
]
Postcode = Annotated[
    str,
    Field(
        max_length=16,
        json_schema_extra={
            "minLength": 6,
            "pattern": POSTCODE_PATTERN,
            "description": "Nederlandse postcode: 4 cijfers (niet beginnend met 0), eventueel "
            "een spatie, 2 letters (niet SA, SD of SS); opgeslagen en getoond als `1234 AB`.",
            "example": "1234 AB",
        },
    ),
    AfterValidator(normalise_postcode),
]
Landcode = Annotated[
    str,
    Field(
        max_length=8,
        json_schema_extra={
            "minLength": 2,
            "pattern": LANDCODE_PATTERN,
            "description": "ISO 3166-1 alpha-2: de code van twee letters van een land, niet NL "
            "(gebruik daarvoor `soort: nederlands`); hoofd- of kleine letters, opgeslagen en "
            "getoond in hoofdletters.",
            "example": "BE",
        },
    ),
    AfterValidator(normalise_landcode),
]
Uuid = Annotated[
    UUID,
    BeforeValidator(normalise_uuid),
    Field(json_schema_extra={"pattern": UUID_PATTERN}),
]
