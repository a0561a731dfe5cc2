"""Serving a local WSGI app (the gateway, the NotifyNL stand-in) on a port of this machine.

What the HTTP server refuses itself, before any app sees the request - a request line it cannot
read, a header line over 64 KB, more than 100 headers - is answered as every error of the service
is: an RFC 9457 problem with the standard headers, not http.server's HTML page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.serving import BaseWSGIServer, ThreadedWSGIServer, WSGIRequestHandler

from shared.http.entrypoints import problem_event_response
from shared.problems import Problem

# The statuses http.server answers itself (``parse_request``, ``handle_one_request``).
_SERVER_PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("Ongeldig verzoek", "Dit is geen geldig HTTP-verzoek.", "ongeldig-verzoek"),
    414: ("Adres te lang", "Het adres (de URL) van het verzoek is te lang.", "adres-te-lang"),
    431: (
        "Kopregels te groot",
        "Het verzoek heeft te veel of te lange kopregels (headers).",
        "kopregels-te-groot",
    ),
    505: ("HTTP-versie niet ondersteund", "Stuur het verzoek met HTTP/1.1.", "http-versie"),
}
_OTHER_CLIENT_ERROR = (
    "Ongeldig verzoek",
    "Dit verzoek kan niet worden verwerkt.",
    "ongeldig-verzoek",
)
_OTHER_SERVER_ERROR = (
    "Serverfout",
    "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
    "serverfout",
)


def server_problem(status: int) -> Problem:
    """The problem for a status the HTTP server gives before any app runs."""
    default = _OTHER_CLIENT_ERROR if status < 500 else _OTHER_SERVER_ERROR
    title, detail, slug = _SERVER_PROBLEMS.get(status, default)
    return Problem(status, title, detail, slug)


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log: raw paths may carry what a client should not have put there."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals as problems with the standard headers.

        ``message`` and ``explain`` are http.server's English and may quote the request line (a
        path with an identifier in it): neither is answered nor logged.
        """
        answer = problem_event_response(server_problem(code))
        body = answer["body"].encode()
        # A request line that could not be read leaves the version at HTTP/0.9, for which
        # http.server writes neither a status line nor headers: answer as HTTP/1.1 does.
        if self.request_version == "HTTP/0.9":
            self.request_version = self.protocol_version
        self.close_connection = True
        self.send_response(code)
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        for name, value in answer["headers"].items():  # Content-Type, API-Version, ...
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadedWSGIServer):
    # SO_REUSEADDR, so that `make run` can listen again right after a stop while the last
    # connections are in TIME_WAIT. werkzeug's BaseWSGIServer sets it too; here it is ours to keep.
    allow_reuse_address = True


def serve(app: Callable, host: str, port: int) -> BaseWSGIServer:
    """A threaded HTTP server for ``app`` (start it with ``serve_forever``)."""
    return _Server(host, port, app, handler=_QuietRequestHandler)
