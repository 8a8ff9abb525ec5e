package io.orderstream.local;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where the integration tests find Kafka and PostgreSQL, decided at run time:
 * <ol>
 *   <li>addresses from the environment ({@code ORDERS_TEST_KAFKA_BOOTSTRAP_SERVERS},
 *       {@code ORDERS_TEST_DB_URL} with {@code ORDERS_TEST_DB_USER}/{@code ORDERS_TEST_DB_PASSWORD});</li>
 *   <li>Testcontainers, when asked for with {@code ORDERS_TEST_INFRA=testcontainers} and a Docker
 *       engine answers (the images the project deploys);</li>
 *   <li>otherwise real servers started here: a KRaft broker and embedded PostgreSQL binaries.</li>
 * </ol>
 */
public final class Infrastructure {

    static final String KAFKA_ENV = "ORDERS_TEST_KAFKA_BOOTSTRAP_SERVERS";
    static final String DB_URL_ENV = "ORDERS_TEST_DB_URL";
    static final String INFRA_ENV = "ORDERS_TEST_INFRA";

    enum Source { ENVIRONMENT, TESTCONTAINERS, EMBEDDED }

    private Infrastructure() {
    }

    static Source kafka(Map<String, String> env, BooleanSupplier dockerAvailable) {
        return choose(env, KAFKA_ENV, dockerAvailable);
    }

    static Source postgres(Map<String, String> env, BooleanSupplier dockerAvailable) {
        return choose(env, DB_URL_ENV, dockerAvailable);
    }

    private static Source choose(Map<String, String> env, String addressVariable, BooleanSupplier dockerAvailable) {
        if (!blank(env.get(addressVariable))) {
            return Source.ENVIRONMENT;
        }
        String wanted = env.getOrDefault(INFRA_ENV, "");
        if (wanted.equalsIgnoreCase("testcontainers")) {
            if (!dockerAvailable.getAsBoolean()) {
                throw new IllegalStateException(INFRA_ENV + "=testcontainers, but no Docker engine answers. Start one, "
                        + "or unset " + INFRA_ENV + " to test against servers started in-process.");
            }
            return Source.TESTCONTAINERS;
        }
        if (!blank(wanted) && !wanted.equalsIgnoreCase("embedded")) {
            throw new IllegalStateException(INFRA_ENV + " must be 'testcontainers' or 'embedded', was '" + wanted + "'");
        }
        return Source.EMBEDDED;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
