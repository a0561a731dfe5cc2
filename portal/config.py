"""The portal's configuration, from the environment (docs/portal.md has the table)."""

from __future__ import annotations

import os
from dataclasses import dataclass

CLIENT_ID = "profielservice-portaal"


@dataclass(frozen=True)
class PortalConfig:
    # The Profiel Service API, e.g. https://api.example.nl/api/profiel/v1.
    api_url: str
    # The identity provider's discovery document (OIDC Discovery 1.0).
    oidc_metadata_url: str
    client_id: str
    client_secret: str
    # Signs the session cookie's id and the CSRF tokens.
    secret_key: str
    # Where people reach the portal: its redirect URI is derived from it, and over https the
    # session cookie is Secure.
    public_url: str

    @property
    def redirect_uri(self) -> str:
        return self.public_url.rstrip("/") + "/inloggen/terug"

    @property
    def over_tls(self) -> bool:
        return self.public_url.startswith("https://")

    @classmethod
    def from_environment(cls) -> PortalConfig:
        def required(name: str) -> str:
            value = os.environ.get(name)
            if not value:
                raise SystemExit(f"{name} is not set (see docs/portal.md)")
            return value

        return cls(
            api_url=required("PORTAL_API_URL").rstrip("/"),
            oidc_metadata_url=required("PORTAL_OIDC_METADATA_URL"),
            client_id=os.environ.get("PORTAL_CLIENT_ID", CLIENT_ID),
            client_secret=required("PORTAL_CLIENT_SECRET"),
            secret_key=required("PORTAL_SECRET_KEY"),
            public_url=required("PORTAL_PUBLIC_URL").rstrip("/"),
        )
