"""Response security headers, CORS for the embeddable customer API, CSRF for cookie sessions, the client's
address behind trusted proxies, rate limits."""
from __future__ import annotations

import functools
import hmac
import ipaddress
import math
import time
from collections import deque
from typing import Any, Callable, Iterable, Sequence

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, empty

from handoff.web.errors import ApiError, rate_limited

CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Scripts and styles only from files we serve: the static pages load external JS, never inline code.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # The widget is a script the shop page includes, not an iframe: nothing of ours is ever framed.
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

# The customer API and the widget files are used from the shop's own origin. They are authenticated by a
# conversation token in a header, never by cookies, so any origin may call them.
CROSS_ORIGIN_PREFIXES = ("/api/widget/", "/webhooks/rest/")
CROSS_ORIGIN_FILES = ("/widget.js", "/widget.css", "/widget/")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
}
# Per-IP limits are looser than per-conversation ones: many customers may share one address (NAT, proxies).
IP_LIMIT_FACTOR = 5
WINDOW_SECONDS = 60.0


def is_cross_origin_api(path: str) -> bool:
    return path.startswith(CROSS_ORIGIN_PREFIXES)


def add_security_headers(request: Request, response: HTTPResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if is_cross_origin_api(request.path):
        for name, value in CORS_HEADERS.items():
            response.headers[name] = value
    if request.path.startswith(CROSS_ORIGIN_FILES):
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")


def answer_preflight(request: Request) -> HTTPResponse | None:
    """CORS preflight for the customer API; other OPTIONS requests fall through to routing."""
    if request.method == "OPTIONS" and is_cross_origin_api(request.path):
        return empty(status=204)
    return None


# --- the client's address --------------------------------------------------------------------------------------
# Behind a reverse proxy every request comes from the proxy's address. TRUSTED_PROXIES (Settings.trusted_proxies)
# names the proxies' addresses or networks; only a request whose socket peer is one of them has its
# X-Forwarded-For read, from the right (the entries the proxies appended) to the first address that is not a
# trusted proxy: that is the client. Entries further left were written by the client and are never believed, and
# a request from anywhere else keeps its socket address whatever headers it sends. Sanic's own PROXIES_COUNT would
# believe the header from any peer, so it is not used (the app reads Sanic settings only as NORDWIND_SANIC_*).
FORWARDED_FOR_HEADER = "X-Forwarded-For"
UNKNOWN_ADDRESS = "unknown"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR networks; ValueError names the entry that is neither."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"'{entry.strip()}' is not an IP address or network") from None
    return tuple(networks)


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_trusted_proxies(entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().removeprefix("[").split("]")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address: Any, networks: Sequence[Network]) -> bool:
    return address is not None and any(address.version == network.version and address in network
                                       for network in networks)


def client_address_of(peer: str, forwarded_for: Sequence[str], networks: Sequence[Network]) -> str:
    """The client's address: `peer` unless it is a trusted proxy, then the right-most untrusted forwarded entry."""
    if not peer:
        return UNKNOWN_ADDRESS
    nearest = _address(peer)
    if not _trusted(nearest, networks):
        return str(nearest) if nearest is not None else peer
    entries = [entry for header in forwarded_for for entry in header.split(",") if entry.strip()]
    for entry in reversed(entries):
        address = _address(entry)
        if address is None:      # a proxy would not write that: stop at the nearest proxy we know
            return str(nearest)
        if not _trusted(address, networks):
            return str(address)
        nearest = address
    return str(nearest)          # every hop is a trusted proxy: the request came from inside


def client_address(request: Request) -> str:
    """The real client address of a request (rate limits, logs, audit), resolved once per request."""
    resolved = getattr(request.ctx, "client_address", None)
    if resolved is None:
        settings = getattr(request.app.ctx, "settings", None)
        networks = _networks(tuple(getattr(settings, "trusted_proxies", ()) or ()))
        resolved = client_address_of(request.ip or "", request.headers.getall(FORWARDED_FOR_HEADER, []), networks)
        request.ctx.client_address = resolved
    return resolved


def resolve_client_address(request: Request) -> None:
    # Sanic's access log and request.remote_addr read `_remote_addr`; set it to the address resolved here, so no
    # line anywhere shows a forwarded value from an untrusted peer, nor the proxy's address instead of the client's.
    request._remote_addr = client_address(request)  # noqa: SLF001 - Sanic 21.12 caches remote_addr there


def install_security(app: Sanic) -> None:
    app.register_middleware(resolve_client_address, "request")
    app.register_middleware(answer_preflight, "request")
    app.register_middleware(add_security_headers, "response")


def check_csrf(request: Request, expected_token: str) -> None:
    """Cookie-authenticated writes must repeat the session's CSRF token in a header a foreign page cannot set."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not hmac.compare_digest(sent.encode(), expected_token.encode()):
        raise ApiError(403, "csrf", "CSRF-Token fehlt oder ist falsch.")


class RateLimiter:
    """Sliding one-minute window per key, in this process (each instance enforces its own share)."""

    def __init__(self, limit: int, window_seconds: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> float:
        """Count one hit; returns 0 when allowed, else the seconds until the next hit would be allowed."""
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_seconds:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window_seconds - now
        hits.append(now)
        self._forget_idle(now)
        return 0.0

    def _forget_idle(self, now: float) -> None:
        # Bounded memory: drop keys whose window is over, but only occasionally (cheap amortised).
        if len(self._hits) < 10_000:
            return
        for key in [key for key, hits in self._hits.items() if not hits or hits[-1] <= now - self.window_seconds]:
            del self._hits[key]


class MessageLimits:
    """The message limits of one app: per conversation and per client address."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_conversation = RateLimiter(per_minute, clock=clock)
        self.per_ip = RateLimiter(per_minute * IP_LIMIT_FACTOR, clock=clock)
        # Guessing one account is stopped by the service's lockout; this limits spraying many accounts.
        self.logins = RateLimiter(per_minute, clock=clock)

    def check_ip(self, ip: str) -> None:
        wait = self.per_ip.hit(ip)
        if wait:
            raise rate_limited(max(1, math.ceil(wait)))

    def check_message(self, conversation_key: str, ip: str) -> None:
        for limiter, key in ((self.per_conversation, conversation_key), (self.per_ip, ip)):
            wait = limiter.hit(key)
            if wait:
                raise rate_limited(max(1, math.ceil(wait)))

    def check_login(self, ip: str) -> None:
        wait = self.logins.hit(ip)
        if wait:
            raise rate_limited(max(1, math.ceil(wait)))
