"""The "try it" guide that ``make run`` prints: commands to copy into bash or zsh, in order.

``api`` is a small shell function around curl that sends the token, prints the body and the
status, and keeps the last ETag in ``$ETAG`` for the next change and the last ``Location`` in
``$LOCATION``.
"""

from __future__ import annotations

from infra.local.demo import (
    DEMO_VESTIGINGSNUMMER,
    GEMEENTE_API_KEY,
    GEMEENTE_OIN,
    GUIDE_BSN,
    OTHER_BSN,
    OVERLEDEN_BSN,
    WATERSCHAP_OIN,
)

# The guide's company: a representative sees its name and branches from the Handelsregister.
GUIDE_KVK_NUMMER = "69599084"


def shell_commands(base_url: str, notify_url: str, profiel: str) -> str:
    """The commands alone (the guide's body; a test runs exactly these)."""
    json = "-H 'Content-Type: application/json'"
    headers = '"${TMPDIR:-/tmp}/profiel-headers"'
    return f"""\
HOST={base_url}; API=$HOST/api/profiel/v1
TOKEN=$({profiel} token --bsn {GUIDE_BSN})
api() {{ curl -s -D {headers} -H "Authorization: Bearer $TOKEN" "$@"; echo; head -n1 {headers}; \\
  E=$(grep -i '^etag:' {headers} | cut -d' ' -f2 | tr -d '\\r'); [ -n "$E" ] && ETAG=$E; \\
  L=$(grep -i '^location:' {headers} | cut -d' ' -f2 | tr -d '\\r'); [ -n "$L" ] && LOCATION=$L; true; }}

# read your profile: empty at first. Its ETag is the version every change must name. Under
# "registratie": your registered address and name as the BRP has them now (Boterdiep 31,
# 3077 AW Rotterdam), read at the source and never stored
api $API/profiel
FIRST=$ETAG

# add an e-mail address and a phone number: each gets a verification code, by e-mail and by SMS
api -X POST -H "If-Match: $ETAG" {json} -d '{{"soortDigitaalAdres":"email","adres":"jan@example.nl"}}' $API/profiel/contactgegevens
EMAIL=$HOST$LOCATION
api -X POST -H "If-Match: $ETAG" {json} -d '{{"soortDigitaalAdres":"telefoonnummer","adres":"06 12345678"}}' $API/profiel/contactgegevens

# verify the e-mail address with its code. The NotifyNL stand-in shows what it "sent" on the
# console of `make run` and at {notify_url}/ - type the code, or let the CLI read it there:
CODE=$({profiel} code --to jan@example.nl)
api -X POST {json} -d "{{\\"code\\":\\"$CODE\\"}}" $EMAIL/verificatie

# a correspondence address besides the registered one: postcode and huisnummer, completed from
# the BAG. An address the BAG does not have is refused, naming the field (400)
api "$API/adressen?postcode=3074LA&huisnummer=5"
api -X PUT -H "If-Match: $ETAG" {json} -d '{{"soort":"nederlands","postcode":"3074 LA","huisnummer":999}}' $API/profiel/postadres
api -X PUT -H "If-Match: $ETAG" {json} -d '{{"soort":"nederlands","postcode":"3074 LA","huisnummer":5}}' $API/profiel/postadres

# the name organisations may address you by, taken from the BRP; and your post digitally
api -X PUT -H "If-Match: $ETAG" {json} -d '{{"uitRegister":true}}' $API/profiel/contactnaam
api -X PATCH -H "If-Match: $ETAG" {json} -d '{{"correspondentie":"digitaal"}}' $API/profiel/voorkeuren

# but paper post from the water board; then see, per organisation, what applies and where to
api -X PUT -H "If-Match: $ETAG" {json} -d '{{"correspondentie":"post"}}' $API/profiel/voorkeuren/organisaties/{WATERSCHAP_OIN}
api $API/profiel/organisaties

# read it back: all of it, with a new ETag; the e-mail address is "geverifieerd"
api $API/profiel

# a change based on the first, stale read is refused: 412 Precondition Failed
api -X PATCH -H "If-Match: $FIRST" {json} -d '{{"correspondentie":"post"}}' $API/profiel/voorkeuren

# another burger sees only their own profile, none of yours
TOKEN=$({profiel} token --bsn {OTHER_BSN})
api $API/profiel

# an organisation looks you up: the municipality, for a notification (client credentials).
# Only what that purpose allows, only verified details, and it is logged for you to see.
TOKEN=$({profiel} token --oin {GEMEENTE_OIN})
api -X POST {json} -d '{{"doel":"notificatie","betrokkenen":[{{"bsn":"{GUIDE_BSN}"}}]}}' $API/opvragingen

# {OVERLEDEN_BSN} has a profile, but the BRP says she died: answered exactly as if absent
api -X POST {json} -d '{{"doel":"notificatie","betrokkenen":[{{"bsn":"{OVERLEDEN_BSN}"}}]}}' $API/opvragingen

# the municipality's NotifyNL OMC reads you as it reads Open Klant 2 - unchanged: its API key
# (bound to "notificatie" in the register), the Klantinteracties API; the same rule, the same log
curl -s -D {headers} -H "Authorization: Token {GEMEENTE_API_KEY}" \\
  "$HOST/klantinteracties/api/v1/partijen?partijIdentificator__codeSoortObjectId=bsn&\
partijIdentificator__objectId={GUIDE_BSN}&expand=digitaleAdressen"; echo; head -n1 {headers}

# the inzage: who looked you up, when, and why (from the Logboek Dataverwerkingen)
TOKEN=$({profiel} token --bsn {GUIDE_BSN})
api $API/profiel/inzage

# everything held about you, in one document to keep or take elsewhere (AVG art. 15 and 20)
api $API/profiel/export

# the audit trail: one record per change, written from the table's stream
{profiel} audit --bsn {GUIDE_BSN}

# a company's representative (eHerkenning): its name, handelsnamen and branches from the KVK
TOKEN=$({profiel} token --kvk {GUIDE_KVK_NUMMER})
api $API/profiel
# a representative of one branch of it maintains that branch's preferences
TOKEN=$({profiel} token --kvk {GUIDE_KVK_NUMMER} --vestiging {DEMO_VESTIGINGSNUMMER})
api $API/profiel/organisaties
"""


