"""No secret and no personal data in log lines by default: order tokens are masked in the
access log (new links carry them in the URL fragment, which is never sent), and database
errors never carry SQL parameters (addresses, e-mails)."""

import logging

import pytest
from sqlalchemy.exc import IntegrityError

from parcelgraph.models import Shop
from tests.support import Caller


def test_tokens_in_request_urls_are_masked_in_the_access_log(
    app, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    # given the app is built (it installs the filter) and uvicorn logs a request line
    access = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        access.info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            "/track/shopa/A-1001?lang=de&token=pgt_s3cr3t-value",
            "1.1",
            200,
        )

    [record] = caplog.records
    assert record.getMessage() == (
        '127.0.0.1:5000 - "GET /track/shopa/A-1001?lang=de&token=[redacted] HTTP/1.1" 200'
    )


async def test_database_errors_carry_no_parameters(
    shop: Caller, db, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    with pytest.raises(IntegrityError) as raised:
        async with db.writer() as session:
            session.add(
                Shop(
                    slug="acme",
                    name="Ada Lovelace, 12 Secret Street",
                    currency="EUR",
                    created_at=datetime.now(UTC),
                )
            )
            await session.commit()

    assert "Secret Street" not in str(raised.value)
    assert "parameters hidden" in str(raised.value)
