"""/healthz reports the database; it is what load balancers probe."""

from parcelgraph import __version__


async def test_healthz_ok(http) -> None:  # type: ignore[no-untyped-def]
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": __version__}


async def test_healthz_reports_an_unreachable_database(app, http) -> None:  # type: ignore[no-untyped-def]
    from parcelgraph.db import Database

    healthy = app.state.db
    app.state.db = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none", null_pool=True)
    try:
        response = await http.get("/healthz")
    finally:
        app.state.db = healthy
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
