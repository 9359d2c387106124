"""Tenant isolation: nothing of shop `beta` ever reaches a caller of shop `alpha`.

Both shops hold orders with the same numbers, shipments with the same tracking numbers,
events, claims, tokens and webhooks. Root fields, their ID arguments and the mutations are
discovered from the introspected schema, so fields added later are covered automatically:

- every root query is sent by alpha's admin key, alpha's order token and anonymously, with
  every ID argument set to each of beta's ids (global and raw), and string arguments set to
  beta's order and tracking numbers; no response may contain a beta id or a beta marker;
- every mutation whose arguments can be filled generically is sent by alpha's admin key with
  beta's ids; afterwards beta's data must be exactly as before;
- beta's key on alpha's URL is refused.
"""

import json
import re
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_leaf_type,
)

from parcelgraph.domain.enums import Role
from parcelgraph.schema.root import schema as default_schema
from tests.factories import Item
from tests.support import Caller

MARKER = "betasecret"  # in beta's emails, names and skus; never in alpha's data
SHARED_NUMBERS = ("1001", "1002")
DEPTH = 3  # snapshots of beta
ATTACK_DEPTH = 2  # what alpha's callers select: the object and one level around it


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # The suite sends wide documents on purpose; the limits have their own tests.
    return {
        "max_query_cost": 10_000_000,
        "max_query_depth": 50,
        "max_tokens": 1_000_000,
        "max_aliases": 1000,
        "rate_limit_capacity": 10_000_000,
    }


async def populate(factory: Any, slug: str, marker: str) -> None:
    shop = await factory.shop(slug)
    for number in (*SHARED_NUMBERS, f"{slug}-only"):
        order = await factory.order(
            shop,
            number,
            email=f"{marker}{number}@example.test",
            order_name=f"{marker}-{number}",
            external_id=f"{marker}-ext-{number}",
            products=[Item(f"{marker}-SKU", f"{marker} mug", 2)],
        )
        parcel = await factory.shipment(
            order, tracking_number=f"00340434{number[-1]}", carrier="dhl"
        )
        await factory.events(parcel, "DEPARTURE_FROM_TRANSPORT_HUB")
        await factory.claim(parcel)
        await factory.token(order)


def required(argument: Any) -> bool:
    """Non-null without a default: the caller must pass it."""
    return isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined


def selection(kind: Any, depth: int) -> str:
    """Every field reachable within `depth` object levels (connections: first 3)."""
    kind = get_named_type(kind)
    if isinstance(kind, (GraphQLInterfaceType, GraphQLUnionType)):
        if depth <= 0:
            return "{ __typename }"
        schema_types = SCHEMA.get_possible_types(kind)  # type: ignore[arg-type]
        parts = [f"... on {t.name} {selection(t, depth - 1)}" for t in schema_types]
        return "{ __typename " + " ".join(parts) + " }"
    assert isinstance(kind, GraphQLObjectType)
    parts = ["__typename"]
    for name, field in kind.fields.items():
        if any(required(a) for a in field.args.values()):
            continue
        arguments = "(first: 3)" if "first" in field.args else ""
        if is_leaf_type(get_named_type(field.type)):
            parts.append(name)
        elif depth > 0:
            parts.append(f"{name}{arguments} {selection(field.type, depth - 1)}")
    return "{ " + " ".join(parts) + " }"


def literal(value: str) -> str:
    return json.dumps(value)


