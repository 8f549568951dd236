"""Tables. Money in integer minor units; times are the store's naive local wall-clock time.

Every row a terminal creates (transactions, ledger rows, coupons, members) has a UUIDv7 id
and the store and terminal that made it, so the terminals of a chain can share one
PostgreSQL database without collisions. Balances on ``Member`` and ``PunchCard`` are caches
of their ledgers; ``check`` proves they agree.
"""

from __future__ import annotations

import uuid
from datetime import date

import peewee as pw
import uuid6

from ..core.i18n import ChineseNamed
from .database import is_sqlite, proxy


def new_id() -> uuid.UUID:
    return uuid.UUID(int=uuid6.uuid7().int)


class BaseModel(pw.Model):
    class Meta:
        database = proxy
        legacy_table_names = False


class Entity(BaseModel):
    id = pw.UUIDField(primary_key=True, default=new_id)


class Origin(Entity):
    """A row made at a counter: when, where and by whom."""

    created_at = pw.DateTimeField(index=True)
    store_id = pw.CharField(max_length=32)
    terminal_id = pw.CharField(max_length=32)
    staff_id = pw.CharField(max_length=64, null=True)


class Meta(BaseModel):
    """Installation facts: its id and the secret that signs member codes."""

    key = pw.CharField(primary_key=True, max_length=64)
    value = pw.TextField()


class SchemaMigration(BaseModel):
    version = pw.IntegerField(primary_key=True)
    name = pw.CharField(max_length=200)
    applied_at = pw.DateTimeField()


class ImportBatch(Origin):
    """One run of ``import members`` (services.import_batches). Its members are written in
    short transactions, so the counter never waits long for the write lock, and stay
    hidden while it is ``writing``: one update to ``done`` shows them all at once. A batch
    that fails, or whose heartbeat stops (the import was killed), is removed whole."""

    source = pw.CharField(max_length=200)  # the file's name
    state = pw.CharField(max_length=16)  # writing | done | failed
    rows = pw.IntegerField()  # members the file holds
    heartbeat_at = pw.DateTimeField()  # the last chunk written (a killed import stops it)
    finished_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "import_batch"


class Member(Origin):
    card_no = pw.CharField(max_length=16, unique=True)
    name = pw.CharField(max_length=100)
    name_key = pw.CharField(max_length=100, index=True)  # casefolded, for prefix search
    phone = pw.CharField(max_length=20, null=True, unique=True)  # E.164
    birthday = pw.DateField(null=True)
    marketing_consent = pw.BooleanField(default=False)
    referral_code = pw.CharField(max_length=16, unique=True)
    referred_by = pw.ForeignKeyField("self", null=True, backref="referrals",
                                     on_delete="RESTRICT")
    tier = pw.CharField(max_length=32)
    tier_since = pw.DateTimeField()
    points_balance = pw.BigIntegerField(default=0)
    sv_paid_balance = pw.BigIntegerField(default=0)
    sv_bonus_balance = pw.BigIntegerField(default=0)
    last_visit_at = pw.DateTimeField(null=True, index=True)  # the member list's filter
    erased_at = pw.DateTimeField(null=True)
    note = pw.TextField(default="")
    # merged into another record of the same person (services.member_care): its ledgers,
    # coupons and sales are there now, and its card names that member's
    merged_into = pw.ForeignKeyField("self", null=True, backref="merged",
                                     on_delete="RESTRICT")
    # written by an import still under way (hidden until the batch is done); emptied once
    # it is, so nearly every member has none. Its partial index: migrations
    import_batch = pw.ForeignKeyField(ImportBatch, null=True, index=False,
                                      on_delete="RESTRICT")
    # the member's own page: a link signed with this number (services.member_links);
    # raising it revokes every link made before
    link_version = pw.IntegerField(default=0, constraints=[pw.SQL("DEFAULT 0")])
    # where the messages the member agreed to go by e-mail (services.messages); the phone
    # takes them by SMS. Not unique: a family may share one address
    email = pw.CharField(max_length=254, null=True)

    @property
    def stored_value_balance(self) -> int:
        return int(self.sv_paid_balance) + int(self.sv_bonus_balance)

    @classmethod
    def live(cls) -> pw.Expression:
        """The members still in use: not erased, not merged into another record, and not
        in an import still under way. On SQLite the two columns are written ``+column``
        (SQLite's way of saying "not through an index"): with no statistics its planner
        takes ``merged_into_id IS NULL`` for a selective look-up in the merged-into index,
        where nearly every member is NULL, over the index the query should use (a name
        prefix search at a million members: 167 ms instead of 1 ms)."""
        erased, merged = cls.erased_at, cls.merged_into
        if is_sqlite():
            erased, merged = (pw.NodeList((pw.SQL("+"), c), glue="") for c in (erased, merged))
        return erased.is_null() & merged.is_null() & cls.shown()

    @classmethod
    def shown(cls) -> pw.Expression:
        """Not written by an import still under way (or one that failed)."""
        return cls.import_batch.is_null() | cls.import_batch.in_(
            ImportBatch.select(ImportBatch.id).where(ImportBatch.state == "done"))

    @classmethod
    def birthday_key(cls) -> pw.Node:
        """The birthday's month and day, the expression the index ``member_birthdays`` is
        built on (migrations): SQLite keeps a date as ``YYYY-MM-DD`` text, PostgreSQL
        ``EXTRACT`` (immutable, where ``to_char`` is not) makes it ``month * 100 + day``."""
        if is_sqlite():
            return pw.fn.substr(cls.birthday, pw.SQL("6"), pw.SQL("5"))  # literals, as indexed
        return pw.SQL("(EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday))")

    @staticmethod
    def birthday_key_of(day: date) -> object:
        """The value ``birthday_key`` has for a birthday on ``day``'s month and day."""
        return day.strftime("%m-%d") if is_sqlite() else day.month * 100 + day.day


