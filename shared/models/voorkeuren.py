"""Communication preferences (phase 2): what, per channel and per organisation, a partij wants.

A :class:`Voorkeurset` is one level of preferences; every field is optional, ``None`` meaning
"not chosen here". The profile's :class:`Voorkeuren` is the default level, with levels for
organisations (by OIN) and their services, and - for a company - for its branches
(vestigingen), each of which can have organisation levels of its own.

**The one resolution rule** (:func:`resolve`, used by every reader): each preference takes its
value from the most specific level that sets it -

    service of the organisation  ->  the organisation  ->  the default

and for a branch, that whole chain of the branch first, then the company's. A level sets
preferences one by one: choosing "no SMS" for one organisation leaves its e-mail choice to the
level below.

Adding a preference is adding a typed, optional field to :class:`Voorkeurset` (or to one of its
groups): validation, storage, resolution and the API follow from the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

from pydantic import Field, StrictBool, create_model, model_validator

from shared.models.base import ApiModel, api_schema, require_unique
from shared.models.values import Oin, Taal, Uuid, Vestigingsnummer

# Room for every organisation a person deals with, small enough to keep the profile one read unit.
MAXIMUM_ORGANISATIES = 30
MAXIMUM_DIENSTEN = 10
MAXIMUM_VESTIGINGEN = 20

# The codes of services and purposes in the register: short, lower case, URL-safe.
CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
Dienstcode = Field(pattern=CODE_PATTERN, description="Code van de dienst")


class Correspondentie(StrEnum):
    """The general choice: post digitally or on paper."""

    DIGITAAL = "digitaal"
    POST = "post"


class Kanaal(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    BERICHTENBOX = "berichtenbox"  # MijnOverheid
    PORTAAL = "portaal"  # a notification in the organisation's portal
    POST = "post"


class Kanalen(ApiModel):
    """Per channel: whether the partij wants to be reached on it (``None``: not chosen here)."""

    model_config = api_schema(
        description="Per kanaal: wel (`true`) of niet (`false`) benaderen, of niet gekozen."
    )

    # Strict: "ja", "yes" or 1 is a mistake to point out, not a choice to guess.
    email: StrictBool | None = None
    sms: StrictBool | None = None
    berichtenbox: StrictBool | None = None
    portaal: StrictBool | None = None
    post: StrictBool | None = None


class Voorkeursadressen(ApiModel):
    """Per kind of contact detail: the one to use (its id in the profile)."""

    model_config = api_schema(
        description="Per soort: het `id` van het contactgegeven dat gebruikt wordt."
    )

    email: Uuid | None = None
    telefoonnummer: Uuid | None = None


class Weergave(ApiModel):
    """How messages and screens address and show things to the partij."""

    model_config = api_schema(
        description="Hoe berichten en schermen de partij aanspreken en tonen."
    )

    aanhef: Literal["formeel", "informeel", "neutraal"] | None = None
    thema: Literal["licht", "donker", "hoog-contrast"] | None = None
    lettergrootte: Literal["normaal", "groot", "extra-groot"] | None = None


class Voorkeurset(ApiModel):
    """One level of preferences."""

    model_config = api_schema(
        description="Eén niveau van voorkeuren; elk veld is optioneel (niet gekozen)."
    )

    correspondentie: Correspondentie | None = None
    kanalen: Kanalen = Field(default_factory=Kanalen)
    voorkeursadressen: Voorkeursadressen = Field(default_factory=Voorkeursadressen)
    taal: Taal | None = Field(default=None, description="ISO 639-1, bijvoorbeeld nl of en")
    weergave: Weergave = Field(default_factory=Weergave)

    def set_values(self) -> dict[str, Any]:
        """Only what this level chooses, by field name."""
        return self.model_dump(include=set(Voorkeurset.model_fields), exclude_none=True)

    def is_empty(self) -> bool:
        return not _without_empty(self.set_values())


class DienstVoorkeuren(Voorkeurset):
    model_config = api_schema(description="De voorkeuren voor één dienst.")

    dienst: str = Dienstcode


class OrganisatieVoorkeuren(Voorkeurset):
    model_config = api_schema(
        description="De voorkeuren voor één organisatie, met die voor haar diensten."
    )

    oin: Oin
    diensten: tuple[DienstVoorkeuren, ...] = Field(default=(), max_length=MAXIMUM_DIENSTEN)

    @model_validator(mode="after")
    def _one_level_per_dienst(self) -> OrganisatieVoorkeuren:
        require_unique((d.dienst for d in self.diensten), "dienst")
        return self

    def dienst(self, code: str) -> DienstVoorkeuren | None:
        return next((d for d in self.diensten if d.dienst == code), None)


class MetOrganisaties(Voorkeurset):
    """A default level with levels per organisation under it."""

    organisaties: tuple[OrganisatieVoorkeuren, ...] = Field(
        default=(), max_length=MAXIMUM_ORGANISATIES
    )

    @model_validator(mode="after")
    def _one_level_per_organisatie(self) -> MetOrganisaties:
        require_unique((o.oin for o in self.organisaties), "organisatie")
        return self

    def organisatie(self, oin: str) -> OrganisatieVoorkeuren | None:
        return next((o for o in self.organisaties if o.oin == oin), None)

    def layers(self, oin: str | None, dienst: str | None) -> list[Voorkeurset]:
        """This level's chain for an organisation and service, most specific first."""
        chain: list[Voorkeurset] = []
        organisatie = self.organisatie(oin) if oin else None
        if organisatie is not None:
            gekozen = organisatie.dienst(dienst) if dienst else None
            if gekozen is not None:
                chain.append(gekozen)
            chain.append(organisatie)
        chain.append(self)
        return chain


