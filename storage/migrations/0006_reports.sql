-- Sales reports: the funnel events a reseller's customers leave, owners' report schedules, the
-- reports sent (frozen as sent, each once), and the indexes the report queries read by period.

-- A reseller's funnel: link clicks (link_clicks) → chats → carts → orders → paid. A chat is a
-- customer arriving through a reseller's code or link, a cart a customer's first item added while
-- bound to a reseller. customer_bindings keeps only a customer's last binding, so each binding is
-- also recorded here, by the trigger below, and a later one does not erase the earlier chat.
CREATE TABLE funnel_events (
    id          bigserial   PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('chat', 'cart')),
    reseller_id bigint      NOT NULL REFERENCES resellers (id),
    user_id     bigint      NOT NULL REFERENCES users (id),
    product_id  bigint      REFERENCES products (id), -- the product a cart started with
    at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX funnel_events_at_idx ON funnel_events (at) INCLUDE (kind, reseller_id, user_id, product_id);
CREATE INDEX funnel_events_cart_idx ON funnel_events (user_id, at) WHERE kind = 'cart';

CREATE FUNCTION funnel_chat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO funnel_events (kind, reseller_id, user_id, at) VALUES ('chat', NEW.reseller_id, NEW.user_id, NEW.bound_at);
    RETURN NULL;
END $$;

CREATE TRIGGER customer_bindings_funnel AFTER INSERT OR UPDATE OF reseller_id, bound_at ON customer_bindings
    FOR EACH ROW EXECUTE FUNCTION funnel_chat();

-- Which scheduled reports an owner gets, and the time zone their periods are cut in. An owner
-- without a row gets the weekly and monthly reports in the store's time zone.
CREATE TABLE report_prefs (
    user_id    bigint      PRIMARY KEY REFERENCES users (id),
    daily      boolean     NOT NULL DEFAULT false,
    weekly     boolean     NOT NULL DEFAULT true,
    monthly    boolean     NOT NULL DEFAULT true,
    zone       text        NOT NULL CHECK (zone IN ('WIB', 'WITA', 'WIT')),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every scheduled report, once per recipient, kind and period: the unique key is what makes two
-- instances send it once. The figures and the files are written with the row and never changed
-- (the trigger below refuses), so a sent report stays as it was sent; late events show as an
-- adjustment in the next one. parts_sent counts the messages delivered, so a retried send job
-- goes on where it stopped.
CREATE TABLE report_runs (
    id            bigserial   PRIMARY KEY,
    user_id       bigint      NOT NULL REFERENCES users (id), -- who it is for
    kind          text        NOT NULL CHECK (kind IN ('daily', 'weekly', 'monthly', 'reseller_weekly')),
    period_start  timestamptz NOT NULL,
    period_end    timestamptz NOT NULL CHECK (period_end > period_start),
    zone          text        NOT NULL CHECK (zone IN ('WIB', 'WITA', 'WIT')),
    snapshot      jsonb       NOT NULL, -- the report's figures as sent
    text          text        NOT NULL,
    chart         bytea,                -- PNG
    chart_caption text        NOT NULL DEFAULT '',
    csv           bytea,
    csv_name      text        NOT NULL DEFAULT '',
    csv_caption   text        NOT NULL DEFAULT '',
    parts_sent    integer     NOT NULL DEFAULT 0 CHECK (parts_sent >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    UNIQUE (user_id, kind, period_start)
);

CREATE INDEX report_runs_period_idx ON report_runs (kind, period_start);

CREATE FUNCTION report_runs_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.user_id, NEW.kind, NEW.period_start, NEW.period_end, NEW.zone, NEW.snapshot, NEW.text, NEW.chart,
        NEW.chart_caption, NEW.csv, NEW.csv_name, NEW.csv_caption)
       IS DISTINCT FROM
       (OLD.user_id, OLD.kind, OLD.period_start, OLD.period_end, OLD.zone, OLD.snapshot, OLD.text, OLD.chart,
        OLD.chart_caption, OLD.csv, OLD.csv_name, OLD.csv_caption) THEN
        RAISE EXCEPTION 'report % was sent as it is and cannot change', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER report_runs_frozen BEFORE UPDATE ON report_runs FOR EACH ROW EXECUTE FUNCTION report_runs_frozen();

-- When each customer first paid, for the whole store (scope 0) and for each supplier whose
-- products they bought: a customer is new in the period their first payment falls in, which
-- the report counts with one index range instead of looking through every customer's history.
-- An order paid later than another (a late callback) still keeps the earliest time.
CREATE TABLE customer_firsts (
    scope         bigint      NOT NULL, -- 0: the store; otherwise a supplier
    user_id       bigint      NOT NULL REFERENCES users (id),
    first_paid_at timestamptz NOT NULL,
    PRIMARY KEY (scope, user_id)
);

CREATE INDEX customer_firsts_paid_idx ON customer_firsts (scope, first_paid_at);

CREATE FUNCTION customer_first_paid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_firsts (scope, user_id, first_paid_at)
    SELECT 0, NEW.customer_user_id, NEW.paid_at
    UNION
    SELECT p.supplier_id, NEW.customer_user_id, NEW.paid_at FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id
    ON CONFLICT (scope, user_id) DO UPDATE SET first_paid_at = EXCLUDED.first_paid_at
    WHERE EXCLUDED.first_paid_at < customer_firsts.first_paid_at;
    RETURN NULL;
END $$;

CREATE TRIGGER orders_customer_first_paid AFTER UPDATE OF paid_at ON orders
    FOR EACH ROW WHEN (NEW.paid_at IS NOT NULL AND NEW.paid_at IS DISTINCT FROM OLD.paid_at) EXECUTE FUNCTION customer_first_paid();

INSERT INTO customer_firsts (scope, user_id, first_paid_at)
SELECT 0, customer_user_id, min(paid_at) FROM orders WHERE paid_at IS NOT NULL GROUP BY customer_user_id
UNION ALL
SELECT p.supplier_id, o.customer_user_id, min(o.paid_at) FROM orders o JOIN order_items i ON i.order_id = o.id
JOIN products p ON p.id = i.product_id WHERE o.paid_at IS NOT NULL GROUP BY p.supplier_id, o.customer_user_id;

-- Report queries read orders by the moment each event happened, most of them from the index
-- alone.
CREATE INDEX orders_created_idx ON orders (created_at) INCLUDE (id, reseller_id, paid_at);
CREATE INDEX orders_paid_idx ON orders (paid_at) INCLUDE (id, customer_user_id, reseller_id) WHERE paid_at IS NOT NULL;
-- An order closed unpaid: expired, or cancelled before payment (when its stock went back).
CREATE INDEX orders_closed_idx ON orders ((coalesce(cancelled_at, released_at))) WHERE status IN ('expired', 'cancelled');
CREATE INDEX orders_refunded_idx ON orders (refunded_at) INCLUDE (id) WHERE refunded_at IS NOT NULL;
CREATE INDEX orders_earnings_released_idx ON orders (earnings_released_at) INCLUDE (id) WHERE earnings_released_at IS NOT NULL;
CREATE INDEX orders_earnings_pending_idx ON orders (paid_at) INCLUDE (id) WHERE paid_at IS NOT NULL AND earnings_released_at IS NULL AND refunded_at IS NULL;
CREATE INDEX link_clicks_at_idx ON link_clicks (clicked_at) INCLUDE (reseller_id, product_id);
CREATE INDEX ledger_transactions_created_idx ON ledger_transactions (created_at);