def guide(
    base_url: str,
    notify_url: str,
    registers_url: str,
    portal_url: str,
    profiel: str,
    restored: int,
    seeded: int,
) -> str:
    api_url = f"{base_url}/api/profiel/v1"
    commands = shell_commands(base_url, notify_url, profiel)
    indented = "\n".join(f"    {line}" if line else "" for line in commands.splitlines())
    return f"""
Profiel Service is running: {api_url}

Try it as a person would: open the portal, {portal_url}/
  log in at the test login page with a BSN (999993653 starts empty), a KVK-nummer (69599084,
  optionally branch {DEMO_VESTIGINGSNUMMER}) or an eIDAS identity; the codes the portal asks for are at
  {notify_url}/

  store: {restored} items restored from the last run, {seeded} demo profiles added
  development IdP: {base_url}/dev-idp/.well-known/openid-configuration
  NotifyNL stand-in: {notify_url}/  (the e-mails and SMS the service "sent", with their codes)
  BRP, KVK and BAG stand-ins: {registers_url}/brp, /kvk, /bag  (RvIG's and KVK's test data)
  demo identities: BSN 999993653 (empty, for you to fill), 100600505, 100600517, 999990342,
                   {OVERLEDEN_BSN} (deceased); KVK 69599084, 69599068, 68750110
                   ->  {profiel} token --kvk 69599084

Or as a developer: copy these lines into another terminal (bash or zsh), in this folder.

{indented}

Stop with Ctrl-C: the data is kept for the next `make run` (delete .local/data to start over).
"""
