"""The write-backs of Open Klant's clients: their request bodies, what of them is kept, and the
answers in Open Klant 2's shapes (``specs/openklant-klantinteracties.openapi.yaml``). No I/O, no
clock, no randomness: the use case passes the time and the new ids.

What is kept of a klantcontact is a contact moment (``shared.models.contactmoment``): the
organisation, ``kanaal``, ``onderwerp``, ``plaatsgevondenOp`` and ``indicatieContactGelukt``.
Everything else a client sends - the message (``inhoud``), a reply (``reactie``), a betrokkene's
name and addresses, ``metadata`` - is checked as Open Klant checks it and then dropped: it is
never stored, and the answers do not pretend it was (``inhoud`` comes back empty). The answers
otherwise have every member Open Klant's have, so that a client's deserialiser finds them.

A digital address an organisation provides (``POST /digitaleadressen``) becomes a contact
detail of the partij's profile that nobody has verified: organisations get it only after the
owner confirmed it with a code (``Contactgegeven.mag_worden_verstrekt``).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, StrictInt
from pydantic_core import PydanticKnownError

from functions.klantinteracties import core as klantinteracties
from functions.update_profile.core import add_contactgegeven
from shared.errors import InvalidParam, ongeldige_invoer
from shared.models.base import ApiModel
from shared.models.contactmoment import Contactmoment
from shared.models.profiel import (
    MAXIMUM_PER_SOORT,
    NEDERLAND,
    ContactgegevenToevoegen,
    Profiel,
    SoortDigitaalAdres,
    normalise_adres,
)


class _OpenKlant(ApiModel):
    # Open Klant (Django REST framework) ignores what it does not know and what is read-only
    # (``url``, ``hadBetrokkenen``, ...): so does this, or a client that sends back what it read
    # would be refused. Nothing ignored is stored.
    model_config = ConfigDict(extra="ignore")


def _niet_null(error_type: str) -> BeforeValidator:
    """For a member the document gives no ``nullable``: it may be left out (None then), not sent
    as ``null`` - refused as pydantic refuses a value of another type (``error_type``), as Open
    Klant refuses it. A default is never validated, so the absent member passes."""

    def refuse_null(value: Any) -> Any:
        if value is None:
            raise PydanticKnownError(error_type)
        return value

    return BeforeValidator(refuse_null)


# The document's ``format: uri``: a scheme, then only the characters RFC 3986 allows (and a
# percent sign only before two hex digits).
_URI = r"^[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$"
# The document's ``format: date-time`` as text (a number, or a date alone, is none), with the
# offset optional: NotifyNL's OMC may send a local time without one (.NET's "O" of a parsed
# DateTime), and Open Klant reads that as Dutch time.
_TIJDSTIP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)


# The document's ``format: date``: the full date, nothing else.
_DATUM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _tijdstip(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticKnownError("datetime_type")
    if not _TIJDSTIP.fullmatch(value):
        raise PydanticKnownError("datetime_parsing", {"error": "geen ISO 8601-tijdstip"})
    return value


def _datum(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticKnownError("date_type")
    if not _DATUM.fullmatch(value):
        raise PydanticKnownError("date_parsing", {"error": "geen ISO 8601-datum"})
    return value


# Pydantic's own parsing takes a number as a Unix time, a date as a midnight, "1700000000" as
# either: the document has text in ISO 8601 alone. The text is checked first, then parsed.
Tijdstip = Annotated[datetime, BeforeValidator(_tijdstip)]
Datum = Annotated[date, BeforeValidator(_datum)]
# A value of ``metadata``: text of at most 255 characters.
Metawaarde = Annotated[str, Field(max_length=255)]


class Verwijzing(_OpenKlant):
    """A foreign key as Open Klant takes it: the ``uuid`` (its ``url`` is read-only)."""

    uuid: UUID


class KlantcontactInvoer(_OpenKlant):
    """Body of ``POST /klantcontacten``, and ``klantcontact`` of ``POST /maak-klantcontact``.

    Every member is checked as the document types it - also what is dropped - so a body the
    document refuses is refused here (400 naming the field) and never half taken. Only where Open
    Klant refuses more than its document says is this stricter: ``kanaal``, ``onderwerp`` and
    ``taal`` may not be blank (its model's fields are not ``blank=True``)."""

    nummer: str | None = Field(default=None, max_length=10)
    referentienummer: str | None = Field(default=None, max_length=10)
    kanaal: str = Field(min_length=1, max_length=50)
    onderwerp: str = Field(min_length=1, max_length=200)
    # Checked as Open Klant checks them, never kept.
    inhoud: Annotated[str | None, _niet_null("string_type")] = Field(default=None, max_length=1000)
    reactie: Annotated[str | None, _niet_null("string_type")] = Field(default=None, max_length=4000)
    indicatie_contact_gelukt: StrictBool | None = None
    hoofd_onderwerp_type: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=200, pattern=_URI
    )
    verdere_actie_ondernomen: StrictBool = False
    taal: str = Field(min_length=1, max_length=3)
    vertrouwelijk: StrictBool
    # Open Klant's default is the moment it is recorded. NotifyNL's OMC may send a local time
    # without an offset (.NET's "O" of a parsed DateTime): Open Klant reads that as Dutch time.
    plaatsgevonden_op: Annotated[Tijdstip | None, _niet_null("datetime_type")] = None
    metadata: Annotated[dict[str, Metawaarde] | None, _niet_null("dict_type")] = None

    def __repr__(self) -> str:
        # The message may be in it: never in a log or a traceback.
        return "KlantcontactInvoer(...)"

    __str__ = __repr__


