"""`make run` stopped by Ctrl-C and killed with kill -9: nothing acknowledged is lost, and every
change has exactly one audit record and one change event, across stream generations.

A restarted store starts a new stream whose sequence numbers begin again; the audit trail and the
change events are keyed on the change (partij and version), so neither a restart nor the replay of
the journal after a crash can drop or double one."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from infra.local.serving import serve
from infra.local.store import free_port
from shared.identity.pseudonym import pseudonym
from shared.identity.subject import subject_for
from shared.models.partij import oidc_id_type
from tests.running_stack import PROFIEL, REPOSITORY, RunningStack, start, stop, store_client
from tests.support import EventSubscriber, random_test_bsn, wait_for

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def subscriber() -> Iterator[EventSubscriber]:
    receiver = EventSubscriber()
    server = serve(receiver, "127.0.0.1", free_port())
    receiver.url = f"http://127.0.0.1:{server.server_port}/events"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield receiver
    server.shutdown()
    server.server_close()


def start_with_events(
    workspace: Path, name: str, subscriber: EventSubscriber, new_session: bool = False
) -> RunningStack:
    webhooks = {"PROFIEL_EVENT_WEBHOOKS": json.dumps([subscriber.url])}
    return start(workspace, name, webhooks, new_session=new_session)


def profiel(stack: RunningStack, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PROFIEL), *arguments],
        cwd=REPOSITORY,
        env=stack.environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


class Burger:
    """A burger at the portal of a running stack, changing their preferences."""

    def __init__(self, stack: RunningStack, bsn: str) -> None:
        self.bsn = bsn
        self.api = f"http://127.0.0.1:{stack.port}/api/profiel/v1"
        token = profiel(stack, "token", "--bsn", bsn).stdout.strip()
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.acknowledged = 0  # the last version the service said it stored

    def version(self) -> int:
        response = self.session.get(self.api + "/profiel", timeout=10)
        assert response.status_code == 200, response.text
        return int(response.headers["ETag"].strip('"'))

    def change(self, n: int) -> requests.Response:
        response = self.session.patch(
            self.api + "/profiel/voorkeuren",
            json={"taal": ["nl", "en", "de", "fr"][n % 4], "kanalen": {"sms": n % 2 == 0}},
            headers={"If-Match": f'"{self.acknowledged}"'},
            timeout=10,
        )
        if response.status_code == 200:
            self.acknowledged = int(response.headers["ETag"].strip('"'))
        return response


def partij_of(workspace: Path, bsn: str) -> str:
    key = (workspace / "secrets" / "pseudonym.key").read_text().strip().encode()
    subject = subject_for(bsn)
    return pseudonym(oidc_id_type(subject.soort), subject.identifier, key)


def audit_versions(workspace: Path, partij: str) -> list[int]:
    items = store_client(workspace).query(
        TableName="audit",
        KeyConditionExpression="partij = :p",
        ExpressionAttributeValues={":p": {"S": partij}},
        ConsistentRead=True,
    )["Items"]
    return sorted(int(item["versie_na"]["N"]) for item in items)


def test_a_restart_neither_drops_nor_doubles_an_audit_record_or_an_event(
    tmp_path: Path, subscriber: EventSubscriber
) -> None:
    n_before, m_after = 5, 4
    first = start_with_events(tmp_path, "first", subscriber)
    bsn = random_test_bsn()
    partij = partij_of(tmp_path, bsn)
    burger = Burger(first, bsn)
    for n in range(n_before):
        assert burger.change(n).status_code == 200
    wait_for(lambda: len(audit_versions(tmp_path, partij)) == n_before)
    wait_for(lambda: len(subscriber.events_about(partij)) == n_before)
    ids_before = {e["id"] for e in subscriber.events_about(partij)}
    assert stop(first) == 0

    second = start_with_events(tmp_path, "second", subscriber)
    try:
        burger = Burger(second, bsn)
        burger.acknowledged = burger.version()
        assert burger.acknowledged == n_before
        for n in range(n_before, n_before + m_after):  # each differs from the one before
            assert burger.change(n).status_code == 200
        wait_for(lambda: len(audit_versions(tmp_path, partij)) >= n_before + m_after)
        wait_for(lambda: len(subscriber.events_about(partij)) >= n_before + m_after)
        time.sleep(0.5)  # a record or event too many would arrive now
        assert audit_versions(tmp_path, partij) == list(range(1, n_before + m_after + 1))
        ids = [e["id"] for e in subscriber.events_about(partij)]
        assert len(ids) == n_before + m_after
        new_ids = set(ids) - ids_before
        assert len(new_ids) == m_after  # M new ids, none reused from before the restart

        verified = profiel(second, "audit", "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr

        # Someone removes the record of version 3: the chain no longer accounts for every change.
        store_client(tmp_path).delete_item(
            TableName="audit",
            Key={"partij": {"S": partij}, "volgnummer": {"S": "3".zfill(20)}},
        )
        incomplete = profiel(second, "audit", "verify", "--bsn", bsn)
        assert incomplete.returncode == 1
        assert "no record of version 3" in incomplete.stdout, incomplete.stdout
        assert bsn not in incomplete.stdout
    finally:
        assert stop(second) == 0


def _kill_everything(stack: RunningStack) -> None:
    """kill -9 of the stack's process group and of the store it started in a session of its own."""
    store_port = json.loads((stack.workspace / "stack.json").read_text())["store_endpoint"]
    store_port = store_port.rsplit(":", 1)[1]
    found = subprocess.run(
        ["pgrep", "-f", f"infra.local.store_server -p {store_port}"],
        capture_output=True,
        text=True,
    )
    os.killpg(stack.process.pid, signal.SIGKILL)
    for pid in found.stdout.split():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except ProcessLookupError:
            pass
    stack.process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while subprocess.run(["pgrep", "-f", f"store_server -p {store_port}"]).returncode == 0:
        assert time.monotonic() < deadline, "the store outlived kill -9"
        time.sleep(0.1)


