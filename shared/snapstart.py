"""Lambda SnapStart: what a function resumed from a snapshot must not keep from its snapshot.

Lambda initialises a function version once (the import of its handler module), snapshots that
process, and resumes every new execution environment from the snapshot - many at a time, and
possibly long after it was taken. Whatever a process keeps would be the same in every copy and
as old as the snapshot. After a restore, :func:`after_restore` therefore drops:

- the settings (``shared.config``), and the SSM parameters behind them: a secret may have been
  rotated since (the pseudonym key, the trusted issuers, the API keys);
- the issuers' key sets, the keys built from them and the tokens verified with them;
- the connections: the store's (pynamodb's botocore client), the registers' HTTP sessions with
  their answers and circuit breakers, NotifyNL's client;
- the process's own data key for sealing identifiers: one per process, never shared by copies;
- the state of ``random`` (span ids, the store's retry jitter): every copy would draw the same
  numbers.

Each is built again where it is next needed, as at a cold start. Nothing is imported to be
dropped: a module the function never imported (``sys.modules``) has nothing to drop.

The hooks are registered with AWS's ``snapshot_restore_py``, which the Lambda runtime provides.
Where it is missing (Knative, OpenFaaS, tests without it) nothing is ever snapshotted, and
registering does nothing.
"""

from __future__ import annotations

import random
import sys
from typing import Any

_registered = False


def register_hooks() -> None:
    """Have the Lambda runtime call :func:`after_restore` after each restore; once per process."""
    global _registered
    if _registered:
        return
    try:
        from snapshot_restore_py import register_after_restore
    except ImportError:  # not on Lambda: no snapshot is ever taken
        return
    register_after_restore(after_restore)
    _registered = True


def after_restore() -> None:
    """Drop what this process kept from before the snapshot (see the module's description)."""
    _forget_settings()
    _forget_tokens()
    _forget_connections()
    _forget_data_keys()
    random.seed()  # from os.urandom, which Lambda makes unique per restored copy


def _loaded(name: str) -> Any:
    """The module ``name`` if this process imported it, else None."""
    return sys.modules.get(name)


def _forget_settings() -> None:
    config = _loaded("shared.config")
    if config is not None:
        for settings in (
            config.get_settings,
            config.get_event_settings,
            config.get_notify_settings,
            config.get_register_settings,
        ):
            settings.cache_clear()
    # Powertools keeps the SSM parameters it read (a few seconds) in its SSM provider, which
    # also holds the SSM client: both go.
    parameters = _loaded("aws_lambda_powertools.utilities.parameters.base")
    if parameters is not None:
        parameters.clear_caches()


def _forget_tokens() -> None:
    tokens = _loaded("shared.identity.tokens")
    if tokens is not None:
        tokens.KEY_SETS.clear()
        tokens.VERIFIED_TOKENS.clear()
        tokens._public_key.cache_clear()


def _forget_connections() -> None:
    tables = _loaded("shared.store.tables")
    if tables is not None:
        tables.forget_connections()
    registers = _loaded("shared.registers")
    if registers is not None:
        for client in (registers.personen, registers.handelsregister, registers.adressen):
            client.cache_clear()
    notify = _loaded("shared.notify")
    if notify is not None:
        notify._client.cache_clear()


def _forget_data_keys() -> None:
    sealing = _loaded("shared.identity.sealing")
    if sealing is not None:
        sealing._data_key.cache_clear()
