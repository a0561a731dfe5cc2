"""``python -m functions.openapi``: write the document the code generates to
``shared/http/openapi.json``; ``--check``: write nothing, and exit 1 if the file differs."""

import sys

from functions.openapi import document_text
from shared.http.openapi import DOCUMENT

text = document_text()
if "--check" in sys.argv[1:]:
    if DOCUMENT.read_text(encoding="utf-8") != text:
        sys.exit(f"{DOCUMENT} is not what the code generates: run python -m functions.openapi")
else:
    DOCUMENT.write_text(text, encoding="utf-8")
    print(f"wrote {DOCUMENT}")
