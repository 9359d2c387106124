"""Identical subscriptions share one execution per event: same document, variables, shop and
credential. Different shops, roles, keys or tokens never share; revocation still closes every
socket of the revoked credential, and only those."""

import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from parcelgraph.domain.enums import Role
from parcelgraph.schema.common.grouped_execution import GROUPS
from tests.live_support import (
    Closed,
    Live,
    live_fixture,  # noqa: F401 (the `live` fixture)
    next_data,
    receive,
    subscribe,
)

# `after: 0` on orders without events: whether a commit lands before or after a stream
# goes live, it is delivered exactly once (replayed or live), so no test waits on a race.
ORDER_EVENTS = """
subscription($n: String!) {
  orderEvents(orderNumber: $n, after: 0) { position eventName order { orderNumber } }
}"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"subscription_recheck_seconds": 0.2}


@pytest.fixture(autouse=True)
def fresh_groups() -> Iterator[None]:
    GROUPS.clear()
    GROUPS.executions = GROUPS.shared = 0
    yield
    GROUPS.clear()


def open_sockets(live: Live, stack: ExitStack, params: list[dict[str, str]]) -> list[Any]:
    """One socket per set of connection params, each subscribed to order 1001's events."""
    sockets = []
    for op, param in enumerate(params):
        ws = stack.enter_context(live.socket("acme", param))
        subscribe(ws, str(op), ORDER_EVENTS, {"n": "1001"})
        sockets.append(ws)
    wait_until_live(live, len(params))
    return sockets


def wait_until_live(live: Live, count: int) -> None:
    """Until `count` streams are attached to the broker (so none misses the next commit)."""
    deadline = time.monotonic() + 10
    while live.broker.subscriber_count() < count:  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "the subscriptions never went live"
        time.sleep(0.01)


def data_of(sockets: list[Any]) -> list[dict[str, Any]]:
    return [next_data(ws, str(op)) for op, ws in enumerate(sockets)]


def test_identical_subscribers_receive_identical_payloads_from_one_execution(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001")
    with ExitStack() as stack:
        sockets = open_sockets(live, stack, [{"Authorization": seeded.authorization}] * 5)
        first, second = live.append(seeded.shop, order, "PICKED_UP", "IN_TRANSIT")
        received = [data_of(sockets), data_of(sockets)]

    assert received == [
        [
            {
                "orderEvents": {
                    "position": first,
                    "eventName": "PICKED_UP",
                    "order": {"orderNumber": "1001"},
                }
            }
        ]
        * 5,
        [
            {
                "orderEvents": {
                    "position": second,
                    "eventName": "IN_TRANSIT",
                    "order": {"orderNumber": "1001"},
                }
            }
        ]
        * 5,
    ]
    assert (GROUPS.executions, GROUPS.shared) == (2, 8)


def test_different_roles_keys_and_tokens_never_share_an_execution(live: Live) -> None:
    admin = live.shop()
    viewer = live.shop(role=Role.VIEWER)
    other_admin = live.shop()
    order = live.order(admin.shop, "1001")
    tokens = [live.token(order), live.token(order)]
    params = [
        {"Authorization": admin.authorization},
        {"Authorization": admin.authorization},
        {"Authorization": viewer.authorization},
        {"Authorization": other_admin.authorization},
        {"token": tokens[0]},
        {"token": tokens[1]},
    ]
    with ExitStack() as stack:
        sockets = open_sockets(live, stack, params)
        [position] = live.append(admin.shop, order, "PICKED_UP")
        received = data_of(sockets)

    expected = {"position": position, "eventName": "PICKED_UP", "order": {"orderNumber": "1001"}}
    assert received == [{"orderEvents": expected}] * 6
    # One group of two (the same admin key) and four groups of one.
    assert (GROUPS.executions, GROUPS.shared) == (5, 1)


def test_shops_never_share_a_group_or_see_each_others_events(live: Live) -> None:
    acme = live.shop("acme")
    globex = live.shop("globex")
    acme_order = live.order(acme.shop, "1001")
    globex_order = live.order(globex.shop, "1001")
    with ExitStack() as stack:
        acme_ws = stack.enter_context(live.socket("acme", {"Authorization": acme.authorization}))
        globex_ws = stack.enter_context(
            live.socket("globex", {"Authorization": globex.authorization})
        )
        for ws in (acme_ws, globex_ws):
            subscribe(ws, "1", ORDER_EVENTS, {"n": "1001"})
        wait_until_live(live, 2)
        [globex_position] = live.append(globex.shop, globex_order, "GLOBEX_ONLY")
        [acme_position] = live.append(acme.shop, acme_order, "ACME_ONLY")
        acme_got = next_data(acme_ws, "1")["orderEvents"]
        globex_got = next_data(globex_ws, "1")["orderEvents"]

    assert (acme_got["position"], acme_got["eventName"]) == (acme_position, "ACME_ONLY")
    assert (globex_got["position"], globex_got["eventName"]) == (globex_position, "GLOBEX_ONLY")
    assert (GROUPS.executions, GROUPS.shared) == (2, 0)


def test_revoking_a_grouped_token_closes_each_of_its_sockets_and_no_other(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001")
    revoked, kept = live.token(order), live.token(order)
    with ExitStack() as stack:
        sockets = open_sockets(live, stack, [{"token": revoked}] * 3 + [{"token": kept}])
        live.revoke_token(revoked)
        codes = [closing_code(ws) for ws in sockets[:3]]
        [position] = live.append(seeded.shop, order, "AFTER_REVOCATION")
        survivor = next_data(sockets[3], "3")["orderEvents"]

    assert codes == [4403, 4403, 4403]
    assert (survivor["position"], survivor["eventName"]) == (position, "AFTER_REVOCATION")


def closing_code(ws: Any) -> int:
    """Read until the server closes; every message before must be the UNAUTHENTICATED end."""
    with pytest.raises(Closed) as closed:
        while True:
            message = receive(ws, timeout=3)
            assert message["type"] in ("next", "complete"), message
            if message["type"] == "next":
                [error] = message["payload"]["errors"]
                assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    return closed.value.code
