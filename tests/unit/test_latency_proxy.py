"""The bench's latency proxy (``bench.latency_proxy``): in front of an echo server on 127.0.0.1,
it passes bytes unchanged, adds its delay once per round trip, delays connections independently,
and stops cleanly."""

from __future__ import annotations

import os
import socket
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest

from bench.latency_proxy import LatencyProxy

DELAY = 0.020
# What a round trip may take beyond the delay: a busy machine (2 cores, other jobs) gets a margin.
SLACK = 0.015


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(65536):
            self.request.sendall(data)


class _EchoServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def echo() -> Iterator[tuple[str, int]]:
    server = _EchoServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(echo: tuple[str, int]) -> Iterator[LatencyProxy]:
    with LatencyProxy(f"{echo[0]}:{echo[1]}", DELAY) as started:
        yield started


def _connect(proxy: LatencyProxy) -> socket.socket:
    assert proxy.port is not None
    connection = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return connection


def _receive(connection: socket.socket, size: int) -> bytes:
    received = b""
    while len(received) < size:
        chunk = connection.recv(size - len(received))
        if not chunk:
            break
        received += chunk
    return received


def _round_trip(connection: socket.socket, message: bytes) -> float:
    started = time.perf_counter()
    connection.sendall(message)
    assert _receive(connection, len(message)) == message
    return time.perf_counter() - started


def test_bytes_pass_through_unchanged_both_ways_and_an_end_of_stream_too(
    proxy: LatencyProxy,
) -> None:
    payload = os.urandom(3 * 1024 * 1024)  # many chunks, every byte value
    with _connect(proxy) as connection:

        def send_all_then_end() -> None:
            connection.sendall(payload)
            connection.shutdown(socket.SHUT_WR)

        # Sent while the echo comes back: neither side's buffers need to hold it all.
        sender = threading.Thread(target=send_all_then_end)
        sender.start()
        echoed = _receive(connection, len(payload) + 1)  # + 1: then the echo server's close
        sender.join()
    assert echoed == payload


def test_a_round_trip_costs_the_delay_and_not_much_more(proxy: LatencyProxy) -> None:
    with _connect(proxy) as connection:
        times = [_round_trip(connection, f"request {n}".encode()) for n in range(8)]
    assert min(times) >= DELAY
    # The median: one round trip slowed by another job on the machine must not fail the test.
    assert sorted(times)[len(times) // 2] < DELAY + SLACK


def test_a_direct_round_trip_is_much_faster_than_through_the_proxy(
    echo: tuple[str, int],
) -> None:
    # The reference of the test above: without the proxy, the echo itself is well below the delay.
    with socket.create_connection(echo, timeout=5) as connection:
        times = [_round_trip(connection, b"direct") for _ in range(8)]
    assert sorted(times)[len(times) // 2] < DELAY / 4


def test_concurrent_connections_are_delayed_in_parallel_not_one_after_the_other(
    echo: tuple[str, int],
) -> None:
    delay = 0.100
    with LatencyProxy(f"{echo[0]}:{echo[1]}", delay) as slow:
        connections = [_connect(slow) for _ in range(4)]
        try:
            started = time.perf_counter()
            for number, connection in enumerate(connections):
                connection.sendall(f"connection {number}".encode())
            answers = [_receive(c, len(f"connection {n}")) for n, c in enumerate(connections)]
            elapsed = time.perf_counter() - started
        finally:
            for connection in connections:
                connection.close()
    assert answers == [f"connection {n}".encode() for n in range(4)]
    assert delay <= elapsed < 2 * delay  # one after the other: 4 x delay


def test_bytes_sent_while_earlier_ones_wait_are_not_delayed_twice(proxy: LatencyProxy) -> None:
    with _connect(proxy) as connection:
        started = time.perf_counter()
        for part in (b"first ", b"second ", b"third"):
            connection.sendall(part)
            time.sleep(DELAY / 4)
        echoed = _receive(connection, len(b"first second third"))
        elapsed = time.perf_counter() - started
    assert echoed == b"first second third"
    # The last part left DELAY / 2 after the first and arrived DELAY after that: in order, each
    # delayed once.
    assert DELAY * 1.5 <= elapsed < DELAY * 1.5 + DELAY / 4 + SLACK


def test_the_proxy_stops_cleanly_even_with_a_connection_open(echo: tuple[str, int]) -> None:
    proxy = LatencyProxy(f"http://{echo[0]}:{echo[1]}", DELAY).start()
    port = proxy.port
    assert proxy.endpoint == f"http://127.0.0.1:{port}"
    connection = _connect(proxy)
    _round_trip(connection, b"hello")
    started = time.perf_counter()
    proxy.stop()
    assert time.perf_counter() - started < 5
    assert proxy.returncode == 0
    assert connection.recv(16) == b""  # the open connection was closed, not left hanging
    connection.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5)
    proxy.stop()  # a second stop does nothing
    with pytest.raises(RuntimeError):
        _ = proxy.endpoint


def test_a_target_without_a_port_is_refused() -> None:
    with pytest.raises(ValueError):
        LatencyProxy("http://127.0.0.1", DELAY)
