-- Reads of the HTTP API (order-api). Listing a tenant's orders without a status filter, newest
-- first, by keyset: WHERE tenant_id = ? AND (created_at, order_id) after the cursor
-- ORDER BY created_at DESC, order_id. (With a status filter, orders_tenant_status_created of V1
-- serves; an order's events are read by the primary key of order_events.)
-- Not CONCURRENTLY: Flyway holds a transaction-level lock that such a build would wait on.
CREATE INDEX IF NOT EXISTS orders_tenant_created ON orders (tenant_id, created_at DESC, order_id);
