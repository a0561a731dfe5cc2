"""The embedded DynamoDB-compatible store: moto in server mode, over real HTTP.

moto keeps its data in memory only, so the stack snapshots every table to a JSON file (DynamoDB's
own attribute-value format) when it stops and loads it again when it starts.
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
import urllib.request
from pathlib import Path
from typing import Any

import boto3
from pynamodb.models import Model

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
    """A moto server child process on 127.0.0.1."""

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._log_path = log_path
        self._process: subprocess.Popen | None = None

    def start(self, timeout_seconds: float = 30) -> EmbeddedStore:
        log = self._log_path.open("ab") if self._log_path else subprocess.DEVNULL
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
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


def snapshot(client: Any, path: Path, tables: tuple[type[Model], ...] = TABLES) -> int:
    """Write every item of every table to ``path``; the number of items."""
    document: dict[str, list[dict]] = {}
    for table in tables:
        name = table.Meta.table_name
        items: list[dict] = []
        for page in client.get_paginator("scan").paginate(TableName=name, ConsistentRead=True):
            items.extend(page["Items"])
        document[name] = items
    write_private(path, json.dumps(document))
    return sum(len(items) for items in document.values())


def restore(client: Any, path: Path) -> int:
    """Load a snapshot written by :func:`snapshot` into existing tables; the number of items."""
    if not path.exists():
        return 0
    document = json.loads(path.read_text())
    count = 0
    for name, items in document.items():
        for start in range(0, len(items), 25):
            requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            pending = {name: requests}
            while pending:
                pending = (
                    client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
                )
        count += len(items)
    return count
