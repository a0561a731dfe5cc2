"""The OpenAPI document through the NL API Design Rules linter (Spectral, both rulesets).

The rulesets are the verbatim copies in ``specs/`` (vendored, see ``specs/SOURCES.md``), used as they
are: they extend only Spectral's built-in ``spectral:oas`` and use only its core functions, so
they run offline and nothing in them needs adjusting. Spectral is the npm devDependency
``@stoplight/spectral-cli`` (installed by `make test`, npm ci).

Neither ruleset may report an error; each must refuse a deliberately broken copy, so a linter
that checks nothing cannot pass.
"""

from __future__ import annotations

import copy
import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from shared.http.openapi import openapi_document
from tests.support import SPECS

REPOSITORY = Path(__file__).resolve().parents[2]
SPECTRAL = REPOSITORY / "node_modules" / ".bin" / "spectral"
RULESETS = ("adr-2.1.0.spectral.yml", "adr-2.2.0-rc.1.linter.yaml")
ERROR = 0  # Spectral's severities: 0 error, 1 warning, 2 information, 3 hint

pytestmark = [
    pytest.mark.skipif(
        not SPECTRAL.exists(),
        reason="Spectral is not installed: `make test` installs it (npm ci)",
    ),
]


def _without_version_header(document: dict[str, Any]) -> dict[str, Any]:
    del document["paths"]["/profiel"]["get"]["responses"]["200"]["headers"]["API-Version"]
    return document


def _openapi_3_1(document: dict[str, Any]) -> dict[str, Any]:
    document["openapi"] = "3.1.0"
    return document


def _trailing_slash(document: dict[str, Any]) -> dict[str, Any]:
    document["paths"]["/profiel/"] = document["paths"].pop("/profiel")
    return document


# Per ruleset: broken copies and an error each must give. (2.2.0-rc.1 accepts OpenAPI 3.1;
# 2.1.0's own trailing-slash rule never matches, and spectral:oas's is only a warning there.)
BROKEN = {
    "adr-2.1.0.spectral.yml": {
        "no-version-header": (_without_version_header, "missing-version-header"),
        "openapi-3.1": (_openapi_3_1, "openapi3"),
    },
    "adr-2.2.0-rc.1.linter.yaml": {
        "no-version-header": (_without_version_header, "nlgov:missing-version-header"),
        "trailing-slash": (_trailing_slash, "path-keys-no-trailing-slash"),
    },
}


@pytest.fixture(scope="module", params=RULESETS)
def linted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The ruleset's findings per document: the real one and each broken copy, in one run
    (Spectral starts slowly; one run lints them all)."""
    ruleset = request.param
    folder = tmp_path_factory.mktemp(ruleset.split(".")[0])
    documents = {"openapi": openapi_document()} | {
        name: breaker(copy.deepcopy(openapi_document()))
        for name, (breaker, _) in BROKEN[ruleset].items()
    }
    for name, document in documents.items():
        (folder / f"{name}.json").write_text(json.dumps(document, ensure_ascii=False, indent=1))
    output = folder / "results.json"
    run = subprocess.run(
        [
            str(SPECTRAL),
            "lint",
            "--ruleset",
            str(SPECS / ruleset),
            "--format",
            "json",
            "--output",
            str(output),
            "--quiet",
            *(str(folder / f"{name}.json") for name in documents),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # 0: no errors, 1: errors found; anything else is Spectral failing to lint at all.
    assert run.returncode in (0, 1), run.stdout + run.stderr
    findings: dict[str, list[dict[str, Any]]] = {name: [] for name in documents}
    for finding in json.loads(output.read_text()):
        findings[Path(finding["source"]).stem].append(finding)
    return ruleset, findings


def _errors(findings: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {
        (f["code"], ".".join(str(part) for part in f["path"]))
        for f in findings
        if f["severity"] == ERROR
    }


def test_the_document_passes_the_adr_linter(linted) -> None:
    ruleset, findings = linted
    found = findings["openapi"]
    warnings = Counter(f["code"] for f in found if f["severity"] != ERROR)
    print(f"\n{ruleset}: {sum(warnings.values())} warnings and lesser {dict(warnings)}")
    assert sorted(_errors(found)) == []


def test_a_broken_document_fails_the_adr_linter(linted) -> None:
    ruleset, findings = linted
    for name, (_, code) in BROKEN[ruleset].items():
        new = _errors(findings[name]) - _errors(findings["openapi"])
        assert code in {rule for rule, _ in new}, (name, sorted(new))
