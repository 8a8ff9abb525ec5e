package io.orderstream.events;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The identity of an order: its tenant and its id. Its text form {@code tenant/orderId} is the
 * Kafka key of every topic, so all records of one order share a partition.
 */
public record OrderKey(String tenantId, String orderId) {

    /** Tenant ids: what a JWT claim may carry. No '/', so the key's text form is unambiguous. */
    public static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Order ids chosen by clients, or derived ({@link #derive}). */
    public static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    public OrderKey {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(orderId, "orderId");
        if (!isValidTenantId(tenantId)) {
            throw new IllegalArgumentException("invalid tenant id");
        }
        if (!isValidOrderId(orderId)) {
            throw new IllegalArgumentException("invalid order id: must match " + ORDER_ID.pattern());
        }
    }

    /** {@link #TENANT_ID} without a regex engine: every record of every topic is checked. */
    public static boolean isValidTenantId(String tenantId) {
        return matches(tenantId, "._-");
    }

    /** {@link #ORDER_ID} without a regex engine. */
    public static boolean isValidOrderId(String orderId) {
        return matches(orderId, "._:-");
    }

    /** An ASCII letter or digit, then at most 63 of those or of {@code punctuation}. */
    private static boolean matches(String id, String punctuation) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || punctuation.indexOf(c) < 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The order id a POST without a client-chosen id gets: a name-based UUID of (tenant, key), so
     * that every duplicate of that POST addresses the same order.
     */
    public static String derive(String tenantId, String idempotencyKey) {
        byte[] name = ("order-stream/v1\n" + tenantId + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(name).toString();
    }

    /** Parses {@code tenant/orderId}. */
    public static OrderKey parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("an order key has the form tenant/orderId");
        }
        return new OrderKey(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return tenantId + "/" + orderId;
    }
}
