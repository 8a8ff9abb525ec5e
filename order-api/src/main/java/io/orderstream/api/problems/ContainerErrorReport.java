package io.orderstream.api.problems;

import io.orderstream.events.Json;
import io.orderstream.events.Problem;
import io.orderstream.events.ProblemType;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.MediaType;

/**
 * Tomcat's last word on a request the application never saw: one Tomcat refuses while parsing it
 * (headers too large, an encoded '/' or invalid UTF-8 in the path, a malformed request line). It
 * answers a problem instead of Tomcat's HTML page, so that even these are
 * {@code application/problem+json}. Everything that reaches the application is answered by
 * {@link ProblemAdvice}.
 */
public class ContainerErrorReport extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as Tomcat's own: nothing for a success, for a body already written, or for an error reported before
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ProblemType type = Problems.forStatus(status);
        String detail = type == ProblemType.BAD_REQUEST
                ? "The request was refused before it reached the API: its URL, headers or framing are malformed."
                : type.title() + ".";
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                // the status stays what Tomcat decided; the type is the general one for it
                Problem problem = new Problem(type.uri().toString(), type.title(), status, detail);
                writer.write(new String(Json.write(problem), StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException unanswerable) {
            // the connection is gone or the response committed: nothing more can be said
        }
    }
}
