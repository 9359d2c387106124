"""GraphiQL in headless Chromium with no network but 127.0.0.1: the IDE loads from the app
alone (no CDN), runs a query with the shop's Basic key from the Headers tab, and streams a
subscription over graphql-transport-ws.

The browser resolves every host name except 127.0.0.1 to nothing, the page's policy allows
this origin only, and the test checks what the page actually requested (performance
entries) and that the console shows no error (a refused request or a policy violation
would be logged there).
"""

import base64
import json
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.web.browser_support import Receiver, Server, browser_missing, chromium
from tests.web.page_helpers import ARTIFACTS, WAIT, append, attach, eventually, js, place_order

pytestmark = pytest.mark.browser

# CodeMirror 5 hangs its editor object on the wrapper element.
EDITOR = "document.querySelector(arguments[0]).closest('.CodeMirror').CodeMirror"
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror-code"
HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror-code"
RESULT = ".result-window .CodeMirror-code"


@pytest.fixture(scope="module")
def ide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    missing = browser_missing()
    if missing:
        if os.environ.get("PARCELGRAPH_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(f"browser tests required but {missing}")
        pytest.skip(missing)
    tmp = tmp_path_factory.mktemp("graphiql")
    receiver = Receiver()
    server = Server(tmp, public_base_url="http://127.0.0.1:9", graphql_ide=True)
    server.start()
    driver = chromium(tmp / "profile", offline=True)
    driver.set_page_load_timeout(WAIT)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        driver.get(f"{server.url}/v1/shops/{server.slug}/graphql")
        eventually(lambda: js(driver, f"return !!{EDITOR}", RESULT), "GraphiQL to render")
        _set(driver, HEADERS_EDITOR, json.dumps({"Authorization": server.authorization}))
        yield {"server": server, "receiver": receiver, "driver": driver}
    finally:
        driver.quit()
        server.stop()
        receiver.stop()


def _set(driver: Any, editor: str, text: str) -> None:
    js(driver, f"{EDITOR}.setValue(arguments[1])", editor, text)


def _result(driver: Any) -> dict[str, Any] | None:
    text = js(driver, f"return {EDITOR}.getValue()", RESULT)
    try:
        return json.loads(text)
    except ValueError:
        return None  # empty, or still streaming in


def _run(driver: Any, query: str) -> None:
    from selenium.webdriver.common.by import By

    _set(driver, QUERY_EDITOR, query)
    # GraphiQL parses the edited document a moment later and picks HTTP or the WebSocket
    # from that parse: wait for it, as a person typing would never notice.
    eventually(
        lambda: (
            js(driver, f"return {EDITOR}.documentAST?.loc?.source?.body", QUERY_EDITOR) == query
        ),
        "GraphiQL to parse the document",
    )
    driver.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()


def test_a_query_runs_with_the_basic_key_from_the_headers_tab(ide: dict[str, Any]) -> None:
    driver, server = ide["driver"], ide["server"]

    _run(driver, "{ shop { slug name } viewer { role } }")

    result = eventually(lambda: (r := _result(driver)) and "data" in r and r, "the result")
    assert result["data"] == {"shop": {"slug": "acme", "name": "Acme Outdoor"},
                              "viewer": {"role": "ADMIN"}}  # fmt: skip
    username = base64.b64decode(server.authorization.split()[1]).decode().split(":")[0]
    assert username == "acme-admin"


def test_a_subscription_streams_new_events_over_the_socket(ide: dict[str, Any]) -> None:
    driver, server, receiver = ide["driver"], ide["server"], ide["receiver"]
    number = place_order(server, receiver)
    attach(server, number, "JJD0055667788", carrierReference="dhl")
    subscription = (
        f'subscription {{ orderEvents(orderNumber: "{number}", after: 0) {{ eventName ref }} }}'
    )

    _run(driver, subscription)
    eventually(lambda: (r := _result(driver)) and r.get("data"), "the replayed history")
    append(server, "JJD0055667788", "DEPARTURE_FROM_TRANSPORT_HUB")

    live = {
        "eventName": "DEPARTURE_FROM_TRANSPORT_HUB",
        "ref": "shipments/in_transit/DEPARTURE_FROM_TRANSPORT_HUB",
    }
    result = eventually(lambda: _result(driver) == {"data": {"orderEvents": live}}, "the event")
    assert result is True
    driver.save_screenshot(str(ARTIFACTS / "graphiql-subscription.png"))


def test_nothing_was_requested_from_another_host_and_nothing_was_refused(
    ide: dict[str, Any],
) -> None:
    driver, server = ide["driver"], ide["server"]

    requested = js(driver, "return performance.getEntriesByType('resource').map(e => e.name)")
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    page = httpx.get(
        f"{server.url}/v1/shops/{server.slug}/graphql", headers={"Accept": "text/html"}
    )

    assert requested and all(url.startswith(f"{server.url}/") for url in requested), requested
    assert {url.rsplit("/", 1)[1] for url in requested} >= {
        "graphiql.min.js", "graphiql.min.css", "react.production.min.js",
        "react-dom.production.min.js", "ide.js",
    }  # fmt: skip
    assert errors == []
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'; script-src 'self'; style-src 'self';" in policy
