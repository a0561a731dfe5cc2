"""A local stand-in for NotifyNL: the GOV.UK Notify REST API v2, as far as the service uses it.

NotifyNL runs GOV.UK Notify, so the service sends with the real ``NotificationsAPIClient``; this
app accepts exactly what that client sends (``POST /v2/notifications/email`` and ``/sms``,
``GET /v2/notifications/<id>``), checks the API-key JWT the way Notify does, renders the
template, and keeps the message instead of delivering it. A developer trying the service reads
their code on the console (the ``echo`` callback, one line per message) or at ``GET /``; tests
read ``sent``. ``GET /messages.json`` lists the messages newest first, each with the field names
of ``SentMessage`` (snake_case).

Errors have Notify's v2 shape and, where the service could meet them, Notify's messages. Not
copied from Notify: e-mail and phone formats (only missing or empty is refused), conditional
placeholders ``((name??text))``, Notify's case- and space-insensitive placeholder names, and
checks of ``email_reply_to_id`` / ``sms_sender_id`` beyond being UUIDs.

Nothing is logged: recipients and codes are personal data. Only for local use.
"""

from __future__ import annotations

import html
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import requests
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import (
    TokenAlgorithmError,
    TokenDecodeError,
    TokenError,
    TokenExpiredError,
    TokenIssuerError,
)
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

Kind = Literal["email", "sms"]
TEMPLATE_VERSION = 1
FROM_EMAIL = "profielservice@notifynl.localhost"
FROM_NUMBER = "ProfielSvc"
_PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")
_ECHO_PREFIX = "[NotifyNL stand-in]"
_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
# Notify's own texts for these (notifications-api, app/authentication/auth.py).
_CLOCK_SKEW = "Error: Your system clock must be accurate to within 30 seconds"
_INVALID_TOKEN = (
    "Invalid token: make sure your API token matches the example at "
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)


@dataclass(frozen=True)
class Template:
    id: str
    kind: Kind
    subject: str | None  # e-mail only
    body: str  # with Notify placeholders: ((code))

    def placeholders(self) -> list[str]:
        text = f"{self.subject or ''}\n{self.body}"
        return list(dict.fromkeys(m.group(1).strip() for m in _PLACEHOLDER.finditer(text)))


LOCAL_TEMPLATES: dict[str, Template] = {
    "email_code": Template(
        id="d87345d8-1827-4745-b0c4-c0d27f21061f",
        kind="email",
        subject="Uw verificatiecode",
        body=(
            "Uw code om dit e-mailadres te bevestigen in uw profiel is ((code)). De code is "
            "((geldig_minuten)) minuten geldig. Heeft u dit niet aangevraagd? Dan kunt u dit "
            "bericht negeren."
        ),
    ),
    "sms_code": Template(
        id="55a44423-1a99-42b8-a4ae-0dafa3e4718f",
        kind="sms",
        subject=None,
        body=(
            "Uw verificatiecode voor de Profiel Service is ((code)). "
            "Geldig ((geldig_minuten)) minuten."
        ),
    ),
    "email_notice": Template(
        id="58a7aa27-8f38-49db-94d5-9a8dab790fe1",
        kind="email",
        subject="Uw e-mailadres is ((wijziging)) in uw profiel",
        body=(
            "Dit e-mailadres is ((wijziging)) in uw profiel bij de Profiel Service. Heeft u dit "
            "niet zelf gedaan? Log dan in en controleer uw profiel."
        ),
    ),
    "email_onbestelbaar": Template(
        id="3c0f5c1e-6f5d-4b8e-9a3e-2b7d8f0a9c41",
        kind="email",
        subject="Een ((soort)) in uw profiel is onbestelbaar",
        body=(
            "Berichten naar een ((soort)) in uw profiel bij de Profiel Service komen niet aan. "
            "Organisaties gebruiken het daarom niet meer. Log in om het te controleren of "
            "opnieuw te bevestigen."
        ),
    ),
}


