package io.orderstream.api.orders;

import io.orderstream.api.http.ApiHeaders;
import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.events.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import org.springframework.security.web.firewall.RequestRejectedException;

/** The {@code Idempotency-Key} header: required on commands, 1–255 printable ASCII characters. */
final class IdempotencyKeys {

    static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    static String require(HttpServletRequest request) {
        List<String> values;
        try {
            values = Collections.list(request.getHeaders(ApiHeaders.IDEMPOTENCY_KEY));
        } catch (RequestRejectedException controlCharacters) {
            // the firewall refuses values with control characters as they are read
            throw new ApiProblemException(ProblemType.IDEMPOTENCY_KEY_INVALID,
                    "Idempotency-Key must be 1-" + MAX_LENGTH + " printable ASCII characters.");
        }
        if (values.isEmpty()) {
            throw new ApiProblemException(ProblemType.IDEMPOTENCY_KEY_MISSING,
                    "POST and PUT require an Idempotency-Key header (1-255 printable ASCII characters).");
        }
        if (values.size() > 1) {
            throw new ApiProblemException(ProblemType.IDEMPOTENCY_KEY_INVALID, "Send exactly one Idempotency-Key header.");
        }
        String key = values.get(0);
        if (!isValid(key)) {
            throw new ApiProblemException(ProblemType.IDEMPOTENCY_KEY_INVALID,
                    "Idempotency-Key must be 1-" + MAX_LENGTH + " printable ASCII characters.");
        }
        return key;
    }

    static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return !key.isBlank();
    }
}
