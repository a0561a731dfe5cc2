"""Demo profiles for the BRP and KVK test identities, seeded once into an empty local store.

BSN 999993653 stays empty on purpose: it is the burger of the printed guide, who fills their
profile step by step. The others show what a filled profile looks like, with contact details in
each verification state: verified, stale (verified longer than 18 months ago), not verified.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from pydantic import TypeAdapter

from functions.update_profile import core
from functions.verify_contact import core as verify_contact
from shared.identity import partij_key
from shared.identity.subject import BSN_ID_TYPE, KVK_ID_TYPE, ActorRole, subject_for
from shared.models.profiel import ContactgegevenToevoegen, Postadres, Profiel, VoorkeurenWijzigen
from shared.store.profielen import Change, ProfielRepository

GUIDE_BSN = "999993653"
OTHER_BSN = "100600505"
DEMO_BSNS = ("999993653", "100600505", "100600517", "999990342")
DEMO_KVK_NUMMERS = ("69599084", "69599068", "68750110")

_POSTADRES: TypeAdapter[Postadres] = TypeAdapter(Postadres)
_NAMESPACE = uuid.UUID("6f3e2a52-5d0e-4d36-9d7e-3f1c1b0a9e41")
# How long before seeding a demo contact detail was verified.
_VERIFIED = timedelta(days=30)
_STALE = timedelta(days=600)

DEMO_PROFILES: dict[tuple[str, str], dict] = {
    (BSN_ID_TYPE, "999993653"): {},
    (BSN_ID_TYPE, "100600505"): {
        "contactgegevens": [
            ("email", "f.de.vries@example.nl", None, _VERIFIED),
            ("telefoonnummer", "06 87654321", "Mobiel", None),
        ],
        "postadres": {
            "soort": "nederlands",
            "straat": "Kerkstraat",
            "huisnummer": 12,
            "huisletter": "a",
            "postcode": "2511 AB",
            "woonplaats": "Den Haag",
        },
        "correspondentie": "digitaal",
    },
    (BSN_ID_TYPE, "100600517"): {
        "contactgegevens": [
            ("email", "s.jansen@example.nl", None, _VERIFIED),
            ("email", "sanne@example.org", "Werk", _STALE),
        ],
        "postadres": {
            "soort": "buitenlands",
            "adresregel1": "Rue de la Loi 16",
            "adresregel2": "1000 Bruxelles",
            "land": "BE",
        },
        "correspondentie": "digitaal",
    },
    (BSN_ID_TYPE, "999990342"): {
        "contactgegevens": [("telefoonnummer", "020 123 4567", "Thuis", _VERIFIED)],
        "correspondentie": "post",
    },
    (KVK_ID_TYPE, "69599084"): {
        "contactgegevens": [
            ("email", "info@bakkerij.example.nl", "Algemeen", _VERIFIED),
            ("telefoonnummer", "+31 30 123 4567", None, None),
        ],
        "postadres": {
            "soort": "nederlands",
            "straat": "Marktplein",
            "huisnummer": 3,
            "huisnummertoevoeging": "B",
            "postcode": "3511 LM",
            "woonplaats": "Utrecht",
        },
        "correspondentie": "digitaal",
    },
    (KVK_ID_TYPE, "69599068"): {
        "contactgegevens": [("email", "administratie@example.com", None, _STALE)],
        "correspondentie": "digitaal",
    },
    (KVK_ID_TYPE, "68750110"): {
        "postadres": {
            "soort": "nederlands",
            "straat": "Industrieweg",
            "huisnummer": 101,
            "postcode": "9723 BA",
            "woonplaats": "Groningen",
        },
        "correspondentie": "post",
    },
}


def demo_profiel(id_type: str, identifier: str, now: datetime) -> Profiel:
    """Built with the same operations as the API, so a demo profile is a valid profile."""
    spec = DEMO_PROFILES[(id_type, identifier)]
    profiel = Profiel()
    for index, (soort, adres, omschrijving, verified) in enumerate(spec.get("contactgegevens", [])):
        request = ContactgegevenToevoegen.model_validate(
            {"soortDigitaalAdres": soort, "adres": adres, "omschrijving": omschrijving}
        )
        new_id = uuid.uuid5(_NAMESPACE, f"{identifier}:{index}")
        profiel, added = core.add_contactgegeven(profiel, request, new_id)
        if verified is not None:
            # Verified before the demo began: as if its owner had entered a code back then.
            profiel = verify_contact.verified(profiel, added, now - verified)
    if "postadres" in spec:
        profiel = core.set_postadres(profiel, _POSTADRES.validate_python(spec["postadres"]))
    if "correspondentie" in spec:
        request = VoorkeurenWijzigen(correspondentie=spec["correspondentie"])
        profiel = core.change_voorkeuren(profiel, request)
    return profiel


def seed_demo_profiles(repository: ProfielRepository | None = None) -> int:
    """Store each demo profile that is not in the store yet; how many were stored."""
    repository = repository or ProfielRepository()
    seeded = 0
    for id_type, identifier in DEMO_PROFILES:
        is_bsn = id_type == BSN_ID_TYPE
        key = partij_key(
            subject_for(identifier if is_bsn else None, None if is_bsn else identifier)
        )
        now = datetime.now(UTC)
        profiel = demo_profiel(id_type, identifier, now)
        if profiel == Profiel() or repository.get(key).version:
            continue
        change = Change(ActorRole.SYSTEEM, None, now, uuid.uuid4().hex)
        repository.save(key, profiel, 0, change)
        seeded += 1
    return seeded
