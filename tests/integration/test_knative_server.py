"""The functions-framework entry in its real server: gunicorn with many threads, as on Knative.

The powertools resolver keeps the current request on a class attribute and in the app object;
``shared.http.resolver`` keeps it per request instead. These tests fire parallel requests of
different subjects and check that every answer is the asker's own (``test_concurrency`` mixes
every function in one process).
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
from tests.support import random_test_bsn, raw_http_exchange, served

REPOSITORY = Path(__file__).resolve().parents[2]
PARALLEL = 24


@contextmanager
def functions_framework_server(source: Path, log: Path, **environment: str) -> Iterator[str]:
    """functions-framework serving ``http_handler`` of ``source``: one function's handler (see
    :func:`source_of`) or a file of the tests."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "functions-framework"),
        "--target",
        "http_handler",
        "--signature-type",
        "http",
        "--source",
        str(source),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    env = {**os.environ, "THREADS": "16", **environment}
    with served(command, env, log, "functions-framework", port) as url:
        yield url + "/api/profiel/v1"


def source_of(function_name: str) -> Path:
    return REPOSITORY / function(function_name).source_path


@pytest.fixture(scope="module")
def update_server(store, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("ff") / "update-profile.log"
    with functions_framework_server(source_of("update-profile"), log) as url:
        yield url


@pytest.fixture(scope="module")
def get_server(store, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("ff") / "get-profile.log"
    with functions_framework_server(source_of("get-profile"), log) as url:
        yield url


def test_parallel_requests_never_answer_with_another_subjects_data(
    update_server, get_server, idp
) -> None:
    subjects = [
        (idp.burger_token(random_test_bsn()), f"persoon{n}@example.nl") for n in range(PARALLEL)
    ]

    def add(subject: tuple[str, str]) -> tuple[str, requests.Response]:
        token, email = subject
        response = requests.post(
            update_server + "/profiel/contactgegevens",
            json={"soortDigitaalAdres": "email", "adres": email},
            headers={"Authorization": f"Bearer {token}", "If-Match": '"0"'},
            timeout=30,
        )
        return email, response

    def read(subject: tuple[str, str]) -> tuple[str, requests.Response]:
        token, email = subject
        response = requests.get(
            get_server + "/profiel", headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        return email, response

    with ThreadPoolExecutor(PARALLEL) as pool:
        for operation, status in ((add, 201), (read, 200), (read, 200)):
            for email, response in pool.map(operation, subjects):
                assert response.status_code == status, response.text
                assert [c["adres"] for c in response.json()["contactgegevens"]] == [email]


def test_parallel_invalid_and_valid_requests_keep_their_own_problems(update_server, idp) -> None:
    def send(n: int) -> tuple[int, requests.Response]:
        token = idp.burger_token(random_test_bsn())
        body = {"correspondentie": "post"} if n % 2 else {"correspondentie": f"ongeldig-{n}"}
        response = requests.patch(
            update_server + "/profiel/voorkeuren",
            json=body,
            headers={"Authorization": f"Bearer {token}", "If-Match": '"0"'},
            timeout=30,
        )
        return n, response

    with ThreadPoolExecutor(PARALLEL) as pool:
        for n, response in pool.map(send, range(PARALLEL * 2)):
            assert response.status_code == (200 if n % 2 else 400), response.text


def test_an_unreachable_store_is_a_503_problem(store, idp, tmp_path) -> None:
    dead_store = f"http://127.0.0.1:{free_port()}"
    with functions_framework_server(
        source_of("get-profile"), tmp_path / "dead-store.log", AWS_ENDPOINT_URL_DYNAMODB=dead_store
    ) as url:
        response = requests.get(
            url + "/profiel",
            headers={"Authorization": f"Bearer {idp.burger_token(random_test_bsn())}"},
            timeout=60,
        )
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Retry-After"]
    assert "Traceback" not in (tmp_path / "dead-store.log").read_text()


@pytest.mark.parametrize(
    "request_bytes",
    [
        pytest.param(
            b"GET /api/profiel/v1/profiel HTTP/1.1\r\nHost: x\r\nX-Opvulling: "
            + b"a" * 70 * 1024
            + b"\r\n\r\n",
            id="a-70-kb-header-line",
        ),
        pytest.param(
            b"GET /api/profiel/v1/profiel HTTP/1.1\r\nHost: x\r\n"
            + b"".join(b"X-Kop-%d: 1\r\n" % n for n in range(150))
            + b"\r\n",
            id="150-headers",
        ),
    ],
)
def test_what_gunicorn_refuses_itself_is_its_own_html_as_docs_api_md_says(
    get_server: str, request_bytes: bytes
) -> None:
    """gunicorn answers these before any of the service's code runs (gunicorn.util.write_error),
    and functions-framework starts it with settings of its own: the function cannot make them
    problems. docs/api.md ("Problems") tells clients what they get; this keeps that true."""
    status, headers, body = raw_http_exchange(get_server, request_bytes)
    assert status == 431
    assert headers["Content-Type"] == "text/html"
    assert "API-Version" not in headers
    assert b"Request Header Fields Too Large" in body
