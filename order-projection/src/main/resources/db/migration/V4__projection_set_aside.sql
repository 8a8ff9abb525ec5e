-- Events the projector could not write (a data error: PostgreSQL refused a value, a constraint, an
-- order out of step), and the later events of the same order, held back behind them so that the
-- order's projection never skips a sequence. Coordinates only, never the event's content: the event
-- itself stays in orders.events.v1 at (topic, partition, log_offset). Written by the projector; emptied
-- by `orders-ops projection retry` once the cause is fixed; listed by `orders-ops projection verify`.
-- event_id is as the event names it, with any character PostgreSQL cannot hold
-- (NUL, a lone surrogate) replaced by U+FFFD.

CREATE TABLE projection_set_aside (
    topic         text        NOT NULL,
    partition     integer     NOT NULL CHECK (partition >= 0),
    log_offset    bigint      NOT NULL CHECK (log_offset >= 0),
    tenant_id     text        NOT NULL,
    order_id      text        NOT NULL,
    sequence      bigint      NOT NULL,
    event_id      text        NOT NULL,
    -- the SQLState PostgreSQL answered (22001, 22P05, 23505 …), or null when the projector itself refused
    sql_state     text,
    -- what went wrong, without any value: the exception's class, or 'held' behind an earlier event
    error_class   text        NOT NULL,
    set_aside_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, log_offset)
);

CREATE INDEX projection_set_aside_order ON projection_set_aside (tenant_id, order_id, sequence);
