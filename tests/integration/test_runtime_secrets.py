"""Secrets from AWS SSM Parameter Store at cold start, against the moto server's SSM over HTTP.

The settings are read from a copy of the environment: the functions serving other tests in
this process must keep their own configuration meanwhile.
"""

from __future__ import annotations

import os

import boto3
import pytest

from infra.local.store import EmbeddedStore
from shared.config import (
    ENVIRONMENT_VARIABLES,
    NOTIFY_ENVIRONMENT_VARIABLES,
    ConfigurationError,
    NotifySettings,
    Settings,
    _from_environment,
)


@pytest.fixture
def ssm(store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch):
    # Only the SSM endpoint changes for the process: nothing else here uses SSM.
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", store.endpoint)
    return boto3.client("ssm", endpoint_url=store.endpoint)


def test_a_secret_is_read_from_its_ssm_parameter(ssm) -> None:
    secret = "s" * 40
    ssm.put_parameter(
        Name="/profielservice/test/pseudonym-key", Value=secret, Type="SecureString", Overwrite=True
    )
    environment = {k: v for k, v in os.environ.items() if k != "PROFIEL_PSEUDONYM_KEY"}
    environment["PROFIEL_PSEUDONYM_KEY_PARAMETER"] = "/profielservice/test/pseudonym-key"
    settings = _from_environment(Settings, ENVIRONMENT_VARIABLES, environment)
    assert settings.pseudonym_key.get_secret_value() == secret


def test_a_missing_parameter_is_a_configuration_error_naming_the_variable(ssm) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "PROFIEL_NOTIFY_API_KEY"}
    environment["PROFIEL_NOTIFY_API_KEY_PARAMETER"] = "/profielservice/test/not-there"
    with pytest.raises(ConfigurationError) as caught:
        _from_environment(NotifySettings, NOTIFY_ENVIRONMENT_VARIABLES, environment)
    assert "PROFIEL_NOTIFY_API_KEY" in str(caught.value)
    assert "not-there" not in str(caught.value)
