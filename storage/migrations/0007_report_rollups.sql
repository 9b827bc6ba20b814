-- Rollups of the whole store's sales, one set per closed day of each zone, so that a month's
-- report adds up thirty days instead of reading a hundred thousand order lines again.
--
-- Every figure here is keyed by the moment its event happened, and those moments are written when
-- the event happens, so a day that has been over for a while does not change. The one exception
-- is a payment whose callback arrives late with the time the customer paid: the trigger below
-- drops the rollups of any day a late change lands in, and reports read such a day from the
-- orders until the job makes its rollups again. A day's rollups are made only once the day has
-- been over for six hours (storage.RollupGrace); the trigger looks at changes older than five, so
-- an event recorded in a transaction started before the rollups were made is caught too, unless
-- that transaction ran for over an hour.

-- One row per zone and day: the day is rolled up. The figures follow the report's definitions:
-- paid, sales and accrued by the time the order was paid; expired and cancelled (unpaid) by the
-- time it closed; refunds by the time of the refund; released earnings by the time of release;
-- owed, by how much what resellers are owed (pending, available and in transit) changed in the
-- ledger's transactions of the day.
CREATE TABLE report_days (
    zone      text        NOT NULL CHECK (zone IN ('WIB', 'WITA', 'WIT')),
    day       date        NOT NULL,
    paid      integer     NOT NULL,
    sales     bigint      NOT NULL,
    accrued   bigint      NOT NULL,
    expired   integer     NOT NULL,
    cancelled integer     NOT NULL,
    refunded  integer     NOT NULL,
    refunds   bigint      NOT NULL,
    reversed  bigint      NOT NULL,
    released  bigint      NOT NULL,
    owed      bigint      NOT NULL,
    made_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (zone, day)
);

-- Each reseller's sales on the orders paid in the day.
CREATE TABLE report_day_resellers (
    zone        text    NOT NULL,
    day         date    NOT NULL,
    reseller_id bigint  NOT NULL,
    paid        integer NOT NULL,
    sales       bigint  NOT NULL,
    earning     bigint  NOT NULL,
    PRIMARY KEY (zone, day, reseller_id) INCLUDE (paid, sales, earning),
    FOREIGN KEY (zone, day) REFERENCES report_days ON DELETE CASCADE
);

-- Each product's sales on the orders paid in the day.
CREATE TABLE report_day_products (
    zone       text   NOT NULL,
    day        date   NOT NULL,
    product_id bigint NOT NULL,
    qty        bigint NOT NULL,
    sales      bigint NOT NULL,
    PRIMARY KEY (zone, day, product_id) INCLUDE (qty, sales),
    FOREIGN KEY (zone, day) REFERENCES report_days ON DELETE CASCADE
);

-- The zones' days a moment falls on; Indonesia keeps no summer time.
CREATE FUNCTION report_zone_days(t timestamptz) RETURNS TABLE (zone text, day date) LANGUAGE sql STABLE AS $$
    VALUES ('WIB', (t AT TIME ZONE 'Asia/Jakarta')::date), ('WITA', (t AT TIME ZONE 'Asia/Makassar')::date),
        ('WIT', (t AT TIME ZONE 'Asia/Jayapura')::date)
$$;

-- Drops the rollups of the days an order's change lands in, when the change is more than five
-- hours old: a payment recorded late, or an expired order paid after all. It waits for a job
-- making rollups (which locks report_days) and then drops what the job made.
CREATE FUNCTION report_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed timestamptz[] := '{}';
BEGIN
    IF NEW.paid_at IS DISTINCT FROM OLD.paid_at THEN
        changed := changed || OLD.paid_at || NEW.paid_at;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status OR NEW.paid_at IS DISTINCT FROM OLD.paid_at
        OR coalesce(NEW.cancelled_at, NEW.released_at) IS DISTINCT FROM coalesce(OLD.cancelled_at, OLD.released_at) THEN
        changed := changed || coalesce(OLD.cancelled_at, OLD.released_at) || coalesce(NEW.cancelled_at, NEW.released_at);
    END IF;
    IF NEW.refunded_at IS DISTINCT FROM OLD.refunded_at THEN
        changed := changed || OLD.refunded_at || NEW.refunded_at;
    END IF;
    IF NEW.earnings_released_at IS DISTINCT FROM OLD.earnings_released_at THEN
        changed := changed || OLD.earnings_released_at || NEW.earnings_released_at;
    END IF;
    -- Most changes to older orders (shipping, completion, release) move no figure of a past day:
    -- they take no lock on the rollups either.
    IF NOT EXISTS (SELECT 1 FROM unnest(changed) t WHERE t < now() - interval '5 hours') THEN
        RETURN NULL;
    END IF;
    DELETE FROM report_days d USING (
        SELECT DISTINCT z.zone, z.day FROM unnest(changed) t, report_zone_days(t) z WHERE t < now() - interval '5 hours') c
    WHERE d.zone = c.zone AND d.day = c.day;
    RETURN NULL;
