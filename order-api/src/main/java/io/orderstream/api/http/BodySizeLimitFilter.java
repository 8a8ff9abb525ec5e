package io.orderstream.api.http;

import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.api.problems.FilterProblems;
import io.orderstream.events.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a body over the limit cheaply, before authentication and before it is read: at once
 * when {@code Content-Length} announces it, and as soon as the limit is passed when it streams
 * in without one (chunked). Either way the answer is a 413 problem; at most the limit plus one
 * byte is ever held.
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {

    private final int maxBytes;
    private final FilterProblems problems;

    public BodySizeLimitFilter(int maxBytes, FilterProblems problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long announced = request.getContentLengthLong();
        if (announced > maxBytes) {
            problems.answer(request, response, tooLarge());
            return;
        }
        chain.doFilter(new LimitedRequest(request, maxBytes), response);
    }

    private ApiProblemException tooLarge() {
        return new ApiProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                "The body is larger than " + maxBytes + " bytes, the most accepted.");
    }

    /** Thrown by the body stream past the limit; carries the problem to answer. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(ApiProblemException problem) {
            super(problem.getMessage(), problem);
        }
    }

    private final class LimitedRequest extends HttpServletRequestWrapper {
        private final int limit;
        private ServletInputStream body;

        LimitedRequest(HttpServletRequest request, int limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new LimitedInputStream(super.getInputStream(), limit);
            }
            return body;
        }
    }

    private final class LimitedInputStream extends ServletInputStream {
        private final ServletInputStream in;
        private final int limit;
        private long read;

        LimitedInputStream(ServletInputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(tooLarge());
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