class Adres(_OpenKlant):
    """A betrokkene's ``bezoekadres`` or ``correspondentieadres``: checked as the document types
    it (``Bezoekadres``, ``BetrokkeneCorrespondentieadres``), never kept."""

    nummeraanduiding_id: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=16, pattern=r"^[0-9]{16}$"
    )
    straatnaam: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=255
    )
    huisnummer: StrictInt | None = Field(default=None, ge=1, le=99999)
    huisnummertoevoeging: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=20
    )
    postcode: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=7, pattern=r"^[1-9][0-9]{3} [A-Z]{2}$"
    )
    stad: Annotated[str | None, _niet_null("string_type")] = Field(default=None, max_length=255)
    adresregel1: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=80
    )
    adresregel2: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=80
    )
    adresregel3: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=80
    )
    land: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, min_length=2, max_length=2
    )

    def __repr__(self) -> str:
        return "Adres(...)"

    __str__ = __repr__


class Contactnaam(_OpenKlant):
    """A betrokkene's ``contactnaam``: checked as the document types it, never kept."""

    voorletters: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=10
    )
    voornaam: Annotated[str | None, _niet_null("string_type")] = Field(default=None, max_length=200)
    voorvoegsel_achternaam: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=10
    )
    achternaam: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=200
    )

    def __repr__(self) -> str:
        return "Contactnaam(...)"

    __str__ = __repr__


class BetrokkeneInvoer(_OpenKlant):
    """``betrokkene`` of ``POST /maak-klantcontact``: a betrokkene without its klantcontact."""

    was_partij: Verwijzing | None = None
    # A betrokkene's name and addresses: personal data this service does not keep. Their type
    # is checked as Open Klant's, their contents dropped.
    bezoekadres: Adres | None = None
    correspondentieadres: Adres | None = None
    contactnaam: Contactnaam | None = None
    rol: Literal["vertegenwoordiger", "klant"]
    organisatienaam: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=200
    )
    initiator: StrictBool

    def __repr__(self) -> str:
        return "BetrokkeneInvoer(...)"

    __str__ = __repr__


class BetrokkeneMetKlantcontact(BetrokkeneInvoer):
    """Body of ``POST /betrokkenen``."""

    had_klantcontact: Verwijzing


class Onderwerpobjectidentificator(_OpenKlant):
    """What a klantcontact was about (a case): four texts, none of them ``null``."""

    object_id: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=200
    )
    code_objecttype: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=200
    )
    code_register: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=200
    )
    code_soort_object_id: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=200
    )


class OnderwerpobjectInvoer(_OpenKlant):
    """``onderwerpobject`` of ``POST /maak-klantcontact`` (its klantcontact is that one)."""

    was_klantcontact: Verwijzing | None = None
    onderwerpobjectidentificator: Onderwerpobjectidentificator | None = None


class OnderwerpobjectMetKlantcontact(OnderwerpobjectInvoer):
    """Body of ``POST /onderwerpobjecten``."""

    klantcontact: Verwijzing | None = None


class MaakKlantcontact(_OpenKlant):
    """Body of ``POST /maak-klantcontact``: a klantcontact, and its betrokkene and
    onderwerpobject, at once."""

    klantcontact: KlantcontactInvoer
    betrokkene: Annotated[BetrokkeneInvoer | None, _niet_null("dict_type")] = None
    onderwerpobject: Annotated[OnderwerpobjectInvoer | None, _niet_null("dict_type")] = None


