"""The builders the schema's fields share: `runner.mutation` (a use-case function as a root
mutation field) and `convert.from_attributes` (a row as an output type)."""

import dataclasses
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry

from parcelgraph.schema.common.convert import from_attributes
from parcelgraph.schema.common.errors import UserError
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.runner import mutation


@strawberry.type(description="A test payload.")
class _Payload:
    """Only errors."""

    errors: list[UserError] = strawberry.field(description="Errors.")


def test_a_mutation_states_its_arguments_descriptions_and_permission() -> None:
    # Given a use-case function with two arguments, both described
    @mutation(Allow.admins, _Payload, done=lambda _: None, name="The name.", count="How many.")
    async def rename(context: Any, session: Any, name: str, count: int = 2) -> None:
        """Rename it,
        twice by default."""

    # Then the field reads its description from the docstring (white space folded), its
    # arguments from the parameters after context and session, and its permission
    assert rename.description == "Rename it, twice by default."
    arguments = [(a.python_name, a.description, a.default) for a in rename.arguments]
    assert arguments[0][:2] == ("name", "The name.")
    assert arguments[1] == ("count", "How many.", 2)
    assert rename.permission_classes == [Allow.admins]


def test_a_mutation_refuses_an_argument_without_a_description() -> None:
    # When a use-case function has an argument the decorator does not describe
    with pytest.raises(TypeError) as refused:

        @mutation(Allow.admins, _Payload, done=lambda _: None, name="The name.")
        async def rename(context: Any, session: Any, name: str, count: int) -> None:
            """Rename it."""

    # Then the schema is not built, and the message names the arguments to describe
    assert str(refused.value) == "rename: describe exactly its arguments ['name', 'count']"


@dataclasses.dataclass
class _View:
    id: str
    source: str
    title: str


def test_from_attributes_copies_same_named_attributes_and_takes_computed_ones() -> None:
    # Given a row with more attributes than the type has fields
    row = SimpleNamespace(id=7, source="carrier", title="Parcel", other="ignored")

    # When the type is built with `id` computed
    view = from_attributes(_View, row, id=str(row.id))

    # Then the computed value wins and every other field is the row's attribute of its name,
    # including a field called `source` (the builder's own parameters are positional-only)
    assert view == _View(id="7", source="carrier", title="Parcel")
