"""AfterShip webhooks: the signature is checked on the raw body, the tracking read as a poll."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parcelgraph.tracking.adapters import CarrierResponseInvalid
from parcelgraph.tracking.carriers import aftership_push
from parcelgraph.tracking.carriers.aftership import AftershipAdapter
from parcelgraph.tracking.normalizer import normalize_all
from tests.tracking.carriers.cases import CASES

FIXTURE = Path(__file__).parent / "fixtures" / "aftership" / "success.json"
TRACKING = json.loads(FIXTURE.read_text())["routes"][0]["json"]["data"]["trackings"][0]
BODY = json.dumps(
    {"event": "tracking_update", "event_id": "ev-1", "msg": TRACKING, "ts": 1791380000}
).encode()
SECRET = "whsec-test"


def test_a_body_signed_with_the_secret_is_accepted():
    header = aftership_push.signature(BODY, SECRET)

    assert aftership_push.verify(BODY, header, SECRET) is True


@pytest.mark.parametrize(
    ("body", "header", "secret"),
    [
        (BODY + b" ", None, SECRET),  # no header at all
        (BODY + b" ", "signature-of-the-body", SECRET),  # a changed body
        (BODY, "AAAA", SECRET),  # a wrong signature
        (BODY, None, ""),  # no secret configured: nothing is trusted
    ],
    ids=["missing", "tampered", "wrong", "no-secret"],
)
def test_anything_else_is_refused(body, header, secret):
    if header == "signature-of-the-body":
        header = aftership_push.signature(BODY, SECRET)
    assert aftership_push.verify(body, header, secret) is False


async def test_a_pushed_tracking_gives_the_same_events_as_a_poll_of_it(fake, sleeps):
    fake.load("aftership", "success")
    case = next(c for c in CASES if c.name == "aftership")
    adapter = case.build(fake.url, sleeps)
    polled = await adapter.fetch(case.request())
    await adapter.context.http.aclose()

    pushed = aftership_push.parse(BODY)

    assert (pushed.event_id, pushed.tracking_number, pushed.courier) == (
        "ev-1",
        "H1001990000000000011",
        "hermes-de",
    )
    assert pushed.update == polled
    by_push = normalize_all(
        pushed.update.statuses, adapter="aftership", status_map=AftershipAdapter.status_map
    )
    by_poll = normalize_all(
        polled.statuses, adapter="aftership", status_map=AftershipAdapter.status_map
    )
    assert [s.external_id for s in by_push] == [s.external_id for s in by_poll]


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"msg": {}}', b'{"event": "x"}'])
def test_a_body_without_a_tracking_is_invalid(body):
    with pytest.raises(CarrierResponseInvalid):
        aftership_push.parse(body)