class DigitaalAdresInvoer(_OpenKlant):
    """Body of ``POST /digitaleadressen``: Open Forms' "save for next time"."""

    verstrekt_door_betrokkene: Verwijzing | None = None
    verstrekt_door_partij: Verwijzing | None = None
    adres: str = Field(min_length=1, max_length=80)
    soort_digitaal_adres: Literal["email", "telefoonnummer", "overig"]
    is_standaard_adres: Annotated[StrictBool | None, _niet_null("bool_type")] = None
    omschrijving: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=40
    )
    referentie: Annotated[str | None, _niet_null("string_type")] = Field(
        default=None, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$"
    )
    # An organisation cannot say the address was verified: only its owner can, with a code.
    verificatie_datum: Datum | None = None

    def __repr__(self) -> str:
        return "DigitaalAdresInvoer(...)"

    __str__ = __repr__


# --- what is kept ---------------------------------------------------------------------------------


def contactmoment(
    invoer: KlantcontactInvoer, oin: str, klantcontact: UUID, now: datetime
) -> Contactmoment:
    """What is kept of a klantcontact: no message, nothing of who was contacted."""
    tijdstip = invoer.plaatsgevonden_op or now
    if tijdstip.tzinfo is None:
        tijdstip = tijdstip.replace(tzinfo=NEDERLAND)
    return Contactmoment(
        klantcontact=str(klantcontact),
        oin=oin,
        kanaal=invoer.kanaal,
        onderwerp=invoer.onderwerp,
        tijdstip=tijdstip,
        gelukt=invoer.indicatie_contact_gelukt,
    )


def te_bewaren_adres(invoer: DigitaalAdresInvoer) -> tuple[SoortDigitaalAdres, str]:
    """The kind and the stored form of the address an organisation provides; 400 naming the
    field for a kind this service keeps no address of, or an address that is none."""
    if invoer.soort_digitaal_adres == "overig":
        raise ongeldige_invoer(
            [
                InvalidParam(
                    "soortDigitaalAdres",
                    "niet_ondersteund",
                    "alleen een e-mailadres of een telefoonnummer wordt bewaard",
                )
            ]
        )
    soort = SoortDigitaalAdres(invoer.soort_digitaal_adres)
    try:
        return soort, normalise_adres(soort, invoer.adres)
    except ValueError as error:
        # The normalisers' reasons are the service's own, and never quote the address.
        raise ongeldige_invoer([InvalidParam("adres", "value_error", str(error))]) from None


def met_verstrekt_adres(
    profiel: Profiel, soort: SoortDigitaalAdres, adres: str, new_id: UUID
) -> Profiel | None:
    """The profile with the address added as an unverified contact detail; None when nothing
    is to change: it is there already (verified or not), the profile has as many of its kind as
    it may hold, or there is no profile at all - an organisation never starts one, and never
    fills in a profile its owner erased."""
    if profiel == Profiel():
        return None
    of_soort = [c for c in profiel.contactgegevens if c.soort_digitaal_adres is soort]
    if any(c.adres == adres for c in of_soort) or len(of_soort) >= MAXIMUM_PER_SOORT[soort]:
        return None
    # The standard address of its kind only when there is none: an unverified one is given to
    # nobody, and the owner's choice among verified ones stays as it is.
    toevoegen = ContactgegevenToevoegen(soort_digitaal_adres=soort, adres=adres)
    changed, _ = add_contactgegeven(profiel, toevoegen, new_id)
    return changed


# --- the answers, in Open Klant 2's shapes --------------------------------------------------------


@dataclass(frozen=True)
class Urls(klantinteracties.Urls):
    """The absolute URLs of this surface's resources, as Open Klant gives them."""

    def klantcontact(self, uuid: str) -> str:
        return f"{self.base}/klantcontacten/{uuid}"

    def betrokkene(self, uuid: str) -> str:
        return f"{self.base}/betrokkenen/{uuid}"

    def onderwerpobject(self, uuid: str) -> str:
        return f"{self.base}/onderwerpobjecten/{uuid}"


def _ref(uuid: str, url: str) -> dict[str, str]:
    return {"uuid": uuid, "url": url}


@dataclass(frozen=True)
class Aangemaakt:
    """The UUIDs of what one request made."""

    klantcontact: str
    betrokkene: str | None = None
    onderwerpobject: str | None = None