def local_api_key(key_name: str = "profielservice_lokaal") -> str:
    """A new Notify-format API key: ``<key name>-<service id>-<secret>``."""
    return f"{key_name}-{uuid.uuid4()}-{uuid.uuid4()}"


@dataclass(frozen=True)
class SentMessage:
    id: str
    kind: Kind
    to: str  # email_address or phone_number as received
    template_id: str
    subject: str | None  # rendered
    body: str  # rendered
    reference: str | None
    created_at: str  # ISO 8601 UTC


class _NotifyError(Exception):
    """An answer in Notify's v2 error shape."""

    def __init__(self, status: int, error: str, *messages: str) -> None:
        super().__init__(status)
        self.status = status
        self.errors = [{"error": error, "message": message} for message in messages]

    def response(self) -> Response:
        return _json(self.status, {"errors": self.errors, "status_code": self.status})


_RECIPIENT_FIELD: dict[Kind, str] = {"email": "email_address", "sms": "phone_number"}
_SENDER_FIELD: dict[Kind, str] = {"email": "email_reply_to_id", "sms": "sms_sender_id"}
_OPTIONAL_TEXT_FIELDS: dict[Kind, tuple[str, ...]] = {
    "email": ("reference", "one_click_unsubscribe_url", "sanitise_content_for"),
    "sms": ("reference",),
}


