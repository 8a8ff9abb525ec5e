package io.orderstream.ops.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** Where PostgreSQL is: the projection's database, as the services see it. */
public final class DbOptions {

    @Option(names = "--db-url", paramLabel = "JDBC-URL",
            defaultValue = "${env:ORDERS_DB_URL:-jdbc:postgresql://localhost:5432/postgres}",
            description = "PostgreSQL holding the projection (env ORDERS_DB_URL; default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:ORDERS_DB_USER:-postgres}",
            description = "PostgreSQL user (env ORDERS_DB_USER; default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:ORDERS_DB_PASSWORD:-postgres}",
            showDefaultValue = Visibility.NEVER,
            description = "PostgreSQL password (env ORDERS_DB_PASSWORD; the local stack's by default).")
    String password;

    public Connection connect() {
        try {
            Connection connection = DriverManager.getConnection(url, user, password);
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw OpsException.error("cannot connect to PostgreSQL at " + url + " as " + user + ": " + e.getMessage()
                    + " (is it running? see --db-url/--db-user/--db-password or ORDERS_DB_URL/_USER/_PASSWORD)");
        }
    }

    public String url() {
        return url;
    }
}
