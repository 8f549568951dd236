"""The member's page as a small web service (Starlette, served by uvicorn): ``make_app``.

* ``GET /m/{link}``: the member's card (the rotating member code as a QR; the page reads
  itself again every ``REFRESH_S`` seconds, so a new code comes before the old one expires
  and a sale's points show without a reload), points and what they are worth, what
  expires soon, stored value, punch cards, coupons, the last visits, and how to bring a
  friend. Reached only through the member's signed link (``services.member_links``);
  anything else gets one "not valid" page, so nothing tells which members exist.
* ``GET /join``: the join form (``?ref=`` a friend's referral code); ``POST /join`` keeps
  the join waiting for the counter (``services.joins``) and sends the phone to
  ``GET /join/{token}``: the code to show the cashier, until the counter confirms it; then
  the member's own page. ``GET /join/{token}/state`` tells the page when. With an SMS
  gateway the phone is sent a code too: ``POST /join/{token}/code`` confirms it by that.
* ``GET /u/{token}`` and ``POST /u/{token}``: a message's unsubscribe link (web/unsubscribe).

Forms carry a CSRF token: a random value in a ``SameSite=Strict`` cookie and, in the form,
its HMAC with the installation's secret (a double-submit cookie that another site can
neither read nor make). Joins have their own, tighter, rate limit (``JOIN_RATE``).

Every answer: no caching, no referrer (the link is in the address), no framing, a strict
content security policy; each client address gets ``RATE`` requests a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from ..core.config import Settings
from ..core.errors import DomainError
from ..core.i18n import gettext_
from ..db.database import close_database, open_database
from ..services import joins, member_links
from ..services.context import Context, local_now
from . import pages, unsubscribe

log = logging.getLogger(__name__)
RATE = 60  # requests a minute from one client address
JOIN_RATE = 5  # joins sent from one client address in ten minutes
FORM_MAX = 4096  # bytes: a join form is a few hundred
CSRF_COOKIE = "mt_csrf"
POLL_S = 4  # the waiting page asks this often whether the counter has confirmed
DRAIN_S = 60  # `serve` sends the outbox's messages this often
DRAIN_BATCH = 50  # messages claimed in one round
REFRESH_S = 25  # the page reads itself again this often (a code is good for 60-90 s)
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


def csrf_field(secret: bytes, nonce: str) -> str:
    """The form's half of the CSRF token: the cookie's value signed."""
    return hmac.new(secret, f"csrf.{nonce}".encode(), hashlib.sha256).hexdigest()


async def drain_outbox(ctx: Context, every: float, stop: asyncio.Event) -> None:
    """The outbox's job beside the pages: every ``every`` seconds, the messages due are sent
    (services.messages; a second drain elsewhere, ``messages send`` from cron, is safe),
    ``DRAIN_BATCH`` at a time, so that stopping the service waits for one batch at most. A
    failure is logged and the next round tries again."""
    from ..services import outbox

    while not stop.is_set():
        try:
            done = await run_in_threadpool(
                lambda: outbox.send_due(ctx, limit=DRAIN_BATCH))
            if done.sent or done.failed or done.unknown or done.interrupted:
                log.info("outbox: %s", done)
            more = done.sent + done.retry + done.failed + done.unknown >= DRAIN_BATCH
        except Exception:
            log.exception("outbox: the drain failed; trying again in %s s", every)
            more = False
        if not more:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)


def make_app(settings: Settings, url: str, *, rate: int = RATE, join_rate: int = JOIN_RATE,
             clock: Callable[[], datetime] = local_now,
             drain_every: float | None = None) -> Starlette:
    """``drain_every``: send the outbox's messages this often (seconds), when e-mail or SMS
    is set up; None: leave it to ``messages send``."""
    templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
    limiter = RateLimit(rate)
    join_limiter = RateLimit(join_rate, window=600.0)
    ctx = Context(settings, staff_id="web", clock=clock)
    keys: dict[str, bytes] = {}  # the installation's secret, read once the database is open

    def client_of(request: Request) -> str:
        return request.client.host if request.client else "?"

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
            return pages.member_page(ctx, member, lang,
                                     settings.web.public_url or str(request.base_url))

        page = await run_in_threadpool(read)
        if page is None:
            return refused(request)
        other = "zh_CN" if lang == "en" else "en"
        return templates.TemplateResponse(request, "member.html", {
            "page": page, "lang": lang, "refresh_ms": REFRESH_S * 1000,
            "other_lang": other, "other_name": pages.LANGUAGE_NAMES[other]})

    def with_csrf(request: Request, make: Callable[[str], Response]) -> Response:
        """``make(the form's CSRF field)``, with the cookie it pairs with."""
        nonce = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(16)
        response = make(csrf_field(keys["secret"], nonce))
        response.set_cookie(CSRF_COOKIE, nonce, max_age=3600, httponly=True,
                            samesite="strict", secure=request.url.scheme == "https",
                            path="/join")
        return response

    def csrf_ok(request: Request, sent: object) -> bool:
        nonce = request.cookies.get(CSRF_COOKIE, "")
        return bool(nonce) and hmac.compare_digest(str(sent or ""),
                                                   csrf_field(keys["secret"], nonce))

    async def read_form(request: Request) -> Any:
        if int(request.headers.get("content-length") or 0) > FORM_MAX:
            return None
        return await request.form(max_files=0, max_fields=10, max_part_size=FORM_MAX)

    def join_form(request: Request, lang: str, values: dict[str, str], error: str = "",
                  status: int = 200) -> Response:
        other = "zh_CN" if lang == "en" else "en"
        ref = values.get("referral_code", "")
        return with_csrf(request, lambda csrf: templates.TemplateResponse(request, "join.html", {
            "lang": lang, "shop": settings.store.name, "values": values, "error": error,
            "csrf": csrf, "words": pages.join_words(lang),
            "other_lang": other, "other_name": pages.LANGUAGE_NAMES[other],
            "other_query": pages.query(lang=other, ref=ref)}, status_code=status))

    async def join_get(request: Request) -> Response:
        ref = request.query_params.get("ref", "")[:16]
        return join_form(request, lang_of(request), {"referral_code": ref})

    async def join_post(request: Request) -> Response:
        lang = lang_of(request)
        data = await read_form(request)
        if data is None:
            return PlainTextResponse("too large", status_code=413)
        values = {k: str(data.get(k, ""))[:200] for k in
                  ("name", "phone", "birthday", "referral_code")}
        if not csrf_ok(request, data.get("csrf")):
            return join_form(request, lang, values, gettext_(
                lang, "This form had expired: check it and send it again."), 403)
        if not join_limiter.allow(client_of(request)):
            return join_form(request, lang, values, gettext_(
                lang, "Too many requests: wait a minute and try again."), 429)
        form = joins.JoinForm(values["name"], values["phone"], values["birthday"],
                              data.get("consent") == "yes", values["referral_code"])
        try:
            token = await run_in_threadpool(joins.submit, ctx, form, client_of(request))
        except DomainError as exc:
            status = 429 if isinstance(exc, joins.JoinsFull) else 400
            return join_form(request, lang, values, exc.text(lang), status)
        return RedirectResponse(f"/join/{token}{pages.query(lang=lang)}", status_code=303)

    def join_refused(request: Request, lang: str, exc: DomainError) -> Response:
        return templates.TemplateResponse(request, "refused.html", {
            "lang": lang, "shop": settings.store.name,
            "title": gettext_(lang, "Join"), "text": exc.text(lang)}, status_code=404)

    def to_member_page(link: str, lang: str) -> Response:
        return RedirectResponse(f"/m/{link}{pages.query(lang=lang)}", status_code=303)

    async def join_waiting(request: Request, error: str = "", status: int = 200) -> Response:
        lang = lang_of(request)
        try:
            state = await run_in_threadpool(joins.state, ctx, request.path_params["token"])
        except joins.JoinRefused as exc:
            return join_refused(request, lang, exc)
        if state.member_link:
            return to_member_page(state.member_link, lang)
        return with_csrf(request, lambda csrf: templates.TemplateResponse(
            request, "joined.html", {
                "lang": lang, "shop": settings.store.name, "name": state.name,
                "code_svg": pages.qr_svg(state.code), "words": pages.join_words(lang),
                "poll_ms": POLL_S * 1000, "by_sms": state.by_sms, "csrf": csrf,
                "code_action": f"/join/{state.code}/code{pages.query(lang=lang)}",
                "state_url": f"/join/{state.code}/state",
                "error": error}, status_code=status))

    async def join_code(request: Request) -> Response:
        """The code the phone was sent, typed on the waiting page."""
        lang = lang_of(request)
        data = await read_form(request)
        if data is None:
            return PlainTextResponse("too large", status_code=413)
        if not csrf_ok(request, data.get("csrf")):
            return await join_waiting(request, gettext_(
                lang, "This form had expired: check it and send it again."), 403)
        token = request.path_params["token"]
        try:
            member = await run_in_threadpool(joins.confirm_by_code, ctx, token,
                                             str(data.get("code", "")))
        except joins.JoinRefused as exc:
            return join_refused(request, lang, exc)
        except DomainError as exc:
            status = 429 if isinstance(exc, joins.JoinsFull) else 400
            return await join_waiting(request, exc.text(lang), status)
        return to_member_page(await run_in_threadpool(member_links.token, ctx, member), lang)

    async def join_state(request: Request) -> Response:
        try:
            state = await run_in_threadpool(joins.state, ctx, request.path_params["token"])
        except joins.JoinRefused:
            return JSONResponse({"next": None, "gone": True}, status_code=404)
        return JSONResponse({"next": f"/m/{state.member_link}" if state.member_link
                             else None})

    async def home(request: Request) -> Response:
        return refused(request)  # no list of anything, no index

    class Guard(BaseHTTPMiddleware):
        async def dispatch(self, request: Request,
                           call_next: Callable[[Request], Awaitable[Response]]) -> Response:
            if not limiter.allow(client_of(request)):
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
        keys["secret"] = (await run_in_threadpool(ctx.installation))[1]
        drain, stop = None, asyncio.Event()
        if drain_every is not None and (settings.email.configured or settings.sms.configured):
            drain = asyncio.create_task(drain_outbox(ctx, drain_every, stop))
        try:
            yield
        finally:
            stop.set()
            if drain is not None:
                await drain  # the batch under way is finished, never cut off
            close_database()

    return Starlette(routes=[Route("/", home), Route("/m/{link}", member_page),
                             Route("/join", join_get, methods=["GET"]),
                             Route("/join", join_post, methods=["POST"]),
                             Route("/join/{token}", join_waiting, methods=["GET"]),
                             Route("/join/{token}/code", join_code, methods=["POST"]),
                             Route("/join/{token}/state", join_state),
                             *unsubscribe.routes(ctx, templates, lang_of, refused)],
                     middleware=[Middleware(Guard)], lifespan=lifespan)
