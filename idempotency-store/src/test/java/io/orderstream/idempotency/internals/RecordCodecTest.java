package io.orderstream.idempotency.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderstream.idempotency.IdempotencyRecord;
import io.orderstream.idempotency.StoredResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every format a record was ever written in is read: golden bytes, captured from the code that
 * wrote them, never regenerated.
 */
class RecordCodecTest {

    private static final long CREATED = 1_767_225_600_000L;
    private static final long EXPIRES = CREATED + 86_400_000L;
    private static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /** Format 1 (commit b51b4cd): status 201, three headers, a 36-byte body, uncompressed. */
    private static final byte[] FORMAT_1 = hex(""
            + "01000000019b76daa8000000019b7c010400000000403966383664303831383834633764363539613266656161306335"
            + "356164303135613362663466316232623062383232636431356436633135623066303061303800c90003000000144f72"
            + "6465722d53747265616d2d4f7574636f6d65000000074150504c494544000000084c6f636174696f6e000000122f6170"
            + "692f76312f6f72646572732f6f2d310000000c436f6e74656e742d54797065000000106170706c69636174696f6e2f6a"
            + "736f6e00000024000000247b226f726465724964223a226f2d31222c22737461747573223a2250454e44494e47227d");
    /** Format 1 (commit b51b4cd): status 200, one header, a 2,2xx-byte body deflated. */
    private static final byte[] FORMAT_1_COMPRESSED = hex(""
            + "01010000019b76daa8000000019b7c010400000000403966383664303831383834633764363539613266656161306335"
            + "356164303135613362663466316232623062383232636431356436633135623066303061303800c800010000000c436f"
            + "6e74656e742d54797065000000106170706c69636174696f6e2f6a736f6e00000709000000be78017dd03d0ac2501046"
            + "d1bd4c1dc1f966c69fb7054bb1120b0b8ba004244921217bb7158b5b9fee2cf6ea87c768edbad8f89cadd9f974d96cad"
            + "b3f77c1fa67efa58f3b5fb4527146110266111ee08f78407c223a173111e3926392e3936393e3946394e3956395e09af"
            + "8457c22be195f04a7825bc125e09af845781578157815781578157815781578157815781578957895789578957895789"
            + "578957895789578957855785578557855785578557855785578557f57f755bbf4f832474");
    private static final String BIG_BODY = "{\"lines\":[{\"sku\":\"SKU-0\",\"quantity\":1},{\"sku\":\"SKU-1\",\"quantity\":1},{\"sku\":\"SKU-2\",\"quantity\":1},{\"sku\":\"SKU-3\",\"quantity\":1},{\"sku\":\"SKU-4\",\"quantity\":1},{\"sku\":\"SKU-5\",\"quantity\":1},{\"sku\":\"SKU-6\",\"quantity\":1},{\"sku\":\"SKU-7\",\"quantity\":1},{\"sku\":\"SKU-8\",\"quantity\":1},{\"sku\":\"SKU-9\",\"quantity\":1},{\"sku\":\"SKU-10\",\"quantity\":1},{\"sku\":\"SKU-11\",\"quantity\":1},{\"sku\":\"SKU-12\",\"quantity\":1},{\"sku\":\"SKU-13\",\"quantity\":1},{\"sku\":\"SKU-14\",\"quantity\":1},{\"sku\":\"SKU-15\",\"quantity\":1},{\"sku\":\"SKU-16\",\"quantity\":1},{\"sku\":\"SKU-17\",\"quantity\":1},{\"sku\":\"SKU-18\",\"quantity\":1},{\"sku\":\"SKU-19\",\"quantity\":1},{\"sku\":\"SKU-20\",\"quantity\":1},{\"sku\":\"SKU-21\",\"quantity\":1},{\"sku\":\"SKU-22\",\"quantity\":1},{\"sku\":\"SKU-23\",\"quantity\":1},{\"sku\":\"SKU-24\",\"quantity\":1},{\"sku\":\"SKU-25\",\"quantity\":1},{\"sku\":\"SKU-26\",\"quantity\":1},{\"sku\":\"SKU-27\",\"quantity\":1},{\"sku\":\"SKU-28\",\"quantity\":1},{\"sku\":\"SKU-29\",\"quantity\":1},{\"sku\":\"SKU-30\",\"quantity\":1},{\"sku\":\"SKU-31\",\"quantity\":1},{\"sku\":\"SKU-32\",\"quantity\":1},{\"sku\":\"SKU-33\",\"quantity\":1},{\"sku\":\"SKU-34\",\"quantity\":1},{\"sku\":\"SKU-35\",\"quantity\":1},{\"sku\":\"SKU-36\",\"quantity\":1},{\"sku\":\"SKU-37\",\"quantity\":1},{\"sku\":\"SKU-38\",\"quantity\":1},{\"sku\":\"SKU-39\",\"quantity\":1},{\"sku\":\"SKU-40\",\"quantity\":1},{\"sku\":\"SKU-41\",\"quantity\":1},{\"sku\":\"SKU-42\",\"quantity\":1},{\"sku\":\"SKU-43\",\"quantity\":1},{\"sku\":\"SKU-44\",\"quantity\":1},{\"sku\":\"SKU-45\",\"quantity\":1},{\"sku\":\"SKU-46\",\"quantity\":1},{\"sku\":\"SKU-47\",\"quantity\":1},{\"sku\":\"SKU-48\",\"quantity\":1},{\"sku\":\"SKU-49\",\"quantity\":1},{\"sku\":\"SKU-50\",\"quantity\":1},{\"sku\":\"SKU-51\",\"quantity\":1},{\"sku\":\"SKU-52\",\"quantity\":1},{\"sku\":\"SKU-53\",\"quantity\":1},{\"sku\":\"SKU-54\",\"quantity\":1},{\"sku\":\"SKU-55\",\"quantity\":1},{\"sku\":\"SKU-56\",\"quantity\":1},{\"sku\":\"SKU-57\",\"quantity\":1},{\"sku\":\"SKU-58\",\"quantity\":1},{\"sku\":\"SKU-59\",\"quantity\":1}]}";
    /** Format 2: the fingerprint packed, no headers, a 36-byte body. */
    private static final byte[] FORMAT_2 = hex(""
            + "02020000019b76daa8000000019b7c0104009f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f0"
            + "0a0800c9000000000024000000247b226f726465724964223a226f2d31222c22737461747573223a2250454e44494e47"
            + "227d");

