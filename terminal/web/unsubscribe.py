"""The unsubscribe link every message carries (services.messages): ``GET /u/{token}`` asks,
``POST /u/{token}`` does it. A GET changes nothing, since mail scanners open every link in a
message; the mail program's own button POSTs ``List-Unsubscribe=One-Click`` to the same
address (RFC 8058), which needs no form of ours and no cookie, so it has no CSRF token: the
signed token in the address is the member's proof."""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from ..core.i18n import gettext_
from ..services import member_links, messages
from ..services.context import Context


def routes(ctx: Context, templates: Jinja2Templates, lang_of: Callable[[Request], str],
           refused: Callable[[Request], Response]) -> list[Route]:
    shop = ctx.settings.store.name

    async def page(request: Request, action: Callable[[Context, str], object],
                   words: Callable[[str], dict[str, str | None]]) -> Response:
        """``action`` on the token in the address, then the page ``words`` gives in the
        reader's language (its title, text and button); a refused link's page if refused."""
        try:
            await run_in_threadpool(action, ctx, request.path_params["token"])
        except member_links.LinkRefused:
            return refused(request)
        lang = lang_of(request)
        return templates.TemplateResponse(request, "unsubscribe.html", {
            "lang": lang, "shop": shop, **words(lang)})

    async def ask(request: Request) -> Response:
        return await page(request, messages.check_unsubscribe, lambda lang: {
            "title": gettext_(lang, "Unsubscribe"),
            "text": gettext_(lang, "Stop the offers and news {0} sends you by e-mail and "
                                   "SMS?").format(shop),
            "button": gettext_(lang, "Unsubscribe")})

    async def confirm(request: Request) -> Response:
        return await page(request, messages.unsubscribe, lambda lang: {
            "title": gettext_(lang, "Unsubscribed"),
            "text": gettext_(lang, "You will get no more offers or news from {0}. You can "
                                   "change your mind at the counter at any time.").format(shop),
            "button": None})

    return [Route("/u/{token}", ask, methods=["GET"]),
            Route("/u/{token}", confirm, methods=["POST"])]
