"""One function in its own Python process, as one Lambda instance: imported once, then warm.

The bench calls most handlers in its own process, where the store's client, the registers'
stand-ins and the bench's own bookkeeping share one interpreter (and one GIL) with the function.
A :class:`FunctionProcess` is a fresh interpreter with the function's deployed environment
(:func:`bench.stack.child_environment`) that imports the handler module and then serves events,
one at a time, over its stdin and stdout: one JSON line per event in, one JSON line per answer out,
with the handler's response, the call's wall time and the process's CPU time for it (the whole
process's, ``time.process_time``: the function may work in several threads).

The answers travel on a copy of the child's original stdout; its file descriptor 1 is pointed at
its stderr before the handler is imported, so nothing the function or a library prints can end up
in the protocol. The child's stderr (the service's JSON log, a traceback) goes to a file, whose
tail a :class:`RuntimeError` carries when the child fails.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any, Self

from bench.stack import child_environment

# The child. A line {"event": ...} is a handler call, {"usage": true} asks for the process's
# totals. An exception in the handler is answered, not fatal: Lambda would report it and keep the
# instance.
CHILD = r"""
import importlib, json, os, re, sys, time, traceback

answers = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)
handler = importlib.import_module(sys.argv[1]).lambda_handler
answers.write(json.dumps({"ready": True}) + "\n")
for line in sys.stdin.buffer:
    request = json.loads(line)
    if request.get("usage"):
        with open("/proc/self/status") as status:
            peak_kb = int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1))
        answer = {"cpu": time.process_time(), "peak_kb": peak_kb}
    else:
        cpu_started = time.process_time()
        started = time.perf_counter()
        try:
            response = handler(request["event"], None)
        except Exception:
            answer = {"error": traceback.format_exc()}
        else:
            wall = time.perf_counter() - started
            answer = {"response": response, "wall": wall, "cpu": time.process_time() - cpu_started}
    answers.write(json.dumps(answer, default=str) + "\n")
"""

_ERROR_TAIL_CHARS = 3000
_PROBLEM = re.compile(r'"level":\s*"(WARNING|ERROR|CRITICAL)"')  # as BenchStack counts them
_PROJECT_ROOT = Path(__file__).resolve().parents[1]


class FunctionProcess:
    """The function ``name`` (see :mod:`functions.registry`) served by a child interpreter.

    ``environment``: the function's own variables (``BenchStack.environment``, with overrides
    such as ``AWS_ENDPOINT_URL_DYNAMODB`` for another store endpoint). ``log_folder``: where the
    child's stderr goes (the bench's temporary folder); a temporary file when not given.
    """

    def __init__(
        self, name: str, environment: dict[str, str], log_folder: Path | None = None
    ) -> None:
        from functions.registry import function

        self.name = name
        self.module = function(name).handler_module
        self.environment = child_environment(environment)
        self._log_folder = log_folder
        self.stderr_path: Path | None = None
        self._stderr: IO[bytes] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> FunctionProcess:
        if self._process is not None:
            raise RuntimeError(f"{self.name}: already started")
        if self._log_folder is None:
            self._stderr = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by stop()
                prefix=f"{self.name}-", suffix=".stderr", delete=False
            )
            self.stderr_path = Path(self._stderr.name)
        else:
            self._stderr, self.stderr_path = self._numbered_log()
        self._process = subprocess.Popen(
            [sys.executable, "-c", CHILD, self.module],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=self.environment,
            cwd=_PROJECT_ROOT,  # the child imports the functions from this checkout
        )
        self._exchange(None, "import")
        return self

    def call(self, event: dict[str, Any]) -> tuple[dict[str, Any], float, float]:
        """The handler's response to ``event``, the call's wall seconds and its CPU seconds."""
        answer = self._exchange({"event": event}, "a call")
        if "error" in answer:
            raise RuntimeError(f"{self.name} raised:\n{answer['error'][-_ERROR_TAIL_CHARS:]}")
        return answer["response"], answer["wall"], answer["cpu"]

    def usage(self) -> tuple[float, float]:
        """The process's CPU seconds since it started (the import included) and its peak
        resident memory in MB (``VmHWM``: see :mod:`bench.cold_start` for why not
        ``ru_maxrss``)."""
        answer = self._exchange({"usage": True}, "usage")
        return answer["cpu"], answer["peak_kb"] / 1024

    def log_problems(self) -> list[str]:
        """The warning and error lines of the service's log in the child's stderr so far."""
        if self._stderr is not None:
            self._stderr.flush()
        if self.stderr_path is None or not self.stderr_path.exists():
            return []
        lines = self.stderr_path.read_text(errors="replace").splitlines()
        return [line for line in lines if _PROBLEM.search(line)]

    def stop(self) -> None:
        """End the child: its stdin closed, it leaves its loop; killed if it does not."""
        with self._lock:
            process, self._process = self._process, None
            if process is not None:
                if process.stdin:
                    process.stdin.close()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                if process.stdout:
                    process.stdout.close()
            if self._stderr is not None:
                self._stderr.close()
                self._stderr = None

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _numbered_log(self) -> tuple[IO[bytes], Path]:
        """A new stderr file in the log folder: several processes of one function may run."""
        assert self._log_folder is not None
        self._log_folder.mkdir(parents=True, exist_ok=True)
        number = 1
        while True:
            path = self._log_folder / f"{self.name}-{number}.stderr"
            try:
                return path.open("xb"), path
            except FileExistsError:
                number += 1

    def _exchange(self, request: dict[str, Any] | None, what: str) -> dict[str, Any]:
        """Send one request line (none: just read, the ready line) and read its answer."""
        with self._lock:
            process = self._process
            if process is None or process.stdin is None or process.stdout is None:
                raise RuntimeError(f"{self.name}: not started")
            try:
                if request is not None:
                    process.stdin.write(json.dumps(request).encode() + b"\n")
                    process.stdin.flush()
                line = process.stdout.readline()
            except BrokenPipeError:
                line = b""
            if not line:
                try:
                    status = process.wait(timeout=10)
                except subprocess.TimeoutExpired:  # it closed its answers yet lives on
                    process.kill()
                    status = process.wait()
                raise RuntimeError(
                    f"{self.name} (pid {process.pid}) ended during {what} "
                    f"(exit status {status}):\n{self._stderr_tail()}"
                )
            return json.loads(line)

    def _stderr_tail(self) -> str:
        if self._stderr is not None:
            self._stderr.flush()
        if self.stderr_path is None or not self.stderr_path.exists():
            return ""
        return self.stderr_path.read_text(errors="replace")[-_ERROR_TAIL_CHARS:]
