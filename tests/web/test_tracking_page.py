"""The reference tracking page, end to end in headless Chromium against the real app.

One uvicorn server (temp SQLite, webhook worker on) behind a TCP proxy the tests can cut,
one webhook receiver, one browser for the module. Everything is seeded through the public
GraphQL API, as a merchant's backend would; the page itself only talks to that API.
Screenshots of each state go to test-artifacts/.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browser_support import Proxy, Receiver, Server, browser_missing, chromium
from tests.web.page_helpers import (
    ARTIFACTS,
    WAIT,
    append,
    attach,
    eventually,
    js,
    open_claim_form,
    open_token_link,
    packages,
    place_order,
    reasons_offered,
    shot,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    missing = browser_missing()
    if missing:
        if os.environ.get("PARCELGRAPH_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(f"browser tests required but {missing}")
        pytest.skip(missing)
    tmp = tmp_path_factory.mktemp("browser")
    receiver = Receiver()
    # The proxy needs the server's port and the server needs the proxy's URL (its links):
    # start the proxy's listener first and point it at the server once that is up.
    proxy = Proxy(target_port=0)
    proxy.start()
    server = Server(tmp, public_base_url=proxy.url)
    server.start()
    proxy.target_port = int(server.url.rsplit(":", 1)[1])
    driver = chromium(tmp / "profile")
    driver.set_page_load_timeout(WAIT)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield {"server": server, "proxy": proxy, "receiver": receiver, "driver": driver}
    finally:
        driver.quit()
        server.stop()
        proxy.stop()
        receiver.stop()


@pytest.fixture
def server(browser_env: dict[str, Any]) -> Server:
    return browser_env["server"]


@pytest.fixture
def proxy(browser_env: dict[str, Any]) -> Proxy:
    return browser_env["proxy"]


@pytest.fixture
def receiver(browser_env: dict[str, Any]) -> Receiver:
    return browser_env["receiver"]


@pytest.fixture
def driver(browser_env: dict[str, Any]) -> Iterator[Any]:
    driver = browser_env["driver"]
    driver.get_log("browser")  # start each test with an empty console log
    yield driver
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    expected = getattr(driver, "expected_console_errors", ())
    unexpected = [e for e in severe if not any(text in e["message"] for text in expected)]
    driver.expected_console_errors = ()
    assert not unexpected, unexpected


def test_token_link_shows_expected_packages_and_a_tracking_arrives_live(
    server: Server, receiver: Receiver, driver: Any
) -> None:
    # given an order expected in two packages, opened from the customer's token link
    number = place_order(server, receiver, packages=2)
    open_token_link(server, driver, number)
    shown = eventually(lambda: packages(driver), "the packages")
    assert [p["title"] for p in shown] == ["Expected package 1 of 2", "Expected package 2 of 2"]
    assert js(driver, "return document.getElementById('shop-name').textContent") == "Acme Outdoor"
    assert "Change delivery address" in driver.page_source
    shot(driver, "1-expected-packages")
    js(driver, "window.notReloaded = true")

    # when the merchant attaches a tracking for the tent through the API
    attach(server, number, "00340434161234567890", products=[{"sku": "TENT-2", "quantity": 1}])

    # then the first package turns into a parcel on the open page, without a reload
    first = eventually(
        lambda: (p := packages(driver)[0])["tracking"] and p, "the tracking on package 1"
    )
    assert first["title"] == "Package 1 of 2"
    assert first["tracking"].startswith("00340434161234567890")
    assert first["items"] == ["Trail tent"]
    assert packages(driver)[1]["title"] == "Expected package 2 of 2"
    assert js(driver, "return window.notReloaded") is True
    # something shipped: the address can no longer be changed
    assert "Change delivery address" not in driver.page_source
    shot(driver, "2-tracking-attached")

    # and on a phone the page fits the width (no sideways scrolling)
    driver.set_window_size(390, 844)
    try:
        assert js(driver, "return document.documentElement.scrollWidth <= window.innerWidth")
        shot(driver, "2b-phone-width")
    finally:
        driver.set_window_size(1280, 1600)


def test_events_advance_the_phase_and_a_dropped_connection_misses_nothing(
    server: Server, proxy: Proxy, receiver: Receiver, driver: Any
) -> None:
    # given a shipped order open on its tracking page
    number = place_order(server, receiver)
    attach(server, number, "1Z999AA10123456784", carrierReference="ups")
    open_token_link(server, driver, number)
    js(driver, "window.notReloaded = true")

    # when the carrier reports progress, the bar follows
    append(server, "1Z999AA10123456784", "DEPARTURE_FROM_TRANSPORT_HUB", "CARRIER_DELAY")
    moving = eventually(
        lambda: (p := packages(driver)[0])["phase"] == "IN_TRANSIT" and len(p["events"]) >= 2 and p,
        "the in-transit phase",
    )
    assert moving["step"] == "2"
    shot(driver, "3-in-transit-delayed")

    # and the connection drops while two more events happen
    driver.expected_console_errors = (
        "net::ERR_",  # the browser's own network log while cut off
        "parcelgraph: request failed",
        "parcelgraph: loading the order failed",
    )
    proxy.cut()
    eventually(
        lambda: (
            js(driver, "return document.getElementById('live-status').dataset.status")
            in ("offline", "reconnecting")
        ),
        "the page noticing the drop",
    )
    append(server, "1Z999AA10123456784", "OUT_FOR_DELIVERY", "RECIPIENT_NOT_HOME")
    shot(driver, "4-offline")
    proxy.restore()

    # then, reconnected, the page shows every event once, in order, and the failed attempt
    failed = eventually(
        lambda: (p := packages(driver)[0])["phase"] == "DELIVERY_FAILED" and p, "the catch-up"
    )
    titles = [title for _, title, _ in failed["events"]]
    assert titles[:4] == [
        "Recipient not home",
        "Out for delivery",
        "Carrier delay",
        "Departure from transport hub",
    ]
    # times are in the viewer's time zone (the browser runs in Asia/Kolkata)
    assert js(driver, "return document.querySelector('.event time').textContent").endswith(
        "GMT+5:30"
    )
    positions = [position for position, _, _ in failed["events"]]
    assert positions == sorted(set(positions), reverse=True)
    warned = {title for _, title, warn in failed["events"] if warn}
    assert {"Carrier delay", "Recipient not home"} <= warned
    assert "Out for delivery" not in warned
    assert js(driver, "return window.notReloaded") is True
    assert "Delivery attempts that failed: 1." in driver.page_source
    shot(driver, "5-delivery-failed-after-reconnect")


def test_a_claim_filed_in_the_form_arrives_as_a_webhook(
    server: Server, receiver: Receiver, driver: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from parcelgraph.webhooks.signing import karla_digest

    # given a webhook for claim events and a parcel on its way, open on its tracking page
    hook = server.graphql(
        "mutation($url: String!) { createWebhook(input: "
        '{url: $url, enabledEvents: ["claims"], format: LEGACY})'
        " { secret errors { code message } } }",
        {"url": f"{receiver.url}/hook"},
    )["createWebhook"]
    assert hook["errors"] == []
    number = place_order(server, receiver)
    attach(server, number, "JJD0099887766", carrierReference="dhl")
    append(server, "JJD0099887766", "DEPARTURE_FROM_TRANSPORT_HUB")
    open_token_link(server, driver, number)

    # while in transit, only the reasons that need no delivery are offered
    open_claim_form(driver)
    assert reasons_offered(driver) == ["SUPPORT", "INVESTIGATION"]
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)  # the dialog closes by keyboard
    eventually(lambda: not reasons_offered(driver), "the dialog to close")

    # once delivered, damage can be reported, with the package's items
    append(server, "JJD0099887766", "OUT_FOR_DELIVERY", "SUCCESSFULLY_DELIVERED")
    eventually(lambda: packages(driver)[0]["phase"] == "DELIVERED", "the delivery")
    open_claim_form(driver)
    assert reasons_offered(driver) == [
        "NOT_RECEIVED",
        "DAMAGE",
        "PARTIAL_DAMAGE",
        "MISSING_ITEM",
        "WRONG_ITEM",
        "RETURN",
        "SUPPORT",
        "INVESTIGATION",
    ]
    dialog = driver.find_element(By.CSS_SELECTOR, "dialog[open]")
    dialog.find_element(By.CSS_SELECTOR, "input[name=reason][value=DAMAGE]").click()
    dialog.find_element(By.CSS_SELECTOR, "input[name=item][value='MUG-1']").click()
    quantity = dialog.find_element(By.CSS_SELECTOR, "input[name='qty:MUG-1']")
    quantity.clear()
    quantity.send_keys("1")
    dialog.find_element(By.CSS_SELECTOR, "input[name=preference][value=REORDER]").click()
    dialog.find_element(By.TAG_NAME, "textarea").send_keys("The mug arrived cracked.")
    labelled = "return [...document.querySelectorAll('dialog[open] input, dialog[open] textarea')]"
    assert js(driver, labelled + ".every((field) => field.labels.length > 0)")
    shot(driver, "6-claim-form")
    dialog.find_element(By.XPATH, ".//button[text()='Send report']").click()

    # then the customer sees a confirmation and the merchant's webhook receives the claim
    eventually(lambda: "Your report was sent" in driver.page_source, "the confirmation")
    headers, body, envelope = receiver.wait_for("claims/created")
    data = envelope["event_data"]
    assert (data["reason"], data["resolution_preference"], data["description"]) == (
        "DAMAGE",
        "REORDER",
        "The mug arrived cracked.",
    )
    assert [(i["sku"], i["quantity"]) for i in data["selected_items"]] == [("MUG-1", 1)]
    signed = dict(part.split("=", 1) for part in headers["Karla-Signature"].split(","))
    assert signed["v1"] == karla_digest(hook["secret"], int(signed["t"]), body)
    # and the open claim shows on the package; DAMAGE is not offered a second time
    eventually(lambda: "being reviewed" in driver.page_source, "the claim on the page")
    shot(driver, "7-claim-filed")
    open_claim_form(driver)
    assert "DAMAGE" not in reasons_offered(driver)

    # when the merchant files PARTIAL_DAMAGE meanwhile, the form's attempt is refused in words
    driver.find_element(
        By.CSS_SELECTOR, "dialog[open] input[name=reason][value=PARTIAL_DAMAGE]"
    ).click()
    filed = server.graphql(
        "mutation($n: String!, $t: String!) { createClaim(input: {orderNumber: $n, "
        "trackingNumber: $t, reason: PARTIAL_DAMAGE}) { errors { code } } }",
        {"n": number, "t": "JJD0099887766"},
    )
    assert filed["createClaim"]["errors"] == []
    driver.find_element(By.XPATH, "//dialog[@open]//button[text()='Send report']").click()
    refusal = eventually(
        lambda: driver.find_element(By.CSS_SELECTOR, "dialog[open] .form-errors").text,
        "the refusal",
    )
    assert refusal == (
        "You have already reported this problem for this package. The shop is looking into it."
    )
    shot(driver, "8-claim-refused")
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)


def test_the_customer_changes_the_address_while_nothing_shipped(
    server: Server, receiver: Receiver, driver: Any
) -> None:
    from selenium.webdriver.common.by import By

    # given an order that has not shipped, open from its token link
    number = place_order(server, receiver)
    open_token_link(server, driver, number)
    address = eventually(lambda: driver.find_element(By.TAG_NAME, "address").text, "the address")
    assert "Lindenstrasse 12" in address

    # when the customer enters an unknown country, the refusal is in plain words
    driver.find_element(By.XPATH, "//button[text()='Change delivery address']").click()
    form = eventually(lambda: driver.find_element(By.CSS_SELECTOR, "dialog[open] form"), "form")

    def fill(name: str, value: str) -> None:
        field = form.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)

    fill("addressLine1", "Hauptstrasse 5")
    fill("zipCode", "10117")
    fill("countryCode", "XX")
    form.find_element(By.XPATH, ".//button[text()='Save address']").click()
    refusal = eventually(lambda: form.find_element(By.CSS_SELECTOR, ".form-errors").text, "error")
    assert refusal == "Please choose a valid country."

    # and with a valid one the address is saved through the API
    fill("countryCode", "DE")
    form.find_element(By.XPATH, ".//button[text()='Save address']").click()
    eventually(lambda: "Your delivery address was updated." in driver.page_source, "confirmation")
    eventually(
        lambda: "Hauptstrasse 5" in driver.find_element(By.TAG_NAME, "address").text, "new address"
    )
    shot(driver, "9-address-changed")
    stored = server.graphql(
        "query($n: String!) { order(orderNumber: $n) { address { addressLine1 zipCode } } }",
        {"n": number},
    )
    assert stored["order"]["address"] == {"addressLine1": "Hauptstrasse 5", "zipCode": "10117"}


def test_the_zip_code_lookup_shows_the_parcels_without_personal_data(
    server: Server, proxy: Proxy, receiver: Receiver, driver: Any
) -> None:
    from selenium.webdriver.common.by import By

    # given a shipped order with personal data (name, email, street, phone)
    number = place_order(server, receiver)
    attach(server, number, "JJD0011223344", carrierReference="dhl")
    append(server, "JJD0011223344", "DEPARTURE_FROM_TRANSPORT_HUB")

    # when someone opens the public link (no token) and gives a wrong zip code
    driver.get(f"{proxy.url}/track/{server.slug}/{number}")
    form = eventually(lambda: driver.find_element(By.ID, "lookup-form"), "the lookup form")
    assert form.find_element(By.NAME, "orderNumber").get_attribute("value") == number
    zip_code = form.find_element(By.NAME, "zipCode")
    zip_code.send_keys("99999")
    form.find_element(By.XPATH, ".//button[text()='Track order']").click()
    eventually(
        lambda: "couldn't find an order" in driver.find_element(By.ID, "alert").text,
        "the not-found answer",
    )

    # then with the right one the parcel shows, read-only and without personal data
    zip_code.clear()
    zip_code.send_keys("10115")
    form.find_element(By.XPATH, ".//button[text()='Track order']").click()
    shown = eventually(lambda: packages(driver), "the packages")
    assert [(p["title"], p["phase"], p["tracking"]) for p in shown] == [
        ("Package 1 of 1", "IN_TRANSIT", "JJD0011223344 (opens the carrier's site)")
    ]
    source = driver.page_source
    for personal in ("jane.doe@example.com", "Jane Doe", "Lindenstrasse", "1234567", "Berlin"):
        assert personal not in source, personal
    assert "Report a problem" not in source
    assert "Change delivery address" not in source
    shot(driver, "10-lookup-read-only")
