"""Checking messages against an official OpenAPI document, as the register stand-ins' contract.

``OpenApiContract(spec_path)`` reads one vendored document from ``specs/`` (YAML or JSON, OAS 3.0
or 3.1) and validates a request body, a query or an answer against the schema the document gives
for that operation, status and media type. Every ``$ref`` resolves through a ``referencing``
registry that holds the whole document, so ``#/components/...`` works at any depth. A violation
raises an ``AssertionError`` that names the JSON path of each offending value (``$.personen[3]
.naam.voorletters``), the rule it breaks, the operation and the document.

Two things go beyond what ``openapi-schema-validator`` does on its own:

- In OAS 3.1 a ``discriminator`` is only an annotation, so a polymorphic value (the BRP's
  ``AbstractDatum``, ``AbstractVerblijfplaats``) would be checked against its base schema only.
  Here the discriminator's ``mapping`` is followed, as the document means it: a ``Datum`` must
  also be a valid ``VolledigeDatum``, and a ``type`` the mapping does not name is an error.
- ``errata``: a known mistake in an upstream document can be corrected by JSON pointer, each
  stating the value it expects to find. If the document no longer says that (it was re-vendored
  with the fix), loading fails, so the correction cannot outlive the mistake.

(openapi-core would do more, but cannot be installed next to this project's pins.)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from jsonschema import validators
from jsonschema.exceptions import ValidationError, best_match
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

_MAX_REPORTED = 25
_following = threading.local()  # (mapping target, id(instance)) pairs being followed now


def _follow_discriminator(
    validator: Any, discriminator: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if not isinstance(discriminator, dict) or not validator.is_type(instance, "object"):
        return
    name = discriminator.get("propertyName")
    if name not in instance:
        return  # "required" says whether it must be there
    value = instance[name]
    target = discriminator.get("mapping", {}).get(value)
    if target is None:
        yield ValidationError(f"{value!r} is not a {name} the discriminator maps to a schema")
        return
    # The mapped schema includes the base schema (allOf), which holds this discriminator again.
    active = _following.__dict__.setdefault("pairs", set())
    key = (target, id(instance))
    if key in active:
        return
    active.add(key)
    try:
        yield from validator.descend(instance, {"$ref": target})
    finally:
        active.discard(key)


_OAS31WithDiscriminator = validators.extend(
    OAS31Validator, {"discriminator": _follow_discriminator}
)


def _pointer(*parts: str) -> str:
    return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _normalised(value: str) -> str:
    return ";".join(part.strip() for part in value.lower().split(";"))


class OpenApiContract:
    """The operations of one OpenAPI document, to check messages against."""

    def __init__(
        self, spec_path: str | Path, errata: Mapping[str, tuple[Any, Any]] | None = None
    ) -> None:
        self.path = Path(spec_path)
        text = self.path.read_text(encoding="utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = json.loads(text) if self.path.suffix == ".json" else yaml.load(text, loader)
        for pointer, (was, becomes) in (errata or {}).items():
            self._correct(document, pointer, was, becomes)
        self.document = document
        version = str(document.get("openapi", ""))
        if version.startswith("3.0"):
            self._validator_class: Any = OAS30Validator
            self._format_checker = oas30_format_checker
            specification = DRAFT4
        elif version.startswith("3.1"):
            self._validator_class = _OAS31WithDiscriminator
            self._format_checker = oas31_format_checker
            specification = DRAFT202012
        else:
            raise ValueError(f"{self.path.name}: OpenAPI {version!r} is not supported")
        self._uri = f"urn:openapi:{self.path.name}"
        resource = Resource(contents=document, specification=specification)
        self._registry = Registry().with_resource(self._uri, resource)

    def validate_response(
        self,
        method: str,
        path_template: str,
        status: int,
        body: Any,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """``body`` (parsed JSON) as the answer with ``status`` to ``method path_template``;
        with ``content_type`` the media type must be one the document lists for that answer,
        with ``headers`` every header the document requires must be there."""
        operation = self._operation(method, path_template)
        responses = operation.get("responses", {})
        key = next(
            (k for k in (str(status), f"{status // 100}XX", "default") if k in responses), None
        )
        where = f"{method.upper()} {path_template} -> {status}"
        if key is None:
            raise AssertionError(f"{where}: {self.path.name} defines no answer with this status")
        pointer = _pointer("paths", path_template, method.lower(), "responses", key)
        response, pointer = self._dereference(responses[key], pointer)
        if headers is not None:
            present = {name.lower() for name in headers.keys()}  # noqa: SIM118 (werkzeug Headers iterate as pairs)
            missing = [
                name
                for name, header in response.get("headers", {}).items()
                if self._dereference(header, "")[0].get("required") and name.lower() not in present
            ]
            if missing:
                raise AssertionError(f"{where}: required header(s) missing: {', '.join(missing)}")
        self._validate_content(where, response, pointer, body, content_type)

    def validate_request_body(
        self, method: str, path_template: str, body: Any, content_type: str | None = None
    ) -> None:
        """``body`` (parsed JSON) as the request body of ``method path_template``."""
        operation = self._operation(method, path_template)
        where = f"{method.upper()} {path_template} (request body)"
        if "requestBody" not in operation:
            raise AssertionError(f"{where}: {self.path.name} defines no request body")
        pointer = _pointer("paths", path_template, method.lower(), "requestBody")
        request_body, pointer = self._dereference(operation["requestBody"], pointer)
        self._validate_content(where, request_body, pointer, body, content_type)

    def validate_query(self, method: str, path_template: str, query: Mapping[str, str]) -> None:
        """A query string (name -> value as sent) against the operation's query parameters:
        every name must be one the document lists, every value must fit its schema, every
        required parameter must be there."""
        operation = self._operation(method, path_template)
        where = f"{method.upper()} {path_template} (query)"
        path_item = self.document["paths"][path_template]
        declared: dict[str, tuple[dict, str]] = {}
        for place, parameters in (
            ("", path_item.get("parameters", [])),
            (method.lower(), operation.get("parameters", [])),
        ):
            for index, parameter in enumerate(parameters):
                base = _pointer("paths", path_template, *(p for p in (place,) if p))
                parameter, pointer = self._dereference(parameter, f"{base}/parameters/{index}")
                if parameter.get("in") == "query":
                    declared[parameter["name"]] = (parameter, pointer)
        problems = [
            f"{name}: not a query parameter of this operation"
            for name in query
            if name not in declared
        ]
        for name, (parameter, pointer) in declared.items():
            if name not in query:
                if parameter.get("required"):
                    problems.append(f"{name}: required")
                continue
            value = _typed(query[name], parameter.get("schema", {}))
            problems += [
                f"{name}: {message}"
                for message in self._errors({"$ref": f"{self._uri}#{pointer}/schema"}, value)
            ]
        if problems:
            raise AssertionError(self._report(where, problems))

    def _validate_content(
        self,
        where: str,
        message: Mapping[str, Any],
        pointer: str,
        body: Any,
        content_type: str | None,
    ) -> None:
        content = message.get("content") or {}
        if not content:
            if body not in (None, b"", ""):
                raise AssertionError(f"{where}: {self.path.name} defines no content here")
            return
        if content_type is None:
            media = next(iter(content))
        else:
            media = next(
                (m for m in content if _normalised(m) == _normalised(content_type)), None
            ) or next((m for m in content if _media_type(m) == _media_type(content_type)), None)
            if media is None:
                listed = ", ".join(content)
                raise AssertionError(
                    f"{where}: content type {content_type!r} is not one of {listed}"
                )
        if "schema" not in content[media]:
            return
        schema_pointer = f"{pointer}{_pointer('content', media, 'schema')}"
        problems = self._errors({"$ref": f"{self._uri}#{schema_pointer}"}, body)
        if problems:
            raise AssertionError(self._report(where, problems))

    def _errors(self, schema: Mapping[str, Any], instance: Any) -> list[str]:
        validator = self._validator_class(
            schema, registry=self._registry, format_checker=self._format_checker
        )
        found = []
        for error in validator.iter_errors(instance):
            leaf = best_match(error.context) if error.context else error
            found.append(f"{leaf.json_path}: {leaf.message}")
        return sorted(set(found))

    def _report(self, where: str, problems: list[str]) -> str:
        shown = problems[:_MAX_REPORTED]
        more = len(problems) - len(shown)
        lines = "\n".join(f"  {problem}" for problem in shown)
        tail = f"\n  ... and {more} more" if more > 0 else ""
        return f"{where} violates {self.path.name}:\n{lines}{tail}"

    def _operation(self, method: str, path_template: str) -> Mapping[str, Any]:
        path_item = self.document.get("paths", {}).get(path_template)
        if path_item is None or method.lower() not in path_item:
            raise AssertionError(
                f"{method.upper()} {path_template} is not an operation of {self.path.name}"
            )
        return path_item[method.lower()]

    def _dereference(self, item: Mapping[str, Any], pointer: str) -> tuple[Mapping, str]:
        """An item that may be a ``{"$ref": "#/..."}`` to another part of the document, with
        the JSON pointer it was found at."""
        seen = 0
        while "$ref" in item:
            reference = item["$ref"]
            if not reference.startswith("#/") or seen > 20:
                raise ValueError(f"{self.path.name}: cannot follow {reference!r}")
            pointer = reference[1:]
            item = self._resolve(self.document, pointer)
            seen += 1
        return item, pointer

    @staticmethod
    def _resolve(document: Any, pointer: str) -> Any:
        node = document
        for part in pointer.lstrip("/").split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    @classmethod
    def _correct(cls, document: Any, pointer: str, was: Any, becomes: Any) -> None:
        parent_pointer, _, last = pointer.rpartition("/")
        parent = cls._resolve(document, parent_pointer) if parent_pointer else document
        key: Any = int(last) if isinstance(parent, list) else last
        current = parent[key]
        if current != was:
            raise ValueError(
                f"erratum {pointer}: expected {was!r}, the document says {current!r} - "
                "drop the erratum if the document was corrected"
            )
        parent[key] = becomes


def _typed(value: str, schema: Mapping[str, Any]) -> Any:
    """A query value as the type its schema declares (a query string has only strings)."""
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value
