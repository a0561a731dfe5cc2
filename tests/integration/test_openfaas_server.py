"""The OpenFaaS image's server for real: gunicorn with ``infra/openfaas/gunicorn.conf.py`` and
``index.py``'s application, started as of-watchdog starts it (``fprocess``), on a free port.

The secrets come as OpenFaaS gives them - files, read into the environment before the function
is imported - and parallel requests of different subjects each get their own answer
(``test_knative_server`` does the same for functions-framework).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from functions.registry import function
from infra.local.store import free_port
from shared.config import get_settings
from tests.support import (
    ApiClient,
    random_test_bsn,
    raw_http_exchange,
    served,
)

REPOSITORY = Path(__file__).resolve().parents[2]
OPENFAAS = REPOSITORY / "infra" / "openfaas"
PARALLEL = 24
PSEUDONYM_KEY_SECRET = "profiel-pseudonym-key"


@contextmanager
def openfaas_server(function_name: str, log: Path, secrets: Path) -> Iterator[str]:
    """gunicorn serving one function as in its image, with the pseudonym key only in
    ``secrets``; the base URL of the API."""
    # The key as `faas-cli secret create --from-file` stores it: with the file's line break.
    secrets.mkdir(parents=True, exist_ok=True)
    (secrets / PSEUDONYM_KEY_SECRET).write_text(os.environ["PROFIEL_PSEUDONYM_KEY"] + "\n")
    port = free_port()
    # The image's command (the Dockerfile's fprocess), with two differences only: another
    # address, and index.py found in its folder (in the image it lies in the working directory).
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        str(OPENFAAS / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--pythonpath",
        str(OPENFAAS),
    ]
    env = {
        **{k: v for k, v in os.environ.items() if k != "PROFIEL_PSEUDONYM_KEY"},
        "FUNCTION_PACKAGE": function(function_name).package,
        "OPENFAAS_SECRETS_DIR": str(secrets),
    }
    with served(command, env, log, "gunicorn", port) as url:
        yield url + "/api/profiel/v1"


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("openfaas") / "get-profile.log"


@pytest.fixture(scope="module")
def get_server(store, server_log: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    secrets = tmp_path_factory.mktemp("openfaas-secrets")
    with openfaas_server("get-profile", server_log, secrets) as url:
        yield url


def test_the_health_path_answers_without_a_token(get_server: str) -> None:
    response = requests.get(get_server.removesuffix("/api/profiel/v1") + "/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "UP"}


def test_parallel_requests_never_answer_with_another_subjects_data(
    get_server: str, api_url: str, idp
) -> None:
    """Each subject's e-mail address is added through the local stack, then read back through
    gunicorn by all subjects at once, twice. The pseudonym key came from the secret's file, so
    the profiles are found only if it was read - without its line break - before the import."""
    subjects = [
        (idp.burger_token(random_test_bsn()), f"openfaas{n}@example.nl") for n in range(PARALLEL)
    ]

    def add(subject: tuple[str, str]) -> int:
        token, email = subject
        added = ApiClient(api_url, token).change(
            "POST", "/profiel/contactgegevens", {"soortDigitaalAdres": "email", "adres": email}
        )
        return added.status_code

    def read(subject: tuple[str, str]) -> tuple[str, requests.Response]:
        token, email = subject
        response = requests.get(
            get_server + "/profiel", headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        return email, response

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(add, subjects)) == {201}
    with ThreadPoolExecutor(PARALLEL) as pool:
        for _ in range(2):
            for email, response in pool.map(read, subjects):
                assert response.status_code == 200, response.text
                assert [c["adres"] for c in response.json()["contactgegevens"]] == [email]


def test_head_is_get_without_the_body(get_server: str, api_url: str, idp) -> None:
    token = idp.burger_token(random_test_bsn())
    ApiClient(api_url, token).change("PATCH", "/profiel/voorkeuren", {"taal": "nl"})
    headers = {"Authorization": f"Bearer {token}"}
    got = requests.get(get_server + "/profiel", headers=headers, timeout=30)
    headed = requests.head(get_server + "/profiel", headers=headers, timeout=30)
    assert headed.status_code == got.status_code == 200
    assert headed.content == b""
    for name in ("Content-Type", "ETag", "API-Version", "Cache-Control"):
        assert headed.headers[name] == got.headers[name], name
    # The length of the body a GET would get (RFC 9110 §8.6), not of the empty one.
    assert headed.headers["Content-Length"] == str(len(got.content))


def test_an_encoded_slash_is_a_404_and_the_path_is_not_logged(
    get_server: str, server_log: Path, idp
) -> None:
    bsn = random_test_bsn()  # in the path: it must not reach the log
    token = idp.burger_token(bsn)
    path = f"/profiel%2Fcontactgegevens%2F{bsn}"
    request = (
        f"GET /api/profiel/v1{path} HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    ).encode()
    status, headers, body = raw_http_exchange(get_server, request)
    assert status == 404
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["API-Version"] == "1.0.0"
    assert b"niet-gevonden" in body
    assert bsn not in server_log.read_text()


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_a_413_problem(get_server: str, idp, chunked: bool) -> None:
    token = idp.burger_token(random_test_bsn())
    body = b"x" * (get_settings().max_body_bytes + 1)  # the server's: the same environment
    if chunked:
        framed = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        length = b"Transfer-Encoding: chunked"
    else:
        framed, length = body, b"Content-Length: %d" % len(body)
    request = (
        b"POST /api/profiel/v1/profiel HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + b"Authorization: Bearer "
        + token.encode()
        + b"\r\nContent-Type: application/json\r\n"
        + length
        + b"\r\n\r\n"
        + framed
    )
    status, headers, _ = raw_http_exchange(get_server, request)
    assert status == 413
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["API-Version"] == "1.0.0"