class NotifyStandIn:
    """The WSGI app. ``sent`` holds the messages in the order they were sent; set ``failing`` to
    make every ``POST /v2/...`` answer 500 and keep nothing, as in a NotifyNL outage."""

    def __init__(
        self,
        api_keys: Iterable[str],
        templates: Iterable[Template] = LOCAL_TEMPLATES.values(),
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self._secrets: dict[str, list[str]] = {}
        for key in api_keys:
            # Cut as the client cuts it; a malformed key is a configuration error, said early.
            service_id, secret = str(uuid.UUID(key[-73:-37])), str(uuid.UUID(key[-36:]))
            self._secrets.setdefault(service_id, []).append(secret)
        self._templates = {str(uuid.UUID(t.id)): t for t in templates}
        self._echo = echo
        self._lock = threading.Lock()  # the server is threaded
        self.sent: list[SentMessage] = []
        self.failing = False
        self._map = Map(
            [
                Rule("/v2/notifications/email", methods=["POST"], endpoint="email"),
                Rule("/v2/notifications/sms", methods=["POST"], endpoint="sms"),
                Rule("/v2/notifications/<notification_id>", methods=["GET"], endpoint="get"),
                Rule("/", methods=["GET"], endpoint="page"),
                Rule("/messages.json", methods=["GET"], endpoint="messages"),
                Rule("/healthz", methods=["GET"], endpoint="health"),
            ],
            strict_slashes=True,
            merge_slashes=False,
            redirect_defaults=False,
        )

    def messages_to(self, to: str) -> list[SentMessage]:
        """The messages to one recipient, newest last."""
        with self._lock:
            return [message for message in self.sent if message.to == to]

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        return self.respond(Request(environ))(environ, start_response)

    def respond(self, request: Request) -> Response:
        try:
            endpoint, arguments = self._map.bind_to_environ(request.environ).match()
            if endpoint in ("email", "sms"):
                if self.failing:
                    raise _NotifyError(500, "Exception", "Internal server error")
                self._authenticate(request)
                return self._send(endpoint, request)
            if endpoint == "get":
                self._authenticate(request)
                return self._get(arguments["notification_id"], request)
            return {
                "page": self._page,
                "messages": self._messages,
                "health": lambda: _json(200, {"status": "UP"}),
            }[endpoint]()
        except MethodNotAllowed as error:
            response = _NotifyError(405, "MethodNotAllowed", "Method not allowed").response()
            response.allow.update(sorted(set(error.valid_methods or ()) - {"HEAD"}))
            return response
        except NotFound:
            return _NotifyError(404, "NotFound", "Not found").response()
        except _NotifyError as error:
            return error.response()

    def _authenticate(self, request: Request) -> None:
        """Notify's check of the API-key JWT, with the same client library Notify itself uses."""
        header = request.headers.get("Authorization")
        if not header:
            raise _auth_error(401, "Unauthorized: authentication token must be provided")
        if header[:7].title() != "Bearer ":
            raise _auth_error(401, "Unauthorized: authentication bearer scheme must be used")
        token = header[7:]
        try:
            issuer = get_token_issuer(token)
        except TokenIssuerError:
            raise _auth_error(403, "Invalid token: iss field not provided") from None
        except TokenDecodeError:
            raise _auth_error(403, "Invalid token: signature, api token is not valid") from None
        try:
            service_id = str(uuid.UUID(str(issuer)))
        except ValueError:
            raise _auth_error(403, "Invalid token: service id is not the right data type") from None
        if service_id not in self._secrets:
            raise _auth_error(403, "Invalid token: service not found")
        for secret in self._secrets[service_id]:
            try:
                decode_jwt_token(token, secret)
                return
            except TokenExpiredError:
                raise _auth_error(403, _CLOCK_SKEW) from None
            except TokenAlgorithmError:
                raise _auth_error(403, "Invalid token: algorithm used is not HS256") from None
            except TokenDecodeError:
                continue  # another key of the service may have signed it
            except TokenError:
                raise _auth_error(403, _INVALID_TOKEN) from None
        raise _auth_error(403, "Invalid token: API key not found")

    def _send(self, kind: Kind, request: Request) -> Response:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise _NotifyError(400, "BadRequestError", "Invalid JSON supplied in POST data")
        _validate(kind, data)
        template = self._templates.get(str(uuid.UUID(data["template_id"])))
        if template is None:
            raise _NotifyError(400, "BadRequestError", "Template not found")
        if template.kind != kind:
            message = f"{template.kind} template is not suitable for {kind} notification"
            raise _NotifyError(400, "BadRequestError", message)
        values = data.get("personalisation") or {}
        missing = [name for name in template.placeholders() if values.get(name) is None]
        if missing:
            message = f"Missing personalisation: {', '.join(missing)}"
            raise _NotifyError(400, "BadRequestError", message)
        message = SentMessage(
            id=str(uuid.uuid4()),
            kind=kind,
            to=data[_RECIPIENT_FIELD[kind]],
            template_id=template.id,
            subject=_render(template.subject, values),
            body=_render(template.body, values) or "",
            reference=data.get("reference"),
            created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        )
        with self._lock:
            self.sent.append(message)
        if self._echo is not None:
            self._echo(_echo_line(message))
        content: dict[str, Any] = {"body": message.body}
        if kind == "email":
            content.update(subject=message.subject, from_email=FROM_EMAIL)
        else:
            content.update(from_number=FROM_NUMBER)
        root = request.host_url
        return _json(
            201,
            {
                "id": message.id,
                "reference": message.reference,
                "content": content,
                "uri": f"{root}v2/notifications/{message.id}",
                "template": {
                    "id": template.id,
                    "version": TEMPLATE_VERSION,
                    "uri": f"{root}v2/template/{template.id}",
                },
            },
        )

    def _get(self, notification_id: str, request: Request) -> Response:
        if not _is_uuid(notification_id):
            raise _NotifyError(400, "ValidationError", "notification_id is not a valid UUID")
        with self._lock:
            wanted = str(uuid.UUID(notification_id))
            found = next((m for m in self.sent if m.id == wanted), None)
        if found is None:
            raise _NotifyError(404, "NoResultFound", "No result found")
        template_uri = f"{request.host_url}v2/template/{found.template_id}"
        return _json(
            200,
            {
                "id": found.id,
                "reference": found.reference,
                "email_address": found.to if found.kind == "email" else None,
                "phone_number": found.to if found.kind == "sms" else None,
                **{f"line_{n}": None for n in range(1, 7)},
                "postcode": None,
                "postage": None,
                "type": found.kind,
                "status": "delivered",
                "template": {
                    "id": found.template_id,
                    "version": TEMPLATE_VERSION,
                    "uri": f"{template_uri}/version/{TEMPLATE_VERSION}",
                },
                "body": found.body,
                "subject": found.subject,
                "created_at": found.created_at,
                "created_by_name": None,
                "sent_at": found.created_at,
                "completed_at": found.created_at,
                "scheduled_for": None,
            },
        )

    def _newest_first(self) -> list[SentMessage]:
        with self._lock:
            return list(reversed(self.sent))

    def _messages(self) -> Response:
        return _json(200, [asdict(message) for message in self._newest_first()])

    def _page(self) -> Response:
        rows = "\n".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(value or '')}</td>"
                for value in (m.created_at, m.kind, m.to, m.subject, m.body)
            )
            + "</tr>"
            for m in self._newest_first()
        )
        title = "NotifyNL stand-in: verzonden berichten"
        page = f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: .3em .6em; text-align: left; vertical-align: top; }}
