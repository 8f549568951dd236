"""The member's own link: signed, revocable, never guessable from a card or a phone."""

from __future__ import annotations

import dataclasses

import pytest

from terminal.core.config import WebSettings
from terminal.core.errors import InvalidInput
from terminal.db import models as m
from terminal.services import audit, member_links
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
    [entry] = audit.entries(action="member_link_revoke")
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
