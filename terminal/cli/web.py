"""The ``serve`` command: the member's page (terminal/web) on the shop's network."""

from __future__ import annotations

import argparse
from typing import Any

from .common import Invocation, fail


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser(
        "serve", parents=parents,
        help="the member's own page on the shop's network (a chain runs it beside its "
             "PostgreSQL server, behind a TLS proxy for links that leave the shop)")
    serve.add_argument("--host", default="0.0.0.0",
                       help="the address to listen on (default: every address)")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--no-send", action="store_true",
                       help="do not send the outbox's messages from here (by default, with "
                            "[email] or [sms] set, they are sent every minute)")


def run(inv: Invocation) -> int:
    import uvicorn

    from ..db.database import DatabaseOpenError, open_database
    from ..web.app import DRAIN_S, make_app

    args = inv.args
    if not 1 <= args.port <= 65535:
        return fail(f"--port {args.port}: expected 1 to 65535")
    try:  # the database is there and can be opened before the service says it is up
        open_database(inv.url)
    except DatabaseOpenError as exc:
        return fail(exc)
    # behind a reverse proxy on this machine, the client's address is its X-Forwarded-For
    app = make_app(inv.settings, inv.url, drain_every=None if args.no_send else DRAIN_S)
    uvicorn.run(app, host=args.host, port=args.port,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1", log_level="info")
    return 0
