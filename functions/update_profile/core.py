"""Changes to one's own profile: pure functions from a profile (and a request) to a new profile.

No I/O, no clock, no randomness: the caller passes the new id. Each function keeps the
invariants of :class:`shared.models.profiel.Profiel`: unique addresses per kind, at most one
standard address per kind, at most ``MAXIMUM_PER_SOORT`` of a kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from shared.errors import (
    InvalidParam,
    conflict,
    niet_gevonden,
    ongeldige_invoer,
    register_niet_beschikbaar,
)
from shared.models.bronnen import Registratie
from shared.models.profiel import (
    MAXIMUM_PER_SOORT,
    AdresWijziging,
    Contactgegeven,
    ContactgegevenToevoegen,
    ContactgegevenWijzigen,
    ContactnaamZetten,
    Delen,
    Postadres,
    Profiel,
    SoortDigitaalAdres,
    normalise_adres,
    unknown_voorkeursadressen,
)
from shared.models.voorkeuren import (
    MAXIMUM_DIENSTEN,
    MAXIMUM_ORGANISATIES,
    MAXIMUM_VESTIGINGEN,
    DienstVoorkeuren,
    MetOrganisaties,
    OrganisatieVoorkeuren,
    VestigingVoorkeuren,
    Voorkeuren,
    Voorkeurset,
    merge_patch,
    unknown_in_patch,
)


def add_contactgegeven(
    profiel: Profiel, request: ContactgegevenToevoegen, new_id: UUID
) -> tuple[Profiel, Contactgegeven]:
    soort = request.soort_digitaal_adres
    of_soort = _of_soort(profiel, soort)
    if len(of_soort) >= MAXIMUM_PER_SOORT[soort]:
        raise conflict(
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
    huidig = profiel.eigen_contactgegeven(contactgegeven_id)
    sent = request.model_fields_set
    changes: dict[str, object] = {}
    if "adres" in sent:
        if request.adres is None:
            raise ongeldige_invoer([InvalidParam("adres", "null", "mag niet leeg zijn")])
        try:
            adres = normalise_adres(huidig.soort_digitaal_adres, request.adres)
        except ValueError as error:
            raise ongeldige_invoer([InvalidParam("adres", "value_error", str(error))]) from None
        if adres != huidig.adres:
            others = [c for c in _of_soort(profiel, huidig.soort_digitaal_adres) if c != huidig]
            _refuse_duplicate(others, adres)
            # A new address has not been verified: whoever proved the old one proved nothing
            # about this one - nor did the old one's bounce say anything about it.
            changes.update(adres=adres, verificatie_datum=None, onbestelbaar_sinds=None)
    if "omschrijving" in sent:
        changes["omschrijving"] = request.omschrijving
    if "is_standaard_adres" in sent:
        if request.is_standaard_adres is None:
            raise ongeldige_invoer([InvalidParam("isStandaardAdres", "null", "kies true of false")])
        changes["is_standaard_adres"] = request.is_standaard_adres

    gewijzigd = huidig.model_copy(update=changes)
    contactgegevens = tuple(gewijzigd if c.id == huidig.id else c for c in profiel.contactgegevens)
    if gewijzigd.is_standaard_adres:
        contactgegevens = _only_standaard(contactgegevens, gewijzigd)
    return profiel.model_copy(update={"contactgegevens": contactgegevens})


def remove_contactgegeven(profiel: Profiel, contactgegeven_id: UUID) -> Profiel:
    weg = profiel.eigen_contactgegeven(contactgegeven_id)
    contactgegevens = tuple(c for c in profiel.contactgegevens if c.id != weg.id)
    # A preference for the removed detail falls back to the standard one of its kind.
    profiel = profiel.model_copy(
        update={"voorkeuren": profiel.voorkeuren.without_voorkeursadres(weg.id)}
    )
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


def set_delen(profiel: Profiel, delen: Delen) -> Profiel:
    return profiel.model_copy(update={"delen": delen})


def set_postadres(profiel: Profiel, postadres: Postadres) -> Profiel:
    return profiel.model_copy(update={"postadres": postadres})


def remove_postadres(profiel: Profiel) -> Profiel:
    if profiel.postadres is None:
        raise niet_gevonden("Er staat geen postadres in dit profiel.")
    return profiel.model_copy(update={"postadres": None})


def set_contactnaam(
    profiel: Profiel, request: ContactnaamZetten, registratie: Registratie
) -> Profiel:
    """The name of one's own choice, or the register's: the BRP's aanschrijfwijze, the
    Handelsregister's name."""
    if request.contactnaam is not None:
        return profiel.model_copy(update={"contactnaam": request.contactnaam})
    if registratie.bron is None:  # known by eIDAS only: no register has a name for them
        raise conflict("U staat in geen basisregistratie; geef zelf een contactnaam.")
    if not registratie.beschikbaar:
        raise register_niet_beschikbaar(registratie.bron.naam)
    naam = registratie_naam(registratie)
    if naam is None:
        raise conflict("De basisregistratie heeft geen naam voor u; geef zelf een contactnaam.")
    return profiel.model_copy(update={"contactnaam": naam})


