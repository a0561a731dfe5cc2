"""Serving a local WSGI app (the gateway, the NotifyNL stand-in) on a port of this machine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log: raw paths may carry what a client should not have put there."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


def serve(app: Callable, host: str, port: int) -> BaseWSGIServer:
    """A threaded HTTP server for ``app`` (start it with ``serve_forever``)."""
    return make_server(host, port, app, threaded=True, request_handler=_QuietRequestHandler)
