"""The local stack of ``make run``: embedded store, stream pump, gateway, development IdP."""
