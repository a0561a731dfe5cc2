"""Configuration of a function, read from the environment once per process.

Plain pydantic rather than pydantic-settings: the latter adds about a quarter of a second to
every cold start for the handful of variables below.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, Json, SecretStr, ValidationError

AssuranceLevel = Literal["low", "substantial", "high"]


class TrustedIssuer(BaseModel):
    """An identity provider whose tokens the service accepts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    issuer: str = Field(min_length=1)
    jwks_uri: str = Field(pattern=r"^(https?|file)://")


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    pseudonym_key: SecretStr = Field(min_length=32)
    trusted_issuers: Json[tuple[TrustedIssuer, ...]] = Field(min_length=1)
    audience: str = "profielservice"
    minimum_assurance: AssuranceLevel = "substantial"
    clock_skew_seconds: int = Field(default=30, ge=0, le=300)
    max_body_bytes: int = Field(default=16_384, ge=1024)


# Field name -> environment variable. The table names are read by ``shared.store.tables``
# (pynamodb wants them when the model class is defined) and documented with these.
ENVIRONMENT_VARIABLES = {
    "pseudonym_key": "PROFIEL_PSEUDONYM_KEY",
    "trusted_issuers": "PROFIEL_TRUSTED_ISSUERS",
    "audience": "PROFIEL_AUDIENCE",
    "minimum_assurance": "PROFIEL_MINIMUM_ASSURANCE",
    "clock_skew_seconds": "PROFIEL_CLOCK_SKEW_SECONDS",
    "max_body_bytes": "PROFIEL_MAX_BODY_BYTES",
}


class ConfigurationError(RuntimeError):
    """The function cannot serve: its environment is incomplete or invalid."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    values = {
        field: os.environ[variable]
        for field, variable in ENVIRONMENT_VARIABLES.items()
        if os.environ.get(variable)
    }
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        # Name the variables, never their values: one of them is a secret.
        wrong = sorted({ENVIRONMENT_VARIABLES[str(e["loc"][0])] for e in error.errors()})
        raise ConfigurationError(f"invalid or missing configuration: {', '.join(wrong)}") from None
