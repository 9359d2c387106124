"""GraphQL over HTTP, conformant and never a 500: media types, status codes, JSON errors.

- Accept negotiation: `application/graphql-response+json` when the client prefers it (the
  GraphQL-over-HTTP spec's media type), else `application/json` as before.
- With `application/graphql-response+json`, a request error (the document did not parse or
  validate, a limit refused it, variables did not coerce: nothing executed) has no `data`
  entry and status 400. With `application/json` it stays 200, as that spec asks.
- Transport errors are GraphQL-shaped JSON with a code, not strawberry's plain text:
  bad JSON or a body that is not an object (400 INVALID_JSON / BAD_REQUEST), an unsupported
  Content-Type (415 UNSUPPORTED_MEDIA_TYPE), no query (400 MISSING_QUERY), a mutation over
  GET (405 METHOD_NOT_ALLOWED, `Allow: POST`), a body above the limit (413 BODY_TOO_LARGE,
  checked by `BodySizeLimit` before anything reads it).
- THROTTLED responses carry 429 and Retry-After (set by the hardening extension).
"""

import json
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.fastapi import GraphQLRouter
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from parcelgraph.context import Context

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


def _accepted(header: str) -> dict[str, float]:
    """Media ranges of an Accept header with their q values."""
    ranges: dict[str, float] = {}
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges[media.lower()] = max(quality, ranges.get(media.lower(), 0.0))
    return ranges


def negotiate(accept: str | None) -> str:
    """The response media type for an Accept header."""
    if not accept:
        return JSON
    ranges = _accepted(accept)
    wildcard = max(ranges.get("*/*", 0.0), ranges.get("application/*", 0.0))
    graphql = ranges.get(GRAPHQL_RESPONSE_JSON, 0.0)
    plain = ranges.get(JSON, wildcard)
    if graphql > 0 and graphql >= plain:
        return GRAPHQL_RESPONSE_JSON
    return JSON


def well_formed(value: Any) -> Any:
    """`value` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {well_formed(k): well_formed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [well_formed(item) for item in value]
    return value


def is_request_error(body: Any) -> bool:
    """True when nothing executed: no data and no error with a path into the result."""
    if not isinstance(body, dict) or body.get("data") is not None:
        return False
    errors = body.get("errors") or []
    return bool(errors) and all(not error.get("path") for error in errors)


def error_body(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    """A GraphQL-shaped error response (a request error: no `data`)."""
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def _transport_error(error: HTTPException, method: str) -> tuple[int, str, dict[str, str]]:
    cause = error.__cause__
    if isinstance(cause, InvalidOperationTypeError):
        if cause.operation_type == OperationType.MUTATION and method == "GET":
            return 405, "METHOD_NOT_ALLOWED", {"Allow": "POST"}
        if cause.operation_type == OperationType.SUBSCRIPTION:
            return 400, "SUBSCRIPTION_NEEDS_STREAM", {}
        return 400, "OPERATION_NOT_ALLOWED", {}
    reason = error.reason
    if error.status_code == 405:
        return 405, "METHOD_NOT_ALLOWED", {"Allow": "GET, POST"}
    if error.status_code == 404:
        return 404, "NOT_FOUND", {}
    if reason == "Unsupported content type":
        return 415, "UNSUPPORTED_MEDIA_TYPE", {}
    if reason.startswith("Unable to parse request body as JSON"):
        return 400, "INVALID_JSON", {}
    if reason.startswith("No GraphQL query found"):
        return 400, "MISSING_QUERY", {}
    return 400, "BAD_REQUEST", {}


SUBSCRIPTION_OVER_HTTP = (
    "Subscriptions are not answered over plain HTTP: open a WebSocket "
    "(graphql-transport-ws) or an SSE stream (Accept: text/event-stream) on this URL."
)


class HardenedGraphQLRouter(GraphQLRouter[Context, None]):
    """strawberry's FastAPI router with the conformance fixes above."""

    async def execute_single(  # type: ignore[override]
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: Any,
    ) -> Any:
        # strawberry lets a subscription through plain GET/POST (for multipart streams,
        # which are not enabled here) and then runs its resolver as a query field. Only the
        # stream transports (WebSocket, SSE) may run subscriptions.
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except InvalidOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason(request_adapter.method)) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error

    async def run(  # type: ignore[override]
        self, request: Any, context: Any = UNSET, root_value: Any = UNSET
    ) -> Any:
        if not isinstance(request, Request):
            return await super().run(request, context, root_value)  # WebSocket
        media_type = negotiate(request.headers.get("accept"))
        request.state.graphql_media_type = media_type
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as error:
            status, code, headers = _transport_error(error, request.method)
            message = error.reason
            if code == "METHOD_NOT_ALLOWED" and request.method == "GET":
                message = "Mutations are not allowed over GET: use POST."
            if code == "SUBSCRIPTION_NEEDS_STREAM":
                message = SUBSCRIPTION_OVER_HTTP
            return Response(
                self.encode_json(error_body(message, code)),
                status_code=status,
                media_type=media_type,
                headers=headers,
            )
        if response.headers.get("content-type", "").startswith(JSON):
            response.headers["content-type"] = media_type
            if getattr(request.state, "graphql_request_error", False) and (
                response.status_code == 200 and media_type == GRAPHQL_RESPONSE_JSON
            ):
                response.status_code = 400
        return response

    def encode_json(self, data: object) -> str:
        # orjson is several times faster than json.dumps on big nested results; anything
        # it cannot encode natively (a custom scalar's leftover object) goes through str.
        # A str, not bytes: WebSocket messages must go out as text frames.
        try:
            return orjson.dumps(data, default=str).decode()
        except orjson.JSONEncodeError:
            # Text that is not Unicode (a lone surrogate stored before inputs were checked)
            # must not turn a read into a 500: it is sent with U+FFFD in its place.
            return orjson.dumps(well_formed(data), default=str).decode()

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET with only a persisted-query hash is an operation, not a browser visit.
        return super().should_render_graphql_ide(request) and not request.query_params.get(
            "extensions"
        )

    async def process_result(self, request: Request, result: Any) -> Any:  # type: ignore[override]
        body = await super().process_result(request, result)
        if is_request_error(body):
            request.state.graphql_request_error = True
            if getattr(request.state, "graphql_media_type", JSON) == GRAPHQL_RESPONSE_JSON:
                body.pop("data", None)  # the spec: a request error has no data entry
        return body

    async def parse_http_body(self, request: Any) -> Any:
        try:
            data = await super().parse_http_body(request)
        except (AttributeError, TypeError) as error:
            # A JSON body that is a string, number or null instead of an object.
            raise HTTPException(400, "The request body must be a JSON object.") from error
        except (UnicodeDecodeError, RecursionError) as error:
            # Not UTF-8, or nested deeper than the decoder can follow.
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        name = getattr(data, "operation_name", None)
        if name is not None and not isinstance(name, str):
            raise HTTPException(400, "The GraphQL operation's `operationName` must be a string.")
        return data


class BodySizeLimit:
    """ASGI middleware refusing request bodies above `max_bytes` with 413, before the app."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        payload = json.dumps(
            error_body(
                f"The request body is larger than {self.max_bytes} bytes.",
                "BODY_TOO_LARGE",
                limit=self.max_bytes,
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", JSON.encode()),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
