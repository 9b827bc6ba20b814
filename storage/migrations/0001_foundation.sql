-- Foundation: who talks to Lapak (users on each channel), resellers and their approval, owner invites.

CREATE TABLE users (
    id          bigserial PRIMARY KEY,
    channel     text        NOT NULL,
    external_id text        NOT NULL,
    chat_id     text        NOT NULL,
    name        text        NOT NULL DEFAULT '',
    lang        text        NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
    role        text        NOT NULL DEFAULT 'customer' CHECK (role IN ('owner', 'reseller', 'customer')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel, external_id)
);

CREATE INDEX users_role_idx ON users (role) WHERE role = 'owner';

CREATE TABLE resellers (
    id          bigserial PRIMARY KEY,
    user_id     bigint      NOT NULL UNIQUE REFERENCES users (id),
    name        text        NOT NULL,
    phone       text        NOT NULL,
    city        text        NOT NULL,
    code        text        UNIQUE,
    status      text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    decided_at  timestamptz,
    decided_by  bigint REFERENCES users (id),
    CHECK ((status = 'approved') = (code IS NOT NULL))
);

CREATE INDEX resellers_pending_idx ON resellers (created_at) WHERE status = 'pending';

CREATE TABLE owner_invites (
    token       text PRIMARY KEY,
    created_by  bigint      NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_by     bigint REFERENCES users (id),
    used_at     timestamptz
);
