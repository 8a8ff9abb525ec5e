package io.orderstream.processor.orders;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the processor of commit b51b4cd (before format 2 of the stores) left in its state stores and
 * wrote as results, for the commands {@code acme/o-1 k1} (place an order: 201) and {@code acme/o-1
 * k2} (ship it at once: 409), both at 2026-11-26T10:00:00Z. Captured by running that code; never
 * regenerate: these are what users' state directories and changelogs hold.
 */
final class LegacyStores {

    /** The idempotency store's entries: two records (format 1, HTTP headers) and their index entries. */
    static final List<Map.Entry<byte[], byte[]>> IDEMPOTENCY = List.of(
            Map.entry(hex("010000000861636d652f6f2d316b31"), hex(""
                    + "0100000001a2174c3500000001a21c7291000000000366703100c900030000000c436f6e74656e742d54797065000000"
                    + "106170706c69636174696f6e2f6a736f6e000000144f726465722d53747265616d2d4f7574636f6d6500000007415050"
                    + "4c494544000000084c6f636174696f6e000000122f6170692f76312f6f72646572732f6f2d31000000ec000000ec7b22"
                    + "6f726465724964223a226f2d31222c22737461747573223a2250454e44494e47222c2276657273696f6e223a312c2263"
                    + "7573746f6d65724964223a22637573742d31222c2263757272656e6379223a22455552222c22746f74616c4d696e6f72"
                    + "223a323530302c226c696e6573223a5b7b22736b75223a22534b552d31222c227175616e74697479223a322c22756e69"
                    + "7450726963654d696e6f72223a313235307d5d2c22637265617465644174223a22323032362d31312d32365431303a30"
                    + "303a30305a222c22757064617465644174223a22323032362d31312d32365431303a30303a30305a227d")),
            Map.entry(hex("010000000861636d652f6f2d316b32"), hex(""
                    + "0100000001a2174c3500000001a21c7291000000000366703201990002000000144f726465722d53747265616d2d4f75"
                    + "74636f6d650000000852454a45435445440000000c436f6e74656e742d54797065000000186170706c69636174696f6e"
                    + "2f70726f626c656d2b6a736f6e000000c6000000c67b2274797065223a2275726e3a6f726465722d73747265616d3a70"
                    + "726f626c656d3a696e76616c69642d7472616e736974696f6e222c227469746c65223a22537461747573206368616e67"
                    + "65206e6f7420616c6c6f776564222c22737461747573223a3430392c2264657461696c223a22416e206f726465722069"
                    + "6e207374617475732050454e44494e472063616e6e6f74206d6f766520746f20534849505045443b20616c6c6f776564"
                    + "3a205b50524f43455353494e472c2043414e43454c45445d2e227d")),
            Map.entry(hex("02000001a21c7291000000000861636d652f6f2d316b31"), new byte[0]),
            Map.entry(hex("02000001a21c7291000000000861636d652f6f2d316b32"), new byte[0]));

    /** The order-state store's value of acme/o-1: JSON, no format byte. */
    static final byte[] ORDER_STATE = utf8("{\"orderId\":\"o-1\",\"status\":\"PENDING\",\"version\":1,\"customerId\":\"cust-1\",\"currency\":\"EUR\",\"totalMinor\":2500,\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPriceMinor\":1250}],\"createdAt\":\"2026-11-26T10:00:00Z\",\"updatedAt\":\"2026-11-26T10:00:00Z\"}");

    /** The results that code wrote for k1 and k2. */
    static final String PLACED_RESULT = "{\"schemaVersion\":1,\"requestId\":\"req-1\",\"commandId\":\"cmd-1\",\"tenantId\":\"acme\",\"orderId\":\"o-1\",\"outcome\":\"APPLIED\",\"status\":201,\"order\":{\"orderId\":\"o-1\",\"status\":\"PENDING\",\"version\":1,\"customerId\":\"cust-1\",\"currency\":\"EUR\",\"totalMinor\":2500,\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPriceMinor\":1250}],\"createdAt\":\"2026-11-26T10:00:00Z\",\"updatedAt\":\"2026-11-26T10:00:00Z\"},\"problem\":null,\"replayed\":false,\"processedAt\":\"2026-11-26T10:00:00Z\",\"success\":true}";
    static final String REJECTED_RESULT = "{\"schemaVersion\":1,\"requestId\":\"req-2\",\"commandId\":\"cmd-2\",\"tenantId\":\"acme\",\"orderId\":\"o-1\",\"outcome\":\"REJECTED\",\"status\":409,\"order\":null,\"problem\":{\"type\":\"urn:order-stream:problem:invalid-transition\",\"title\":\"Status change not allowed\",\"status\":409,\"detail\":\"An order in status PENDING cannot move to SHIPPED; allowed: [PROCESSING, CANCELED].\"},\"replayed\":false,\"processedAt\":\"2026-11-26T10:00:00Z\",\"success\":false}";

    private LegacyStores() {
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
