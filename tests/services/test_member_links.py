"""The member's own link: signed, revocable, never guessable from a card or a phone."""

from __future__ import annotations

import dataclasses

import pytest

from terminal.core.config import WebSettings
from terminal.core.errors import InvalidInput
from terminal.db import models as m
from terminal.services import audit_listing, member_links
from tests.helpers import factory


def test_a_link_names_its_member_until_it_is_revoked(ctx) -> None:
    manager = factory.manager(ctx)
    mb = factory.member(ctx, "Li")
    token = member_links.token(ctx, mb)
    assert token.startswith(f"L1.{mb.card_no}.0.") and len(token.split(".")[-1]) == 26
    assert member_links.member_for(ctx, token).id == mb.id
    member_links.revoke(ctx, mb.card_no, manager)
    with pytest.raises(member_links.LinkRefused, match="not valid"):
        member_links.member_for(ctx, token)
    fresh = member_links.token(ctx, m.Member.get_by_id(mb.id))
    assert fresh != token and member_links.member_for(ctx, fresh).id == mb.id
    [entry] = audit_listing.entries(action="member_link_revoke")
    assert entry.subject == mb.card_no


@pytest.mark.parametrize("change", ["signature", "card", "version", "case", "shape"])
def test_a_forged_link_is_refused_with_one_message(ctx, change) -> None:
    mb = factory.member(ctx, "Li")
    other = factory.member(ctx, "Wang")
    token = member_links.token(ctx, mb)
    prefix, card, version, signature = token.split(".")
    forged = {"signature": f"{prefix}.{card}.{version}.{'A' * 26}",
              "card": f"{prefix}.{other.card_no}.{version}.{signature}",
              "version": f"{prefix}.{card}.1.{signature}",
              "case": token.lower(),
              "shape": f"{token}.x"}[change]
    with pytest.raises(member_links.LinkRefused) as refused:
        member_links.member_for(ctx, forged)
    assert str(refused.value) == "this link is not valid (any more): ask the shop for a new one"


def test_an_erased_members_link_stops_working(ctx) -> None:
    mb = factory.member(ctx, "Li")
    token = member_links.token(ctx, mb)
    m.Member.update(erased_at=ctx.now()).where(m.Member.id == mb.id).execute()
    with pytest.raises(member_links.LinkRefused):
        member_links.member_for(ctx, token)


def test_a_link_that_leaves_the_shop_needs_the_public_address(ctx) -> None:
    mb = factory.member(ctx, "Li")
    with pytest.raises(InvalidInput, match=r"no \[web\] public_url"):
        member_links.url(ctx, mb)
    public = dataclasses.replace(ctx, settings=dataclasses.replace(
        ctx.settings, web=WebSettings(public_url="https://members.example.com/")))
    assert member_links.url(public, mb) == \
        f"https://members.example.com/m/{member_links.token(ctx, mb)}"


def test_the_members_page_link_prints_on_the_card_and_on_request_on_the_receipt(
        ctx, catalogue, tmp_path) -> None:
    """The QR codes as the printer gets them: the queued job rendered to ESC/POS bytes,
    sent to a file printer, read back by an independent decoder, and the page's link
    resolved to the member; drawn to PNG for a look (/tmp/ui-shots/receipt_page_link.png)."""
    from pathlib import Path

    import zxingcpp

    from printers.layouts import MemberCardSlip
    from printers.print_jobs import PrintJob, document_for, print_job, save_preview
    from terminal.loyalty.pricing import Tenders
    from terminal.services import checkout, members, printing
    from terminal.services.context import Context
    from terminal.services.receipts import Receipt
    from tests.printers.escpos_decode import decode

    published = dataclasses.replace(ctx.settings, web=WebSettings(
        public_url="https://members.example.com"))
    shop = Context(published, staff_id=ctx.staff_id, clock=ctx.clock, print_receipts=True)
    mb = factory.member(shop, "Li")
    sale = checkout.CheckoutRequest("page-link-sale-1", (checkout.SaleItem("LATTE", 1),),
                                    member_id=mb.id, tenders=Tenders(cash=10_000),
                                    page_link=True)
    receipt = checkout.checkout(shop, sale)
    url = receipt.member.page_url
    assert url.startswith("https://members.example.com/m/L1.")
    job = m.PrintJob.get(m.PrintJob.txn == receipt.txn_id)
    queued = PrintJob("receipt", printing.decode(Receipt, job.payload))
    out = tmp_path / "lp0"
    print_job(queued, published, connection=f"file:{out}")
    printed = [payload for payload, _ in decode(out.read_bytes()).qr_codes]
    assert url in printed
    token = url.rsplit("/", 1)[1]
    assert member_links.member_for(shop, token).id == mb.id
    shots = Path("/tmp/ui-shots")
    shots.mkdir(exist_ok=True)
    save_preview(document_for(queued, published), shots / "receipt_page_link.png")

    # not asked for: no link; asked for without a public address: refused, nothing sold
    plain = checkout.checkout(shop, dataclasses.replace(sale, idempotency_key="page-link-2",
                                                        page_link=False))
    assert plain.member.page_url == ""
    with pytest.raises(InvalidInput, match="public_url"):
        checkout.checkout(ctx, dataclasses.replace(sale, idempotency_key="page-link-3"))
    assert m.Txn.select().where(m.Txn.kind == "sale").count() == 2

    # the member card slip carries the page too, beside the code shown at the counter
    view = members.view(shop, mb.id)
    assert view.page_url == url and members.view(ctx, mb.id).page_url == ""
    card = PrintJob("member_card", MemberCardSlip("Shop", view.name, view.card_no,
                                                  view.phone_masked, view.tier_name,
                                                  view.member_code, None, view.page_url))
    path = tmp_path / "card.png"
    save_preview(document_for(card, published), path)
    from PIL import Image

    found = {r.text for r in zxingcpp.read_barcodes(Image.open(path))}
    assert found == {view.member_code, url}
