-- Payouts: resellers' bank accounts, the store's payout schedule, and the payouts that move
-- available commission to a bank through Xendit Payouts or the owner's own transfer.

-- Where resellers are paid. A change adds a row and marks the old one replaced, so the history
-- stays and every payout names the account it went to; a new account holds payouts until
-- hold_until. invalid_code is set when a payout to the account failed for good.
CREATE TABLE bank_accounts (
    id           bigserial   PRIMARY KEY,
    reseller_id  bigint      NOT NULL REFERENCES resellers (id),
    channel_code text        NOT NULL CHECK (channel_code ~ '^ID_[A-Z0-9_]{2,40}$'),
    channel_name text        NOT NULL CHECK (length(channel_name) BETWEEN 1 AND 100),
    number       text        NOT NULL CHECK (number ~ '^[0-9]{5,20}$'),
    holder_name  text        NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 100),
    hold_until   timestamptz NOT NULL,
    invalid_code text        NOT NULL DEFAULT '' CHECK (length(invalid_code) <= 60),
    created_at   timestamptz NOT NULL,
    replaced_at  timestamptz
);

CREATE UNIQUE INDEX bank_accounts_current_idx ON bank_accounts (reseller_id) WHERE replaced_at IS NULL;

-- How the store pays: one row, since owners share one store. Nothing is paid on a schedule until
-- an owner enables it; scheduled times before scheduled_from (the last change of the schedule)
-- are not run.
CREATE TABLE payout_settings (
    id             boolean     PRIMARY KEY DEFAULT true CHECK (id),
    enabled        boolean     NOT NULL DEFAULT false,
    frequency      text        NOT NULL DEFAULT 'weekly' CHECK (frequency IN ('daily', 'weekly', 'monthly')),
    weekday        smallint    NOT NULL DEFAULT 5 CHECK (weekday BETWEEN 0 AND 6), -- 0 is Sunday
    month_day      smallint    NOT NULL DEFAULT 1 CHECK (month_day BETWEEN 1 AND 31),
    minute         smallint    NOT NULL DEFAULT 600 CHECK (minute BETWEEN 0 AND 1439),
    zone           text        NOT NULL DEFAULT 'Asia/Jakarta' CHECK (length(zone) BETWEEN 1 AND 60),
    minimum        bigint      NOT NULL DEFAULT 50000 CHECK (minimum >= 10000),
    auto_below     bigint      NOT NULL DEFAULT 0 CHECK (auto_below >= 0),
    mode           text        NOT NULL DEFAULT 'xendit' CHECK (mode IN ('xendit', 'manual')),
    allow_early    boolean     NOT NULL DEFAULT false,
    allow_ewallets boolean     NOT NULL DEFAULT false,
    scheduled_from timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     bigint      REFERENCES users (id)
);

INSERT INTO payout_settings DEFAULT VALUES;

-- One run of the payout schedule, or one early withdrawal. A scheduled time has one batch however
-- many instances run it at once.
CREATE TABLE payout_batches (
    id         bigserial   PRIMARY KEY,
    slot       timestamptz UNIQUE, -- NULL for an early withdrawal
    mode       text        NOT NULL CHECK (mode IN ('xendit', 'manual')),
    created_at timestamptz NOT NULL
);

-- One transfer to a reseller. key is its Idempotency-key and reference_id at Xendit. Its money
-- moves in the ledger under payout:<id>:reserve, :paid, :returned and :reversed.
CREATE TABLE payouts (
    id            bigserial   PRIMARY KEY,
    key           text        NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 100),
    batch_id      bigint      NOT NULL REFERENCES payout_batches (id),
    reseller_id   bigint      NOT NULL REFERENCES resellers (id),
    account_id    bigint      NOT NULL REFERENCES bank_accounts (id),
    amount        bigint      NOT NULL CHECK (amount > 0),
    mode          text        NOT NULL CHECK (mode IN ('xendit', 'manual')),
    early         boolean     NOT NULL DEFAULT false,
    status        text        NOT NULL CHECK (status IN ('awaiting_approval', 'approved', 'sending', 'accepted',
                                                         'paid', 'failed', 'rejected', 'reversed')),
    xendit_id     text        UNIQUE,
    xendit_status text        NOT NULL DEFAULT '',
    failure_code  text        NOT NULL DEFAULT '' CHECK (length(failure_code) <= 60),
    reference     text        NOT NULL DEFAULT '' CHECK (length(reference) <= 100),
    attempts      integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    decided_by    bigint      REFERENCES users (id),
    decided_at    timestamptz,
    paid_at       timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (batch_id, reseller_id),
    CHECK (mode = 'xendit' OR status NOT IN ('sending', 'accepted'))
);

CREATE INDEX payouts_reseller_idx ON payouts (reseller_id, created_at);
CREATE INDEX payouts_batch_idx ON payouts (batch_id);
CREATE INDEX payouts_open_idx ON payouts (updated_at) WHERE status IN ('awaiting_approval', 'approved', 'sending', 'accepted');
-- A reseller has at most one early withdrawal on its way.
CREATE UNIQUE INDEX payouts_one_early_idx ON payouts (reseller_id)
    WHERE early AND status IN ('awaiting_approval', 'approved', 'sending', 'accepted');
