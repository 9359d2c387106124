"""Who may run a field: one declarative mechanism, used as `permission_classes=[...]`.

    @strawberry.field(permission_classes=[Allow.editors])            # editor or admin keys
    @strawberry.mutation(permission_classes=[Allow.editors_and_customers])

Order-token callers (customers) and anonymous callers are allowed only where a field says
so; what a customer may then reach inside the field (their own order only) is checked by
the use case. A refused anonymous caller gets HTTP 401 with a Basic challenge.
"""

from functools import cache
from typing import Any, ClassVar

import strawberry
from strawberry.exceptions import StrawberryGraphQLError
from strawberry.permission import BasePermission

from parcelgraph.auth import AnonymousPrincipal, ApiKeyPrincipal, CustomerPrincipal
from parcelgraph.domain.enums import Role

WWW_AUTHENTICATE = 'Basic realm="parcelgraph"'


class _Permission(BasePermission):
    """Base: configured by class attributes, built once per configuration."""

    role: ClassVar[Role | None] = Role.VIEWER
    customers: ClassVar[bool] = False
    anonymous: ClassVar[bool] = False
    message = "You are not allowed to do this."
    error_extensions: ClassVar[dict[str, Any]] = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        principal = info.context.principal
        if isinstance(principal, ApiKeyPrincipal):
            return self.role is not None and principal.role.allows(self.role)
        if isinstance(principal, CustomerPrincipal):
            return self.customers
        if isinstance(principal, AnonymousPrincipal):
            if self.anonymous:
                return True
            self._challenge(info)
        return False

    def _challenge(self, info: strawberry.Info) -> None:
        # Anonymous callers are told to authenticate: 401 plus a challenge, not a 200. The
        # error is raised here rather than set on `self`: strawberry keeps one permission
        # object per field for the whole process, so state on it would leak between callers.
        response = getattr(info.context, "response", None)
        if response is not None:
            response.status_code = 401
            response.headers["WWW-Authenticate"] = WWW_AUTHENTICATE
        raise StrawberryGraphQLError(
            "Authentication required: use an API key (HTTP Basic) or an order token.",
            extensions={"code": "UNAUTHENTICATED"},
        )


@cache
def _make(role: Role | None, customers: bool, anonymous: bool) -> type[BasePermission]:
    name = f"Allow_{role.value if role else 'NONE'}_{int(customers)}{int(anonymous)}"
    return type(
        name, (_Permission,), {"role": role, "customers": customers, "anonymous": anonymous}
    )


class Allow:
    """The permission classes fields declare."""

    viewers = _make(Role.VIEWER, False, False)
    editors = _make(Role.EDITOR, False, False)
    admins = _make(Role.ADMIN, False, False)
    viewers_and_customers = _make(Role.VIEWER, True, False)
    editors_and_customers = _make(Role.EDITOR, True, False)
    customers_only = _make(None, True, False)
    everyone = _make(Role.VIEWER, True, True)

    @staticmethod
    def custom(
        role: Role | None, *, customers: bool = False, anonymous: bool = False
    ) -> type[BasePermission]:
        """Another combination, still built once."""
        return _make(role, customers, anonymous)
