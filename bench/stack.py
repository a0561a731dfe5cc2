"""The local stack the bench measures against, composed as the test suite and ``make run`` do.

One temporary folder holds everything (workspace keys, the store's log, the service's log, the
dead-letter folder); the moto server, the NotifyNL stand-in, the stream pump and the gateway are
started here on 127.0.0.1 and stopped by :meth:`BenchStack.stop`.

The bench process is configured exactly as a deployed function would be
(:func:`infra.local.stack.function_environment`), without any ``*_PARAMETER`` variable: nothing is
read from SSM, so no network is needed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

from infra.local.dev_idp import DevIdentityProvider
from infra.local.workspace import Workspace

# Nothing here imports shared.store.tables at module level: it reads the table prefix and the
# region from the environment when imported, so only after BenchStack.start has set them.

HOST = "127.0.0.1"
API_PATH = "/api/profiel/v1"
# The municipality of the local register: granted the purposes "notificatie" and
# "aanslag-versturen" (infra/local/register.json).
GEMEENTE_OIN = "00000099000000000001"
LOOKUP_DOEL = "notificatie"
_CONTACT_IDS = uuid.UUID("0b5a3c1e-6a43-4b8e-9c55-3d3f1f6f2c10")

# Inherited variables a deployed function would not have: SSM indirections (a network call at
# cold start) and the developer's own service settings.
_DROPPED_PREFIXES = ("PROFIEL_", "K_SINK", "POWERTOOLS_")
# What serverless.yml gives every function besides the service's own settings.
_DEPLOYED = {
    "POWERTOOLS_SERVICE_NAME": "profielservice",
    "POWERTOOLS_LOG_LEVEL": "INFO",
    "PYDANTIC_DISABLE_PLUGINS": "__all__",
}


def brp_test_bsns(count: int, start: int = 999_900_000) -> list[str]:
    """``count`` BSNs of the BRP's 9999xxxxx test range that pass the 11-proef, in order."""
    from stdnum.nl import bsn as stdnum_bsn

    found: list[str] = []
    number = start
    while len(found) < count:
        candidate = f"{number:09d}"
        if stdnum_bsn.is_valid(candidate):
            found.append(candidate)
        number += 1
    return found


def child_environment(environment: dict[str, str]) -> dict[str, str]:
    """The environment of a fresh function process: this one's, cleaned, plus the function's."""
    base = {
        name: value
        for name, value in os.environ.items()
        if not name.endswith("_PARAMETER") and not name.startswith(_DROPPED_PREFIXES)
    }
    return {**base, **_DEPLOYED, **environment}


