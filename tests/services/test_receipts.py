"""Finding a terminal's latest transaction for reprints."""

from __future__ import annotations

import pytest

from terminal.core.errors import NotFound
from terminal.services import receipts
from tests.helpers import factory


def test_latest_txn_id_follows_this_terminals_sequence(ctx, catalogue) -> None:
    with pytest.raises(NotFound, match="no transactions"):
        receipts.latest_txn_id(ctx)
    first = factory.sale(ctx, [("LATTE", 1)])
    second = factory.sale(ctx, [("TEA", 2)])
    assert receipts.latest_txn_id(ctx) == second.txn_id != first.txn_id
    assert receipts.receipt_for(ctx, receipts.latest_txn_id(ctx)).receipt_no == second.receipt_no
    with pytest.raises(NotFound):
        receipts.latest_txn_id(ctx, terminal_id="T99")
