"""The document's schemas: the models' JSON Schema (pydantic, draft 2020-12) as OpenAPI 3.0
Schema Objects, each named by its model's title (``api_schema``), else its class name."""

import json
import re
from typing import Any

from pydantic import RootModel
from pydantic.json_schema import models_json_schema

from functions.lookup_preferences.core import Opvraging
from functions.report_delivery.core import Afleverbericht, Onbestelbaarmelding
from shared.models import antwoorden as a
from shared.models.base import api_schema
from shared.models.profiel import (
    ContactgegevenToevoegen,
    ContactgegevenWijzigen,
    ContactnaamZetten,
    Delen,
    Postadres,
    PostadresInvoer,
)
from shared.models.verificatie import VerificatieBevestigen, VerificatiecodeVerzonden
from shared.models.voorkeuren import VoorkeurenWijziging, Voorkeurset

REF = "#/components/schemas/{model}"


def ref(name: str, kind: str = "schemas") -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


class _Postadres(RootModel[Postadres]):
    """The postal address union as a component of its own (a body and a profile field)."""

    model_config = api_schema(
        "Postadres", "Een Nederlands, buitenlands of postbusadres, naar `soort`."
    )


class _PostadresInvoer(RootModel[PostadresInvoer]):
    """The body of ``PUT /profiel/postadres``: a Dutch address there is completed from the BAG."""

    model_config = api_schema(
        "PostadresInvoer",
        "Een postadres zoals het wordt vastgelegd: een Nederlands adres wordt in de BAG "
        "opgezocht en aangevuld.",
    )


# The answers (serialization) and request bodies (validation), in one set of definitions: a
# model both read and written is one component.
_ANSWERS = (a.GetoondProfiel, a.OrganisatieOverzicht, VerificatiecodeVerzonden, a.Historie)
_ANSWERS += (a.Opvragingsresultaten, a.Inzage, a.ProblemDetails, a.Adressuggesties, a.Export)
_ANSWERS += (a.Contactmomenten,)
_BODIES = (ContactgegevenToevoegen, ContactgegevenWijzigen, _Postadres, _PostadresInvoer, Delen)
_BODIES += (Voorkeurset, VoorkeurenWijziging, VerificatieBevestigen, Opvraging, ContactnaamZetten)
_BODIES += (Onbestelbaarmelding, Afleverbericht)
_MODELS = [(m, "serialization") for m in _ANSWERS] + [(m, "validation") for m in _BODIES]

# What an enum, and the models of functions/, cannot say of themselves.
_MORE: dict[str, dict[str, Any]] = {
    "SoortDigitaalAdres": {"description": "De soort van een contactgegeven."},
    "Betrokkene": {
        "description": "Eén partij: een burger (`bsn`), een onderneming (`kvkNummer`) of een "
        "persoon die alleen met eIDAS bekend is (`eidas`). Een soort partij die het doel niet "
        "noemt, wordt beantwoord als afwezig (`beschikbaar: false`)."
    },
    "Opvraging": {
        "description": "Wie, voor welk doel (en welke dienst). Identificerende nummers alleen "
        "hier, nooit in een URL.",
        "example": {
            "doel": "notificatie",
            "dienst": "parkeren",
            "alleenBereikbaarheid": False,
            "betrokkenen": [{"bsn": "999993653"}, {"kvkNummer": "69599084"}],
        },
    },
}
# What no model is.
_BY_HAND = {
    "Geen": {
        "type": "object",
        "nullable": True,
        "enum": [None],
        "description": "Geen waarde: `null`.",
    },
    "OpenapiDocument": {"type": "object", "description": "Een OpenAPI 3.0.3-document."},
}
_NULL = {"type": "null"}


def schemas() -> dict[str, Any]:
    """Every model's component, by name (the document drops those it does not use)."""
    _, top = models_json_schema(_MODELS, ref_template=REF)
    names = {key: definition.get("title", key) for key, definition in top["$defs"].items()}
    if len(set(names.values())) < len(names) or any("-" in key for key in names):
        raise ValueError(f"two models, or two modes of one, under one name: {sorted(names)}")
    # The postal address union, wherever it stands: the component. Every $ref by its new name.
    text = json.dumps(top["$defs"])
    for component in ("_Postadres", "_PostadresInvoer"):
        union = {
            k: v for k, v in top["$defs"][component].items() if k in ("discriminator", "oneOf")
        }
        text = text.replace(json.dumps(union), json.dumps(ref(component)))
    text = re.sub(r'(?<="#/components/schemas/)[^"]+', lambda m: names[m[0]], text)
    raw = {names[key]: definition for key, definition in json.loads(text).items()}
    converted = {name: _schema(definition, raw) for name, definition in raw.items()}
    for name, more in _MORE.items():
        converted[name].update(more)
    # The address unions without their discriminator: its mapping would name the soort
    # "postbus", and the ADR linter's nlgov:problem-invalid-input takes every key containing
    # "post" below the paths for an operation (one that must answer 400). Each member's `soort`
    # is an enum of its own one value, so oneOf alone still picks exactly one.
    for union in ("Postadres", "PostadresInvoer"):
        converted[union].pop("discriminator", None)
    return dict(sorted((converted | _BY_HAND).items()))


def _schema(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON Schema (draft 2020-12) as an OpenAPI 3.0 Schema Object."""
    # Titles pydantic makes up from field names ("Isstandaardadres") tell a reader nothing.
    schema = {key: value for key, value in node.items() if key != "title"}
    if "const" in schema:
        schema["enum"] = [schema.pop("const")]
    if schema.get("examples"):
        schema["example"] = schema["examples"][0]
    schema.pop("examples", None)
    if "properties" in schema:
        schema["properties"] = {k: _schema(v, defs) for k, v in schema["properties"].items()}
    for key in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(key), dict):
            schema[key] = _schema(schema[key], defs)
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            schema[key] = [_schema(value, defs) for value in schema[key]]
        if key != "allOf" and _NULL in schema.get(key, ()):
            rest = [member for member in schema.pop(key) if member != _NULL]
            schema = {**_nullable(rest[0] if len(rest) == 1 else {key: rest}, defs), **schema}
    # A default of null or of an object of nulls says only "not chosen": left out.
    if schema.get("default", "") is None or isinstance(schema.get("default"), dict):
        del schema["default"]
    if "$ref" in schema and len(schema) > 1:  # OpenAPI 3.0 ignores what stands beside a $ref
        schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
    return schema


def _nullable(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null, in OpenAPI 3.0 terms: ``nullable`` beside an explicit ``type``."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if "enum" in defs[name]:  # inline: 3.0 wants null among a nullable enum's values
            enum = [*defs[name]["enum"], None]
            return {"type": defs[name]["type"], "enum": enum, "nullable": True}
        # In 3.0.3 ``nullable`` widens only the ``type`` beside it: next to ``allOf: [$ref]`` it
        # still refuses null in a strict validator. One of the two instead.
        return {"oneOf": [ref(name), ref("Geen")]}
    if "type" not in schema:  # a union: nullable would widen no type here
        return {"oneOf": [schema, ref("Geen")]}
    if "enum" in schema:
        schema = {**schema, "enum": [*schema["enum"], None]}
    return {**schema, "nullable": True}
