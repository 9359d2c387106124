"""Helpers of the tracking page browser tests: seeding through the public API, reading the
page's DOM, waiting without fixed sleeps, screenshots to test-artifacts/."""

import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.web.browser_support import Receiver, Server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WAIT = 10.0
_numbers = itertools.count(1001)

UPSERT = """mutation($input: UpsertOrderInput!) {
  upsertOrder(input: $input) { order { id } errors { code message } }
}"""
ISSUE_TOKEN = """mutation($orderId: ID!) {
  issueOrderToken(input: {orderId: $orderId}) { token trackingUrl errors { code message } }
}"""
APPEND = """mutation($input: AppendShipmentEventInput!) {
  appendShipmentEvent(input: $input) { event { position } errors { code message } }
}"""


def eventually(check: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    """Poll `check` until it returns something truthy (no sleeps in the tests themselves)."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except Exception as error:  # the DOM may be mid-render; retry
            last = error
        else:
            if last:
                return last
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; last: {last!r}")


def shot(driver: Any, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / f"tracking-{name}.png"))


def js(driver: Any, script: str, *args: Any) -> Any:
    return driver.execute_script(script, *args)


def packages(driver: Any) -> list[dict[str, Any]]:
    """What the page shows per package: heading, phase, tracking number, events, items."""
    return js(
        driver,
        """return [...document.querySelectorAll('[data-testid=package]')].map((p) => ({
          title: p.querySelector('h2').textContent,
          phase: p.querySelector('[role=progressbar]')?.dataset.phase ?? null,
          step: p.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') ?? null,
          tracking: p.querySelector('[data-testid=tracking-number]')?.textContent ?? null,
          events: [...p.querySelectorAll('.event')].map((e) => [
            Number(e.dataset.position), e.querySelector('.event-title').textContent,
            e.classList.contains('warn')]),
          items: [...p.querySelectorAll('.product .title')].map((t) => t.textContent),
        }))""",
    )


def place_order(server: Server, receiver: Receiver, *, packages: int = 1, **extra: Any) -> str:
    """Place an order with personal data and two products; return its order number."""
    number = f"A{next(_numbers)}"
    order = {
        "orderNumber": number,
        "email": "jane.doe@example.com",
        "expectedNumberOfShipments": packages,
        "address": {
            "name": "Jane Doe",
            "addressLine1": "Lindenstrasse 12",
            "zipCode": "10115",
            "city": "Berlin",
            "countryCode": "DE",
            "phone": "+49 30 1234567",
        },
        "products": [
            {
                "sku": "TENT-2",
                "title": "Trail tent",
                "quantity": 1,
                "price": "199.00",
                "images": [{"src": f"{receiver.url}/img/tent.png", "alt": "A green tent"}],
            },
            {
                "sku": "MUG-1",
                "title": "Camp mug",
                "quantity": 2,
                "price": "12.50",
                "images": [{"src": f"{receiver.url}/img/mug.png", "alt": "An enamel mug"}],
            },
        ],
    }
    data = server.graphql(UPSERT, {"input": {"id": number, "order": order, **extra}})
    assert data["upsertOrder"]["errors"] == []
    return number


def attach(server: Server, number: str, tracking: str, **fields: Any) -> None:
    tracking_input = {
        "trackingNumber": tracking,
        "carrierReference": "dhl",
        "trackingUrl": f"https://www.dhl.de/track?id={tracking}",
        **fields,
    }
    data = server.graphql(UPSERT, {"input": {"id": number, "trackings": [tracking_input]}})
    assert data["upsertOrder"]["errors"] == []


def append(server: Server, tracking: str, *names: str) -> None:
    for name in names:
        data = server.graphql(
            APPEND,
            {
                "input": {
                    "trackingNumber": tracking,
                    "eventName": name,
                    "location": "Leipzig hub",
                    "message": f"{name} scan",
                }
            },
        )
        assert data["appendShipmentEvent"]["errors"] == [], name


def open_token_link(server: Server, driver: Any, number: str) -> None:
    order_id = server.graphql("query($n: String!) { order(orderNumber: $n) { id } }", {"n": number})
    issued = server.graphql(ISSUE_TOKEN, {"orderId": order_id["order"]["id"]})["issueOrderToken"]
    assert issued["errors"] == []
    driver.get(issued["trackingUrl"])
    eventually(
        lambda: (
            js(driver, "return document.getElementById('live-status').dataset.status") == "live"
        ),
        "the live connection",
    )


def reasons_offered(driver: Any) -> list[str]:
    return js(
        driver,
        "return [...document.querySelectorAll('dialog[open] input[name=reason]')]"
        ".map((i) => i.value)",
    )


def open_claim_form(driver: Any) -> None:
    from selenium.webdriver.common.by import By

    def click() -> list[str]:
        # A live update may re-render the package between finding the button and clicking
        # it (a stale element): find and click again until the dialog is open.
        driver.find_element(By.XPATH, "//button[text()='Report a problem']").click()
        return reasons_offered(driver)

    eventually(click, "the claim form")
