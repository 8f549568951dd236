"""The campaigns tab: coupons issued from the form, the hold-out group, results and contacts."""

from __future__ import annotations

import csv

from terminal.db import models as m
from terminal.loyalty.segments import SEGMENTS
from tests.ui.manager.conftest import WAIT_MS, ZOMBIES, idle


def campaign_coupons() -> int:
    return int(m.Coupon.select().where(m.Coupon.campaign.is_null(False)).count())


def fill(tab, name: str, segment: str, holdout: int) -> None:
    tab.name_edit.setText(name)
    tab.segment_combo.setCurrentIndex(SEGMENTS.index(segment))
    tab.template_combo.setCurrentIndex(tab.template_combo.findData("WINBACK"))
    tab.message_edit.setPlainText("好久不见：下次到店立减10元")
    tab.holdout_spin.setValue(holdout)


def create(qtbot, tab) -> str:
    """Click Create, then say yes to the plan it shows: the plan's text."""
    tab.create_button.click()
    qtbot.waitUntil(lambda: tab.confirm_box is not None, timeout=WAIT_MS)
    said = tab.confirm_box.text()
    tab.confirm_yes.click()
    return said


def test_creating_a_campaign_issues_coupons_and_shows_the_hold_out(qtbot, window, runner,
                                                                   tmp_path):
    tab = window.campaigns_tab
    assert tab.holdout_spin.value() == 10  # the default
    assert tab.template_combo.count() >= 1 and tab.template_combo.findData("WINBACK") >= 0
    assert tab.model.rows == []
    fill(tab, "唤醒僵尸会员", "zombie", 25)
    progress: list[int] = []
    tab.relay.changed.connect(lambda pct, _what: progress.append(pct))
    tab.create_button.click()
    tab.on_create_clicked()  # a second click while the first runs does nothing
    qtbot.waitUntil(lambda: tab.confirm_box is not None, timeout=WAIT_MS)
    plan = tab.confirm_box.text()
    assert "12 members are in the segment." in plan
    assert "9 get the coupon; 3 are held out and get nothing." in plan
    assert "percent-off coupon costs what the members buy" in plan
    assert tab.confirm_yes.text() == "Issue 9 coupons"
    assert campaign_coupons() == 0  # nothing issued before the yes
    tab.confirm_yes.click()
    qtbot.waitUntil(lambda: "created" in tab.form_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)

    held = round(ZOMBIES * 25 / 100)
    assert campaign_coupons() == ZOMBIES - held == 9
    assert int(m.Campaign.select().count()) == 1
    assert (f"{ZOMBIES - held} coupons issued, a control group of {held} held out"
            in tab.form_message.text())
    assert progress == [5, 40, 100] and tab.progress.value() == 100
    assert [(c.name, c.targeted, c.control) for c in tab.model.rows] == [
        ("唤醒僵尸会员", 9, 3)]
    assert tab.model.text(0, 4) == "9" and tab.model.text(0, 5) == "3"
    assert tab.selected() is not None and tab.export_button.isEnabled()
    qtbot.waitUntil(lambda: tab.results is not None, timeout=WAIT_MS)
    assert tab.result_labels["redeemed"].text() == "0 of 9 (0.0%)"
    assert "not measurable" in tab.result_labels["uplift"].text()  # nobody has spent yet

    path = tmp_path / "contacts.csv"
    tab.export_contacts_to(path)
    qtbot.waitUntil(lambda: "contacts written" in tab.list_message.text(), timeout=WAIT_MS)
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [["name", "phone", "card_no", "coupon", "valid_until", "message"]]  # no
    # zombie gave marketing consent: nobody may be messaged
    assert tab.list_message.text().startswith("0 contacts written")
    assert m.AuditEntry.select().where(m.AuditEntry.action == "export_contacts").count() == 1


def test_refusals_are_shown_under_the_form_and_nothing_is_issued(qtbot, window, runner):
    tab = window.campaigns_tab
    fill(tab, "  ", "zombie", 10)
    tab.create_button.click()
    qtbot.waitUntil(lambda: "needs a name" in tab.form_message.text(), timeout=WAIT_MS)
    assert "color: #b00020" in tab.form_message.styleSheet()
    assert tab.create_button.isEnabled()
    fill(tab, "忠诚会员回馈", "loyal", 10)  # nobody is loyal in this shop today
    tab.create_button.click()
    qtbot.waitUntil(lambda: "no member is in the segment loyal" in tab.form_message.text(),
                    timeout=WAIT_MS)
    idle(qtbot, runner)
    assert campaign_coupons() == 0 and tab.model.rows == []
    assert tab.name_edit.text() == "忠诚会员回馈"  # what was typed stays


