-- Where the projector stands in orders.events.v1, per consumer group and partition: the offset of
-- the next event to project. Written in the same transaction as the rows those events produced, so
-- "applied" and "consumed" can never disagree; the projector seeks here when it gets a partition.
-- `orders-ops projection rebuild` locks this table to catch its shadow tables up to exactly these
-- offsets before it swaps them in; `orders-ops projection verify` folds the log up to them.

CREATE TABLE projector_offsets (
    consumer_group text        NOT NULL,
    topic          text        NOT NULL,
    partition      integer     NOT NULL CHECK (partition >= 0),
    next_offset    bigint      NOT NULL CHECK (next_offset >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);