def test_kill_9_mid_burst_loses_no_acknowledged_write_and_audits_every_change(
    tmp_path: Path, subscriber: EventSubscriber
) -> None:
    crashed = start_with_events(tmp_path, "crashed", subscriber, new_session=True)
    burgers = [Burger(crashed, random_test_bsn()) for _ in range(4)]
    stop_writing = threading.Event()
    errors: list[BaseException] = []

    def write(burger: Burger, seed: int) -> None:
        rng = random.Random(seed)
        n = 0
        while not stop_writing.is_set():
            try:
                burger.change(n)
            except requests.RequestException:
                return  # the stack is gone: this write was never acknowledged
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
                return
            n += 1
            time.sleep(rng.uniform(0, 0.01))

    writers = [
        threading.Thread(target=write, args=(b, i), daemon=True) for i, b in enumerate(burgers)
    ]
    for writer in writers:
        writer.start()
    wait_for(lambda: sum(b.acknowledged for b in burgers) >= 40, timeout=60)
    _kill_everything(crashed)  # mid-burst: the writers are still sending
    stop_writing.set()
    for writer in writers:
        writer.join(timeout=30)
    assert errors == []
    acknowledged = {b.bsn: b.acknowledged for b in burgers}
    assert all(v > 0 for v in acknowledged.values()), acknowledged

    recovered = start_with_events(tmp_path, "recovered", subscriber)
    try:
        assert "Recovered" in recovered.printed
        for bsn, version in acknowledged.items():
            burger = Burger(recovered, bsn)
            # Every write that got a 2xx is there; one in flight at the kill may be too.
            assert burger.version() in (version, version + 1), (bsn, version)
            partij = partij_of(tmp_path, bsn)
            current = burger.version()
            wait_for(lambda p=partij, c=current: len(audit_versions(tmp_path, p)) >= c)
            assert audit_versions(tmp_path, partij) == list(range(1, current + 1))
        verified = profiel(recovered, "audit", "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        # Recovered once: the next start replays nothing again.
    finally:
        assert stop(recovered) == 0
    again = start_with_events(tmp_path, "again", subscriber)
    try:
        assert "Recovered" not in again.printed
        for bsn, version in acknowledged.items():
            assert Burger(again, bsn).version() >= version
    finally:
        assert stop(again) == 0


def test_a_restart_right_after_a_stop_gets_its_port_back(tmp_path: Path) -> None:
    first = start(tmp_path, "first")
    # Connections the server closed itself linger in TIME_WAIT on its side.
    for _ in range(5):
        requests.get(f"http://127.0.0.1:{first.port}/healthz", timeout=10)
    assert stop(first) == 0
    second = start(tmp_path, "second", port=first.port, notify_port=first.notify_port)
    assert stop(second) == 0
