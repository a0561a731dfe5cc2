"""The demo data of `make run` is valid data: built with the API's own operations."""

from datetime import UTC, datetime

from infra.local.demo import DEMO_PROFILES, GUIDE_BSN, demo_profiel
from infra.local.guide import shell_commands
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Profiel, VerificatieStatus

NOW = datetime.now(UTC)


def test_every_demo_profile_builds_and_only_the_guides_burger_is_empty() -> None:
    for soort, identifier in DEMO_PROFILES:
        profiel = demo_profiel(soort, identifier, NOW)
        assert Profiel.model_validate(profiel.model_dump()) == profiel
        assert (profiel == Profiel()) == (identifier == GUIDE_BSN)


def test_the_demo_shows_every_verification_state() -> None:
    states = {
        c.verificatie_status(NOW)
        for soort, identifier in DEMO_PROFILES
        for c in demo_profiel(soort, identifier, NOW).contactgegevens
    }
    assert states == set(VerificatieStatus)


def test_the_guide_uses_values_no_demo_profile_has() -> None:
    guide = shell_commands("http://127.0.0.1:8080", "http://127.0.0.1:8081", "profiel")
    demo_values = {
        c.adres
        for soort, identifier in DEMO_PROFILES
        for c in demo_profiel(soort, identifier, NOW).contactgegevens
    }
    assert demo_values and not any(value in guide for value in demo_values)
    assert "+31612345678" not in demo_values  # the guide's phone number, 06 12345678
    assert (SoortIdentificator.BSN, GUIDE_BSN) in DEMO_PROFILES