class Product(ChineseNamed, BaseModel):
    """A catalogue item. Never deleted once a sale names it (``services.catalogue``):
    deactivated instead. Its barcodes are ``ProductBarcode`` rows."""

    sku = pw.CharField(primary_key=True, max_length=64)
    name = pw.CharField(max_length=200)  # English; the one shown where no other is given
    category = pw.CharField(max_length=64, default="", index=True)
    brand = pw.CharField(max_length=64, default="")
    price = pw.BigIntegerField()
    discountable = pw.BooleanField(default=True)
    punch_visits = pw.IntegerField(null=True)  # a punch card worth this many visits
    punch_valid_days = pw.IntegerField(null=True)
    active = pw.BooleanField(default=True)
    # after the others: the order the migration adds them to an older table in
    name_zh_cn = pw.CharField(max_length=200, default="", constraints=[pw.SQL("DEFAULT ''")])
    member_price = pw.BigIntegerField(null=True)  # 会员价: a member's unit price, if lower


class ProductBarcode(BaseModel):
    """One of a product's barcodes; a barcode names one product only (the primary key)."""

    code = pw.CharField(primary_key=True, max_length=32)
    product = pw.ForeignKeyField(Product, backref="barcodes", on_delete="CASCADE",
                                 on_update="CASCADE")

    class Meta:
        table_name = "product_barcode"


class Txn(Origin):
    """One counter transaction: sale, refund, void, top-up, cash-out, visit or adjustment.

    Amounts are signed from the shop's point of view: a refund has a negative total and
    negative tenders. ``seq`` numbers a terminal's receipts.
    """

    KINDS = ("sale", "refund", "void", "topup", "topup_reversal", "cash_out", "visit",
             "adjust")

    idempotency_key = pw.CharField(max_length=100, unique=True)
    kind = pw.CharField(max_length=16, index=True)
    status = pw.CharField(max_length=16, default="completed")  # completed | voided
    seq = pw.IntegerField()
    business_date = pw.DateField(index=True)
    member = pw.ForeignKeyField(Member, null=True, backref="txns", on_delete="RESTRICT")
    original = pw.ForeignKeyField("self", null=True, backref="reversals", on_delete="RESTRICT")
    approved_by = pw.CharField(max_length=64, null=True)
    tier = pw.CharField(max_length=32, null=True)
    subtotal = pw.BigIntegerField(default=0)
    line_discount = pw.BigIntegerField(default=0)
    tier_discount = pw.BigIntegerField(default=0)
    coupon_discount = pw.BigIntegerField(default=0)
    points_discount = pw.BigIntegerField(default=0)
    total = pw.BigIntegerField(default=0)
    points_redeemed = pw.BigIntegerField(default=0)
    points_earned = pw.BigIntegerField(default=0)
    stored_value = pw.BigIntegerField(default=0)  # tender
    cash = pw.BigIntegerField(default=0)  # kept, after change
    card = pw.BigIntegerField(default=0)
    other = pw.BigIntegerField(default=0)
    change = pw.BigIntegerField(default=0)
    sv_bonus = pw.BigIntegerField(default=0)  # top-up bonus given
    coupon_code = pw.CharField(max_length=32, null=True)
    note = pw.TextField(default="")
    # the cash drawer's shift open at this terminal when it was written (None: no shift open);
    # last, where a migrated table gains it
    shift_id = pw.UUIDField(null=True, index=True)

    class Meta:
        table_name = "txn"
        indexes = (
            (("terminal_id", "seq"), True),
            # the member's history and, covering, each member's year for the overview
            (("member", "created_at", "kind", "total"), False),
        )

    @property
    def receipt_no(self) -> str:
        return f"{self.terminal_id}-{self.seq:06d}"


