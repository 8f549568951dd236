"""The print queue: receipts queued with their sale, claimed once, retried, never lost."""

from __future__ import annotations

import dataclasses
import json

import pytest

from terminal.core.errors import InvalidInput, NotFound
from terminal.core.i18n import Phrase
from terminal.db import models as m
from terminal.services import printing, refunds
from terminal.services.context import Context
from terminal.services.receipts import Receipt
from tests.helpers import factory


@pytest.fixture
def counter(ctx: Context) -> Context:
    return dataclasses.replace(ctx, print_receipts=True)


def _jobs() -> list[m.PrintJob]:
    return list(m.PrintJob.select().order_by(m.PrintJob.created_at, m.PrintJob.id))


def test_every_receipt_is_queued_with_its_transaction(counter, catalogue) -> None:
    mb = factory.member(counter, "张伟")
    sale = factory.sale(counter, [("LATTE", 4)], member_id=mb.id)
    top_up = factory.top_up(counter, mb.id, 10_000)
    refund = refunds.refund(counter, refunds.RefundRequest(
        factory.key(), sale.txn_id, factory.manager(counter)))
    jobs = _jobs()
    assert [j.txn_id for j in jobs] == [sale.txn_id, top_up.txn_id, refund.txn_id]
    assert printing.decode(Receipt, jobs[0].payload) == sale  # coupons, member block, 中文
    assert all(j.kind == "receipt" and j.status == "pending" and not j.copy for j in jobs)


def test_tools_do_not_queue_and_a_refused_sale_queues_nothing(ctx, counter, catalogue) -> None:
    factory.sale(ctx, [("LATTE", 1)])  # simulate, bench, the CLI: no printer of theirs
    with pytest.raises(NotFound):
        factory.sale(counter, [("NOSUCH", 1)])
    assert _jobs() == []


def test_the_same_key_twice_queues_one_receipt(counter, catalogue) -> None:
    from terminal.loyalty.pricing import Tenders
    from terminal.services import checkout

    req = checkout.CheckoutRequest("key-twice-01", (checkout.SaleItem("TEA"),),
                                   tenders=Tenders(cash=2000))
    assert checkout.checkout(counter, req) == checkout.checkout(counter, req)
    assert len(_jobs()) == 1


def test_claim_send_fail_retry_and_give_up(counter, catalogue, clock) -> None:
    factory.sale(counter, [("LATTE", 1)])
    job = printing.claim(counter)
    assert job is not None and job.status == "printing" and job.attempts == 1
    assert printing.claim(counter) is None  # one worker has it
    view = printing.failed(counter, job.id, "printer offline: connection refused")
    assert view.status == "pending" and "offline" in view.last_error
    assert printing.claim(counter) is None  # not before its delay
    clock.advance(seconds=printing.MAX_DELAY)
    for attempt in range(2, printing.GIVE_UP_AFTER + 1):
        job = printing.claim(counter)
        assert job is not None and job.attempts == attempt
        view = printing.failed(counter, job.id, "out of paper")
        clock.advance(seconds=printing.MAX_DELAY)
    assert view.status == "failed"
    assert printing.claim(counter) is None
    assert [(j.status, j.receipt_no) for j in printing.outstanding(counter)] == [
        ("failed", "T01-000001")]
    printing.retry(counter, job.id)
    job = printing.claim(counter)
    printing.done(counter, job.id)
    assert printing.outstanding(counter) == []
    with pytest.raises(InvalidInput, match="reprint"):
        printing.retry(counter, job.id)


def test_a_job_cut_short_by_a_crash_is_not_sent_again_on_its_own(counter, catalogue) -> None:
    factory.sale(counter, [("LATTE", 1)])
    job = printing.claim(counter)
    assert printing.recover(counter) == 1  # the next start
    assert printing.claim(counter) is None
    (left,) = printing.outstanding(counter)
    assert left.status == "failed" and "reprint" in left.last_error and left.id == job.id


def test_each_terminal_prints_its_own_jobs(counter, catalogue) -> None:
    factory.sale(counter, [("LATTE", 1)])
    settings = dataclasses.replace(
        counter.settings, store=dataclasses.replace(counter.settings.store, terminal_id="T02"))
    other = dataclasses.replace(counter, settings=settings)
    assert printing.claim(other) is None and printing.outstanding(other) == []
    assert printing.claim(counter) is not None


def test_reprint_is_a_copy_of_what_was_printed(counter, catalogue) -> None:
    mb = factory.member(counter)
    first = factory.sale(counter, [("LATTE", 1)], member_id=mb.id)
    factory.sale(counter, [("LATTE", 5)], member_id=mb.id)  # the balance moves on
    copy = printing.reprint(counter, first.txn_id)
    assert copy.copy and printing.decode(Receipt, copy.payload) == first
    quiet = dataclasses.replace(counter, print_receipts=False)
    unqueued = factory.sale(quiet, [("TEA", 1)])
    again = printing.reprint(counter, unqueued.txn_id)  # never queued: read back
    assert again.copy and printing.decode(Receipt, again.payload) == unqueued


