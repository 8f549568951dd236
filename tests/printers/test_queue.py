"""The print worker against real connections: a file printer and a TCP printer on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from printers.layouts import Report, ReportSection
from printers.print_jobs import Printed, PrintJob, print_job
from printers.queue import PrintWorker
from terminal.core.config import Settings
from terminal.db import models as m
from terminal.db.database import DatabaseBusy
from terminal.loyalty.pricing import Tenders
from terminal.services import printing
from terminal.services.context import Context
from tests.helpers import factory
from tests.printers.escpos_decode import decode
from tests.printers.fake_printer import FakePrinter, closed_port

READY = {1: 0x16, 4: 0x12}  # DLE EOT answers: online, paper present (no 2 s status wait)


def _counter(ctx: Context, connection: str) -> Context:
    settings = dataclasses.replace(
        ctx.settings, printer=dataclasses.replace(ctx.settings.printer, connection=connection))
    return dataclasses.replace(ctx, settings=settings, print_receipts=True)


@pytest.fixture
def printer():
    fake = FakePrinter("ok", status=READY)
    yield fake
    fake.close()


def _status() -> list[tuple[str, int]]:
    return [(j.status, j.attempts) for j in m.PrintJob.select().order_by(m.PrintJob.created_at)]


def test_a_sale_prints_once_on_a_network_printer(ctx, catalogue, printer) -> None:
    counter = _counter(ctx, printer.connection)
    mb = factory.member(counter, "张伟")
    sale = factory.sale(counter, [("LATTE", 2)], member_id=mb.id, cash=10_000)
    seen: list[printing.JobView] = []
    worker = PrintWorker(counter.settings, counter, on_change=seen.append)
    assert worker.run_once() and not worker.run_once()
    assert _status() == [("done", 1)] and [v.status for v in seen] == ["done"]
    (job,) = printer.jobs
    text = "\n".join(decode(job).texts)
    assert sale.receipt_no in text and "张伟" in text and "拿铁" in text
    assert decode(job).drawer_kicks == 1 and decode(job).cuts == 1


def test_printer_off_then_back_prints_the_job_once_without_a_second_drawer_kick(
        ctx, catalogue, clock) -> None:
    counter = _counter(ctx, f"network:127.0.0.1:{closed_port()}")
    factory.sale(counter, [("LATTE", 1)], cash=5000)
    worker = PrintWorker(counter.settings, counter)
    assert worker.run_once()
    (left,) = printing.outstanding(counter)
    assert left.status == "pending" and left.last_error  # says the printer is unreachable
    fake = FakePrinter("ok", status=READY)
    try:
        back = dataclasses.replace(counter.settings, printer=dataclasses.replace(
            counter.settings.printer, connection=fake.connection))
        worker = PrintWorker(back, counter)
        assert not worker.run_once()  # not before its retry time
        clock.advance(seconds=printing.MAX_DELAY)
        assert worker.run_once()
        (job,) = fake.jobs
        assert decode(job).drawer_kicks == 0  # the sale is long over
        assert _status() == [("done", 2)]
    finally:
        fake.close()


def test_a_printer_that_drops_the_job_gets_it_again(ctx, catalogue, clock) -> None:
    fake = FakePrinter("drop", drop_after=40, status=READY)
    try:
        counter = _counter(ctx, fake.connection)
        factory.sale(counter, [("LATTE", 1)])
        worker = PrintWorker(counter.settings, counter)
        worker.run_once()
        assert _status() == [("pending", 1)]
        fake.mode = "ok"
        clock.advance(seconds=printing.MAX_DELAY)
        worker.run_once()
        assert _status() == [("done", 2)]
        assert len(fake.jobs) == 2 and len(fake.jobs[0]) < len(fake.jobs[1])
    finally:
        fake.close()


def test_a_job_that_cannot_print_fails_at_once_and_the_rest_go_on(ctx, catalogue,
                                                                   tmp_path: Path) -> None:
    counter = _counter(ctx, "bogus:thing")
    factory.sale(counter, [("LATTE", 1)])
    PrintWorker(counter.settings, counter).run_once()
    (failed,) = printing.outstanding(counter)
    assert failed.status == "failed" and "expected dummy, file:PATH" in failed.last_error
    out = tmp_path / "paper.bin"
    good = _counter(ctx, f"file:{out}")
    factory.sale(good, [("TEA", 1)])
    PrintWorker(good.settings, good).run_once()
    assert "绿茶".encode("gb18030") in out.read_bytes()


def test_worker_thread_prints_what_is_queued_and_survives_a_restart(ctx, catalogue,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "paper.bin"
    counter = _counter(ctx, f"file:{out}")
    factory.sale(counter, [("TEA", 1)])  # queued while no worker runs (the app was closed)
    claimed = printing.claim(counter)  # ... and one cut short by a crash
    assert claimed is not None
    factory.sale(counter, [("CAKE", 1)], tenders=Tenders(card=3200))
    done = threading.Event()
    worker = PrintWorker(counter.settings, counter, poll=0.05,
                         on_change=lambda view: done.set())
    worker.start()
    try:
        assert done.wait(10)
    finally:
        assert worker.stop()
    statuses = sorted(s for s, _ in _status())
    assert statuses == ["failed", "sent"]  # the interrupted one waits for a reprint
    assert "Cheesecake" in out.read_bytes().decode("gb18030", "replace")


def test_out_of_paper_sends_nothing_and_waits(ctx, catalogue) -> None:
    fake = FakePrinter("ok", status={1: 0x16, 4: 0x72})  # online, paper end
    try:
        counter = _counter(ctx, fake.connection)
        factory.sale(counter, [("LATTE", 1)])
        PrintWorker(counter.settings, counter).run_once()
        (left,) = printing.outstanding(counter)
        assert left.status == "pending" and "paper" in left.last_error
        assert fake.jobs == []  # no half receipt
    finally:
        fake.close()


def test_the_worker_outlives_a_busy_database(ctx, catalogue, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "paper.bin"
    counter = _counter(ctx, f"file:{out}")
    factory.sale(counter, [("TEA", 1)])
    real = printing.claim
    calls = {"n": 0}

    def busy_twice(c: Context) -> object:
        calls["n"] += 1
        if calls["n"] <= 2:
            raise DatabaseBusy("the database is busy: another terminal is writing")
        return real(c)

    monkeypatch.setattr(printing, "claim", busy_twice)
    done = threading.Event()
    worker = PrintWorker(counter.settings, counter, poll=0.02, on_change=lambda v: done.set())
    worker.start()
    try:
        assert done.wait(10)
    finally:
        assert worker.stop()
    assert "busy" in worker.last_error and _status() == [("sent", 1)]


def test_an_unreadable_queue_is_logged_and_told_once(ctx, catalogue, monkeypatch,
                                                     caplog) -> None:
    def broken(c: Context) -> object:
        raise RuntimeError("disk I/O error")

    told: list[Exception] = []
    polls = threading.Event()
    calls = {"n": 0}

    def counting(c: Context) -> object:
        calls["n"] += 1
        if calls["n"] >= 5:
            polls.set()
        return broken(c)

    monkeypatch.setattr(printing, "claim", counting)
    worker = PrintWorker(_counter(ctx, "dummy").settings, ctx, poll=0.01, on_error=told.append)
    with caplog.at_level("ERROR", logger="printers.queue"):
        worker.start()
        try:
            assert polls.wait(10)
        finally:
            assert worker.stop()
    assert [str(e) for e in told] == ["disk I/O error"]  # once, not at every poll
    (record,) = [r for r in caplog.records if r.name == "printers.queue"]
    assert record.exc_info and "disk I/O error" in str(record.exc_info[1])


def test_a_job_that_raises_is_logged_with_its_traceback(ctx, catalogue, caplog) -> None:
    counter = _counter(ctx, "dummy")
    factory.sale(counter, [("LATTE", 1)])

    def send(job: object, settings: object) -> None:
        raise KeyError("layout lost its font")

    with caplog.at_level("ERROR", logger="printers.queue"):
        PrintWorker(counter.settings, counter, send=send).run_once()
    (failed,) = printing.outstanding(counter)
    assert failed.status == "failed"
    (record,) = [r for r in caplog.records if r.name == "printers.queue"]
    assert record.exc_info and record.exc_info[0] is KeyError


def _quick(job: PrintJob, settings: Settings) -> Printed:
    """print_job with the waits of a test rather than of a shop."""
    return print_job(job, settings, timeout=0.5, status_timeout=0.5)


def _sell_and_print_once(ctx: Context, fake: FakePrinter) -> Context:
    """A sale at a counter printing to ``fake``, the worker's one try at its receipt; the
    printer closed afterwards. The counter's context."""
    try:
        counter = _counter(ctx, fake.connection)
        factory.sale(counter, [("LATTE", 1)])
        PrintWorker(counter.settings, counter, send=_quick).run_once()
    finally:
        fake.close()
    return counter


