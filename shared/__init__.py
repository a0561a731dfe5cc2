"""The package every Profiel Service function shares.

- ``models``   the pydantic domain and API models (Dutch domain names, as in the standards);
- ``identity`` token verification, the authenticated subject, pseudonyms;
- ``store``    the DynamoDB tables and the repositories over them;
- ``http``     the route table plumbing and the three runtime adapters (Lambda, Knative, OpenFaaS);
- ``problems`` RFC 9457 problem details, the only error shape the API returns.
"""
