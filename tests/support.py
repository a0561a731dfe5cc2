"""Helpers the tests share: test identities, an API client, and the personal-data log watch."""

from __future__ import annotations

import json
import logging
import random
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from stdnum.nl import bsn as stdnum_bsn
from werkzeug.wrappers import Request

# The external specifications the tests check against, vendored with provenance and licence
# (specs/SOURCES.md): nothing outside the repository is read.
SPECS = Path(__file__).resolve().parents[1] / "specs"

# Who the register stand-ins know (infra/local/registers/data): the BRP's test personas and
# KVK's test companies. A random test identity is never one of them: a test's partij must not
# turn out deceased, or be a company with branches of its own.
_REGISTERS = Path(__file__).resolve().parents[1] / "infra" / "local" / "registers" / "data"
BRP_TEST_BSNS = tuple(json.loads((_REGISTERS / "brp-personen.json").read_text())["personen"])
KVK_TEST_NUMMERS = tuple(
    json.loads((_REGISTERS / "kvk-basisprofielen.json").read_text())["ondernemingen"]
)
# KVK-nummers the KVK stand-in of the tests makes a company up for (``KvkStandIn.testreeks``):
# each test's own company, with two vestigingen (``vestigingsnummer_van_test``).
TEST_KVK_REEKS = "1"


def persona_values() -> set[str]:
    """What the personas' register answers say that identifies them: names and addresses, as
    the BRP writes them (``adressering``) and as they are stored (``naam``)."""
    from infra.local.registers.brp import BrpStandIn

    brp = BrpStandIn()
    values: set[str] = set()
    for start in range(0, len(BRP_TEST_BSNS), 20):
        query = {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": list(BRP_TEST_BSNS[start : start + 20]),
            "fields": ["adressering", "naam"],
        }
        for persoon in brp.answer(query)["personen"]:
            adressering, naam = persoon.get("adressering", {}), persoon.get("naam", {})
            values.update(
                adressering.get(key)
                for key in ("adresregel1", "adresregel2", "aanhef", "gebruikInLopendeTekst")
            )
            values.add((adressering.get("aanschrijfwijze") or {}).get("naam"))
            values.update((naam.get("volledigeNaam"), naam.get("geslachtsnaam")))
    # Short names ("Ven") would be found in any text; the longer ones are what identifies.
    return {value for value in values if value and len(value) >= 5}


class PersonalData:
    """What must never appear in a log: every identifier and contact value the tests used.

    Identifiers are registered as the tests create them (a random 9-digit number can't be told
    apart from a timestamp fragment); e-mail addresses and phone numbers are caught by pattern,
    whatever their origin.
    """

    _EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
    _PHONE = re.compile(r"\+31\d{9}|(?<![\d.])0[1-9]\d{8}(?!\d)|(?<![\d.])06[ -]\d{8}(?!\d)")

    def __init__(self) -> None:
        self.values: set[str] = set(BRP_TEST_BSNS) | set(KVK_TEST_NUMMERS) | persona_values()
        self.records: list[str] = []
        self.files: list[Path] = []

    def register(self, *values: str) -> None:
        self.values.update(v for v in values if v)

    def leaks(self, text: str) -> list[str]:
        found = [v for v in self.values if v in text]
        found += [m.group(0) for m in self._EMAIL.finditer(text)]
        found += [m.group(0) for m in self._PHONE.finditer(text)]
        return sorted(set(found))

    def all_leaks(self) -> dict[str, list[str]]:
        """Leaks per source: the captured application log records and every registered log file."""
        result = {}
        records = "\n".join(self.records)
        if leaked := self.leaks(records):
            result["application log records"] = leaked
        for path in self.files:
            if path.exists() and (leaked := self.leaks(path.read_text(errors="replace"))):
                result[str(path)] = leaked
        return result


PERSONAL_DATA = PersonalData()