def _big_report(ctx: Context) -> None:
    """A job larger than a deaf printer's buffers (a long report)."""
    rows = tuple((f"member {i:05d}", f"{i * 37 % 10_000:>6}") for i in range(6000))
    printing.enqueue(ctx, "report", Report("Members", sections=(ReportSection("all", rows),)))


def test_a_printer_that_never_reads_leaves_the_job_pending(ctx, catalogue, clock) -> None:
    fake = FakePrinter("deaf", rcvbuf=4096)
    try:
        counter = _counter(ctx, fake.connection)
        _big_report(counter)
        seen: list[printing.JobView] = []
        assert PrintWorker(counter.settings, counter, send=_quick,
                           on_change=seen.append).run_once()
    finally:
        fake.close()
    assert _status() == [("pending", 1)]
    (view,) = seen
    assert view.status == "pending" and "took no data for 0.5 s" in view.last_error
    assert view.last_error.startswith(f"network printer 127.0.0.1:{fake.port}")


def test_a_small_job_a_deaf_printer_buffered_is_not_confirmed(ctx, catalogue) -> None:
    fake = FakePrinter("deaf", rcvbuf=1 << 20)  # the receipt fits in its buffer
    _sell_and_print_once(ctx, fake)
    assert _status() == [("unconfirmed", 1)]