    @Test
    void format1_isRead() {
        IdempotencyRecord record = RecordCodec.decode(FORMAT_1);

        assertThat(record.fingerprint()).isEqualTo(SHA256);
        assertThat(record.createdAtMs()).isEqualTo(CREATED);
        assertThat(record.expiresAtMs()).isEqualTo(EXPIRES).isEqualTo(RecordCodec.expiresAt(FORMAT_1));
        assertThat(record.response()).isEqualTo(new StoredResponse(201, Map.of("Content-Type", "application/json",
                "Order-Stream-Outcome", "APPLIED", "Location", "/api/v1/orders/o-1"),
                utf8("{\"orderId\":\"o-1\",\"status\":\"PENDING\"}")));
    }

    @Test
    void format1_compressed_isRead() {
        IdempotencyRecord record = RecordCodec.decode(FORMAT_1_COMPRESSED);

        assertThat(record.response()).isEqualTo(new StoredResponse(200, Map.of("Content-Type", "application/json"),
                utf8(BIG_BODY)));
        assertThat(RecordCodec.expiresAt(FORMAT_1_COMPRESSED)).isEqualTo(EXPIRES);
    }

    @Test
    void format2_isWritten_withTheFingerprintPacked_andRead() {
        IdempotencyRecord record = new IdempotencyRecord(SHA256, new StoredResponse(201, Map.of(),
                utf8("{\"orderId\":\"o-1\",\"status\":\"PENDING\"}")), CREATED, EXPIRES);

        byte[] written = RecordCodec.encode(record, 1024);

        assertThat(written).isEqualTo(FORMAT_2);
        assertThat(written.length).as("32 bytes less than the hex fingerprint").isEqualTo(1 + 1 + 8 + 8 + 32 + 2 + 2
                + 4 + 4 + 36);
        assertThat(RecordCodec.decode(written)).isEqualTo(record);
        assertThat(RecordCodec.expiresAt(written)).isEqualTo(EXPIRES);
    }

    @Test
    void anyFingerprint_andAnyResponse_comeBackAsTheyWere() {
        for (String fingerprint : new String[] {SHA256, SHA256.toUpperCase(), "fp1", "", SHA256 + "0",
                SHA256.substring(1) + "g", "\u00e9t\u00e9-\ud83d\ude00"}) {
            for (int bodyLength : new int[] {0, 10, 1024, 1025, 5000}) {
                byte[] body = "{\"a\":1}".repeat(bodyLength / 7 + 1).substring(0, bodyLength).getBytes(StandardCharsets.UTF_8);
                IdempotencyRecord record = new IdempotencyRecord(fingerprint, new StoredResponse(409,
                        Map.of("Content-Type", "application/problem+json"), body), CREATED, EXPIRES);
                assertThat(RecordCodec.decode(RecordCodec.encode(record, 1024))).as(fingerprint + "/" + bodyLength)
                        .isEqualTo(record);
            }
        }
    }

    @Test
    void aFormatThisVersionDoesNotKnow_isAClearError() {
        byte[] future = FORMAT_2.clone();
        future[0] = 3;

        assertThatThrownBy(() -> RecordCodec.decode(future)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown idempotency record format 3");
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
