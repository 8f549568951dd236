"""A cash-drawer shift's report as a document: the screen, the command line and the receipt
printer show the same."""

from __future__ import annotations

from ..services.shifts import ShiftReport
from .document import Document, Formatter, Section, signed
from .labels import label


def shift_document(rep: ShiftReport, language: str = "en") -> Document:
    f = Formatter(rep.currency)

    def L(key: str, **values: object) -> str:
        return label(key, language, **values)

    notes = [L("shift.opened", at=f.when(rep.opened_at), name=rep.staff_name or rep.staff_id)]
    if rep.closed_at is not None:
        notes.append(L("shift.closed", at=f.when(rep.closed_at),
                       name=rep.closed_by_name or rep.closed_by or ""))
    else:
        notes.append(L("shift.open"))
    rows = [(L("shift.float"), f.money(rep.opening_float)),
            (L("shift.cash_sales"), f.money(rep.cash_sales)),
            (L("shift.cash_refunds"), f.money(-rep.cash_refunds)),
            (L("shift.cash_top_ups"), f.money(rep.cash_top_ups)),
            (L("shift.cash_outs"), f.money(-rep.cash_outs))]
    if rep.cash_other:
        rows.append((L("shift.cash_other"), f.money(rep.cash_other)))
    rows.append((L("shift.expected"), f.money(rep.expected)))
    if rep.counted is not None:
        rows += [(L("shift.counted"), f.money(rep.counted)),
                 (L("shift.over_short"), signed(f, rep.over_short))]
    return Document(L("eod.shift_title"),
                    f"{L('eod.terminal', terminal=rep.terminal_id)} · "
                    f"{L('eod.cashier', name=rep.staff_name or rep.staff_id)}",
                    "", None, tuple(notes),
                    (Section(L("sec.shift_cash"), tuple(rows)),
                     Section("", ((L("shift.sales"), f.count(rep.sales)),))))
