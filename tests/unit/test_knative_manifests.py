"""The Knative deployment (``infra/knative/``) against the Knative CRDs and against the code.

What ``kubectl apply`` would reject, and what it would accept but the service would get wrong:
- every Knative object validates against its CRD's openAPIV3Schema (``specs/knative/``),
  read as kubectl's strict field validation reads it: an unknown field is an error;
- the core objects (Namespace, ConfigMap, Secret, PersistentVolumeClaim, Deployment, Job) get
  structural checks;
- explicit checks where the CRD schemas say little: the Triggers' brokers, filters, subscribers
  and delivery, the Broker's dead-letter sink, every container's security context;
- one source of truth: the Knative Services are exactly the functions of
  ``functions/registry.py``, with its routes, entry points and signature types.

:func:`problems` runs every check and returns what is wrong: the real manifests have none, and
each deliberately broken copy has at least one naming the defect - so no check passes vacuously.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
import yaml
from annotated_types import MinLen
from jsonschema import Draft202012Validator

from functions import registry
from functions.registry import Function, Route
from pump.cloudevents import STREAM_RECORD_SOURCE, STREAM_RECORD_TYPE
from shared.config import (
    ENVIRONMENT_VARIABLES,
    EVENT_ENVIRONMENT_VARIABLES,
    NOTIFY_ENVIRONMENT_VARIABLES,
    REGISTER_ENVIRONMENT_VARIABLES,
    Settings,
    TrustedIssuer,
)
from shared.http.entrypoints import HEALTH_PATH
from shared.models.events import SOURCE as CHANGE_EVENT_SOURCE
from shared.models.events import TYPE_CONTACTGEGEVENS_GEWIJZIGD
from tests.support import SPECS

Document = dict[str, Any]

REPOSITORY = Path(__file__).resolve().parents[2]
MANIFESTS = REPOSITORY / "infra" / "knative"
KNATIVE_SPECS = SPECS / "knative"

NAMESPACE = "profielservice"
FUNCTION_LABEL = "profielservice.nl/function"
ROUTES_ANNOTATION = "profielservice.nl/routes"
MIN_SCALE = "autoscaling.knative.dev/min-scale"
MAX_SCALE = "autoscaling.knative.dev/max-scale"
CONFIG_MAP = "profielservice-config"
SECRET = "profielservice-secrets"
PUMP_STATE = "/var/lib/stream-pump"
KNATIVE_SERVICE = ("serving.knative.dev/v1", "Service")
BROKER = ("eventing.knative.dev/v1", "Broker")
TRIGGER = ("eventing.knative.dev/v1", "Trigger")
DEPLOYMENT = ("apps/v1", "Deployment")
JOB = ("batch/v1", "Job")

# Event type -> its source.
EVENT_SOURCES = {
    STREAM_RECORD_TYPE: STREAM_RECORD_SOURCE,
    TYPE_CONTACTGEGEVENS_GEWIJZIGD: CHANGE_EVENT_SOURCE,
}
EVENT_TYPES = frozenset(EVENT_SOURCES)
BACKOFF_POLICIES = frozenset({"linear", "exponential"})
MIN_RETRIES = 3
# The largest containerConcurrency of an HTTP function: its router runs one request at a time.
MAX_HTTP_CONCURRENCY = 4

# Names the manifests refer to but do not define: the operator provides them (README.md).
PLACEHOLDERS = frozenset({"change-event-subscriber", "profielservice-dead-letters"})

SECRET_KEYS = frozenset(
    {
        "PROFIEL_PSEUDONYM_KEY",
        "PROFIEL_NOTIFY_API_KEY",
        "PROFIEL_NOTIFY_CALLBACK_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "PROFIEL_BRP_API_KEY",
        "PROFIEL_KVK_API_KEY",
        "PROFIEL_BAG_API_KEY",
    }
)
STORE_VARIABLES = frozenset(
    {
        "PROFIEL_TABLE_PREFIX",
        "AWS_ENDPOINT_URL_DYNAMODB",
        # botocore's endpoint of the Streams API: without it the pump would read AWS's streams.
        "AWS_ENDPOINT_URL_DYNAMODB_STREAMS",
        "AWS_REGION",
    }
)
# Every variable the ConfigMap must set: the store, and what the defaults cannot know.
CONFIG_KEYS = STORE_VARIABLES | {
    "PROFIEL_TRUSTED_ISSUERS",
    "PROFIEL_AUDIENCE",
    "PROFIEL_MINIMUM_ASSURANCE",
    "PROFIEL_ORGANISATION_SCOPE",
    "PROFIEL_NOTIFY_BASE_URL",
    "PROFIEL_NOTIFY_TEMPLATE_EMAIL_CODE",
    "PROFIEL_NOTIFY_TEMPLATE_SMS_CODE",
    "PROFIEL_NOTIFY_TEMPLATE_EMAIL_NOTICE",
    "PROFIEL_NOTIFY_TEMPLATE_EMAIL_ONBESTELBAAR",
    "PROFIEL_PUBLIC_BASE_URL",
    "PROFIEL_EVENT_WEBHOOKS",
    "PROFIEL_BRP_BASE_URL",
    "PROFIEL_KVK_BASE_URL",
    "PROFIEL_BAG_BASE_URL",
    "PROFIEL_SEALING_PUBLIC_KEY",
}
# What the code reads: a ConfigMap key outside this set is a typo nobody would notice.
KNOWN_VARIABLES = (
    frozenset(ENVIRONMENT_VARIABLES.values())
    | frozenset(NOTIFY_ENVIRONMENT_VARIABLES.values())
    | frozenset(EVENT_ENVIRONMENT_VARIABLES.values())
    | frozenset(REGISTER_ENVIRONMENT_VARIABLES.values())
    | STORE_VARIABLES
    | SECRET_KEYS
)

# The shortest pseudonym key the service accepts, as its settings model says.
PSEUDONYM_KEY_MIN_LENGTH = next(
    rule.min_length
    for rule in Settings.model_fields["pseudonym_key"].metadata
    if isinstance(rule, MinLen)
)

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_FEATURE_FLAG = re.compile(r"behind a feature flag - ([\w.-]+)")
_QUANTITY = re.compile(r"[0-9]+(\.[0-9]+)?([KMGTPE]i?|[numk])?")


# --- the manifests and the CRDs ------------------------------------------------------------------

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the CRDs are large


@cache
def _manifest_documents() -> tuple[Document, ...]:
    documents = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        documents.extend(d for d in yaml.load_all(path.read_text(), Loader=_LOADER) if d)
    return tuple(documents)


def manifest_documents() -> list[Document]:
    """Every object of ``infra/knative/*.yaml``, the examples included, as a fresh copy."""
    return copy.deepcopy(list(_manifest_documents()))


@dataclasses.dataclass(frozen=True)
class Crd:
    """One served version of a CRD: its schema as written, and as a strict JSON Schema."""

    schema: Mapping[str, Any]
    validator: Draft202012Validator


Crds = Mapping[tuple[str, str], Crd]  # (apiVersion, kind) -> its CRD


@cache
def crd_schemas(folder: Path = KNATIVE_SPECS) -> Crds:
    """The CRDs of ``folder`` by (apiVersion, kind); FileNotFoundError when it is absent."""
    if not folder.is_dir():
        raise FileNotFoundError(folder)
    crds: dict[tuple[str, str], Crd] = {}
    for path in sorted(folder.glob("*.yaml")):
        crd = yaml.load(path.read_text(), Loader=_LOADER)
        for version in crd["spec"]["versions"]:
            schema = version["schema"]["openAPIV3Schema"]
            key = (f"{crd['spec']['group']}/{version['name']}", crd["spec"]["names"]["kind"])
            crds[key] = Crd(schema, Draft202012Validator(_strict(schema, root=True)))
    return crds


def _strict(node: Mapping[str, Any], root: bool = False) -> dict[str, Any]:
    """A structural schema as a JSON Schema that rejects unknown fields, as the API server's strict
    field validation does (kubectl's default): an object with declared properties allows no others
    unless it says x-kubernetes-preserve-unknown-fields."""
    schema = dict(node)
    properties = {name: _strict(child) for name, child in schema.get("properties", {}).items()}
    if root:
        # Every object may carry these, whether its CRD declares them or not.
        properties = {"apiVersion": {}, "kind": {}, "metadata": {}, **properties}
    if properties:
        schema["properties"] = properties
        if "additionalProperties" not in schema and not schema.get(
            "x-kubernetes-preserve-unknown-fields"
        ):
            schema["additionalProperties"] = False
    if isinstance(schema.get("additionalProperties"), Mapping):
        schema["additionalProperties"] = _strict(schema["additionalProperties"])
    if isinstance(schema.get("items"), Mapping):
        schema["items"] = _strict(schema["items"])
    for keyword in ("anyOf", "allOf", "oneOf"):
        if keyword in schema:
            schema[keyword] = [_strict(child) for child in schema[keyword]]
    if schema.pop("nullable", False) and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    return schema


# --- small accessors: tolerant of any shape, since broken copies are checked too ---------------


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Mapping[str, Any]]:
    """The mappings of a list (containers, env, volumes ...); nothing for anything else."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _dig(value: Any, *keys: str | int) -> Any:
    """``value[k1][k2]...``, or None where a step is missing."""
    for key in keys:
        if isinstance(value, Mapping) and isinstance(key, str):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return None
    return value


def _among(value: Any, names: AbstractSet[str]) -> bool:
    """``value in names`` for a value of any type: a broken copy may put a list where a name goes."""
    return isinstance(value, str) and value in names


def _string(value: Any) -> bool:
    return isinstance(value, str)


def _named(item: Mapping[str, Any]) -> bool:
    return _string(item.get("name"))


def _kind(document: Document) -> tuple[str, str]:
    return str(document.get("apiVersion", "")), str(document.get("kind", ""))


def _name(document: Document) -> str:
    name = _dig(document, "metadata", "name")
    return name if isinstance(name, str) else ""


def _ref(document: Document) -> str:
    return f"{document.get('kind', '?')} {_name(document) or '?'}"


def _of_kind(documents: Sequence[Document], kind: tuple[str, str]) -> list[Document]:
    return [d for d in documents if _kind(d) == kind]


def _pod_spec(document: Document) -> Mapping[str, Any] | None:
    """The pod template's spec of a Knative Service, Deployment or Job; None for other kinds."""
    if _kind(document) in (KNATIVE_SERVICE, DEPLOYMENT, JOB):
        return _map(_dig(document, "spec", "template", "spec"))
    return None


def _containers(document: Document) -> list[Mapping[str, Any]]:
    return _items(_map(_pod_spec(document)).get("containers"))


def _env(container: Mapping[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value") for e in _items(container.get("env")) if _named(e)}


def _mounts(container: Mapping[str, Any]) -> dict[Any, Any]:
    """Mount path -> volume name."""
    mounts = _items(container.get("volumeMounts"))
    return {m["mountPath"]: m["name"] for m in mounts if _named(m) and _string(m.get("mountPath"))}


def _volumes(document: Document) -> dict[Any, Mapping[str, Any]]:
    return {v["name"]: v for v in _items(_map(_pod_spec(document)).get("volumes")) if _named(v)}


def _broker_url(namespace: str, name: str) -> str:
    return f"http://broker-ingress.knative-eventing.svc.cluster.local/{namespace}/{name}"


def _broker_urls(documents: Sequence[Document]) -> set[str]:
    return {_broker_url(NAMESPACE, _name(b)) for b in _of_kind(documents, BROKER)}


def route_keys(annotation: str) -> list[str]:
    """The ``Route.key`` strings of a routes annotation ("GET /a, POST /b")."""
    return [key.strip() for key in annotation.split(",") if key.strip()]


# --- the checks ----------------------------------------------------------------------------------


def problems(
    documents: Sequence[Document],
    functions: Sequence[Function] | None = None,
    crds: Crds | None = None,
) -> list[str]:
    """Everything wrong with ``documents``: one line each, naming the object and the defect.

    ``functions`` defaults to the registry's table as it is at the call (a test may patch it);
    ``crds`` None skips the schema validation only (where the CRDs are not available). A check
    that meets a shape it does not expect reports it as a problem instead of failing.
    """
    functions = registry.FUNCTIONS if functions is None else functions
    checks: dict[str, Callable[[], list[str]]] = {
        "metadata": lambda: [p for d in documents for p in _metadata_problems(d)],
        "schema": lambda: [p for d in documents for p in schema_problems(d, crds or {})],
        "kinds": lambda: _kind_problems(documents),
        "containers": lambda: _container_problems(documents),
        "registry": lambda: _registry_problems(documents, functions),
        "eventing": lambda: _eventing_problems(documents, functions),
        "pump and job": lambda: _pump_problems(documents),
        "configuration": lambda: _configuration_problems(documents),
    }
    if crds is None:
        del checks["schema"]
    found: list[str] = []
    for name, check in checks.items():
        try:
            found += check()
        except (AttributeError, TypeError, ValueError, KeyError, IndexError) as error:
            found.append(f"the {name} check failed on a malformed object: {error!r}")
    return found


def schema_problems(document: Document, crds: Crds) -> list[str]:
    """The CRD's schema for a Knative object. The containers and volumes of the Deployment and Job
    against the Knative Service's: a subset of Kubernetes' own, strict enough for them."""
    crd = crds.get(_kind(document))
    if crd is not None:
        return _schema_errors(_ref(document), crd.validator, document)
    if ".knative.dev/" in _kind(document)[0]:
        return [f"{_ref(document)}: no CRD for {_kind(document)} in {KNATIVE_SPECS}"]
    service = crds.get(KNATIVE_SERVICE)
    if service is None or _kind(document) not in (DEPLOYMENT, JOB):
        return []
    template = _dig(service.validator.schema, "properties", "spec", "properties", "template")
    pod = _dig(template, "properties", "spec", "properties")
    found = []
    for field in ("containers", "volumes"):
        validator = Draft202012Validator(pod[field])
        where = f"{_ref(document)}: spec.template.spec.{field}"
        found += _schema_errors(where, validator, _dig(document, "spec", "template", "spec", field))
    return found


def _schema_errors(ref: str, validator: Draft202012Validator, value: Any) -> list[str]:
    return [
        f"{ref}: {'.'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(value), key=lambda e: str(e.absolute_path))
    ]


def _metadata_problems(document: Document) -> list[str]:
    ref = _ref(document)
    metadata = document.get("metadata")
    if not isinstance(document.get("apiVersion"), str) or not isinstance(document.get("kind"), str):
        return [f"{ref}: no apiVersion or kind"]
    if not isinstance(metadata, Mapping):
        return [f"{ref}: no metadata"]
    found = []
    if not _DNS_LABEL.fullmatch(_name(document)):
        found.append(f"{ref}: metadata.name is not a DNS label")
    namespace = metadata.get("namespace")
    if document["kind"] != "Namespace" and namespace != NAMESPACE:
        # The Broker's address in K_SINK holds the namespace: all objects must share it.
        found.append(f"{ref}: metadata.namespace is {namespace!r}, not {NAMESPACE!r}")
    for field in ("labels", "annotations"):
        values = metadata.get(field)
        if values is not None and not isinstance(values, Mapping):
            found.append(f"{ref}: metadata.{field} is not a map")
        for key, value in _map(values).items():
            if not isinstance(value, str):
                found.append(f"{ref}: metadata.{field}.{key} is not a string ({value!r})")
    return found


_CORE_KINDS = {
    ("v1", "Namespace"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "PersistentVolumeClaim"),
    DEPLOYMENT,
    JOB,
}


def _kind_problems(documents: Sequence[Document]) -> list[str]:
    """Every object is of a kind some check here covers."""
    covered = _CORE_KINDS | {KNATIVE_SERVICE, BROKER, TRIGGER}
    return [
        f"{_ref(d)}: {_kind(d)} is checked by nothing in this test"
        for d in documents
        if _kind(d) not in covered
    ]


def _container_problems(documents: Sequence[Document]) -> list[str]:
    """Every container: the one image, hardened, a writable /tmp, references that resolve."""
    found = []
    images = set()
    names = {(_kind(d)[1], _name(d)) for d in documents}
    secret_keys = {
        key
        for d in documents
        if d.get("kind") == "Secret" and _name(d) == SECRET
        for key in {**_map(d.get("data")), **_map(d.get("stringData"))}
    }
    for document in documents:
        if _pod_spec(document) is None:
            continue
        ref = _ref(document)
        containers = _containers(document)
        if not containers:
            found.append(f"{ref}: no containers")
        volumes = _volumes(document)
        for container in containers:
            where = f"{ref}: container {container.get('name')}"
            image = container.get("image")
            if not isinstance(image, str) or not image:
                found.append(f"{where}: no image")
            images.add(str(image))
            found += [f"{where}: {p}" for p in _security_problems(container)]
            if "emptyDir" not in _map(volumes.get(_mounts(container).get("/tmp"))):
                found.append(f"{where}: no emptyDir at /tmp (the root filesystem is read-only)")
            sources = _items(container.get("envFrom"))
            for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                for source in sources:
                    name = _dig(source, key, "name")
                    if key in source and (not isinstance(name, str) or (kind, name) not in names):
                        found.append(f"{where}: envFrom {kind} {name!r} is not in the manifests")
            if not any(_dig(s, "configMapRef", "name") == CONFIG_MAP for s in sources):
                found.append(f"{where}: no envFrom the ConfigMap {CONFIG_MAP}")
            for variable in _items(container.get("env")):
                reference = _dig(variable, "valueFrom", "secretKeyRef")
                if "valueFrom" in variable and not isinstance(reference, Mapping):
                    found.append(f"{where}: env {variable.get('name')!r}: valueFrom is no secret")
                elif reference is not None and (
                    reference.get("name") != SECRET or not _among(reference.get("key"), secret_keys)
                ):
                    found.append(f"{where}: env {variable.get('name')!r} from a missing secret")
    if len(images) > 1:
        found.append(f"the containers run different images {sorted(images)}: one image")
    return found


def _security_problems(container: Mapping[str, Any]) -> list[str]:
    context = _map(container.get("securityContext"))
    found = [
        f"securityContext.{field} is not {value}"
        for field, value in (
            ("runAsNonRoot", True),
            ("allowPrivilegeEscalation", False),
            ("readOnlyRootFilesystem", True),
        )
        if context.get(field) is not value
    ]
    if "ALL" not in _strings(_dig(context, "capabilities", "drop")):
        found.append("securityContext.capabilities.drop lacks ALL")
    if _dig(context, "seccompProfile", "type") != "RuntimeDefault":
        found.append("securityContext.seccompProfile.type is not RuntimeDefault")
    if context.get("runAsUser") == 0:
        found.append("securityContext.runAsUser is root")
    return found


def _registry_problems(documents: Sequence[Document], functions: Sequence[Function]) -> list[str]:
    """The labelled Knative Services are exactly the registry's functions, each as it says."""
    found = []
    services: dict[str, Document] = {}
    for document in _of_kind(documents, KNATIVE_SERVICE):
        label = _dig(document, "metadata", "labels", FUNCTION_LABEL)
        if label is None:
            continue
        label = str(label)
        if label in services:
            found.append(f"{_ref(document)}: a second Service labelled {FUNCTION_LABEL}: {label}")
        services[label] = document
    registered = {f.name for f in functions}
    for name in sorted(registered - set(services)):
        found.append(f"no Knative Service labelled {FUNCTION_LABEL}: {name} (registry function)")
    for name in sorted(set(services) - registered):
        found.append(
            f"{_ref(services[name])}: labelled {FUNCTION_LABEL}: {name}, "
            "which is not a function of functions/registry.py"
        )
    for function in functions:
        if function.name in services:
            found += _function_service_problems(function, services[function.name], documents)
    return found


def _function_service_problems(
    function: Function, service: Document, documents: Sequence[Document]
) -> list[str]:
    ref = _ref(service)
    found = []
    if _name(service) != function.name:
        found.append(f"{ref}: named otherwise than its function {function.name}")

    annotation = _dig(service, "metadata", "annotations", ROUTES_ANNOTATION)
    declared = route_keys(annotation) if isinstance(annotation, str) else []
    expected = {route.manifest_key for route in function.routes}
    found += [
        f"{ref}: {ROUTES_ANNOTATION} lacks {key!r}, a route of {function.name} in the registry"
        for key in sorted(expected - set(declared))
    ]
    found += [
        f"{ref}: {ROUTES_ANNOTATION} has {key!r}, not a route of {function.name} in the registry"
        for key in sorted(set(declared) - expected)
    ]

    containers = _containers(service)
    if len(containers) != 1:
        return [*found, f"{ref}: {len(containers)} containers, expected the function's one"]
    [container] = containers
    env = _env(container)
    stream = function.consumes_profile_stream
    target, signature = ("cloudevent_handler", "cloudevent") if stream else ("http_handler", "http")
    for variable, value in (
        ("FUNCTION_TARGET", target),
        ("FUNCTION_SIGNATURE_TYPE", signature),
        ("FUNCTION_SOURCE", function.source_path),
    ):
        if env.get(variable) != value:
            found.append(f"{ref}: {variable} is {env.get(variable)!r}, expected {value!r}")
    if not (REPOSITORY / function.source_path).is_file():
        found.append(f"{ref}: {function.source_path} does not exist")
    if not callable(getattr(import_module(function.handler_module), target, None)):
        found.append(f"{ref}: {function.handler_module} has no {target}")

    concurrency = _dig(service, "spec", "template", "spec", "containerConcurrency")
    # process-log must append to an audit hash chain one record at a time (shared/store/audit.py).
    allowed = range(1, 2) if stream else range(1, MAX_HTTP_CONCURRENCY + 1)
    if not isinstance(concurrency, int) or concurrency not in allowed:
        found.append(f"{ref}: containerConcurrency {concurrency!r} not in {list(allowed)}")
    elif env.get("THREADS") != str(concurrency):
        found.append(f"{ref}: THREADS {env.get('THREADS')!r} differs from containerConcurrency")
    if env.get("WORKERS") != "1":
        found.append(f"{ref}: WORKERS {env.get('WORKERS')!r}, expected '1' (one router per pod)")

    annotations = _map(_dig(service, "spec", "template", "metadata", "annotations"))
    if annotations.get(MIN_SCALE) != "0":
        found.append(f"{ref}: template annotation {MIN_SCALE} is not '0' (scale to zero)")
    if stream and annotations.get(MAX_SCALE) != "1":
        found.append(f"{ref}: template annotation {MAX_SCALE} is not '1' (one audit appender)")

    found += _probe_problems(ref, container, http=not stream)
    if stream and not _among(env.get("K_SINK"), _broker_urls(documents)):
        found.append(f"{ref}: K_SINK {env.get('K_SINK')!r} is not a Broker's address")
    return found


def _probe_problems(ref: str, container: Mapping[str, Any], http: bool) -> list[str]:
    found = []
    ports = [p.get("containerPort") for p in _items(container.get("ports"))]
    for probe in ("readinessProbe", "livenessProbe"):
        spec = container.get(probe)
        path = _dig(spec, "httpGet", "path")
        if http and path != HEALTH_PATH:
            found.append(f"{ref}: {probe}.httpGet.path is {path!r}, expected {HEALTH_PATH}")
        if not http and "httpGet" in _map(spec):
            found.append(
                f"{ref}: {probe} uses httpGet, but a CloudEvent function has no health route"
            )
        if (
            not http
            and probe == "readinessProbe"
            and not isinstance(_dig(spec, "tcpSocket"), Mapping)
        ):
            found.append(f"{ref}: readinessProbe is not a tcpSocket probe")
        for handler in ("httpGet", "tcpSocket"):
            port = _dig(spec, handler, "port")
            if port is not None and (not isinstance(port, int) or port not in ports):
                found.append(f"{ref}: {probe}.{handler}.port {port!r} is not the container's port")
    return found


def _eventing_problems(documents: Sequence[Document], functions: Sequence[Function]) -> list[str]:
    found = []
    brokers = {_name(b) for b in _of_kind(documents, BROKER)}
    services = {_name(d) for d in documents if d.get("kind") == "Service"}
    consumers = {f.name for f in functions if f.consumes_profile_stream}
    for broker in _of_kind(documents, BROKER):
        found += _delivery_problems(_ref(broker), _dig(broker, "spec", "delivery"), services)
    stream_triggers = []
    for trigger in _of_kind(documents, TRIGGER):
        ref = _ref(trigger)
        spec = _map(trigger.get("spec"))
        if not _among(spec.get("broker"), brokers):
            found.append(f"{ref}: spec.broker {spec.get('broker')!r} is not a Broker here")
        attributes = _map(_dig(spec, "filter", "attributes"))
        found += [
            f"{ref}: filter attribute {name} is not a string (Knative compares strings only)"
            for name, value in attributes.items()
            if not isinstance(value, str)
        ]
        event_type = attributes.get("type")
        if not _among(event_type, EVENT_TYPES):
            found.append(
                f"{ref}: filters type {event_type!r}, not one of the service's {sorted(EVENT_TYPES)}"
            )
        source = attributes.get("source")
        if _among(event_type, EVENT_TYPES) and source not in (None, EVENT_SOURCES[event_type]):
            found.append(
                f"{ref}: filters source {source!r}, but {event_type} comes from "
                f"{EVENT_SOURCES[event_type]}"
            )
        subscriber = _map(_dig(spec, "subscriber", "ref"))
        if event_type == STREAM_RECORD_TYPE:
            stream_triggers.append(trigger)
            if (subscriber.get("apiVersion"), subscriber.get("kind")) != KNATIVE_SERVICE or (
                not _among(subscriber.get("name"), consumers & services)
            ):
                found.append(
                    f"{ref}: stream records go to {subscriber.get('name')!r}, not to the Knative "
                    f"Service of the registry's stream consumer {sorted(consumers)}"
                )
        elif not _among(subscriber.get("name"), services | PLACEHOLDERS) and not _dig(
            spec, "subscriber", "uri"
        ):
            found.append(
                f"{ref}: subscriber {subscriber.get('name')!r} is neither a Service here nor a "
                "documented placeholder"
            )
        found += _delivery_problems(ref, spec.get("delivery"), services)
    if len(stream_triggers) != 1:
        found.append(
            f"{len(stream_triggers)} Triggers deliver {STREAM_RECORD_TYPE}: exactly one must"
        )
    return found


def _delivery_problems(ref: str, delivery: Any, services: set[str]) -> list[str]:
    if not isinstance(delivery, Mapping):
        return [f"{ref}: no delivery (retries and a deadLetterSink)"]
    found = []
    retry = delivery.get("retry")
    if not isinstance(retry, int) or retry < MIN_RETRIES:
        found.append(f"{ref}: delivery.retry {retry!r} is below {MIN_RETRIES}")
    if not _among(delivery.get("backoffPolicy"), BACKOFF_POLICIES):
        found.append(
            f"{ref}: delivery.backoffPolicy {delivery.get('backoffPolicy')!r} is not one of "
            f"{sorted(BACKOFF_POLICIES)}"
        )
    sink = _map(delivery.get("deadLetterSink"))
    name = _dig(sink, "ref", "name")
    if not isinstance(sink.get("uri"), str) and name is None:
        found.append(f"{ref}: no delivery.deadLetterSink: a failed event would be dropped")
    elif name is not None and not _among(name, services | PLACEHOLDERS):
        found.append(f"{ref}: deadLetterSink {name!r} is neither a Service here nor a placeholder")
    return found


def _pump_problems(documents: Sequence[Document]) -> list[str]:
    """The stream pump: one replica, never two at once, its state on a persistent volume; the
    tables Job; the volume claim."""
    found = []
    claims = {_name(d) for d in documents if d.get("kind") == "PersistentVolumeClaim"}
    deployments = _of_kind(documents, DEPLOYMENT)
    if not deployments:
        found.append("no Deployment of the stream pump")
    for deployment in deployments:
        ref = _ref(deployment)
        spec = _map(deployment.get("spec"))
        if spec.get("replicas") != 1:
            found.append(f"{ref}: replicas {spec.get('replicas')!r}: two pumps would race")
        if _dig(spec, "strategy", "type") != "Recreate":
            found.append(f"{ref}: strategy is not Recreate: old and new pump would overlap")
        selector = _map(_dig(spec, "selector", "matchLabels"))
        labels = _map(_dig(spec, "template", "metadata", "labels"))
        if not selector or any(labels.get(k) != v for k, v in selector.items()):
            found.append(f"{ref}: the selector does not select the pod template")
        volumes = _volumes(deployment)
        if not isinstance(_dig(spec, "template", "spec", "securityContext", "fsGroup"), int):
            found.append(
                f"{ref}: no securityContext.fsGroup: the non-root pump cannot write its state"
            )
        for container in _containers(deployment):
            command = [*_strings(container.get("command")), *_strings(container.get("args"))]
            if command[:2] != ["profiel", "pump"] or "--state" not in command:
                found.append(f"{ref}: does not run `profiel pump --state ...`")
                continue
            state = command[command.index("--state") + 1 :][:1]
            claim = _dig(volumes.get(_mounts(container).get(PUMP_STATE)), "persistentVolumeClaim")
            if state != [PUMP_STATE] or not _among(_dig(claim, "claimName"), claims):
                found.append(f"{ref}: --state {PUMP_STATE} is not on a PersistentVolumeClaim here")
            if "--sink" in command and command[command.index("--sink") + 1 :][:1] != ["$(K_SINK)"]:
                found.append(f"{ref}: --sink is not $(K_SINK)")
            if not _among(_env(container).get("K_SINK"), _broker_urls(documents)):
                found.append(f"{ref}: K_SINK is not a Broker's address")
    for job in _of_kind(documents, JOB):
        restart = _dig(job, "spec", "template", "spec", "restartPolicy")
        if restart not in ("Never", "OnFailure"):
            found.append(f"{_ref(job)}: restartPolicy {restart!r} is not allowed for a Job")
        commands = [" ".join(_strings(c.get("command"))) for c in _containers(job)]
        if not any("create_tables()" in command for command in commands):
            found.append(f"{_ref(job)}: does not run create_tables")
    for claim in (d for d in documents if d.get("kind") == "PersistentVolumeClaim"):
        spec = _map(claim.get("spec"))
        if not {"ReadWriteOnce", "ReadWriteOncePod"} & set(_strings(spec.get("accessModes"))):
            found.append(f"{_ref(claim)}: accessModes lack ReadWriteOnce")
        storage = _dig(spec, "resources", "requests", "storage")
        if not isinstance(storage, str) or not _QUANTITY.fullmatch(storage):
            found.append(f"{_ref(claim)}: storage request {storage!r} is not a quantity")
    return found


def _configuration_problems(documents: Sequence[Document]) -> list[str]:
    """The ConfigMap holds every non-secret variable and nothing secret; the Secret the rest."""
    found = []
    config_maps = [d for d in documents if d.get("kind") == "ConfigMap" and _name(d) == CONFIG_MAP]
    if not config_maps:
        return [f"no ConfigMap {CONFIG_MAP}"]
    config = _map(config_maps[0].get("data"))
    ref = f"ConfigMap {CONFIG_MAP}"
    found += [
        f"{ref}: {key} is a secret: it belongs in the Secret" for key in SECRET_KEYS & set(config)
    ]
    found += [f"{ref}: lacks {key}" for key in sorted(CONFIG_KEYS - set(config))]
    found += [f"{ref}: {key} is read by no code" for key in sorted(set(config) - KNOWN_VARIABLES)]
    found += [
        f"{ref}: {key} is not a string" for key, v in config.items() if not isinstance(v, str)
    ]
    if config.get("AWS_ENDPOINT_URL_DYNAMODB_STREAMS") != config.get("AWS_ENDPOINT_URL_DYNAMODB"):
        found.append(f"{ref}: the Streams API endpoint is not the store's endpoint")
    try:
        issuers = json.loads(config.get("PROFIEL_TRUSTED_ISSUERS", ""))
        if not isinstance(issuers, list) or not issuers:
            found.append(f"{ref}: PROFIEL_TRUSTED_ISSUERS is not a non-empty JSON list")
        for issuer in issuers if isinstance(issuers, list) else []:
            TrustedIssuer.model_validate(issuer)
        if not isinstance(json.loads(config.get("PROFIEL_EVENT_WEBHOOKS", "")), list):
            found.append(f"{ref}: PROFIEL_EVENT_WEBHOOKS is not a JSON list")
    except (TypeError, ValueError) as error:  # json's and pydantic's errors both
        found.append(f"{ref}: a JSON value does not parse: {str(error).splitlines()[0]}")

    secrets = [d for d in documents if d.get("kind") == "Secret" and _name(d) == SECRET]
    if not secrets:
        return [*found, f"no Secret {SECRET} (template)"]
    values = {**_map(secrets[0].get("data")), **_map(secrets[0].get("stringData"))}
    if set(values) != SECRET_KEYS:
        found.append(f"Secret {SECRET}: keys {sorted(values)}, expected {sorted(SECRET_KEYS)}")
    found += [
        f"Secret {SECRET}: {key} is not a REPLACE placeholder: no real secret in the repository"
        for key, value in values.items()
        if not isinstance(value, str) or "REPLACE" not in value
    ]
    # An unchanged template must fail closed, not run with a pseudonym key everybody knows.
    if len(str(values.get("PROFIEL_PSEUDONYM_KEY", ""))) >= PSEUDONYM_KEY_MIN_LENGTH:
        found.append(f"Secret {SECRET}: the PROFIEL_PSEUDONYM_KEY placeholder would be accepted")
    return found


def feature_flags(document: Document, crds: Crds) -> dict[str, list[str]]:
    """The Knative feature flags the fields ``document`` sets are behind: flag -> field paths."""
    crd = crds.get(_kind(document))
    flags: dict[str, list[str]] = {}

    def walk(value: Any, schema: Mapping[str, Any], path: str) -> None:
        match = _FEATURE_FLAG.search(schema.get("description", ""))
        if match:
            flags.setdefault(match.group(1), []).append(path)
        if isinstance(value, Mapping):
            for key, child in value.items():
                if key in schema.get("properties", {}):
                    walk(child, schema["properties"][key], f"{path}.{key}")
        elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
            for index, child in enumerate(value):
                walk(child, schema["items"], f"{path}[{index}]")

    if crd is not None:
        walk(document, crd.schema, _ref(document))
    return flags


# --- the tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crds() -> Crds:
    return crd_schemas()


@pytest.fixture
def documents() -> list[Document]:
    return manifest_documents()


def test_the_manifests_have_no_problems(documents: list[Document], crds: Crds) -> None:
    assert problems(documents, crds=crds) == []


def test_the_manifests_pass_the_explicit_checks_without_the_crds(
    documents: list[Document],
) -> None:
    assert problems(documents) == []


def test_every_knative_object_has_its_crd(documents: list[Document], crds: Crds) -> None:
    knative = {_kind(d) for d in documents if ".knative.dev/" in d["apiVersion"]}
    assert knative == {KNATIVE_SERVICE, BROKER, TRIGGER}
    assert knative <= set(crds)


def test_one_knative_service_per_registry_function(documents: list[Document]) -> None:
    labelled = {
        d["metadata"]["labels"][FUNCTION_LABEL]: d for d in _of_kind(documents, KNATIVE_SERVICE)
    }
    assert set(labelled) == {f.name for f in registry.FUNCTIONS}
    for function in registry.FUNCTIONS:
        annotation = labelled[function.name]["metadata"].get("annotations", {})
        assert set(route_keys(annotation.get(ROUTES_ANNOTATION, ""))) == {
            r.manifest_key for r in function.routes
        }


def test_the_feature_flags_the_manifests_need_are_documented(
    documents: list[Document], crds: Crds
) -> None:
    needed: dict[str, list[str]] = {}
    for document in documents:
        for flag, paths in feature_flags(document, crds).items():
            needed.setdefault(flag, []).extend(paths)
    # The writable /tmp beside the read-only root filesystem; nothing else behind a flag.
    assert set(needed) == {"kubernetes.podspec-volumes-emptydir"}, needed
    readme = (MANIFESTS / "README.md").read_text()
    assert all(flag in readme for flag in needed)


def test_the_placeholders_are_documented() -> None:
    readme = (MANIFESTS / "README.md").read_text()
    assert [p for p in sorted(PLACEHOLDERS) if p not in readme] == []


def test_the_readme_applies_every_manifest_but_the_examples() -> None:
    readme = (MANIFESTS / "README.md").read_text()
    applied = set(re.findall(r"kubectl apply -f infra/knative/([\w.-]+\.yaml)", readme))
    manifests = {p.name for p in MANIFESTS.glob("*.yaml")}
    examples = {name for name in manifests if name.endswith(".example.yaml")}
    assert applied == manifests - examples
    assert examples == {"secret.example.yaml", "subscriber.example.yaml"}


def test_the_image_runs_as_the_user_the_manifests_require(documents: list[Document]) -> None:
    dockerfile = (MANIFESTS / "Dockerfile").read_text()
    instructions = re.findall(r"^(FROM|USER|WORKDIR|CMD) (.+)$", dockerfile, re.MULTILINE)
    assert ("FROM", "python:3.12-slim") in instructions
    [user] = [value for instruction, value in instructions if instruction == "USER"]
    uid = int(user.split(":")[0])  # numeric: the kubelet cannot check runAsNonRoot otherwise
    assert uid != 0
    users = {c["securityContext"].get("runAsUser") for d in documents for c in _containers(d)}
    assert users == {uid}
    # FUNCTION_SOURCE is relative to the working directory, which holds the sources.
    assert ("WORKDIR", "/app") in instructions
    assert re.search(r"^COPY functions \./functions$", dockerfile, re.MULTILINE)
    assert ("CMD", '["functions-framework"]') in instructions


# Each broken copy: one defect, and a fragment of the problem that must name it.
Breakage = Callable[[list[Document]], None]


def _service(documents: list[Document], name: str) -> Document:
    return next(d for d in _of_kind(documents, KNATIVE_SERVICE) if _name(d) == name)


def _container(documents: list[Document], name: str) -> dict[str, Any]:
    return _dig(_service(documents, name), "spec", "template", "spec", "containers", 0)


def _trigger(documents: list[Document], name: str = "process-log") -> Document:
    return next(d for d in _of_kind(documents, TRIGGER) if _name(d) == name)


def _of(documents: list[Document], kind: str) -> Document:
    return next(d for d in documents if d.get("kind") == kind)


def _set_env(container: dict[str, Any], name: str, value: Any) -> None:
    next(e for e in container["env"] if e["name"] == name)["value"] = value


def _without(mapping: dict[str, Any], key: str) -> None:
    del mapping[key]


SCHEMA_BREAKAGES: dict[str, tuple[Breakage, str]] = {
    "concurrency as a word": (
        lambda ds: _service(ds, "get-profile")["spec"]["template"]["spec"].update(
            containerConcurrency="four"
        ),
        "containerConcurrency: 'four' is not of type 'integer'",
    ),
    "a misspelt field under spec": (
        lambda ds: _service(ds, "get-profile")["spec"]["template"]["spec"].update(
            containerConcurency=4
        ),
        "'containerConcurency' was unexpected",
    ),
    "an unknown container field": (
        lambda ds: _container(ds, "verify-contact").update(imagePullPolicyy="Always"),
        "'imagePullPolicyy' was unexpected",
    ),
    "an unquoted number as env value": (
        lambda ds: _set_env(_container(ds, "update-profile"), "THREADS", 4),
        "value: 4 is not of type 'string'",
    ),
    "an unquoted number as scale annotation": (
        lambda ds: _service(ds, "read-access-log")["spec"]["template"]["metadata"][
            "annotations"
        ].update({MIN_SCALE: 0}),
        "0 is not of type 'string'",
    ),
    "a Broker retry as text": (
        lambda ds: _of(ds, "Broker")["spec"]["delivery"].update(retry="5"),
        "retry: '5' is not of type 'integer'",
    ),
    "a misspelt field in the pump's container": (
        lambda ds: _containers(_of(ds, "Deployment"))[0]["securityContext"].update(
            readOnlyRootFileSystem=True
        ),
        "Deployment stream-pump: spec.template.spec.containers: 0.securityContext: Additional",
    ),
    "a Trigger broker as a list": (
        lambda ds: _trigger(ds)["spec"].update(broker=["profielservice"]),
        "is not of type 'string'",
    ),
}


@pytest.mark.parametrize(
    ("breakage", "expected"), SCHEMA_BREAKAGES.values(), ids=SCHEMA_BREAKAGES.keys()
)
def test_the_schemas_reject_a_broken_copy(
    documents: list[Document], crds: Crds, breakage: Breakage, expected: str
) -> None:
    breakage(documents)
    found = problems(documents, crds=crds)
    assert any(expected in problem for problem in found), found


EXPLICIT_BREAKAGES: dict[str, tuple[Breakage, str]] = {
    "a Trigger without deadLetterSink": (
        lambda ds: _without(_trigger(ds)["spec"]["delivery"], "deadLetterSink"),
        "Trigger process-log: no delivery.deadLetterSink",
    ),
    "a Trigger filtering an unknown type": (
        lambda ds: _trigger(ds)["spec"]["filter"]["attributes"].update(
            type="nl.profielservice.onbekend"
        ),
        "filters type 'nl.profielservice.onbekend'",
    ),
    "a Trigger retrying once": (
        lambda ds: _trigger(ds)["spec"]["delivery"].update(retry=1),
        "delivery.retry 1 is below 3",
    ),
    "a Trigger with an unknown backoff": (
        lambda ds: _trigger(ds)["spec"]["delivery"].update(backoffPolicy="random"),
        "delivery.backoffPolicy 'random'",
    ),
    "a Trigger for a missing Broker": (
        lambda ds: _trigger(ds)["spec"].update(broker="default"),
        "spec.broker 'default' is not a Broker here",
    ),
    "stream records to another Service": (
        lambda ds: _trigger(ds)["spec"]["subscriber"]["ref"].update(name="get-profile"),
        "stream records go to 'get-profile'",
    ),
    "a subscriber nobody documented": (
        lambda ds: _trigger(ds, "contactgegevens-gewijzigd-example")["spec"]["subscriber"][
            "ref"
        ].update(name="somebody"),
        "subscriber 'somebody' is neither a Service here nor a documented placeholder",
    ),
    "a Broker without deadLetterSink": (
        lambda ds: _without(_of(ds, "Broker")["spec"]["delivery"], "deadLetterSink"),
        "Broker profielservice: no delivery.deadLetterSink",
    ),
    "a missing Service for a registry function": (
        lambda ds: ds.remove(_service(ds, "lookup-preferences")),
        "no Knative Service labelled profielservice.nl/function: lookup-preferences",
    ),
    "an extra Service not in the registry": (
        lambda ds: ds.append(
            {
                **copy.deepcopy(_service(ds, "get-profile")),
                "metadata": {
                    "name": "export-profile",
                    "namespace": NAMESPACE,
                    "labels": {FUNCTION_LABEL: "export-profile"},
                },
            }
        ),
        "labelled profielservice.nl/function: export-profile, which is not a function",
    ),
    "a routes annotation missing a route": (
        lambda ds: _service(ds, "get-profile")["metadata"]["annotations"].update(
            {ROUTES_ANNOTATION: "GET /profiel, GET /profiel/organisaties"}
        ),
        "lacks 'GET /profiel/contactgegevens/{contactgegevenId}'",
    ),
    "a routes annotation with a route of another function": (
        lambda ds: _service(ds, "read-access-log")["metadata"]["annotations"].update(
            {ROUTES_ANNOTATION: "GET /profiel/inzage, GET /profiel/historie, GET /profiel"}
        ),
        "has 'GET /profiel', not a route of read-access-log",
    ),
    "a writable root filesystem": (
        lambda ds: _container(ds, "update-profile")["securityContext"].update(
            readOnlyRootFilesystem=False
        ),
        "Service update-profile: container function: securityContext.readOnlyRootFilesystem",
    ),
    "a pump that may run as root": (
        lambda ds: _without(
            _containers(_of(ds, "Deployment"))[0]["securityContext"], "runAsNonRoot"
        ),
        "Deployment stream-pump: container pump: securityContext.runAsNonRoot is not True",
    ),
    "capabilities kept": (
        lambda ds: _without(_containers(_of(ds, "Job"))[0]["securityContext"], "capabilities"),
        "securityContext.capabilities.drop lacks ALL",
    ),
    "the HTTP target on the stream consumer": (
        lambda ds: _set_env(_container(ds, "process-log"), "FUNCTION_TARGET", "http_handler"),
        "FUNCTION_TARGET is 'http_handler', expected 'cloudevent_handler'",
    ),
    "another function's source": (
        lambda ds: _set_env(
            _container(ds, "verify-contact"), "FUNCTION_SOURCE", "functions/get_profile/handler.py"
        ),
        "FUNCTION_SOURCE is 'functions/get_profile/handler.py'",
    ),
    "concurrency beyond the router": (
        lambda ds: _service(ds, "get-profile")["spec"]["template"]["spec"].update(
            containerConcurrency=16
        ),
        "containerConcurrency 16 not in",
    ),
    "concurrent audit appends": (
        lambda ds: _service(ds, "process-log")["spec"]["template"]["spec"].update(
            containerConcurrency=4
        ),
        "Service process-log: containerConcurrency 4 not in [1]",
    ),
    "threads not matching concurrency": (
        lambda ds: _set_env(_container(ds, "get-profile"), "THREADS", "8"),
        "THREADS '8' differs from containerConcurrency",
    ),
    "no scale to zero": (
        lambda ds: _without(
            _service(ds, "lookup-preferences")["spec"]["template"]["metadata"]["annotations"],
            MIN_SCALE,
        ),
        "autoscaling.knative.dev/min-scale is not '0'",
    ),
    "a probe on a path that does not exist": (
        lambda ds: _container(ds, "get-profile")["livenessProbe"]["httpGet"].update(path="/health"),
        "livenessProbe.httpGet.path is '/health'",
    ),
    "an HTTP probe on the CloudEvent function": (
        lambda ds: _container(ds, "process-log").update(
            readinessProbe={"httpGet": {"path": HEALTH_PATH}}
        ),
        "readinessProbe uses httpGet",
    ),
    "no writable /tmp": (
        lambda ds: _container(ds, "verify-contact").update(volumeMounts=[]),
        "no emptyDir at /tmp",
    ),
    "two pumps": (
        lambda ds: _of(ds, "Deployment")["spec"].update(replicas=2),
        "replicas 2: two pumps would race",
    ),
    "a rolling pump": (
        lambda ds: _of(ds, "Deployment")["spec"]["strategy"].update(type="RollingUpdate"),
        "strategy is not Recreate",
    ),
    "pump state on an emptyDir": (
        lambda ds: _of(ds, "Deployment")["spec"]["template"]["spec"]["volumes"][0].update(
            persistentVolumeClaim=None, emptyDir={}
        ),
        "--state /var/lib/stream-pump is not on a PersistentVolumeClaim",
    ),
    "a secret in the ConfigMap": (
        lambda ds: _of(ds, "ConfigMap")["data"].update(PROFIEL_PSEUDONYM_KEY="x" * 32),
        "PROFIEL_PSEUDONYM_KEY is a secret",
    ),
    "no Streams endpoint": (
        lambda ds: _without(_of(ds, "ConfigMap")["data"], "AWS_ENDPOINT_URL_DYNAMODB_STREAMS"),
        "lacks AWS_ENDPOINT_URL_DYNAMODB_STREAMS",
    ),
    "a misspelt variable": (
        lambda ds: _of(ds, "ConfigMap")["data"].update(PROFIEL_AUDIENCES="profielservice"),
        "PROFIEL_AUDIENCES is read by no code",
    ),
    "a trusted issuer without JWKS": (
        lambda ds: _of(ds, "ConfigMap")["data"].update(
            PROFIEL_TRUSTED_ISSUERS='[{"issuer": "https://idp.example.nl"}]'
        ),
        "a JSON value does not parse",
    ),
    "a pseudonym key placeholder the service would accept": (
        lambda ds: _of(ds, "Secret")["stringData"].update(
            PROFIEL_PSEUDONYM_KEY="REPLACE-with-at-least-32-random-characters"
        ),
        "the PROFIEL_PSEUDONYM_KEY placeholder would be accepted",
    ),
    "a Trigger filtering the wrong source": (
        lambda ds: _trigger(ds)["spec"]["filter"]["attributes"].update(source=CHANGE_EVENT_SOURCE),
        "filters source 'urn:nl:profielservice:profielen', but nl.profielservice.stream-record",
    ),
    "a real-looking secret in the template": (
        lambda ds: _of(ds, "Secret")["stringData"].update(AWS_SECRET_ACCESS_KEY="hunter2"),
        "AWS_SECRET_ACCESS_KEY is not a REPLACE placeholder",
    ),
    "another namespace": (
        lambda ds: _service(ds, "get-profile")["metadata"].update(namespace="default"),
        "metadata.namespace is 'default'",
    ),
    "an object nothing checks": (
        lambda ds: ds.append(
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "namespace": NAMESPACE}}
        ),
        "Pod x: ('v1', 'Pod') is checked by nothing",
    ),
}


@pytest.mark.parametrize(
    ("breakage", "expected"), EXPLICIT_BREAKAGES.values(), ids=EXPLICIT_BREAKAGES.keys()
)
def test_the_explicit_checks_reject_a_broken_copy(
    documents: list[Document], breakage: Breakage, expected: str
) -> None:
    breakage(documents)
    found = problems(documents)
    assert any(expected in problem for problem in found), found


@pytest.fixture
def extra_route(monkeypatch: pytest.MonkeyPatch) -> Iterator[Route]:
    """The registry as it would be with a route added in code but not in the manifests."""
    route = Route("GET", "/profiel/extra")
    patched = tuple(
        dataclasses.replace(f, routes=(*f.routes, route)) if f.name == "get-profile" else f
        for f in registry.FUNCTIONS
    )
    monkeypatch.setattr(registry, "FUNCTIONS", patched)
    yield route


def test_a_route_added_in_code_only_is_caught(
    documents: list[Document], extra_route: Route
) -> None:
    message = f"lacks {extra_route.key!r}, a route of get-profile in the registry"
    assert problems(documents) == [f"Service get-profile: {ROUTES_ANNOTATION} {message}"]
