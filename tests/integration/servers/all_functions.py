"""Every HTTP function of the service in one functions-framework process (``--target
http_handler``): each request goes to the Knative entry of the function whose routes match its
path, as an ingress in front of several functions would. Only for the tests: in a deployment each
function is a Knative Service of its own, but nothing may depend on that."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from functions.registry import FUNCTIONS

_ENTRIES = [(f, import_module(f.handler_module).http_handler) for f in FUNCTIONS if f.routes]


def http_handler(request: Any) -> Any:
    for function, entry in _ENTRIES:
        if any(route.matches(request.path) for route in function.routes):
            return entry(request)
    return _ENTRIES[0][1](request)  # its 404 problem
