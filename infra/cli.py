"""``profiel``: the command line of the Profiel Service.

profiel run                         the local stack (what `make run` does)
profiel token --bsn <BSN>           a development access token for a burger
profiel token --kvk <KVK-nummer>    ... for a representative of a company
profiel token --eidas <CC/NL/id>    ... for a person logged in through eIDAS, without a BSN
profiel token --namens <BSN> --rol curator [--door <BSN>]
                                    ... for someone acting for another person
profiel token --oin <OIN>           ... for an organisation (client credentials, --scope)
profiel invoke <function> <event>   run one function on one event file, print the response
profiel audit --bsn <BSN>           the audit trail of one profile
profiel audit verify [--bsn <BSN>]  check the hash chain of one profile's trail, or of all
profiel audit replay <file>         process a dead-lettered stream record again
profiel code --to <address>         the last code the NotifyNL stand-in "sent" to an address
profiel register load <file>        replace the register of organisations with a file's
profiel pump --sink <URL>           feed the profile table's stream to a Knative Broker
profiel register show               the register of organisations
profiel register key <file> <OIN> <doel>
                                    a new API key for an organisation's existing client (Open
                                    Klant's, MOZa's), bound to one purpose; its hash into <file>
profiel keys generate               a new pseudonym key and a new sealing key pair (deployments)
profiel keys begin                  local stack: a new pseudonym key, the current one the previous
profiel keys rotate                 move everything under the previous pseudonym key to the
                                    current one; exit 0 when the previous key can be retired
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import import_module
from pathlib import Path

from infra.local.workspace import Workspace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="profiel",
        description="The command line of the Profiel Service.",
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the local stack")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8080)))
    run.add_argument(
        "--notify-port",
        type=int,
        default=int(os.environ.get("NOTIFY_PORT", 0)) or None,
        help="the NotifyNL stand-in's port (default: the API's port + 1)",
    )
    run.add_argument(
        "--registers-port",
        type=int,
        default=int(os.environ.get("REGISTERS_PORT", 0)) or None,
        help="the BRP, KVK and BAG stand-ins' port (default: the API's port + 2)",
    )
    run.add_argument(
        "--portal-port",
        type=int,
        default=int(os.environ.get("PORTAL_PORT", 0)) or None,
        help="the reference portal's port (default: the API's port + 3)",
    )

    token = commands.add_parser("token", help="print a development access token")
    who = _add_identity(token, required=True)
    who.add_argument("--oin", help="an organisation, by OIN (test OINs start with 00000099)")
    who.add_argument("--eidas", help="a person logged in through eIDAS, e.g. DE/NL/A1B2C3D4")
    who.add_argument(
        "--namens", metavar="BSN", help="someone acting for the person with this BSN (--rol)"
    )
    token.add_argument(
        "--rol",
        choices=("gemachtigde", "curator", "bewindvoerder"),
        default="gemachtigde",
        help="with --namens: in which role (default: gemachtigde, as DigiD Machtigen)",
    )
    token.add_argument(
        "--door",
        metavar="BSN",
        help="with --namens: the BSN of who acts, logged in with DigiD (default: a pseudonym)",
    )
    token.add_argument("--vestiging", help="with --kvk: a representative of this branch only")
    token.add_argument(
        "--scope", default="profielservice.opvragen", help="with --oin: the token's scope"
    )
    token.add_argument("--acr", help="level of assurance URI (default: eIDAS substantial)")
    token.add_argument("--lifetime", type=int, default=3600, help="seconds (default 3600)")

    invoke = commands.add_parser("invoke", help="run a function on an event file")
    invoke.add_argument("function", help="a function of functions/registry.py, e.g. get-profile")
    invoke.add_argument(
        "event", type=Path, help="an event file, e.g. events/get-profile/profiel.json"
    )
    _add_identity(invoke, required=False)

    audit = commands.add_parser("audit", help="print or verify audit trails")
    audit.add_argument(
        "action",
        nargs="?",
        choices=("show", "verify", "replay"),
        default="show",
        help="show (default): one profile's trail; verify: check the hash chains; "
        "replay: process a dead-lettered stream record again",
    )
    audit.add_argument("file", nargs="?", type=Path, help="replay: the dead-letter file")
    _add_identity(audit, required=False)

    code = commands.add_parser("code", help="the last code the NotifyNL stand-in received")
    code.add_argument("--to", required=True, help="the e-mail address or phone number")

    pump = commands.add_parser(
        "pump", help="feed the profile stream to a CloudEvents sink (the Knative Deployment)"
    )
    pump.add_argument(
        "--sink", default=os.environ.get("K_SINK"), help="the Broker's URL (default: $K_SINK)"
    )
    pump.add_argument(
        "--state",
        type=Path,
        default=Path(os.environ.get("PUMP_STATE_DIR", "/var/lib/stream-pump")),
        help="where the checkpoint and the dead letters are kept (a persistent volume)",
    )

    keys = commands.add_parser("keys", help="rotate the pseudonym key (docs/deploy.md)")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True)
    keys_commands.add_parser("generate", help="print a new pseudonym key and sealing key pair")
    keys_commands.add_parser("begin", help="local stack: begin a rotation with a new key")
    rotate = keys_commands.add_parser(
        "rotate", help="move every item under the previous key to the current key"
    )
    rotate.add_argument("--workers", type=int, default=8, help="partijen moved at once")

    register = commands.add_parser("register", help="the register of organisations")
    register_commands = register.add_subparsers(dest="register_command", required=True)
    load = register_commands.add_parser("load", help="replace the register with a JSON file")
    load.add_argument("file", type=Path, help="e.g. infra/local/register.json")
    register_commands.add_parser("show", help="print the register")
    key = register_commands.add_parser(
        "key", help="make an API key for an organisation's existing client, into a register file"
    )
    key.add_argument("file", type=Path, help="the register file to add its hash to")
    key.add_argument("oin", help="the organisation's OIN")
    key.add_argument("doel", help="the purpose the key is bound to (a doel of that organisation)")
    key.add_argument("--omschrijving", help="which client uses it, e.g. 'NotifyNL OMC'")

    arguments = parser.parse_args(argv)
    workspace = Workspace.default()
    commands = {
        "run": _run,
        "token": _token,
        "invoke": _invoke,
        "audit": _audit,
        "code": _code,
        "register": _register,
        "pump": _pump,
        "keys": _keys,
    }
    return commands[arguments.command](arguments, workspace)


def _add_identity(
    parser: argparse.ArgumentParser, required: bool
) -> argparse._MutuallyExclusiveGroup:
    who = parser.add_mutually_exclusive_group(required=required)
    who.add_argument("--bsn", help="a burger, by BSN (test BSNs: see the README)")
    who.add_argument("--kvk", help="a company, by KVK-nummer, represented via eHerkenning")
    return who


def _run(arguments: argparse.Namespace, workspace: Workspace) -> int:
    from infra.local.stack import profiel_command, run

    run(
        workspace,
        arguments.port,
        arguments.notify_port or arguments.port + 1,
        arguments.registers_port or arguments.port + 2,
        arguments.portal_port or arguments.port + 3,
        profiel_command(),
    )
    return 0


def _token(arguments: argparse.Namespace, workspace: Workspace) -> int:
    from infra.local.dev_idp import DevIdentityProvider

    idp = DevIdentityProvider(workspace)
    extra = {"acr": arguments.acr} if arguments.acr else {}
    if arguments.oin:
        print(idp.organisation_token(arguments.oin, arguments.scope, arguments.lifetime))
    elif arguments.eidas:
        print(idp.eidas_token(arguments.eidas, arguments.lifetime, **extra))
    elif arguments.namens:
        print(
            idp.representative_token(
                arguments.namens, arguments.rol, arguments.door, arguments.lifetime, **extra
            )
        )
    elif arguments.bsn:
        print(idp.burger_token(arguments.bsn, arguments.lifetime, **extra))
    else:
        print(idp.ondernemer_token(arguments.kvk, arguments.lifetime, arguments.vestiging, **extra))
    return 0


def _invoke(arguments: argparse.Namespace, workspace: Workspace) -> int:
    from infra.local.events import render_event
    from infra.local.stack import use_running_stack

    use_running_stack(workspace)
    from functions.registry import function

    try:
        target = function(arguments.function)
    except StopIteration:
        print(f"unknown function: {arguments.function}", file=sys.stderr)
        return 2
    event = render_event(
        json.loads(arguments.event.read_text()), workspace, arguments.bsn, arguments.kvk
    )
    handler = import_module(target.handler_module).lambda_handler
    print(json.dumps(handler(event, None), indent=2, ensure_ascii=False))
    return 0


def _audit(arguments: argparse.Namespace, workspace: Workspace) -> int:
    _use_store_of_environment_or_stack(workspace)
    from shared.identity.access import partij_key
    from shared.identity.subject import subject_for
    from shared.store.audit import AuditTrail

    if arguments.action == "replay":
        return _replay(arguments.file)
    one = arguments.bsn or arguments.kvk
    if arguments.action == "verify":
        return _verify(partij_key(subject_for(arguments.bsn, arguments.kvk)) if one else None)
    if not one:
        print("profiel audit: give --bsn or --kvk", file=sys.stderr)
        return 2
    records = AuditTrail().of(partij_key(subject_for(arguments.bsn, arguments.kvk)))
    print(f"{'tijdstip':32}  {'actie':10}  {'door':17}  {'versie':7}  velden")
    for record in records:
        versions = f"{record.versie_voor or '–'}→{record.versie_na or '–'}"
        print(
            f"{record.tijdstip:32}  {record.actie.value:10}  {record.actor_rol:17}  "
            f"{versions:7}  {', '.join(record.velden)}"
        )
    print(f"{len(records)} audit records")
    return 0


def _verify(partij: str | None) -> int:
    """Exit 1 and name, per partij, the first broken link of its chain and the first version of
    its profile that has no audit record; 0 when every chain is whole and complete."""
    from datetime import UTC, datetime

    from shared.models.audit import first_broken_link, first_missing_version
    from shared.store.audit import AuditTrail, chain_key, kept_since, profile_versions

    trail = AuditTrail()
    # A trail's oldest records may have passed their retention and be gone.
    since = kept_since(datetime.now(UTC))
    versions = profile_versions(partij)
    partijen = [partij] if partij else sorted(trail.partijen() | versions.keys())
    failed = 0
    for checked in partijen:
        records = trail.of(checked)
        # A removed profile has no current version: its last record's stands in for it.
        current = versions.get(checked, max((r.versie for r in records), default=0))
        link = first_broken_link(records, chain_key(), since)
        missing = first_missing_version(records, current, since)
        # The pseudonym, never the identifier: this output may be pasted into a ticket.
        if link is not None:
            print(
                f"BROKEN      partij {checked[:12]}…  at position {link.positie}, "
                f"the record of version {link.versie} of {link.tijdstip}"
            )
        if missing is not None:
            print(
                f"INCOMPLETE  partij {checked[:12]}…  no record of version {missing} "
                f"(the profile is at version {current})"
            )
        failed += link is not None or missing is not None
    print(f"{len(partijen) - failed} of {len(partijen)} trails whole and complete")
    return 1 if failed else 0


def _replay(path: Path | None) -> int:
    from functions.process_log.handler import lambda_handler
    from pump.state import read_dead_letter

    if path is None:
        print("profiel audit replay: give the dead-letter file", file=sys.stderr)
        return 2
    result = lambda_handler(read_dead_letter(path), None)
    if result.get("batchItemFailures"):
        print("the record failed again; it stays in the dead-letter folder", file=sys.stderr)
        return 1
    path.unlink()
    print(f"replayed and removed {path}")
    return 0


def _code(arguments: argparse.Namespace, workspace: Workspace) -> int:
    from infra.local.notify import last_code
    from infra.local.stack import StackInfo

    info = StackInfo.read(workspace)
    if info is None:
        print("The local stack is not running: start it with `make run` first.", file=sys.stderr)
        return 1
    code = last_code(info.notify_url, arguments.to)
    if code is None:
        print("The NotifyNL stand-in sent no code to that address.", file=sys.stderr)
        return 1
    print(code)
    return 0


def _pump(arguments: argparse.Namespace, workspace: Workspace) -> int:
    """Against the store of the environment (AWS_ENDPOINT_URL_DYNAMODB, PROFIEL_TABLE_PREFIX)."""
    import signal
    import threading

    from pump.cloudevents import cloudevent_forwarder
    from pump.stream import StreamPump
    from shared.store.tables import ProfielItem

    if not arguments.sink:
        print("profiel pump: give --sink or set K_SINK", file=sys.stderr)
        return 2
    stopped = threading.Event()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda *_: stopped.set())
    pump = StreamPump(
        ProfielItem.Meta.table_name,
        cloudevent_forwarder(arguments.sink),
        # The store's endpoint for its stream too (ScyllaDB Alternator serves both).
        endpoint=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"),
        checkpoint=arguments.state / "checkpoint.json",
        dead_letter=arguments.state / "dead-letter",
    ).start()
    stopped.wait()
    pump.stop()
    return 0


def _keys(arguments: argparse.Namespace, workspace: Workspace) -> int:
    if arguments.keys_command == "generate":
        import secrets

        from shared.identity.sealing import new_key_pair

        private, public = new_key_pair()
        print(f"PROFIEL_PSEUDONYM_KEY={secrets.token_hex(32)}")
        print(f"PROFIEL_SEALING_PUBLIC_KEY={public}")
        print(f"PROFIEL_SEALING_PRIVATE_KEY={private}  # for profiel keys rotate only")
        return 0
    if arguments.keys_command == "begin":
        try:
            workspace.begin_key_rotation()
        except ValueError as error:
            print(
                f"profiel keys begin: {error}; finish it with profiel keys rotate", file=sys.stderr
            )
            return 1
        print("A new pseudonym key; the current one is the previous until the rotation ends.")
        print("Restart the stack (make run), then move everything: profiel keys rotate")
        return 0
    return _rotate(arguments.workers, workspace)


def _rotate(workers: int, workspace: Workspace) -> int:
    """Move what is under the previous key; exit 0 when nothing is left there, 1 otherwise."""
    local = not any(
        os.environ.get(name) for name in ("AWS_ENDPOINT_URL_DYNAMODB", "PROFIEL_TABLE_PREFIX")
    )
    _use_store_of_environment_or_stack(workspace)
    from shared.identity.sealing import Opener, SealingError
    from shared.store.rotation import rotate, rotation_keys

    keys = rotation_keys()
    if keys is None:
        print(
            "profiel keys rotate: no rotation is going on (PROFIEL_PSEUDONYM_KEY_PREVIOUS is not "
            "set; locally: profiel keys begin)",
            file=sys.stderr,
        )
        return 2
    private_key = os.environ.get("PROFIEL_SEALING_PRIVATE_KEY") or (
        workspace.sealing_private_key() if local else None
    )
    if not private_key:
        print("profiel keys rotate: set PROFIEL_SEALING_PRIVATE_KEY", file=sys.stderr)
        return 2
    try:
        opener = Opener(private_key)
    except SealingError as error:
        print(f"profiel keys rotate: PROFIEL_SEALING_PRIVATE_KEY: {error}", file=sys.stderr)
        return 2
    report = rotate(opener, keys, workers)
    print(f"{report.moved} partijen moved, {report.already} under the new key already")
    for reason, count in sorted(report.left.items()):
        print(f"LEFT  {count:>7}  {reason}")
    if not report.complete:
        print("The previous key is still needed: resolve the above and run again.")
        return 1
    if local and workspace.previous_pseudonym_key() is not None:
        workspace.retire_previous_pseudonym_key()
        print("Nothing is left under the previous key: retired. Restart the stack (make run).")
    else:
        print(
            "Nothing is left under the previous key: remove PROFIEL_PSEUDONYM_KEY_PREVIOUS from "
            "the functions' configuration and destroy the old key."
        )
    return 0


def _use_store_of_environment_or_stack(workspace: Workspace) -> None:
    """Operator commands work on the store the environment configures (a deployment: its
    endpoint, table prefix, credentials, pseudonym key), else on the running local stack's."""
    from infra.local.stack import StackInfo, use_running_stack

    names_a_store = any(
        os.environ.get(name) for name in ("AWS_ENDPOINT_URL_DYNAMODB", "PROFIEL_TABLE_PREFIX")
    )
    if not names_a_store and StackInfo.read(workspace) is not None:
        use_running_stack(workspace)


