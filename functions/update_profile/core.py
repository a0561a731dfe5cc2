"""Changes to one's own profile: pure functions from a profile (and a request) to a new profile.

No I/O, no clock, no randomness: the caller passes the new id. Each function keeps the
invariants of :class:`shared.models.profiel.Profiel`: unique addresses per kind, at most one
standard address per kind, at most ``MAXIMUM_PER_SOORT`` of a kind.
"""

from __future__ import annotations

from uuid import UUID

from shared.models.profiel import (
    MAXIMUM_PER_SOORT,
    AdresWijziging,
    Contactgegeven,
    ContactgegevenToevoegen,
    ContactgegevenWijzigen,
    Postadres,
    Profiel,
    SoortDigitaalAdres,
    Voorkeuren,
    VoorkeurenWijzigen,
    normalise_adres,
)
from shared.problems import InvalidParam, Problem, invalid_input, not_found


class ProfileConflict(Problem):
    """The change contradicts the profile as it is (a duplicate, a full list)."""

    def __init__(self, detail: str) -> None:
        super().__init__(409, "Conflict met het profiel", detail, "conflict")


def add_contactgegeven(
    profiel: Profiel, request: ContactgegevenToevoegen, new_id: UUID
) -> tuple[Profiel, Contactgegeven]:
    soort = request.soort_digitaal_adres
    of_soort = _of_soort(profiel, soort)
    if len(of_soort) >= MAXIMUM_PER_SOORT[soort]:
        raise ProfileConflict(
            f"Er kunnen hoogstens {MAXIMUM_PER_SOORT[soort]} contactgegevens van soort "
            f"'{soort}' in een profiel staan. Verwijder er eerst een."
        )
    _refuse_duplicate(of_soort, request.adres)
    standaard = (
        request.is_standaard_adres
        if request.is_standaard_adres is not None
        else not any(c.is_standaard_adres for c in of_soort)
    )
    nieuw = Contactgegeven(
        id=new_id,
        soort_digitaal_adres=soort,
        adres=request.adres,
        omschrijving=request.omschrijving,
        is_standaard_adres=standaard,
    )
    contactgegevens = profiel.contactgegevens + (nieuw,)
    if standaard:
        contactgegevens = _only_standaard(contactgegevens, nieuw)
    return profiel.model_copy(update={"contactgegevens": contactgegevens}), nieuw


def change_contactgegeven(
    profiel: Profiel, contactgegeven_id: UUID, request: ContactgegevenWijzigen
) -> Profiel:
    huidig = _existing(profiel, contactgegeven_id)
    sent = request.model_fields_set
    changes: dict[str, object] = {}
    if "adres" in sent:
        if request.adres is None:
            raise invalid_input([InvalidParam("adres", "null", "mag niet leeg zijn")])
        try:
            adres = normalise_adres(huidig.soort_digitaal_adres, request.adres)
        except ValueError as error:
            raise invalid_input([InvalidParam("adres", "value_error", str(error))]) from None
        if adres != huidig.adres:
            others = [c for c in _of_soort(profiel, huidig.soort_digitaal_adres) if c != huidig]
            _refuse_duplicate(others, adres)
            # A new address has not been verified: whoever proved the old one proved nothing
            # about this one.
            changes.update(adres=adres, verificatie_datum=None)
    if "omschrijving" in sent:
        changes["omschrijving"] = request.omschrijving
    if "is_standaard_adres" in sent:
        if request.is_standaard_adres is None:
            raise invalid_input([InvalidParam("isStandaardAdres", "null", "kies true of false")])
        changes["is_standaard_adres"] = request.is_standaard_adres

    gewijzigd = huidig.model_copy(update=changes)
    contactgegevens = tuple(gewijzigd if c.id == huidig.id else c for c in profiel.contactgegevens)
    if gewijzigd.is_standaard_adres:
        contactgegevens = _only_standaard(contactgegevens, gewijzigd)
    return profiel.model_copy(update={"contactgegevens": contactgegevens})


def remove_contactgegeven(profiel: Profiel, contactgegeven_id: UUID) -> Profiel:
    weg = _existing(profiel, contactgegeven_id)
    contactgegevens = tuple(c for c in profiel.contactgegevens if c.id != weg.id)
    if weg.is_standaard_adres:
        # The next address of the same kind takes over, so a kind with addresses keeps a standard.
        opvolger = next(
            (c for c in contactgegevens if c.soort_digitaal_adres == weg.soort_digitaal_adres),
            None,
        )
        if opvolger is not None:
            contactgegevens = _only_standaard(
                contactgegevens, opvolger.model_copy(update={"is_standaard_adres": True})
            )
    return profiel.model_copy(update={"contactgegevens": contactgegevens})


def set_postadres(profiel: Profiel, postadres: Postadres) -> Profiel:
    return profiel.model_copy(update={"postadres": postadres})


def remove_postadres(profiel: Profiel) -> Profiel:
    if profiel.postadres is None:
        raise not_found("Er staat geen postadres in dit profiel.")
    return profiel.model_copy(update={"postadres": None})


def change_voorkeuren(profiel: Profiel, request: VoorkeurenWijzigen) -> Profiel:
    changes = {name: getattr(request, name) for name in request.model_fields_set}
    voorkeuren = Voorkeuren.model_validate(profiel.voorkeuren.model_dump() | changes)
    return profiel.model_copy(update={"voorkeuren": voorkeuren})


def addresses_to_verify(before: Profiel, after: Profiel) -> list[Contactgegeven]:
    """The contact details that got a new address in this change: each gets a code."""
    return [
        c
        for c in after.contactgegevens
        if (previous := before.contactgegeven(c.id)) is None or previous.adres != c.adres
    ]


def old_addresses_to_notify(before: Profiel, after: Profiel) -> list[tuple[str, AdresWijziging]]:
    """Verified e-mail addresses this change replaced or removed: their owner is told.

    Someone who took over a portal session, or made a mistake, cannot silently move the
    messages of a person elsewhere: the address that proved to be theirs hears of it.
    """
    notices = []
    for c in before.contactgegevens:
        if c.soort_digitaal_adres is not SoortDigitaalAdres.EMAIL or c.verificatie_datum is None:
            continue
        current = after.contactgegeven(c.id)
        if current is None:
            notices.append((c.adres, AdresWijziging.VERWIJDERD))
        elif current.adres != c.adres:
            notices.append((c.adres, AdresWijziging.VERVANGEN))
    return notices


def _of_soort(profiel: Profiel, soort: SoortDigitaalAdres) -> list[Contactgegeven]:
    return [c for c in profiel.contactgegevens if c.soort_digitaal_adres == soort]


def _existing(profiel: Profiel, contactgegeven_id: UUID) -> Contactgegeven:
    found = profiel.contactgegeven(contactgegeven_id)
    if found is None:
        raise not_found("Dit contactgegeven staat niet in uw profiel.")
    return found


def _refuse_duplicate(of_soort: list[Contactgegeven], adres: str) -> None:
    if any(c.adres == adres for c in of_soort):
        raise ProfileConflict("Dit adres staat al in uw profiel.")


def _only_standaard(
    contactgegevens: tuple[Contactgegeven, ...], standaard: Contactgegeven
) -> tuple[Contactgegeven, ...]:
    """Make ``standaard`` the one standard address of its kind."""
    return tuple(
        standaard
        if c.id == standaard.id
        else (
            c.model_copy(update={"is_standaard_adres": False})
            if c.soort_digitaal_adres == standaard.soort_digitaal_adres
            else c
        )
        for c in contactgegevens
    )
