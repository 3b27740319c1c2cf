package io.portcullis.policy;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Test helper for the signature tables. A reset removes all bundles but raises the activation number, so an
 * activation of an earlier test can never pass for a later one (the same rule as the policy version).
 */
@ApplicationScoped
public class SignatureDatabase {
    private final AgroalDataSource dataSource;

    public SignatureDatabase(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void reset() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE policy.signature_state SET active_version = NULL, activation = activation + 1, "
                    + "activated_at = NULL");
            s.execute("DELETE FROM policy.signature_bundle");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What another instance's activation does to the state row (without an outbox row). */
    public void activateElsewhere(String version) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE policy.signature_state SET active_version = ?, activation = activation + 1, "
                        + "activated_at = now()")) {
            s.setString(1, version);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long bundles() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM policy.signature_bundle")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long outbox() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM policy.outbox")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