class TxnLine(Entity):
    txn = pw.ForeignKeyField(Txn, backref="lines", on_delete="CASCADE")
    line_no = pw.IntegerField()
    sku = pw.CharField(max_length=64, null=True)
    name = pw.CharField(max_length=200)
    category = pw.CharField(max_length=64, default="")
    brand = pw.CharField(max_length=64, default="")
    qty = pw.IntegerField()  # negative on refunds
    unit_price = pw.BigIntegerField()
    line_discount = pw.BigIntegerField(default=0)
    tier_discount = pw.BigIntegerField(default=0)
    coupon_discount = pw.BigIntegerField(default=0)
    points_discount = pw.BigIntegerField(default=0)
    net = pw.BigIntegerField()  # what the line cost after every discount
    points_earned = pw.BigIntegerField(default=0)
    original_line = pw.ForeignKeyField("self", null=True, backref="returns",
                                       on_delete="RESTRICT")
    # the catalogue's unit price when the member price (unit_price here) was lower: the
    # member's saving on the receipt; null otherwise
    list_price = pw.BigIntegerField(null=True)


class CouponTemplate(ChineseNamed, BaseModel):
    code = pw.CharField(primary_key=True, max_length=32)
    name = pw.CharField(max_length=100)  # English; the one shown where no other is given
    # DEFAULT in the table too: the migration adds the column so to an older database
    name_zh_cn = pw.CharField(max_length=100, default="", constraints=[pw.SQL("DEFAULT ''")])
    kind = pw.CharField(max_length=16)  # amount | percent | free_item
    amount = pw.BigIntegerField(default=0)
    percent = pw.DecimalField(max_digits=5, decimal_places=2, default=0)
    sku = pw.CharField(max_length=64, null=True)
    min_spend = pw.BigIntegerField(default=0)
    categories = pw.TextField(default="")  # comma-separated; empty: any
    brands = pw.TextField(default="")
    valid_days = pw.IntegerField(default=30)
    # given by a rule: welcome (enrolment), next_visit (a sale of auto_min_spend or more),
    # cross_sell (bought the category or brand auto_category, in this sale or the last
    # auto_days days), birthday (scanned in their birthday week), win_back (scanned after
    # auto_days or more away)
    auto_rule = pw.CharField(max_length=16, null=True)
    auto_min_spend = pw.BigIntegerField(default=0)
    auto_category = pw.CharField(max_length=64, null=True)
    auto_days = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)


class Coupon(Origin):
    code = pw.CharField(max_length=32, unique=True)
    template = pw.ForeignKeyField(CouponTemplate, backref="coupons", on_delete="RESTRICT")
    member = pw.ForeignKeyField(Member, null=True, backref="coupons", on_delete="RESTRICT")
    # no index on status alone: three values over millions of rows, and without ANALYZE
    # SQLite would prefer it to the member index (2 s member panel on the 1M demo)
    status = pw.CharField(max_length=16, default="issued")
    valid_from = pw.DateTimeField()
    valid_until = pw.DateTimeField(index=True)
    issued_txn = pw.ForeignKeyField(Txn, null=True, backref="coupons_issued",
                                    on_delete="RESTRICT")
    redeemed_txn = pw.ForeignKeyField(Txn, null=True, backref="coupons_redeemed",
                                      on_delete="RESTRICT")
    redeemed_at = pw.DateTimeField(null=True)
    campaign = pw.CharField(max_length=64, null=True, index=True)


