"""The bench's function process (``bench.function_process``): a handler in its own interpreter
answers events over a pipe that nothing the handler prints can disturb, reports its own wall and
CPU time, and its failures carry their traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.function_process import FunctionProcess

# A stand-in for a function's handler module: noisy on stdout, at import and in every call, by
# print and straight on file descriptor 1; busy in a second thread; able to fail and to crash.
HANDLER = """
import os, threading

print("printed at import")


def lambda_handler(event, context):
    print("printed in a call")
    os.write(1, b"written on fd 1\\n")
    if event.get("fail"):
        raise ValueError("the handler failed")
    if event.get("crash"):
        os._exit(3)
    worker = threading.Thread(target=lambda: sum(range(event.get("work", 0))))
    worker.start()
    worker.join()
    return {"statusCode": 200, "body": event.get("echo", "")}
"""


@pytest.fixture
def process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FunctionProcess]:
    (tmp_path / "noisy_handler.py").write_text(HANDLER)
    monkeypatch.setattr(
        "functions.registry.function", lambda name: SimpleNamespace(handler_module="noisy_handler")
    )
    with FunctionProcess("noisy", {"PYTHONPATH": str(tmp_path)}, tmp_path / "logs") as started:
        yield started


def test_answers_come_back_whatever_the_handler_prints(process: FunctionProcess) -> None:
    for text in ("first", "second {", '"third"\n'):
        response, wall, cpu = process.call({"echo": text})
        assert response == {"statusCode": 200, "body": text}
        assert wall > 0
        assert cpu >= 0
    assert process.stderr_path is not None
    log = process.stderr_path.read_text()
    assert "printed at import" in log
    assert log.count("written on fd 1") == 3


def test_cpu_time_includes_the_handlers_other_threads(process: FunctionProcess) -> None:
    _, _, idle = process.call({"work": 0})
    _, wall, busy = process.call({"work": 20_000_000})
    assert busy > idle + 0.1
    assert busy <= wall * 1.2  # one thread busy: its CPU time cannot exceed the wall by much


def test_usage_is_the_child_processes_own(process: FunctionProcess) -> None:
    total_cpu, peak_mb = process.usage()
    assert 0 < total_cpu < 5
    assert 5 < peak_mb < 200  # a bare interpreter; not the test process's size


def test_a_handler_exception_is_raised_with_its_traceback_and_the_process_lives_on(
    process: FunctionProcess,
) -> None:
    with pytest.raises(RuntimeError, match="ValueError: the handler failed"):
        process.call({"fail": True})
    assert process.call({"echo": "still here"})[0]["body"] == "still here"


def test_a_crash_is_raised_with_the_childs_stderr(process: FunctionProcess) -> None:
    with pytest.raises(RuntimeError, match=r"exit status 3\)(.|\n)*printed at import"):
        process.call({"crash": True})


def test_a_module_that_does_not_import_fails_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "functions.registry.function", lambda name: SimpleNamespace(handler_module="not_there")
    )
    with (
        pytest.raises(RuntimeError, match="ModuleNotFoundError"),
        FunctionProcess("missing", {}, tmp_path),
    ):
        pass