def klantcontact(
    invoer: KlantcontactInvoer, moment: Contactmoment, ids: Aangemaakt, urls: Urls
) -> dict[str, Any]:
    """A klantcontact (``Klantcontact``) as recorded: no ``inhoud``, no ``reactie`` kept.
    ``hoofdOnderwerpType`` only when it was sent: the document has it as a URI (never ``""``)
    and not as nullable."""
    answer: dict[str, Any] = {
        "uuid": moment.klantcontact,
        "url": urls.klantcontact(moment.klantcontact),
        "gingOverOnderwerpobjecten": (
            [_ref(ids.onderwerpobject, urls.onderwerpobject(ids.onderwerpobject))]
            if ids.onderwerpobject
            else []
        ),
        "hadBetrokkenActoren": [],
        "omvatteBijlagen": [],
        "hadBetrokkenen": (
            [_ref(ids.betrokkene, urls.betrokkene(ids.betrokkene))] if ids.betrokkene else []
        ),
        "leiddeTotInterneTaken": [],
        "nummer": invoer.nummer,
        "referentienummer": invoer.referentienummer,
        "kanaal": moment.kanaal,
        "onderwerp": moment.onderwerp,
        "inhoud": "",
        "reactie": "",
        "indicatieContactGelukt": moment.gelukt,
        "verdereActieOndernomen": invoer.verdere_actie_ondernomen,
        "taal": invoer.taal,
        "vertrouwelijk": invoer.vertrouwelijk,
        "plaatsgevondenOp": moment.tijdstip.isoformat(),
        "metadata": {},
    }
    if invoer.hoofd_onderwerp_type is not None:
        answer["hoofdOnderwerpType"] = invoer.hoofd_onderwerp_type
    return answer


def betrokkene(
    invoer: BetrokkeneInvoer, betrokkene_uuid: str, klantcontact_uuid: str, urls: Urls
) -> dict[str, Any]:
    """A betrokkene (``Betrokkene``): which partij and klantcontact, nothing of the person."""
    partij = str(invoer.was_partij.uuid) if invoer.was_partij else None
    return {
        "uuid": betrokkene_uuid,
        "url": urls.betrokkene(betrokkene_uuid),
        "wasPartij": _ref(partij, urls.partij(partij)) if partij else None,
        "hadKlantcontact": _ref(klantcontact_uuid, urls.klantcontact(klantcontact_uuid)),
        "digitaleAdressen": [],
        "bezoekadres": None,
        "correspondentieadres": None,
        "contactnaam": None,
        "volledigeNaam": "",
        "rol": invoer.rol,
        "organisatienaam": invoer.organisatienaam or "",
        "initiator": invoer.initiator,
    }


def onderwerpobject(
    invoer: OnderwerpobjectInvoer,
    onderwerpobject_uuid: str,
    klantcontact_uuid: str | None,
    urls: Urls,
) -> dict[str, Any]:
    """An onderwerpobject (``Onderwerpobject``): what the klantcontact was about, as sent (a
    case's UUID, say) - answered, not kept."""
    was = str(invoer.was_klantcontact.uuid) if invoer.was_klantcontact else None
    identificator = invoer.onderwerpobjectidentificator
    return {
        "uuid": onderwerpobject_uuid,
        "url": urls.onderwerpobject(onderwerpobject_uuid),
        "klantcontact": (
            _ref(klantcontact_uuid, urls.klantcontact(klantcontact_uuid))
            if klantcontact_uuid
            else None
        ),
        "wasKlantcontact": _ref(was, urls.klantcontact(was)) if was else None,
        "onderwerpobjectidentificator": (
            {
                "objectId": identificator.object_id or "",
                "codeObjecttype": identificator.code_objecttype or "",
                "codeRegister": identificator.code_register or "",
                "codeSoortObjectId": identificator.code_soort_object_id or "",
            }
            if identificator
            else None
        ),
    }


def digitaal_adres(
    invoer: DigitaalAdresInvoer, soort: SoortDigitaalAdres, adres: str, oin: str, urls: Urls
) -> dict[str, Any]:
    """A digital address (``DigitaalAdres``) as provided. The same answer whatever became of it
    - added, there already, a full profile, no profile: its UUID follows from the request alone
    (a keyed hash would add nothing - the organisation knows all of it), so it tells nothing of
    the profile. Never verified: that is for its owner."""
    partij = str(invoer.verstrekt_door_partij.uuid) if invoer.verstrekt_door_partij else None
    door_betrokkene = (
        str(invoer.verstrekt_door_betrokkene.uuid) if invoer.verstrekt_door_betrokkene else None
    )
    digest = hashlib.sha256(f"verstrekt-adres:{oin}:{partij}:{soort}:{adres}".encode()).digest()
    adres_uuid = str(uuid.UUID(bytes=digest[:16], version=4))
    answer: dict[str, Any] = {
        "uuid": adres_uuid,
        "url": urls.digitaal_adres(adres_uuid),
        "verstrektDoorBetrokkene": (
            _ref(door_betrokkene, urls.betrokkene(door_betrokkene)) if door_betrokkene else None
        ),
        "verstrektDoorPartij": _ref(partij, urls.partij(partij)) if partij else None,
        "adres": adres,
        "soortDigitaalAdres": soort.value,
        "isStandaardAdres": False,
        "omschrijving": invoer.omschrijving or "",
        "verificatieDatum": None,
    }
    # Only when it was sent: the document's pattern has no empty ``referentie``.
    if invoer.referentie is not None:
        answer["referentie"] = invoer.referentie
    return answer