class RecordCapture(logging.Handler):
    """Keeps every line the service's logger writes, formatted exactly as it is written."""

    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        PERSONAL_DATA.records.append(self.format(record))


_RANDOM = random.Random()
_ISSUED: set[str] = set()


def random_test_bsn() -> str:
    """A valid BSN from the 9999xxxxx range the BRP keeps for test persons, new in this run."""
    return _new(
        lambda: f"9999{_RANDOM.randrange(0, 100_000):05d}",
        lambda bsn: stdnum_bsn.is_valid(bsn) and bsn not in BRP_TEST_BSNS,
    )


def random_kvk_nummer() -> str:
    """A company of the test's own, which the KVK stand-in makes up (``TEST_KVK_REEKS``)."""
    return _new(lambda: f"{TEST_KVK_REEKS}{_RANDOM.randrange(0, 10**7):07d}", lambda _: True)


def random_eidas_identificator() -> str:
    """A person of another member state logging in through eIDAS, without a BSN."""
    return _new(lambda: f"DE/NL/{_RANDOM.getrandbits(64):016X}", lambda _: True)


def _new(candidate, valid) -> str:
    """A fresh identity: each test gets a profile nobody else in the run has touched."""
    while True:
        value = candidate()
        if value not in _ISSUED and valid(value):
            _ISSUED.add(value)
            PERSONAL_DATA.register(value)
            return value


@dataclass
class ApiClient:
    """A portal talking to the API over HTTP as one logged-in subject; remembers the last ETag."""

    base_url: str
    token: str
    etag: str | None = None
    session: requests.Session = field(default_factory=requests.Session)

    def request(
        self, method: str, path: str, json_body: Any = None, **headers: str
    ) -> requests.Response:
        sent = {
            "Authorization": f"Bearer {self.token}",
            **{k.replace("_", "-"): v for k, v in headers.items()},
        }
        response = self.session.request(
            method, self.base_url + path, json=json_body, headers=sent, timeout=30
        )
        if "ETag" in response.headers:
            self.etag = response.headers["ETag"]
        return response

    def read(self) -> requests.Response:
        return self.request("GET", "/profiel")

    def change(self, method: str, path: str, json_body: Any = None) -> requests.Response:
        """A change based on the last version read (reads first if none was)."""
        if self.etag is None:
            self.read()
        return self.request(method, path, json_body, If_Match=self.etag)


class EventSubscriber:
    """A webhook subscriber (WSGI): keeps each CloudEvent it receives, in order."""

    def __init__(self) -> None:
        self.url = ""
        self.received: list[dict[str, Any]] = []
        self.content_types: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Any) -> list[bytes]:
        request = Request(environ)
        with self._lock:
            self.received.append(json.loads(request.get_data()))
            self.content_types.append(request.mimetype)
        start_response("202 Accepted", [("Content-Length", "0")])
        return [b""]

    def events_about(self, partij: str) -> list[dict[str, Any]]:
        with self._lock:
            return [event for event in self.received if event.get("subject") == partij]


def raw_http_exchange(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """``request`` sent as is to the server of ``url``, which closes the connection after its
    answer (every refusal does); the status, the headers and the body it answers."""
    address = urlsplit(url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split(" ")[1]), headers, body


@contextmanager
def served(
    command: list[str], env: dict[str, str], log: Path, what: str, port: int
) -> Iterator[str]:
    """A server process of the tests on 127.0.0.1:``port``, its output in ``log`` (watched for
    personal data): its base URL once its health check answers; stopped afterwards. A clear
    error with the server's last log lines if it ended or did not come up in time."""
    PERSONAL_DATA.files.append(log)
    repository = Path(__file__).resolve().parents[1]
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command, cwd=repository, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/healthz", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{what} did not start: {log.read_text()[-2000:]}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for(condition: Callable[[], object], timeout: float = 30, every: float = 0.05) -> None:
    """Until ``condition()`` holds (what a stream or another process does in its own time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every)