def argument_sets(field: GraphQLField, ids: list[str], strings: list[str]) -> list[str]:
    """Argument lists aimed at beta: each ID argument with each beta id, strings likewise."""
    fillable: dict[str, list[str]] = {}
    for name, argument in field.args.items():
        kind = argument.type.of_type if isinstance(argument.type, GraphQLNonNull) else argument.type
        named = get_named_type(kind)
        if named.name == "ID" and isinstance(kind, GraphQLList):
            fillable[name] = ["[" + ", ".join(literal(i) for i in ids[:50]) + "]"]
        elif named.name == "ID":
            fillable[name] = [literal(i) for i in ids]
        elif named.name == "String" and not isinstance(kind, GraphQLList):
            if name in ("after", "before"):
                continue
            fillable[name] = [literal(s) for s in strings]
        elif required(argument):
            return []  # a required argument we cannot aim: skipped (listed in the summary)
    if not fillable:
        return [""]
    needed = {n for n, a in field.args.items() if required(a)}
    sets = []
    for name, values in fillable.items():
        others = {
            other: fillable[other][0] for other in needed if other != name and other in fillable
        }
        for value in values:
            pairs = {**others, name: value}
            sets.append("(" + ", ".join(f"{k}: {v}" for k, v in pairs.items()) + ")")
    return sets


