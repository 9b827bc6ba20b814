-- Catalog: suppliers and who manages them, products with variants and photos, reseller levels,
-- reseller prices and markups, share links and their clicks.

-- Trigram search forgives typos ("kaos hitm" finds "Kaos Hitam"). The extension lives in public so
-- every schema on the search path shares it.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE TABLE suppliers (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 2 AND 60),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- "Toko Budi" and "toko budi" are one supplier: imports find suppliers by name.
CREATE UNIQUE INDEX suppliers_name_key ON suppliers (lower(name));

CREATE TABLE supplier_members (
    supplier_id bigint NOT NULL REFERENCES suppliers (id),
    user_id     bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (supplier_id, user_id)
);

CREATE TABLE products (
    id                    bigserial PRIMARY KEY,
    supplier_id           bigint      NOT NULL REFERENCES suppliers (id),
    sku                   text        NOT NULL UNIQUE CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{0,39}$'),
    name                  text        NOT NULL CHECK (length(name) BETWEEN 2 AND 120),
    description           text        NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    category              text        NOT NULL DEFAULT '' CHECK (length(category) <= 60),
    base_price            bigint      NOT NULL CHECK (base_price > 0 AND base_price <= 1000000000000),
    retail_price          bigint      NOT NULL CHECK (retail_price >= base_price),
    max_price             bigint      CHECK (max_price >= retail_price),
    commission_percent_bp integer     NOT NULL DEFAULT 0 CHECK (commission_percent_bp BETWEEN 0 AND 10000),
    commission_fixed      bigint      NOT NULL DEFAULT 0 CHECK (commission_fixed >= 0 AND commission_fixed <= base_price),
    stock                 integer     CHECK (stock >= 0), -- NULL: unlimited, for services
    low_stock             integer     NOT NULL DEFAULT 0 CHECK (low_stock >= 0),
    weight_grams          integer     NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
    active                boolean     NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (commission_percent_bp = 0 OR commission_fixed = 0)
);

CREATE INDEX products_active_idx ON products (category, name) WHERE active;
CREATE INDEX products_supplier_idx ON products (supplier_id);
CREATE INDEX products_name_trgm_idx ON products USING gin (lower(name) public.gin_trgm_ops);

-- Variants (size, colour) have their own SKU and stock; the price is the product's.
CREATE TABLE variants (
    id          bigserial PRIMARY KEY,
    product_id  bigint  NOT NULL REFERENCES products (id),
    sku         text    NOT NULL UNIQUE CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{0,39}$'),
    name        text    NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    stock       integer CHECK (stock >= 0),
    active      boolean NOT NULL DEFAULT true,
    position    integer NOT NULL DEFAULT 0
);

-- Names are unique among a product's active variants only, so a removed "M" does not block a new one.
CREATE UNIQUE INDEX variants_name_key ON variants (product_id, lower(name)) WHERE active;
CREATE INDEX variants_product_idx ON variants (product_id, position);

-- An image imported from a CSV file has only its source URL until someone fetches it: jpeg is
-- NULL until then.
CREATE TABLE product_images (
    id               text        PRIMARY KEY,
    product_id       bigint      NOT NULL REFERENCES products (id),
    position         integer     NOT NULL DEFAULT 0,
    telegram_file_id text        NOT NULL DEFAULT '',
    source_url       text        NOT NULL DEFAULT '',
    jpeg             bytea,
    width            integer     NOT NULL DEFAULT 0 CHECK (width >= 0),
    height           integer     NOT NULL DEFAULT 0 CHECK (height >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (jpeg IS NOT NULL OR source_url <> '')
);

CREATE INDEX product_images_product_idx ON product_images (product_id, position);

-- Levels (Bronze, Silver, Gold) may pay their own commission instead of the product's.
CREATE TABLE levels (
    id                    bigserial PRIMARY KEY,
    name                  text    NOT NULL UNIQUE,
    overrides             boolean NOT NULL DEFAULT false,
    commission_percent_bp integer NOT NULL DEFAULT 0 CHECK (commission_percent_bp BETWEEN 0 AND 10000),
    commission_fixed      bigint  NOT NULL DEFAULT 0 CHECK (commission_fixed >= 0),
    CHECK (commission_percent_bp = 0 OR commission_fixed = 0)
);

ALTER TABLE resellers
    ADD COLUMN level_id          bigint REFERENCES levels (id),
    ADD COLUMN markup_percent_bp integer CHECK (markup_percent_bp >= 0),
    ADD COLUMN markup_fixed      bigint CHECK (markup_fixed >= 0),
    ADD CHECK (markup_percent_bp IS NULL OR markup_fixed IS NULL);

CREATE TABLE reseller_prices (
    reseller_id bigint      NOT NULL REFERENCES resellers (id),
    product_id  bigint      NOT NULL REFERENCES products (id),
    price       bigint      NOT NULL CHECK (price > 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (reseller_id, product_id)
);

-- A new base or maximum price moves the prices outside it (see SaveProduct).
CREATE INDEX reseller_prices_product_idx ON reseller_prices (product_id);

CREATE TABLE share_links (
    token       text        PRIMARY KEY,
    reseller_id bigint      NOT NULL REFERENCES resellers (id),
    product_id  bigint      NOT NULL REFERENCES products (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (reseller_id, product_id)
);

CREATE TABLE link_clicks (
    id          bigserial PRIMARY KEY,
    reseller_id bigint      NOT NULL REFERENCES resellers (id),
    product_id  bigint      NOT NULL REFERENCES products (id),
    clicked_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX link_clicks_reseller_idx ON link_clicks (reseller_id, clicked_at);
