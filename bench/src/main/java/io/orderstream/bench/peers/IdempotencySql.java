package io.orderstream.bench.peers;

/**
 * The usual PostgreSQL design for idempotency keys, as SQL: a keys table whose primary key claims
 * a request, the orders and their event log beside it, all written in the one transaction of the
 * request.
 */
final class IdempotencySql {

    /** Tenants {@code tenant-1} .. {@code tenant-N}. */
    static final int TENANTS = 4;
    /** Keys (and orders) {@code 1 .. PREFILLED_PER_TENANT} exist in every tenant before a run. */
    static final int PREFILLED_PER_TENANT = 25_000;

    static final String SCHEMA = """
            CREATE TABLE idempotency_keys (
              tenant      text        NOT NULL,
              key         text        NOT NULL,
              fingerprint text        NOT NULL,
              status      int         NOT NULL,   -- 0 while the request is being handled, else its HTTP status
              response    jsonb,
              created_at  timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (tenant, key));
            CREATE TABLE orders (
              tenant     text        NOT NULL,
              order_id   text        NOT NULL,
              status     text        NOT NULL,
              version    int         NOT NULL,
              body       jsonb       NOT NULL,
              updated_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (tenant, order_id));
            CREATE TABLE order_events (
              tenant     text        NOT NULL,
              order_id   text        NOT NULL,
              sequence   int         NOT NULL,
              type       text        NOT NULL,
              payload    jsonb       NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (tenant, order_id, sequence));
            """;

    /**
     * The ~300-byte JSON answer stored on a key row, like an HTTP JSON answer. Tokens {order},
     * {tenant}, {version} and {seed} are SQL expressions; the %N$s are PostgreSQL's format().
     */
    private static final String RESPONSE = """
            format('{"orderId":"order-%1$s","tenant":"tenant-%2$s","status":"ACCEPTED","version":%3$s,\
            "links":{"self":"/v1/tenants/tenant-%2$s/orders/order-%1$s",\
            "events":"/v1/tenants/tenant-%2$s/orders/order-%1$s/events"},\
            "receivedAt":"%4$s","traceId":"%5$s"}',\
             {order}, {tenant}, {version}, now(), md5(format('trace-%s', {seed})))::jsonb""";

    private static String response(String order, String tenant, String version, String seed) {
        return RESPONSE.replace("{order}", order).replace("{tenant}", tenant).replace("{version}", version)
                .replace("{seed}", seed);
    }

    /** Orders 1..25,000 in each tenant with their creation event, and a completed key for each. */
    static final String PREFILL = """
            INSERT INTO orders (tenant, order_id, status, version, body)
            SELECT 'tenant-' || t, 'order-' || n, 'CREATED', 1,
                   format('{"customer":"customer-%s","currency":"EUR","total":4999,\
            "items":[{"sku":"SKU-%s","qty":1,"price":4999}]}', n % 997, n % 101)::jsonb
            FROM generate_series(1, {tenants}) t, generate_series(1, {prefilled}) n;
            INSERT INTO order_events (tenant, order_id, sequence, type, payload)
            SELECT tenant, order_id, 1, 'OrderCreated', '{"status":"CREATED"}' FROM orders;
            INSERT INTO idempotency_keys (tenant, key, fingerprint, status, response)
            SELECT 'tenant-' || t, 'idem-' || n, md5('request-' || n), 201, {response}
            FROM generate_series(1, {tenants}) t, generate_series(1, {prefilled}) n;
            ANALYZE;
            """.replace("{tenants}", String.valueOf(TENANTS)).replace("{prefilled}", String.valueOf(PREFILLED_PER_TENANT))
            .replace("{response}", response("n", "t", "1", "n"));

    /**
     * pgbench script: one request = one transaction. 20 % replay a pre-filled key and read its stored
     * answer; 80 % bring a new key (random in 10^6..10^15, so practically never seen before), claim it
     * with INSERT ... ON CONFLICT DO NOTHING, then create an order (60 %) or change the status of a
     * pre-filled one (40 %), append the order's event and store the answer on the key row.
     */
    static final String PGBENCH_SCRIPT = """
            \\set tenant random(1, {tenants})
            \\set key_no random(1, {prefilled})
            \\if random(1, 100) > 20
            \\set key_no random(1000000, 1000000000000000)
            \\endif
            \\set creates random(1, 100) <= 60
            \\set target random(1, {prefilled})
            \\set state random(1, 4)
            BEGIN;
            WITH claimed AS (
              INSERT INTO idempotency_keys (tenant, key, fingerprint, status)
              VALUES (format('tenant-%s', :tenant), format('idem-%s', :key_no), md5(format('request-%s', :key_no)), 0)
              ON CONFLICT DO NOTHING
              RETURNING 1)
            SELECT count(*) AS fresh FROM claimed \\gset
            \\if :fresh
            \\if :creates
            INSERT INTO orders (tenant, order_id, status, version, body)
            VALUES (format('tenant-%s', :tenant), format('order-%s', :key_no), 'CREATED', 1,
                    format('{"customer":"customer-%s","currency":"EUR","total":4999,"items":[{"sku":"SKU-%s","qty":1,"price":4999}]}', :key_no % 997, :key_no % 101)::jsonb);
            INSERT INTO order_events (tenant, order_id, sequence, type, payload)
            VALUES (format('tenant-%s', :tenant), format('order-%s', :key_no), 1, 'OrderCreated', '{"status":"CREATED"}');
            \\set order_no :key_no
            \\set version 1
            \\else
            WITH changed AS (
              UPDATE orders SET status = (ARRAY['CONFIRMED','PACKED','SHIPPED','DELIVERED'])[:state],
                                version = version + 1, updated_at = now()
              WHERE tenant = format('tenant-%s', :tenant) AND order_id = format('order-%s', :target)
              RETURNING tenant, order_id, status, version)
            INSERT INTO order_events (tenant, order_id, sequence, type, payload)
            SELECT tenant, order_id, version, 'OrderStatusChanged', jsonb_build_object('status', status) FROM changed
            RETURNING sequence AS version \\gset
            \\set order_no :target
            \\endif
            UPDATE idempotency_keys SET status = 201, response = {response}
            WHERE tenant = format('tenant-%s', :tenant) AND key = format('idem-%s', :key_no);
            \\else
            SELECT status, response FROM idempotency_keys
            WHERE tenant = format('tenant-%s', :tenant) AND key = format('idem-%s', :key_no);
            \\endif
            COMMIT;
            """.replace("{tenants}", String.valueOf(TENANTS)).replace("{prefilled}", String.valueOf(PREFILLED_PER_TENANT))
            .replace("{response}", response(":order_no", ":tenant", ":version", ":key_no"));

    private IdempotencySql() {
    }
}
