"""The error responses every REST operation declares in the OpenAPI document, and the
models of the error envelope."""

from typing import Any

from pydantic import BaseModel, Field


class ErrorItem(BaseModel):
    """One problem of a refused request (FastAPI-style validation item)."""

    loc: list[str | int] = Field(description="Where: `body`, `query` or `path`, then the path.")
    msg: str = Field(description="What is wrong, for a developer.")
    field: str | None = Field(None, description="The dotted path inside the location.")
    type: str = Field(description="Machine key of the problem, e.g. zip_code_invalid.")


class ErrorEnvelope(BaseModel):
    """The body of every 4xx/5xx answer."""

    errors: list[ErrorItem] = Field(description="Every problem found (may be empty).")
    key: str = Field(description="Stable snake_case key, e.g. order_not_found.")
    message: str = Field(description="What went wrong, for a developer.")
    type: str = Field(
        description="`invalid_request_error` for client errors, `api_error` for server errors."
    )


def _described(text: str) -> dict[str, Any]:
    return {"model": ErrorEnvelope, "description": text}


COMMON: dict[int | str, dict[str, Any]] = {
    401: _described("Missing or wrong API key (`unauthorized`)."),
    403: _described("The key belongs to another shop or its role is too small (`forbidden`)."),
    404: _described("Nothing with that id in this shop (`*_not_found`)."),
    422: _described("The request is invalid; `errors` lists every problem."),
}
WITH_CONFLICT: dict[int | str, dict[str, Any]] = {
    **COMMON,
    409: _described("Conflicts with existing data (`order_exists`, `claim_exists`, ...)."),
}
