"""`profiel run` as a user starts it, in a process of its own: for the tests of `make run` and
for the browser tests of the portal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.local.store import LOCAL_AWS_ENVIRONMENT, free_port
from tests.support import PERSONAL_DATA

REPOSITORY = Path(__file__).resolve().parents[1]
PROFIEL = Path(sys.executable).parent / "profiel"


@dataclass
class RunningStack:
    process: subprocess.Popen
    port: int
    notify_port: int
    workspace: Path
    portal_port: int
    stdout: Path
    stderr: Path
    environment: dict[str, str]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def portal_url(self) -> str:
        return f"http://127.0.0.1:{self.portal_port}"

    @property
    def printed(self) -> str:
        return self.stdout.read_text()


def start(
    workspace: Path,
    name: str,
    environment_extra: dict[str, str] | None = None,
    *,
    new_session: bool = False,
    port: int | None = None,
    notify_port: int | None = None,
) -> RunningStack:
    """``profiel run`` as a user starts it; ``new_session`` makes it a process group of its own,
    for a test that kills the whole group."""
    port = port or free_port()
    notify_port = notify_port or next(p for p in iter(free_port, None) if p != port)
    registers_port = next(p for p in iter(free_port, None) if p not in (port, notify_port))
    portal_port = next(
        p for p in iter(free_port, None) if p not in (port, notify_port, registers_port)
    )
    # A user's shell: none of the test session's configuration, only where to keep the data and
    # which ports are free (the one after PORT, NotifyNL's default, may not be).
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PROFIEL_", "AWS_"))}
    environment |= {
        "PORT": str(port),
        "NOTIFY_PORT": str(notify_port),
        "REGISTERS_PORT": str(registers_port),
        "PORTAL_PORT": str(portal_port),
        "PROFIEL_LOCAL_DIR": str(workspace),
    }
    environment |= environment_extra or {}
    stdout, stderr = workspace / f"{name}.out", workspace / f"{name}.err"
    PERSONAL_DATA.files.append(stderr)
    process = subprocess.Popen(
        [str(PROFIEL), "run"],
        cwd=REPOSITORY,
        env=environment,
        stdout=stdout.open("wb"),
        stderr=stderr.open("wb"),
        start_new_session=new_session,
    )
    stack = RunningStack(
        process, port, notify_port, workspace, portal_port, stdout, stderr, environment
    )
    deadline = time.monotonic() + 60
    while "Profiel Service is running" not in stack.printed:
        assert process.poll() is None, stderr.read_text()[-3000:]
        assert time.monotonic() < deadline, "the stack did not come up within 60 s"
        time.sleep(0.2)
    return stack


def stop(stack: RunningStack) -> int:
    """Ctrl-C, as in the terminal (SIGINT to the stack process)."""
    stack.process.send_signal(signal.SIGINT)
    return stack.process.wait(timeout=60)


def store_client(workspace: Path) -> Any:
    """A client of the running stack's embedded store, as someone with access to it would have."""
    import boto3

    stack = json.loads((workspace / "stack.json").read_text())
    credentials = LOCAL_AWS_ENVIRONMENT
    return boto3.client(
        "dynamodb",
        endpoint_url=stack["store_endpoint"],
        region_name=credentials["AWS_REGION"],
        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
    )
