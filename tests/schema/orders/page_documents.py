"""Documents of the orders page for the compiled-path comparison: generated and fixed.

The generator is combinatorial and seeded (the same documents on every run): it draws
subsets of the connection's parts (edges with cursor and/or node, pageInfo, totalCount),
of the node's scalars, of shipments with their events and products, aliases, and one of
the argument shapes below (page sizes, cursors both ways, sorts, filters, refused values).
"""

import random

from tests.schema.orders.test_compiled_reads import EVENT_SCALARS, ORDER_SCALARS, SHIPMENT_SCALARS

CONTENT_SCALARS = "sku title quantity"
PAGE_INFO = "hasNextPage hasPreviousPage startCursor endCursor"

# Argument shapes: the text inside `orders(...)` and the variables it declares. `$after`
# and `$before` are given real cursors of the default sort (and a bogus one).
ARGUMENTS = [
    ("", ""),
    ("first: 2", ""),
    ("first: 0", ""),
    ("first: 100", ""),
    ("last: 2", ""),
    ("first: $first", "$first: Int"),
    ("first: $first", "$first: Int!"),
    ("first: 2, after: $after", "$after: String"),
    ("first: 3, after: $after", "$after: String!"),
    ("last: 2, before: $before", "$before: String"),
    ("after: $after, before: $before", "$after: String, $before: String"),
    ("sort: PLACED_AT_ASC, first: 4", ""),
    ("sort: UPDATED_AT_DESC", ""),
    ("sort: $sort, first: 3", "$sort: OrderSort!"),
    ("sort: PLACED_AT_ASC, after: $after", "$after: String"),  # a cursor of another sort
    ("filter: {states: [FULFILLED]}", ""),
    ("filter: {shipmentPhases: [DELIVERED, IN_DELIVERY]}", ""),
    ('filter: {search: "2003"}', ""),
    ('filter: {email: " ADA@example.com "}', ""),
    ("filter: $filter, first: 5", "$filter: OrderFilter"),
    ('filter: {placedFrom: "2026-01-01T00:00:00+00:00"}', ""),
    ("first: 101", ""),
    ("first: -1", ""),
    ("first: 2, last: 2", ""),
    ("after: $after", "$after: String"),  # with the bogus cursor in `BOGUS_VARIABLES`
]


def _pick(rng: random.Random, names: str, at_least: int = 1) -> list[str]:
    words = names.split()
    chosen = rng.sample(words, rng.randint(at_least, min(len(words), 6)))
    return [
        f"{rng.choice('abc')}{i}: {w}" if rng.random() < 0.15 else w for i, w in enumerate(chosen)
    ]


def _node(rng: random.Random) -> str:
    parts = _pick(rng, ORDER_SCALARS, at_least=0)
    if rng.random() < 0.7:
        shipment = _pick(rng, SHIPMENT_SCALARS, at_least=0)
        if rng.random() < 0.6:
            shipment.append("events { " + " ".join(_pick(rng, EVENT_SCALARS)) + " }")
        if rng.random() < 0.6:
            shipment.append("products { " + " ".join(_pick(rng, CONTENT_SCALARS)) + " }")
        if not shipment:
            shipment = ["trackingNumber"]
        rng.shuffle(shipment)
        parts.append(
            ("s: " if rng.random() < 0.2 else "") + "shipments { " + " ".join(shipment) + " }"
        )
    if not parts:
        parts = ["orderNumber"]
    rng.shuffle(parts)
    return " ".join(parts)


def _connection(rng: random.Random) -> str:
    parts = []
    if rng.random() < 0.85:
        edge = []
        if rng.random() < 0.6:
            edge.append("cursor")
        if not edge or rng.random() < 0.85:
            edge.append("node { " + _node(rng) + " }")
        rng.shuffle(edge)
        parts.append(("e: " if rng.random() < 0.2 else "") + "edges { " + " ".join(edge) + " }")
    if rng.random() < 0.5:
        parts.append("pageInfo { " + " ".join(_pick(rng, PAGE_INFO)) + " }")
    if not parts or rng.random() < 0.3:
        parts.append("totalCount")
    rng.shuffle(parts)
    return " ".join(parts)


def generated(count: int, seed: int = 16) -> list[str]:
    """`count` documents; every argument shape appears at least once."""
    rng = random.Random(seed)
    documents = []
    for index in range(count):
        arguments, declared = ARGUMENTS[index % len(ARGUMENTS)]
        head = f"query ({declared})" if declared else "query"
        call = f"orders({arguments})" if arguments else "orders"
        alias = "page: " if rng.random() < 0.15 else ""
        documents.append(f"{head} {{ {alias}{call} {{ {_connection(rng)} }} }}")
    return documents


# Compiled shapes the generator may miss: a count whose cursor must still be checked, a
# page read backwards with only cursors, the node without shipments under an alias.
FIXED = [
    "query ($after: String) { orders(first: 2, after: $after) { totalCount } }",
    "query ($before: String) { orders(last: 2, before: $before) { edges { cursor } } }",
    "query { p: orders(sort: UPDATED_AT_ASC) { e: edges { n: node { id } c: cursor } } }",
]

# Shapes the compiled path must leave to normal execution, with the answers it gives.
REFUSED = [
    "query { orders(first: 2) { edges { node { ...on Order { orderNumber } } } } }",
    "query { orders(first: 2) { __typename edges { cursor } } }",
    "query { orders(first: 2) { edges { node { orderNumber address { city } } } } }",
    "query { orders(first: 2) { edges { cursor cursor } } }",
    "query { orders(first: 2) @include(if: true) { totalCount } }",
    "query { orders(first: 2) { edges { node { orderNumber } } } shop { slug } }",
    "query { orders(first: 2) { edges { node { events { totalCount } } } } }",
]
