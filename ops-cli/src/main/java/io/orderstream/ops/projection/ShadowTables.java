package io.orderstream.ops.projection;

import io.orderstream.projection.ProjectionRows;
import io.orderstream.projection.ProjectionSchema;
import io.orderstream.projection.ProjectionTables;
import io.orderstream.events.EventEnvelope;
import io.orderstream.events.OrderKey;
import io.orderstream.events.OrderState;
import io.orderstream.ops.support.OpsException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rebuild's copies of the projection tables: {@code orders_rebuild} and {@code order_events_rebuild},
 * shaped like the live ones ({@code LIKE … INCLUDING ALL}, so later migrations are followed), loaded
 * without indexes, then given the live tables' indexes, constraints, owner and grants, and finally
 * renamed over the live tables in one transaction.
 */
final class ShadowTables {

    static final String ORDERS = ProjectionSchema.ORDERS;
    static final String EVENTS = ProjectionSchema.EVENTS;
    static final List<String> LIVE = List.of(EVENTS, ORDERS);
    static final String SHADOW = "_rebuild";
    static final String PREVIOUS = "_previous";
    private static final String TEMPORARY_INDEX = "rb_";
    private static final Pattern INDEX_DEFINITION =
            Pattern.compile("^(CREATE (?:UNIQUE )?INDEX )(\\S+)( ON (?:ONLY )?)(\\S+)( USING .*)$");

    private final Connection connection;
    /** Per live table, its indexes: live name and the shadow's temporary name. */
    private final List<IndexName> indexes = new ArrayList<>();

    private record IndexName(String table, String live, String shadow) {
    }

    private ShadowTables(Connection connection) {
        this.connection = connection;
    }

    static String shadow(String table) {
        return table + SHADOW;
    }

    /** Creates empty shadow tables, dropping any a previous, interrupted rebuild left behind. */
    static ShadowTables create(Connection connection) throws SQLException {
        for (String table : List.of(ORDERS, EVENTS, ProjectionSchema.OFFSETS)) {
            if (!exists(connection, table)) {
                throw OpsException.error("table " + table + " does not exist in this database: start the processor "
                        + "once against it (it migrates the schema with Flyway), or check --db-url");
            }
        }
        ShadowTables tables = new ShadowTables(connection);
        tables.drop();
        try (Statement ddl = connection.createStatement()) {
            for (String table : LIVE) {
                ddl.execute("CREATE TABLE " + shadow(table) + " (LIKE " + table + " INCLUDING ALL EXCLUDING INDEXES)");
            }
        }
        connection.commit();
        return tables;
    }

    CopyStream copyEvents() throws SQLException {
        return new CopyStream(connection, shadow(EVENTS), ProjectionRows.EVENT_COLUMNS);
    }

    CopyStream copyOrders() throws SQLException {
        return new CopyStream(connection, shadow(ORDERS), ProjectionRows.ORDER_COLUMNS);
    }

