"""Rotating the pseudonym key under 1,000 profiles while they are read and changed.

A store of its own (a fresh embedded store, its own stream pump and gateway), so that the check
"nothing is left under the old key" is about this test's items alone. The rotation runs as
docs/deploy.md describes it: the functions get the new key with the old one as previous, the job
(``shared.store.rotation.rotate``, ``profiel keys rotate``) moves everything it finds through the
sealed identifiers while owners and an organisation keep reading, then the old key is retired.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest

from infra.cli import main as profiel
from infra.local.demo import seed_register
from infra.local.dev_idp import DevIdentityProvider
from infra.local.notify import NotifyStandIn
from infra.local.registers import StandIns
from infra.local.store import EmbeddedStore, create_tables
from infra.local.workspace import Workspace
from shared.config import get_settings
from shared.identity.access import PartijKeys, partij_keys_for
from shared.identity.sealing import Opener
from shared.identity.subject import ActorRole
from shared.models.audit import AuditRecord, first_broken_link, first_missing_version
from shared.models.partij import SoortIdentificator
from shared.models.profiel import Profiel
from shared.store import audit as audit_store
from shared.store import tables
from shared.store.audit import AuditTrail, chain_key
from shared.store.profielen import Change, ProfielRepository, profiel_from_item
from shared.store.rotation import RotationKeys, rotate, rotation_keys
from shared.store.tables import (
    AuditItem,
    AuditKopItem,
    ProfielItem,
    VerificatieItem,
    VerwerkingItem,
)
from tests.integration.test_lookup import GEMEENTE, Organisation
from tests.integration.test_verification import add_verified_email
from tests.support import PERSONAL_DATA, ApiClient, random_test_bsn, wait_for

PROFILES = 1000
WITHOUT_PROFILE = 20  # people looked up who never made a profile: only Logboek records
RICH = 5  # profiles made through the API: verified e-mail, a pending code, a curator's change
BSN = SoortIdentificator.BSN


@dataclass
class World:
    api_url: str
    store: EmbeddedStore
    bsns: list[str]  # with a profile; the first RICH made through the API
    without_profile: list[str]
    before: dict[str, dict[str, Any]] = field(default_factory=dict)


def _reconnect() -> None:
    """pynamodb keeps one connection per process (shared.store.tables): a new one for the store
    the environment now names."""
    tables._Table._shared_connection = None
    for model in tables.TABLES:
        model._connection = None


@pytest.fixture
def world(
    store: EmbeddedStore,
    workspace: Workspace,
    idp: DevIdentityProvider,
    notify: NotifyStandIn,
    registers: StandIns,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[World]:
    from functions.process_log.handler import lambda_handler
    from functions.registry import FUNCTIONS
    from infra.local.dev_idp_web import DevIdpKeys
    from infra.local.gateway import Gateway
    from pump.stream import StreamPump
    from tests.conftest import API_PATH, _serving

    log = tmp_path / "store.log"
    PERSONAL_DATA.files.append(log)
    own = EmbeddedStore(log_path=log).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", own.endpoint)
    _reconnect()
    pump = None
    try:
        create_tables()
        seed_register()
        pump = StreamPump(
            ProfielItem.Meta.table_name,
            lambda_handler,
            own.endpoint,
            dead_letter=tmp_path / "dead-letter",
            max_attempts=20,
            retry_delay_seconds=0.01,
        ).start()
        handlers = {
            f.name: import_module(f.handler_module).lambda_handler for f in FUNCTIONS if f.routes
        }
        with _serving(Gateway(handlers, DevIdpKeys(idp.jwks))) as server:
            yield World(
                f"http://127.0.0.1:{server.server_port}{API_PATH}",
                own,
                [random_test_bsn() for _ in range(PROFILES)],
                [random_test_bsn() for _ in range(WITHOUT_PROFILE)],
            )
    finally:
        if pump is not None:
            pump.stop()
        own.stop()
        monkeypatch.undo()
        get_settings.cache_clear()
        _reconnect()


# Some five minutes on the embedded store, which answers one request at a time and sorts a whole
# table for every query: the rotation itself takes two (a dozen requests per partij, with the
# readers'), waiting for process-log to audit 1,000 new profiles one.
@pytest.mark.timeout(900)
def test_the_key_rotates_under_1000_profiles_while_they_are_read_and_changed(
    world: World,
    workspace: Workspace,
    idp: DevIdentityProvider,
    notify: NotifyStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gemeente = Organisation(world.api_url, idp.organisation_token(GEMEENTE))
    old_keys = {bsn: partij_keys_for(BSN, bsn) for bsn in world.bsns + world.without_profile}
    assert all(k.sealed_identifier for k in old_keys.values())
    _make_profiles(world, idp, notify, old_keys)
    everyone = world.bsns + world.without_profile
    answers_before = _answers(gemeente, everyone)  # every one an inzage record
    _wait_until_audited(world, old_keys)
    before = _states({bsn: old_keys[bsn].key for bsn in everyone})
    owners_before = {bsn: _owner_view(world, idp, bsn) for bsn in world.bsns[:50]}
    curators_before = {bsn: _curators(old_keys[bsn].key) for bsn in world.bsns[:RICH]}

    # The functions get the new key, the old one as the previous.
    old_key = get_settings().pseudonym_key.get_secret_value()
    monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY_PREVIOUS", old_key)
    monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    get_settings.cache_clear()
    keys = rotation_keys()
    assert keys is not None
    new_keys = {bsn: partij_keys_for(BSN, bsn) for bsn in everyone}
    assert all(new_keys[b].previous == old_keys[b].key != new_keys[b].key for b in everyone)

    readers = _Readers(world, idp, gemeente, owners_before, answers_before)
    with readers.running():
        report = rotate(Opener(workspace.sealing_private_key()), keys, workers=4)
    assert readers.failures == [], readers.failures[:5]
    assert min(readers.reads.values()) > 0, readers.reads  # every kind of read went on
    assert report.complete, report.left
    assert report.moved + report.already == PROFILES + WITHOUT_PROFILE
    assert report.moved > PROFILES // 2  # most moved by the job, the rest by their owners

    # The job again, as an operator runs it: nothing to move, the old key may be retired.
    monkeypatch.setenv("PROFIEL_SEALING_PRIVATE_KEY", workspace.sealing_private_key())
    assert profiel(["keys", "rotate"]) == 0

    # Retired: the functions have the new key only.
    monkeypatch.delenv("PROFIEL_PSEUDONYM_KEY_PREVIOUS")
    get_settings.cache_clear()
    states = _states({bsn: partij_keys_for(BSN, bsn).key for bsn in everyone})
    for bsn in everyone:
        after, expected = states[bsn], before[bsn]
        changed = readers.changed[bsn]
        assert after["version"] == expected["version"] + changed, bsn
        if not changed:
            assert after["profiel"] == expected["profiel"]
        assert after["trail"][: len(expected["trail"])] == expected["trail"]
        assert len(after["trail"]) == len(expected["trail"]) + changed
        assert after["inzage"] == expected["inzage"] + readers.looked_up[bsn]
    for bsn, view in owners_before.items():
        if not readers.changed[bsn]:
            assert _owner_view(world, idp, bsn)["profiel"] == view["profiel"]
    _nothing_under({k.key for k in old_keys.values()})
    _moved_with_the_rotation(world, keys, old_keys, new_keys, curators_before)


def test_a_stream_record_of_the_old_key_delivered_after_the_move_is_not_appended_again(
    world: World, monkeypatch: pytest.MonkeyPatch, workspace: Workspace
) -> None:
    bsn = world.bsns[0]
    old = partij_keys_for(BSN, bsn)
    _save(old, Profiel(contactnaam="Eerder"), 0)
    wait_for(lambda: AuditTrail().of(old.key))
    record = AuditTrail().of(old.key)[0]
    old_key = get_settings().pseudonym_key.get_secret_value()
    monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY_PREVIOUS", old_key)
    monkeypatch.setenv("PROFIEL_PSEUDONYM_KEY", uuid.uuid4().hex * 2)
    get_settings.cache_clear()
    keys = rotation_keys()
    assert keys is not None
    assert rotate(Opener(workspace.sealing_private_key()), keys).complete

    redelivered = replace(record, positie=0, hash="")
    assert not AuditTrail().append(redelivered)  # the old chain's marker: recorded already
    assert AuditTrail().of(old.key) == []
    assert len(AuditTrail().of(partij_keys_for(BSN, bsn).key)) == 1


# --- making the profiles -----------------------------------------------------------------------


def _make_profiles(
    world: World, idp: DevIdentityProvider, notify: NotifyStandIn, keys: dict[str, PartijKeys]
) -> None:
    for bsn in world.bsns[:RICH]:
        _rich_profile(world, idp, notify, bsn)
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda bsn: _save(keys[bsn], Profiel(contactnaam=f"Klant {bsn[-4:]}"), 0),
                world.bsns[RICH:],
            )
        )


def _rich_profile(world: World, idp: DevIdentityProvider, notify: NotifyStandIn, bsn: str) -> None:
    person = ApiClient(world.api_url, idp.burger_token(bsn))
    add_verified_email(person, notify, "rotatie")
    person.read()
    phone = {"soortDigitaalAdres": "telefoonnummer", "adres": "0612345678"}
    assert person.change("POST", "/profiel/contactgegevens", phone).status_code == 201  # pending
    curator = ApiClient(world.api_url, idp.representative_token(bsn, "curator"))
    curator.read()
    voorkeur = {"correspondentie": "digitaal"}
    assert curator.change("PATCH", "/profiel/voorkeuren", voorkeur).status_code == 200


def _save(keys: PartijKeys, profiel: Profiel, version: int) -> int:
    change = Change(
        ActorRole.BURGER,
        None,
        datetime.now(UTC),
        uuid.uuid4().hex,
        soort=BSN,
        sealed_identifier=keys.sealed_identifier,
    )
    return ProfielRepository().save(keys.key, profiel, version, change)


def _wait_until_audited(world: World, keys: dict[str, PartijKeys]) -> None:
    def audited() -> bool:
        versions = {
            i.partij: int(i.version)
            for i in ProfielItem.scan(attributes_to_get=["partij", "version"])
        }
        heads = {
            i.partij: int(i.versie_na)
            for i in AuditKopItem.scan(attributes_to_get=["partij", "versie_na"])
        }
        return all(heads.get(keys[b].key) == versions[keys[b].key] for b in world.bsns)

    wait_for(audited, timeout=240, every=2)


# --- what is compared --------------------------------------------------------------------------


def _states(keys: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per BSN, by its key: the profile and its version, its trail (verified), its inzage - from
    one scan of each table (a query per partij would take minutes on the embedded store)."""
    profielen = {i.partij: i for i in ProfielItem.scan(consistent_read=True)}
    trails: dict[str, list[AuditRecord]] = defaultdict(list)
    for item in AuditItem.scan(consistent_read=True):
        trails[item.partij].append(audit_store._record(item))
    lookups = Counter(i.betrokkene for i in VerwerkingItem.scan(consistent_read=True) if i.oin)
    states = {}
    for bsn, key in keys.items():
        item = profielen.get(key)
        version = int(item.version) if item is not None else 0
        trail = sorted(trails[key], key=lambda r: r.volgnummer)
        assert first_broken_link(trail, chain_key()) is None, bsn
        assert first_missing_version(trail, version) is None, bsn
        states[bsn] = {
            "version": version,
            "profiel": profiel_from_item(item) if item is not None else Profiel(),
            "trail": [(r.actie, r.velden, r.versie, r.actor_rol, bool(r.actor)) for r in trail],
            "inzage": lookups[key],
        }
    return states


