"""The stream pump: the profile table's stream, delivered as AWS Lambda's event source mapping
would deliver it.

A production component, not a part of the local stack only: on Knative it runs as the
``stream-pump`` Deployment (``profiel pump --sink $K_SINK``, ``infra/knative/pump.yaml``) and
hands each stream record to the Broker as a CloudEvent; ``make run``, the tests and the bench run
the same pump in a thread, calling process-log's handler in-process.

- :mod:`pump.stream`: :class:`StreamPump` - reads the stream, delivers batches, retries, moves on;
- :mod:`pump.state`: what it keeps on disk - the checkpoint and the dead letters;
- :mod:`pump.cloudevents`: the handler that forwards each record as a CloudEvent to a sink.
"""
