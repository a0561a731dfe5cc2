"""serverless.yml through the real tools: osls packages it, cfn-lint checks the CloudFormation.

osls (the open-source Serverless Framework, npm, installed by `make test`) asks CloudFormation
whether the stack exists while packaging its layer; it asks the moto server of the test session
instead of AWS, over the same API. Each tool must also refuse a deliberately broken copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from functions.registry import FUNCTIONS
from infra.local.store import EmbeddedStore

REPOSITORY = Path(__file__).resolve().parents[2]
OSLS = REPOSITORY / "node_modules" / ".bin" / "osls"
CFN_LINT = Path(sys.executable).parent / "cfn-lint"
PARAMETERS = {
    "notifyTemplateEmailCode": "11111111-1111-4111-8111-111111111111",
    "notifyTemplateSmsCode": "22222222-2222-4222-8222-222222222222",
    "notifyTemplateEmailNotice": "33333333-3333-4333-8333-333333333333",
    "notifyTemplateEmailOnbestelbaar": "44444444-4444-4444-8444-444444444444",
    "brpBaseUrl": "https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp",
    "kvkBaseUrl": "https://api.kvk.nl/test/api",
    "bagBaseUrl": "https://api.bag.acceptatie.kadaster.nl/lvbag/individuelebevragingen/v2",
    "sealingPublicKey": "yJtZL97UdC2LA4uJfeHU4t-dNr8lu6kbMLhn88odfnw",
}

pytestmark = pytest.mark.skipif(
    not OSLS.exists(), reason="osls is not installed: `make test` installs it (npm ci)"
)


def service_copy(target: Path, serverless_yml: str | None = None) -> Path:
    """What `sls package` needs, in a folder of its own: the template, the code, a layer."""
    target.mkdir(parents=True)
    (target / "serverless.yml").write_text(
        serverless_yml or (REPOSITORY / "serverless.yml").read_text()
    )
    for folder in ("functions", "shared"):
        shutil.copytree(
            REPOSITORY / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    # The service's bytecode, as `make package` compiles it before a deploy.
    compiled = subprocess.run(
        ["make", "-s", "-f", str(REPOSITORY / "Makefile"), "-C", str(target), "bytecode"]
        + [f"BIN={Path(sys.executable).parent}"],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    layer = target / ".layer" / "python"
    layer.mkdir(parents=True)
    (layer / "README.txt").write_text("`make layer` puts the dependencies here before a deploy\n")
    return target


def package(folder: Path, endpoint: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(folder),
        # Packaging needs no account; the SDK wants some credentials to sign its one question.
        "AWS_ACCESS_KEY_ID": "packaging",
        "AWS_SECRET_ACCESS_KEY": "packaging",
        "AWS_ENDPOINT_URL": endpoint,
        "SLS_TELEMETRY_DISABLED": "1",
        "SLS_NOTIFICATIONS_MODE": "off",
    }
    command = [str(OSLS), "package", "--stage", "ci", "--region", "eu-central-1"]
    command += [f"--param={name}={value}" for name, value in PARAMETERS.items()]
    command += ["--package", str(folder / "out")]
    return subprocess.run(
        command, cwd=folder, env=environment, capture_output=True, text=True, timeout=300
    )


def lint_errors(template: Path) -> list[dict]:
    result = subprocess.run(
        [str(CFN_LINT), "--format", "json", str(template)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [m for m in json.loads(result.stdout or "[]") if m["Level"] == "Error"]


@pytest.fixture(scope="module")
def packaged(store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = service_copy(tmp_path_factory.mktemp("sls") / "service")
    result = package(folder, store.endpoint)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "out" / "cloudformation-template-update-stack.json"


def test_the_template_packages_and_cfn_lint_finds_no_error(packaged: Path) -> None:
    assert lint_errors(packaged) == []


def test_the_packaged_stack_has_a_route_for_every_route_in_code(packaged: Path) -> None:
    resources = json.loads(packaged.read_text())["Resources"]
    routes = {
        r["Properties"]["RouteKey"]
        for r in resources.values()
        if r["Type"] == "AWS::ApiGatewayV2::Route"
    }
    assert routes == {
        f"{method} {r.base}{r.path}" for f in FUNCTIONS for r in f.routes for method in r.methods
    }
    functions = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Function"]
    assert len(functions) == len(FUNCTIONS)
    assert all(f["Properties"]["Architectures"] == ["arm64"] for f in functions)


def test_the_package_holds_the_code_and_the_openapi_document(packaged: Path) -> None:
    """get-profile serves the committed document as it is: it must be in the package."""
    # The functions' artifact (the service's name), beside the dependencies layer's.
    with zipfile.ZipFile(packaged.parent / "profielservice.zip") as package:
        names = set(package.namelist())
    assert "shared/http/openapi.json" in names
    assert {f.source_path for f in FUNCTIONS} <= names
    assert not {name for name in names if name.endswith(".json")} - {"shared/http/openapi.json"}


def test_the_package_holds_checked_bytecode_of_every_module(packaged: Path) -> None:
    """Lambda's disk is read-only: a module without its .pyc would be compiled at every cold
    start. Hash-based and checked: valid whatever times the zip gives, never of an older source."""
    with zipfile.ZipFile(packaged.parent / "profielservice.zip") as package:
        names = set(package.namelist())
        sources = {name for name in names if name.endswith(".py")}
        bytecode = {name for name in names if name.endswith(".pyc")}
        expected = {
            str(PurePosixPath(source).parent / "__pycache__" / PurePosixPath(source).stem)
            + f".{sys.implementation.cache_tag}.pyc"
            for source in sources
        }
        assert sys.implementation.cache_tag == "cpython-312"
        assert bytecode == expected
        for name in bytecode:
            flags = int.from_bytes(package.read(name)[4:8], "little")
            assert flags == 0b11, name  # hash-based (bit 0), checked against the source (bit 1)


def test_every_function_resumes_from_a_snapshot_through_its_alias(packaged: Path) -> None:
    """SnapStart applies to published versions only: the routes and the stream must invoke the
    alias on the version, never $LATEST (which would start cold every time)."""
    resources = json.loads(packaged.read_text())["Resources"]
    functions = {k: r for k, r in resources.items() if r["Type"] == "AWS::Lambda::Function"}
    assert all(
        f["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"} for f in functions.values()
    )
    aliases = {
        r["Properties"]["FunctionName"]["Ref"]: r["Properties"]["Name"]
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Alias"
    }
    assert aliases == dict.fromkeys(functions, "snapstart")
    integrations = [
        r["Properties"]["IntegrationUri"]
        for r in resources.values()
        if r["Type"] == "AWS::ApiGatewayV2::Integration"
    ]
    mappings = [
        r["Properties"]["FunctionName"]
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::EventSourceMapping"
    ]
    assert integrations and mappings
    for target in integrations + mappings:
        assert target["Fn::Join"][1][1] == "snapstart", target


def test_each_function_has_a_role_of_its_own(packaged: Path) -> None:
    resources = json.loads(packaged.read_text())["Resources"]
    roles = [
        json.dumps(r["Properties"]["Role"])
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Function"
    ]
    assert len(set(roles)) == len(FUNCTIONS)


def test_cfn_lint_catches_a_broken_template(packaged: Path, tmp_path: Path) -> None:
    template = json.loads(packaged.read_text())
    table = template["Resources"]["ProfielenTable"]["Properties"]
    table["BillingMode"] = "FREE_OF_CHARGE"
    table["KeySchema"][0]["KeyType"] = "PRIMARY"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(template))
    errors = lint_errors(broken)
    assert {e["Rule"]["Id"] for e in errors} and any(
        "ProfielenTable" in json.dumps(e["Location"]) for e in errors
    )


def test_osls_refuses_a_broken_serverless_yml(store: EmbeddedStore, tmp_path: Path) -> None:
    text = (REPOSITORY / "serverless.yml").read_text()
    broken = text.replace("  get-profile:\n", "  get-profile:\n    handlr: typo.py\n", 1)
    assert broken != text
    result = package(service_copy(tmp_path / "service", broken), store.endpoint)
    assert result.returncode != 0
    assert "handlr" in result.stdout + result.stderr