def _answers(gemeente: Organisation, bsns: list[str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for start in range(0, len(bsns), 500):  # a bulk lookup takes 1,000 at most
        asked = bsns[start : start + 500]
        response = gemeente.look_up(*asked)
        assert response.status_code == 200, response.text
        answers.update(zip(asked, response.json()["resultaten"], strict=True))
    return answers


def _owner_view(world: World, idp: DevIdentityProvider, bsn: str) -> dict[str, Any]:
    person = ApiClient(world.api_url, idp.burger_token(bsn))
    profile = person.read()
    inzage = person.request("GET", "/profiel/inzage")
    assert profile.status_code == inzage.status_code == 200, (profile.text, inzage.text)
    body = profile.json()
    return {"profiel": {k: v for k, v in body.items() if k != "registratie"}, "inzage": inzage}


class _Readers:
    """Owners reading their profile and inzage (and a few changing a preference), an organisation
    looking people up: all through the API, all the while the rotation runs."""

    def __init__(
        self,
        world: World,
        idp: DevIdentityProvider,
        gemeente: Organisation,
        owners_before: dict[str, dict[str, Any]],
        answers_before: dict[str, Any],
    ) -> None:
        self.world, self.idp, self.gemeente = world, idp, gemeente
        self.owners_before, self.answers_before = owners_before, answers_before
        self.owners = list(owners_before)[:40]
        self.writers = list(owners_before)[40:]  # each changes a preference once
        self.failures: list[str] = []
        self.reads: Counter[str] = Counter({"eigenaar": 0, "organisatie": 0, "wijziging": 0})
        self.changed: Counter[str] = Counter()
        self.looked_up: Counter[str] = Counter()
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def running(self) -> _Running:
        return _Running(self)

    def owner(self, seed: int) -> None:
        chance = random.Random(seed)
        while not self._stop.is_set():
            bsn = chance.choice(self.owners)
            view = _owner_view(self.world, self.idp, bsn)
            self._check(view["profiel"] == self.owners_before[bsn]["profiel"], "eigenaar", bsn)
            self._stop.wait(0.2)

    def writer(self) -> None:
        for bsn in self.writers:
            if self._stop.is_set():
                return
            person = ApiClient(self.world.api_url, self.idp.burger_token(bsn))
            response = person.change("PATCH", "/profiel/voorkeuren", {"taal": "en"})
            with self._lock:
                self.changed[bsn] += 1
            self._check(response.status_code == 200, "wijziging", response.text)

    def organisation(self, seed: int) -> None:
        chance = random.Random(seed)
        everyone = list(self.answers_before)
        while not self._stop.is_set():
            asked = chance.sample(everyone, 20)
            response = self.gemeente.look_up(*asked)
            ok = response.status_code == 200
            if ok:
                answers = dict(zip(asked, response.json()["resultaten"], strict=True))
                ok = all(
                    answers[b] == self.answers_before[b] for b in asked if b not in self.writers
                )
                with self._lock:
                    self.looked_up.update(asked)
            self._check(ok, "organisatie", response.text[:200])
            self._stop.wait(0.2)

    def _check(self, ok: bool, kind: str, what: str) -> None:
        with self._lock:
            self.reads[kind] += 1
            if not ok:
                self.failures.append(f"{kind}: {what}")


class _Running:
    def __init__(self, readers: _Readers) -> None:
        self.readers = readers
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> None:
        r = self.readers
        targets = [(r.owner, (1,)), (r.organisation, (2,)), (r.writer, ())]
        self.threads = [threading.Thread(target=t, args=a, daemon=True) for t, a in targets]
        for thread in self.threads:
            thread.start()

    def __exit__(self, *_: object) -> None:
        self.readers._stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


# --- after the rotation ------------------------------------------------------------------------


def _curators(key: str) -> list[str]:
    """The pseudonyms of the curators in a partij's trail, in the order of its changes."""
    trail = AuditTrail().of(key)
    return [r.actor for r in trail if r.actor_rol == ActorRole.CURATOR.value and r.actor]


def _nothing_under(old_keys: set[str]) -> None:
    """No item of any table under an old key, but the markers of moved chains."""
    found = Counter()
    for model, keys in (
        (ProfielItem, ["partij"]),
        (AuditItem, ["partij", "volgnummer"]),
        (VerificatieItem, ["partij", "contactgegeven"]),
    ):
        found[model.__name__] = sum(
            i.partij in old_keys for i in model.scan(attributes_to_get=keys)
        )
    found["AuditKopItem"] = sum(
        i.partij in old_keys and not i.verhuisd
        for i in AuditKopItem.scan(attributes_to_get=["partij", "verhuisd"])
    )
    records = list(VerwerkingItem.scan(attributes_to_get=["betrokkene", "attributes"]))
    found["VerwerkingItem"] = sum(i.betrokkene in old_keys for i in records)
    assert sum(found.values()) == 0, found
    for item in records:
        assert item.attributes.as_dict()["dpl.core.data_subject_id"] == item.betrokkene


def _moved_with_the_rotation(
    world: World,
    keys: RotationKeys,
    old_keys: dict[str, PartijKeys],
    new_keys: dict[str, PartijKeys],
    curators_before: dict[str, list[str]],
) -> None:
    """What a move changes besides the key: the representative's pseudonym, the pending code."""
    for bsn in world.bsns[:RICH]:
        before = curators_before[bsn]
        assert before, "a curator changed the profile"
        assert _curators(new_keys[bsn].key) == [keys.actor(actor) for actor in before]
        states = list(VerificatieItem.query(new_keys[bsn].key))
        assert states, "the verification states moved along"
        assert all(s.code_hash is None for s in states)  # a code of the old key confirms nothing
    assert not list(AuditItem.query(old_keys[world.bsns[0]].key))
