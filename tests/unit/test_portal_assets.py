"""The NL Design System files the portal serves are exactly those of the npm packages that
package-lock.json pins (portal/static/vendor/SOURCES.md): nothing edited, nothing stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
VENDOR = REPOSITORY / "portal" / "static" / "vendor"
PACKAGES = REPOSITORY / "node_modules"

# vendored file -> (package, file in the package)
VENDORED = {
    "utrecht-component-library-css/index.css": (
        "@utrecht/component-library-css",
        "dist/index.css",
    ),
    "utrecht-component-library-css/LICENSE.md": ("@utrecht/component-library-css", "LICENSE.md"),
    "voorbeeld-design-tokens/theme.css": (
        "@nl-design-system-unstable/voorbeeld-design-tokens",
        "dist/theme.css",
    ),
    "voorbeeld-design-tokens/LICENSE.md": (
        "@nl-design-system-unstable/voorbeeld-design-tokens",
        "LICENSE.md",
    ),
}


@pytest.mark.parametrize("vendored", sorted(VENDORED))
def test_a_vendored_file_is_the_pinned_packages_own(vendored: str) -> None:
    package, inside = VENDORED[vendored]
    if not (PACKAGES / package).exists():
        pytest.skip("node_modules is not installed (make test installs it: npm ci)")
    assert (VENDOR / vendored).read_bytes() == (PACKAGES / package / inside).read_bytes()


def test_the_sources_file_names_the_locked_versions_and_the_open_licence() -> None:
    lock = json.loads((REPOSITORY / "package-lock.json").read_text())["packages"]
    sources = (VENDOR / "SOURCES.md").read_text()
    for package in {package for package, _ in VENDORED.values()}:
        locked = lock[f"node_modules/{package}"]
        assert f"`{package}`" in sources
        assert locked["version"] in sources
        # The EUPL tokens, not Utrecht's or the Rijkshuisstijl's proprietary ones.
        assert locked["license"] == "EUPL-1.2"
