"""An asyncio Redis client for a Rasa `redis` endpoint of endpoints.yml (url, port, db, username, password,
use_ssl, socket_timeout: the keys Rasa's own Redis stores read). Connections open on first use, on the loop that
uses them: the bot's."""
from __future__ import annotations

from typing import Any

REDIS_TYPE = "redis"
DEFAULT_PORT = 6379
DEFAULT_SOCKET_TIMEOUT_SECONDS = 10.0


def is_redis(endpoint: Any) -> bool:
    """An endpoints.yml section of `type: redis`."""
    return endpoint is not None and str(getattr(endpoint, "type", "")).lower() == REDIS_TYPE


def async_client(endpoint: Any) -> Any:
    import redis.asyncio

    options = endpoint.kwargs
    return redis.asyncio.Redis(
        host=endpoint.url or "localhost", port=int(options.get("port") or DEFAULT_PORT),
        db=int(options.get("db") or 0), username=options.get("username"), password=options.get("password"),
        ssl=bool(options.get("use_ssl", False)),
        socket_timeout=float(options.get("socket_timeout") or DEFAULT_SOCKET_TIMEOUT_SECONDS))