def registratie_naam(registratie: Registratie) -> str | None:
    if registratie.persoon is not None:
        return registratie.persoon.aanschrijfwijze
    if registratie.onderneming is not None:
        return registratie.onderneming.naam
    return None


def remove_contactnaam(profiel: Profiel) -> Profiel:
    if profiel.contactnaam is None:
        raise niet_gevonden("Er staat geen contactnaam in dit profiel.")
    return profiel.model_copy(update={"contactnaam": None})


# --- preferences --------------------------------------------------------------------------------
# Each operation works on one scope: the profile's own preferences, or - for a representative
# authorised for one branch - that branch's (``vestigingsnummer``).


def patched_voorkeuren(
    profiel: Profiel, patch: dict[str, Any], vestigingsnummer: str | None = None
) -> dict[str, Any]:
    """The default level of the scope after a JSON Merge Patch, in the API form (to validate)."""
    unknown = unknown_in_patch(patch)
    if unknown:
        raise ongeldige_invoer(
            [InvalidParam(name, "extra_forbidden", "onbekend veld") for name in unknown]
        )
    current = _scope(profiel, vestigingsnummer)
    values = Voorkeurset.model_validate(current.set_values())
    return merge_patch(values.model_dump(mode="json", by_alias=True, exclude_none=True), patch)


def change_voorkeuren(
    profiel: Profiel, level: Voorkeurset, vestigingsnummer: str | None = None
) -> Profiel:
    return _with_scope(profiel, vestigingsnummer, lambda scope: _with_level(scope, level))


def set_organisatie(
    profiel: Profiel, oin: str, level: Voorkeurset, vestigingsnummer: str | None = None
) -> Profiel:
    """The preferences for one organisation; those for its services stay."""

    def change(scope: MetOrganisaties) -> MetOrganisaties:
        current = scope.organisatie(oin) or OrganisatieVoorkeuren(oin=oin)
        return _with_organisatie(scope, _with_level(current, level))

    return _with_scope(profiel, vestigingsnummer, change)


def remove_organisatie(profiel: Profiel, oin: str, vestigingsnummer: str | None = None) -> Profiel:
    def change(scope: MetOrganisaties) -> MetOrganisaties:
        if scope.organisatie(oin) is None:
            raise niet_gevonden("Voor deze organisatie staan geen voorkeuren in uw profiel.")
        remaining = tuple(o for o in scope.organisaties if o.oin != oin)
        return scope.model_copy(update={"organisaties": remaining})

    return _with_scope(profiel, vestigingsnummer, change)


def set_dienst(
    profiel: Profiel,
    oin: str,
    dienst: str,
    level: Voorkeurset,
    vestigingsnummer: str | None = None,
) -> Profiel:
    def change(scope: MetOrganisaties) -> MetOrganisaties:
        organisatie = scope.organisatie(oin) or OrganisatieVoorkeuren(oin=oin)
        current = organisatie.dienst(dienst)
        if current is None and len(organisatie.diensten) >= MAXIMUM_DIENSTEN:
            raise conflict(
                f"Er kunnen voorkeuren voor hoogstens {MAXIMUM_DIENSTEN} diensten van een "
                "organisatie in een profiel staan."
            )
        nieuw = (
            _with_level(current, level)
            if current
            else DienstVoorkeuren(dienst=dienst, **_level_fields(level))
        )
        diensten = _replaced(organisatie.diensten, nieuw, lambda d: d.dienst == dienst)
        return _with_organisatie(scope, organisatie.model_copy(update={"diensten": diensten}))

    return _with_scope(profiel, vestigingsnummer, change)


