"""``make bench``: the Profiel Service's performance figures, measured side by side in one run.

Every figure is measured on the same machine against the same embedded store (a moto server on
127.0.0.1 that the bench starts itself, in a temporary folder, and stops at the end):

- :mod:`bench.cold_start` - import (and first request) of each function in a fresh interpreter,
  as a ratio to ``python -c "import boto3, pydantic"``; peak resident memory;
- :mod:`bench.warm_read` - reading the own profile through get-profile vs a raw ``get_item``;
- :mod:`bench.bulk_lookup` - a lookup of 1000 subjects vs the raw store operations it needs, and
  vs 1000 single lookups;
- :mod:`bench.store_latency` - the bulk lookup and single lookups with 0, 1 and 5 ms added to every
  store round trip (:mod:`bench.latency_proxy`), lookup-preferences in its own process
  (:mod:`bench.function_process`);
- :mod:`bench.tax_run` - 100,000 burgers looked up in requests of 1000 by two instances in their
  own processes: subjects per second, CPU per subject, peak memory, one LDV record per subject
  per request, each stored before its answer;
- :mod:`bench.raw_store` - the raw store operations the measurements compare with, by boto3;
- :mod:`bench.audit_latency` - from a change by the owner to its audit record, through the
  local stream pump.

Not part of ``make test``: figures depend on the machine and on what else runs on it.
"""
