"""The embedded DynamoDB-compatible store: moto in server mode, over real HTTP.

moto keeps its data in memory only. What survives what:
- a clean stop (Ctrl-C): every table goes to a snapshot, a JSON file in DynamoDB's own
  attribute-value format, loaded again at the next start;
- a crash (kill -9 of every process): the store's journal (``infra.local.store_server``) holds
  every write it acknowledged since the last snapshot; the next start replays it over that
  snapshot and writes a new snapshot, so the journal only ever holds one run's writes.

The snapshot names the journal whose writes it already holds, so a crash between writing the
snapshot and starting a new journal never applies a write twice.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from pynamodb.models import Model

from infra.local.store_server import JOURNAL_OPEN_PATH
from infra.local.workspace import write_private
from shared.store.tables import TABLES

# Dummy credentials: moto wants some, and real ones must never be sent to a local process.
LOCAL_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EmbeddedStore:
    """A moto server child process on 127.0.0.1; with ``journal``, one that journals its writes
    once :meth:`open_journal` is called."""

    def __init__(
        self, port: int | None = None, log_path: Path | None = None, journal: Path | None = None
    ) -> None:
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._log_path = log_path
        self._journal = journal
        self.journal_id: str | None = None  # the journal being written, once opened
        self._process: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout_seconds: float = 30) -> EmbeddedStore:
        log = self._log_path.open("ab") if self._log_path else subprocess.DEVNULL
        command = [sys.executable, "-m", "infra.local.store_server", "-p", str(self.port)]
        if self._journal is not None:
            command += ["--journal", str(self._journal)]
        self._process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **LOCAL_AWS_ENVIRONMENT},
            # Its own session: Ctrl-C in the terminal must reach the stack, which snapshots the
            # store before stopping it, and not the store directly.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        if self._log_path:
            log.close()  # the child has its own descriptor
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the embedded store exited at start (port {self.port} in use?)")
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the embedded store did not come up in time")

    def open_journal(self, journal_id: str) -> None:
        """Journal every write from now on, in a new journal named ``journal_id``."""
        request = urllib.request.Request(
            self.endpoint + JOURNAL_OPEN_PATH,
            data=json.dumps({"id": journal_id}).encode(),
            method="POST",
        )
        urllib.request.urlopen(request, timeout=10).close()
        self.journal_id = journal_id

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None


def _die_with_parent() -> None:
    """Linux: the store gets SIGTERM when the stack dies, however it dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def dynamodb_client(endpoint: str | None = None) -> Any:
    """A boto3 client for the configured store (``AWS_ENDPOINT_URL_DYNAMODB`` when no endpoint)."""
    return boto3.client("dynamodb", endpoint_url=endpoint)


def create_tables(tables: tuple[type[Model], ...] = TABLES) -> list[str]:
    """Create the tables that do not exist yet; the names of those created."""
    created = []
    for table in tables:
        if not table.exists():
            table.create_table(wait=True)
            created.append(table.Meta.table_name)
    return created


@dataclass(frozen=True)
class Snapshot:
    """What a snapshot file held: its items, and the journal whose writes they include."""

    items: int
    journal: str | None


def snapshot(
    client: Any,
    path: Path,
    tables: tuple[type[Model], ...] = TABLES,
    journal: str | None = None,
) -> int:
    """Write every item of every table to ``path``, naming the journal it includes; the number
    of items."""
    document: dict[str, list[dict]] = {}
    for table in tables:
        name = table.Meta.table_name
        items: list[dict] = []
        for page in client.get_paginator("scan").paginate(TableName=name, ConsistentRead=True):
            items.extend(page["Items"])
        document[name] = items
    write_private(path, json.dumps({"journal": journal, "tables": document}))
    return sum(len(items) for items in document.values())


def restore(client: Any, path: Path) -> Snapshot:
    """Load a snapshot written by :func:`snapshot` into existing tables."""
    if not path.exists():
        return Snapshot(0, None)
    document = json.loads(path.read_text())
    # A snapshot of before the journal was only its tables.
    tables = document.get("tables", document)
    count = 0
    for name, items in tables.items():
        for start in range(0, len(items), 25):
            requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            pending = {name: requests}
            while pending:
                pending = (
                    client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
                )
        count += len(items)
    return Snapshot(count, document.get("journal") if "tables" in document else None)


@dataclass(frozen=True)
class Journal:
    id: str | None
    entries: list[dict[str, Any]]


def read_journal(path: Path) -> Journal:
    """The writes of a journal, in order; a last line cut short by a crash was never
    acknowledged, and is left out."""
    if not path.exists():
        return Journal(None, [])
    lines = path.read_text(encoding="utf-8").splitlines()
    entries: list[dict[str, Any]] = []
    try:
        journal_id = json.loads(lines[0])["journal"] if lines else None
    except (ValueError, KeyError, TypeError):
        return Journal(None, [])
    for line in lines[1:]:
        try:
            entries.append(json.loads(line))
        except ValueError:
            break
    return Journal(journal_id, entries)


def replay(endpoint: str, journal: Journal) -> int:
    """Send every write of ``journal`` to the store again, in order; the number sent.

    Replayed on the snapshot the journal started from, each write has the outcome it had: a
    conditional write that was refused then is refused again.
    """
    for entry in journal.entries:
        request = urllib.request.Request(
            endpoint + "/",
            data=entry["body"].encode("utf-8"),
            headers=entry["headers"],
            method="POST",
        )
        try:
            urllib.request.urlopen(request, timeout=30).close()
        except urllib.error.HTTPError as refused:  # as it was when it was first sent
            refused.close()
    return len(journal.entries)
