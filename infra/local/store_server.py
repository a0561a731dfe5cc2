"""The embedded store's own process: moto's DynamoDB over HTTP, with a journal of every write.

moto keeps its data in memory. So that a crash of ``make run`` - kill -9 of every process of it -
loses no write the store acknowledged, each successful write request is appended to a journal
file before its answer leaves: the write and its line happen under one lock, so the journal holds
the writes in the order moto applied them, and replaying it on the same starting state repeats
each conditional write's outcome. Reads are not journaled. A line is flushed to the operating
system before the answer is sent, which is what survives the death of the processes; a power
loss may still take the writes of the last moments (no fsync per write).

The journal is off until the stack opens it (``POST /_journal/open``), after it has restored the
snapshot and replayed the previous journal: those writes are in the snapshot it writes next.

Run as ``python -m infra.local.store_server -p PORT [--journal PATH]``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from werkzeug.serving import make_server

JOURNAL_OPEN_PATH = "/_journal/open"

# Operations that change nothing: everything else that reaches DynamoDB is journaled, so an
# operation added later is kept rather than lost.
_READS = frozenset(
    {
        "BatchGetItem",
        "DescribeContinuousBackups",
        "DescribeEndpoints",
        "DescribeLimits",
        "DescribeStream",
        "DescribeTable",
        "DescribeTimeToLive",
        "GetItem",
        "GetRecords",
        "GetShardIterator",
        "ListStreams",
        "ListTables",
        "ListTagsOfResource",
        "Query",
        "Scan",
        "TransactGetItems",
    }
)
# The request headers a replay needs: the operation, the media type, and the credential scope
# by which moto picks the service (no secret: the local dummy key and a signature moto ignores).
JOURNALED_HEADERS = ("X-Amz-Target", "Content-Type", "Authorization")

StartResponse = Callable[..., Any]


def is_write(target: str) -> bool:
    """Whether a request with this ``X-Amz-Target`` may change the store."""
    service, _, operation = target.rpartition(".")
    return service.startswith("DynamoDB_") and operation not in _READS


class JournalingApp:
    """WSGI middleware around moto's app: journals each write that moto answered 200."""

    def __init__(self, app: Callable[[dict, StartResponse], Iterable[bytes]], path: Path | None):
        self._app = app
        self._path = path
        self._file: IO[str] | None = None
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == JOURNAL_OPEN_PATH and environ["REQUEST_METHOD"] == "POST":
            return self._open(_body(environ), start_response)
        if self._file is None or not is_write(environ.get("HTTP_X_AMZ_TARGET", "")):
            return self._app(environ, start_response)
        body = _body(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        with self._lock:
            status, headers, chunks = _call(self._app, environ)
            if status.startswith("200"):
                entry = {
                    "headers": {
                        name: environ[_environ_key(name)]
                        for name in JOURNALED_HEADERS
                        if _environ_key(name) in environ
                    },
                    "body": body.decode("utf-8"),
                }
                self._file.write(json.dumps(entry, separators=(",", ":")) + "\n")
                self._file.flush()
        start_response(status, headers)
        return chunks

    def _open(self, body: bytes, start_response: StartResponse) -> Iterable[bytes]:
        """Start a new journal (named by the stack), replacing the one it has replayed."""
        if self._path is None:
            start_response("409 Conflict", [("Content-Type", "text/plain")])
            return [b"no journal path configured"]
        journal_id = str(json.loads(body or b"{}").get("id") or "")
        with self._lock:
            if self._file is not None:
                self._file.close()
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self._path.open("w", encoding="utf-8")
            self._file.write(json.dumps({"journal": journal_id}) + "\n")
            self._file.flush()
        start_response("204 No Content", [])
        return []


def _call(app: Callable, environ: dict) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        captured["status"], captured["headers"] = status, headers

    result = app(environ, start_response)
    try:
        chunks = list(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return captured["status"], captured["headers"], chunks


def _body(environ: dict) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _environ_key(header: str) -> str:
    return (
        "HTTP_" + header.upper().replace("-", "_") if header != "Content-Type" else "CONTENT_TYPE"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("--journal", type=Path, default=None)
    arguments = parser.parse_args(argv)

    # moto builds some answers' URLs from it, as its own server does.
    os.environ.setdefault("MOTO_PORT", str(arguments.port))
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )

    app = JournalingApp(DomainDispatcherApplication(create_backend_app), arguments.journal)
    server = make_server(
        arguments.host, arguments.port, app, threaded=True, request_handler=MotoRequestHandler
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
