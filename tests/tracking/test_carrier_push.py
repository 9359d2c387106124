"""POST /v1/carriers/aftership/push/{slug}: AfterShip webhooks verified by their HMAC,
recorded through the ingest path; a scan pushed and then polled is one event."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import func, select

from parcelgraph.models import Event, Shop
from parcelgraph.resolvers.shops import carrier_credentials
from parcelgraph.tracking.carriers.aftership_push import signature
from parcelgraph.tracking.service import build_poller
from tests.parcels import parcel
from tests.support import FrozenClock
from tests.tracking.carriers.fake_carrier import FIXTURES, FakeCarrier, running
from tests.tracking.support import CIPHER, KEY

NUMBER = "H1001990000000000011"
SECRET = "whsec-aftership-1"
URL = "/v1/carriers/aftership/push/acme"


def tracking_object() -> dict:
    answer = json.loads((FIXTURES / "aftership" / "success.json").read_text())["routes"][0]
    return answer["json"]["data"]["trackings"][0]


def webhook_body() -> bytes:
    msg = {"event": "tracking_update", "event_id": "e-1", "msg": tracking_object(), "ts": 1}
    return json.dumps(msg).encode()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 10, 8, 12, 0, tzinfo=UTC))


@pytest.fixture
def aftership() -> Iterator[FakeCarrier]:
    with running() as fake:
        yield fake.load("aftership", "success")


@pytest.fixture
def settings_overrides(aftership: FakeCarrier) -> dict[str, object]:
    return {"carrier_base_urls": {"aftership": aftership.url}, "carrier_credentials_keys": [KEY]}


@pytest.fixture
async def hermes_parcel(shop, db, clock):
    async with db.writer() as session:
        acme = (await session.exec(select(Shop).where(Shop.slug == "acme"))).one()
        await carrier_credentials.set_credentials(
            session, shop=acme, adapter="aftership",
            values={"api_key": "as-key", "webhook_secret": SECRET},
            known={"aftership": ("api_key",)}, cipher=CIPHER, now=clock(),
        )  # fmt: skip
        await session.commit()
    return await parcel(db, at=datetime(2026, 10, 5, 8, tzinfo=UTC), tracking_number=NUMBER,
                        carrier="hrs")  # fmt: skip


async def carrier_events(db) -> list[tuple[str, str | None]]:
    async with db.reader() as session:
        rows = (await session.exec(select(Event).where(Event.raw_code.is_not(None))  # type: ignore[union-attr]
                                   .order_by(Event.occurred_at))).all()  # fmt: skip
    return [(r.event_name, r.raw_code) for r in rows]


async def test_a_signed_push_is_recorded_and_the_same_scans_polled_later_add_nothing(
    app, http, db, clock, hermes_parcel, aftership
):
    body = webhook_body()
    # when AfterShip pushes the parcel's history, signed with the webhook secret
    response = await http.post(
        URL, content=body, headers={"aftership-hmac-sha256": signature(body, SECRET)}
    )
    # then its scans are recorded
    assert (response.status_code, response.json()) == (200, {"recorded": 3, "unknown": []})
    expected = [("LABEL_CREATED", "InfoReceived_001"),
                ("DEPARTURE_FROM_TRANSPORT_HUB", "InTransit_007"),
                ("SUCCESSFULLY_DELIVERED", "Delivered_001")]  # fmt: skip
    assert await carrier_events(db) == expected
    # when the poller then asks AfterShip and gets the same scans
    poller = build_poller(app.state.settings, db=db, broker=None, clock=clock)
    report = await poller.poll_once()
    # then nothing is recorded twice (and the same push again adds nothing either)
    assert (report.asked, report.recorded) == (1, 0)
    assert len(aftership.requests_to("/trackings")) == 1
    again = await http.post(
        URL, content=body, headers={"aftership-hmac-sha256": signature(body, SECRET)}
    )
    assert again.json() == {"recorded": 0, "unknown": []}
    assert await carrier_events(db) == expected


@pytest.mark.parametrize(
    ("url", "headers", "status"),
    [
        (URL, {"aftership-hmac-sha256": signature(webhook_body(), "wrong-secret")}, 401),
        (URL, {}, 401),
        ("/v1/carriers/aftership/push/nobody", {}, 401),
        ("/v1/carriers/ups/push/acme", {}, 404),
    ],
)
async def test_a_push_that_cannot_be_verified_writes_nothing(
    http, db, hermes_parcel, url, headers, status
):
    response = await http.post(url, content=webhook_body(), headers=headers)
    assert response.status_code == status
    async with db.reader() as session:
        count = (await session.exec(select(func.count()).select_from(Event))).one()
    assert count == 0


async def test_a_verified_body_of_the_wrong_shape_is_refused(http, hermes_parcel):
    body = b'{"event": "tracking_update"}'
    response = await http.post(
        URL, content=body, headers={"aftership-hmac-sha256": signature(body, SECRET)}
    )
    assert (response.status_code, response.json()) == (
        400, {"error": "the AfterShip webhook carries no tracking"},
    )  # fmt: skip
