"""setCarrierCredentials / deleteCarrierCredentials / carrierCredentials: values go in,
only hints come out, stored encrypted; key rotation keeps them readable."""

import pytest
from sqlmodel import select

from parcelgraph.domain.enums import Role
from parcelgraph.models import CarrierCredential
from parcelgraph.resolvers.shops import carrier_credentials
from parcelgraph.tracking.adapters import AdapterSpec
from parcelgraph.tracking.carriers import SPECS
from tests.tracking.support import KEY

KNOWN = ", ".join(sorted(["acmepost", *(spec.name for spec in SPECS)]))

SET = """
mutation($input: SetCarrierCredentialsInput!) { setCarrierCredentials(input: $input) {
  credentials { adapter platformDefault hint fields updatedAt }
  errors { field code message } } }
"""
LIST = "{ carrierCredentials { adapter platformDefault hint fields } }"
DELETE = """
mutation($a: String!) { deleteCarrierCredentials(adapter: $a) { deleted errors { code } } }
"""


@pytest.fixture
def settings_overrides():
    return {"carrier_credentials_keys": [KEY]}


@pytest.fixture(autouse=True)
def an_adapter(monkeypatch):
    spec = AdapterSpec(name="acmepost", carriers=("dhl",), base_url="https://api.example",
                       required=("client_id", "client_secret"), build=lambda c: None)  # type: ignore[arg-type,return-value]  # fmt: skip
    monkeypatch.setattr("parcelgraph.tracking.service.SPECS", (*SPECS, spec))


async def test_set_returns_a_hint_and_stores_the_values_encrypted(shop, db, clock):
    payload = (await shop.data(SET, {"input": {"adapter": "acmepost", "clientId": "client-1",
                                               "clientSecret": "s3cret-abcd"}}))  # fmt: skip
    assert payload["setCarrierCredentials"] == {
        "credentials": {"adapter": "acmepost", "platformDefault": False, "hint": "…abcd",
                        "fields": ["client_id", "client_secret"],
                        "updatedAt": clock().isoformat()},
        "errors": [],
    }  # fmt: skip
    async with db.reader() as session:
        row = (await session.exec(select(CarrierCredential))).one()
    assert "s3cret" not in row.secret and "client-1" not in row.secret
    cipher = carrier_credentials.CredentialCipher([KEY])
    assert cipher.decrypt(row.secret) == {"client_id": "client-1", "client_secret": "s3cret-abcd"}
    listed = await shop.data(LIST)
    hint = {"adapter": "acmepost", "platformDefault": False, "hint": "…abcd",
            "fields": ["client_id", "client_secret"]}  # fmt: skip
    assert listed == {"carrierCredentials": [hint]}
    deleted = await shop.data(DELETE, {"a": "acmepost"})
    assert deleted == {"deleteCarrierCredentials": {"deleted": True, "errors": []}}
    assert await shop.data(LIST) == {"carrierCredentials": []}


@pytest.mark.parametrize(
    ("input", "error"),
    [
        ({"adapter": "nope", "apiKey": "k"},
         {"field": ["input", "adapter"], "code": "CARRIER_ADAPTER_UNKNOWN",
          "message": f"No carrier adapter 'nope' (known: {KNOWN})."}),
        ({"adapter": "acmepost", "clientId": "c"},
         {"field": ["input", "clientSecret"], "code": "CREDENTIALS_INCOMPLETE",
          "message": "The acmepost adapter needs clientSecret."}),
        ({"adapter": "acmepost", "clientId": "c", "clientSecret": "s", "platformDefault": True},
         {"field": ["input", "platformDefault"], "code": "PLATFORM_KEY_REQUIRED",
          "message": "Only a platform admin key sets platform defaults."}),
    ],
)  # fmt: skip
async def test_bad_input_is_refused_and_nothing_stored(shop, db, input, error):
    payload = (await shop.data(SET, {"input": input}))["setCarrierCredentials"]
    assert payload == {"credentials": None, "errors": [error]}
    async with db.reader() as session:
        assert (await session.exec(select(CarrierCredential))).all() == []


async def test_editors_may_not_touch_credentials(make_shop):
    editor = await make_shop("acme", role=Role.EDITOR)
    body = await editor.execute(LIST)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_rotation_re_encrypts_under_the_new_key_without_losing_values(shop, db, clock):
    await shop.data(SET, {"input": {"adapter": "acmepost", "clientId": "c", "clientSecret": "s"}})
    new = carrier_credentials.new_key()
    both = carrier_credentials.CredentialCipher([new, KEY])
    async with db.writer() as session:
        assert await carrier_credentials.rotate(session, cipher=both, now=clock()) == 1
        await session.commit()
    async with db.reader() as session:
        row = (await session.exec(select(CarrierCredential))).one()
    # then the old key may be dropped: the new one alone reads the values
    only_new = carrier_credentials.CredentialCipher([new])
    assert only_new.decrypt(row.secret) == {"client_id": "c", "client_secret": "s"}
