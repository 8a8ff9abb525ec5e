package io.orderstream.idempotency.internals;

import io.orderstream.idempotency.IdempotencyRecord;
import io.orderstream.idempotency.StoredResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The bytes of a stored record:
 *
 * <pre>
 * format (1) | flags (1) | createdAt (8) | expiresAt (8) | fingerprint (4 + n) | status (2)
 *   | header count (2) | (name (4 + n), value (4 + n))* | body length uncompressed (4) | body (4 + n)
 * </pre>
 *
 * Flag bit 0: the body is deflate-compressed. A body is compressed only above the threshold and
 * only when that makes it smaller.
 */
final class RecordCodec {

    private static final byte FORMAT = 1;
    private static final byte COMPRESSED = 0x01;

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
        byte[] fingerprint = utf8(record.fingerprint());
        int size = 1 + 1 + 8 + 8 + 4 + fingerprint.length + 2 + 2 + 4 + 4 + body.length;
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            size += 8 + utf8(header.getKey()).length + utf8(header.getValue()).length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT).put(flags).putLong(record.createdAtMs())
                .putLong(record.expiresAtMs());
        putBytes(out, fingerprint);
        out.putShort((short) response.status()).putShort((short) response.headers().size());
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            putBytes(out, utf8(header.getKey()));
            putBytes(out, utf8(header.getValue()));
        }
        out.putInt(response.body().length);
        putBytes(out, body);
        return out.array();
    }

    static IdempotencyRecord decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalStateException("unknown idempotency record format " + format);
        }
        byte flags = in.get();
        long createdAt = in.getLong();
        long expiresAt = in.getLong();
        String fingerprint = new String(getBytes(in), StandardCharsets.UTF_8);
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
