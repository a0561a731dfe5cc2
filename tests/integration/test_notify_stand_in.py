"""The NotifyNL stand-in over real HTTP, driven by the real GOV.UK Notify client the service uses.

What the stand-in accepts and refuses must be what NotifyNL accepts and refuses, or the local
stack would hide mistakes that production shows.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import jwt
import pytest
import requests
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import HTTPError

from infra.local.notify import LOCAL_TEMPLATES, NotifyStandIn, local_api_key
from infra.local.serving import serve
from infra.local.store import free_port

EMAIL_CODE = LOCAL_TEMPLATES["email_code"].id
SMS_CODE = LOCAL_TEMPLATES["sms_code"].id
PHONE = "+31612345678"


@dataclass
class Running:
    stand_in: NotifyStandIn
    base_url: str
    api_key: str
    echoed: list[str]

    def client(self, api_key: str | None = None) -> NotificationsAPIClient:
        return NotificationsAPIClient(api_key or self.api_key, base_url=self.base_url)


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    api_key = local_api_key()
    echoed: list[str] = []
    stand_in = NotifyStandIn([api_key], echo=echoed.append)
    port = free_port()
    server = serve(stand_in, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Running(stand_in, f"http://127.0.0.1:{port}", api_key, echoed)
    server.shutdown()
    server.server_close()


@pytest.fixture
def notify(running: Running) -> Running:
    """The running stand-in with nothing sent yet and no outage."""
    running.stand_in.sent.clear()
    running.echoed.clear()
    running.stand_in.failing = False
    return running


def code_personalisation(code: str = "123456") -> dict[str, object]:
    return {"code": code, "geldig_minuten": 15}


def test_email_with_the_code_template_arrives_rendered(notify: Running) -> None:
    response = notify.client().send_email_notification(
        "someone@example.nl", EMAIL_CODE, code_personalisation("482913"), reference="ref-1"
    )

    [kept] = notify.stand_in.messages_to("someone@example.nl")
    assert kept.kind == "email"
    assert kept.subject == "Uw verificatiecode"
    assert "482913" in kept.body and "15 minuten" in kept.body
    assert "((" not in kept.body
    assert kept.reference == "ref-1"
    assert kept.template_id == EMAIL_CODE
    assert response["id"] == kept.id
    assert response["reference"] == "ref-1"
    assert response["content"]["body"] == kept.body
    assert response["content"]["subject"] == kept.subject
    assert response["content"]["from_email"]
    assert response["uri"] == f"{notify.base_url}/v2/notifications/{kept.id}"
    assert response["template"]["id"] == EMAIL_CODE
    assert response["template"]["version"] == 1


def test_sms_with_the_code_template_arrives_rendered(notify: Running) -> None:
    response = notify.client().send_sms_notification(PHONE, SMS_CODE, code_personalisation())

    [kept] = notify.stand_in.messages_to(PHONE)
    assert kept.kind == "sms"
    assert kept.subject is None
    assert "123456" in kept.body and "15 minuten" in kept.body
    assert kept.reference is None
    assert set(response["content"]) == {"body", "from_number"}
    assert response["content"]["body"] == kept.body
    assert response["id"] == kept.id


def test_the_notice_template_renders_subject_and_body(notify: Running) -> None:
    notify.client().send_email_notification(
        "someone@example.nl", LOCAL_TEMPLATES["email_notice"].id, {"wijziging": "verwijderd"}
    )

    [kept] = notify.stand_in.sent
    assert kept.subject == "Uw e-mailadres is verwijderd in uw profiel"
    assert "verwijderd" in kept.body


def test_a_sent_message_can_be_fetched_by_id(notify: Running) -> None:
    client = notify.client()
    email = client.send_email_notification("someone@example.nl", EMAIL_CODE, code_personalisation())
    sms = client.send_sms_notification(PHONE, SMS_CODE, code_personalisation())

    fetched_email = client.get_notification_by_id(email["id"])
    fetched_sms = client.get_notification_by_id(sms["id"])

    assert fetched_email["id"] == email["id"]
    assert fetched_email["type"] == "email"
    assert fetched_email["email_address"] == "someone@example.nl"
    assert fetched_email["status"] == "delivered"
    assert fetched_email["subject"] == "Uw verificatiecode"
    assert fetched_email["body"] == email["content"]["body"]
    assert fetched_email["template"]["id"] == EMAIL_CODE
    assert fetched_email["created_at"].endswith("Z")
    assert fetched_sms["type"] == "sms"
    assert fetched_sms["phone_number"] == PHONE


def test_an_unknown_notification_is_404(notify: Running) -> None:
    with pytest.raises(HTTPError) as raised:
        notify.client().get_notification_by_id(str(uuid.uuid4()))

    assert raised.value.status_code == 404
    assert raised.value.message == [{"error": "NoResultFound", "message": "No result found"}]


def assert_refused(raised: pytest.ExceptionInfo[HTTPError], status: int, error: str) -> None:
    assert raised.value.status_code == status
    assert [e["error"] for e in raised.value.message] == [error]
    assert raised.value.response.json()["status_code"] == status


def test_the_right_service_with_a_wrong_secret_is_refused(notify: Running) -> None:
    forged = f"{notify.api_key[:-36]}{uuid.uuid4()}"

    with pytest.raises(HTTPError) as raised:
        notify.client(forged).send_email_notification(
            "someone@example.nl", EMAIL_CODE, code_personalisation()
        )

    assert_refused(raised, 403, "AuthError")
    assert raised.value.message[0]["message"] == "Invalid token: API key not found"
    assert notify.stand_in.sent == []
    assert notify.echoed == []


def test_an_unknown_service_is_refused(notify: Running) -> None:
    with pytest.raises(HTTPError) as raised:
        notify.client(local_api_key()).send_sms_notification(
            PHONE, SMS_CODE, code_personalisation()
        )

    assert_refused(raised, 403, "AuthError")
    assert raised.value.message[0]["message"] == "Invalid token: service not found"
    assert notify.stand_in.sent == []


def test_reading_a_notification_needs_a_valid_key_too(notify: Running) -> None:
    sent = notify.client().send_sms_notification(PHONE, SMS_CODE, code_personalisation())

    with pytest.raises(HTTPError) as raised:
        notify.client(local_api_key()).get_notification_by_id(sent["id"])

    assert_refused(raised, 403, "AuthError")


def post_email(notify: Running, token: str | None, body: dict) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(
        f"{notify.base_url}/v2/notifications/email", json=body, headers=headers, timeout=10
    )


def token(notify: Running, issued_at: float, algorithm: str = "HS256") -> str:
    service_id, secret = notify.api_key[-73:-37], notify.api_key[-36:]
    return jwt.encode({"iss": service_id, "iat": int(issued_at)}, secret, algorithm=algorithm)


@pytest.mark.parametrize("skew_seconds", [-120, 120])
def test_a_token_issued_more_than_30_seconds_from_now_is_refused(
    notify: Running, skew_seconds: int
) -> None:
    body = {"email_address": "someone@example.nl", "template_id": EMAIL_CODE}

    response = post_email(notify, token(notify, time.time() + skew_seconds), body)

    assert response.status_code == 403
    assert response.json()["errors"][0]["error"] == "AuthError"
    assert notify.stand_in.sent == []


# A short key for HS512 is the point here, not a mistake.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_only_hs256_is_accepted(notify: Running) -> None:
    body = {"email_address": "someone@example.nl", "template_id": EMAIL_CODE}

    response = post_email(notify, token(notify, time.time(), "HS512"), body)

    assert response.status_code == 403
    assert response.json()["errors"][0]["error"] == "AuthError"


def test_a_missing_authorization_header_is_401(notify: Running) -> None:
    response = post_email(notify, None, {"email_address": "someone@example.nl"})

    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {
                "error": "AuthError",
                "message": "Unauthorized: authentication token must be provided",
            }
        ],
        "status_code": 401,
    }


def test_a_missing_placeholder_value_is_400(notify: Running) -> None:
    with pytest.raises(HTTPError) as raised:
        notify.client().send_email_notification("someone@example.nl", EMAIL_CODE, {"code": "1"})

    assert_refused(raised, 400, "BadRequestError")
    assert raised.value.message[0]["message"] == "Missing personalisation: geldig_minuten"
    assert notify.stand_in.sent == []


def test_an_unknown_template_is_400(notify: Running) -> None:
    with pytest.raises(HTTPError) as raised:
        notify.client().send_email_notification(
            "someone@example.nl", str(uuid.uuid4()), code_personalisation()
        )

    assert_refused(raised, 400, "BadRequestError")
    assert raised.value.message[0]["message"] == "Template not found"


def test_an_sms_template_is_not_for_email(notify: Running) -> None:
    with pytest.raises(HTTPError) as raised:
        notify.client().send_email_notification(
            "someone@example.nl", SMS_CODE, code_personalisation()
        )

    assert_refused(raised, 400, "BadRequestError")
    assert raised.value.message[0]["message"] == (
        "sms template is not suitable for email notification"
    )
    assert notify.stand_in.sent == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"template_id": EMAIL_CODE}, "email_address is a required property"),
        (
            {"email_address": "", "template_id": EMAIL_CODE},
            "email_address Not a valid email address",
        ),
        (
            {"email_address": "someone@example.nl", "template_id": "nope"},
            "template_id is not a valid UUID",
        ),
    ],
)
def test_an_invalid_request_is_a_validation_error(
    notify: Running, body: dict, message: str
) -> None:
    response = post_email(notify, token(notify, time.time()), body)

    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"error": "ValidationError", "message": message}],
        "status_code": 400,
    }


def test_an_empty_phone_number_is_a_validation_error(notify: Running) -> None:
    with pytest.raises(HTTPError) as raised:
        notify.client().send_sms_notification("", SMS_CODE, code_personalisation())

    assert_refused(raised, 400, "ValidationError")
    assert notify.stand_in.sent == []


def test_an_outage_answers_500_and_keeps_nothing(notify: Running) -> None:
    notify.stand_in.failing = True
    try:
        with pytest.raises(HTTPError) as raised:
            notify.client().send_email_notification(
                "someone@example.nl", EMAIL_CODE, code_personalisation()
            )
    finally:
        notify.stand_in.failing = False

    assert raised.value.status_code == 500
    assert raised.value.response.json() == {
        "errors": [{"error": "Exception", "message": "Internal server error"}],
        "status_code": 500,
    }
    assert notify.stand_in.sent == []
    assert notify.echoed == []


def test_the_page_lists_messages_html_escaped(notify: Running) -> None:
    notify.client().send_email_notification(
        "someone@example.nl", EMAIL_CODE, code_personalisation("<script>alert(1)</script>")
    )

    page = requests.get(f"{notify.base_url}/", timeout=10)

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert '<meta charset="utf-8">' in page.text
    assert "<title>NotifyNL stand-in: verzonden berichten</title>" in page.text
    assert "someone@example.nl" in page.text
    assert "Uw verificatiecode" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script" not in page.text


def test_messages_json_lists_newest_first(notify: Running) -> None:
    client = notify.client()
    client.send_email_notification("first@example.nl", EMAIL_CODE, code_personalisation("111111"))
    client.send_sms_notification(PHONE, SMS_CODE, code_personalisation("222222"))

    listed = requests.get(f"{notify.base_url}/messages.json", timeout=10).json()

    assert [m["to"] for m in listed] == [PHONE, "first@example.nl"]
    assert "222222" in listed[0]["body"]
    assert set(listed[0]) == {
        "id",
        "kind",
        "to",
        "template_id",
        "subject",
        "body",
        "reference",
        "created_at",
    }


def test_echo_prints_one_line_per_message_with_recipient_and_code(notify: Running) -> None:
    client = notify.client()
    client.send_email_notification("someone@example.nl", EMAIL_CODE, code_personalisation("314159"))
    client.send_sms_notification(PHONE, SMS_CODE, code_personalisation("271828"))

    email_line, sms_line = notify.echoed
    assert "\n" not in email_line and "\n" not in sms_line
    assert "someone@example.nl" in email_line and "314159" in email_line
    assert "Uw verificatiecode" in email_line
    assert PHONE in sms_line and "271828" in sms_line


def test_health_unknown_paths_and_wrong_methods(notify: Running) -> None:
    health = requests.get(f"{notify.base_url}/healthz", timeout=10)
    unknown = requests.get(f"{notify.base_url}/v2/templates", timeout=10)
    wrong_method = requests.delete(f"{notify.base_url}/messages.json", timeout=10)

    assert (health.status_code, health.json()) == (200, {"status": "UP"})
    assert unknown.status_code == 404
    assert unknown.json()["status_code"] == 404
    assert wrong_method.status_code == 405
    assert "GET" in wrong_method.headers["Allow"]


def test_a_malformed_api_key_is_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        NotifyStandIn(["not-a-key"])