def test_no_answer_to_dle_eot_is_shown_not_retried_and_the_cashier_decides(
        ctx, catalogue, clock) -> None:
    fake = FakePrinter("ok", status=None)  # reads everything, never answers DLE EOT
    try:
        counter = _counter(ctx, fake.connection)
        sale = factory.sale(counter, [("LATTE", 1)], cash=5000)
        seen: list[printing.JobView] = []
        worker = PrintWorker(counter.settings, counter, send=_quick, on_change=seen.append)
        assert worker.run_once()
        assert [v.status for v in seen] == ["unconfirmed"]
        (left,) = printing.outstanding(counter)
        assert left.status == "unconfirmed" and left.receipt_no == sale.receipt_no
        assert "did not answer" in left.last_error
        clock.advance(seconds=3600)
        assert not worker.run_once()  # never sent again on its own: it may be on paper
        assert len(fake.jobs) == 1 and decode(fake.jobs[0]).drawer_kicks == 1
        printing.retry(counter, left.id)  # the cashier saw no receipt come out
        assert worker.run_once()
        assert len(fake.jobs) == 2 and decode(fake.jobs[1]).drawer_kicks == 0
        assert "*** COPY ***" not in decode(fake.jobs[1]).texts  # the same receipt
        (again,) = printing.outstanding(counter)
        printing.confirm_printed(counter, again.id)  # ... and now it came out
        assert printing.outstanding(counter) == [] and _status() == [("done", 2)]
    finally:
        fake.close()


def test_a_printer_that_answers_dle_eot_is_done(ctx, catalogue) -> None:
    fake = FakePrinter("ok", status=READY)
    counter = _sell_and_print_once(ctx, fake)
    assert _status() == [("done", 1)] and fake.status_queries == 4  # before and after
    assert printing.last_finished(counter).status == "done"


def test_a_printer_without_status_is_sent_not_done(ctx, catalogue, tmp_path: Path) -> None:
    counter = _counter(ctx, f"file:{tmp_path / 'lp0'}")
    factory.sale(counter, [("LATTE", 1)])
    PrintWorker(counter.settings, counter).run_once()
    assert _status() == [("sent", 1)] and printing.outstanding(counter) == []
    assert printing.last_finished(counter).status == "sent"


def test_a_reset_half_way_leaves_the_job_pending_with_a_sentence(ctx, catalogue) -> None:
    fake = FakePrinter("drop", drop_after=200, status=READY)
    counter = _sell_and_print_once(ctx, fake)
    (left,) = printing.outstanding(counter)
    assert left.status == "pending" and "Errno" not in left.last_error
    assert "the printer reset the connection" in left.last_error