END $$;

-- The ledger's transactions are recorded at the time they are made; one written with an older
-- time (by hand, or by a test) drops the rollups of its day the same way.
CREATE FUNCTION report_days_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM report_days d USING report_zone_days(NEW.created_at) c WHERE d.zone = c.zone AND d.day = c.day;
    RETURN NULL;
END $$;

CREATE TRIGGER ledger_transactions_report_days AFTER INSERT ON ledger_transactions
    FOR EACH ROW WHEN (NEW.created_at < now() - interval '5 hours') EXECUTE FUNCTION report_days_ledger();

CREATE TRIGGER orders_report_days AFTER UPDATE ON orders
    FOR EACH ROW WHEN (least(OLD.paid_at, NEW.paid_at, OLD.cancelled_at, NEW.cancelled_at, OLD.released_at, NEW.released_at,
        OLD.refunded_at, NEW.refunded_at, OLD.earnings_released_at, NEW.earnings_released_at) < now() - interval '5 hours')
    EXECUTE FUNCTION report_days_changed();

-- The same for whole months, added up from their days once every day of the month is rolled up,
-- so that a month's best resellers are read from one row each rather than one a day. A month's
-- rollups go when any of its days' do.
-- A month also keeps what does not add up over its days: the orders placed in it and how many of
-- them were paid before it ended, and each reseller's funnel (chats count distinct customers).
CREATE TABLE report_months (
    zone         text        NOT NULL CHECK (zone IN ('WIB', 'WITA', 'WIT')),
    month        date        NOT NULL CHECK (extract(day FROM month) = 1),
    created      integer     NOT NULL,
    created_paid integer     NOT NULL,
    made_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (zone, month)
);

CREATE TABLE report_month_funnel (
    zone        text    NOT NULL,
    month       date    NOT NULL,
    reseller_id bigint  NOT NULL,
    clicks      integer NOT NULL,
    chats       integer NOT NULL,
    carts       integer NOT NULL,
    orders      integer NOT NULL,
    paid        integer NOT NULL,
    PRIMARY KEY (zone, month, reseller_id) INCLUDE (clicks, chats, carts, orders, paid),
    FOREIGN KEY (zone, month) REFERENCES report_months ON DELETE CASCADE
);

CREATE TABLE report_month_resellers (
    zone        text    NOT NULL,
    month       date    NOT NULL,
    reseller_id bigint  NOT NULL,
    paid        integer NOT NULL,
    sales       bigint  NOT NULL,
    earning     bigint  NOT NULL,
    PRIMARY KEY (zone, month, reseller_id) INCLUDE (paid, sales, earning),
    FOREIGN KEY (zone, month) REFERENCES report_months ON DELETE CASCADE
);

CREATE TABLE report_month_products (
    zone       text   NOT NULL,
    month      date   NOT NULL,
    product_id bigint NOT NULL,
    qty        bigint NOT NULL,
    sales      bigint NOT NULL,
    PRIMARY KEY (zone, month, product_id) INCLUDE (qty, sales),
    FOREIGN KEY (zone, month) REFERENCES report_months ON DELETE CASCADE
);

CREATE FUNCTION report_days_dropped() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM report_months WHERE zone = OLD.zone AND month = date_trunc('month', OLD.day)::date;
    RETURN NULL;
END $$;

CREATE TRIGGER report_days_month AFTER DELETE ON report_days FOR EACH ROW EXECUTE FUNCTION report_days_dropped();

-- A report's payouts are a few rows among the period's ledger transactions, nearly all payments.
CREATE INDEX ledger_transactions_payouts_idx ON ledger_transactions (created_at) INCLUDE (id, kind)
    WHERE kind IN ('payout', 'payout_paid', 'payout_failed', 'payout_reversed');

-- Orders, link clicks and funnel events are written when they happen; one written with an older
-- time (an order placed by a test or a demo at a past moment) drops the rollups of its day.
CREATE FUNCTION report_days_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM report_days d USING report_zone_days((to_jsonb(NEW) ->> TG_ARGV[0])::timestamptz) c
    WHERE d.zone = c.zone AND d.day = c.day;
    RETURN NULL;
END $$;

CREATE TRIGGER orders_placed_report_days AFTER INSERT ON orders
    FOR EACH ROW WHEN (NEW.created_at < now() - interval '5 hours') EXECUTE FUNCTION report_days_inserted('created_at');
CREATE TRIGGER link_clicks_report_days AFTER INSERT ON link_clicks
    FOR EACH ROW WHEN (NEW.clicked_at < now() - interval '5 hours') EXECUTE FUNCTION report_days_inserted('clicked_at');
CREATE TRIGGER funnel_events_report_days AFTER INSERT ON funnel_events
    FOR EACH ROW WHEN (NEW.at < now() - interval '5 hours') EXECUTE FUNCTION report_days_inserted('at');
