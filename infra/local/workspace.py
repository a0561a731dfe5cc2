"""The git-ignored folder where the local stack keeps its state between runs.

``.local/`` in the repository (``PROFIEL_LOCAL_DIR`` to move it) holds the store snapshot and
journal, the pseudonym key, the development IdP's signing key and the key the functions use at
the NotifyNL stand-in. The keys must survive a restart, or the restored data would belong to nobody.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

# One atomic private write for the local stack and the pump (which must not need the local stack).
from pump.state import write_private

__all__ = ["Workspace", "write_private"]

REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def default(cls) -> Workspace:
        return cls(Path(os.environ.get("PROFIEL_LOCAL_DIR") or REPOSITORY / ".local"))

    @property
    def snapshot(self) -> Path:
        return self.root / "data" / "snapshot.json"

    @property
    def journal(self) -> Path:
        """The store's writes since the snapshot (``infra.local.store_server``)."""
        return self.root / "data" / "journal.jsonl"

    @property
    def signing_key(self) -> Path:
        return self.root / "dev-idp" / "signing-key.pem"

    @property
    def jwks(self) -> Path:
        return self.root / "dev-idp" / "jwks.json"

    def pseudonym_key(self) -> str:
        return self._secret(self.root / "secrets" / "pseudonym.key", lambda: secrets.token_hex(32))

    def previous_pseudonym_key(self) -> str | None:
        """The key a rotation of the local stack replaces, while it goes on."""
        path = self.root / "secrets" / "pseudonym.previous.key"
        return path.read_text().strip() if path.exists() else None

    def begin_key_rotation(self) -> None:
        """A new pseudonym key; the current one becomes the previous until the rotation ends."""
        if self.previous_pseudonym_key() is not None:
            raise ValueError("a key rotation is going on already")
        write_private(self.root / "secrets" / "pseudonym.previous.key", self.pseudonym_key())
        write_private(self.root / "secrets" / "pseudonym.key", secrets.token_hex(32))

    def retire_previous_pseudonym_key(self) -> None:
        (self.root / "secrets" / "pseudonym.previous.key").unlink(missing_ok=True)

    def sealing_private_key(self) -> str:
        from shared.identity.sealing import new_key_pair

        return self._secret(self.root / "secrets" / "sealing.key", lambda: new_key_pair()[0])

    def sealing_public_key(self) -> str:
        from shared.identity.sealing import public_key_of

        return public_key_of(self.sealing_private_key())

    def notify_api_key(self) -> str:
        from infra.local.notify import local_api_key

        return self._secret(self.root / "secrets" / "notify-api.key", local_api_key)

    def notify_callback_token(self) -> str:
        """What NotifyNL's delivery receipts are sent with (the stand-in sends none itself: the
        tests and ``profiel invoke`` play NotifyNL)."""
        return self._secret(
            self.root / "secrets" / "notify-callback.token", lambda: secrets.token_urlsafe(32)
        )

    def portal_client_secret(self) -> str:
        """The reference portal's client secret at the development IdP."""
        return self._secret(
            self.root / "secrets" / "portal-client.secret", lambda: secrets.token_urlsafe(32)
        )

    def portal_secret_key(self) -> str:
        """What the portal signs its session ids and CSRF tokens with."""
        return self._secret(
            self.root / "secrets" / "portal-session.key", lambda: secrets.token_urlsafe(32)
        )

    def _secret(self, path: Path, create) -> str:
        if not path.exists():
            write_private(path, create())
        return path.read_text().strip()
