"""serverless.yml declares exactly the functions, routes, handlers and tables the code has."""

from __future__ import annotations

from dataclasses import replace
from importlib import import_module
from pathlib import Path

import pytest
import yaml

from functions.registry import BASE_PATH, FUNCTIONS, Route, Toegang
from shared.store.tables import TABLES

SERVERLESS = yaml.safe_load((Path(__file__).resolve().parents[2] / "serverless.yml").read_text())
RESOURCES = SERVERLESS["resources"]["Resources"]


def test_the_same_functions_and_handlers_as_the_registry() -> None:
    declared = SERVERLESS["functions"]
    assert set(declared) == {f.name for f in FUNCTIONS}
    for function in FUNCTIONS:
        handler = declared[function.name]["handler"]
        module, attribute = handler.rsplit(".", 1)
        assert module.replace("/", ".") == function.handler_module
        assert callable(getattr(import_module(function.handler_module), attribute))


def test_every_function_resumes_from_a_snapstart_snapshot() -> None:
    """Its hooks (shared/snapstart.py) drop what a restored copy must not share."""
    assert {name: f.get("snapStart") for name, f in SERVERLESS["functions"].items()} == {
        f.name: True for f in FUNCTIONS
    }


def test_the_package_ships_the_bytecode_of_the_service_s_code() -> None:
    """Lambda's disk is read-only: without the .pyc files (``make package``) every cold start
    compiles the sources. Deployed Python is 3.12, so its bytecode: cpython-312."""
    patterns = SERVERLESS["package"]["patterns"]
    for folder in ("functions", "shared"):
        assert f"{folder}/**/*.py" in patterns
        assert f"{folder}/**/__pycache__/*.cpython-312.pyc" in patterns
    assert SERVERLESS["provider"]["runtime"] == "python3.12"


def route_problems(functions=FUNCTIONS, serverless=SERVERLESS) -> list[str]:
    """Every route in code that serverless.yml lacks, and every route it has that code lacks."""
    problems = []
    for function in functions:
        events = serverless["functions"].get(function.name, {}).get("events", [])
        declared = {
            (e["httpApi"]["method"], e["httpApi"]["path"]) for e in events if "httpApi" in e
        }
        # API Gateway sends a method only to a route of that method: HEAD too where GET is.
        in_code = {(m, r.base + r.path) for r in function.routes for m in r.methods}
        problems += [f"{function.name}: missing {m} {p}" for m, p in sorted(in_code - declared)]
        problems += [f"{function.name}: extra {m} {p}" for m, p in sorted(declared - in_code)]
    return problems


def test_the_same_http_routes_as_the_registry() -> None:
    assert route_problems() == []


def test_a_route_added_in_code_but_not_in_the_template_is_caught() -> None:
    get_profile = next(f for f in FUNCTIONS if f.name == "get-profile")
    extra = replace(get_profile, routes=get_profile.routes + (Route("GET", "/profiel/extra"),))
    functions = tuple(extra if f is get_profile else f for f in FUNCTIONS)
    assert route_problems(functions) == [
        f"get-profile: missing GET {BASE_PATH}/profiel/extra",
        f"get-profile: missing HEAD {BASE_PATH}/profiel/extra",
    ]


def test_process_log_consumes_the_profile_stream_with_partial_batch_failures() -> None:
    [consumer] = [f for f in FUNCTIONS if f.consumes_profile_stream]
    [event] = SERVERLESS["functions"][consumer.name]["events"]
    stream = event["stream"]
    assert stream["type"] == "dynamodb"
    assert stream["arn"] == {"Fn::GetAtt": ["ProfielenTable", "StreamArn"]}
    assert stream["functionResponseType"] == "ReportBatchItemFailures"
    # Retried, then handed to a dead-letter queue: never silently dropped.
    assert stream["maximumRetryAttempts"] > 0
    assert stream["destinations"]["onFailure"]["type"] == "sqs"


@pytest.mark.parametrize("model", TABLES, ids=lambda m: m.Meta.table_name)
def test_the_tables_match_their_models(model) -> None:
    [resource] = [
        r
        for r in RESOURCES.values()
        if r["Type"] == "AWS::DynamoDB::Table"
        and r["Properties"]["TableName"].endswith("-" + model.Meta.table_name)
    ]
    properties = resource["Properties"]
    schema = model._get_schema()
    key = lambda items: sorted(items, key=lambda i: i["AttributeName"])
    assert key(properties["KeySchema"]) == key(
        [
            {"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]}
            for k in schema["key_schema"]
        ]
    )
    assert key(properties["AttributeDefinitions"]) == key(schema["attribute_definitions"])
    assert properties["BillingMode"] == model.Meta.billing_mode
    indexes = [
        {
            "IndexName": i["index_name"],
            "KeySchema": i["key_schema"],
            "Projection": {
                "ProjectionType": i["projection"]["ProjectionType"],
                **(
                    {"NonKeyAttributes": i["projection"]["NonKeyAttributes"]}
                    if "NonKeyAttributes" in i["projection"]
                    else {}
                ),
            },
        }
        for i in schema.get("global_secondary_indexes", [])
    ]
    assert properties.get("GlobalSecondaryIndexes", []) == indexes
    stream = getattr(model.Meta, "stream_view_type", None)
    assert properties.get("StreamSpecification", {}).get("StreamViewType") == stream
    assert properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    ttl = model._ttl_attribute()
    expected_ttl = {"AttributeName": ttl.attr_name, "Enabled": True} if ttl else None
    assert properties.get("TimeToLiveSpecification") == expected_ttl


def _moves_partijen(function) -> bool:
    """Whether the function may move a partij's items during a key rotation: on every route a
    person calls (FunctionApi.route), or where its own code calls the mover."""
    package = Path(__file__).resolve().parents[2] / function.package.replace(".", "/")
    sources = "".join(p.read_text() for p in package.glob("*.py"))
    return (
        any(r.toegang is Toegang.PARTIJ for r in function.routes)
        or "from shared.store.rotation import" in sources
    )


def test_every_function_that_moves_partijen_may_write_where_the_mover_writes() -> None:
    movers = {f.name for f in FUNCTIONS if _moves_partijen(f)}
    assert {"get-profile", "update-profile", "report-delivery"} <= movers
    for function in FUNCTIONS:
        role = RESOURCES[SERVERLESS["functions"][function.name]["role"]]
        attached = {"Ref": "MovePartijPolicy"} in role["Properties"]["ManagedPolicyArns"]
        assert attached == (function.name in movers), function.name
    statements = RESOURCES["MovePartijPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    tables = {
        ref["Fn::GetAtt"][0] for statement in statements for ref in statement["Resource"]
    }
    # Every table a partij's items are in (shared/store/rotation.py moves each of them).
    assert tables == {
        "ProfielenTable",
        "AuditTable",
        "AuditKoppenTable",
        "LdvTable",
        "VerificatiesTable",
        "ContactmomentenTable",
    }


def test_every_table_is_declared() -> None:
    tables = [r for r in RESOURCES.values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert len(tables) == len(TABLES)
