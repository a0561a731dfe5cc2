"""Configuration of a function, read from the environment once per process.

A secret need not be in the environment: ``<VARIABLE>_PARAMETER`` names an AWS SSM parameter
(SecureString) that holds it, read once at cold start - so a deployment template never contains
a secret, not even resolved at deploy time.

Plain pydantic rather than pydantic-settings: the latter adds about a quarter of a second to
every cold start for the handful of variables below.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Literal, TypeVar
from uuid import UUID

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    Json,
    SecretStr,
    ValidationError,
    field_validator,
)

AssuranceLevel = Literal["low", "substantial", "high"]

# Validators built when a function first reads its settings, not at every import: most functions
# never read some of them (NotifyNL's, the registers', the events').
_SETTINGS = ConfigDict(frozen=True, defer_build=True)


class TrustedIssuer(BaseModel):
    """An identity provider whose tokens the service accepts."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    issuer: str = Field(min_length=1)
    jwks_uri: str = Field(pattern=r"^(https?|file)://")


class Settings(BaseModel):
    model_config = _SETTINGS

    pseudonym_key: SecretStr = Field(min_length=32)
    # During a key rotation only: the key being replaced. Items still under it are read and moved
    # to the current key (docs/deploy.md, "Rotating the pseudonym key").
    pseudonym_key_previous: SecretStr | None = Field(default=None, min_length=32)
    # The public half of the rotation key pair: every item keyed by a pseudonym carries its
    # identifier sealed to it (shared.identity.sealing). Without it nothing is sealed, and items
    # written meanwhile cannot be moved by a rotation.
    sealing_public_key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{43}$")
    trusted_issuers: Json[tuple[TrustedIssuer, ...]] = Field(min_length=1)
    audience: str = "profielservice"
    minimum_assurance: AssuranceLevel = "substantial"
    clock_skew_seconds: int = Field(default=30, ge=0, le=300)
    # Room for a bulk lookup of 1000 identifiers; far below what could hurt a function.
    max_body_bytes: int = Field(default=65_536, ge=1024)
    organisation_scope: str = Field(default="profielservice.opvragen", min_length=1)
    # How long a record of the Logboek Dataverwerkingen is kept before the store's TTL removes
    # it: as the organisation's selectielijst says; seven years unless set.
    ldv_retention_days: int = Field(default=2557, ge=1, le=36525)
    # How long an audit record is kept: the same default.
    audit_retention_days: int = Field(default=2557, ge=1, le=36525)


# Field name -> environment variable. The table names are read by ``shared.store.tables``
# (pynamodb wants them when the model class is defined) and documented with these.
ENVIRONMENT_VARIABLES = {
    "pseudonym_key": "PROFIEL_PSEUDONYM_KEY",
    "pseudonym_key_previous": "PROFIEL_PSEUDONYM_KEY_PREVIOUS",
    "sealing_public_key": "PROFIEL_SEALING_PUBLIC_KEY",
    "trusted_issuers": "PROFIEL_TRUSTED_ISSUERS",
    "audience": "PROFIEL_AUDIENCE",
    "minimum_assurance": "PROFIEL_MINIMUM_ASSURANCE",
    "clock_skew_seconds": "PROFIEL_CLOCK_SKEW_SECONDS",
    "max_body_bytes": "PROFIEL_MAX_BODY_BYTES",
    "organisation_scope": "PROFIEL_ORGANISATION_SCOPE",
    "ldv_retention_days": "PROFIEL_LDV_RETENTION_DAYS",
    "audit_retention_days": "PROFIEL_AUDIT_RETENTION_DAYS",
}


_NOTIFY_API_KEY = re.compile(r".-[0-9a-f-]{36}-[0-9a-f-]{36}$")


class NotifySettings(BaseModel):
    """How to send through NotifyNL: only the functions that send messages read these."""

    model_config = _SETTINGS

    api_key: SecretStr
    base_url: str = Field(pattern=r"^https?://[^/]+$")
    template_email_code: UUID
    template_sms_code: UUID
    template_email_notice: UUID
    # A notice to a verified e-mail address that another contact detail is undeliverable.
    template_email_onbestelbaar: UUID
    timeout_seconds: float = Field(default=5, gt=0, le=30)
    # The bearer token NotifyNL is configured to send with its delivery receipts (its callback
    # settings); without it report-delivery refuses every receipt (401) and none marks anything.
    callback_token: SecretStr | None = Field(default=None, min_length=32)

    @field_validator("api_key")
    @classmethod
    def _notify_key_format(cls, value: SecretStr) -> SecretStr:
        # Notify's format "<key name>-<service id>-<secret>": the client cuts the two UUIDs
        # off the end and would sign with garbage otherwise.
        if not _NOTIFY_API_KEY.search(value.get_secret_value()):
            raise ValueError("not a Notify API key")
        return value


NOTIFY_ENVIRONMENT_VARIABLES = {
    "api_key": "PROFIEL_NOTIFY_API_KEY",
    "base_url": "PROFIEL_NOTIFY_BASE_URL",
    "template_email_code": "PROFIEL_NOTIFY_TEMPLATE_EMAIL_CODE",
    "template_sms_code": "PROFIEL_NOTIFY_TEMPLATE_SMS_CODE",
    "template_email_notice": "PROFIEL_NOTIFY_TEMPLATE_EMAIL_NOTICE",
    "template_email_onbestelbaar": "PROFIEL_NOTIFY_TEMPLATE_EMAIL_ONBESTELBAAR",
    "timeout_seconds": "PROFIEL_NOTIFY_TIMEOUT_SECONDS",
    "callback_token": "PROFIEL_NOTIFY_CALLBACK_TOKEN",
}


