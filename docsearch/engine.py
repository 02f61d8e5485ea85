"""The search engine behind one small interface.

Elasticsearch 8/9 is reached through the official ``elasticsearch`` client and
OpenSearch 2.x through ``opensearch-py`` (the Elasticsearch client refuses to
talk to OpenSearch). Both clients take ``index=`` and ``body=``, so the rest of
docsearch writes one query layer and calls :class:`Engine`.

Failures are sorted into two families the API maps differently:
:class:`EngineUnavailable` (the engine is down or timed out: our outage, 503)
and :class:`EngineError` (the engine refused a request: a bug of ours, 500),
except :class:`BadEngineRequest`, which the search service raises only for a
query a user typed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Iterable

import httpx
import orjson

from docsearch.settings import Settings

log = logging.getLogger(__name__)


class EngineUnavailable(RuntimeError):
    """The engine could not be reached or did not answer in time."""


class EngineError(RuntimeError):
    """The engine answered with an error that is not the user's doing."""

    def __init__(self, message: str, status: int | None = None, info: Any = None):
        super().__init__(message)
        self.status = status
        self.info = info


class QueryTooLarge(EngineError):
    """The engine refused a query for its size (more clauses than it allows): the user's query to shorten,
    whichever read built it."""


class NotFound(EngineError):
    """The requested document or index does not exist."""


class Conflict(EngineError):
    """A create or versioned write lost against an existing document."""


def detect_kind(url: str, auth: tuple[str, str] | None = None, timeout: float = 10.0) -> str:
    """Ask ``GET /`` which engine answers: ``opensearch`` or ``elasticsearch``."""
    try:
        resp = httpx.get(url, auth=auth, timeout=timeout)
        resp.raise_for_status()
        info = resp.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise EngineUnavailable(f"search engine at {url} is not reachable: {exc}") from exc
    distribution = (info.get("version") or {}).get("distribution", "elasticsearch")
    return "opensearch" if distribution == "opensearch" else "elasticsearch"


# Connections kept open to the engine: a search sends its facet count and its hits at the same time, and
# the API serves many searches at once (with one, each concurrent request opened and dropped its own).
POOL_SIZE = 64


def quiet_client_logs() -> None:
    """Engine clients log at WARNING: one line per engine request at INFO would cost more than some
    requests; failures are still logged. Called where a process starts (API, worker, CLI)."""
    for name in ("opensearch", "elastic_transport.transport"):
        logging.getLogger(name).setLevel(logging.WARNING)


def basic_auth(settings: Settings) -> tuple[str, str] | None:
    """The engine's user and password, for either client and for plain HTTP calls (None: no auth)."""
    return (settings.engine_username, settings.engine_password or "") if settings.engine_username else None


def _orjson_serializer():
    """opensearch-py's JSON serializer with orjson doing the work (search responses with highlighted pages
    are parsed on every request; orjson is several times faster than the standard library)."""
    from opensearchpy.serializer import JSONSerializer

    class OrjsonSerializer(JSONSerializer):
        def loads(self, s):
            return orjson.loads(s)

        def dumps(self, data):
            if isinstance(data, (str, bytes)):
                return data
            return orjson.dumps(data, default=self.default).decode()

    return OrjsonSerializer()


def _client_and_errors(kind: str, settings: Settings):
    auth = basic_auth(settings)
    if kind == "opensearch":
        import opensearchpy
        from opensearchpy import exceptions as ex

        client = opensearchpy.OpenSearch(
            hosts=settings.engine_hosts,
            http_auth=auth,
            timeout=settings.engine_timeout_s,
            max_retries=2,
            retry_on_timeout=True,
            pool_maxsize=POOL_SIZE,
            serializer=_orjson_serializer(),
        )
        unavailable = (ex.ConnectionError, ex.ConnectionTimeout)
        not_found, conflict, transport = ex.NotFoundError, ex.ConflictError, ex.TransportError
        return client, unavailable, not_found, conflict, (transport,)
    import elasticsearch
    from elasticsearch import exceptions as es_ex

    es_client = elasticsearch.Elasticsearch(
        hosts=settings.engine_hosts,
        basic_auth=auth,
        request_timeout=settings.engine_timeout_s,
        max_retries=2,
        retry_on_timeout=True,
        connections_per_node=POOL_SIZE,
    )
    return (es_client, (es_ex.ConnectionError, es_ex.ConnectionTimeout), es_ex.NotFoundError, es_ex.ConflictError,
            (es_ex.ApiError, es_ex.TransportError))


