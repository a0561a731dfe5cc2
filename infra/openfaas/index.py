"""The WSGI application inside a Profiel Service function's image on OpenFaaS.

of-watchdog (``mode=http``) starts gunicorn (``gunicorn.conf.py`` next to this file) and
forwards every request to it on ``upstream_url`` (127.0.0.1:5000); gunicorn calls
:func:`create_app` once per worker and serves the application it returns with a few threads.

Each request is converted once - the WSGI request into the API Gateway v2 event
(``shared.http.entrypoints.wsgi_event``, which also keeps an encoded slash ``%2F`` from being
routed as a separator) - and handed to the function's router (``resolve``, which answers HEAD
as GET without the body). The ``handle(event, context)`` of OpenFaaS's python3-http template
(``openfaas_entry``) is not used: it would convert the request twice.

- The function is ``functions.<package>``, named by ``FUNCTION_PACKAGE`` (a build argument baked
  into each image). An HTTP function's router is its ``app.api``; process-log, which consumes
  the profile table's stream instead, gets a batch of stream records as the body and answers
  with its ``batchItemFailures`` (``lambda_handler``).
- OpenFaaS mounts secrets as files (``/var/openfaas/secrets/<name>``) while the service reads its
  configuration from environment variables, so the known secrets are copied into the
  environment first - before the function is imported, since some modules read their
  configuration at import time (``shared.store.tables``).
- An error the function lets through (a missing configuration variable, mostly) is logged the
  way the service logs one - its type, never its message (a configuration error's names only the
  variables at fault) - and answered with a 500 problem.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, MutableMapping
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

# None of these reads configuration when imported: the secrets are not in the environment yet.
from functions.registry import FUNCTIONS, Function
from shared.config import ConfigurationError, get_settings
from shared.http.entrypoints import (
    HEALTH_PATH,
    STANDARD_HEADERS,
    problem_event_response,
    refuse_large_body,
    resolve,
    wsgi_event,
    wsgi_response,
)
from shared.logs import logger
from shared.problems import server_error

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from shared.http.api import FunctionApi

SECRETS_DIR_VARIABLE = "OPENFAAS_SECRETS_DIR"
DEFAULT_SECRETS_DIR = "/var/openfaas/secrets"

# OpenFaaS secret name -> the environment variable the service reads. Secret names are
# Kubernetes object names (lowercase letters, digits, '-', '.'), so they cannot be the
# variables' own names.
SECRET_VARIABLES = {
    "profiel-pseudonym-key": "PROFIEL_PSEUDONYM_KEY",
    # During a key rotation only (docs/deploy.md, "Rotating keys").
    "profiel-pseudonym-key-previous": "PROFIEL_PSEUDONYM_KEY_PREVIOUS",
    "profiel-notify-api-key": "PROFIEL_NOTIFY_API_KEY",
    # report-delivery: the bearer token of NotifyNL's delivery receipts.
    "profiel-notify-callback-token": "PROFIEL_NOTIFY_CALLBACK_TOKEN",
    "profiel-aws-access-key-id": "AWS_ACCESS_KEY_ID",
    "profiel-aws-secret-access-key": "AWS_SECRET_ACCESS_KEY",
    "profiel-brp-api-key": "PROFIEL_BRP_API_KEY",
    "profiel-kvk-api-key": "PROFIEL_KVK_API_KEY",
    "profiel-bag-api-key": "PROFIEL_BAG_API_KEY",
}

PACKAGE_VARIABLE = "FUNCTION_PACKAGE"

# process-log's Lambda entry: a DynamoDB Streams batch in, its batchItemFailures out.
BatchHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


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


def create_app(package: str | None = None) -> WSGIApplication:
    """gunicorn's application factory (``wsgi_app`` in gunicorn.conf.py): the secrets into the
    environment, then the function of ``package`` (default: ``FUNCTION_PACKAGE``) imported."""
    load_secrets()
    return function_app(registered(package or os.environ.get(PACKAGE_VARIABLE)))


def registered(package: str | None) -> Function:
    """The registry's function of ``package``: what it serves decides how it is served."""
    if not package:
        raise RuntimeError(f"{PACKAGE_VARIABLE} is not set: which function is this image?")
    found = next((f for f in FUNCTIONS if f.package == package), None)
    if found is None:
        raise RuntimeError(f"{PACKAGE_VARIABLE} {package} is no function of the registry")
    return found


def function_app(function: Function) -> WSGIApplication:
    """The application of a function: its router, or process-log's batch entry."""
    if function.consumes_profile_stream:
        handler: BatchHandler = import_module(function.handler_module).lambda_handler
        return batch_application(handler)
    api: FunctionApi = import_module(f"{function.package}.app").api
    return application(api)


def application(api: FunctionApi) -> WSGIApplication:
    """The WSGI application of an HTTP function: every request through its router."""

    @Request.application
    def app(request: Request) -> Response:
        try:
            response = _answer(api, request)
        except Exception as error:  # noqa: BLE001 - answered and logged, as a runtime would
            response = _unexpected(error)
        # A werkzeug Response that keeps the Content-Length an answer to HEAD declares.
        answer: Response = wsgi_response(response)
        return answer

    return app


def _answer(api: FunctionApi, request: Request) -> dict[str, Any]:
    if request.path == HEALTH_PATH:
        # Readiness without the store: gunicorn is up and the function is imported.
        headers = {"Content-Type": "application/json", **STANDARD_HEADERS}
        return {"statusCode": 200, "body": '{"status":"UP"}', "headers": headers}
    # A declared length is refused before anything is read; a body without one (chunked) once
    # it is read, and it is read only just past the limit.
    return (
        refuse_large_body(request.content_length)
        or refuse_large_body(len(_body(request)))
        or resolve(api, wsgi_event(request), None)
    )


def _body(request: Request) -> bytes:
    """The body, read (and kept for :func:`wsgi_event`) up to one byte past the limit: werkzeug
    stops a stream without a declared length at ``max_content_length`` without saying whether
    more was sent, so the byte past the limit is what shows that it was."""
    request.max_content_length = get_settings().max_body_bytes + 1
    body: bytes = request.get_data()
    return body


def batch_application(handler: BatchHandler) -> WSGIApplication:
    """process-log's WSGI application: the body is a batch of the profile table's stream records
    (the DynamoDB Streams event Lambda receives), the answer the records to deliver again.

    No body limit: a batch of a hundred records with their images is far over the API's, and
    only the stream's feeder may reach this function (README.md, "Routing the public API").
    """

    @Request.application
    def app(request: Request) -> Response:
        try:
            result = handler(json.loads(request.get_data() or b"{}"), None)
            response = {
                "statusCode": 200,
                "body": json.dumps(result),
                "headers": {"Content-Type": "application/json"},
            }
        except Exception as error:  # noqa: BLE001 - answered and logged, as a runtime would
            response = _unexpected(error)
        answer: Response = wsgi_response(response)
        return answer

    return app


def _unexpected(error: Exception) -> dict[str, Any]:
    extra = {"function_package": os.environ.get(PACKAGE_VARIABLE), "error": type(error).__name__}
    if isinstance(error, ConfigurationError):
        # Its message names the variables at fault, never their values (shared/config.py).
        extra["detail"] = str(error)
    logger.error("unexpected error", extra=extra)
    return problem_event_response(server_error())
