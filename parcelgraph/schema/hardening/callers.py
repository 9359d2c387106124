"""Who is asking: whose budget a request spends, over which transport, and the rule that
keeps introspection to API keys."""

from typing import Any

from graphql import ValidationRule
from graphql.language import FieldNode

from parcelgraph.auth import ApiKeyPrincipal
from parcelgraph.ratelimit import (
    api_key_bucket,
)
from parcelgraph.schema.hardening.limits import (
    refusal,
)


class NoIntrospection(ValidationRule):
    """Refuse `__schema` and `__type` (`__typename` stays allowed)."""

    def enter_field(self, node: FieldNode, *_args: Any) -> None:
        if node.name.value in ("__schema", "__type"):
            self.report_error(
                refusal(
                    "Introspection is available to API keys only.",
                    "INTROSPECTION_DISABLED",
                    node,
                )
            )


def caller_bucket(context: Any) -> str:
    """Whose budget a request spends: the API key's, else the client address's."""
    principal = getattr(context, "principal", None)
    if isinstance(principal, ApiKeyPrincipal):
        return api_key_bucket(principal.key_id)
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    return f"ip:{client.host if client else 'unknown'}"


def transport(context: Any) -> str | None:
    """The request's ASGI scope type (`http`, `websocket`), or None outside a request."""
    scope = getattr(getattr(context, "request", None), "scope", None)
    return scope.get("type") if isinstance(scope, dict) else None
