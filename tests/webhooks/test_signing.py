"""Webhook signatures, checked against an independent implementation written here.

The helpers below follow the documented webhook format and the Standard Webhooks specification
directly with hmac/hashlib/base64; they share no code with parcelgraph.webhooks.
"""

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime

import pytest

from parcelgraph.webhooks import InvalidSignature, StaleTimestamp, verify, verify_standard
from parcelgraph.webhooks.signing import (
    delivery_headers,
    generate_secret,
    karla_signature,
    standard_headers,
)

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_" + base64.b64encode(b"o" * 32).decode()
BODY = b'{"ref":"shipments/delivered/SUCCESSFULLY_DELIVERED","id":"evt_1"}'
T = 1_790_000_000


def receiver_check_karla(header: str, body: bytes, secret: str, now: int) -> bool:
    """A receiver as the docs describe it: parse t and v1, HMAC "t.body", 300 s tolerance."""
    match = re.fullmatch(r"t=(\d+)((?:,v1=[0-9a-f]{64})+)", header)
    if match is None:
        return False
    timestamp = match.group(1)
    signatures = re.findall(r"v1=([0-9a-f]{64})", match.group(2))
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    fresh = abs(now - int(timestamp)) <= 300
    return fresh and any(hmac.compare_digest(mac.hexdigest(), s) for s in signatures)


def receiver_check_standard(headers: dict[str, str], body: bytes, secret: str) -> bool:
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    sent = [part.split(",", 1)[1] for part in headers["webhook-signature"].split(" ")]
    return any(hmac.compare_digest(expected, s) for s in sent)


# --- signing, checked independently --------------------------------------------------------


def test_the_karla_header_verifies_with_the_documented_algorithm():
    header = karla_signature([SECRET], T, BODY)

    expected_hex = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={T},v1={expected_hex}"
    assert receiver_check_karla(header, BODY, SECRET, now=T + 10) is True


def test_rotation_signs_with_both_secrets_and_each_receiver_accepts():
    header = karla_signature([SECRET, OLD_SECRET], T, BODY)

    assert header.count(",v1=") == 2
    assert receiver_check_karla(header, BODY, SECRET, now=T) is True
    assert receiver_check_karla(header, BODY, OLD_SECRET, now=T) is True
    assert receiver_check_karla(header, BODY, generate_secret(), now=T) is False


def test_an_independent_receiver_refuses_a_tampered_body_and_a_stale_timestamp():
    header = karla_signature([SECRET], T, BODY)

    assert receiver_check_karla(header, BODY.replace(b"evt_1", b"evt_2"), SECRET, now=T) is False
    assert receiver_check_karla(header, BODY, SECRET, now=T + 301) is False


def test_standard_webhooks_headers_match_the_specifications_published_vector():
    headers = standard_headers(
        "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}', [SECRET]
    )

    assert headers == {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }


def test_standard_webhooks_rotation_sends_space_separated_signatures():
    headers = standard_headers("evt_1", T, BODY, [SECRET, OLD_SECRET])

    assert len(headers["webhook-signature"].split(" ")) == 2
    assert receiver_check_standard(headers, BODY, SECRET) is True
    assert receiver_check_standard(headers, BODY, OLD_SECRET) is True
    assert receiver_check_standard(headers, BODY + b" ", SECRET) is False


def test_delivery_headers_carry_both_schemes_and_the_content_type():
    headers = delivery_headers("evt_1", T, BODY, [SECRET])

    assert headers == {
        "Content-Type": "application/json",
        "Karla-Signature": karla_signature([SECRET], T, BODY),
        **standard_headers("evt_1", T, BODY, [SECRET]),
    }


def test_signing_without_a_secret_is_refused():
    with pytest.raises(ValueError):
        karla_signature([], T, BODY)
    with pytest.raises(ValueError):
        standard_headers("evt_1", T, BODY, [])


