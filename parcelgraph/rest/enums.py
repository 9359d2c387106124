"""The v1 API's enums: the domain's own, with their values in lower case (v1's wire format),
so a value the core knows is a value REST accepts and answers, and nothing else."""

from enum import StrEnum


def lower_case(name: str, domain: type[StrEnum], doc: str, *, module: str) -> type[StrEnum]:
    """`domain`'s members as a StrEnum called `name` whose names and values are the domain
    values in lower case, described by `doc` (the OpenAPI description). `module` is where
    it is declared: OpenAPI tells apart two enums of one name by their modules."""
    members = [(m.value.lower(), m.value.lower()) for m in domain]
    wire = StrEnum(name, members, module=module)  # type: ignore[misc]
    wire.__doc__ = doc
    return wire