class EventSettings(BaseModel):
    """Where process-log publishes change events, and what it logs changes under."""

    model_config = _SETTINGS

    # Subscribers called over HTTP with structured CloudEvents: local webhooks, or a Knative
    # Broker (Knative's SinkBinding sets K_SINK).
    webhooks: Json[tuple[AnyHttpUrl, ...]] = ()
    k_sink: AnyHttpUrl | None = None
    # An AWS EventBridge bus (name or ARN).
    event_bus: str | None = None
    public_base_url: str = ""
    timeout_seconds: float = Field(default=5, gt=0, le=30)
    # The processing activity of a partij's own change, in its LDV record.
    eigen_profielbeheer: str = "urn:nl:profielservice:verwerkingsactiviteit:eigen-profielbeheer"


EVENT_ENVIRONMENT_VARIABLES = {
    "webhooks": "PROFIEL_EVENT_WEBHOOKS",
    "k_sink": "K_SINK",
    "event_bus": "PROFIEL_EVENT_BUS",
    "public_base_url": "PROFIEL_PUBLIC_BASE_URL",
    "timeout_seconds": "PROFIEL_EVENT_TIMEOUT_SECONDS",
    "eigen_profielbeheer": "PROFIEL_LDV_EIGEN_PROFIELBEHEER",
}


# A base URL the register's paths are appended to: no trailing slash.
_BASE_URL = r"^https?://[^/\s]+(/\S*[^/\s])?$"


class RegisterSettings(BaseModel):
    """Where the registers at the source are (BRP, KVK Handelsregister, BAG) and how patiently
    they are asked: only the functions that read a register need these."""

    model_config = _SETTINGS

    brp_base_url: str = Field(pattern=_BASE_URL)
    brp_api_key: SecretStr | None = None
    kvk_base_url: str = Field(pattern=_BASE_URL)
    kvk_api_key: SecretStr | None = None
    bag_base_url: str = Field(pattern=_BASE_URL)
    bag_api_key: SecretStr | None = None
    # Per attempt; a user waits for the answer, so a register that is slow counts as down.
    timeout_seconds: float = Field(default=3, gt=0, le=30)
    # How long a process reuses an answer (0: never).
    cache_seconds: float = Field(default=300, ge=0)
    # Consecutive failures after which a register is not asked for breaker_reset_seconds.
    breaker_failures: int = Field(default=5, ge=1)
    breaker_reset_seconds: float = Field(default=30, gt=0)


REGISTER_ENVIRONMENT_VARIABLES = {
    "brp_base_url": "PROFIEL_BRP_BASE_URL",
    "brp_api_key": "PROFIEL_BRP_API_KEY",
    "kvk_base_url": "PROFIEL_KVK_BASE_URL",
    "kvk_api_key": "PROFIEL_KVK_API_KEY",
    "bag_base_url": "PROFIEL_BAG_BASE_URL",
    "bag_api_key": "PROFIEL_BAG_API_KEY",
    "timeout_seconds": "PROFIEL_REGISTER_TIMEOUT_SECONDS",
    "cache_seconds": "PROFIEL_REGISTER_CACHE_SECONDS",
    "breaker_failures": "PROFIEL_REGISTER_BREAKER_FAILURES",
    "breaker_reset_seconds": "PROFIEL_REGISTER_BREAKER_RESET_SECONDS",
}


class ConfigurationError(RuntimeError):
    """The function cannot serve: its environment is incomplete or invalid."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return _from_environment(Settings, ENVIRONMENT_VARIABLES)


@lru_cache(maxsize=1)
def get_event_settings() -> EventSettings:
    return _from_environment(EventSettings, EVENT_ENVIRONMENT_VARIABLES)


@lru_cache(maxsize=1)
def get_notify_settings() -> NotifySettings:
    return _from_environment(NotifySettings, NOTIFY_ENVIRONMENT_VARIABLES)


@lru_cache(maxsize=1)
def get_register_settings() -> RegisterSettings:
    return _from_environment(RegisterSettings, REGISTER_ENVIRONMENT_VARIABLES)


_Model = TypeVar("_Model", bound=BaseModel)
PARAMETER_SUFFIX = "_PARAMETER"


def _parameter(parameter_name: str, variable: str) -> str:
    # Imported here: only a deployment that keeps its secrets in SSM pays for boto3's import.
    from aws_lambda_powertools.utilities.parameters import get_parameter
    from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

    try:
        return str(get_parameter(parameter_name, decrypt=True))
    except GetParameterError:
        raise ConfigurationError(f"cannot read the SSM parameter of {variable}") from None


def _from_environment(
    model: type[_Model], variables: dict[str, str], environment: Mapping[str, str] = os.environ
) -> _Model:
    values = {}
    for field, name in variables.items():
        if environment.get(name):
            values[field] = environment[name]
        elif environment.get(name + PARAMETER_SUFFIX):
            values[field] = _parameter(environment[name + PARAMETER_SUFFIX], name)
    try:
        return model.model_validate(values)
    except ValidationError as error:
        # Name the variables, never their values: some are secrets.
        wrong = sorted({variables[str(e["loc"][0])] for e in error.errors()})
        raise ConfigurationError(f"invalid or missing configuration: {', '.join(wrong)}") from None
