-- Payments: Xendit payment links for orders, the callbacks Xendit sends, fulfilment, and the
-- double-entry ledger of who is owed what.

-- Fulfilment and refunds on the order itself.
ALTER TABLE orders
    ADD COLUMN courier              text        NOT NULL DEFAULT '' CHECK (length(courier) <= 40),
    ADD COLUMN resi                 text        NOT NULL DEFAULT '' CHECK (length(resi) <= 60),
    ADD COLUMN cancelled_at         timestamptz,
    ADD COLUMN cancel_reason        text        NOT NULL DEFAULT '' CHECK (length(cancel_reason) <= 300),
    ADD COLUMN refund_ref           text        NOT NULL DEFAULT '' CHECK (length(refund_ref) <= 100),
    ADD COLUMN refunded_at          timestamptz,
    ADD COLUMN release_at           timestamptz, -- when the reseller's earnings become available
    ADD COLUMN earnings_released_at timestamptz;

CREATE INDEX orders_to_ship_idx ON orders (paid_at) WHERE status = 'paid';
CREATE INDEX orders_shipped_idx ON orders (shipped_at) WHERE status = 'shipped';

-- One Xendit invoice per order. The row exists before Xendit is asked ('creating', attempts
-- counted), so an attempt that may have created an invoice is looked up before another is made.
CREATE TABLE invoices (
    order_id   bigint      PRIMARY KEY REFERENCES orders (id),
    xendit_id  text        UNIQUE,
    url        text        NOT NULL DEFAULT '',
    amount     bigint      NOT NULL CHECK (amount > 0),
    status     text        NOT NULL DEFAULT 'creating' CHECK (status IN ('creating', 'pending', 'paid', 'expired')),
    attempts   integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    expires_at timestamptz NOT NULL,
    reminded   boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((xendit_id IS NULL) = (status = 'creating'))
);

CREATE INDEX invoices_open_idx ON invoices (updated_at) WHERE status IN ('creating', 'pending');

-- Every callback Xendit sends, as it came, for audit; outcome says what Lapak did with it.
CREATE TABLE xendit_callbacks (
    id          bigserial   PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('invoice', 'payout')),
    xendit_id   text        NOT NULL DEFAULT '',
    status      text        NOT NULL DEFAULT '',
    body        bytea       NOT NULL,
    outcome     text        NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX xendit_callbacks_xendit_idx ON xendit_callbacks (xendit_id);

-- What owners must look at: money that arrived where Lapak did not expect it. One alert per kind
-- and Xendit object, however often Xendit repeats itself.
CREATE TABLE payment_alerts (
    id         bigserial   PRIMARY KEY,
    kind       text        NOT NULL CHECK (kind IN ('unknown_invoice', 'amount_mismatch', 'paid_after_close', 'stock_short', 'payout_reversed')),
    order_id   bigint      REFERENCES orders (id),
    xendit_id  text        NOT NULL DEFAULT '',
    detail     text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, xendit_id)
);

-- The ledger. Amounts are whole rupiah; an entry's amount is positive when it credits the account
-- (Lapak owes its holder more) and negative when it debits it. The outside world's accounts,
-- xendit_clearing and payout_bank, mirror that: money coming in through Xendit debits clearing.
-- holder is the supplier of owner_revenue (0: the store itself, for shipping), the reseller of the
-- reseller_* accounts, and 0 for the rest.
CREATE TABLE ledger_accounts (
    id      bigserial PRIMARY KEY,
    kind    text      NOT NULL CHECK (kind IN ('xendit_clearing', 'owner_revenue', 'reseller_pending', 'reseller_available',
                                              'reseller_payout_in_transit', 'payout_bank', 'fees')),
    holder  bigint    NOT NULL DEFAULT 0 CHECK (holder >= 0),
    balance bigint    NOT NULL DEFAULT 0,
    UNIQUE (kind, holder),
    -- Pending earnings and money on its way to a bank never go below zero; available earnings may,
    -- through a clawback only (checked where it is posted), and then payouts wait.
    CHECK (kind NOT IN ('reseller_pending', 'reseller_payout_in_transit') OR balance >= 0)
);

CREATE TABLE ledger_transactions (
    id         bigserial   PRIMARY KEY,
    key        text        NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 200), -- the business fact, such as xendit:invoice:<id>:paid
    kind       text        NOT NULL CHECK (kind IN ('payment', 'release', 'refund', 'payout', 'payout_paid', 'payout_failed', 'payout_reversed')),
    order_id   bigint      REFERENCES orders (id),
    memo       text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ledger_transactions_order_idx ON ledger_transactions (order_id) WHERE order_id IS NOT NULL;

CREATE TABLE ledger_entries (
    id         bigserial PRIMARY KEY,
    txn_id     bigint    NOT NULL REFERENCES ledger_transactions (id),
    account_id bigint    NOT NULL REFERENCES ledger_accounts (id),
    amount     bigint    NOT NULL CHECK (amount <> 0),
    line       integer   CHECK (line >= 1), -- the order line a commission or revenue entry is for
    memo       text      NOT NULL DEFAULT ''
);

CREATE INDEX ledger_entries_txn_idx ON ledger_entries (txn_id);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, id);

-- Entries and transactions are never changed or removed; corrections are reversing transactions.
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- Every transaction has at least two entries and sums to zero, checked when the database
-- transaction that wrote it commits. An entry added to an older transaction is checked too.
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
    n     integer;
BEGIN
    SELECT coalesce(sum(amount), 0), count(*) INTO total, n FROM ledger_entries WHERE txn_id = NEW.txn_id;
    IF total <> 0 OR n < 2 THEN
        RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries summing to %', NEW.txn_id, n, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();