class PointsEntry(Origin):
    """Points ledger. Positive rows that open a batch carry ``expires_at`` and ``remaining``."""

    KINDS = ("earn", "redeem", "expire", "adjust", "refund_earn", "refund_redeem",
             "referral", "welcome", "import", "erase")

    member = pw.ForeignKeyField(Member, backref="points_entries", on_delete="RESTRICT")
    kind = pw.CharField(max_length=16)
    delta = pw.BigIntegerField()
    remaining = pw.BigIntegerField(default=0)
    expires_at = pw.DateTimeField(null=True)
    txn = pw.ForeignKeyField(Txn, null=True, backref="points_entries", on_delete="RESTRICT")
    reverses = pw.ForeignKeyField("self", null=True, backref="reversals", on_delete="RESTRICT")
    reason = pw.TextField(default="")

    class Meta:
        indexes = ((("member", "expires_at"), False),)


class PointsUse(BaseModel):
    """Which batch a debit took its points from, so a reversal puts them back exactly."""

    entry = pw.ForeignKeyField(PointsEntry, backref="uses", on_delete="CASCADE")
    batch = pw.ForeignKeyField(PointsEntry, backref="used_by", on_delete="RESTRICT")
    points = pw.BigIntegerField()


class StoredValueEntry(Origin):
    KINDS = ("topup", "spend", "refund", "topup_reversal", "cash_out", "adjust", "import")

    member = pw.ForeignKeyField(Member, backref="sv_entries", on_delete="RESTRICT")
    kind = pw.CharField(max_length=16)
    delta_paid = pw.BigIntegerField()
    delta_bonus = pw.BigIntegerField()
    txn = pw.ForeignKeyField(Txn, null=True, backref="sv_entries", on_delete="RESTRICT")
    reason = pw.TextField(default="")


class PunchCard(Origin):
    member = pw.ForeignKeyField(Member, backref="punch_cards", on_delete="RESTRICT")
    sku = pw.CharField(max_length=64)
    name = pw.CharField(max_length=200)
    visits_total = pw.IntegerField()
    visits_left = pw.IntegerField()
    expires_at = pw.DateTimeField(null=True)
    status = pw.CharField(max_length=16, default="active")
    txn_line = pw.ForeignKeyField(TxnLine, null=True, backref="punch_cards",
                                  on_delete="RESTRICT")


class PunchEntry(Origin):
    KINDS = ("sell", "use", "refund_use", "cancel", "adjust", "import")

    card = pw.ForeignKeyField(PunchCard, backref="entries", on_delete="RESTRICT")
    member = pw.ForeignKeyField(Member, backref="punch_entries", on_delete="RESTRICT")
    kind = pw.CharField(max_length=16)
    delta = pw.IntegerField()
    txn = pw.ForeignKeyField(Txn, null=True, backref="punch_entries", on_delete="RESTRICT")
    reason = pw.TextField(default="")


class Staff(Entity):
    """Someone who works the counter. The PIN is kept only as an argon2 hash."""

    ROLES = ("cashier", "manager", "owner")

    name = pw.CharField(max_length=100)
    role = pw.CharField(max_length=16)
    pin_hash = pw.CharField(max_length=200)
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField()


class PinAttempt(BaseModel):
    """Wrong PINs counted against one staff account (``scope`` "staff", ``key`` its id,
    whichever terminal they were typed at) or one terminal ("terminal", "store/terminal"),
    and until when it refuses more (the policy: services/staff.py)."""

    SCOPES = ("staff", "terminal")

    scope = pw.CharField(max_length=16)
    key = pw.CharField(max_length=80)
    failures = pw.IntegerField(default=0)
    locked_until = pw.DateTimeField(null=True)
    # an account: its last wrong PIN; a terminal: when its bucket last lost one
    changed_at = pw.DateTimeField(null=True)

    class Meta:
        primary_key = pw.CompositeKey("scope", "key")


class TerminalCounter(BaseModel):
    """The last receipt number a terminal gave. Taken and moved in the sale's own
    transaction (UPDATE ... RETURNING), so two processes with the same terminal id, the
    counter and a shell command, wait for each other instead of taking the same number."""

    terminal_id = pw.CharField(primary_key=True, max_length=32)
    last_seq = pw.IntegerField()

    class Meta:
        table_name = "terminal_counter"


