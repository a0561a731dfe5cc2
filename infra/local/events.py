"""Sample events with placeholders, made ready to run against the local stack.

An API event in ``events/`` may contain ``{{token}}`` (a development token for the chosen
identity), ``{{etag}}`` (the current ETag of that identity's profile), ``{{contactgegevenId}}``
(the id of its first contact detail) and ``{{code}}`` (the last code the NotifyNL stand-in
received for that contact detail), so the same file works on any day and any profile state.
An organisation's event has ``{{organisatieToken}}`` (a token of the local register's
municipality) or ``{{apiKey}}`` (its API key, as an existing Open Klant or MOZa client sends it),
and ``{{bsn}}`` (the identity asked about) or ``{{partijUuid}}`` (its partij UUID for that
municipality on the Klantinteracties surface, given by an earlier lookup). NotifyNL's delivery
receipt has ``{{notifyCallbackToken}}`` (the bearer token the local stack expects of NotifyNL).
"""

from __future__ import annotations

import json
import os
from typing import Any
from uuid import UUID

from infra.local.demo import GEMEENTE_API_KEY, GEMEENTE_OIN, GUIDE_BSN
from infra.local.dev_idp import DevIdentityProvider
from infra.local.workspace import Workspace

_PROFILE_PLACEHOLDERS = ("{{etag}}", "{{contactgegevenId}}", "{{code}}")
_NO_CODE = "000000"


def render_event(
    event: dict[str, Any], workspace: Workspace, bsn: str | None = None, kvk: str | None = None
) -> dict[str, Any]:
    bsn = None if kvk else (bsn or GUIDE_BSN)
    text = json.dumps(event)
    if "{{organisatieToken}}" in text:
        token = DevIdentityProvider(workspace).organisation_token(GEMEENTE_OIN)
        text = text.replace("{{organisatieToken}}", token)
    text = text.replace("{{apiKey}}", GEMEENTE_API_KEY)
    if "{{partijUuid}}" in text:
        from shared.identity.access import partij_key
        from shared.identity.subject import subject_for
        from shared.identity.verwijzing import partij_uuid

        uuid = partij_uuid(GEMEENTE_OIN, partij_key(subject_for(bsn, kvk)))
        text = text.replace("{{partijUuid}}", uuid)
    text = text.replace("{{bsn}}", bsn or "")
    if "{{notifyCallbackToken}}" in text:
        text = text.replace("{{notifyCallbackToken}}", workspace.notify_callback_token())
    if "{{token}}" in text:
        idp = DevIdentityProvider(workspace)
        token = idp.ondernemer_token(kvk) if kvk else idp.burger_token(bsn)
        text = text.replace("{{token}}", token)
    if any(placeholder in text for placeholder in _PROFILE_PLACEHOLDERS):
        from shared.http.profiel import etag
        from shared.identity.access import partij_key
        from shared.identity.subject import subject_for
        from shared.store.profielen import ProfielRepository

        stored = ProfielRepository().get(partij_key(subject_for(bsn, kvk)))
        first = stored.profiel.contactgegevens[0] if stored.profiel.contactgegevens else None
        text = text.replace("{{etag}}", json.dumps(etag(stored.version))[1:-1])
        text = text.replace("{{contactgegevenId}}", str(first.id if first else UUID(int=0)))
        if "{{code}}" in text:
            from infra.local.notify import last_code

            code = first and last_code(os.environ["PROFIEL_NOTIFY_BASE_URL"], first.adres)
            text = text.replace("{{code}}", code or _NO_CODE)
    return json.loads(text)
