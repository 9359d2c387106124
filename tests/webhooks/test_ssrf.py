"""The SSRF guard: literals, resolved names, http, and what allow_private lifts."""

import asyncio
import socket

import pytest

from parcelgraph.webhooks.ssrf import (
    DESTINATION_NOT_ALLOWED,
    HOST_UNRESOLVABLE,
    HTTPS_REQUIRED,
    INVALID_URL,
    UnsafeDestination,
    check_destination,
    check_url_syntax,
)


def resolver_for(table: dict[str, list[str]]):
    """A stand-in DNS that answers from `table` and records what it was asked."""
    asked: list[tuple[str, int]] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append((host, port))
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


PUBLIC = resolver_for({"hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"]})


async def refused(url: str, *, allow_private: bool = False, resolver=PUBLIC) -> str:
    with pytest.raises(UnsafeDestination) as caught:
        await check_destination(url, allow_private=allow_private, resolver=resolver)
    return caught.value.code


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.1/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:a9fe:a9fe]/hook",  # 169.254.169.254, mapped and written in hex
        "https://[64:ff9b::a00:1]/hook",  # NAT64 of 10.0.0.1
        "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
        "https://[fd00::1]/hook",
        "https://[fe80::1]/hook",
        "https://0.0.0.0/hook",
        "https://[::]/hook",
        "https://224.0.0.1/hook",
        "https://240.0.0.1/hook",
        "https://100.64.0.1/hook",  # carrier-grade NAT
        "https://2130706433/hook",  # 127.0.0.1 as one decimal number
        "https://0x7f.1/hook",  # 127.0.0.1 in inet_aton's short hex form
        "https://017700000001/hook",  # 127.0.0.1 in octal
        "https://localhost/hook",
        "https://api.localhost/hook",
    ],
)
async def test_non_public_literals_are_refused(url):
    assert await refused(url) == DESTINATION_NOT_ALLOWED
    with pytest.raises(UnsafeDestination):
        check_url_syntax(url, allow_private=False)


async def test_the_literal_check_needs_no_resolver():
    resolver = resolver_for({})

    assert await refused("https://127.0.0.1/", resolver=resolver) == DESTINATION_NOT_ALLOWED
    assert resolver.asked == []


async def test_a_public_https_url_passes_and_is_resolved_with_its_port():
    resolver = resolver_for({"hooks.example.com": ["93.184.216.34"]})

    await check_destination(
        "https://hooks.example.com:8443/in", allow_private=False, resolver=resolver
    )

    assert resolver.asked == [("hooks.example.com", 8443)]


async def test_a_public_ip_literal_passes():
    await check_destination("https://93.184.216.34/in", allow_private=False, resolver=PUBLIC)


async def test_a_name_resolving_to_a_private_address_is_refused():
    resolver = resolver_for({"sneaky.example.com": ["93.184.216.34", "10.0.0.5"]})

    with pytest.raises(UnsafeDestination) as caught:
        await check_destination(
            "https://sneaky.example.com/", allow_private=False, resolver=resolver
        )

    assert caught.value.code == DESTINATION_NOT_ALLOWED
    assert caught.value.message == "sneaky.example.com leads to 10.0.0.5, a private address."


async def test_a_name_resolving_to_the_metadata_address_is_refused_even_when_private_is_allowed():
    resolver = resolver_for({"meta.example.com": ["169.254.169.254"]})

    assert await refused("https://meta.example.com/", resolver=resolver) == DESTINATION_NOT_ALLOWED
    assert (
        await refused("https://meta.example.com/", allow_private=True, resolver=resolver)
        == DESTINATION_NOT_ALLOWED
    )


async def test_a_name_resolving_to_a_mapped_loopback_is_refused():
    resolver = resolver_for({"mapped.example.com": ["::ffff:127.0.0.1"]})

    assert (
        await refused("https://mapped.example.com/", resolver=resolver) == DESTINATION_NOT_ALLOWED
    )


async def test_http_is_refused_for_public_destinations_even_when_private_is_allowed():
    assert await refused("http://hooks.example.com/") == HTTPS_REQUIRED
    assert await refused("http://hooks.example.com/", allow_private=True) == HTTPS_REQUIRED
    assert await refused("http://93.184.216.34/", allow_private=True) == HTTPS_REQUIRED


async def test_http_to_loopback_is_refused_unless_private_is_allowed():
    assert await refused("http://127.0.0.1:8000/hook") == DESTINATION_NOT_ALLOWED

    await check_destination("http://127.0.0.1:8000/hook", allow_private=True, resolver=PUBLIC)
    await check_destination("http://[::1]:8000/hook", allow_private=True, resolver=PUBLIC)


async def test_allow_private_admits_names_resolving_to_private_addresses_over_http():
    resolver = resolver_for({"receiver": ["172.18.0.4"], "localhost": ["127.0.0.1", "::1"]})

    await check_destination("http://receiver:8080/in", allow_private=True, resolver=resolver)
    await check_destination("http://localhost:8080/in", allow_private=True, resolver=resolver)


@pytest.mark.parametrize(
    "url",
    ["https://224.0.0.1/", "https://0.0.0.0/", "https://240.0.0.1/", "https://169.254.170.2/"],
)
async def test_allow_private_still_refuses_addresses_no_receiver_lives_at(url):
    assert await refused(url, allow_private=True) == DESTINATION_NOT_ALLOWED


async def test_an_unresolvable_or_empty_answer_is_reported():
    assert await refused("https://nowhere.example.com/") == HOST_UNRESOLVABLE
    empty = resolver_for({"empty.example.com": []})
    assert await refused("https://empty.example.com/", resolver=empty) == HOST_UNRESOLVABLE


async def test_a_hanging_resolver_times_out():
    async def hang(host: str, port: int) -> list[str]:
        await asyncio.sleep(10)
        return []

    with pytest.raises(UnsafeDestination) as caught:
        await check_destination(
            "https://slow.example.com/", allow_private=False, resolver=hang, resolve_timeout=0.05
        )

    assert caught.value.code == HOST_UNRESOLVABLE


async def test_the_system_resolver_is_used_by_default():
    # "localhost" never needs the network, and is loopback by definition.
    await check_destination("http://localhost:1/", allow_private=True)
    with pytest.raises(UnsafeDestination):
        await check_destination("https://localhost:1/", allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "hooks.example.com/in",
        "ftp://hooks.example.com/",
        "https://",
        "https://user:pass@hooks.example.com/",
        "https://127.0.0.1:80@hooks.example.com/",
        "https://hooks.example.com:99999/",
        "https://hooks.example.com/\n",
    ],
)
def test_malformed_urls_are_invalid(url):
    with pytest.raises(UnsafeDestination) as caught:
        check_url_syntax(url, allow_private=True)

    assert caught.value.code == INVALID_URL


def test_syntax_check_accepts_public_https_and_private_http_when_allowed():
    check_url_syntax("https://hooks.example.com/in", allow_private=False)
    check_url_syntax("http://10.0.0.2:9000/in", allow_private=True)
    check_url_syntax("http://receiver:9000/in", allow_private=True)  # decided after resolution
    with pytest.raises(UnsafeDestination) as caught:
        check_url_syntax("http://hooks.example.com/in", allow_private=False)
    assert caught.value.code == HTTPS_REQUIRED
