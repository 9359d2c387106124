"""docs/integrator.md, run: every operation of the walkthrough against the live app, in
order, each answer compared with the one the page shows ("…" stands for any value), the
subscription kept open across the carrier scan, and the page's webhook receiver run as
written, verifying the signed delivery of that scan."""

import json
import os
import re
import socket
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from parcelgraph.models.types import utcnow
from tests.support import issue_key_sync

PAGE = Path(__file__).resolve().parents[1] / "docs" / "integrator.md"
BLOCK = re.compile(r"```(\w+)(?: (\w+))?\n(.*?)```", re.S)
ANY = "…"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"run_webhook_worker": True, "webhook_poll_interval": 0.05}


@pytest.fixture
def clock() -> Any:
    """The real clock: the receiver refuses signatures more than 5 minutes old."""
    return utcnow


def steps() -> list[dict[str, Any]]:
    """The page's operations, each with its variables, expected answer and caller."""
    found: list[dict[str, Any]] = []
    for language, tag, text in BLOCK.findall(PAGE.read_text()):
        if language == "graphql":
            found.append({"query": text, "tag": tag, "variables": None})
        elif language == "json" and tag == "variables":
            found[-1]["variables"] = json.loads(text)
        elif language == "json" and tag == "answer":
            found[-1]["answer"] = json.loads(text)
        elif language == "python" and tag == "receiver":
            found.append({"receiver": text})
    return found


def matches(expected: Any, actual: Any) -> bool:
    if expected == ANY:
        return actual is not None
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(matches(v, actual[k]) for k, v in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return expected == actual


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _eventually(check: Any, what: str) -> Any:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_integrator_walkthrough_runs_as_written(
    ws_app: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = issue_key_sync(database_url, "demo")
    hook_base = f"http://127.0.0.1:{_free_port()}"
    url, sockets = "/v1/shops/demo/graphql", []
    receiver: dict[str, Any] = {}
    try:
        _walk(ws_app, url, admin, hook_base, monkeypatch, receiver, sockets)
    finally:
        for context in sockets:
            context.__exit__(None, None, None)
    assert receiver, "the page lost its receiver"


def _walk(ws_app, url, admin, hook_base, monkeypatch, receiver, sockets):  # type: ignore[no-untyped-def]
    token, socket_ = None, None
    for step in steps():
        if "receiver" in step:
            receiver.update(_start_receiver(step["receiver"], hook_base, monkeypatch))
            continue
        text = json.dumps(step).replace("http://127.0.0.1:8001", hook_base)
        step = json.loads(text)
        if step["tag"] == "subscription":
            context = ws_app.websocket_connect(url, subprotocols=["graphql-transport-ws"])
            sockets.append(context)
            socket_ = _subscribe(context.__enter__(), admin, step)
            continue
        auth = f"Bearer {token}" if step["tag"] == "customer" else admin
        body = {"query": step["query"], "variables": step["variables"]}
        reply = ws_app.post(url, json=body, headers={"Authorization": auth}).json()
        answer = {key: reply.get(key) for key in step["answer"]}  # extensions: cost, varies
        assert matches(step["answer"], answer), (step["query"], reply)
        data = answer["data"]
        if "createWebhook" in data:
            monkeypatch.setenv("WEBHOOK_SECRET", data["createWebhook"]["secret"])
        if "issueOrderToken" in data:
            token = data["issueOrderToken"]["token"]
        if "delivered" in data and socket_ is not None:
            names = []
            while "SUCCESSFULLY_DELIVERED" not in names and len(names) < 20:
                message = socket_.receive_json()  # the rest of the history, then the scan
                names.append(message["payload"]["data"]["orderEvents"]["eventName"])
            assert names[-1] == "SUCCESSFULLY_DELIVERED", names
            delivered = receiver["received"]
            envelope = _eventually(lambda got=delivered: got, "the signed webhook")[0]
            assert envelope["ref"] == "shipments/delivered/SUCCESSFULLY_DELIVERED"
    assert token is not None, "the page lost a step"


def _subscribe(ws: Any, admin: str, step: dict[str, Any]) -> Any:
    ws.send_json({"type": "connection_init", "payload": {"Authorization": admin}})
    assert ws.receive_json()["type"] == "connection_ack"
    ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": step["query"]}})
    replayed = [ws.receive_json()["payload"] for _ in step["answer"]]
    assert matches(step["answer"], replayed), replayed
    return ws


def _start_receiver(code: str, base: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Run the page's receiver as written (not as __main__), on the port the page's webhook
    URL was rewritten to."""
    if "WEBHOOK_SECRET" not in os.environ:  # the page creates the webhook first
        monkeypatch.setenv("WEBHOOK_SECRET", "whsec_placeholder")
    namespace: dict[str, Any] = {"__name__": "receiver"}
    exec(compile(code, str(PAGE), "exec"), namespace)
    namespace["SECRET"] = None  # read again below, once the webhook exists

    class Reading(namespace["Receiver"]):  # type: ignore[misc,valid-type]
        def do_POST(self) -> None:
            namespace["SECRET"] = os.environ["WEBHOOK_SECRET"]
            super().do_POST()

    port = int(base.rsplit(":", 1)[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Reading)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return namespace
