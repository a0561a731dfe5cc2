"""What the three register clients share: one HTTP connection per register, asked patiently but
briefly, guarded by a circuit breaker, its answers kept a while per process.

- **Retries** (urllib3 ``Retry``): only reads, only when the register surely did not answer -
  the connection could not be made or was reset, or a gateway said 502/503/504 - twice, after
  0 and 0.2 seconds. A read that timed out is not asked again: a slow register would only make
  the user wait a multiple of the timeout. ``Retry-After`` is not obeyed: nobody waits minutes.
- **Circuit breaker** (pybreaker), one per register and process: after ``breaker_failures``
  failures in a row the register is not asked for ``breaker_reset_seconds``; then it is asked
  again, and the first failure opens the circuit anew. A refusal (4xx) shows the register is
  up, so it does not count - except 429, the register asking to be left alone; the KVK's 404
  for a number it does not have is even an answer (``find``). Any other refusal still leaves as
  ``RegisterNietBeschikbaar``: the service cannot do without the answer.
- **Cache** (cachetools ``TTLCache``): an answer, "not known" too, is reused for
  ``cache_seconds``; a reused answer says so (``Gelezen.uit_bron`` False), for the Logboek.
- **Failures** all become ``RegisterNietBeschikbaar(bron)``: a timeout, a connection error, a
  5xx, an answer that is not what the specification promises, an open circuit. It carries no
  cause: neither the URL (which holds a KVK-nummer or postcode), nor the answer, nor a chained
  exception. Nothing here logs: register answers and identifiers are personal data.
- **API keys** go only in the register's own header; redirects are not followed, so a key never
  travels to another host.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import pybreaker
import requests
from cachetools import TTLCache
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from shared.models.bronnen import Bron, Gelezen, RegisterNietBeschikbaar

# urllib3 logs the path and query of a retried request (a KVK-nummer, a postcode) as a warning,
# and every request at debug level.
logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
logging.getLogger("urllib3.util.retry").setLevel(logging.ERROR)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")

_RETRIES = 2
_BACKOFF_SECONDS = 0.1  # urllib3: no wait before the first retry, then 0.2 s
_RETRY_STATUSES = frozenset({502, 503, 504})
# A register is reached in milliseconds or not at all; a refused connection is retried, so a
# long wait to connect would be paid three times.
_CONNECT_SECONDS = 1.0
_CACHE_ENTRIES = 10_000
_MISSING: Any = object()


@dataclass(frozen=True)
class CallPolicy:
    """How patiently a register is asked (``RegisterSettings`` has the configured values)."""

    timeout_seconds: float = 3.0
    cache_seconds: float = 300.0
    breaker_failures: int = 5
    breaker_reset_seconds: float = 30.0

    @property
    def timeout(self) -> tuple[float, float]:
        """requests' (connect, read) timeout."""
        return min(_CONNECT_SECONDS, self.timeout_seconds), self.timeout_seconds


class _NoRetryAfterReadTimeout(Retry):
    """urllib3's ``Retry``, except that a read timeout is final.

    urllib3 counts a reset connection and a read timeout alike as read errors; only the first is
    worth another try.
    """

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Retry:
        if isinstance(error, ReadTimeoutError):
            raise error
        return super().increment(method, url, response, error, _pool, _stacktrace)


