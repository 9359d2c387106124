"""Who is calling a REST operation: the same HTTP Basic keys and roles as GraphQL.

`caller(role)` is a FastAPI dependency giving the operation a `Context` (shop, principal,
clock, database, broker) built exactly as the GraphQL endpoint builds it, so a REST call and
a GraphQL call with the same key see and change the same things. Refusals follow the same
rules: 401 with a Basic challenge for missing or wrong keys, 403 for a key of another shop
or a role that is too small, and neither says whether the shop exists. Order tokens are for
customers' pages; REST v1 is for integrations and answers them 401 (use a key).

`EnvelopeRoute` turns every refusal raised while serving a REST operation (auth, request
validation, a use case's `Rejected`) into the documented error envelope.
"""

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import ValidationError

from parcelgraph.auth import (
    ApiKeyPrincipal,
    AuthError,
    ShopNotFound,
    authenticate,
    parse_authorization,
)
from parcelgraph.context import Context
from parcelgraph.domain import text
from parcelgraph.domain.enums import Role
from parcelgraph.domain.errors import Rejected
from parcelgraph.ratelimit import api_key_bucket, throttled_message
from parcelgraph.resolvers.common.inputs import issues_of
from parcelgraph.rest.errors import (
    RestError,
    envelope,
    from_rejected,
    from_validation,
    item,
)

logger = logging.getLogger(__name__)
WWW_AUTHENTICATE = 'Basic realm="parcelgraph"'

Slug = Annotated[str, Path(description="The shop's slug, as in every v1 URL.", max_length=64)]


class EnvelopeRoute(APIRoute):
    """An APIRoute whose refusals come back in the documented error envelope."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            refused = await _bad_text(request)
            if refused is not None:
                return refused
            try:
                return await handler(request)
            except RestError as error:
                return error.response()
            except RequestValidationError as error:
                return from_validation(error)
            except Rejected as rejected:
                return from_rejected(rejected)
            except ValidationError as invalid:  # a use-case input validated when built
                return from_rejected(Rejected(issues_of(invalid)))
            except HTTPException:
                raise  # the framework's own answers (405, ...) stay as they are
            except Exception:
                # Unexpected: masked for the client, logged once with its trace.
                logger.exception("REST %s %s failed", request.method, request.url.path)
                return envelope(500, "internal_error", "Something went wrong on our side.")

        return route


async def _bad_text(request: Request) -> Response | None:
    """422 `invalid_characters` when a parameter or the JSON body holds a NUL character or a
    lone surrogate (refused on every face before anything runs; see `domain.text`)."""
    sources: list[tuple[str, Any]] = [
        ("path", dict(request.path_params)),
        ("query", dict(request.query_params.multi_items())),
    ]
    body = await request.body()  # cached by Starlette: the handler reads the same bytes
    if body and "json" in request.headers.get("content-type", ""):
        try:
            sources.append(("body", json.loads(body)))
        except ValueError:
            pass  # not JSON: FastAPI's own validation answers it
    for location, value in sources:
        found = text.first_problem(value, [location])
        if found is not None:
            path, reason = found
            message = text.refusal_message(path[1:], reason)
            return envelope(
                422, "invalid_characters", message, [item(path, message, "invalid_characters")]
            )
    return None


def _refused(error: AuthError) -> RestError:
    if error.status == 401:
        return RestError(401, "unauthorized", error.message, {"WWW-Authenticate": WWW_AUTHENTICATE})
    return RestError(403, "forbidden", error.message)


async def _context(request: Request, slug: str) -> Context:
    state = request.app.state
    try:
        credentials = parse_authorization(request.headers.get("authorization"))
        if credentials.kind != "basic":
            if credentials.kind == "none":
                raise AuthError(401, "Authentication required: use an API key (HTTP Basic).")
            raise AuthError(401, "REST v1 takes API keys (HTTP Basic), not order tokens.")
        shop, principal = await authenticate(state.db, slug, credentials, state.clock())
    except AuthError as error:
        raise _refused(error) from None
    except ShopNotFound:
        raise RestError(404, "shop_not_found", "No shop with this slug.") from None
    return Context.for_caller(
        state,
        shop=shop,
        principal=principal,
        services={"slug": slug, "rate_limiter": state.rate_limiter},
    )


# What a REST call spends from its key's budget, the bucket GraphQL and MCP spend from too:
# a read about what a small GraphQL read costs, a write about what a single-order mutation
# with its payload costs.
READ_COST = 2
WRITE_COST = 10


def caller(role: Role) -> Any:
    """A dependency: the request's Context, refused unless its key has at least `role` and
    its budget holds the call's cost (429 `rate_limit_exceeded` with Retry-After)."""

    async def dependency(request: Request, slug: Slug) -> Context:
        context = await _context(request, slug)
        principal = context.principal
        assert isinstance(principal, ApiKeyPrincipal)
        if not principal.role.allows(role):
            raise RestError(
                403, "forbidden", f"This needs a key with the {role.value.lower()} role or more."
            )
        await _charge(context, principal, READ_COST if request.method == "GET" else WRITE_COST)
        return context

    return Depends(dependency)


async def _charge(context: Context, principal: ApiKeyPrincipal, cost: int) -> None:
    limiter = context.services.get("rate_limiter")
    if limiter is None:
        return
    status = await limiter.take(api_key_bucket(principal.key_id), cost)
    if not status.allowed:
        retry = str(status.retry_after_seconds)
        message = throttled_message(cost, status)
        raise RestError(429, "rate_limit_exceeded", message, {"Retry-After": retry})


Viewer = Annotated[Context, caller(Role.VIEWER)]
Editor = Annotated[Context, caller(Role.EDITOR)]
Admin = Annotated[Context, caller(Role.ADMIN)]
