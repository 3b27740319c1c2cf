package io.portcullis.policy.signatures;

import io.agroal.api.AgroalDataSource;
import io.portcullis.policy.service.DuplicateEntryException;
import io.portcullis.policy.service.UnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Makes sure only one publication of a given version runs at a time across all instances, so two uploads of the
 * same version can never overwrite each other's S3 object (the loser would leave the winner's row pointing at
 * different bytes). A PostgreSQL session advisory lock on a connection of its own, held from before the S3 upload
 * until after the transaction that inserts the row; it goes away with the session if the process dies.
 */
@ApplicationScoped
public class PublishLock {
    private static final Logger LOG = Logger.getLogger(PublishLock.class);
    private static final String KEY = "hashtextextended('portcullis.signature-bundle:' || ?, 0)";

    private final AgroalDataSource dataSource;

    public PublishLock(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A held lock; {@link #close()} releases it. */
    public final class Held implements AutoCloseable {
        private final Connection connection;
        private final String version;

        private Held(Connection connection, String version) {
            this.connection = connection;
            this.version = version;
        }

        @Override
        public void close() {
            try (Connection c = connection; PreparedStatement unlock = c.prepareStatement(
                    "SELECT pg_advisory_unlock(" + KEY + ")")) {
                unlock.setString(1, version);
                unlock.execute();
            } catch (SQLException e) {
                LOG.warnf("could not release the publication lock of bundle %s: %s", version, e.getMessage());
            }
        }
    }

    /**
     * @throws DuplicateEntryException 409 when another publication of this version is running
     * @throws UnavailableException    503 when the database cannot be reached
     */
    public Held acquire(String version) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
                lock.setString(1, version);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return new Held(connection, version);
                    }
                }
            }
            connection.close();
            throw new DuplicateEntryException("version", "signature bundle " + version + " is being published");
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new UnavailableException("database unavailable: " + e.getMessage());
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the pool discards a broken connection
            }
        }
    }
}
