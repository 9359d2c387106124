"""The app's own routes: auth failures as GraphQL-shaped answers, /llms.txt and /healthz."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text

from parcelgraph import __version__
from parcelgraph.app.graphql import _auth_response, _not_found_response
from parcelgraph.auth import AuthError

logger = logging.getLogger(__name__)


def install_routes(app: FastAPI, llms_txt: str) -> None:
    """Register the auth error handler, /llms.txt (`llms_txt` with `{base}` filled) and /healthz."""

    @app.exception_handler(AuthError)
    async def _on_auth_error(_request: Request, error: AuthError) -> JSONResponse:
        if error.status == 404:
            return _not_found_response()
        return _auth_response(error)

    @app.get(
        "/llms.txt",
        summary="What an AI agent needs to use this API",
        response_class=PlainTextResponse,
    )
    async def llms_text(request: Request) -> PlainTextResponse:
        base = str(request.base_url).rstrip("/")
        return PlainTextResponse(llms_txt.replace("{base}", base), media_type="text/markdown")

    @app.get("/healthz", summary="Liveness and database check")
    async def healthz(request: Request) -> JSONResponse:
        try:
            async with request.app.state.db.reader() as session:
                await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        except Exception:
            logger.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "version": __version__})