class Shift(Entity):
    """A cashier's turn at one terminal's cash drawer: opened with the float counted, closed
    by counting the drawer. The transactions written meanwhile carry its id; at closing its
    cash figures are kept here and never recomputed. One open shift per terminal."""

    store_id = pw.CharField(max_length=32)
    terminal_id = pw.CharField(max_length=32)
    staff_id = pw.CharField(max_length=64)  # who opened it
    opened_at = pw.DateTimeField(index=True)
    opening_float = pw.BigIntegerField()
    closed_at = pw.DateTimeField(null=True)
    closed_by = pw.CharField(max_length=64, null=True)
    counted = pw.BigIntegerField(null=True)
    expected = pw.BigIntegerField(null=True)
    cash_sales = pw.BigIntegerField(default=0)
    cash_refunds = pw.BigIntegerField(default=0)  # a positive amount: refunds, voids, reversals
    cash_top_ups = pw.BigIntegerField(default=0)
    cash_outs = pw.BigIntegerField(default=0)  # a positive amount
    cash_other = pw.BigIntegerField(default=0)  # signed: kinds of transaction added later
    sales = pw.IntegerField(default=0)

    class Meta:
        table_name = "shift"


# a second open shift at one terminal is refused by the database too
Shift.add_index(Shift.index(Shift.terminal_id, unique=True, where=Shift.closed_at.is_null(),
                            name="shift_one_open_per_terminal"))


class PrintJob(Origin):
    """A document waiting for, or sent to, the printer of the terminal that made it.

    ``payload`` is the document's data as JSON, taken when the job was made: a receipt
    prints what the sale was, even if the printer comes back an hour later.
    """

    # done: the printer confirmed it (DLE EOT) or the cashier did; sent: the printer took it
    # and gives no confirmation; unconfirmed: it took it and did not answer (for the
    # cashier to check; terminal/services/printing.py says why it is not retried alone).
    STATUSES = ("pending", "printing", "done", "sent", "unconfirmed", "failed")

    kind = pw.CharField(max_length=16)
    txn = pw.ForeignKeyField(Txn, null=True, backref="print_jobs", on_delete="RESTRICT")
    copy = pw.BooleanField(default=False)
    payload = pw.TextField()
    status = pw.CharField(max_length=16, default="pending")
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField()
    last_error = pw.TextField(default="")
    printed_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "print_job"
        indexes = ((("terminal_id", "status", "next_attempt_at"), False),)


class DayClose(Entity):
    """A closed business day: its figures as they stood at closing, never recomputed."""

    store_id = pw.CharField(max_length=32)
    business_date = pw.DateField()
    closed_at = pw.DateTimeField()
    closed_by = pw.CharField(max_length=64)
    terminal_id = pw.CharField(max_length=32)  # where it was closed
    figures = pw.TextField()  # JSON of the end-of-day report
    audit_head = pw.TextField(default="")  # JSON: the audit log's head once it was closed

    class Meta:
        table_name = "day_close"
        indexes = ((("store_id", "business_date"), True),)


class AuditEntry(BaseModel):
    """One sensitive action. Append-only: each row carries the hash of the one before and
    is signed with a key kept outside the database, so an edited, forged or deleted row
    breaks the chain that ``check`` verifies (``services.audit``)."""

    seq = pw.AutoField()
    created_at = pw.DateTimeField()
    store_id = pw.CharField(max_length=32)
    terminal_id = pw.CharField(max_length=32)
    staff_id = pw.CharField(max_length=64, null=True)
    approved_by = pw.CharField(max_length=64, null=True)
    action = pw.CharField(max_length=64, index=True)
    subject = pw.CharField(max_length=100, default="")  # e.g. the member or sale it concerns
    before = pw.TextField(default="")  # JSON
    after = pw.TextField(default="")  # JSON
    reason = pw.TextField(default="")
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64, unique=True)
    txn_id = pw.UUIDField(null=True)  # the transaction the action wrote, if any
    money_hash = pw.CharField(max_length=64, null=True)  # SHA-256 of that transaction's money

    class Meta:
        table_name = "audit_entry"