def _register(arguments: argparse.Namespace, workspace: Workspace) -> int:
    """Against the store the environment names (AWS_ENDPOINT_URL_DYNAMODB, PROFIEL_TABLE_PREFIX),
    or the running local stack's when none is named."""
    if arguments.register_command == "key":
        return _register_key(arguments)
    _use_store_of_environment_or_stack(workspace)
    from pydantic import ValidationError

    from shared.models.register import Register
    from shared.store.register import OrganisatieRegister

    if arguments.register_command == "load":
        try:
            register = Register.model_validate_json(arguments.file.read_text())
        except ValidationError as error:
            for e in error.errors(include_url=False):
                location = ".".join(str(part) for part in e["loc"])
                print(f"{arguments.file}: {location}: {e['msg']}", file=sys.stderr)
            return 1
        written, removed = OrganisatieRegister().replace(register)
        print(f"{written} organisations in the register, {removed} removed")
        return 0
    for organisatie in OrganisatieRegister().all():
        diensten = ", ".join(d.code for d in organisatie.diensten)
        print(f"{organisatie.oin}  {organisatie.naam}  [{diensten}]")
    return 0


def _register_key(arguments: argparse.Namespace) -> int:
    """A new API key: its SHA-256 into the register file (validated as a whole), the key itself
    printed once - it is kept nowhere else. ``register load`` then puts it into effect."""
    import hashlib
    import secrets

    from pydantic import ValidationError

    from shared.models.register import Register, Sleutel

    try:
        register = Register.model_validate_json(arguments.file.read_text())
    except (OSError, ValidationError) as error:
        print(f"{arguments.file}: {error}", file=sys.stderr)
        return 1
    new_key = secrets.token_urlsafe(32)
    sleutel = Sleutel(
        sha256=hashlib.sha256(new_key.encode()).hexdigest(),
        doel=arguments.doel,
        omschrijving=arguments.omschrijving,
    )
    organisaties = list(register.root)
    found = [i for i, o in enumerate(organisaties) if o.oin == arguments.oin]
    if not found:
        print(f"{arguments.file}: no organisation with OIN {arguments.oin}", file=sys.stderr)
        return 1
    [index] = found
    organisatie = organisaties[index]
    try:
        organisaties[index] = organisatie.model_validate(
            {
                **organisatie.model_dump(mode="json"),
                "sleutels": [
                    *organisatie.model_dump(mode="json")["sleutels"],
                    sleutel.model_dump(mode="json", exclude_none=True),
                ],
            }
        )
    except ValidationError as error:
        print(f"{arguments.file}: {error.errors(include_url=False)[0]['msg']}", file=sys.stderr)
        return 1
    text = Register(tuple(organisaties)).model_dump_json(indent=2, exclude_defaults=True)
    arguments.file.write_text(text + "\n")
    print(new_key)
    print(
        f"The API key above is bound to {arguments.oin}, doel {arguments.doel}; only its SHA-256 "
        f"is in {arguments.file}. Give it to the client now (Authorization: Token <key>) and "
        "load the file: profiel register load.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