def retrying_session(
    headers: Mapping[str, str], reads: Iterable[str] = ("GET",)
) -> requests.Session:
    """A session that sends ``headers`` with every request and retries the methods in ``reads``
    as described above (a connection that could not be made is retried for any method: the
    register never saw the request)."""
    retry = _NoRetryAfterReadTimeout(
        total=_RETRIES,
        connect=_RETRIES,
        read=_RETRIES,
        status=_RETRIES,
        other=0,
        redirect=0,
        allowed_methods=frozenset(method.upper() for method in reads),
        status_forcelist=_RETRY_STATUSES,
        backoff_factor=_BACKOFF_SECONDS,
        respect_retry_after_header=False,
        raise_on_status=False,  # the last answer is judged below, like any other
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update(headers)
    return session


class _Failed(Exception):
    """The register answered, but not with an answer: 3xx, 429 or 5xx."""


class _Refused(Exception):
    """The register refused the request (4xx): it is up, so the breaker does not count this."""


def circuit_breaker(policy: CallPolicy) -> pybreaker.CircuitBreaker:
    """A breaker that opens after ``breaker_failures`` consecutive failures."""
    return pybreaker.CircuitBreaker(
        fail_max=policy.breaker_failures,
        reset_timeout=policy.breaker_reset_seconds,
        exclude=[_Refused],
    )


# What a failed read can raise: requests' errors (a decoding error is a ValueError too), a
# pydantic ValidationError (a ValueError), our own verdicts, and the open circuit.
_FAILURES = (
    requests.RequestException,
    ValueError,
    _Failed,
    _Refused,
    pybreaker.CircuitBreakerError,
)


class RegisterConnection:
    """One register over HTTP: its base URL, session, timeouts and circuit breaker."""

    def __init__(
        self,
        bron: Bron,
        base_url: str,
        headers: Mapping[str, str],
        policy: CallPolicy,
        reads: Iterable[str] = ("GET",),
    ) -> None:
        self.bron = bron
        self._base_url = base_url.rstrip("/")
        self._timeout = policy.timeout
        self._session = retrying_session(headers, reads)
        self._breaker = circuit_breaker(policy)

    def get(
        self, path: str, parse: Callable[[Any], T], params: Mapping[str, str | int] | None = None
    ) -> T:
        """``parse`` of the JSON answer."""
        return cast(T, self._read("GET", path, parse, params=params))

    def find(self, path: str, parse: Callable[[Any], T]) -> T | None:
        """``parse`` of the JSON answer; None when the register answers 404 (it has no such
        thing: an answer, not a failure)."""
        return self._read("GET", path, parse, absent_if_404=True)

    def post(self, path: str, body: Any, parse: Callable[[Any], T]) -> T:
        """``parse`` of the JSON answer to a read sent as a POST (the query in the body)."""
        return cast(T, self._read("POST", path, parse, body=body))

    def _read(
        self,
        method: str,
        path: str,
        parse: Callable[[Any], T],
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        absent_if_404: bool = False,
    ) -> T | None:
        try:
            # ``calling`` rather than ``call``: pybreaker's ``call`` holds the breaker's lock for
            # the whole request, which would make a process's reads of a register take turns.
            with self._breaker.calling():
                return self._exchange(method, path, parse, params, body, absent_if_404)
        except _FAILURES:
            pass
        # Raised outside the handler, so that it has no context: what went wrong stays here.
        raise RegisterNietBeschikbaar(self.bron)

    def _exchange(
        self,
        method: str,
        path: str,
        parse: Callable[[Any], T],
        params: Mapping[str, str | int] | None,
        body: Any,
        absent_if_404: bool,
    ) -> T | None:
        with self._session.request(
            method,
            self._base_url + path,
            params=params,
            json=body,
            timeout=self._timeout,
            allow_redirects=False,
        ) as response:
            status = response.status_code
            if 200 <= status < 300:
                return parse(response.json())
            if status == 404 and absent_if_404:
                return None
            if 400 <= status < 500 and status != 429:
                raise _Refused
            raise _Failed


class AnswerCache(Generic[K, V]):
    """A register's answers in this process for ``seconds``, a "not known" too; thread-safe."""

    def __init__(self, seconds: float, entries: int = _CACHE_ENTRIES) -> None:
        self._cache: TTLCache[K, V] | None = (
            TTLCache(maxsize=entries, ttl=seconds) if seconds > 0 else None
        )
        self._lock = threading.Lock()

    def get(self, key: K) -> Gelezen[V] | None:
        """The kept answer, as read from the cache; None when there is none (any more)."""
        if self._cache is None:
            return None
        with self._lock:
            value = self._cache.get(key, _MISSING)
        return None if value is _MISSING else Gelezen(value, uit_bron=False)

    def put(self, key: K, value: V) -> Gelezen[V]:
        """Keep an answer just read from the register, and return it as such."""
        if self._cache is not None:
            with self._lock:
                self._cache[key] = value
        return Gelezen(value, uit_bron=True)

    def read_through(
        self, key: K, read: Callable[[], V], before_read: Callable[[], None] | None = None
    ) -> Gelezen[V]:
        """The kept answer, or ``read()``'s, then kept; ``before_read`` just before a read."""
        kept = self.get(key)
        if kept is not None:
            return kept
        if before_read is not None:
            before_read()
        return self.put(key, read())