class Campaign(Origin):
    """Coupons for a segment of members, with a random hold-out group that gets nothing, so
    the shop sees what the campaign changed, not only how many coupons came back."""

    name = pw.CharField(max_length=100)
    segment = pw.CharField(max_length=32)
    template = pw.ForeignKeyField(CouponTemplate, backref="campaigns", on_delete="RESTRICT")
    message = pw.TextField(default="")
    control_percent = pw.IntegerField(default=10)
    approved_by = pw.CharField(max_length=64, null=True)


class CampaignMember(BaseModel):
    campaign = pw.ForeignKeyField(Campaign, backref="members", on_delete="CASCADE")
    member = pw.ForeignKeyField(Member, backref="campaigns", on_delete="RESTRICT")
    control = pw.BooleanField()  # held out: no coupon
    coupon = pw.ForeignKeyField(Coupon, null=True, on_delete="RESTRICT")
    shown_txn = pw.ForeignKeyField(Txn, null=True, on_delete="RESTRICT")  # printed on

    class Meta:
        table_name = "campaign_member"
        indexes = ((("campaign", "member"), True), (("member", "shown_txn"), False))


class RetiredCard(BaseModel):
    """A card number no longer in use (the card was lost and replaced): scanning it names
    the card its member holds now (services.member_care)."""

    card_no = pw.CharField(primary_key=True, max_length=16)
    member = pw.ForeignKeyField(Member, backref="retired_cards", on_delete="RESTRICT")
    retired_at = pw.DateTimeField()
    staff_id = pw.CharField(max_length=64, null=True)

    class Meta:
        table_name = "retired_card"


class ProgrammeVersion(BaseModel):
    """One version of the programme's rules, whole (services.programme). The rules in force
    at a time are the version with the latest ``effective_from`` not after it (the higher
    ``version`` of two from the same moment). Append-only: a correction is a new version;
    PostgreSQL and SQLite refuse UPDATE and DELETE (migrations.PROGRAMME_APPEND_ONLY_SQL)."""

    version = pw.AutoField()
    effective_from = pw.DateTimeField(index=True)
    # JSON: {"schema": 1, "currency": ..., "rules": the settings file's sections}
    rules = pw.TextField()
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=64)
    approved_by = pw.CharField(max_length=64, null=True)
    store_id = pw.CharField(max_length=32)
    terminal_id = pw.CharField(max_length=32)
    reason = pw.TextField()

    class Meta:
        table_name = "programme_version"


class AnalyticsSnapshot(BaseModel):
    """A report too slow to compute while the manager waits, kept with when it was computed
    (services.analytics: the Members tab's overview). A dated answer, not a running total:
    the screen says its time, and computing it again replaces it."""

    name = pw.CharField(primary_key=True, max_length=32)
    computed_at = pw.DateTimeField()
    seconds = pw.FloatField()  # how long the computation took
    body = pw.TextField()  # the report as JSON (services.printing.encode)

    class Meta:
        table_name = "analytics_snapshot"


class TxnDay(BaseModel):
    """Transactions per business day, store, terminal and kind: a running total the
    database keeps with triggers (db/summaries.py); ``check`` adds it up again."""

    business_date = pw.DateField()
    store_id = pw.CharField(max_length=32)
    terminal_id = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=16)
    txns = pw.BigIntegerField(default=0)
    total = pw.BigIntegerField(default=0)
    tier_discount = pw.BigIntegerField(default=0)
    coupon_discount = pw.BigIntegerField(default=0)
    points_discount = pw.BigIntegerField(default=0)
    sv_bonus = pw.BigIntegerField(default=0)

    class Meta:
        table_name = "txn_day"
        primary_key = pw.CompositeKey("business_date", "store_id", "terminal_id", "kind")


class PointsDay(BaseModel):
    """Points entries per day, terminal and kind, kept as ``TxnDay`` is."""

    day = pw.DateField()
    terminal_id = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=16)
    entries = pw.BigIntegerField(default=0)
    delta = pw.BigIntegerField(default=0)

    class Meta:
        table_name = "points_day"
        primary_key = pw.CompositeKey("day", "terminal_id", "kind")


class PointsUseDay(BaseModel):
    """Points debits took from batches, per the debit's day, the day the batch expires and
    the debit's terminal and kind, kept as ``TxnDay`` is."""

    day = pw.DateField()  # the debit's
    expiry_day = pw.DateField()
    terminal_id = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=16)
    uses = pw.BigIntegerField(default=0)
    points = pw.BigIntegerField(default=0)

    class Meta:
        table_name = "points_use_day"
        primary_key = pw.CompositeKey("day", "expiry_day", "terminal_id", "kind")


