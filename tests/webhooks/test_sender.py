"""The webhook sender against a real HTTP receiver on 127.0.0.1 (see conftest.py)."""

import asyncio
import socket
import time

import pytest

from parcelgraph.webhooks.sender import USER_AGENT, SendResult, WebhookSender

BODY = b'{"id":"evt_1","ref":"claims/created"}'
HEADERS = {"Content-Type": "application/json", "Karla-Signature": "t=1,v1=abc"}


@pytest.fixture
async def sender():
    async with WebhookSender(total_timeout=5.0, excerpt_bytes=1000) as s:
        yield s


async def test_a_200_is_returned_with_its_body_and_the_request_arrives_intact(sender, receiver):
    result = await sender.send(receiver.url("/echo"), BODY, HEADERS)

    assert (result.status_code, result.body_excerpt, result.error) == (200, b"thanks", None)
    assert result.body_text == "thanks"
    assert 0 <= result.duration_ms < 5000
    [request] = receiver.state.requests
    assert (request.method, request.path, request.body) == ("POST", "/echo", BODY)
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Karla-Signature"] == "t=1,v1=abc"
    assert request.headers["User-Agent"] == USER_AGENT
    assert request.headers["Accept-Encoding"] == "identity"


async def test_a_500_is_an_answer_not_an_error(sender, receiver):
    result = await sender.send(receiver.url("/fail"), BODY, HEADERS)

    assert (result.status_code, result.body_excerpt, result.error) == (500, b"internal error", None)


async def test_a_410_is_reported_as_such(sender, receiver):
    result = await sender.send(receiver.url("/gone"), BODY, HEADERS)

    assert (result.status_code, result.body_excerpt, result.error) == (
        410,
        b"this endpoint is gone",
        None,
    )


async def test_a_slow_receiver_times_out_within_the_total_timeout(receiver):
    async with WebhookSender(total_timeout=0.5) as sender:
        started = time.perf_counter()
        result = await sender.send(receiver.url("/slow"), BODY, HEADERS)
        elapsed = time.perf_counter() - started

    assert result.status_code is None
    assert result.error == "timeout: no complete answer within 0.5 s"
    assert 0.4 < elapsed < 2.0
    assert 400 <= result.duration_ms < 2000


async def test_a_dribbling_body_is_cut_off_by_the_total_timeout(receiver):
    # The status line comes at once, then one byte every 0.1 s for 10 s: httpx's read timeout
    # alone would never fire, the total timeout must.
    async with WebhookSender(total_timeout=0.6, excerpt_bytes=1000) as sender:
        started = time.perf_counter()
        result = await sender.send(receiver.url("/dribble"), BODY, HEADERS)
        elapsed = time.perf_counter() - started

    assert result.status_code == 200
    assert result.error == "timeout: no complete answer within 0.6 s"
    assert 1 <= len(result.body_excerpt) <= 10
    assert set(result.body_excerpt) == {ord("d")}
    assert elapsed < 2.0


async def test_a_huge_body_is_capped_and_the_rest_never_read(receiver):
    async with WebhookSender(excerpt_bytes=1000) as sender:
        result = await sender.send(receiver.url("/huge"), BODY, HEADERS)

    assert (result.status_code, result.body_excerpt, result.error) == (200, b"x" * 1000, None)
    # We hung up: the receiver's writes fail long before its 50 MiB are out.
    assert await asyncio.to_thread(receiver.state.huge_aborted.wait, 10)
    assert receiver.state.huge_bytes_written < 50 * 1024 * 1024


async def test_a_zero_excerpt_reads_no_body(receiver):
    async with WebhookSender(excerpt_bytes=0) as sender:
        result = await sender.send(receiver.url("/ok"), BODY, HEADERS)

    assert (result.status_code, result.body_excerpt, result.error) == (200, b"", None)


async def test_a_redirect_is_not_followed(sender, receiver):
    result = await sender.send(receiver.url("/redirect"), BODY, HEADERS)

    assert (result.status_code, result.error) == (302, None)
    assert receiver.state.paths() == ["/redirect"]


async def test_cookies_set_by_a_receiver_are_never_sent_back(sender, receiver):
    await sender.send(receiver.url("/cookie"), BODY, HEADERS)
    await sender.send(receiver.url("/echo"), BODY, HEADERS)

    assert "Cookie" not in receiver.state.requests[1].headers


async def test_a_refused_connection_is_an_error_not_an_exception(sender):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there

    result = await sender.send(f"http://127.0.0.1:{port}/hook", BODY, HEADERS)

    assert result.status_code is None
    assert result.body_excerpt == b""
    assert result.error is not None and result.error.startswith("connect_error: ")


@pytest.mark.parametrize("url", ["not a url", "ftp://127.0.0.1/x", "http://"])
async def test_a_malformed_url_is_an_error_not_an_exception(sender, url):
    result = await sender.send(url, BODY, HEADERS)

    assert result.status_code is None
    assert result.error is not None and result.error.startswith("invalid_url: ")


async def test_concurrent_sends_to_one_host_are_bounded(receiver):
    async with WebhookSender(max_connections_per_host=2) as sender:
        results = await asyncio.gather(
            *(sender.send(receiver.url("/busy"), BODY, HEADERS) for _ in range(6))
        )

    assert [r.status_code for r in results] == [200] * 6
    assert receiver.state.max_in_flight == 2


async def test_many_sends_share_one_client_and_all_succeed(sender, receiver):
    results = await asyncio.gather(
        *(sender.send(receiver.url(f"/ok?n={i}"), BODY, HEADERS) for i in range(30))
    )

    assert {(r.status_code, r.error) for r in results} == {(200, None)}
    assert len(receiver.state.requests) == 30


def test_send_result_is_a_value():
    result = SendResult(200, b"\xffok", None, 12)

    assert result.body_text == "\ufffdok"
    with pytest.raises(AttributeError):
        result.status_code = 500  # type: ignore[misc]


def test_nonsense_settings_are_refused():
    with pytest.raises(ValueError):
        WebhookSender(total_timeout=0)
    with pytest.raises(ValueError):
        WebhookSender(excerpt_bytes=-1)
