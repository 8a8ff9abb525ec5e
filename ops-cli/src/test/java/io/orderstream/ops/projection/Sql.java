package io.orderstream.ops.projection;

import io.orderstream.local.TestStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Statements against the test stack's PostgreSQL, as an operator (or an incident) would run them. */
final class Sql {

    private Sql() {
    }

    static int execute(TestStack stack, String sql, String... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl, stack.dbUser, stack.dbPassword);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    static String queryString(TestStack stack, String sql, String... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl, stack.dbUser, stack.dbPassword);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
