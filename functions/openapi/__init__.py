"""The API's OpenAPI 3.0.3 document, generated from the route table and the models.

Generated rather than left to the powertools resolver, which emits OpenAPI 3.1: the NL API Design
Rules (ADR) linter accepts 3.0 only. ``python -m functions.openapi`` writes it to
``shared/http/openapi.json``, which get-profile serves as it is. Every route of
``functions/registry.py`` is an operation, as its ``Operation`` says; the schemas are the pydantic
models' (``schemas.py``).
"""

from functions.openapi.document import document, document_text

__all__ = ["document", "document_text"]
