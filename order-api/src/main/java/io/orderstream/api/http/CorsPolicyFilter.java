package io.orderstream.api.http;

import io.orderstream.api.config.ApiProperties;
import io.orderstream.api.problems.ApiProblemException;
import io.orderstream.api.problems.FilterProblems;
import io.orderstream.events.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CORS for every route, before authentication: a preflight from an allowed origin is answered
 * here (200 with the {@code Access-Control-*} headers), and so is any cross-origin request from an
 * origin, with a method or with headers that are not allowed (403 {@code cors-rejected}, without
 * a single CORS header). Same-origin and non-browser requests pass untouched.
 */
public final class CorsPolicyFilter extends OncePerRequestFilter {

    /** Headers a storefront cannot do without; allowed or exposed whatever is configured. */
    public static final List<String> REQUIRED_ALLOWED_HEADERS = List.of("Authorization", "Content-Type",
            ApiHeaders.IDEMPOTENCY_KEY);
    public static final List<String> REQUIRED_EXPOSED_HEADERS = List.of(ApiHeaders.IDEMPOTENT_REPLAYED, "Location");

    private final CorsConfiguration configuration;
    private final FilterProblems problems;
    private final DefaultCorsProcessor processor = new DefaultCorsProcessor() {
        @Override
        protected void rejectRequest(ServerHttpResponse response) {
            // answered as a problem by the filter, instead of Spring's plain-text 403
        }
    };

    public CorsPolicyFilter(ApiProperties.Cors settings, FilterProblems problems) {
        this.configuration = configuration(settings);
        this.problems = problems;
    }

    static CorsConfiguration configuration(ApiProperties.Cors settings) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOriginPatterns(nonBlank(settings.allowedOrigins()));
        cors.setAllowedMethods(nonBlank(settings.allowedMethods()).stream()
                .map(method -> method.toUpperCase(Locale.ROOT)).toList());
        cors.setAllowedHeaders(union(settings.allowedHeaders(), REQUIRED_ALLOWED_HEADERS));
        cors.setExposedHeaders(union(settings.exposedHeaders(), REQUIRED_EXPOSED_HEADERS));
        cors.setAllowCredentials(false);
        cors.setMaxAge(settings.maxAge());
        return cors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (CorsUtils.isCorsRequest(request)) {
            if (!processor.processRequest(configuration, request, response)) {
                problems.answer(request, response, new ApiProblemException(ProblemType.CORS_REJECTED,
                        "This origin, method or header is not allowed to call the API from a browser."));
                return;
            }
            if (CorsUtils.isPreFlightRequest(request)) {
                response.setStatus(HttpServletResponse.SC_OK);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static List<String> nonBlank(List<String> values) {
        return values.stream().map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    private static List<String> union(List<String> configured, List<String> required) {
        List<String> all = new ArrayList<>(nonBlank(configured));
        for (String header : required) {
            if (all.stream().noneMatch(header::equalsIgnoreCase)) {
                all.add(header);
            }
        }
        return all;
    }
}