td:last-child {{ white-space: pre-wrap; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>Niets hiervan is echt verstuurd. Nieuwste bovenaan; de pagina ververst elke 5 seconden.</p>
<table>
<tr><th>Tijd (UTC)</th><th>Soort</th><th>Aan</th><th>Onderwerp</th><th>Bericht</th></tr>
{rows or '<tr><td colspan="5">Nog geen berichten.</td></tr>'}
</table>
</body>
</html>
"""
        return Response(
            page,
            status=200,
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Cache-Control": "no-store",
                # The page shows what callers sent: nothing in it may run, load or be framed.
                "Content-Security-Policy": (
                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
                ),
            },
        )


def _validate(kind: Kind, data: dict[str, Any]) -> None:
    """The request-schema checks of Notify's v2 API that the service could fail."""
    recipient, sender = _RECIPIENT_FIELD[kind], _SENDER_FIELD[kind]
    optional_text = _OPTIONAL_TEXT_FIELDS[kind]
    allowed = {recipient, sender, "template_id", "personalisation", *optional_text}
    errors: list[str] = []
    unexpected = sorted(set(data) - allowed)
    if unexpected:
        verb = "was" if len(unexpected) == 1 else "were"
        names = ", ".join(repr(name) for name in unexpected)
        errors.append(f"Additional properties are not allowed ({names} {verb} unexpected)")
    for field in (recipient, "template_id"):
        if field not in data:
            errors.append(f"{field} is a required property")
    if recipient in data and (not isinstance(data[recipient], str) or not data[recipient]):
        errors.append(
            "email_address Not a valid email address"
            if kind == "email"
            else "phone_number Not enough digits"
        )
    if "template_id" in data and not _is_uuid(data["template_id"]):
        errors.append("template_id is not a valid UUID")
    if sender in data and not _is_uuid(data[sender]):
        errors.append(f"{sender} is not a valid UUID")
    if "personalisation" in data and not isinstance(data["personalisation"], dict):
        errors.append(f"personalisation {data['personalisation']!r} is not of type object")
    for field in optional_text:
        if field in data and not isinstance(data[field], str):
            errors.append(f"{field} {data[field]!r} is not of type string")
    if errors:
        raise _NotifyError(400, "ValidationError", *errors)


def _render(text: str | None, values: dict[str, Any]) -> str | None:
    if text is None:
        return None
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1).strip()]), text)


def _echo_line(message: SentMessage) -> str:
    # One line on the console, whatever line breaks the template has.
    body = " ".join(message.body.split())
    if message.kind == "email":
        return f"{_ECHO_PREFIX} e-mail to {message.to}: {message.subject} - {body}"
    return f"{_ECHO_PREFIX} sms to {message.to}: {body}"


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _auth_error(status: int, message: str) -> _NotifyError:
    return _NotifyError(status, "AuthError", message)


def _json(status: int, body: Any) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def last_code(notify_url: str, to: str) -> str | None:
    """The code in the newest message the stand-in at ``notify_url`` kept for ``to`` (an address
    as the service stores it: a normalised e-mail address, or a number in E.164)."""
    response = requests.get(f"{notify_url}/messages.json", timeout=5)
    response.raise_for_status()
    for message in response.json():  # newest first
        if message["to"] == to and (code := _CODE.search(message["body"])):
            return code.group(0)
    return None