def test_generated_secrets_are_whsec_base64_of_32_random_bytes():
    first, second = generate_secret(), generate_secret()

    assert first.startswith("whsec_")
    assert len(base64.b64decode(first.removeprefix("whsec_"), validate=True)) == 32
    assert first != second


# --- the public verify helpers -------------------------------------------------------------


def independent_karla_header(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def test_verify_accepts_a_header_built_independently():
    header = independent_karla_header(SECRET, T, BODY)

    assert verify(BODY, header, SECRET, now=T + 299) is None


def test_verify_accepts_either_secret_of_a_rotation():
    header = karla_signature([OLD_SECRET, SECRET], T, BODY)

    verify(BODY, header, SECRET, now=T)
    verify(BODY, header, OLD_SECRET, now=T)


def test_verify_takes_an_aware_datetime_as_now():
    now = datetime.fromtimestamp(T + 5, tz=UTC)

    verify(BODY, independent_karla_header(SECRET, T, BODY), SECRET, now=now)
    with pytest.raises(ValueError):
        verify(
            BODY, independent_karla_header(SECRET, T, BODY), SECRET, now=now.replace(tzinfo=None)
        )


def test_verify_refuses_a_tampered_body():
    header = independent_karla_header(SECRET, T, BODY)

    with pytest.raises(InvalidSignature):
        verify(BODY + b" ", header, SECRET, now=T)


def test_verify_refuses_the_wrong_secret_and_a_changed_timestamp():
    header = independent_karla_header(SECRET, T, BODY)

    with pytest.raises(InvalidSignature):
        verify(BODY, header, OLD_SECRET, now=T)
    with pytest.raises(InvalidSignature):
        verify(BODY, header.replace(f"t={T}", f"t={T + 1}"), SECRET, now=T)


@pytest.mark.parametrize("offset", [301, -301, 86_400])
def test_verify_refuses_a_stale_or_future_timestamp(offset):
    header = independent_karla_header(SECRET, T, BODY)

    with pytest.raises(StaleTimestamp):
        verify(BODY, header, SECRET, now=T + offset)


def test_the_tolerance_is_configurable():
    header = independent_karla_header(SECRET, T, BODY)

    verify(BODY, header, SECRET, now=T + 3000, tolerance_seconds=3600)
    with pytest.raises(StaleTimestamp):
        verify(BODY, header, SECRET, now=T + 11, tolerance_seconds=10)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "garbage",
        f"t={T}",
        "v1=" + "0" * 64,
        f"t=abc,v1={'0' * 64}",
        f"t={T},t={T},v1={'0' * 64}",
        f"t={T},v1={'0' * 64}",
    ],
)
def test_verify_refuses_missing_or_malformed_headers(header):
    with pytest.raises(InvalidSignature):
        verify(BODY, header, SECRET, now=T)


def test_verify_ignores_unknown_schemes_beside_a_valid_v1():
    header = independent_karla_header(SECRET, T, BODY) + ",v0=deadbeef"

    verify(BODY, header, SECRET, now=T)


def test_verify_standard_accepts_the_published_vector_case_insensitively():
    headers = {
        "Webhook-Id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "Webhook-Timestamp": "1614265330",
        "Webhook-Signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }

    verify_standard(b'{"test": 2432232314}', headers, SECRET, now=1614265330)


def test_verify_standard_refuses_tampering_staleness_and_missing_headers():
    headers = standard_headers("evt_1", T, BODY, [SECRET])

    with pytest.raises(InvalidSignature):
        verify_standard(BODY + b"x", headers, SECRET, now=T)
    with pytest.raises(InvalidSignature):
        verify_standard(BODY, {**headers, "webhook-id": "evt_2"}, SECRET, now=T)
    with pytest.raises(StaleTimestamp):
        verify_standard(BODY, headers, SECRET, now=T - 301)
    with pytest.raises(InvalidSignature):
        verify_standard(BODY, {"webhook-id": "evt_1"}, SECRET, now=T)