class VestigingVoorkeuren(MetOrganisaties):
    model_config = api_schema(description="De voorkeuren van één vestiging van de onderneming.")

    vestigingsnummer: Vestigingsnummer


class Voorkeuren(MetOrganisaties):
    """The preferences of a profile: the default level, organisation levels, branch levels.

    The phase-1 shape ``{"correspondentie": ...}`` is a valid value of this model as it is.
    """

    model_config = api_schema(
        description="De standaardvoorkeuren, met niveaus per organisatie en per vestiging."
    )

    vestigingen: tuple[VestigingVoorkeuren, ...] = Field(default=(), max_length=MAXIMUM_VESTIGINGEN)

    @model_validator(mode="after")
    def _one_level_per_vestiging(self) -> Voorkeuren:
        require_unique((v.vestigingsnummer for v in self.vestigingen), "vestiging")
        return self

    def vestiging(self, vestigingsnummer: str) -> VestigingVoorkeuren | None:
        return next((v for v in self.vestigingen if v.vestigingsnummer == vestigingsnummer), None)

    def levels(self) -> Iterator[tuple[str, Voorkeurset]]:
        """Every level with its place, as a path prefix in the API form."""
        for prefix, scope in [("", self)] + [
            (f"vestigingen.{i}.", v) for i, v in enumerate(self.vestigingen)
        ]:
            yield prefix, scope
            for j, organisatie in enumerate(scope.organisaties):
                yield f"{prefix}organisaties.{j}.", organisatie
                for k, dienst in enumerate(organisatie.diensten):
                    yield f"{prefix}organisaties.{j}.diensten.{k}.", dienst

    def without_voorkeursadres(self, contactgegeven_id: UUID) -> Voorkeuren:
        """These preferences with every choice of one contact detail taken away (it was removed)."""

        def clean(values: Any) -> Any:
            if isinstance(values, dict):
                return {
                    name: (
                        {kind: i for kind, i in value.items() if i != contactgegeven_id}
                        if name == "voorkeursadressen"
                        else clean(value)
                    )
                    for name, value in values.items()
                }
            if isinstance(values, (list, tuple)):
                return [clean(value) for value in values]
            return values

        return Voorkeuren.model_validate(clean(self.model_dump()))


def resolve(
    voorkeuren: Voorkeuren,
    oin: str | None = None,
    dienst: str | None = None,
    vestigingsnummer: str | None = None,
) -> Voorkeurset:
    """The preferences that apply to one organisation (and service, and branch): see the module."""
    chain: list[Voorkeurset] = []
    vestiging = voorkeuren.vestiging(vestigingsnummer) if vestigingsnummer else None
    if vestiging is not None:
        chain += vestiging.layers(oin, dienst)
    chain += voorkeuren.layers(oin, dienst)
    resolved: dict[str, Any] = {}
    for layer in reversed(chain):  # least specific first: the more specific overwrite
        _merge(resolved, layer.set_values())
    return Voorkeurset.model_validate(resolved)


class _MergePatch(ApiModel):
    model_config = api_schema(
        description="JSON Merge Patch (RFC 7396) van de standaardvoorkeuren: objecten worden "
        "samengevoegd, `null` wist een keuze.",
        example={"correspondentie": "post", "kanalen": {"sms": False}, "taal": None},
    )


# The body of ``PATCH /profiel/voorkeuren`` as the OpenAPI document gives it: every member of a
# level, each also null, which clears the choice. The change itself applies it with
# :func:`merge_patch` and refuses a name the level does not have (:func:`unknown_in_patch`).
VoorkeurenWijziging = create_model(
    "VoorkeurenWijziging",
    __base__=_MergePatch,
    **{
        name: (field.annotation | None, Field(default=None, description=field.description))
        for name, field in Voorkeurset.model_fields.items()
    },
)


def merge_patch(target: Any, patch: Any) -> Any:
    """JSON Merge Patch (RFC 7396, section 2), at every depth: an object merges member by member,
    ``null`` removes the member, anything else replaces the target. A new value; neither argument
    changes.

    An object patched into a member that is absent or not an object is merged into an empty
    object - not copied as it is - so its ``null`` members remove rather than stay as ``null``.
    Whether the result is a valid level is the model's question, asked afterwards."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result


def unknown_in_patch(
    patch: dict[str, Any], model: type[ApiModel] = Voorkeurset, prefix: str = ""
) -> list[str]:
    """Where, as ``<path>.<name>``, a merge patch of one level names a member the level does not
    have. Even with ``null``, which would remove nothing: a misspelt name is a mistake to point
    out (as everywhere in the API), not a change that silently does nothing."""
    fields = {field.alias or name: field for name, field in model.model_fields.items()}
    unknown = []
    for name, value in patch.items():
        field = fields.get(name)
        if field is None:
            unknown.append(f"{prefix}{name}")
        elif (
            isinstance(value, dict)
            and isinstance(field.annotation, type)
            and issubclass(field.annotation, ApiModel)
        ):
            unknown += unknown_in_patch(value, field.annotation, f"{prefix}{name}.")
    return unknown


def _merge(into: dict[str, Any], values: dict[str, Any]) -> None:
    for name, value in values.items():
        if isinstance(value, dict):
            _merge(into.setdefault(name, {}), value)
        else:
            into[name] = value


def _without_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value
        for name, value in values.items()
        if not (isinstance(value, dict) and not _without_empty(value))
    }
