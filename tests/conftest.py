"""Fixtures of the whole suite: a real moto server over HTTP, the tables, a development IdP with
real RS256 signatures, the NotifyNL stand-in and the BRP, KVK and BAG stand-ins over HTTP, the
local gateway and stream pump - the same parts `make run` starts.

Every application log record of the run is captured; the session fails if any carries personal
data (see ``tests.support.PersonalData``).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

import pytest
from werkzeug.serving import BaseWSGIServer

from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from infra.local.registers import (
    BagStandIn,
    BrpStandIn,
    KvkStandIn,
    RegisterStandIns,
    StandIns,
)
from infra.local.serving import serve
from infra.local.stack import function_environment
from infra.local.store import EmbeddedStore, free_port
from infra.local.workspace import Workspace
from shared.config import (
    get_event_settings,
    get_notify_settings,
    get_register_settings,
    get_settings,
)
from shared.logs import LOGGER_NAME
from tests.support import (
    PERSONAL_DATA,
    TEST_KVK_REEKS,
    ApiClient,
    EventSubscriber,
    RecordCapture,
    random_test_bsn,
)

API_PATH = "/api/profiel/v1"


# Where the workers of a parallel run (pytest-xdist) leave what they found for the controller,
# which alone decides the run's outcome; made by the controller, inherited by the workers.
_LEAKS_DIR = "PROFIEL_TEST_LEAKS_DIR"


def pytest_configure(config: pytest.Config) -> None:
    service_logger = logging.getLogger(LOGGER_NAME)
    # The same formatter as the handler the service writes its JSON lines with.
    service_logger.addHandler(RecordCapture(service_logger.handlers[0].formatter))
    if not hasattr(config, "workerinput"):
        os.environ[_LEAKS_DIR] = tempfile.mkdtemp(prefix="profiel-leaks-")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaks = PERSONAL_DATA.all_leaks()
    folder = Path(os.environ[_LEAKS_DIR])
    worker = getattr(session.config, "workerinput", None)
    if worker is not None:
        (folder / f"{worker['workerid']}.json").write_text(json.dumps(leaks))
        return
    for found in sorted(folder.glob("*.json")):
        for source, values in json.loads(found.read_text()).items():
            leaks[f"{found.stem}: {source}"] = values
    shutil.rmtree(folder, ignore_errors=True)
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = "\n".join(
            f"  {source}: {len(values)} personal value(s)" for source, values in leaks.items()
        )
        if reporter:
            reporter.write_line(f"\nPERSONAL DATA IN LOGS:\n{message}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("workspace"))


@pytest.fixture(scope="session")
def idp(workspace: Workspace) -> DevIdentityProvider:
    return DevIdentityProvider(workspace)


@contextmanager
def _serving(app: object) -> Iterator[BaseWSGIServer]:
    """``app`` served on a free port of 127.0.0.1 in a thread of this process, then stopped."""
    server = serve(app, "127.0.0.1", free_port())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def notify_server(workspace: Workspace) -> Iterator[BaseWSGIServer]:
    """The NotifyNL stand-in on its own port: the functions reach it with the real client."""
    with _serving(NotifyStandIn([workspace.notify_api_key()])) as server:
        yield server


@pytest.fixture
def notify(notify_server: BaseWSGIServer) -> Iterator[NotifyStandIn]:
    """The stand-in's messages and switches; an outage a test simulates ends with the test."""
    stand_in = notify_server.app
    yield stand_in
    stand_in.failing = False


@pytest.fixture(scope="session")
def registers_server() -> Iterator[BaseWSGIServer]:
    """The BRP, KVK and BAG stand-ins on one port: the functions reach them with their clients."""
    stand_ins = StandIns(BrpStandIn(), KvkStandIn(testreeks=TEST_KVK_REEKS), BagStandIn())
    with _serving(RegisterStandIns(stand_ins)) as server:
        yield server


@pytest.fixture
def registers(registers_server: BaseWSGIServer) -> Iterator[StandIns]:
    """The stand-ins' counts and switches. After the test: back to new stand-ins, and this
    process's register clients built anew - a fresh cache, a closed circuit."""
    stand_ins = registers_server.app.stand_ins
    stand_ins.reset()
    _new_register_clients()
    yield stand_ins
    stand_ins.reset()
    _new_register_clients()


def _new_register_clients() -> None:
    from shared.registers import adressen, handelsregister, personen

    for client in (personen, handelsregister, adressen):
        client.cache_clear()


@pytest.fixture(scope="session")
def subscriber() -> Iterator[EventSubscriber]:
    """A webhook that keeps every change event process-log publishes during the run."""
    receiver = EventSubscriber()
    with _serving(receiver) as server:
        receiver.url = f"http://127.0.0.1:{server.server_port}/events"
        yield receiver


@pytest.fixture(scope="session")
def store(
    workspace: Workspace,
    idp: DevIdentityProvider,
    notify_server: BaseWSGIServer,
    registers_server: BaseWSGIServer,
    subscriber: EventSubscriber,
) -> Iterator[EmbeddedStore]:
    """The embedded store, configured for this process as for a deployed function."""
    log = workspace.root / "store.log"
    PERSONAL_DATA.files.append(log)
    embedded = EmbeddedStore(log_path=log).start()
    saved = dict(os.environ)
    os.environ.update(
        function_environment(
            workspace,
            embedded.endpoint,
            idp.jwks_file_uri,
            f"http://127.0.0.1:{notify_server.server_port}",
            f"http://127.0.0.1:{registers_server.server_port}",
        )
    )
    os.environ["PROFIEL_EVENT_WEBHOOKS"] = json.dumps([subscriber.url])
    _clear_settings()
    from infra.local.store import create_tables

    create_tables()
    from infra.local.demo import seed_register

    seed_register()
    yield embedded
    embedded.stop()
    os.environ.clear()
    os.environ.update(saved)
    _clear_settings()


def _clear_settings() -> None:
    for settings in (get_settings, get_notify_settings, get_event_settings, get_register_settings):
        settings.cache_clear()
    _new_register_clients()


@pytest.fixture(scope="session")
def pump(store: EmbeddedStore, workspace: Workspace) -> Iterator[object]:
    from functions.process_log.handler import lambda_handler
    from pump.stream import StreamPump
    from shared.store.tables import ProfielItem

    running = StreamPump(
        ProfielItem.Meta.table_name,
        lambda_handler,
        store.endpoint,
        dead_letter=workspace.root / "dead-letter",
        max_attempts=20,
        retry_delay_seconds=0.01,
    ).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def api_url(store: EmbeddedStore, idp: DevIdentityProvider) -> Iterator[str]:
    """The local gateway over HTTP, in a thread of this process."""
    from functions.registry import FUNCTIONS
    from infra.local.dev_idp_web import DevIdpKeys
    from infra.local.gateway import Gateway

    handlers = {
        f.name: import_module(f.handler_module).lambda_handler for f in FUNCTIONS if f.routes
    }
    with _serving(Gateway(handlers, DevIdpKeys(idp.jwks))) as server:
        yield f"http://127.0.0.1:{server.server_port}{API_PATH}"


@pytest.fixture
def burger(api_url: str, idp: DevIdentityProvider) -> ApiClient:
    """A burger with a fresh, empty profile, logged in through the portal."""
    return ApiClient(api_url, idp.burger_token(random_test_bsn()))