@dataclass
class Engine:
    """A thin, engine-neutral facade over the official client of either engine."""

    kind: str
    client: Any
    _unavailable: tuple[type[BaseException], ...]
    _not_found: type[BaseException]
    _conflict: type[BaseException]
    _errors: tuple[type[BaseException], ...]

    @classmethod
    def connect(cls, settings: Settings) -> "Engine":
        kind: str = settings.engine_kind
        if kind == "auto":
            kind = detect_kind(settings.engine_url, basic_auth(settings))
        client, unavailable, not_found, conflict, errors = _client_and_errors(kind, settings)
        return cls(kind, client, unavailable, not_found, conflict, errors)

    # -- error translation -------------------------------------------------
    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except self._unavailable as exc:
            raise EngineUnavailable(f"search engine unavailable: {exc}") from exc
        except self._not_found as exc:
            raise NotFound(str(exc), 404, getattr(exc, "info", None)) from exc
        except self._conflict as exc:
            raise Conflict(str(exc), 409, getattr(exc, "info", None)) from exc
        except self._errors as exc:
            status = getattr(exc, "status_code", None) or getattr(getattr(exc, "meta", None), "status", None)
            if status in (429, 502, 503, 504):
                raise EngineUnavailable(f"search engine overloaded or unavailable ({status}): {exc}") from exc
            if "maxClauseCount" in str(exc) or "too_many_clauses" in str(exc) or "too_many_nested_clauses" in str(exc):
                raise QueryTooLarge(str(exc), 400, getattr(exc, "info", None)) from exc
            raise EngineError(str(exc), status, getattr(exc, "info", None) or getattr(exc, "body", None)) from exc

    @staticmethod
    def _plain(resp: Any) -> Any:
        # elasticsearch-py returns ObjectApiResponse; opensearch-py plain dicts.
        return getattr(resp, "body", resp)

    # -- documents ---------------------------------------------------------
    def info(self) -> dict:
        return self._plain(self._call(self.client.info))

    def search(self, index: str, body: dict, **params: Any) -> dict:
        return self._plain(self._call(self.client.search, index=index, body=body, **params))

    def count(self, index: str, body: dict | None = None) -> int:
        return self._plain(self._call(self.client.count, index=index, body=body or {}))["count"]

    def get(self, index: str, id: str, **params: Any) -> dict | None:
        """The document's source, or None. A miss is an answer, not an error: nothing is logged for it."""
        if self.kind == "opensearch":
            call, params = self.client.get, {**params, "ignore": 404}
        else:
            call = self.client.options(ignore_status=404).get
        try:
            resp = self._plain(self._call(call, index=index, id=id, **params))
        except NotFound:
            return None
        return resp.get("_source") if resp.get("found") else None

    def mget(self, index: str, ids: list[str]) -> dict[str, dict]:
        """The sources of those of ``ids`` that exist, by id: realtime, like :meth:`get`."""
        if not ids:
            return {}
        resp = self._plain(self._call(self.client.mget, index=index, body={"ids": list(dict.fromkeys(ids))}))
        return {d["_id"]: d["_source"] for d in resp.get("docs", []) if d.get("found")}

    def get_versioned(self, index: str, id: str) -> tuple[dict, dict] | None:
        """``(source, {"if_seq_no", "if_primary_term"})`` for an optimistic write, or None."""
        try:
            resp = self._plain(self._call(self.client.get, index=index, id=id))
        except NotFound:
            return None
        return resp["_source"], {"if_seq_no": resp["_seq_no"], "if_primary_term": resp["_primary_term"]}

    def index(self, index: str, id: str, document: dict, refresh: str | bool = False, **params: Any) -> dict:
        return self._plain(
            self._call(self.client.index, index=index, id=id, body=document, refresh=refresh, **params)
        )

    def create(self, index: str, id: str, document: dict, refresh: str | bool = False) -> bool:
        """Create ``id`` if absent; False when it already exists."""
        try:
            self.index(index, id, document, refresh=refresh, op_type="create")
        except Conflict:
            return False
        return True

    def update(self, index: str, id: str, body: dict, refresh: str | bool = False, **params: Any) -> dict:
        return self._plain(
            self._call(self.client.update, index=index, id=id, body=body, refresh=refresh, **params)
        )

    def bulk(self, operations: Iterable[dict], refresh: str | bool = False) -> dict:
        """Send an NDJSON bulk request; raise on any item error."""
        lines = "".join(json.dumps(op, ensure_ascii=False) + "\n" for op in operations)
        resp = self._plain(self._call(self.client.bulk, body=lines, refresh=refresh))
        if resp.get("errors"):
            failed = [item for item in resp["items"] for op in item.values() if op.get("error")]
            raise EngineError(f"bulk request had {len(failed)} failed items: {failed[:3]}", info=failed)
        return resp

    def delete(self, index: str, id: str, refresh: str | bool = False) -> bool:
        """Delete one document by id (realtime, unlike a query); False when there was none."""
        if self.kind == "opensearch":
            call, params = self.client.delete, {"ignore": 404}
        else:
            call, params = self.client.options(ignore_status=404).delete, {}
        try:
            resp = self._plain(self._call(call, index=index, id=id, refresh=refresh, **params))
        except NotFound:
            return False
        return resp.get("result") == "deleted"

    def delete_by_query(self, index: str, body: dict, refresh: bool = True) -> dict:
        return self._plain(
            self._call(self.client.delete_by_query, index=index, body=body, refresh=refresh, conflicts="proceed")
        )

    def update_by_query(self, index: str, body: dict, refresh: bool = True) -> dict:
        return self._plain(
            self._call(self.client.update_by_query, index=index, body=body, refresh=refresh, conflicts="proceed")
        )

    def reindex(self, body: dict, per_second: float | None = None, timeout_s: int = 3600) -> dict:
        """Copy documents between indices (``_reindex``), at most ``per_second`` documents a second when given,
        waiting for the end; the engine's report."""
        throttle = {"requests_per_second": per_second} if per_second else {}
        if self.kind == "opensearch":
            return self._plain(self._call(self.client.reindex, body=body, wait_for_completion=True, refresh=True,
                                          request_timeout=timeout_s, **throttle))
        return self._plain(self._call(self.client.options(request_timeout=timeout_s).reindex, **body,
                                      wait_for_completion=True, refresh=True, **throttle))

    def update_aliases(self, actions: list[dict]) -> None:
        """Apply alias actions in one request: all take effect at once."""
        self._call(self.client.indices.update_aliases, body={"actions": actions})

    def refresh(self, index: str) -> None:
        self._call(self.client.indices.refresh, index=index)

    # -- indices -----------------------------------------------------------
    def alias_targets(self, alias: str) -> list[str]:
        if not self._plain(self._call(self.client.indices.exists_alias, name=alias)):
            return []
        return sorted(self._plain(self._call(self.client.indices.get_alias, name=alias)).keys())

    def create_index(self, index: str, body: dict) -> bool:
        """Create an index; False if it already existed (a concurrent creator won)."""
        try:
            self._call(self.client.indices.create, index=index, body=body)
        except EngineError as exc:
            if "resource_already_exists_exception" in str(exc):
                return False
            raise
        return True

    def get_mapping(self, index: str) -> dict:
        return self._plain(self._call(self.client.indices.get_mapping, index=index))

    def put_mapping(self, index: str, body: dict) -> None:
        """Add fields to an index's mapping (the engine refuses to change an existing field)."""
        self._call(self.client.indices.put_mapping, index=index, body=body)

    def delete_index(self, index: str) -> None:
        self._call(self.client.indices.delete, index=index, ignore_unavailable=True)

    def cluster_health(self) -> dict:
        return self._plain(self._call(self.client.cluster.health))

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            log.debug("engine client close failed", exc_info=True)
