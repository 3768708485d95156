"""The reader's address: the TCP peer, or what our trusted proxies say it was.

X-Forwarded-For is a list each proxy appends its own peer to, so anything left of
the last entry a trusted proxy wrote may be the client's invention. Only when the
peer is in TRUSTED_PROXIES is the header read at all, and then from the right: each
entry is the peer of the hop to its right, believed only while that hop is trusted.
The first address that is not a trusted proxy is the reader. A malformed entry
ends the walk: the last trusted hop is then the best address we know.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks; a single address is a /32 (or /128).
    Cached by value, so a changed setting (tests) is parsed afresh."""
    return tuple(ipaddress.ip_network(entry) for entry in entries)


def parse_address(text: str) -> Address | None:
    """An address as proxies write it ("203.0.113.7", "2001:db8::1",
    "[2001:db8::1]:443", "203.0.113.7:5123"), or None for anything else
    ("unknown", obfuscated RFC 7239 names, junk)."""
    text = text.strip()
    if text.startswith("["):  # [IPv6] or [IPv6]:port
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; one reader, one key.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def resolve(peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client address for a connection from `peer` carrying `forwarded_for`."""
    current = parse_address(peer)
    if current is None:
        return peer or UNKNOWN

    def is_trusted(address: Address) -> bool:
        return any(address in network for network in trusted)

    if not is_trusted(current):
        return str(current)
    for entry in reversed(forwarded_for.split(",")) if forwarded_for else ():
        hop = parse_address(entry)
        if hop is None:
            break
        current = hop
        if not is_trusted(hop):
            break
    return str(current)


def client_address(request: HttpRequest) -> str:
    """The reader's address for rate limits, view dedupe and the request log;
    worked out once per request."""
    cached = request.__dict__.get("_client_address")
    if cached is None:
        cached = resolve(
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            trusted_networks(tuple(settings.TRUSTED_PROXIES)),
        )
        request._client_address = cached
    return cached


def peer_is_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the TCP peer may speak for the client (X-Forwarded-* headers)."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    trusted = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    return peer is not None and any(peer in network for network in trusted)
