"""A TCP proxy on 127.0.0.1 that adds a fixed network latency in front of the store.

moto answers on the loopback interface within a fraction of a millisecond of network time, where
DynamoDB is a round trip of a few milliseconds away: what a function gains from batching and from
concurrent requests only shows with that latency. The proxy holds every byte going from a client
to the store for ``delay`` seconds after it arrived and forwards it then, in order; what the store
sends back passes at once. Each request and response round trip thus costs ``delay`` more, and
requests on separate connections are delayed independently, each in its own time, as network
latency would delay them.

The proxy runs in its own process (asyncio streams), so that forwarding never competes for the
GIL of the process being measured::

    python -m bench.latency_proxy --target 127.0.0.1:4566 --delay-ms 5

prints the port it listens on and serves until its stdin closes (the parent's end of a pipe, so
it also ends with the parent), or until SIGTERM or SIGINT. :class:`LatencyProxy` starts and
stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO, Self
from urllib.parse import urlsplit

HOST = "127.0.0.1"
_CHUNK = 64 * 1024
_PROJECT_ROOT = Path(__file__).resolve().parents[1]


class LatencyProxy:
    """The proxy process in front of ``target`` (``host:port`` or a URL such as the store's
    endpoint), delaying client-to-target bytes by ``delay`` seconds. ``log_path``: where its
    stderr goes (the bench's temporary folder); inherited when not given."""

    def __init__(self, target: str, delay: float, log_path: Path | None = None) -> None:
        self.target_host, self.target_port = _host_and_port(target)
        self.delay = delay
        self.port: int | None = None
        self.returncode: int | None = None
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        """The proxy's URL, to use instead of the target's."""
        if self.port is None:
            raise RuntimeError("the latency proxy is not running")
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> LatencyProxy:
        if self._process is not None:
            raise RuntimeError("the latency proxy is running already")
        command = [
            sys.executable,
            "-m",
            "bench.latency_proxy",
            "--target",
            f"{self.target_host}:{self.target_port}",
            "--delay-ms",
            repr(self.delay * 1000),
        ]
        log: IO[bytes] | None = self._log_path.open("ab") if self._log_path else None
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=_PROJECT_ROOT,  # bench is not an installed package
            )
        finally:
            if log is not None:
                log.close()  # the child has its own descriptor
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError(
                f"the latency proxy did not start (exit status {self.returncode})"
                + (f"; see {self._log_path}" if self._log_path else "")
            )
        self.port = int(line)
        return self

    def stop(self, timeout_seconds: float = 10) -> None:
        """Close its stdin and wait for it to end (killed if it does not)."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=timeout_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
        self.returncode = process.returncode
        self.port = None

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _host_and_port(target: str) -> tuple[str, int]:
    parts = urlsplit(target if "://" in target else f"//{target}")
    if parts.hostname is None or parts.port is None:
        raise ValueError(f"not host:port or a URL with a port: {target!r}")
    return parts.hostname, parts.port


# -- the proxy process -------------------------------------------------------------------------


class _Proxy:
    def __init__(self, target_host: str, target_port: int, delay: float) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.delay = delay
        self._connections: set[asyncio.Task[None]] = set()

    async def serve(self, announce: IO[str]) -> None:
        """Listen on a free port, print it to ``announce``, serve until told to stop."""
        loop = asyncio.get_running_loop()
        stopping = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping.set)
        server = await asyncio.start_server(self._connection, HOST, 0)
        announce.write(f"{server.sockets[0].getsockname()[1]}\n")
        announce.flush()

        stdin = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
        stdin_closed = asyncio.create_task(stdin.read())
        told_to_stop = asyncio.create_task(stopping.wait())
        await asyncio.wait({stdin_closed, told_to_stop}, return_when=asyncio.FIRST_COMPLETED)
        stdin_closed.cancel()
        told_to_stop.cancel()

        server.close()
        for connection in list(self._connections):
            connection.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await server.wait_closed()

    async def _connection(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        store_writer: asyncio.StreamWriter | None = None
        try:
            store_reader, store_writer = await asyncio.open_connection(
                self.target_host, self.target_port
            )
            async with asyncio.TaskGroup() as both_ways:
                both_ways.create_task(self._delayed(client_reader, store_writer))
                both_ways.create_task(_forward(store_reader, client_writer))
        except* OSError:
            pass  # either side went away: the other is closed below, as a network would
        finally:
            self._connections.discard(task)
            for writer in (client_writer, store_writer):
                if writer is not None:
                    writer.close()

    async def _delayed(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Forward what arrives, each chunk ``delay`` after its arrival: receiving goes on while
        earlier chunks wait, so the delay is not added once per chunk."""
        loop = asyncio.get_running_loop()
        held: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def receive() -> None:
            while True:
                data = await reader.read(_CHUNK)
                held.put_nowait((loop.time() + self.delay, data))
                if not data:
                    return

        async def send() -> None:
            while True:
                due, data = await held.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()

        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(receive())
            tasks.create_task(send())


async def _forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(_CHUNK):
        writer.write(data)
        await writer.drain()
    if writer.can_write_eof():
        with contextlib.suppress(OSError):
            writer.write_eof()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.latency_proxy", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--target", required=True, help="host:port of the store")
    parser.add_argument("--delay-ms", type=float, required=True, help="added to every request")
    arguments = parser.parse_args(argv)
    if arguments.delay_ms < 0:
        parser.error("--delay-ms cannot be negative")
    host, port = _host_and_port(arguments.target)
    asyncio.run(_Proxy(host, port, arguments.delay_ms / 1000).serve(sys.stdout))


if __name__ == "__main__":
    main()
