"""Failed sign-ins counted per client address in Redis, so that guessing passwords across many user names
from one address stops too (each user's own lockout is in :mod:`docsearch.accounts`). Counts live in Redis,
shared by every API process; when Redis is down, the count is skipped and the users' lockout still holds."""

from __future__ import annotations

import logging

import redis

from docsearch.settings import Settings

log = logging.getLogger(__name__)

WINDOW_S = 600


class SignInThrottle:
    def __init__(self, settings: Settings):
        self.client = redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = f"{settings.index_prefix}:signin-failures"
        self.limit = settings.address_sign_in_failures  # more than a user mistyping, far fewer than a guessing run

    def _key(self, address: str) -> str:
        return f"{self.prefix}:{address}"

    def wait(self, address: str) -> int:
        """Seconds this address must wait before trying again (0: it may try now)."""
        try:
            failures = int(self.client.get(self._key(address)) or 0)
            return max(1, int(self.client.ttl(self._key(address)))) if failures >= self.limit else 0
        except redis.RedisError as exc:
            log.warning("sign-in throttle unavailable: %s", exc)
            return 0

    def failed(self, address: str) -> None:
        try:
            with self.client.pipeline() as pipe:
                pipe.incr(self._key(address))
                pipe.expire(self._key(address), WINDOW_S, nx=True)
                pipe.execute()
        except redis.RedisError as exc:
            log.warning("sign-in throttle unavailable: %s", exc)
