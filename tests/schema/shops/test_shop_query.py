"""`shop` and `viewer`: the root fields that prove auth, context and schema end to end."""

from parcelgraph.domain.enums import Role
from tests.support import Caller

QUERY = "{ shop { slug name currency language publicBaseUrl } viewer { kind name role platform } }"


async def test_shop_and_viewer_for_each_role(make_shop) -> None:
    for role in Role:
        caller: Caller = await make_shop("acme", role=role)
        data = await caller.data(QUERY)
        assert data == {
            "shop": {
                "slug": "acme",
                "name": "acme",
                "currency": "EUR",
                "language": "en",
                "publicBaseUrl": None,
            },
            "viewer": {
                "kind": "API_KEY",
                "name": f"acme-{role.value.lower()}",
                "role": role.value,
                "platform": False,
            },
        }
