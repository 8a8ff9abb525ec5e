-- The settings a running processor decides with, per Streams application: written by the processor
-- (its only writer) each time an instance starts, read by `orders-ops`, which must know the
-- idempotency TTL the processor actually runs with to refuse replays, resets and redrives of
-- commands older than it (those are answered expired, never decided again).

CREATE TABLE processor_settings (
    application_id     text        PRIMARY KEY,
    idempotency_ttl_ms bigint      NOT NULL CHECK (idempotency_ttl_ms > 0),
    max_clock_skew_ms  bigint      NOT NULL CHECK (max_clock_skew_ms >= 0),
    written_at         timestamptz NOT NULL DEFAULT now()
);