def harvest_ids(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and isinstance(item, str):
                found.add(item)
            harvest_ids(item, found)
    elif isinstance(value, list):
        for item in value:
            harvest_ids(item, found)


SCHEMA: GraphQLSchema


async def snapshot(caller: Caller) -> dict[str, Any]:
    """Everything a shop's admin sees through root fields without required arguments."""
    out = {}
    for name, field in SCHEMA.query_type.fields.items():  # type: ignore[union-attr]
        if any(required(a) for a in field.args.values()):
            continue
        arguments = "(first: 50)" if "first" in field.args else ""
        leaf = is_leaf_type(get_named_type(field.type))
        tail = "" if leaf else " " + selection(field.type, DEPTH)
        body = await caller.execute("{ " + name + arguments + tail + " }")
        if "errors" not in body:  # lookups such as order() need an argument: not listings
            out[name] = body["data"]
    return out


def raw_uuids(global_ids: set[str]) -> set[str]:
    import base64

    raws = set()
    for value in global_ids:
        try:
            decoded = base64.b64decode(value + "=" * (-len(value) % 4)).decode()
        except Exception:
            continue
        raws.update(
            re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", decoded)
        )
    return raws


def mutation_arguments(field: GraphQLField, target: str) -> str | None:
    """Arguments for a mutation aimed at one beta id, or None when not generically fillable."""
    parts = []
    for name, argument in field.args.items():
        if not required(argument):
            continue
        value = input_value(argument.type.of_type, name, target)
        if value is None:
            return None
        parts.append(f"{name}: {value}")
    return "(" + ", ".join(parts) + ")" if parts else None


def input_value(kind: Any, name: str, target: str) -> str | None:
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        inner = input_value(kind.of_type, name, target)
        return None if inner is None else f"[{inner}]"
    if isinstance(kind, GraphQLInputObjectType):
        fields = []
        for field_name, field in kind.fields.items():
            if not required(field):
                continue
            value = input_value(field.type, field_name, target)
            if value is None:
                return None
            fields.append(f"{field_name}: {value}")
        return "{" + ", ".join(fields) + "}"
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if kind.name in ("ID",) or name.lower().endswith("id"):
        return literal(target)
    if kind.name == "String":
        return literal(target if "number" in name.lower() else "isolation")
    if kind.name in ("Int", "Float"):
        return "1"
    if kind.name == "Boolean":
        return "false"
    return None


def without_messages(value: Any) -> Any:
    """The body without error messages, which may echo the caller's own input back."""
    if isinstance(value, dict):
        return {k: without_messages(v) for k, v in value.items() if k != "message"}
    if isinstance(value, list):
        return [without_messages(v) for v in value]
    return value


def assert_nothing_of_beta(body: Any, beta_ids: set[str], context: str) -> None:
    text = json.dumps(body)
    assert MARKER not in text, (context, text[:2000])
    data = json.dumps(without_messages(body))
    leaked = {i for i in beta_ids if i in data}
    assert not leaked, (context, leaked, text[:2000])


def one_per_type(global_ids: set[str]) -> list[str]:
    """One beta id of each type (Order, Shipment, Event, Claim, Webhook...), plus its raw
    UUID: every kind of id is aimed at every field without trying them all."""
    import base64

    chosen: dict[str, str] = {}
    for value in sorted(global_ids):
        try:
            kind = base64.b64decode(value + "=" * (-len(value) % 4)).decode().split(":")[0]
        except Exception:
            kind = value
        chosen.setdefault(kind, value)
    picked = sorted(chosen.values())
    return picked + sorted(raw_uuids(set(picked)))


async def test_nothing_of_another_shop_ever_appears(make_shop, factory) -> None:  # type: ignore[no-untyped-def]
    global SCHEMA
    alpha = await make_shop("alpha", role=Role.ADMIN)
    beta = await make_shop("beta", role=Role.ADMIN)
    await populate(factory, "alpha", "alphadata")
    await populate(factory, "beta", MARKER)
    for caller, slug in ((alpha, "alpha"), (beta, "beta")):
        created = await caller.data(
            'mutation { createWebhook(input: {url: "https://example.com/' + slug + '"}) '
            "{ webhook { id } errors { code } } }"
        )
        assert created["createWebhook"]["errors"] == []
    introspected = build_client_schema(await alpha.data(get_introspection_query()))
    # The server's own GraphQLSchema is what introspection describes, with enum defaults
    # intact (build_client_schema drops them, which would make `sort` look required).
    SCHEMA = default_schema._schema
    assert set(introspected.query_type.fields) == set(SCHEMA.query_type.fields)  # type: ignore[union-attr]

    before = await snapshot(beta)
    beta_ids: set[str] = set()
    harvest_ids(before, beta_ids)
    beta_ids -= {"1", ""}
    aim_ids = one_per_type(beta_ids)
    strings = [*SHARED_NUMBERS, "beta-only", "003404341", f"{MARKER}-ext-1001"]
    alpha_order = await factory.order(await factory.shop("alpha"), "alpha-token-order")
    customer = alpha.as_(await factory.token(alpha_order))
    callers = {"alpha admin": alpha, "alpha customer": customer, "anonymous": alpha.as_(None)}
    assert len(beta_ids) >= 13  # 3 orders, shipments, events and claims, and a webhook

    covered, skipped = [], []
    for name, field in SCHEMA.query_type.fields.items():  # type: ignore[union-attr]
        sets = argument_sets(field, aim_ids, strings)
        if not sets:
            skipped.append(name)
            continue
        covered.append(name)
        leaf = is_leaf_type(get_named_type(field.type))
        tail = "" if leaf else " " + selection(field.type, ATTACK_DEPTH)
        for label, caller in callers.items():
            for arguments in sets:
                if "first" in field.args and "first" not in arguments:
                    arguments = arguments[:-1] + ", first: 50)" if arguments else "(first: 50)"
                body = await caller.execute("{ " + name + arguments + tail + " }")
                assert_nothing_of_beta(body, beta_ids, f"{label}: {name}{arguments}")

    mutated = []
    for name, field in SCHEMA.mutation_type.fields.items():  # type: ignore[union-attr]
        for target in aim_ids:
            arguments = mutation_arguments(field, target)
            if arguments is None:
                break
            leaf = is_leaf_type(get_named_type(field.type))
            tail = "" if leaf else " " + selection(field.type, 2)
            body = await alpha.execute("mutation { " + name + arguments + tail + " }")
            assert_nothing_of_beta(body, beta_ids, f"mutation {name}{arguments}")
        else:
            mutated.append(name)

    intruder = await alpha.as_(beta.authorization).post("{ shop { slug } }")
    assert intruder.status_code == 403
    assert await snapshot(beta) == before  # beta's data is untouched
    assert {"order", "orders", "shipment", "shipments", "node", "nodes", "webhook"} <= set(covered)
    assert {"deleteWebhook", "rotateWebhookSecret", "cancelOrder"} <= set(mutated), mutated