def remove_dienst(
    profiel: Profiel, oin: str, dienst: str, vestigingsnummer: str | None = None
) -> Profiel:
    def change(scope: MetOrganisaties) -> MetOrganisaties:
        organisatie = scope.organisatie(oin)
        if organisatie is None or organisatie.dienst(dienst) is None:
            raise niet_gevonden("Voor deze dienst staan geen voorkeuren in uw profiel.")
        diensten = tuple(d for d in organisatie.diensten if d.dienst != dienst)
        return _with_organisatie(scope, organisatie.model_copy(update={"diensten": diensten}))

    return _with_scope(profiel, vestigingsnummer, change)


def _scope(profiel: Profiel, vestigingsnummer: str | None) -> MetOrganisaties:
    if vestigingsnummer is None:
        return profiel.voorkeuren
    found = profiel.voorkeuren.vestiging(vestigingsnummer)
    return found or VestigingVoorkeuren(vestigingsnummer=vestigingsnummer)


def _with_scope(
    profiel: Profiel,
    vestigingsnummer: str | None,
    change: Callable[[MetOrganisaties], MetOrganisaties],
) -> Profiel:
    voorkeuren = profiel.voorkeuren
    if vestigingsnummer is None:
        voorkeuren = change(voorkeuren)
    else:
        vestiging = change(_scope(profiel, vestigingsnummer))
        is_new = voorkeuren.vestiging(vestigingsnummer) is None
        if is_new and len(voorkeuren.vestigingen) >= MAXIMUM_VESTIGINGEN:
            raise conflict(
                f"Er kunnen voorkeuren voor hoogstens {MAXIMUM_VESTIGINGEN} vestigingen in een "
                "profiel staan."
            )
        vestigingen = _replaced(
            voorkeuren.vestigingen, vestiging, lambda v: v.vestigingsnummer == vestigingsnummer
        )
        voorkeuren = voorkeuren.model_copy(update={"vestigingen": vestigingen})
    # Built with model_copy above: validating the whole checks every level once more.
    voorkeuren = Voorkeuren.model_validate(voorkeuren.model_dump())
    changed = profiel.model_copy(update={"voorkeuren": voorkeuren})
    wrong = unknown_voorkeursadressen(changed)
    if wrong:
        raise ongeldige_invoer(
            [
                InvalidParam(
                    "voorkeursadressen." + where.rsplit(".", 1)[1],
                    "onbekend",
                    "geen contactgegeven van deze soort in uw profiel",
                )
                for where in wrong
            ]
        )
    return changed


def _with_organisatie(
    scope: MetOrganisaties, organisatie: OrganisatieVoorkeuren
) -> MetOrganisaties:
    if (
        scope.organisatie(organisatie.oin) is None
        and len(scope.organisaties) >= MAXIMUM_ORGANISATIES
    ):
        raise conflict(
            f"Er kunnen voorkeuren voor hoogstens {MAXIMUM_ORGANISATIES} organisaties in een "
            "profiel staan. Verwijder er eerst een."
        )
    organisaties = _replaced(scope.organisaties, organisatie, lambda o: o.oin == organisatie.oin)
    return scope.model_copy(update={"organisaties": organisaties})


_T = TypeVar("_T")
_L = TypeVar("_L", bound=Voorkeurset)


def _replaced(items: tuple[_T, ...], new: _T, same: Callable[[_T], bool]) -> tuple[_T, ...]:
    """``items`` with ``new`` in the place of the one it replaces, or added at the end."""
    if any(same(item) for item in items):
        return tuple(new if same(item) else item for item in items)
    return items + (new,)


def _level_fields(level: Voorkeurset) -> dict[str, Any]:
    return {name: getattr(level, name) for name in Voorkeurset.model_fields}


def _with_level(target: _L, level: Voorkeurset) -> _L:
    """``target`` (any level) with the preferences of ``level``; its own scopes stay."""
    return target.model_copy(update=_level_fields(level))


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


def _refuse_duplicate(of_soort: list[Contactgegeven], adres: str) -> None:
    if any(c.adres == adres for c in of_soort):
        raise conflict("Dit adres staat al in uw profiel.")


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