def test_payload_must_be_a_dataclass_and_kind_known(counter) -> None:
    with pytest.raises(TypeError):
        printing.encode({"not": "a dataclass"})
    with pytest.raises(InvalidInput):
        printing.enqueue(counter, "poster", dataclasses.make_dataclass("X", [])())


def test_sent_unconfirmed_and_the_cashiers_choice(counter, catalogue, clock) -> None:
    factory.sale(counter, [("LATTE", 1)])
    factory.sale(counter, [("TEA", 1)])
    first, second = printing.claim(counter), printing.claim(counter)
    assert first is not None and second is not None
    assert printing.sent(counter, first.id).status == "sent"
    assert printing.last_finished(counter).id == first.id
    view = printing.unconfirmed(counter, second.id, "the printer did not answer")
    assert view.status == "unconfirmed" and view.last_error == "the printer did not answer"
    # sent is final; unconfirmed stays on the list and is never claimed again on its own
    assert [(j.id, j.status) for j in printing.outstanding(counter)] == [
        (second.id, "unconfirmed")]
    clock.advance(seconds=3600)
    assert printing.claim(counter) is None
    with pytest.raises(InvalidInput, match="did not confirm"):
        printing.confirm_printed(counter, first.id)  # only an unconfirmed one
    printing.retry(counter, second.id)  # it did not come out
    again = printing.claim(counter)
    assert again is not None and again.id == second.id
    assert again.attempts == 2  # not a first attempt: the drawer stays shut
    printing.unconfirmed(counter, second.id, "still no answer")
    assert printing.confirm_printed(counter, second.id).status == "done"  # it came out
    assert printing.outstanding(counter) == []
    assert printing.last_finished(counter).id == second.id
    with pytest.raises(InvalidInput, match="reprint"):
        printing.retry(counter, second.id)


def test_every_status_the_queue_writes_is_a_known_one(counter, catalogue) -> None:
    assert set(printing.OUTSTANDING) < set(m.PrintJob.STATUSES)
    assert {"done", "sent"} | set(printing.OUTSTANDING) == set(m.PrintJob.STATUSES)


def test_a_printer_error_is_kept_with_its_message_id_and_read_in_chinese(counter,
                                                                         catalogue) -> None:
    from printers.connection import explain, parse_connection

    factory.sale(counter, [("LATTE", 1)])
    job = printing.claim(counter)
    error = explain(parse_connection("network:10.0.0.5"),
                    ConnectionRefusedError(111, "Connection refused"), False, 2)
    view = printing.failed(counter, job.id, error)
    # the id and its arguments are stored, the printer's own description nested in them
    assert json.loads(m.PrintJob.get_by_id(job.id).last_error) == {
        "id": error.message_id,
        "args": {"printer": {"id": "network printer {host}:{port}",
                             "args": {"host": "10.0.0.5", "port": 9100}}}}
    for read in (view, printing.outstanding(counter)[0]):
        assert isinstance(read.last_error, Phrase)
        assert read.last_error == str(error)  # English for the log and the command line
        assert read.last_error.text("zh_CN") == error.text("zh_CN")
        assert read.last_error.text("zh_CN").startswith("网络打印机 10.0.0.5:9100 拒绝")
    give_up = printing.give_up(counter, job.id, error)
    assert give_up.status == "failed" and give_up.last_error.text("zh_CN").startswith("网络打印机")


def test_the_queues_own_sentences_are_phrases_and_old_english_rows_still_read(
        counter, catalogue) -> None:
    factory.sale(counter, [("LATTE", 1)])
    factory.sale(counter, [("TEA", 1)])
    first, second = printing.claim(counter), printing.claim(counter)
    printing.recover(counter)
    interrupted = printing.view(first.id).last_error
    assert isinstance(interrupted, Phrase) and interrupted == printing.INTERRUPTED
    assert "reprint" in interrupted and "重新打印" in interrupted.text("zh_CN")
    printing.retry(counter, second.id)
    printing.claim(counter)
    printing.unconfirmed(counter, second.id, printing.INTERRUPTED)
    confirmed = printing.confirm_printed(counter, second.id).last_error
    assert isinstance(confirmed, Phrase) and confirmed == "confirmed by the cashier"
    assert confirmed.text("zh_CN") == "收银员已确认打印"
    # a row the previous version wrote: its English sentence, as it is
    for old in ("network printer 10.0.0.5:9100 refused the connection", '{"not": "ours"}',
                "{broken"):
        m.PrintJob.update(last_error=old).where(m.PrintJob.id == first.id).execute()
        read = printing.view(first.id).last_error
        assert read == old and not isinstance(read, Phrase)
