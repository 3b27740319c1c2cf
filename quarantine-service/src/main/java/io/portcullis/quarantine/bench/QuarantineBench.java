package io.portcullis.quarantine.bench;

import io.portcullis.quarantine.repository.SearchSql;
import io.portcullis.quarantine.service.Cursor;
import io.portcullis.quarantine.service.SearchFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@code ./portcullis bench quarantine}: seeds N quarantine items (default 1,000,000) into schema {@code quarantine}
 * of a separate database (default {@code portcullis_bench}) with the service's own migrations, through COPY, then
 * times the list and search queries the service runs (the same SQL: {@link SearchSql}): median and p95 over repeated
 * runs with varying parameters. Not a test; numbers depend on the machine.
 *
 * <p>Options: {@code --items N}, {@code --runs N} (per query, default 40), {@code --url JDBC}, {@code --user U},
 * {@code --password P}, {@code --reuse} (keep an existing seeded schema), {@code --explain} (print EXPLAIN ANALYZE).
 */
public final class QuarantineBench {
    static final String SCHEMA = "quarantine";
    static final String[] MIGRATIONS = {"V1__quarantine_index.sql", "V2__quarantine_items_per_group.sql",
            "V3__areas_recipients_search.sql", "V4__search_indexes.sql"};
    static final int OWNERS = 100;
    static final String[] AREAS = {"spam", "virus", "policy", "dlp", "unscannable"};
    static final int[] AREA_WEIGHTS = {70, 5, 10, 5, 10};

