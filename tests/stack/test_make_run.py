"""`make run` as a new user meets it: start the stack, follow the printed guide by copy-paste,
stop it with Ctrl-C, start it again and find the data back. Slow-ish (two stack starts)."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.running_stack import PROFIEL, REPOSITORY, RunningStack, start, stop, store_client
from tests.support import PERSONAL_DATA

pytestmark = pytest.mark.stack

GUIDE_EMAIL, GUIDE_PHONE = "jan@example.nl", "+31612345678"


def guide_commands(printed: str) -> str:
    """The command block of the printed guide, exactly as a user would copy it."""
    block = printed.split("in this folder.\n", 1)[1].split("\nStop with Ctrl-C", 1)[0]
    return "\n".join(line.removeprefix("    ") for line in block.splitlines())


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    stack = start(tmp_path_factory.mktemp("local"), "first")
    yield stack
    if stack.process.poll() is None:
        stack.process.kill()


def test_the_printed_guide_works_by_copy_paste(first_run: RunningStack) -> None:
    result = subprocess.run(
        ["bash", "-c", guide_commands(first_run.printed)],
        cwd=REPOSITORY,
        env=first_run.environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout
    statuses = re.findall(r"^HTTP/1\.1 (\d{3})", output, flags=re.MULTILINE)
    # read, add e-mail, add phone, verify e-mail, an address completed from the BAG, one it does
    # not have, the postal address, the contactnaam from the BRP, preference, preference for an
    # organisation, per organisation, read back, stale change, other burger, an organisation's
    # lookup, a deceased persona's, the OMC's read through Klantinteracties, the inzage, the
    # export, a company's representative, a branch's
    expected = ["200", "201", "201", "200", "200", "400", "200", "200", "200", "200", "200"]
    expected += ["200", "412", "200", "200", "200", "200", "200", "200", "200", "200"]
    assert statuses == expected, output
    responses = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    empty, *_, read_back, stale, other, lookup, deceased, omc, inzage, export, company, branch = (
        responses
    )
    assert empty["contactgegevens"] == []
    # The registered address, read at the BRP; an address completed and checked at the BAG.
    assert empty["registratie"]["adres"]["adresregel1"] == "Boterdiep 31"
    assert empty["registratie"]["adres"]["adresregel2"].split() == ["3077", "AW", "ROTTERDAM"]
    [completed] = next(r for r in responses if "adressen" in r)["adressen"]
    assert (completed["straat"], completed["postcode"]) == ("Slaghekstraat", "3074 LA")
    refused = next(r for r in responses if r.get("status") == 400)
    assert [p["name"] for p in refused["invalidParams"]] == ["huisnummer"]
    assert read_back["contactnaam"] == read_back["registratie"]["aanschrijfwijze"]
    assert [c["adres"] for c in read_back["contactgegevens"]] == [GUIDE_EMAIL, GUIDE_PHONE]
    # The code came through the real client to the stand-in, and `profiel code` read it there.
    assert [c["verificatieStatus"] for c in read_back["contactgegevens"]] == [
        "geverifieerd",
        "niet-geverifieerd",
    ]
    assert f"[NotifyNL stand-in] e-mail to {GUIDE_EMAIL}" in first_run.printed
    assert f"[NotifyNL stand-in] sms to {GUIDE_PHONE}" in first_run.printed
    assert read_back["postadres"]["woonplaats"] == "Rotterdam"  # as the BAG has it
    assert read_back["postadres"]["nummeraanduidingIdentificatie"] == "0599200000900735"
    assert read_back["voorkeuren"]["correspondentie"] == "digitaal"
    per_organisatie, _ = [r for r in responses if "organisaties" in r and "voorkeuren" not in r]
    waterschap = next(o for o in per_organisatie["organisaties"] if o["naam"].startswith("Water"))
    assert waterschap["afwijkend"] is True
    assert waterschap["voorkeuren"]["correspondentie"] == "post"
    assert waterschap["email"]["adres"] == GUIDE_EMAIL
    assert stale["status"] == 412
    assert GUIDE_EMAIL not in json.dumps(other) and GUIDE_PHONE not in json.dumps(other)
    assert other["contactgegevens"], "the other burger sees their own demo profile"
    # The municipality gets the verified e-mail address, not the unverified phone number.
    assert lookup == {
        "resultaten": [
            {
                "beschikbaar": True,
                "gegevens": {
                    "email": GUIDE_EMAIL,
                    "telefoonnummer": None,
                    "kanalen": dict.fromkeys(("email", "sms", "berichtenbox", "portaal", "post")),
                },
            }
        ]
    }
    assert deceased == {"resultaten": [{"beschikbaar": False}]}
    # The OMC, unchanged, gets the same address in Open Klant's shape.
    [partij] = omc["results"]
    assert [a["adres"] for a in partij["_expand"]["digitaleAdressen"]] == [GUIDE_EMAIL]
    assert (
        partij["voorkeursDigitaalAdres"]["uuid"] == partij["_expand"]["digitaleAdressen"][0]["uuid"]
    )
    assert company["registratie"]["naam"] == "Test EMZ Dagobert"
    assert {v["vestigingsnummer"] for v in company["registratie"]["vestigingen"]} == {
        "000038509504",
        "000038509520",
    }
    assert branch["organisaties"], "the branch's representative reads what applies to it"
    # The export holds the profile as read back, and the lookup the inzage shows.
    assert export["profiel"]["contactgegevens"] == read_back["contactgegevens"]
    # (the export in the order they happened, the inzage newest first)
    assert export["inzage"] == list(reversed(inzage["processingActivities"]))
    # The /opvragingen lookup and the OMC's read, newest first.
    assert len(inzage["processingActivities"]) == 2
    for seen in inzage["processingActivities"]:
        assert seen["organisatie"]["naam"] == "Gemeente Voorbeeldstad"
        assert seen["doel"]["code"] == "notificatie"

    # Exactly one audit record per change, through the stream and process-log.
    audit = output.split("velden\n", 1)[1].split(" audit records\n", 1)[0] + " audit records"
    audit = audit.splitlines()
    assert audit[-1] == "7 audit records"
    fields = [line.split()[-1] for line in audit[:-1]]
    assert fields == [
        "contactgegevens.email",
        "contactgegevens.telefoonnummer",
        "contactgegevens.email",  # its verification
        "postadres",
        "contactnaam",
        "voorkeuren.correspondentie",
        "voorkeuren.organisaties",
    ]


def test_profiel_invoke_runs_a_function_on_a_sample_event(first_run: RunningStack) -> None:
    result = subprocess.run(
        [str(PROFIEL), "invoke", "get-profile", "events/get-profile/profiel.json"],
        cwd=REPOSITORY,
        env=first_run.environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["statusCode"] == 200
    assert GUIDE_EMAIL in response["body"]


def test_the_platform_team_manages_the_register_of_organisations(
    first_run: RunningStack, tmp_path: Path
) -> None:
    def profiel(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(PROFIEL), "register", *arguments],
            cwd=REPOSITORY,
            env=first_run.environment,
            capture_output=True,
            text=True,
            timeout=60,
        )

    shown = profiel("show")
    assert shown.returncode == 0, shown.stderr
    assert (
        "00000099000000000001  Gemeente Voorbeeldstad  [parkeren, afval, belastingen]"
        in shown.stdout
    )

    wrong = tmp_path / "register.json"
    wrong.write_text(json.dumps([{"oin": "123", "naam": "Te kort"}]))
    refused = profiel("load", str(wrong))
    assert refused.returncode == 1
    assert "0.oin" in refused.stderr
    assert profiel("show").stdout == shown.stdout  # nothing loaded


def test_profiel_audit_verify_names_the_first_tampered_record(first_run: RunningStack) -> None:
    def verify(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(PROFIEL), "audit", "verify", *arguments],
            cwd=REPOSITORY,
            env=first_run.environment,
            capture_output=True,
            text=True,
            timeout=60,
        )

    whole = verify()
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert re.search(r"(\d+) of \1 trails whole and complete", whole.stdout), whole.stdout

    # Someone with access to the store rewrites the second change of the guide's burger.
    client = store_client(first_run.workspace)
    items = client.scan(TableName="audit")["Items"]
    target = next(
        item
        for item in items
        if item["positie"]["N"] == "2"
        and item["velden"]["L"][0]["S"] == "contactgegevens.telefoonnummer"
    )
    target["velden"] = {"L": [{"S": "postadres"}]}
    client.put_item(TableName="audit", Item=target)

    broken = verify("--bsn", "999993653")
    assert broken.returncode == 1
    assert "BROKEN" in broken.stdout and "at position 2" in broken.stdout
    assert "999993653" not in broken.stdout
    assert verify().returncode == 1


def test_the_development_idp_publishes_its_keys(first_run: RunningStack) -> None:
    base = f"http://127.0.0.1:{first_run.port}"
    configuration = requests.get(
        base + "/dev-idp/.well-known/openid-configuration", timeout=10
    ).json()
    keys = requests.get(configuration["jwks_uri"], timeout=10).json()["keys"]
    assert [key["kty"] for key in keys] == ["RSA"]
    assert "d" not in keys[0]  # the public half only


def test_the_guide_starts_with_the_portal_and_the_portal_answers(first_run: RunningStack) -> None:
    printed = first_run.printed
    assert printed.index(first_run.portal_url + "/") < printed.index("Or as a developer")
    home = requests.get(first_run.portal_url + "/", timeout=10)
    assert home.status_code == 200 and "Inloggen" in home.text
    # Its login goes to the development IdP of this stack, with PKCE.
    login = requests.get(first_run.portal_url + "/inloggen", timeout=10, allow_redirects=False)
    assert login.headers["Location"].startswith(f"{first_run.base_url}/dev-idp/authorize?")
    assert "code_challenge_method=S256" in login.headers["Location"]


def test_ctrl_c_stops_every_part_and_keeps_the_data(first_run: RunningStack) -> None:
    assert stop(first_run) == 0
    printed = first_run.printed
    assert re.search(r"Kept \d+ items", printed), printed
    assert "Traceback" not in first_run.stderr.read_text()
    snapshot = json.loads((first_run.workspace / "data" / "snapshot.json").read_text())
    assert snapshot["tables"]["profielen"] and snapshot["tables"]["audit"]
    # It holds every write of the run's journal: the next start replays none of it.
    journal = (first_run.workspace / "data" / "journal.jsonl").read_text().splitlines()
    assert json.loads(journal[0])["journal"] == snapshot["journal"]
    store_log = first_run.workspace / "logs" / "store.log"
    PERSONAL_DATA.files.append(store_log)
    time.sleep(0.5)
    leftovers = subprocess.run(
        ["pgrep", "-f", f"infra.local.store_server.*{first_run.workspace}"], capture_output=True
    )
    assert leftovers.returncode == 1


def test_a_restart_finds_the_data_back(first_run: RunningStack) -> None:
    second = start(first_run.workspace, "second")
    try:
        assert "0 demo profiles added" in second.printed
        assert "Recovered" not in second.printed  # a clean stop leaves nothing to replay
        token = subprocess.run(
            [str(PROFIEL), "token", "--bsn", "999993653"],
            env=second.environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        response = requests.get(
            f"http://127.0.0.1:{second.port}/api/profiel/v1/profiel",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert response.headers["ETag"] == '"7"'
        assert [c["adres"] for c in response.json()["contactgegevens"]] == [
            GUIDE_EMAIL,
            GUIDE_PHONE,
        ]
    finally:
        assert stop(second) == 0


def test_the_sessions_logs_carry_no_personal_data(first_run: RunningStack) -> None:
    logs = [
        first_run.stderr,
        first_run.workspace / "second.err",
        first_run.workspace / "logs" / "store.log",
    ]
    text = "\n".join(path.read_text() for path in logs if path.exists())
    assert '"status":201' in text  # the requests were logged ...
    code = re.search(r"is (\d{6})\. De code", first_run.printed).group(1)
    for value in (GUIDE_EMAIL, GUIDE_PHONE, "06 12345678", "999993653", "100600505", "Dorpsstraat"):
        assert value not in text  # ... without what they carried
    assert code not in text
    assert PERSONAL_DATA.leaks(text) == []
