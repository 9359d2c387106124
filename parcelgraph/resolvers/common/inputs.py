"""The use cases' input models: pydantic, validated once, with one mapping to coded issues.

Every face builds the same models: REST takes them as request bodies, MCP as tool input
schemas, GraphQL converts its inputs into them. Field names are snake_case; the aliases are
the API's camelCase names, so an error's `loc` already reads as the path a client sent.

Building a model with keyword arguments (or `model_validate`) validates it at once. A face
that wants the use case to report every problem together, including those only the
database can see, builds it with `unchecked(data)` instead; the use case then asks
`problems(model)`, which validates such a model exactly once (a model that was validated
when it was built has none left).
"""

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Self, get_args

from pydantic import BaseModel, ConfigDict, PrivateAttr, TypeAdapter, ValidationError
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails

from parcelgraph.domain.errors import Issue

Path = tuple[str | int, ...]

# pydantic's own error types, as the API's machine codes (custom rules raise our codes).
_CODES = {
    "missing": "REQUIRED",
    "string_too_long": "VALUE_TOO_LONG",
    "too_long": "VALUE_OUT_OF_RANGE",
    "too_short": "VALUE_OUT_OF_RANGE",
    "greater_than": "VALUE_OUT_OF_RANGE",
    "greater_than_equal": "VALUE_OUT_OF_RANGE",
    "less_than": "VALUE_OUT_OF_RANGE",
    "less_than_equal": "VALUE_OUT_OF_RANGE",
    "finite_number": "VALUE_OUT_OF_RANGE",
    "decimal_max_places": "VALUE_OUT_OF_RANGE",
    "decimal_max_digits": "VALUE_OUT_OF_RANGE",
    "decimal_whole_digits": "VALUE_OUT_OF_RANGE",
    "country_alpha2": "COUNTRY_CODE_INVALID",
    "ISO4217": "CURRENCY_INVALID",
}


# The words clients have always read for money outside its bounds.
_MONEY_MESSAGES = {
    "greater_than_equal": "The amount must not be negative.",
    "less_than_equal": "The amount must be at most {le}.",
    "finite_number": "The amount must be a finite number.",
    "decimal_max_places": "The amount has more than {decimal_places} decimal places.",
}


class Input(BaseModel):
    """Base of every use-case input: camelCase aliases, snake_case names, no stray fields."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, extra="forbid"
    )
    _unchecked: bool = PrivateAttr(default=False)

    @classmethod
    def unchecked(cls, data: Mapping[str, Any]) -> Self:
        """The model built from plain data (snake_case keys) without validating it yet."""
        values: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            if name in data:
                values[name] = _build(info.annotation, data[name])
        model = cls.model_construct(_fields_set=set(values), **values)
        model._unchecked = True
        return model


def _model_of(annotation: Any) -> type[Input] | None:
    if isinstance(annotation, type) and issubclass(annotation, Input):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _build(annotation: Any, value: Any) -> Any:
    model = _model_of(annotation)
    if model is None or value is None:
        return value
    if isinstance(value, list):
        return [_one(model, item) for item in value]
    return _one(model, value)


def _one(model: type[Input], value: Any) -> Any:
    return model.unchecked(value) if isinstance(value, Mapping) else value


def _message(error: ErrorDetails) -> str:
    ctx = error.get("ctx") or {}
    if error["type"] == "string_too_long":
        got = len(error["input"]) if isinstance(error["input"], str) else "more"
        return f"At most {ctx['max_length']} characters (got {got})."
    if error["type"] == "missing":
        return "A value is required."
    if error["type"] == "too_long":  # a list over its Field(max_length)
        return f"At most {ctx['max_length']} entries."
    if error["type"] in _MONEY_MESSAGES:
        return _MONEY_MESSAGES[error["type"]].format(**ctx)
    return error["msg"].removeprefix("Value error, ")


def _path(loc: tuple[str | int, ...], *, unknown_key: bool) -> Path:
    # A model built by name reports snake_case locs; clients know the camelCase names. An
    # unknown key is no field of ours: its path ends in the key as the client sent it.
    last = len(loc) - 1
    return tuple(
        part if isinstance(part, int) or (unknown_key and i == last) else to_camel(part)
        for i, part in enumerate(loc)
    )


def issues_of(error: ValidationError, prefix: Path = ()) -> list[Issue]:
    """pydantic's errors as the API's issues: `loc` is the camelCase path, `type` the code."""
    issues = []
    for detail in error.errors(include_url=False):
        kind = detail["type"]
        code = kind if kind.isupper() else _CODES.get(kind, "INVALID_INPUT")
        path = _path(detail["loc"], unknown_key=kind == "extra_forbidden")
        issues.append(Issue(code=code, message=_message(detail), field=(*prefix, *path)))
    return issues


def in_field_order(model: type[Input], issues: list[Issue]) -> list[Issue]:
    """`issues` ordered as the model declares its fields, problems of the whole input first.

    pydantic reports in that order already; a use case that adds checks of its own (those
    that need the clock or the settings) slots them in where their field is. Stable: the
    problems of one field keep their order.
    """
    rank = {to_camel(name): index for index, name in enumerate(model.model_fields)}
    return sorted(
        issues, key=lambda issue: rank.get(str(issue.field[0]), -1) if issue.field else -1
    )


def problems(model: Input, prefix: Path = ()) -> list[Issue]:
    """What is wrong with a model built by `unchecked` ([] for one validated when built).

    A model that passes takes on the validated values in place (aware UTC datetimes,
    upper-case codes), so the use case goes on with exactly what a validated build gives.
    """
    if not model._unchecked:
        return []
    try:
        valid = type(model).model_validate(_plain(model))
    except ValidationError as error:
        return issues_of(error, prefix)
    model.__dict__.update(valid.__dict__)
    model._unchecked = False
    return []


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return {name: _plain(getattr(value, name)) for name in value.model_fields_set}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@lru_cache(maxsize=64)
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def check(kind: Any, value: Any, path: Path) -> list[Issue]:
    """What is wrong with one value given on its own, checked as the field type `kind`
    (the same rule and code it has inside a model); None is accepted as absent."""
    if value is None:
        return []
    try:
        _adapter(kind).validate_python(value)
    except ValidationError as error:
        return issues_of(error, path)
    return []
