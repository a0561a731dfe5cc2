"""Concurrent requests to every function hosted in one process never see each other's request.

1,000 mixed requests - profile reads, 100 preference changes, 200 organisations' lookups, history
reads and the OpenAPI document - from 16 threads, each request with its own ``traceparent`` and
body, through the local gateway and through one functions-framework (gunicorn, threads) process
that hosts every function. Every answer must be its own request's, and every LDV record of a lookup
and every audit record of a change must carry its own request's trace: 0 mismatches.
"""

from __future__ import annotations

import random
import secrets
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from shared.identity.access import partij_key
from shared.identity.subject import subject_for
from shared.store.audit import AuditTrail
from shared.store.tables import VerwerkingItem
from tests.integration.test_knative_server import functions_framework_server
from tests.integration.test_lookup import GEMEENTE, verified_burger

REQUESTS = 1000
# The mix, per ten requests: 0 a profile read, 1 a preference change (it also runs the stream
# and process-log), 2 a lookup (it also writes the LDV), 3 the history, 4 the OpenAPI document.
KINDS = (0, 1, 2, 0, 3, 4, 2, 0, 3, 4)
THREADS = 16
BURGERS = 6
TALEN = ("nl", "en", "de", "fr", "fy")
ALL_FUNCTIONS = Path(__file__).parent / "servers" / "all_functions.py"


@dataclass
class Burger:
    bsn: str
    email: str
    token: str
    etag: str
    taal: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def partij(self) -> str:
        return partij_key(subject_for(self.bsn))


@dataclass
class Outcome:
    mismatches: list[str] = field(default_factory=list)
    lookups: list[tuple[str, Burger]] = field(default_factory=list)  # trace id, looked up
    changes: list[tuple[str, Burger, int]] = field(default_factory=list)  # trace id, who, version
    lock: threading.Lock = field(default_factory=threading.Lock)

    def mismatch(self, what: str) -> None:
        with self.lock:
            self.mismatches.append(what)


@pytest.fixture(scope="module")
def burgers(api_url: str, idp: DevIdentityProvider, notify_server) -> list[Burger]:
    notify: NotifyStandIn = notify_server.app
    made = []
    for _ in range(BURGERS):
        bsn, client, details = verified_burger(api_url, idp, notify)
        made.append(Burger(bsn, details["email"], client.token, client.read().headers["ETag"]))
    return made


@pytest.fixture(scope="module")
def all_functions_server(store, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("ff") / "all-functions.log"
    # Four threads, as the Knative Services run (containerConcurrency 4, THREADS=4).
    with functions_framework_server(ALL_FUNCTIONS, log, THREADS="4") as url:
        yield url


def fire(base_url: str, burgers: list[Burger], organisation_token: str) -> Outcome:
    outcome = Outcome()
    local = threading.local()

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return local.session

    def one(n: int) -> None:
        rng = random.Random(n)
        burger = rng.choice(burgers)
        trace_id = secrets.token_hex(16)
        headers = {
            "Authorization": f"Bearer {burger.token}",
            "traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01",
        }
        kind = KINDS[n % len(KINDS)]
        if kind == 0:
            response = session().get(base_url + "/profiel", headers=headers, timeout=60)
            adressen = [c["adres"] for c in response.json().get("contactgegevens", [])]
            if response.status_code != 200 or burger.email not in adressen:
                outcome.mismatch(f"GET /profiel {response.status_code}: not the asker's profile")
        elif kind == 1:
            with burger.lock:  # one change at a time per profile: each If-Match is current
                # Another language than now: every change stores a version of its own.
                taal = rng.choice([t for t in TALEN if t != burger.taal])
                headers["If-Match"] = burger.etag
                response = session().patch(
                    base_url + "/profiel/voorkeuren",
                    json={"taal": taal},
                    headers=headers,
                    timeout=60,
                )
                if response.status_code == 200:
                    burger.etag, burger.taal = response.headers["ETag"], taal
                    version = int(burger.etag.strip('"'))
            if response.status_code != 200 or response.json()["voorkeuren"]["taal"] != taal:
                outcome.mismatch(f"PATCH {response.status_code}: not the request's change")
            else:
                with outcome.lock:
                    outcome.changes.append((trace_id, burger, version))
        elif kind == 2:
            headers["Authorization"] = f"Bearer {organisation_token}"
            body = {"doel": "notificatie", "betrokkenen": [{"bsn": burger.bsn}]}
            response = session().post(
                base_url + "/opvragingen", json=body, headers=headers, timeout=60
            )
            answer = response.json()
            if response.status_code != 200 or answer["resultaten"][0]["gegevens"]["email"] != (
                burger.email
            ):
                outcome.mismatch(f"POST /opvragingen {response.status_code}: another's answer")
            elif response.headers["traceparent"].split("-")[1] != trace_id:
                outcome.mismatch("POST /opvragingen: another request's trace")
            else:
                with outcome.lock:
                    outcome.lookups.append((trace_id, burger))
        elif kind == 3:
            response = session().get(base_url + "/profiel/historie", headers=headers, timeout=60)
            if response.status_code != 200:
                outcome.mismatch(f"GET /profiel/historie {response.status_code}")
        else:
            response = session().get(base_url + "/openapi.json", timeout=60)
            if response.status_code != 200 or "openapi" not in response.json():
                outcome.mismatch(f"GET /openapi.json {response.status_code}")

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(one, range(REQUESTS)))
    return outcome


def check_records(outcome: Outcome, pump) -> None:
    """Every lookup's LDV record and every change's audit record carry that request's trace."""
    looked_up = {burger.partij for _, burger in outcome.lookups}
    traces = {  # per data subject: the trace of each lookup record
        partij: Counter(
            r.trace_id for r in VerwerkingItem.query(partij, consistent_read=True) if r.oin
        )
        for partij in looked_up
    }
    for trace_id, burger in outcome.lookups:
        if traces[burger.partij][trace_id] != 1:
            outcome.mismatch("lookup: not exactly one LDV record in its trace for its subject")
    assert pump.wait_until_idle(60)
    trail = AuditTrail()
    changed = {burger.partij for _, burger, _ in outcome.changes}
    by_partij = {partij: {r.versie: r for r in trail.of(partij)} for partij in changed}
    for trace_id, burger, version in outcome.changes:
        record = by_partij[burger.partij].get(version)
        if record is None or record.trace_id != trace_id:
            outcome.mismatch(f"change to version {version}: audit record not in its trace")


@pytest.mark.parametrize("server", ["gateway", "functions-framework"])
def test_a_thousand_concurrent_mixed_requests_each_get_their_own_answer_and_trace(
    server: str,
    request: pytest.FixtureRequest,
    api_url: str,
    burgers: list[Burger],
    idp: DevIdentityProvider,
    pump,
) -> None:
    base_url = api_url if server == "gateway" else request.getfixturevalue("all_functions_server")
    outcome = fire(base_url, burgers, idp.organisation_token(GEMEENTE))
    check_records(outcome, pump)
    print(
        f"\n{server}: {REQUESTS} requests, {len(outcome.lookups)} lookups and "
        f"{len(outcome.changes)} changes checked in the LDV and the audit trail, "
        f"{len(outcome.mismatches)} mismatches"
    )
    assert outcome.mismatches == []
    assert len(outcome.lookups) == REQUESTS * KINDS.count(2) // len(KINDS)
    assert len(outcome.changes) == REQUESTS * KINDS.count(1) // len(KINDS)
