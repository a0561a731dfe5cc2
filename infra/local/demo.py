"""Demo profiles for the BRP and KVK test identities, seeded once into an empty local store.

BSN 999993653 stays empty on purpose: it is the burger of the printed guide, who fills their
profile step by step. The others show what a filled profile looks like, with contact details in
each verification state: verified, stale (verified longer than 18 months ago), not verified.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import TypeAdapter

from functions.report_delivery import core as report_delivery
from functions.update_profile import core
from functions.verify_contact import core as verify_contact
from shared.identity.access import partij_keys_for
from shared.identity.subject import ActorRole
from shared.models.partij import SoortIdentificator
from shared.models.profiel import ContactgegevenToevoegen, Postadres, Profiel
from shared.models.register import Register
from shared.models.voorkeuren import Voorkeurset
from shared.store.profielen import Change, ProfielRepository
from shared.store.register import OrganisatieRegister

GUIDE_BSN = "999993653"
OTHER_BSN = "100600505"
DEMO_BSNS = ("999993653", "100600505", "100600517", "999990342")
DEMO_KVK_NUMMERS = ("69599084", "69599068", "68750110")
# A branch of 69599084 in the Handelsregister (KVK's test environment, and the local stand-in).
DEMO_VESTIGINGSNUMMER = "000038509520"
# Deceased in the BRP (RvIG's test persona): a profile from before, that no organisation gets.
OVERLEDEN_BSN = "999970239"
# In the local register (register.json): the municipality may look up for two purposes, the
# water board for none.
GEMEENTE_OIN = "00000099000000000001"
WATERSCHAP_OIN = "00000099000000000002"
# The municipality's API key for its existing clients (NotifyNL's OMC, Open Forms, a MOZa
# component), bound to its purpose "notificatie": register.json keeps only its SHA-256. For the
# local stack only; a deployment's keys come from `profiel register key`.
GEMEENTE_API_KEY = "lokaal-omc-gemeente-voorbeeldstad-7f3a9c2e5b1d"

_POSTADRES: TypeAdapter[Postadres] = TypeAdapter(Postadres)
_NAMESPACE = uuid.UUID("6f3e2a52-5d0e-4d36-9d7e-3f1c1b0a9e41")
# How long before seeding a demo contact detail was verified.
_VERIFIED = timedelta(days=30)
_STALE = timedelta(days=600)
_BOUNCED = timedelta(days=3)

DEMO_PROFILES: dict[tuple[str, str], dict] = {
    (SoortIdentificator.BSN, "999993653"): {},
    (SoortIdentificator.BSN, "100600505"): {
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
        # Paper post from the water board, whatever the default says.
        "organisaties": {WATERSCHAP_OIN: {"correspondentie": "post"}},
    },
    (SoortIdentificator.BSN, "100600517"): {
        "contactgegevens": [
            ("email", "s.jansen@example.nl", None, _VERIFIED),
            ("email", "sanne@example.org", "Werk", _STALE),
            ("email", "s.jansen@oud.example.nl", "Oud", _VERIFIED),
        ],
        # The old address bounced for good, as an organisation reported (report-delivery).
        "onbestelbaar": (2,),
        "postadres": {
            "soort": "buitenlands",
            "adresregel1": "Rue de la Loi 16",
            "adresregel2": "1000 Bruxelles",
            "land": "BE",
        },
        "correspondentie": "digitaal",
    },
    (SoortIdentificator.BSN, "999990342"): {
        "contactgegevens": [("telefoonnummer", "020 123 4567", "Thuis", _VERIFIED)],
        "correspondentie": "post",
    },
    (SoortIdentificator.BSN, OVERLEDEN_BSN): {
        "contactgegevens": [("email", "s.saasveld@example.nl", None, _VERIFIED)],
        "correspondentie": "digitaal",
    },
    (SoortIdentificator.KVK_NUMMER, "69599084"): {
        "contactgegevens": [
            ("email", "info@bakkerij.example.nl", "Algemeen", _VERIFIED),
            ("telefoonnummer", "+31 30 123 4567", None, None),
        ],
        # The branch in Maastricht prefers no SMS (`profiel token --kvk 69599084 --vestiging ...`).
        "vestigingen": {DEMO_VESTIGINGSNUMMER: {"kanalen": {"sms": False}}},
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
    (SoortIdentificator.KVK_NUMMER, "69599068"): {
        "contactgegevens": [("email", "administratie@example.com", None, _STALE)],
        "correspondentie": "digitaal",
    },
    (SoortIdentificator.KVK_NUMMER, "68750110"): {
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


def demo_profiel(kind: SoortIdentificator, identifier: str, now: datetime) -> Profiel:
    """Built with the same operations as the API, so a demo profile is a valid profile."""
    spec = DEMO_PROFILES[(kind, identifier)]
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
        if index in spec.get("onbestelbaar", ()):
            profiel = report_delivery.onbestelbaar(profiel, new_id, now - _BOUNCED)
    if "postadres" in spec:
        profiel = core.set_postadres(profiel, _POSTADRES.validate_python(spec["postadres"]))
    if "correspondentie" in spec:
        level = Voorkeurset(correspondentie=spec["correspondentie"])
        profiel = core.change_voorkeuren(profiel, level)
    for oin, preferences in spec.get("organisaties", {}).items():
        profiel = core.set_organisatie(profiel, oin, Voorkeurset.model_validate(preferences))
    for vestigingsnummer, preferences in spec.get("vestigingen", {}).items():
        level = Voorkeurset.model_validate(preferences)
        profiel = core.change_voorkeuren(profiel, level, vestigingsnummer)
    return profiel


LOCAL_REGISTER = Path(__file__).with_name("register.json")


def seed_register(path: Path = LOCAL_REGISTER) -> int:
    """Load the register of organisations the local stack knows; how many there are."""
    written, _ = OrganisatieRegister().replace(Register.model_validate_json(path.read_text()))
    return written


def seed_demo_profiles(repository: ProfielRepository | None = None) -> int:
    """Store each demo profile that is not in the store yet; how many were stored."""
    repository = repository or ProfielRepository()
    seeded = 0
    for soort, identifier in DEMO_PROFILES:
        keys = partij_keys_for(soort, identifier)
        now = datetime.now(UTC)
        profiel = demo_profiel(soort, identifier, now)
        # During a key rotation it may still be under the old key: stored, and moved by then.
        stored = [k for k in (keys.key, keys.previous) if k and repository.get(k).version]
        if profiel == Profiel() or stored:
            continue
        change = Change(
            ActorRole.SYSTEEM,
            None,
            now,
            uuid.uuid4().hex,
            soort=soort,
            sealed_identifier=keys.sealed_identifier,
        )
        repository.save(keys.key, profiel, 0, change)
        seeded += 1
    return seeded
