"""``profiel``: the command line of the Profiel Service.

profiel run                         the local stack (what `make run` does)
profiel token --bsn <BSN>           a development access token for a burger
profiel token --kvk <KVK-nummer>    ... for a representative of a company
profiel token --oin <OIN>           ... for an organisation (client credentials, --scope)
profiel invoke <function> <event>   run one function on one event file, print the response
profiel audit --bsn <BSN>           the audit trail of one profile
profiel code --to <address>         the last code the NotifyNL stand-in "sent" to an address
profiel register load <file>        replace the register of organisations with a file's
profiel register show               the register of organisations
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

    token = commands.add_parser("token", help="print a development access token")
    who = _add_identity(token, required=True)
    who.add_argument("--oin", help="an organisation, by OIN (test OINs start with 00000099)")
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

    audit = commands.add_parser("audit", help="print the audit trail of a profile")
    _add_identity(audit, required=True)

    code = commands.add_parser("code", help="the last code the NotifyNL stand-in received")
    code.add_argument("--to", required=True, help="the e-mail address or phone number")

    register = commands.add_parser("register", help="the register of organisations")
    register_commands = register.add_subparsers(dest="register_command", required=True)
    load = register_commands.add_parser("load", help="replace the register with a JSON file")
    load.add_argument("file", type=Path, help="e.g. infra/local/register.json")
    register_commands.add_parser("show", help="print the register")

    arguments = parser.parse_args(argv)
    workspace = Workspace.default()
    commands = {
        "run": _run,
        "token": _token,
        "invoke": _invoke,
        "audit": _audit,
        "code": _code,
        "register": _register,
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

    run(workspace, arguments.port, arguments.notify_port or arguments.port + 1, profiel_command())
    return 0


def _token(arguments: argparse.Namespace, workspace: Workspace) -> int:
    from infra.local.dev_idp import DevIdentityProvider

    idp = DevIdentityProvider(workspace)
    extra = {"acr": arguments.acr} if arguments.acr else {}
    if arguments.oin:
        print(idp.organisation_token(arguments.oin, arguments.scope, arguments.lifetime))
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
    from infra.local.stack import use_running_stack

    use_running_stack(workspace)
    from shared.identity import partij_key
    from shared.identity.subject import subject_for
    from shared.store.audit import AuditTrail

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


def _register(arguments: argparse.Namespace, workspace: Workspace) -> int:
    """Against the store the environment names (AWS_ENDPOINT_URL_DYNAMODB, PROFIEL_TABLE_PREFIX),
    or the running local stack's when none is named."""
    from infra.local.stack import StackInfo, use_running_stack

    if not os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") and StackInfo.read(workspace):
        use_running_stack(workspace)
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


if __name__ == "__main__":
    sys.exit(main())
