"""Which webhook destinations are safe to call: URL syntax and address rules (no I/O).

A webhook URL is chosen by a shop admin, and our worker POSTs to it from inside our network,
so a URL like `https://169.254.169.254/...` or one whose name resolves to `10.0.0.5` would
turn the worker into a proxy. Two checks:

- `check_url_syntax` at creation and update: scheme, credentials, and IP literals (including
  the legacy numeric forms such as `2130706433` that resolvers still accept).
- `check_destination` just before sending (in `parcelgraph.webhooks.ssrf`, which does the
  DNS lookup): resolves the host and checks every address with the rules here, since a
  name can point anywhere and change later.

`allow_private` (development and tests) lets loopback, private, link-local and shared
addresses through, and only then allows plain `http`. Cloud metadata endpoints, multicast,
unspecified and reserved addresses are refused even then: no receiver lives there.

Residual risk: the HTTP client resolves the name again when it connects, so a name whose DNS
answer changes between check and connect (rebinding) can slip through; redirects are never
followed, which closes the simpler variant of the same trick.
"""

import ipaddress
import socket  # only inet_aton: parses legacy numeric IPv4 forms, no network access
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Iterable[str]]]

INVALID_URL = "INVALID_URL"
HTTPS_REQUIRED = "HTTPS_REQUIRED"
DESTINATION_NOT_ALLOWED = "DESTINATION_NOT_ALLOWED"
HOST_UNRESOLVABLE = "HOST_UNRESOLVABLE"

METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS over IPv6
    )
)
# Risks that allow_private lifts; everything else is refused always.
_PRIVATE_RISKS = frozenset({"loopback", "private", "link-local", "not globally routable"})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
DEFAULT_RESOLVE_TIMEOUT = 5.0


class UnsafeDestination(Exception):
    """A webhook URL we refuse to call. `code` is machine-readable, `message` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address really leads to (mapped, NAT64, 6to4), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def address_risk(ip: IPAddress) -> str | None:
    """Why calling `ip` is risky ("loopback", "cloud metadata", ...), or None if it is public."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return address_risk(embedded)
    checks = (
        (ip in METADATA_ADDRESSES, "cloud metadata"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_multicast, "multicast"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
        (not ip.is_global, "not globally routable"),
    )
    return next((reason for hit, reason in checks if hit), None)


def _literal_address(host: str) -> IPAddress | None:
    """The address `host` spells directly, including inet_aton's forms ("127.1", "0x7f.1")."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not all(char in "0123456789abcdefx." for char in host):
        return None  # a name: inet_aton would accept a few odd ones, but no name is all hex
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _refuse_address(ip: IPAddress, host: str, allow_private: bool) -> str | None:
    """Raise if `ip` must never be called; return its risk (None when public)."""
    risk = address_risk(ip)
    if risk is not None and (not allow_private or risk not in _PRIVATE_RISKS):
        raise UnsafeDestination(DESTINATION_NOT_ALLOWED, f"{host} leads to {ip}, a {risk} address.")
    return risk


def _parse(url: str) -> tuple[str, str, int]:
    """Scheme, host (lower-case, ASCII) and port of an absolute http(s) URL, or raise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeDestination(INVALID_URL, f"{url!r} is not a valid URL.") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeDestination(INVALID_URL, "The URL must be absolute http(s) with a host.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeDestination(INVALID_URL, "Credentials in the URL are not allowed.")
    if any(char.isspace() or ord(char) < 32 for char in url):
        raise UnsafeDestination(INVALID_URL, "The URL contains whitespace.")
    try:
        host = parts.hostname.encode("idna").decode("ascii").rstrip(".")
    except UnicodeError as exc:
        raise UnsafeDestination(INVALID_URL, f"{parts.hostname!r} is not a host name.") from exc
    return scheme, host, port or (443 if scheme == "https" else 80)


def _require_https(scheme: str, host: str, is_private: bool, allow_private: bool) -> None:
    if scheme == "http" and not (allow_private and is_private):
        raise UnsafeDestination(
            HTTPS_REQUIRED,
            f"http://{host} is refused: use https (plain http is only allowed for loopback "
            "and private addresses when the server allows them).",
        )


def check_url_syntax(url: str, allow_private: bool) -> None:
    """Raise UnsafeDestination for a URL that is refused without looking up its host name.

    Used when a webhook is created or changed. A host name that passes here may still be
    refused by `check_destination` once it is resolved.
    """
    scheme, host, _ = _parse(url)
    literal = _literal_address(host)
    if literal is not None:
        risk = _refuse_address(literal, host, allow_private)
        _require_https(scheme, host, risk is not None, allow_private)
        return
    if host == "localhost" or host.endswith(".localhost"):
        # Always loopback by definition (RFC 6761), whatever a resolver says.
        _refuse_address(ipaddress.IPv4Address("127.0.0.1"), host, allow_private)
        _require_https(scheme, host, True, allow_private)
        return
    # A name: plain http can only be right if it turns out private, known after resolution.
    _require_https(scheme, host, allow_private, allow_private)
