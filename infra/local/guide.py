"""The "try it" guide that ``make run`` prints: commands to copy into bash or zsh, in order.

``api`` is a small shell function around curl that sends the token, prints the body and the
status, and keeps the last ETag in ``$ETAG`` for the next change.
"""

from __future__ import annotations

from infra.local.demo import GUIDE_BSN, OTHER_BSN


def shell_commands(api_url: str, profiel: str) -> str:
    """The commands alone (the guide's body; a test runs exactly these)."""
    json = "-H 'Content-Type: application/json'"
    return f"""\
API={api_url}
TOKEN=$({profiel} token --bsn {GUIDE_BSN})
api() {{ curl -s -D "${{TMPDIR:-/tmp}}/profiel-headers" -H "Authorization: Bearer $TOKEN" "$@"; echo; \\
  head -n1 "${{TMPDIR:-/tmp}}/profiel-headers"; \\
  E=$(grep -i '^etag:' "${{TMPDIR:-/tmp}}/profiel-headers" | cut -d' ' -f2 | tr -d '\\r'); [ -n "$E" ] && ETAG=$E; true; }}

# read your profile: empty at first. Its ETag is the version every change must name.
api $API/profiel
FIRST=$ETAG

# add an e-mail address and a phone number
api -X POST -H "If-Match: $ETAG" {json} -d '{{"soortDigitaalAdres":"email","adres":"jan@example.nl"}}' $API/profiel/contactgegevens
api -X POST -H "If-Match: $ETAG" {json} -d '{{"soortDigitaalAdres":"telefoonnummer","adres":"06 12345678"}}' $API/profiel/contactgegevens

# set your postal address, and that you want your post digitally
api -X PUT -H "If-Match: $ETAG" {json} -d '{{"soort":"nederlands","straat":"Dorpsstraat","huisnummer":1,"postcode":"1234 AB","woonplaats":"Ons Dorp"}}' $API/profiel/postadres
api -X PATCH -H "If-Match: $ETAG" {json} -d '{{"correspondentie":"digitaal"}}' $API/profiel/voorkeuren

# read it back: all of it, with a new ETag
api $API/profiel

# a change based on the first, stale read is refused: 412 Precondition Failed
api -X PATCH -H "If-Match: $FIRST" {json} -d '{{"correspondentie":"post"}}' $API/profiel/voorkeuren

# another burger sees only their own profile, none of yours
TOKEN=$({profiel} token --bsn {OTHER_BSN})
api $API/profiel

# the audit trail: one record per change, written from the table's stream
{profiel} audit --bsn {GUIDE_BSN}
"""


def guide(base_url: str, profiel: str, restored: int, seeded: int) -> str:
    api_url = f"{base_url}/api/profiel/v1"
    indented = "\n".join(
        f"    {line}" if line else "" for line in shell_commands(api_url, profiel).splitlines()
    )
    return f"""
Profiel Service is running: {api_url}
  store: {restored} items restored from the last run, {seeded} demo profiles added
  development IdP: {base_url}/dev-idp/.well-known/openid-configuration
  demo identities: BSN 999993653 (empty, for you to fill), 100600505, 100600517, 999990342;
                   KVK 69599084, 69599068, 68750110  ->  {profiel} token --kvk 69599084

Try it: copy these lines into another terminal (bash or zsh), in this folder.

{indented}

Stop with Ctrl-C: the data is kept for the next `make run` (delete .local/data to start over).
"""