class PendingJoin(Entity):
    """Someone who filled in the join form on their phone (services.joins): not a member
    until a cashier confirms them at the counter (being there proves the person is real).
    Nothing here is unique: a pending join never holds a phone number against anyone, and
    one not confirmed within a day is dropped."""

    created_at = pw.DateTimeField(index=True)
    token_hash = pw.CharField(max_length=64, unique=True)  # SHA-256 of the phone's token
    name = pw.CharField(max_length=100)
    phone = pw.CharField(max_length=20, index=True)  # E.164
    birthday = pw.DateField(null=True)
    marketing_consent = pw.BooleanField(default=False)
    referral_code = pw.CharField(max_length=16, null=True)
    client = pw.CharField(max_length=64)  # the address it came from (a flood's limit)
    state = pw.CharField(max_length=16)  # pending | confirmed
    member = pw.ForeignKeyField(Member, null=True, on_delete="CASCADE")
    confirmed_at = pw.DateTimeField(null=True)
    # with an SMS gateway: the code sent to the phone (its HMAC), when, and wrong tries
    code_hash = pw.CharField(max_length=64, null=True)
    code_sent_at = pw.DateTimeField(null=True)
    code_tries = pw.IntegerField(default=0)

    class Meta:
        table_name = "pending_join"


class Message(Origin):
    """One message to a member who agreed to them (services.messages): the outbox row and
    what became of it. ``dedupe_key`` names what it is about (the kind, the member and the
    thing: a campaign, a year's birthday, a day points expire), so a producer run twice
    queues it once. ``claim`` is the drain job's token while it sends: only that job may
    write the outcome. A message whose fate is unknown (the job stopped mid-send) is never
    sent again on its own: a person says whether it arrived."""

    STATES = ("queued", "sending", "sent", "failed", "unknown", "cancelled")
    CHANNELS = ("email", "sms")
    KINDS = ("points_expiring", "birthday", "campaign", "tier_change")

    member = pw.ForeignKeyField(Member, backref="messages", on_delete="RESTRICT")
    channel = pw.CharField(max_length=8)
    kind = pw.CharField(max_length=16)
    campaign = pw.ForeignKeyField(Campaign, null=True, backref="messages",
                                  on_delete="RESTRICT")
    dedupe_key = pw.CharField(max_length=200, unique=True)
    subject = pw.CharField(max_length=200)
    body = pw.TextField()
    state = pw.CharField(max_length=16, default="queued")
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField()
    last_error = pw.TextField(default="")
    address = pw.CharField(max_length=254, default="")  # where it was sent (at the claim)
    claim = pw.CharField(max_length=64, null=True)
    claimed_at = pw.DateTimeField(null=True)  # the last claim: the daily limit's day
    lease_until = pw.DateTimeField(null=True)  # a claim older than this was interrupted
    sent_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "message"
        indexes = ((("state", "next_attempt_at"), False),
                   (("member", "claimed_at"), False))


class MessageAttempt(BaseModel):
    """One try at sending a message: when, by which job, and what the server said."""

    id = pw.AutoField()
    message = pw.ForeignKeyField(Message, backref="attempt_rows", on_delete="CASCADE")
    number = pw.IntegerField()
    started_at = pw.DateTimeField()
    finished_at = pw.DateTimeField(null=True)
    # sending (still, or the job stopped), sent, retry, failed, unknown, cancelled
    outcome = pw.CharField(max_length=16)
    detail = pw.TextField(default="")
    worker = pw.CharField(max_length=100, default="")  # host and process of the drain job

    class Meta:
        table_name = "message_attempt"


ALL_MODELS: list[type[BaseModel]] = [
    Meta, SchemaMigration, ImportBatch, Member, Product, ProductBarcode, Txn, TxnLine,
    CouponTemplate, Coupon, PointsEntry, PointsUse, StoredValueEntry, PunchCard, PunchEntry,
    Staff, PinAttempt, PrintJob, DayClose, AuditEntry, Campaign, CampaignMember,
    TerminalCounter, RetiredCard, Shift, ProgrammeVersion, AnalyticsSnapshot, TxnDay,
    PointsDay, PointsUseDay, PendingJoin, Message, MessageAttempt,
]