    /**
     * Gives the loaded shadow tables what the live ones have: every index and unique or primary key
     * constraint (under temporary names until the swap), the owner and the grants; then statistics.
     */
    void finishLoad() throws SQLException {
        try (Statement settings = connection.createStatement()) {
            settings.execute("SET LOCAL maintenance_work_mem = '512MB'");
        }
        for (String table : LIVE) {
            List<String[]> definitions = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT i.relname, pg_get_indexdef(i.oid), pg_get_constraintdef(con.oid)
                      FROM pg_index x
                      JOIN pg_class i ON i.oid = x.indexrelid
                      LEFT JOIN pg_constraint con
                             ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x')
                     WHERE x.indrelid = ?::regclass
                     ORDER BY i.relname""")) {
                query.setString(1, table);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        definitions.add(new String[] {row.getString(1), row.getString(2), row.getString(3)});
                    }
                }
            }
            try (Statement ddl = connection.createStatement()) {
                for (String[] index : definitions) {
                    String temporary = truncate(TEMPORARY_INDEX + index[0]);
                    if (index[2] != null) {
                        ddl.execute("ALTER TABLE " + shadow(table) + " ADD CONSTRAINT " + temporary + " " + index[2]);
                    } else {
                        Matcher definition = INDEX_DEFINITION.matcher(index[1]);
                        if (!definition.matches()) {
                            throw OpsException.error("cannot copy index " + index[0] + ": " + index[1]);
                        }
                        ddl.execute(definition.group(1) + temporary + definition.group(3) + shadow(table)
                                + definition.group(5));
                    }
                    indexes.add(new IndexName(table, index[0], temporary));
                }
                copyOwnerAndGrants(ddl, table);
            }
        }
        connection.commit();
        // statistics, hint bits and the visibility map now, so that neither the parity check nor the
        // swap's commit pays for them (VACUUM cannot run inside a transaction)
        connection.setAutoCommit(true);
        try (Statement vacuum = connection.createStatement()) {
            for (String table : LIVE) {
                vacuum.execute("VACUUM (ANALYZE) " + shadow(table));
            }
        } finally {
            connection.setAutoCommit(false);
        }
    }

    private void copyOwnerAndGrants(Statement ddl, String table) throws SQLException {
        List<String> statements = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT quote_ident(pg_get_userbyid(c.relowner)), pg_get_userbyid(c.relowner) <> current_user
                  FROM pg_class c WHERE c.oid = ?::regclass""")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                if (row.next() && row.getBoolean(2)) {
                    statements.add("ALTER TABLE " + shadow(table) + " OWNER TO " + row.getString(1));
                }
            }
        }
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                       a.privilege_type, a.is_grantable
                  FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
                 WHERE c.oid = ?::regclass AND a.grantee <> c.relowner""")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    statements.add("GRANT " + row.getString(2) + " ON " + shadow(table) + " TO " + row.getString(1)
                            + (row.getBoolean(3) ? " WITH GRANT OPTION" : ""));
                }
            }
        }
        for (String statement : statements) {
            ddl.execute(statement);
        }
    }

    /** Writes events the fold found new, and the orders they changed (catching up after the bulk load). */
    void upsert(List<EventEnvelope> events, Map<OrderKey, OrderState> orders) throws SQLException {
        ProjectionTables shadowTables = ProjectionTables.named(shadow(ORDERS), shadow(EVENTS));
        shadowTables.insertEvents(connection, events);
        shadowTables.replaceOrders(connection, orders);
    }

    /**
     * Puts the shadow tables in the live tables' place, inside the caller's transaction (which must
     * already hold the projector's lock), and commits. Readers wait for the renames, never fail.
     *
     * @param keepPrevious keep the replaced tables as {@code *_previous} instead of dropping them
     */
    void swap(boolean keepPrevious) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("LOCK TABLE " + String.join(", ", LIVE) + " IN ACCESS EXCLUSIVE MODE");
            for (String table : LIVE) {
                if (keepPrevious) {
                    ddl.execute("ALTER TABLE " + table + " RENAME TO " + table + PREVIOUS);
                    for (IndexName index : indexes(table)) {
                        ddl.execute("ALTER INDEX " + index.live() + " RENAME TO " + previousName(index.live()));
                    }
                } else {
                    ddl.execute("DROP TABLE " + table);
                }
                ddl.execute("ALTER TABLE " + shadow(table) + " RENAME TO " + table);
                for (IndexName index : indexes(table)) {
                    ddl.execute("ALTER INDEX " + index.shadow() + " RENAME TO " + index.live());
                }
            }
        }
        connection.commit();
    }

    /** Drops the {@code *_previous} tables of an earlier rebuild, to make room for this one's. */
    void dropPrevious() throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            for (String table : LIVE) {
                ddl.execute("DROP TABLE IF EXISTS " + table + PREVIOUS);
            }
        }
        connection.commit();
    }

    /** Drops the shadow tables (nothing else); the live tables are never touched here. */
    void drop() throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            for (String table : LIVE) {
                ddl.execute("DROP TABLE IF EXISTS " + shadow(table));
            }
        }
        connection.commit();
    }

    private List<IndexName> indexes(String table) {
        return indexes.stream().filter(index -> index.table().equals(table)).toList();
    }

    private static String previousName(String index) {
        return truncate(index.length() > 54 ? index.substring(0, 54) + PREVIOUS : index + PREVIOUS);
    }

    private static String truncate(String name) {
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }
}
