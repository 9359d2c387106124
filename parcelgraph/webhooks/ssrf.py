"""The SSRF guard at send time: resolve a webhook's host and refuse private destinations.

The address and syntax rules are pure and live in `parcelgraph.domain.destinations` (the
webhook use cases validate URLs with them at creation); this module adds the DNS lookup,
done just before every send because a name can point anywhere and change later.

Residual risk: the HTTP client resolves the name again when it connects, so a name whose DNS
answer changes between check and connect (rebinding) can slip through; redirects are never
followed, which closes the simpler variant of the same trick.
"""

import asyncio
import ipaddress
import socket

from parcelgraph.domain.destinations import (
    DEFAULT_RESOLVE_TIMEOUT,
    DESTINATION_NOT_ALLOWED,
    HOST_UNRESOLVABLE,
    HTTPS_REQUIRED,
    INVALID_URL,
    METADATA_ADDRESSES,
    IPAddress,
    Resolver,
    UnsafeDestination,
    _literal_address,
    _parse,
    _refuse_address,
    _require_https,
    address_risk,
    check_url_syntax,
)

__all__ = [
    "DEFAULT_RESOLVE_TIMEOUT",
    "DESTINATION_NOT_ALLOWED",
    "HOST_UNRESOLVABLE",
    "HTTPS_REQUIRED",
    "INVALID_URL",
    "METADATA_ADDRESSES",
    "UnsafeDestination",
    "address_risk",
    "check_destination",
    "check_url_syntax",
]


async def _system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def _resolve(
    host: str, port: int, resolver: Resolver, limit_seconds: float
) -> list[IPAddress]:
    try:
        async with asyncio.timeout(limit_seconds):
            answers = list(await resolver(host, port))
    except (OSError, TimeoutError) as exc:
        raise UnsafeDestination(HOST_UNRESOLVABLE, f"{host} could not be resolved.") from exc
    if not answers:
        raise UnsafeDestination(HOST_UNRESOLVABLE, f"{host} resolved to no address.")
    try:
        return [ipaddress.ip_address(answer) for answer in answers]
    except ValueError as exc:
        raise UnsafeDestination(HOST_UNRESOLVABLE, f"{host} resolved to garbage.") from exc


async def check_destination(
    url: str,
    *,
    allow_private: bool,
    resolver: Resolver | None = None,
    resolve_timeout: float = DEFAULT_RESOLVE_TIMEOUT,
) -> None:
    """Raise UnsafeDestination unless every address the URL's host resolves to may be called.

    `resolver(host, port)` returns address strings; the default asks the system resolver
    through the running loop. Every address must pass, because the client may use any.
    """
    check_url_syntax(url, allow_private)
    scheme, host, port = _parse(url)
    if _literal_address(host) is not None:
        return  # fully checked above; resolving a literal would add nothing
    addresses = await _resolve(host, port, resolver or _system_resolver, resolve_timeout)
    risks = [_refuse_address(ip, host, allow_private) for ip in addresses]
    _require_https(scheme, host, all(risk is not None for risk in risks), allow_private)
