"""Sending messages through NotifyNL, with the GOV.UK Notify client (NotifyNL speaks its API).

The texts live in NotifyNL's templates, managed by the organisation that runs the service; this
module only chooses the template and fills in its placeholders:

- e-mail code and SMS code: ``((code))`` and ``((geldig_minuten))``;
- notice to an e-mail address that was replaced or removed: ``((wijziging))`` ("vervangen" or
  "verwijderd");
- notice to a verified e-mail address that another contact detail of the profile is undeliverable
  (onbestelbaar): ``((soort))`` ("e-mailadres" or "telefoonnummer") - never the address itself.

A message to a contact detail that is still in the profile carries a ``reference``
(``shared.identity.referentie``): NotifyNL's delivery receipt brings it back, and a permanent
failure makes that detail onbestelbaar (the report-delivery function).

Whatever goes wrong on the way is one answer to the user: 503, try again later. What is logged
names the HTTP status only: NotifyNL's messages may quote what was sent.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from shared.config import get_notify_settings
from shared.errors import DomainError, niet_beschikbaar
from shared.logs import logger
from shared.models.profiel import AdresWijziging, SoortDigitaalAdres
from shared.models.verificatie import CODE_LIFETIME

if TYPE_CHECKING:
    from notifications_python_client import NotificationsAPIClient

# The client logs every failed request with NotifyNL's error message, which may quote the
# recipient; our own line below says what an operator needs.
logging.getLogger("notifications_python_client").setLevel(logging.CRITICAL)


# The client (with requests and PyJWT) is imported when a first message goes out: most changes
# and every confirmation send none, and a cold start should not pay for it.
@lru_cache(maxsize=1)
def _client() -> NotificationsAPIClient:
    from notifications_python_client import NotificationsAPIClient

    settings = get_notify_settings()
    return NotificationsAPIClient(
        settings.api_key.get_secret_value(),
        base_url=settings.base_url,
        timeout=settings.timeout_seconds,
    )


def send_code(
    soort: SoortDigitaalAdres, adres: str, code: str, reference: str | None = None
) -> None:
    """The verification code: by e-mail to an e-mail address, by SMS to a phone number; with
    the ``reference`` its delivery receipt will carry."""
    settings = get_notify_settings()
    personalisation = {"code": code, "geldig_minuten": int(CODE_LIFETIME.total_seconds() // 60)}
    if soort is SoortDigitaalAdres.EMAIL:
        _send(
            "email",
            lambda: _client().send_email_notification(
                adres, str(settings.template_email_code), personalisation, reference=reference
            ),
        )
    else:
        _send(
            "sms",
            lambda: _client().send_sms_notification(
                adres, str(settings.template_sms_code), personalisation, reference=reference
            ),
        )


def send_notice(email_adres: str, wijziging: AdresWijziging) -> None:
    """Tell a verified e-mail address that it was replaced or removed in the profile: whoever
    did it, the owner of the old address hears of it."""
    template = str(get_notify_settings().template_email_notice)
    _send(
        "email",
        lambda: _client().send_email_notification(
            email_adres, template, {"wijziging": wijziging.value}
        ),
    )


# How the notice names the kind of the undeliverable detail.
_SOORT_IN_BERICHT = {
    SoortDigitaalAdres.EMAIL: "e-mailadres",
    SoortDigitaalAdres.TELEFOONNUMMER: "telefoonnummer",
}


def send_onbestelbaar(email_adres: str, soort: SoortDigitaalAdres, reference: str) -> None:
    """Tell a verified e-mail address of the profile that another of its contact details is
    undeliverable: only its kind, never the address (the owner logs in to see which)."""
    template = str(get_notify_settings().template_email_onbestelbaar)
    personalisation = {"soort": _SOORT_IN_BERICHT[soort]}
    _send(
        "email",
        lambda: _client().send_email_notification(
            email_adres, template, personalisation, reference=reference
        ),
    )


def _send(kind: str, call) -> None:
    from notifications_python_client.errors import APIError

    try:
        call()
    except APIError as error:
        logger.warning(
            "NotifyNL did not accept a message",
            extra={"notify_kind": kind, "notify_status": error.status_code},
        )
        raise notify_unavailable() from None


def notify_unavailable() -> DomainError:
    return niet_beschikbaar(
        "Het versturen van het bericht lukt nu niet. Er is niets gewijzigd; probeer het over "
        "een paar minuten opnieuw."
    )


class NotifyBerichten:
    """The ``Berichten`` port (``shared.ports``): notices through NotifyNL."""

    def send_notice(self, email_adres: str, wijziging: AdresWijziging) -> None:
        send_notice(email_adres, wijziging)

    def send_onbestelbaar(
        self, email_adres: str, soort: SoortDigitaalAdres, reference: str
    ) -> None:
        send_onbestelbaar(email_adres, soort, reference)
