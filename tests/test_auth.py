"""The auth matrix over HTTP: who gets in, who gets 401, who gets 403 — and nothing that
reveals whether a shop exists."""

import pytest

from parcelgraph.domain.enums import Role
from parcelgraph.resolvers import shops
from tests.support import Caller, basic

QUERY = "{ viewer { name role platform } }"
CHALLENGE = 'Basic realm="parcelgraph"'


async def _platform_caller(db, clock, http, slug: str) -> Caller:  # type: ignore[no-untyped-def]
    async with db.writer() as session:
        issued = await shops.create_api_key(
            session, shop_slug="*", role=Role.VIEWER, name="platform", now=clock()
        )
        await session.commit()
    return Caller(http, slug, basic("platform", issued.secret))


async def test_each_role_is_reported_for_its_key(make_shop) -> None:
    for role in Role:
        caller = await make_shop("acme", role=role)
        data = await caller.data(QUERY)
        assert data == {
            "viewer": {"name": f"acme-{role.value.lower()}", "role": role.value, "platform": False}
        }


async def test_no_credentials_is_401_with_a_basic_challenge(shop: Caller) -> None:
    response = await shop.as_(None).post(QUERY)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == CHALLENGE
    assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert response.json()["data"] is None


@pytest.mark.parametrize(
    "header",
    [
        "Basic",
        "Basic not-base64!!",
        "Basic " + "YWJj",  # "abc": no colon
        "Digest abc",
        "Bearer",
    ],
)
async def test_malformed_authorization_is_401(shop: Caller, header: str) -> None:
    response = await shop.as_(header).post(QUERY)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == CHALLENGE
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_wrong_secret_and_wrong_username_are_401(shop: Caller) -> None:
    wrong_secret = await shop.as_(basic("acme-admin", "pgk_wrong")).post(QUERY)
    assert wrong_secret.status_code == 401
    name, _, secret = _decode(shop.authorization)
    wrong_name = await shop.as_(basic("someone-else", secret)).post(QUERY)
    assert wrong_name.status_code == 401
    assert name == "acme-admin"


async def test_revoked_key_is_401(shop: Caller, db, clock) -> None:  # type: ignore[no-untyped-def]
    assert (await shop.post(QUERY)).status_code == 200
    async with db.reader() as session:
        keys = await shops.list_api_keys(session, shop_slug="acme")
    async with db.writer() as session:
        await shops.revoke_api_key(session, key_id=keys[0].id, now=clock())
        await session.commit()
    response = await shop.post(QUERY)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_key_of_another_shop_is_403(make_shop) -> None:
    acme = await make_shop("acme")
    await make_shop("globex")
    response = await Caller(acme.http, "globex", acme.authorization).post(QUERY)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


async def test_unknown_shop_answers_like_an_existing_one(make_shop) -> None:
    acme = await make_shop("acme")
    await make_shop("globex")
    # A valid key on a shop that does not exist: the same 403 as on another real shop.
    missing = await Caller(acme.http, "no-such-shop", acme.authorization).post(QUERY)
    other = await Caller(acme.http, "globex", acme.authorization).post(QUERY)
    assert (missing.status_code, missing.json()) == (other.status_code, other.json())
    # A wrong key: the same 401 whether or not the shop exists.
    bad = basic("x", "pgk_nope")
    missing_bad = await Caller(acme.http, "no-such-shop", bad).post(QUERY)
    existing_bad = await Caller(acme.http, "acme", bad).post(QUERY)
    assert (missing_bad.status_code, missing_bad.json()) == (
        existing_bad.status_code,
        existing_bad.json(),
    )
    assert missing_bad.status_code == 401
    # No credentials: 401 either way.
    assert (await Caller(acme.http, "no-such-shop").post(QUERY)).status_code == 401


async def test_platform_key_reaches_every_shop(make_shop, db, clock, http) -> None:  # type: ignore[no-untyped-def]
    await make_shop("acme")
    await make_shop("globex")
    for slug in ("acme", "globex"):
        platform = await _platform_caller(db, clock, http, slug)
        data = await platform.data("{ shop { slug } viewer { name role platform } }")
        assert data == {
            "shop": {"slug": slug},
            "viewer": {"name": "platform", "role": "VIEWER", "platform": True},
        }


async def test_platform_key_on_a_missing_shop_is_404(make_shop, db, clock, http) -> None:  # type: ignore[no-untyped-def]
    await make_shop("acme")
    platform = await _platform_caller(db, clock, http, "no-such-shop")
    response = await platform.post(QUERY)
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"] == {"code": "NOT_FOUND"}


def _decode(header: str | None) -> tuple[str, str, str]:
    import base64

    assert header is not None
    name, _, secret = base64.b64decode(header.split()[1]).decode().partition(":")
    return name, ":", secret


async def test_an_anonymous_refusal_does_not_change_what_others_are_told(shop: Caller) -> None:
    # Permission objects live as long as the process; a refusal must not leave state on them.
    assert (await shop.as_(None).post(QUERY)).status_code == 401
    response = await shop.post(QUERY)
    assert response.status_code == 200
    assert "errors" not in response.json()
    again = await shop.as_(None).post(QUERY)
    assert again.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
