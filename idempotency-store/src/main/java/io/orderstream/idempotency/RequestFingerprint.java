package io.orderstream.idempotency;

import io.orderstream.idempotency.internals.CanonicalJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint of a request: SHA-256 over its method, path and the canonical form of its JSON
 * body. Key order, insignificant whitespace and equivalent number spellings ({@code 1.0}/{@code 1},
 * {@code 1e2}/{@code 100}) do not change it; anything meaningful does. A body that is not JSON is
 * fingerprinted as its raw bytes. Nothing is encoded lossily: two requests that differ in any
 * character (a lone surrogate against {@code ?} included) never share a fingerprint; text that
 * UTF-8 cannot encode fails rather than being replaced.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    /** Lower-case hex SHA-256. */
    public static String of(String method, String path, byte[] body) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
        sha256.update(CanonicalJson.strictUtf8(method));
        sha256.update((byte) '\n');
        sha256.update(CanonicalJson.strictUtf8(path));
        sha256.update((byte) '\n');
        sha256.update(body == null || body.length == 0 ? new byte[0] : CanonicalJson.canonicalOrRaw(body));
        return HexFormat.of().formatHex(sha256.digest());
    }
}
