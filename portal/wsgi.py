"""``portal.wsgi:app`` for a WSGI server (gunicorn, a Lambda web adapter), configured from the
environment (docs/portal.md)."""

from portal.app import create_app
from portal.config import PortalConfig

app = create_app(PortalConfig.from_environment())
