"""The local HTTP server (infra/local/serving.py) of `make run`: the gateway and the NotifyNL
stand-in. What it refuses itself is tested with hostile input (tests/adversarial)."""

from __future__ import annotations

import socket
import threading

import pytest
from werkzeug.wrappers import Request, Response

from infra.local.serving import serve
from infra.local.store import free_port

HOST = "127.0.0.1"


@Request.application
def _hello(_request: Request) -> Response:
    return Response("hallo")


def _served(port: int) -> None:
    """A server on ``port`` that answers one request on a connection it closes, then stops."""
    server = serve(_hello, HOST, port)
    assert server.socket.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection((HOST, port), timeout=10) as connection:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            # Read until the server closes: its end of the connection is the one in TIME_WAIT.
            received = b""
            while chunk := connection.recv(4096):
                received += chunk
        assert received.startswith(b"HTTP/1.1 200")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_port_is_served_again_right_after_a_stop() -> None:
    port = free_port()
    _served(port)
    # The connection just closed holds the port in TIME_WAIT: a plain bind is refused...
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as plain, pytest.raises(OSError):
        plain.bind((HOST, port))
    # ...and `make run` started again right away listens all the same (SO_REUSEADDR).
    _served(port)


def test_a_failing_gateway_answers_a_problem_not_werkzeugs_html() -> None:
    from werkzeug.test import Client

    from infra.local.gateway import Gateway

    def broken(_event: dict, _context: object) -> dict:
        raise RuntimeError("jan@example.nl")  # a message that must reach neither answer nor log

    response = Client(Gateway({"get-profile": broken})).get("/api/profiel/v1/profiel")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["API-Version"]
    assert response.get_json()["title"] == "Serverfout"
    assert "jan@example.nl" not in response.get_data(as_text=True)