    private QuarantineBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int items = Integer.parseInt(opts.getOrDefault("items", "1000000"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "40"));
        String url = opts.getOrDefault("url", env("PORTCULLIS_BENCH_DB_URL",
                "jdbc:postgresql://localhost:5432/portcullis_bench"));
        String user = opts.getOrDefault("user", env("PORTCULLIS_DB_USER", "portcullis"));
        String password = opts.getOrDefault("password", env("PORTCULLIS_DB_PASSWORD", "portcullis"));
        Instant now = Instant.now();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            if (!(opts.containsKey("reuse") && seeded(c) >= items)) {
                seed(c, items, now);
            } else {
                System.out.printf("reusing %,d seeded items%n", seeded(c));
            }
            measure(c, runs, opts.containsKey("explain"));
        }
    }

    // ------------------------------------------------------------------ seeding

    static long seeded(Connection c) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SCHEMA + ".quarantined_message")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    static void seed(Connection c, int items, Instant now) throws SQLException, IOException {
        long t0 = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("SET search_path TO " + SCHEMA);
            for (String migration : MIGRATIONS) {
                try (InputStream in = QuarantineBench.class.getResourceAsStream("/db/migration/" + migration)) {
                    if (in == null) {
                        continue; // a migration not written yet
                    }
                    s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            // load without secondary indexes, then build them (as a restore would): far faster than row by row
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '"
                    + SCHEMA + "' AND indexname NOT LIKE '%pkey'")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1) + "\t" + rs.getString(2));
                }
            }
            for (String index : indexes) {
                s.execute("DROP INDEX " + SCHEMA + "." + index.split("\t")[0]);
            }
            c.setAutoCommit(false);
            copy(c, items, now);
            c.commit();
            c.setAutoCommit(true);
            long t1 = System.nanoTime();
            System.out.printf("seeded %,d items in %.1f s (COPY)%n", items, (t1 - t0) / 1e9);
            s.execute("SET maintenance_work_mem = '256MB'");
            for (String index : indexes) {
                s.execute(index.split("\t")[1]);
            }
            s.execute("VACUUM ANALYZE " + SCHEMA + ".quarantined_message");
            s.execute("VACUUM ANALYZE " + SCHEMA + ".quarantine_recipient");
            System.out.printf("built %d indexes and analyzed in %.1f s%n", indexes.size(),
                    (System.nanoTime() - t1) / 1e9);
        }
    }

    /** Owner i's canonical address and two aliases. */
    static List<String> owner(int i) {
        return List.of(String.format("user%02d@corp.example", i), String.format("u%02d.alias@corp.example", i),
                String.format("user%02d@corp-old.example", i));
    }

    private static void copy(Connection c, int items, Instant now) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        SplittableRandom random = new SplittableRandom(42);
        Words words = new Words();
        List<String> senders = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            senders.add(words.pick(random) + (i % 7 == 0 ? "." + words.pick(random) : "") + "@"
                    + words.pick(random) + "-" + (i % 300) + "." + (i % 3 == 0 ? "com" : i % 3 == 1 ? "net" : "org"));
        }
        StringBuilder items1 = new StringBuilder(1 << 20);
        StringBuilder recipients1 = new StringBuilder(1 << 20);
        CopyIn messages = null;
        long span = 30L * 24 * 3600 * 1_000_000; // 30 days in microseconds
        long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        List<String[]> pendingRecipients = new ArrayList<>();
        messages = pg.getCopyAPI().copyIn("COPY " + SCHEMA + ".quarantined_message (item_id, message_id, tenant,"
                + " received_at, quarantined_at, sender, recipients, subject, reason, size_bytes, sha256, bucket,"
                + " object_key, status, envelope, area) FROM STDIN");
        for (int n = 0; n < items; n++) {
            String id = String.format("B%08d%04x", n, random.nextInt(0x10000));
            long at = nowMicros - (long) (random.nextDouble() * span);
            String ts = OffsetDateTime.ofInstant(Instant.EPOCH.plusNanos(at * 1000), ZoneOffset.UTC).toString();
            String sender = senders.get((int) Math.min(senders.size() - 1, Math.abs(random.nextGaussian()) * 900));
            int count = random.nextInt(10) < 8 ? 1 : 2 + random.nextInt(2);
            List<String> rcpts = new ArrayList<>();
            for (int r = 0; r < count; r++) {
                List<String> o = owner(random.nextInt(OWNERS));
                String a = o.get(random.nextInt(10) < 8 ? 0 : 1 + random.nextInt(2));
                if (!rcpts.contains(a)) {
                    rcpts.add(a);
                }
            }
            String area = weighted(random);
            int statusRoll = random.nextInt(100);
            String status = statusRoll < 90 ? "QUARANTINED" : statusRoll < 97 ? "RELEASED" : "DELETED";
            String subject = words.subject(random, area);
            items1.append(id).append('\t').append(id).append("\tdefault\t").append(ts).append('\t').append(ts)
                    .append('\t').append(sender).append("\t{").append(String.join(",", rcpts)).append("}\t")
                    .append(escape(subject)).append("\trule=default symbols=BENCH\t")
                    .append(2000 + random.nextInt(200000)).append("\t\\N\tportcullis-quarantine\t")
                    .append(ts, 0, 10).append('/').append(id).append(".eml\t").append(status).append('\t')
                    .append("{\"mailFrom\":\"").append(sender).append("\",\"recipients\":[\"")
                    .append(String.join("\",\"", rcpts)).append("\"],\"helo\":\"mx\",\"clientIp\":\"192.0.2.1\","
                            + "\"tls\":true}\t").append(area).append('\n');
            for (String r : rcpts) {
                pendingRecipients.add(new String[] {id, r, status, ts});
            }
            if (items1.length() > (1 << 20)) {
                write(messages, items1);
            }
        }
        write(messages, items1);
        messages.endCopy();
        CopyIn rcpt = pg.getCopyAPI().copyIn("COPY " + SCHEMA + ".quarantine_recipient (item_id, address, original,"
                + " status, quarantined_at) FROM STDIN");
        for (String[] r : pendingRecipients) {
            recipients1.append(r[0]).append('\t').append(r[1]).append('\t').append(r[1]).append('\t').append(r[2])
                    .append('\t').append(r[3]).append('\n');
            if (recipients1.length() > (1 << 20)) {
                write(rcpt, recipients1);
            }
        }
        write(rcpt, recipients1);
        rcpt.endCopy();
    }

    private static String weighted(SplittableRandom random) {
        int roll = random.nextInt(100);
        for (int i = 0; i < AREAS.length; i++) {
            roll -= AREA_WEIGHTS[i];
            if (roll < 0) {
                return AREAS[i];
            }
        }
        return AREAS[0];
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ");
    }

    private static void write(CopyIn copy, StringBuilder buffer) throws SQLException {
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }

    /** A small vocabulary with a Zipf-like use, so some words are common and most are rare. */
    static final class Words {
        private static final String[] COMMON = {"invoice", "payment", "order", "account", "offer", "free", "urgent",
                "update", "meeting", "report", "delivery", "password", "winner", "discount", "security", "shipment",
                "verify", "bank", "prize", "loan", "pills", "cheap", "crypto", "bitcoin", "contract", "salary",
                "documents", "scan", "fax", "voicemail", "package", "refund", "tax", "overdue", "reminder", "quote"};
        private final String[] all;

        Words() {
            List<String> w = new ArrayList<>(Arrays.asList(COMMON));
            String syllables = "ka,lo,mi,ra,te,su,no,vi,pe,da,ro,lu,ze,fa,gi,ho,ja,be,co,wu";
            String[] s = syllables.split(",");
            for (String a : s) {
                for (String b : s) {
                    w.add(a + b + "n");
                    w.add(b + a + "r");
                }
            }
            all = w.toArray(String[]::new);
        }

        String pick(SplittableRandom random) {
            double u = random.nextDouble();
            return all[(int) Math.min(all.length - 1, Math.floor(Math.pow(all.length, u)) - 1)];
        }

        String subject(SplittableRandom random, String area) {
            int n = 3 + random.nextInt(6);
            StringBuilder b = new StringBuilder(area.equals("spam") && random.nextBoolean() ? "[SPAM] " : "");
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : " ").append(pick(random));
            }
            if (random.nextInt(4) == 0) {
                b.append(" #").append(random.nextInt(100000));
            }
            return b.toString();
        }
    }

    // ------------------------------------------------------------------ measuring

    private static void measure(Connection c, int runs, boolean explain) throws SQLException {
        SplittableRandom random = new SplittableRandom(7);
        int limit = 50;
        String[] words = {"invoice", "payment", "pills", "bitcoin", "salary", "kalon"};
        Map<String, IntFunction<SearchFilter>> queries = new LinkedHashMap<>();
        queries.put("newest page (50)", i -> SearchFilter.page(limit));
        queries.put("page by area (virus, 5%)", i -> SearchFilter.page(limit).withAreas(List.of("virus")));
        queries.put("page by area+status (spam, QUARANTINED)", i -> SearchFilter.page(limit)
                .withAreas(List.of("spam")).withStatus(io.portcullis.quarantine.entity.RecipientStatus.QUARANTINED));
        queries.put("a user's own list (owner + 2 aliases)", i -> SearchFilter.page(limit)
                .withOwners(Set.copyOf(owner(i % OWNERS))));
        queries.put("a user's own held items", i -> SearchFilter.page(limit)
                .withOwners(Set.copyOf(owner(i % OWNERS)))
                .withStatus(io.portcullis.quarantine.entity.RecipientStatus.QUARANTINED));
        queries.put("full-text (common word)", i -> SearchFilter.page(limit).withQuery(words[i % 3]));
        queries.put("full-text (rarer word, or)", i -> SearchFilter.page(limit)
                .withQuery(words[3 + i % 3] + " or prize"));
        queries.put("full-text within a user's list", i -> SearchFilter.page(limit)
                .withOwners(Set.copyOf(owner(i % OWNERS))).withQuery(words[i % 3]));
        queries.put("sender exact", i -> SearchFilter.page(limit).withSender(senderOf(c, i)));

        System.out.printf("%n%-44s %10s %10s %10s %8s%n", "query (wall clock over JDBC; server = PostgreSQL's",
                "median ms", "p95 ms", "server ms", "rows");
        System.out.printf("%-44s%n", " Execution Time, median of 5 EXPLAIN ANALYZE)");
        for (Map.Entry<String, IntFunction<SearchFilter>> q : queries.entrySet()) {
            time(c, q.getKey(), runs, i -> q.getValue().apply(i), false, explain);
        }
        time(c, "count: a user's own list", runs, i -> SearchFilter.page(limit)
                .withOwners(Set.copyOf(owner(i % OWNERS))), true, explain);
        time(c, "count: area virus", runs, i -> SearchFilter.page(limit).withAreas(List.of("virus")), true, explain);
        time(c, "count: all (1M)", Math.max(5, runs / 4), i -> SearchFilter.page(limit), true, explain);

        // page 100: walk 99 pages by cursor, then time the 100th, and the same page by OFFSET
        Cursor cursor = null;
        SearchFilter base = SearchFilter.page(limit);
        for (int page = 1; page < 100; page++) {
            cursor = lastOf(c, base.withCursor(cursor));
        }
        Cursor at99 = cursor;
        time(c, "page 100, keyset (cursor)", runs, i -> base.withCursor(at99), false, explain);
        time(c, "page 100, OFFSET 4950 (for comparison)", runs, i -> base.withOffset(99 * limit), false, explain);
        Cursor ownerCursor = null;
        SearchFilter owned = SearchFilter.page(limit).withOwners(Set.copyOf(owner(3)));
        for (int page = 1; page < 100; page++) {
            ownerCursor = lastOf(c, owned.withCursor(ownerCursor));
        }
        Cursor ownerAt99 = ownerCursor;
        time(c, "a user's page 100, keyset", runs, i -> owned.withCursor(ownerAt99), false, explain);
    }

    private static final Map<Integer, String> SENDERS = new LinkedHashMap<>();

    private static String senderOf(Connection c, int i) {
        return SENDERS.computeIfAbsent(i % 10, k -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sender FROM " + SCHEMA
                    + ".quarantined_message ORDER BY quarantined_at DESC OFFSET " + (k * 977) + " LIMIT 1")) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Cursor lastOf(Connection c, SearchFilter filter) throws SQLException {
        try (PreparedStatement s = SearchSql.of(SCHEMA, filter).page(c, filter.limit(), filter.offset());
                ResultSet rs = s.executeQuery()) {
            Cursor last = null;
            while (rs.next()) {
                last = Cursor.after(rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(1));
            }
            return last;
        }
    }

    private static void time(Connection c, String name, int runs, IntFunction<SearchFilter> filters, boolean count,
            boolean explain) throws SQLException {
        for (int i = 0; i < 3; i++) { // warm-up
            execute(c, filters.apply(i), count);
        }
        double[] ms = new double[runs];
        long rows = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            rows = execute(c, filters.apply(i), count);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        double[] server = new double[5];
        for (int i = 0; i < server.length; i++) {
            server[i] = serverMillis(c, filters.apply(i), count);
        }
        Arrays.sort(server);
        System.out.printf("%-44s %10.2f %10.2f %10.2f %8d%n", name, ms[runs / 2], ms[(int) Math.ceil(runs * 0.95) - 1],
                server[server.length / 2], rows);
        if (explain) {
            explain(c, filters.apply(0), count);
        }
    }

    /** PostgreSQL's own "Execution Time" of the query (EXPLAIN ANALYZE without buffers): no client, no network. */
    private static double serverMillis(Connection c, SearchFilter filter, boolean count) throws SQLException {
        SearchSql sql = SearchSql.of(SCHEMA, filter);
        String prefix = "EXPLAIN (ANALYZE, TIMING OFF) ";
        try (PreparedStatement s = count ? sql.count(c, prefix) : sql.page(c, filter.limit(), filter.offset(), prefix);
                ResultSet rs = s.executeQuery()) {
            double ms = Double.NaN;
            while (rs.next()) {
                String line = rs.getString(1).trim();
                if (line.startsWith("Execution Time:")) {
                    ms = Double.parseDouble(line.replaceAll("[^0-9.]", ""));
                }
            }
            return ms;
        }
    }

    private static long execute(Connection c, SearchFilter filter, boolean count) throws SQLException {
        SearchSql sql = SearchSql.of(SCHEMA, filter);
        try (PreparedStatement s = count ? sql.count(c) : sql.page(c, filter.limit(), filter.offset());
                ResultSet rs = s.executeQuery()) {
            long n = 0;
            while (rs.next()) {
                n = count ? rs.getLong(1) : n + 1;
            }
            return n;
        }
    }

    private static void explain(Connection c, SearchFilter filter, boolean count) throws SQLException {
        SearchSql sql = SearchSql.of(SCHEMA, filter);
        String prefix = "EXPLAIN (ANALYZE, BUFFERS) ";
        try (PreparedStatement s = count ? sql.count(c, prefix) : sql.page(c, filter.limit(), filter.offset(), prefix);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                System.out.println("    " + rs.getString(1));
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            if (key.equals("reuse") || key.equals("explain")) {
                opts.put(key, "true");
            } else if (i + 1 < args.length) {
                opts.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value");
            }
        }
        return opts;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
