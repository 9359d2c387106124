"""`shipments`, `events` and `claims`: each filter, sort and a page boundary."""

from datetime import UTC, datetime, timedelta

from strawberry import relay

from parcelgraph.domain.enums import Direction

T0 = datetime(2026, 11, 1, tzinfo=UTC)
H = timedelta(hours=1)

SHIPMENTS = """query ($filter: ShipmentFilter, $sort: ShipmentSort) {
  shipments(filter: $filter, sort: $sort) { edges { node { trackingNumber } } } }"""
EVENTS = """query ($filter: EventFilter, $sort: EventSort, $first: Int, $after: String) {
  events(filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { node { eventName position } } pageInfo { endCursor hasNextPage } } }"""
CLAIMS = """query ($filter: ClaimFilter) {
  claims(filter: $filter) { edges { node { reason status } } } }"""


async def _world(factory, clock):  # type: ignore[no-untyped-def]
    shop = await factory.shop("acme")
    order = await factory.order(shop, "1", placed_at=T0)
    moving = await factory.shipment(
        order, tracking_number="MOVING", carrier="dhl", created_at=T0, placed_at=T0
    )
    await factory.events(moving, "DEPARTURE_FROM_TRANSPORT_HUB", at=T0 + H)
    quiet = await factory.shipment(
        order, tracking_number="QUIET", carrier="ups", created_at=T0 + H, placed_at=T0
    )
    await factory.events(quiet, "DEPARTURE_FROM_TRANSPORT_HUB", at=clock() - timedelta(days=1))
    done = await factory.shipment(
        order, tracking_number="DONE", carrier="dhl", created_at=T0 + 2 * H, placed_at=T0
    )
    await factory.events(done, "DEPARTURE_FROM_TRANSPORT_HUB", "SUCCESSFULLY_DELIVERED", at=T0)
    back = await factory.shipment(
        order,
        tracking_number="BACK",
        carrier="gls",
        direction=Direction.CUSTOMER_MERCHANT,
        created_at=T0 + 3 * H,
        placed_at=clock() - H,
    )
    await factory.shipment(order, created_at=T0 + 4 * H)  # a draft
    return order, moving, quiet, done, back


def tracking(data: dict) -> list:
    return [e["node"]["trackingNumber"] for e in data["shipments"]["edges"]]


async def test_shipments_filters(shop, factory, clock) -> None:
    await _world(factory, clock)

    async def only(filter_: dict) -> list:
        return tracking(await shop.data(SHIPMENTS, {"filter": filter_}))

    assert tracking(await shop.data(SHIPMENTS)) == [None, "BACK", "DONE", "QUIET", "MOVING"]
    assert tracking(await shop.data(SHIPMENTS, {"sort": "CREATED_AT_ASC"}))[0] == "MOVING"
    assert await only({"phases": ["DELIVERED"]}) == ["DONE"]
    assert await only({"carriers": ["DHL"]}) == ["DONE", "MOVING"]
    assert await only({"directions": ["CUSTOMER_MERCHANT"]}) == ["BACK"]
    assert await only({"isDraft": True}) == [None]
    assert await only({"isDraft": False, "carriers": ["ups", "gls"]}) == ["BACK", "QUIET"]
    # stuck for 2 days: shipped long ago, not delivered, nothing since -> MOVING only
    # (QUIET had an event yesterday, DONE is delivered, BACK shipped an hour ago)
    assert await only({"noEventForDays": 2}) == ["MOVING"]
    # 0 days: every shipped, unfinished parcel with no event since now
    assert await only({"noEventForDays": 0}) == ["BACK", "QUIET", "MOVING"]


async def test_stuck_parcels_follow_the_injected_clock(shop, factory, clock) -> None:
    await _world(factory, clock)
    clock.advance(days=3)
    data = await shop.data(SHIPMENTS, {"filter": {"noEventForDays": 2}})
    # three days on, QUIET's last event and BACK's shipping are more than 2 days old too
    assert tracking(data) == ["BACK", "QUIET", "MOVING"]


