-- The projection of orders.events.v1: current state per order, and the events it was folded from.
-- Written only by the projector; idempotent by (tenant_id, order_id, sequence).

CREATE TABLE order_events (
    tenant_id       text        NOT NULL,
    order_id        text        NOT NULL,
    sequence        bigint      NOT NULL CHECK (sequence > 0),
    event_id        uuid        NOT NULL UNIQUE,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    occurred_at     timestamptz NOT NULL,
    causation_id    text        NOT NULL,
    request_id      text,
    idempotency_key text        NOT NULL,
    payload         jsonb       NOT NULL,
    PRIMARY KEY (tenant_id, order_id, sequence)
);

CREATE TABLE orders (
    tenant_id   text        NOT NULL,
    order_id    text        NOT NULL,
    status      text        NOT NULL,
    version     bigint      NOT NULL CHECK (version > 0),
    customer_id text        NOT NULL,
    currency    char(3)     NOT NULL,
    total_minor bigint      NOT NULL,
    lines       jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, order_id)
);

-- listing a tenant's orders by status, newest first (keyset pagination)
CREATE INDEX orders_tenant_status_created ON orders (tenant_id, status, created_at DESC, order_id);
