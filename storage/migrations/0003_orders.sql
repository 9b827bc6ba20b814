-- Orders: customers order in chat, each order for exactly one reseller (or the owner), with its stock reserved until it is paid, cancelled or expires.

-- A customer who arrives through a reseller's link or code is that reseller's until expires_at;
-- a later code switches.
CREATE TABLE customer_bindings (
    user_id     bigint      PRIMARY KEY REFERENCES users (id),
    reseller_id bigint      NOT NULL REFERENCES resellers (id),
    bound_at    timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

CREATE INDEX customer_bindings_reseller_idx ON customer_bindings (reseller_id);

-- Flat shipping fees by area, such as "Jawa" and "Luar Jawa", offered in position order.
CREATE TABLE shipping_zones (
    id       bigserial PRIMARY KEY,
    name     text    NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    fee      bigint  NOT NULL CHECK (fee >= 0 AND fee <= 1000000000000),
    position integer NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX shipping_zones_name_key ON shipping_zones (lower(name));

-- An order is created pending payment with its stock reserved. Its reference is what people read
-- aloud: LPK- and six of the letters and digits nobody confuses (no 0, O, 1 or I).
CREATE TABLE orders (
    id               bigserial   PRIMARY KEY,
    ref              text        NOT NULL UNIQUE CHECK (ref ~ '^LPK-[2-9A-HJ-NP-Z]{6}$'),
    customer_user_id bigint      NOT NULL REFERENCES users (id),
    reseller_id      bigint      REFERENCES resellers (id), -- NULL: sold by the owner at the retail price
    status           text        NOT NULL DEFAULT 'pending_payment'
                                 CHECK (status IN ('pending_payment', 'paid', 'shipped', 'completed', 'cancelled', 'expired')),
    subtotal         bigint      NOT NULL CHECK (subtotal >= 0),
    shipping         bigint      NOT NULL CHECK (shipping >= 0),
    total            bigint      NOT NULL CHECK (total = subtotal + shipping AND total <= 1000000000000),
    shipping_zone    text        NOT NULL DEFAULT '', -- the zone's name when ordered; zones may change later
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    phone            text        NOT NULL CHECK (phone ~ '^\+628[0-9]{8,11}$'),
    address          jsonb       NOT NULL,
    notes            text        NOT NULL DEFAULT '' CHECK (length(notes) <= 500),
    idempotency_key  text        NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL CHECK (expires_at > created_at),
    paid_at          timestamptz,
    shipped_at       timestamptz,
    completed_at     timestamptz,
    released_at      timestamptz  -- when a cancelled or expired order's stock went back
);

CREATE INDEX orders_customer_idx ON orders (customer_user_id, created_at DESC, id DESC);
CREATE INDEX orders_reseller_idx ON orders (reseller_id, created_at) WHERE reseller_id IS NOT NULL;
CREATE INDEX orders_pending_expiry_idx ON orders (expires_at) WHERE status = 'pending_payment';

-- Each line keeps how its price divides between reseller and owner, so a reseller can ask "why
-- this amount" and a refund reverses exactly what was credited. An owner sale pays no commission
-- and the owner keeps the whole price.
CREATE TABLE order_items (
    order_id              bigint  NOT NULL REFERENCES orders (id),
    line                  integer NOT NULL CHECK (line >= 1),
    product_id            bigint  NOT NULL REFERENCES products (id),
    variant_id            bigint  REFERENCES variants (id),
    sku                   text    NOT NULL,
    name                  text    NOT NULL,
    qty                   integer NOT NULL CHECK (qty > 0 AND qty <= 1000),
    unit_price            bigint  NOT NULL CHECK (unit_price >= base_price),
    base_price            bigint  NOT NULL CHECK (base_price >= 0),
    commission_percent_bp integer NOT NULL DEFAULT 0 CHECK (commission_percent_bp BETWEEN 0 AND 10000),
    commission_fixed      bigint  NOT NULL DEFAULT 0 CHECK (commission_fixed >= 0),
    commission            bigint  NOT NULL CHECK (commission >= 0 AND commission <= reseller_earning),
    reseller_earning      bigint  NOT NULL CHECK (reseller_earning >= 0),
    owner_share           bigint  NOT NULL CHECK (owner_share >= 0),
    rounding              text    NOT NULL CHECK (rounding IN ('exact', 'down', 'capped')),
    reserved              boolean NOT NULL, -- stock was taken for this line, and goes back on expiry or cancellation
    PRIMARY KEY (order_id, line),
    CHECK (reseller_earning + owner_share = unit_price * qty),
    CHECK (commission_percent_bp = 0 OR commission_fixed = 0)
);