@dataclass
class BenchStack:
    subjects: int = 1000
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="profiel-bench-")))

    def __post_init__(self) -> None:
        self.workspace = Workspace(self.root / "workspace")
        self.idp = DevIdentityProvider(self.workspace)
        self.store: Any = None  # infra.local.store.EmbeddedStore
        self.environment: dict[str, str] = {}
        self.bsns: list[str] = []
        self.keys: dict[str, str] = {}
        self._servers: list[Any] = []
        self._saved_environment: dict[str, str] | None = None
        self._log_file: Any = None
        self._log_streams: list[tuple[logging.StreamHandler, Any]] = []
        self.pump: Any = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> BenchStack:
        self._saved_environment = dict(os.environ)
        cleaned = child_environment({})
        os.environ.clear()
        os.environ.update(cleaned)

        from infra.local.notify import NotifyStandIn
        from infra.local.registers import RegisterStandIns
        from infra.local.serving import serve
        from infra.local.stack import function_environment
        from infra.local.store import EmbeddedStore, free_port

        notify = serve(NotifyStandIn([self.workspace.notify_api_key()]), HOST, free_port())
        self._serve(notify)
        self.registers = RegisterStandIns()
        registers = serve(self.registers, HOST, free_port())
        self._serve(registers)
        # The journal stays closed (the store journals nothing) until a measurement opens it.
        self.store = EmbeddedStore(
            log_path=self.root / "store.log", journal=self.journal_path
        ).start()
        self.environment = function_environment(
            self.workspace,
            self.store.endpoint,
            self.idp.jwks_file_uri,
            f"http://{HOST}:{notify.server_port}",
            f"http://{HOST}:{registers.server_port}",
        )
        os.environ.update(self.environment)

        # Only now: settings are read from the environment and cached per process.
        from shared.config import get_event_settings, get_notify_settings, get_settings

        get_settings.cache_clear()
        get_notify_settings.cache_clear()
        get_event_settings.cache_clear()
        self._quiet_service_log()

        from infra.local.demo import seed_register
        from infra.local.store import create_tables

        create_tables()
        seed_register()
        self._seed_profiles()
        return self

    def stop(self) -> None:
        if self.pump is not None:
            self.pump.stop()
            self.pump = None
        for server in reversed(self._servers):
            server.shutdown()
            server.server_close()
        self._servers.clear()
        if self.store is not None:
            self.store.stop()
            self.store = None
        if self._saved_environment is not None:
            os.environ.clear()
            os.environ.update(self._saved_environment)
            self._saved_environment = None
        for handler, stream in self._log_streams:
            handler.setStream(stream)
        self._log_streams.clear()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> BenchStack:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, server: Any) -> Any:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._servers.append(server)
        return server

    def _quiet_service_log(self) -> None:
        """The service keeps writing its JSON log line per request (that is part of a request's
        cost), but to a file in the bench folder instead of the terminal."""
        from shared.logs import LOGGER_NAME

        self._log_file = (self.root / "service.log").open("w")
        for handler in logging.getLogger(LOGGER_NAME).handlers:
            if isinstance(handler, logging.StreamHandler):
                self._log_streams.append((handler, handler.setStream(self._log_file)))

    def service_log_problems(self) -> list[str]:
        """The warning and error lines the service logged during the run."""
        if self._log_file is None:
            return []
        self._log_file.flush()
        lines = (self.root / "service.log").read_text().splitlines()
        return [line for line in lines if re.search(r'"level":\s*"(WARNING|ERROR|CRITICAL)"', line)]

    # -- data ----------------------------------------------------------------------------------

    def _seed_profiles(self) -> None:
        """``subjects`` burgers, each with a verified e-mail address (so that a lookup for
        "notificatie" returns it), an unverified phone number, a postal address and a
        preference: written in batches of 25, as the repository would store them."""
        from pydantic import TypeAdapter

        from functions.update_profile import core
        from functions.verify_contact import core as verify_core
        from shared.identity.access import partij_key
        from shared.identity.subject import ActorRole, subject_for
        from shared.models.partij import SoortIdentificator
        from shared.models.profiel import ContactgegevenToevoegen, Postadres, Profiel
        from shared.models.voorkeuren import Voorkeurset
        from shared.store.profielen import Change, profiel_item
        from shared.store.tables import ProfielItem

        now = datetime.now(UTC)
        seeded = Change(
            ActorRole.SYSTEEM, None, now, uuid.uuid4().hex, soort=SoortIdentificator.BSN
        )
        postadres = TypeAdapter(Postadres).validate_python(
            {
                "soort": "nederlands",
                "straat": "Kerkstraat",
                "huisnummer": 12,
                "postcode": "2511 AB",
                "woonplaats": "Den Haag",
            }
        )
        self.bsns = brp_test_bsns(self.subjects)
        with ProfielItem.batch_write() as batch:
            for index, bsn in enumerate(self.bsns):
                profiel = Profiel()
                email = ContactgegevenToevoegen.model_validate(
                    {"soortDigitaalAdres": "email", "adres": f"bench.{index}@example.nl"}
                )
                profiel, added = core.add_contactgegeven(profiel, email, self.email_id(bsn))
                profiel = verify_core.verified(profiel, added, now - timedelta(days=30))
                phone = ContactgegevenToevoegen.model_validate(
                    {"soortDigitaalAdres": "telefoonnummer", "adres": "06 12345678"}
                )
                profiel, _ = core.add_contactgegeven(profiel, phone, self.phone_id(bsn))
                profiel = core.set_postadres(profiel, postadres)
                profiel = core.change_voorkeuren(profiel, Voorkeurset(correspondentie="digitaal"))
                key = partij_key(subject_for(bsn, None))
                self.keys[bsn] = key
                item = profiel_item(key, profiel, seeded)
                item.version = 1  # as ProfielRepository.save stores a first version
                batch.save(item)

    @staticmethod
    def email_id(bsn: str) -> uuid.UUID:
        return uuid.uuid5(_CONTACT_IDS, f"{bsn}:email")

    @staticmethod
    def phone_id(bsn: str) -> uuid.UUID:
        return uuid.uuid5(_CONTACT_IDS, f"{bsn}:telefoon")

    @property
    def journal_path(self) -> Path:
        """The store's journal: every write it acknowledged, once opened
        (``infra.local.store_server``)."""
        return self.root / "store.journal"

    def profile_image(self, bsn: str) -> dict[str, Any]:
        """The stored item of a seeded burger, in DynamoDB's own form."""
        answer = self.client().get_item(
            TableName=self.table_name("profielen"),
            Key={"partij": {"S": self.keys[bsn]}},
            ConsistentRead=True,
        )
        return answer["Item"]

    def table_name(self, base: str) -> str:
        from shared.store.tables import TABLES

        return next(t.Meta.table_name for t in TABLES if t.Meta.table_name.endswith(base))

    def client(self) -> Any:
        """A raw boto3 DynamoDB client on the same store."""
        from infra.local.store import dynamodb_client

        return dynamodb_client(self.store.endpoint)

    def stream_record(self) -> dict[str, Any]:
        """One record of the profile table's stream, as the pump hands it to process-log."""
        import boto3

        streams = boto3.client("dynamodbstreams", endpoint_url=self.store.endpoint)
        table = self.client().describe_table(TableName=self.table_name("profielen"))["Table"]
        arn = table["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        record = streams.get_records(ShardIterator=iterator, Limit=1)["Records"][0]
        stream = dict(record["dynamodb"])
        created = stream.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            stream["ApproximateCreationDateTime"] = int(created.timestamp())
        return {**record, "dynamodb": stream, "eventSourceARN": arn}

    # -- the functions -------------------------------------------------------------------------

    @staticmethod
    def handler(name: str) -> Any:
        from functions.registry import function

        return import_module(function(name).handler_module).lambda_handler

    def burger_token(self, bsn: str) -> str:
        return self.idp.burger_token(bsn)

    def organisation_token(self, oin: str = GEMEENTE_OIN) -> str:
        return self.idp.organisation_token(oin)

    def start_pump(self) -> Any:
        """The stream pump into process-log, positioned at the end of the stream (what was
        seeded before is not audited)."""
        from functions.process_log.handler import lambda_handler
        from pump.stream import StreamPump
        from shared.store.tables import ProfielItem

        self.pump = StreamPump(
            ProfielItem.Meta.table_name,
            lambda_handler,
            self.store.endpoint,
            dead_letter=self.root / "dead-letter",
        ).start()
        return self.pump

    def stop_pump(self) -> None:
        if self.pump is not None:
            self.pump.stop()
            self.pump = None

    def dead_letters(self) -> int:
        folder = self.root / "dead-letter"
        return len(list(folder.glob("*.json"))) if folder.exists() else 0

    def start_gateway(self) -> str:
        """The local gateway over HTTP in a thread of this process; its API base URL."""
        from functions.registry import FUNCTIONS
        from infra.local.dev_idp_web import DevIdpKeys
        from infra.local.gateway import Gateway
        from infra.local.serving import serve
        from infra.local.store import free_port

        handlers = {f.name: self.handler(f.name) for f in FUNCTIONS if f.routes}
        server = self._serve(serve(Gateway(handlers, DevIdpKeys(self.idp.jwks)), HOST, free_port()))
        return f"http://{HOST}:{server.server_port}{API_PATH}"


def api_event(
    method: str,
    path: str,
    token: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    base: str = API_PATH,
    query: str = "",
) -> dict[str, Any]:
    """The API Gateway v2 event the local gateway would hand the function for this request
    (``path`` below ``base``, the API's base path unless another contract's), with the route key
    and path parameters set. A ``token`` with a scheme ("Token ...") is sent as it is."""
    from functions.registry import FUNCTIONS
    from shared.http.entrypoints import api_gateway_event

    full_path = base + path
    route = next(
        r for f in FUNCTIONS for r in f.routes if r.method == method and r.matches(full_path)
    )
    sent = {"user-agent": "profiel-bench", **(headers or {})}
    if token is not None:
        sent["authorization"] = token if token.startswith("Token ") else f"Bearer {token}"
    data = b""
    if body is not None:
        data = json.dumps(body).encode()
        sent["content-type"] = "application/json"
    return api_gateway_event(
        method,
        full_path,
        query,
        sent.items(),
        data,
        HOST,
        route.route_key,
        route.parameters(full_path) or None,
    )