def test_results_show_the_uplift_and_contacts_have_full_phones(qtbot, window, runner, shop,
                                                              clock, tmp_path):
    from terminal.services import campaigns
    from tests.helpers import factory

    tab = window.campaigns_tab
    fill(tab, "核心会员新品邀请", "champions", 0)
    create(qtbot, tab)
    qtbot.waitUntil(lambda: "created" in tab.form_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    assert campaign_coupons() == 2  # no hold-out: both champions get one
    path = tmp_path / "contacts.csv"
    tab.export_contacts_to(path)
    qtbot.waitUntil(lambda: "2 contacts written" in tab.list_message.text(), timeout=WAIT_MS)
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["name"] for r in rows) == ["张伟", "李娜"]
    assert all(r["phone"].startswith("+86139") and "*" not in r["phone"] for r in rows)

    # a zombie campaign with a hold-out; then one member of each group buys
    fill(tab, "唤醒僵尸会员", "zombie", 50)
    create(qtbot, tab)
    qtbot.waitUntil(lambda: "control group of 6" in tab.form_message.text(), timeout=WAIT_MS)
    idle(qtbot, runner)
    zombie = next(c for c in tab.model.rows if c.segment == "zombie")
    groups = {control: [cm.member_id for cm in m.CampaignMember.select().where(
        (m.CampaignMember.campaign == zombie.id) & (m.CampaignMember.control == control))]
        for control in (False, True)}
    clock.advance(days=1)
    factory.sale(shop.ctx, [("SHAMPOO-B", 2)], groups[False][0])
    factory.sale(shop.ctx, [("TEA", 1)], groups[True][0])
    tab.table.clearSelection()
    tab.table.selectRow(tab.model.rows.index(zombie))
    qtbot.waitUntil(lambda: tab.results is not None and tab.results.campaign == zombie
                    and tab.results.days == 1, timeout=WAIT_MS)
    expected = campaigns.results(shop.ctx, zombie.id)
    assert expected.uplift is not None and expected.uplift > 0
    assert tab.result_labels["uplift"].text() == f"{expected.uplift * 100:.1f}%"
    assert tab.result_labels["target"].text() == f"¥{expected.target_revenue_per_member / 100:,.2f}"
    assert tab.result_labels["days"].text() == "1"


def test_a_campaign_said_no_to_issues_nothing(qtbot, window, runner):
    tab = window.campaigns_tab
    fill(tab, "唤醒僵尸会员", "zombie", 10)
    tab.create_button.click()
    qtbot.waitUntil(lambda: tab.confirm_box is not None, timeout=WAIT_MS)
    tab.confirm_box.reject()
    qtbot.waitUntil(lambda: "No campaign was created" in tab.form_message.text(),
                    timeout=WAIT_MS)
    idle(qtbot, runner)
    assert campaign_coupons() == 0 and tab.create_button.isEnabled()


def test_a_campaign_is_sent_by_message_and_the_outbox_shows_what_became_of_it(
        qtbot, window, runner, shop, clock):
    from terminal.services import outbox
    from tests.helpers.mail import SmtpServer, messaging

    with SmtpServer() as smtp:
        tab = window.campaigns_tab
        tab.ctx.settings = messaging(tab.ctx.settings, smtp=smtp.port)
        m.Member.update(email="zhang@example.com").where(
            m.Member.id == shop.zhang_wei.id).execute()
        fill(tab, "核心会员新品邀请", "champions", 0)
        create(qtbot, tab)
        qtbot.waitUntil(lambda: "created" in tab.form_message.text(), timeout=WAIT_MS)
        idle(qtbot, runner)
        assert tab.send_button.isEnabled()
        tab.send_button.click()
        qtbot.waitUntil(lambda: "queued" in tab.list_message.text(), timeout=WAIT_MS)
        # 李娜 consents but left no e-mail address; nobody is held out
        assert tab.list_message.text() == ("1 message queued; 0 members gave no consent; "
                                           "1 has no address; 0 held out get nothing.")
        assert "Waiting 1 ·" in tab.outbox_box.outbox_counts.text()
        assert outbox.send_due(shop.ctx).sent == 1  # the sending job
        assert smtp.handler.to() == ["zhang@example.com"]

        # a message the job was cut off sending: the manager says it arrived
        m.Message.update(state="unknown", last_error=outbox.INTERRUPTED).execute()
        tab.outbox_box.reload()
        qtbot.waitUntil(lambda: tab.outbox_box.unknown_model.rowCount() == 1, timeout=WAIT_MS)
        assert tab.outbox_box.unknown_model.text(0, 0) == shop.zhang_wei.card_no
        assert tab.outbox_box.unknown_model.text(0, 1) == "z***@example.com"
        assert not tab.outbox_box.arrived_button.isEnabled()
        tab.outbox_box.unknown_table.selectRow(0)
        tab.outbox_box.arrived_button.click()
        qtbot.waitUntil(lambda: tab.outbox_box.unknown_model.rowCount() == 0, timeout=WAIT_MS)
        idle(qtbot, runner)
        assert m.Message.get().state == "sent" and "sent 1 ·" in tab.outbox_box.outbox_counts.text()
        assert len(smtp.handler.received) == 1
