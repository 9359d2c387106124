"""Start one benchmark server: the product or a baseline, all under the same uvicorn setup.

    python -m scripts.bench.serve product --port 8001
    python -m scripts.bench.serve rest --port 8002 --sqlite /tmp/bench.db
    python -m scripts.bench.serve rest-pg --port 8003 --dsn postgresql://USER@HOST/DB

Every server gets uvloop, httptools, no access log and one worker, so the only difference
between candidate and baseline is the application. The product reads its settings from
PARCELGRAPH_* variables set by the runner (generous rate and cost limits, no background
services unless asked).
"""

import argparse
import os

import uvicorn

KINDS = ("product", "rest", "raw", "asgi", "ws", "sink", "rest-pg")


def build(kind: str, sqlite_path: str | None, dsn: str | None = None):
    if kind == "rest-pg":
        from scripts.bench.baselines_pg import rest_pg_app

        assert dsn is not None, "--dsn is required for the PostgreSQL baseline"
        return rest_pg_app(dsn)
    if kind == "product":
        from parcelgraph.app import create_app

        return create_app()
    from scripts.bench import baselines

    if kind == "asgi":
        return baselines.hello_app
    if kind == "ws":
        return baselines.ws_broadcast_app()
    if kind == "sink":
        return baselines.sink_app()
    assert sqlite_path is not None, "--sqlite is required for the SQL baselines"
    if kind == "rest":
        return baselines.rest_app(sqlite_path)
    return baselines.raw_app(sqlite_path)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run one benchmark server.")
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sqlite", default=None)
    parser.add_argument("--dsn", default=None, help="postgresql:// URL (rest-pg)")
    parser.add_argument("--cpu", type=int, default=None, help="Pin to this core.")
    args = parser.parse_args()
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    app = build(args.kind, args.sqlite, args.dsn)
    if args.kind == "product":  # the same collector settings as `parcelgraph serve`
        from parcelgraph.gc_tuning import tune_for_serving

        tune_for_serving()
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        ws="websockets",
        log_level="warning",
        access_log=False,
        ws_ping_interval=None,
        lifespan="on",
    )


if __name__ == "__main__":
    main()
