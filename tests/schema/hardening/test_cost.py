"""Query cost: a table of documents on a small fixed schema, costed exactly.

The cost model reads the schema generically (connections are fields with `first`/`last`),
so a schema of its own keeps these figures independent of the API's growth.
"""

from typing import Annotated

import pytest
import strawberry
from graphql import parse

from parcelgraph.schema.hardening.actual_cost import actual_cost
from parcelgraph.schema.hardening.cost import CostModel, fragments_of, requested_cost
from parcelgraph.schema.hardening.limits import operations_of


@strawberry.type
class PageInfo:
    has_next: bool


@strawberry.type
class Item:
    name: str
    tags: list[str]

    @strawberry.field
    def child(self) -> "Item | None":
        return Item(name=f"{self.name}.child", tags=[])

    @strawberry.field
    def items(self, first: int | None = None, last: int | None = None) -> "ItemConnection":
        return connection(first or last or 0, self.name)


@strawberry.type
class Other:
    name: str


@strawberry.type
class ItemEdge:
    cursor: str
    node: Item


@strawberry.type
class ItemConnection:
    edges: list[ItemEdge]
    page_info: PageInfo
    total: int


def connection(count: int, prefix: str) -> ItemConnection:
    edges = [ItemEdge(cursor=str(i), node=Item(name=f"{prefix}{i}", tags=[])) for i in range(count)]
    return ItemConnection(edges=edges, page_info=PageInfo(has_next=False), total=count)


Thing = Annotated[Item | Other, strawberry.union("Thing")]


@strawberry.type
class Query:
    item: Item = strawberry.field(default_factory=lambda: Item(name="i", tags=["a"]))
    search: list[Item] = strawberry.field(
        default_factory=lambda: [Item(name="a", tags=[]), Item(name="b", tags=[])]
    )
    thing: Thing = strawberry.field(default_factory=lambda: Item(name="t", tags=[]))

    @strawberry.field(metadata={"cost": 5})
    def expensive(self) -> Item:
        return Item(name="e", tags=[])

    @strawberry.field
    def items(self, first: int | None = None, last: int | None = None) -> ItemConnection:
        return connection(min(first or last or 3, 3), "r")  # never more than 3 exist


SCHEMA = strawberry.Schema(Query, types=[Other])
MODEL = CostModel(max_page_size=100)
EDGES = "edges { node { name } }"


def cost(query: str, variables: dict | None = None) -> int:
    document = parse(query)
    operation = operations_of(document)[0]
    return requested_cost(SCHEMA._schema, operation, fragments_of(document), MODEL, variables)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ __typename }", 0),
        ("{ item { name tags } }", 1),
        ("{ item { name child { name child { name } } } }", 3),
        ("{ search { name child { name } } }", 2),  # a plain list counts like one object
        ("{ expensive { name } }", 5),  # metadata={'cost': 5}
        ("{ items(first: 10) { " + EDGES + " } }", 21),  # 1 + 10 x (edge 1 + node 1)
        ("{ items(first: 10) { " + EDGES + " pageInfo { hasNext } total } }", 22),
        ("{ items(last: 7) { " + EDGES + " } }", 15),
        ("{ items { " + EDGES + " } }", 201),  # no first/last: the max page size
        ("{ items(first: 5000) { " + EDGES + " } }", 201),  # clamped to the max page size
        ("{ items(first: -3) { " + EDGES + " } }", 1),
        ("{ items(first: 0) { " + EDGES + " } }", 1),
        (  # nested multipliers compound: 1 + 10 x (1 + 1 + (1 + 5 x 2))
            "{ items(first: 10) { edges { node { items(first: 5) { " + EDGES + " } } } } }",
            131,
        ),
        ("{ ...F } fragment F on Query { item { name } }", 1),
        ("{ ...F ...F } fragment F on Query { item { name } }", 2),  # counted where spread
        (
            "{ items(first: 4) { edges { ...E } } } "
            "fragment E on ItemEdge { node { child { name } } }",
            1 + 4 * 3,
        ),
        ("{ thing { ... on Item { child { name } } ... on Other { name } } }", 2),
        ("{ thing { ...on Item { items(first: 2) { " + EDGES + " } } } }", 1 + 1 + 2 * 2),
        ("{ __schema { types { name fields { name } } } }", 0),  # introspection is free
        ("{ a: item { name } b: item { name } }", 2),
    ],
)
def test_requested_cost(query: str, expected: int) -> None:
    assert cost(query, {}) == expected


VARIABLE_QUERY = "query($n: Int) { items(first: $n) { " + EDGES + " } }"


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (None, 1),  # validation: unknown, counted 0 (a lower bound, refused only if certain)
        ({"n": 3}, 7),
        ({"n": 250}, 201),
        ({}, 201),  # omitted: the max page size, as the connection then returns up to 100
        ({"n": None}, 201),
    ],
)
def test_variables(variables: dict | None, expected: int) -> None:
    assert cost(VARIABLE_QUERY, variables) == expected


def test_a_fragment_bomb_is_costed_without_blowing_up() -> None:
    # F0 spreads F1 twice, F1 spreads F2 twice, ... 2**40 expansions if walked naively.
    depth = 40
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(depth)
    )
    query = "{ ...F0 } " + fragments + f" fragment F{depth} on Query {{ item {{ name }} }}"

    assert cost(query, {}) == 2**depth


async def test_actual_cost_counts_what_the_result_holds() -> None:
    query = (
        "{ item { name } items(first: 10) { edges { node { name child { name } } } "
        "pageInfo { hasNext } } }"
    )
    result = await SCHEMA.execute(query, root_value=Query())
    document = parse(query)

    actual = actual_cost(
        SCHEMA._schema, operations_of(document)[0], fragments_of(document), result.data
    )

    # item 1 + connection 1 + 3 returned edges x (edge 1 + node 1 + child 1) + pageInfo 1
    assert (cost(query, {}), actual) == (1 + 1 + 10 * 3 + 1, 1 + 1 + 3 * 3 + 1)
