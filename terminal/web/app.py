"""The member's page as a small web service (Starlette, served by uvicorn): ``make_app``.

* ``GET /m/{link}``: the member's card (the rotating member code as a QR, refreshed before
  it expires), points and what they are worth, what expires soon, stored value, punch
  cards, coupons, the last visits, and how to bring a friend. Reached only through the
  member's signed link (``services.member_links``); anything else gets one "not valid"
  page, so nothing tells which members exist.
* ``GET /m/{link}/code``: the current rotating code as SVG, for the page's refresh.
* ``GET /u/{token}`` and ``POST /u/{token}``: a message's unsubscribe link (web/unsubscribe).

Every answer: no caching, no referrer (the link is in the address), no framing, a strict
content security policy; each client address gets ``RATE`` requests a minute.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from ..core.config import Settings
from ..core.i18n import gettext_
from ..db.database import close_database, open_database
from ..services import member_links, members
from ..services.context import Context, local_now
from . import pages, unsubscribe

RATE = 60  # requests a minute from one client address
REFRESH_S = 25  # the page asks for a new code this often (a code is good for 60-90 s)
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": ("default-src 'none'; img-src 'self' data:; "
                                "style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                                "connect-src 'self'; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
}


class RateLimit:
    """At most ``limit`` requests per client in any ``window`` seconds (in memory: one
    server process, as ``serve`` runs it)."""

    def __init__(self, limit: int, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self.seen: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = self.clock()
        with self.lock:
            times = self.seen.setdefault(client, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            if len(self.seen) > 10_000:  # forget clients that went quiet
                for key in [k for k, v in self.seen.items() if not v]:
                    del self.seen[key]
            return True


def make_app(settings: Settings, url: str, *, rate: int = RATE,
             clock: Callable[[], datetime] = local_now) -> Starlette:
    templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
    limiter = RateLimit(rate)
    ctx = Context(settings, staff_id="web", clock=clock)

    def lang_of(request: Request) -> str:
        return pages.language_of(request.query_params.get("lang"),
                                 request.headers.get("accept-language", ""),
                                 settings.store.language)

    def refused(request: Request, status: int = 404) -> Response:
        lang = lang_of(request)
        return templates.TemplateResponse(request, "refused.html", {
            "lang": lang, "shop": settings.store.name,
            "title": gettext_(lang, "This link is not valid"),
            "text": gettext_(lang, "This link is not valid (any more): ask the shop for a "
                                   "new one.")}, status_code=status)

    async def member_page(request: Request) -> Response:
        lang = lang_of(request)

        def read() -> pages.MemberPage | None:
            try:
                member = member_links.member_for(ctx, request.path_params["link"])
            except member_links.LinkRefused:
                return None
            return pages.member_page(ctx, member, lang)

        page = await run_in_threadpool(read)
        if page is None:
            return refused(request)
        other = "zh_CN" if lang == "en" else "en"
        return templates.TemplateResponse(request, "member.html", {
            "page": page, "lang": lang, "refresh_ms": REFRESH_S * 1000,
            "other_lang": other, "other_name": pages.LANGUAGE_NAMES[other]})

    async def member_code(request: Request) -> Response:
        def read() -> str | None:
            try:
                member = member_links.member_for(ctx, request.path_params["link"])
            except member_links.LinkRefused:
                return None
            return pages.qr_svg(members.rotating_code(ctx, member))

        svg = await run_in_threadpool(read)
        if svg is None:
            return PlainTextResponse("not valid", status_code=404)
        return Response(svg, media_type="image/svg+xml")

    async def home(request: Request) -> Response:
        return refused(request)  # no list of anything, no index

    class Guard(BaseHTTPMiddleware):
        async def dispatch(self, request: Request,
                           call_next: Callable[[Request], Awaitable[Response]]) -> Response:
            client = request.client.host if request.client else "?"
            if not limiter.allow(client):
                lang = lang_of(request)
                response: Response = HTMLResponse(
                    gettext_(lang, "Too many requests: wait a minute and try again."),
                    status_code=429, headers={"Retry-After": "60"})
            else:
                response = await call_next(request)
            response.headers.update(SECURITY_HEADERS)
            return response

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        open_database(url)
        try:
            yield
        finally:
            close_database()

    return Starlette(routes=[Route("/", home), Route("/m/{link}", member_page),
                             Route("/m/{link}/code", member_code),
                             *unsubscribe.routes(ctx, templates, lang_of, refused)],
                     middleware=[Middleware(Guard)], lifespan=lifespan)
