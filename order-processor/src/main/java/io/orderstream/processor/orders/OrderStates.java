package io.orderstream.processor.orders;

import io.orderstream.events.Json;
import io.orderstream.events.OrderState;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The values of the order-state store (and its changelog): a format byte, then the order's JSON,
 * the same bytes the result carries, so the order is written once per command.
 *
 * <pre>
 * format 1: 0x01 | the order as JSON ({@link Json})
 * earlier versions: the order as JSON, no format byte (it starts with '{'); still read
 * </pre>
 */
final class OrderStates {

    static final byte FORMAT_1 = 0x01;

    private OrderStates() {
    }

    static byte[] encode(byte[] orderJson) {
        byte[] value = new byte[1 + orderJson.length];
        value[0] = FORMAT_1;
        System.arraycopy(orderJson, 0, value, 1, orderJson.length);
        return value;
    }

    static OrderState decode(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length > 0 && value[0] == '{') {
                return Json.read(value, OrderState.class);
            }
            if (value.length > 1 && value[0] == FORMAT_1) {
                return Json.MAPPER.readValue(value, 1, value.length - 1, OrderState.class);
            }
        } catch (RuntimeException unreadable) {
            throw new SerializationException("cannot read an order's state: " + unreadable.getMessage(), unreadable);
        }
        throw new SerializationException("unknown order-state format " + (value.length == 0 ? "(empty)" : value[0])
                + " (a newer version wrote it)");
    }
}
