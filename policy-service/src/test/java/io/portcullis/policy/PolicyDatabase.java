package io.portcullis.policy;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Test helper: resets the policy schema to the seed by re-running the seed migrations' SQL (V8 converts the seeded
 * short-form rules to the full form again) and empties the audit and version history. The version row is
 * kept, so versions keep rising across tests and an event of an earlier test can never pass for a later one.
 */
@ApplicationScoped
public class PolicyDatabase {
    private final AgroalDataSource dataSource;

    public PolicyDatabase(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void resetToSeed() {
        String seed = migration("V2__seed_default_policy.sql") + "\n" + migration("V3__seed_antivirus_category_rules.sql")
                + "\n" + migration("V5__sender_lists.sql") + "\n" + migration("V6__seed_dmarc_reject_rule.sql")
                + "\n" + migration("V8__full_rules_versions_audit.sql");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO policy");
            s.execute("DELETE FROM outbox; DELETE FROM rule; DELETE FROM accepted_domain; DELETE FROM setting");
            s.execute("DELETE FROM sender_list");
            s.execute("DELETE FROM policy_audit; DELETE FROM policy_version_snapshot; DELETE FROM notification_template");
            s.execute(seed);
            s.execute("SET search_path TO DEFAULT");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String migration(String name) {
        try (InputStream in = getClass().getResourceAsStream("/db/migration/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs SQL in the policy schema (to store what the API would refuse). */
    public void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO policy");
            s.execute(sql);
            s.execute("SET search_path TO DEFAULT");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String table) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM policy." + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