async def test_events_filters_and_catch_up(shop, factory, clock) -> None:
    order, _moving, _quiet, done, _back = await _world(factory, clock)
    await factory.claim(done, reason="DAMAGE")

    async def names(filter_: dict, sort: str = "POSITION_ASC") -> list:
        data = await shop.data(EVENTS, {"filter": filter_, "sort": sort})
        return [e["node"]["eventName"] for e in data["events"]["edges"]]

    everything = await shop.data(EVENTS, {"sort": "POSITION_ASC"})
    positions = [e["node"]["position"] for e in everything["events"]["edges"]]
    assert positions == sorted(positions) and len(positions) == 4
    newest_first = await shop.data(EVENTS)
    assert [e["node"]["position"] for e in newest_first["events"]["edges"]] == positions[::-1]
    assert await names({"refPrefixes": ["shipments/delivered"]}) == ["SUCCESSFULLY_DELIVERED"]
    assert await names({"refPrefixes": ["shipments/deliv"]}) == []
    assert await names({"eventGroups": ["shipment_delivered"]}) == ["SUCCESSFULLY_DELIVERED"]
    assert await names({"sources": ["CLAIMS"]}) == []
    assert await names({"shipmentId": relay.to_base64("Shipment", done.id)}) == [
        "DEPARTURE_FROM_TRANSPORT_HUB",
        "SUCCESSFULLY_DELIVERED",
    ]
    assert len(await names({"orderId": relay.to_base64("Order", order.id)})) == 4
    assert await names({"orderId": relay.to_base64("Shipment", order.id)}) == []
    assert await names({"afterPosition": positions[2]}) == ["SUCCESSFULLY_DELIVERED"]
    assert await names(
        {"occurredFrom": (T0 + H).isoformat(), "occurredTo": (T0 + 2 * H).isoformat()}
    ) == ["DEPARTURE_FROM_TRANSPORT_HUB", "SUCCESSFULLY_DELIVERED"]
    by_time = await names({}, "OCCURRED_AT_ASC")
    assert by_time[-1] == "DEPARTURE_FROM_TRANSPORT_HUB"  # QUIET's, yesterday


async def test_events_catch_up_pages_see_new_events(shop, factory, clock) -> None:
    _order, moving, *_ = await _world(factory, clock)
    page1 = await shop.data(EVENTS, {"sort": "POSITION_ASC", "first": 3})
    await factory.events(moving, "OUT_FOR_DELIVERY")
    page2 = await shop.data(
        EVENTS,
        {"sort": "POSITION_ASC", "first": 3, "after": page1["events"]["pageInfo"]["endCursor"]},
    )
    assert [e["node"]["eventName"] for e in page2["events"]["edges"]] == [
        "SUCCESSFULLY_DELIVERED",
        "OUT_FOR_DELIVERY",
    ]
    assert page2["events"]["pageInfo"]["hasNextPage"] is False


async def test_claims_filters(shop, factory, clock) -> None:
    order, moving, quiet, done, _back = await _world(factory, clock)
    await factory.claim(done, reason="DAMAGE", status="ACCEPTED", preference="REFUND")
    await factory.claim(moving, reason="NOT_RECEIVED", created_at=clock() + H)
    await factory.claim(quiet, reason="SUPPORT", status="CLOSED", preference="REORDER")

    async def reasons(filter_: dict | None = None) -> list:
        data = await shop.data(CLAIMS, {"filter": filter_})
        return [e["node"]["reason"] for e in data["claims"]["edges"]]

    assert (await reasons())[0] == "NOT_RECEIVED"  # newest first
    assert await reasons({"statuses": ["ACCEPTED", "CLOSED"]}) in (
        ["DAMAGE", "SUPPORT"],
        ["SUPPORT", "DAMAGE"],
    )
    assert await reasons({"reasons": ["SUPPORT"]}) == ["SUPPORT"]
    assert await reasons({"resolutionPreferences": ["REFUND"]}) == ["DAMAGE"]
    assert await reasons({"shipmentId": relay.to_base64("Shipment", moving.id)}) == ["NOT_RECEIVED"]
    assert len(await reasons({"orderId": relay.to_base64("Order", order.id)})) == 3


async def test_no_event_for_days_out_of_range_is_a_coded_error(shop) -> None:
    for days in (2147483647, -1):
        body = await shop.execute(
            "query($d: Int){ shipments(filter: {noEventForDays: $d}) { totalCount } }", {"d": days}
        )

        assert body["data"] is None
        [error] = body["errors"]
        assert error["extensions"] == {
            "code": "VALUE_OUT_OF_RANGE",
            "field": ["filter", "noEventForDays"],
        }
