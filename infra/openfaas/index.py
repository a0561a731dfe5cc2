"""The HTTP server inside a Profiel Service function's image on OpenFaaS.

of-watchdog (``mode=http``) starts ``python index.py`` and forwards every request to it on
``upstream_url`` (127.0.0.1:5000). This module plays the part of the ``index.py`` of OpenFaaS's
``python3-http`` template - it builds the ``event`` that template gives a handler (``body``
bytes, ``headers``, ``method``, ``query``, ``path``), calls the function's
``handle(event, context)`` and writes the returned ``{"statusCode", "body", "headers"}`` - with
three differences:

- the handler is ``functions.<package>.handler.handle``, named by ``FUNCTION_PACKAGE`` (a build
  argument baked into each image), because every function imports the shared ``shared`` package
  and the template's single ``function/`` folder cannot hold that;
- the event also carries ``request_uri``, the request target as sent (not percent-decoded), so
  that ``handle`` never routes an encoded slash (``%2F``) in the path as a separator;
- OpenFaaS mounts secrets as files (``/var/openfaas/secrets/<name>``) while the service reads its
  configuration from environment variables, so the known secrets are copied into the
  environment first - before the handler is imported, since some modules read their
  configuration at import time (``shared.store.tables``).

An error the function lets through (a missing configuration variable, mostly) is logged the way
the service logs one - its type, never its message (a configuration error's names only the
variables at fault) - and answered with a 500 problem.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

# None of these reads configuration when imported: the secrets are not in the environment yet.
from shared.config import ConfigurationError
from shared.http.entrypoints import problem_event_response, request_target, wsgi_response
from shared.logs import logger
from shared.problems import server_error

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

SECRETS_DIR_VARIABLE = "OPENFAAS_SECRETS_DIR"
DEFAULT_SECRETS_DIR = "/var/openfaas/secrets"

# OpenFaaS secret name -> the environment variable the service reads. Secret names are
# Kubernetes object names (lowercase letters, digits, '-', '.'), so they cannot be the
# variables' own names.
SECRET_VARIABLES = {
    "profiel-pseudonym-key": "PROFIEL_PSEUDONYM_KEY",
    "profiel-notify-api-key": "PROFIEL_NOTIFY_API_KEY",
    "profiel-aws-access-key-id": "AWS_ACCESS_KEY_ID",
    "profiel-aws-secret-access-key": "AWS_SECRET_ACCESS_KEY",
}

PACKAGE_VARIABLE = "FUNCTION_PACKAGE"
HOST = "127.0.0.1"  # of-watchdog's upstream_url; nothing else is meant to reach this server
PORT = 5000

Handle = Callable[[Any, Any], dict[str, Any] | None]


def load_secrets(
    directory: Path | None = None,
    environ: MutableMapping[str, str] = os.environ,
    secrets: Iterable[tuple[str, str]] = SECRET_VARIABLES.items(),
) -> list[str]:
    """Set each known secret's variable from its file; the names of the variables set.

    A variable the environment already has wins: that keeps a deliberate override (or a
    platform that injects secrets as variables) in charge. The trailing line break a secret
    created ``--from-file`` usually carries is cut off - kept, it would silently change the
    pseudonym key and with it every stored partij's key.
    """
    folder = directory or Path(environ.get(SECRETS_DIR_VARIABLE) or DEFAULT_SECRETS_DIR)
    loaded = []
    for secret, variable in secrets:
        path = folder / secret
        if environ.get(variable) or not path.is_file():
            continue
        environ[variable] = path.read_text(encoding="utf-8").rstrip("\r\n")
        loaded.append(variable)
    return loaded


@dataclass(frozen=True)
class Event:
    """The request as the python3-http template hands it to ``handle``."""

    body: bytes
    headers: dict[str, str]
    method: str
    query: dict[str, str]
    path: str
    # Not the template's: the request target as sent (shared.http.entrypoints.routing_path).
    request_uri: str | None = None


def load_handle(package: str | None = None) -> Handle:
    name = package or os.environ.get(PACKAGE_VARIABLE)
    if not name:
        raise RuntimeError(f"{PACKAGE_VARIABLE} is not set: which function is this image?")
    handle: Handle = import_module(f"{name}.handler").handle
    return handle


def application(handle: Handle) -> WSGIApplication:
    """The WSGI application that runs every request through ``handle``."""

    @Request.application
    def app(request: Request) -> Response:
        event = Event(
            body=request.get_data(),
            headers=dict(request.headers),
            method=request.method,
            # As the template's ``request.args``: a repeated parameter's first value.
            query=request.args.to_dict(),
            path=request.path,
            request_uri=request_target(request.environ),
        )
        try:
            result = handle(event, None) or {}
        except Exception as error:  # noqa: BLE001 - answered and logged, as a runtime would
            result = _unexpected(error)
        # As a werkzeug Response that keeps the Content-Length an answer to HEAD declares.
        answer: Response = wsgi_response(
            {
                "statusCode": int(result.get("statusCode", 200)),
                "body": result.get("body") or "",
                "headers": result.get("headers") or {},
            }
        )
        return answer

    return app


def _unexpected(error: Exception) -> dict[str, Any]:
    extra = {"function_package": os.environ.get(PACKAGE_VARIABLE), "error": type(error).__name__}
    if isinstance(error, ConfigurationError):
        # Its message names the variables at fault, never their values (shared/config.py).
        extra["detail"] = str(error)
    logger.error("unexpected error", extra=extra)
    return problem_event_response(server_error())


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # werkzeug's access line carries the raw path, and a path may carry an identifier; the
        # service logs each request itself with the route template only.
        pass


def main() -> None:
    load_secrets()
    server = make_server(
        HOST, PORT, application(load_handle()), threaded=True, request_handler=_QuietRequestHandler
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
