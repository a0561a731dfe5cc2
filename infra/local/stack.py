"""``make run``: every part of the Profiel Service on one machine, in one process tree.

Start order matters: the store and its tables, the snapshot restored, the stream pump positioned
at the end of the stream (restored items were audited before), the journal of an interrupted run
replayed (its changes audited through the pump, once in effect) and a new journal begun, the demo
profiles (audited through the pump like any change), the NotifyNL stand-in, and only then the
gateway.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import uuid
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import FrameType
from typing import Any

from infra.local.dev_idp import AUDIENCE, ISSUER, JWKS_PATH, DevIdentityProvider
from infra.local.dev_idp_web import DevIdpClient, DevIdpWeb
from infra.local.notify import LOCAL_TEMPLATES
from infra.local.store import (
    LOCAL_AWS_ENVIRONMENT,
    EmbeddedStore,
    read_journal,
    replay,
    restore,
    snapshot,
)
from infra.local.workspace import Workspace, write_private
from pump.stream import StreamPump

DEFAULT_PORT = 8080
HOST = "127.0.0.1"


@dataclass(frozen=True)
class StackInfo:
    """What a running stack tells the CLI (``profiel audit``, ``profiel invoke``): where it is."""

    store_endpoint: str
    embedded_store: bool
    notify_url: str
    registers_url: str

    @staticmethod
    def path(workspace: Workspace) -> Path:
        return workspace.root / "stack.json"

    @classmethod
    def read(cls, workspace: Workspace) -> StackInfo | None:
        try:
            return cls(**json.loads(cls.path(workspace).read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def write(self, workspace: Workspace) -> None:
        write_private(self.path(workspace), json.dumps(self.__dict__))


def function_environment(
    workspace: Workspace,
    store_endpoint: str,
    jwks_uri: str,
    notify_url: str,
    registers_url: str,
    embedded_store: bool = True,
) -> dict[str, str]:
    """The configuration every function gets locally (see the README's configuration table).

    For another store than the embedded one, credentials and region stay the caller's own.
    ``registers_url``: where the BRP, KVK and BAG stand-ins are (``infra.local.registers``).
    """
    previous_key = workspace.previous_pseudonym_key()
    return {
        **(LOCAL_AWS_ENVIRONMENT if embedded_store else {}),
        "AWS_ENDPOINT_URL_DYNAMODB": store_endpoint,
        "PROFIEL_PSEUDONYM_KEY": workspace.pseudonym_key(),
        **({"PROFIEL_PSEUDONYM_KEY_PREVIOUS": previous_key} if previous_key else {}),
        "PROFIEL_SEALING_PUBLIC_KEY": workspace.sealing_public_key(),
        "PROFIEL_TRUSTED_ISSUERS": json.dumps([{"issuer": ISSUER, "jwks_uri": jwks_uri}]),
        "PROFIEL_AUDIENCE": AUDIENCE,
        "PROFIEL_NOTIFY_API_KEY": workspace.notify_api_key(),
        "PROFIEL_NOTIFY_BASE_URL": notify_url,
        "PROFIEL_NOTIFY_TEMPLATE_EMAIL_CODE": LOCAL_TEMPLATES["email_code"].id,
        "PROFIEL_NOTIFY_TEMPLATE_SMS_CODE": LOCAL_TEMPLATES["sms_code"].id,
        "PROFIEL_NOTIFY_TEMPLATE_EMAIL_NOTICE": LOCAL_TEMPLATES["email_notice"].id,
        "PROFIEL_NOTIFY_TEMPLATE_EMAIL_ONBESTELBAAR": LOCAL_TEMPLATES["email_onbestelbaar"].id,
        "PROFIEL_NOTIFY_CALLBACK_TOKEN": workspace.notify_callback_token(),
        "PROFIEL_BRP_BASE_URL": f"{registers_url}/brp",
        "PROFIEL_KVK_BASE_URL": f"{registers_url}/kvk",
        "PROFIEL_BAG_BASE_URL": f"{registers_url}/bag",
    }


def use_running_stack(workspace: Workspace) -> StackInfo:
    """Configure this process like the functions of the running stack (for the CLI)."""
    info = StackInfo.read(workspace)
    if info is None:
        raise SystemExit("The local stack is not running: start it with `make run` first.")
    idp = DevIdentityProvider(workspace)
    environment = function_environment(
        workspace,
        info.store_endpoint,
        idp.jwks_file_uri,
        info.notify_url,
        info.registers_url,
        info.embedded_store,
    )
    os.environ.update(environment)
    return info


def run(
    workspace: Workspace,
    port: int,
    notify_port: int,
    registers_port: int,
    portal_port: int,
    profiel_command: str,
) -> None:
    idp = DevIdentityProvider(workspace)
    external_store = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")
    logs = workspace.root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    _require_free_port(port, "PORT")
    _require_free_port(notify_port, "NOTIFY_PORT")
    _require_free_port(registers_port, "REGISTERS_PORT")
    _require_free_port(portal_port, "PORTAL_PORT")
    store = pump = server = notify_server = registers_server = portal_server = restored = None
    try:
        if not external_store:
            store = EmbeddedStore(log_path=logs / "store.log", journal=workspace.journal).start()
        store_endpoint = external_store or store.endpoint
        base_url = f"http://{HOST}:{port}"
        notify_url = f"http://{HOST}:{notify_port}"
        registers_url = f"http://{HOST}:{registers_port}"
        portal_url = f"http://{HOST}:{portal_port}"
        environment = function_environment(
            workspace,
            store_endpoint,
            base_url + JWKS_PATH,
            notify_url,
            registers_url,
            embedded_store=store is not None,
        )
        os.environ.update(environment)
        # Change events point subscribers at the API as they reach it.
        os.environ.setdefault("PROFIEL_PUBLIC_BASE_URL", base_url)

        # Imported only now: the table names and the endpoint are read from the environment.
        from functions.process_log.handler import lambda_handler as process_log
        from functions.registry import FUNCTIONS
        from infra.local.demo import seed_demo_profiles, seed_register
        from infra.local.gateway import Gateway
        from infra.local.guide import guide
        from infra.local.notify import NotifyStandIn
        from infra.local.registers import RegisterStandIns
        from infra.local.serving import serve
        from infra.local.store import create_tables, dynamodb_client
        from shared.store.tables import ProfielItem

        create_tables()
        client = dynamodb_client(store_endpoint)
        pump = StreamPump(
            ProfielItem.Meta.table_name,
            process_log,
            store_endpoint,
            checkpoint=workspace.root / "stream-checkpoint.json",
            dead_letter=workspace.root / "dead-letter",
        )
        if store is not None:
            restored = _recover(store, client, workspace, pump)
        pump.start()
        seed_register()
        seeded = seed_demo_profiles()
        handlers = {
            f.name: import_module(f.handler_module).lambda_handler for f in FUNCTIONS if f.routes
        }
        stand_in = NotifyStandIn([workspace.notify_api_key()], echo=_console)
        notify_server = serve(stand_in, HOST, notify_port)
        threading.Thread(target=notify_server.serve_forever, daemon=True).start()
        registers_server = serve(RegisterStandIns(), HOST, registers_port)
        threading.Thread(target=registers_server.serve_forever, daemon=True).start()
        # The portal is a relying party like any other: it reaches the IdP and the API over
        # HTTP at the gateway, never the store.
        portal_server = serve(local_portal(workspace, base_url, portal_url), HOST, portal_port)
        threading.Thread(target=portal_server.serve_forever, daemon=True).start()
        # The portal logs people in at the development IdP, behind the gateway.
        login = DevIdpWeb(idp, (portal_client(workspace, portal_url),))
        server = serve(Gateway(handlers, dev_idp=login), HOST, port)
        StackInfo(store_endpoint, store is not None, notify_url, registers_url).write(workspace)
        print(
            guide(
                base_url,
                notify_url,
                registers_url,
                portal_url,
                profiel_command,
                restored or 0,
                seeded,
            ),
            flush=True,
        )
        # Explicitly, also for SIGINT: a shell starting us in the background would have left
        # Ctrl-C ignored.
        for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(stop_signal, _interrupt)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C must not cut the snapshot short.
        for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(stop_signal, signal.SIG_IGN)
        print("\nStopping the Profiel Service (saving the data) ...", flush=True)
        if server is not None:
            server.server_close()
        for stand_in in (portal_server, notify_server, registers_server):
            if stand_in is not None:
                stand_in.shutdown()
                stand_in.server_close()
        if pump is not None:
            pump.stop()
        StackInfo.path(workspace).unlink(missing_ok=True)
        if store is not None:
            # Only a store that holds the restored data may replace the snapshot.
            if store.journal_id is not None:
                count = snapshot(
                    dynamodb_client(store.endpoint), workspace.snapshot, journal=store.journal_id
                )
                print(f"Kept {count} items in {workspace.snapshot}.", flush=True)
            store.stop()


def local_portal(workspace: Workspace, base_url: str, portal_url: str) -> Any:
    """The reference portal as ``make run`` serves it, registered at the development IdP."""
    from infra.local.dev_idp_web import OPENID_CONFIGURATION_PATH
    from portal.app import create_app
    from portal.config import CLIENT_ID, PortalConfig

    config = PortalConfig(
        api_url=f"{base_url}/api/profiel/v1",
        oidc_metadata_url=base_url + OPENID_CONFIGURATION_PATH,
        client_id=CLIENT_ID,
        client_secret=workspace.portal_client_secret(),
        secret_key=workspace.portal_secret_key(),
        public_url=portal_url,
    )
    return create_app(config)


def portal_client(workspace: Workspace, portal_url: str) -> DevIdpClient:
    """The portal's registration at the development IdP."""
    from portal.config import CLIENT_ID

    redirect_uri = f"{portal_url}/inloggen/terug"
    return DevIdpClient(CLIENT_ID, workspace.portal_client_secret(), (redirect_uri,))


def _recover(store: EmbeddedStore, client: Any, workspace: Workspace, pump: StreamPump) -> int:
    """The store as it was when the last run ended, however it ended: the snapshot, then the
    writes of the journal it does not include; the number of items and writes. The journal's
    changes go through the stream again, so what the last run had not yet audited is audited now
    (and what it had, is recognised). Then a new journal, after a snapshot that holds the old one.
    """
    loaded = restore(client, workspace.snapshot)
    journal = read_journal(workspace.journal)
    # After the snapshot's items (audited in their own run), before the journal's writes.
    pump.position()
    replayed = 0
    if journal.entries and journal.id != loaded.journal:
        replayed = replay(store.endpoint, journal)
        print(f"Recovered {replayed} writes from the journal of an interrupted run.", flush=True)
        pump.start()
        pump.wait_until_idle(timeout_seconds=120)
        snapshot(client, workspace.snapshot, journal=journal.id)
    # Only now the old journal is replaced: a crash before this finds it in the snapshot.
    store.open_journal(str(uuid.uuid4()))
    return loaded.items + replayed


def _require_free_port(port: int, variable: str) -> None:
    with socket.socket() as probe:
        # As the servers bind: a port whose last connections linger in TIME_WAIT after a stop
        # is free to listen on again.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise SystemExit(
                f"Port {port} cannot be used ({error.strerror}): try {variable}=<port> make run"
            ) from None


def _console(line: str) -> None:
    # stdout, with the guide: what the stand-in "sent" is for the person trying the service
    # to read, never part of the log on stderr.
    print(line, flush=True)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def profiel_command() -> str:
    """How the user runs the CLI from where they are: relative to the current folder if inside it."""
    executable = Path(sys.argv[0]).resolve()
    try:
        return str(executable.relative_to(Path.cwd()))
    except ValueError:
        return str(executable)
