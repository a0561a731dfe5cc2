"""Identity and access: who is asking, verified inside the function on every request.

``access`` authenticates callers and keys their data; ``tokens`` verifies JWTs; ``subject``,
``assurance`` and ``pseudonym`` are its pure parts. The package itself imports nothing, so a
function that only names a role (process-log) does not load the token machinery.
"""
