package io.orderstream.idempotency.internals;

import io.orderstream.idempotency.IdempotencyRecord;
import io.orderstream.idempotency.StoredResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The bytes of a stored record. The first byte names the format, so that a value written by any
 * earlier version is still read, and the next change can add a format the same way:
 *
 * <pre>
 * format 2 (written): format (1) | flags (1) | createdAt (8) | expiresAt (8)
 *   | fingerprint: 32 bytes if flag bit 1 (a lower-case hex SHA-256, packed), else (4 + n) UTF-8
 *   | status (2) | header count (2) | (name (4 + n), value (4 + n))* | body length uncompressed (4) | body (4 + n)
 * format 1 (read only; today's records until they expire): as format 2, the fingerprint always (4 + n) UTF-8
 * </pre>
 *
 * Flag bit 0: the body is deflate-compressed. A body is compressed only above the threshold and
 * only when that makes it smaller. Both formats keep {@code expiresAt} at offset 10, which the
 * store's expiry index reads without decoding the rest ({@link #expiresAt}).
 */
final class RecordCodec {

    static final byte FORMAT_1 = 1;
    static final byte FORMAT_2 = 2;
    private static final byte COMPRESSED = 0x01;
    private static final byte PACKED_FINGERPRINT = 0x02;
    private static final int SHA256_HEX = 64;
    private static final int EXPIRES_AT_OFFSET = 10;

    private RecordCodec() {
    }

    static byte[] encode(IdempotencyRecord record, int compressAboveBytes) {
        StoredResponse response = record.response();
        byte[] body = response.body();
        byte flags = 0;
        if (body.length > compressAboveBytes) {
            byte[] deflated = deflate(body);
            if (deflated.length < body.length) {
                body = deflated;
                flags |= COMPRESSED;
            }
        }
        byte[] fingerprint = packed(record.fingerprint());
        if (fingerprint != null) {
            flags |= PACKED_FINGERPRINT;
        } else {
            fingerprint = utf8(record.fingerprint());
        }
        int size = 1 + 1 + 8 + 8 + ((flags & PACKED_FINGERPRINT) != 0 ? 0 : 4) + fingerprint.length + 2 + 2 + 4 + 4
                + body.length;
        byte[][] headers = new byte[response.headers().size() * 2][];
        int h = 0;
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            headers[h++] = utf8(header.getKey());
            headers[h++] = utf8(header.getValue());
        }
        for (byte[] part : headers) {
            size += 4 + part.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT_2).put(flags).putLong(record.createdAtMs())
                .putLong(record.expiresAtMs());
        if ((flags & PACKED_FINGERPRINT) != 0) {
            out.put(fingerprint);
        } else {
            putBytes(out, fingerprint);
        }
        out.putShort((short) response.status()).putShort((short) response.headers().size());
        for (byte[] part : headers) {
            putBytes(out, part);
        }
        out.putInt(response.body().length);
        putBytes(out, body);
        return out.array();
    }

    static IdempotencyRecord decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte format = in.get();
        if (format != FORMAT_1 && format != FORMAT_2) {
            throw new IllegalStateException("unknown idempotency record format " + format
                    + " (a newer version wrote it; this one reads formats 1 and 2)");
        }
        byte flags = in.get();
        long createdAt = in.getLong();
        long expiresAt = in.getLong();
        String fingerprint;
        if (format == FORMAT_2 && (flags & PACKED_FINGERPRINT) != 0) {
            byte[] digest = new byte[SHA256_HEX / 2];
            in.get(digest);
            fingerprint = HexFormat.of().formatHex(digest);
        } else {
            fingerprint = new String(getBytes(in), StandardCharsets.UTF_8);
        }
        int status = in.getShort();
        int headerCount = in.getShort();
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerCount; i++) {
            headers.put(new String(getBytes(in), StandardCharsets.UTF_8), new String(getBytes(in), StandardCharsets.UTF_8));
        }
        int bodyLength = in.getInt();
        byte[] body = getBytes(in);
        if ((flags & COMPRESSED) != 0) {
            body = inflate(body, bodyLength);
        }
        return new IdempotencyRecord(fingerprint, new StoredResponse(status, headers, body), createdAt, expiresAt);
    }

    /** Until when a stored value keeps its key, read without decoding it (every format has it at one place). */
    static long expiresAt(byte[] value) {
        return ByteBuffer.wrap(value, EXPIRES_AT_OFFSET, 8).getLong();
    }

    /** The 32 bytes of a lower-case hex SHA-256 (what {@code RequestFingerprint} makes), else null. */
    private static byte[] packed(String fingerprint) {
        if (fingerprint.length() != SHA256_HEX) {
            return null;
        }
        for (int i = 0; i < SHA256_HEX; i++) {
            char c = fingerprint.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return HexFormat.of().parseHex(fingerprint);
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 16);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] data, int length) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] out = new byte[length];
            int read = 0;
            while (read < length && !inflater.finished()) {
                int n = inflater.inflate(out, read, length - read);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                read += n;
            }
            if (read != length) {
                throw new IllegalStateException("a stored response body is corrupt: " + read + " of " + length
                        + " bytes inflated");
            }
            return out;
        } catch (DataFormatException e) {
            throw new IllegalStateException("a stored response body is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    private static byte[] getBytes(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
