package io.portcullis.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.systemtests.support.SmtpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The running stack under test, as {@code ./portcullis env} describes it. {@code ./portcullis test} starts the
 * stack and points {@code PORTCULLIS_CLI} at the script before it runs this module with {@code -Pe2e}.
 */
public final class Stack {
    private static Stack instance;

    private final Path cli;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private Stack(Path cli, Map<String, String> env) {
        this.cli = cli;
        this.env = env;
    }

    public static synchronized Stack get() {
        if (instance == null) {
            String cliPath = System.getenv().getOrDefault("PORTCULLIS_CLI", "../portcullis");
            Path cli = Path.of(cliPath).toAbsolutePath().normalize();
            if (!Files.isExecutable(cli)) {
                throw new IllegalStateException("PORTCULLIS_CLI does not point at the portcullis script: " + cli);
            }
            Map<String, String> env = new HashMap<>();
            for (String line : run(cli, "env").split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            instance = new Stack(cli, env);
        }
        return instance;
    }

    private static String run(Path cli, String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = cli.toString();
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("portcullis " + String.join(" ", args) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code ./portcullis <verb> <component>}: start, stop, kill, restart. */
    public void control(String verb, String component) {
        run(cli, verb, component);
    }

    public String value(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new IllegalStateException(key + " missing from portcullis env");
        }
        return v;
    }

    public int smtpPort() {
        return Integer.parseInt(value("PORTCULLIS_SMTP_PORT"));
    }

    public Path sinkDir() {
        return Path.of(value("PORTCULLIS_SINK_DIR"));
    }

    public Path sinkFile(String queueId) {
        return sinkDir().resolve(queueId + ".eml");
    }

    public SmtpClient smtp() throws IOException {
        SmtpClient c = SmtpClient.connect("127.0.0.1", smtpPort());
        SmtpClient.Reply greeting = c.greeting();
        if (greeting.code() != 220) {
            throw new IOException("unexpected greeting " + greeting);
        }
        SmtpClient.Reply ehlo = c.command("EHLO e2e.test");
        if (ehlo.code() != 250) {
            throw new IOException("EHLO refused: " + ehlo);
        }
        return c;
    }

    /** GET a JSON document; returns null on 404. */
    public JsonNode getJson(String baseKey, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(value(baseKey) + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                return null;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + ": " + r.body());
            }
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> post(String baseKey, String path, String contentType, byte[] body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(value(baseKey) + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** DELETE; returns the status code. */
    public int delete(String baseKey, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(value(baseKey) + path)).timeout(Duration.ofSeconds(30))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sink's copy of a message for one envelope recipient (see the development sink). */
    public Path sinkFile(String recipient, String queueId) {
        return sinkDir().resolve("rcpt").resolve(recipient.toLowerCase(java.util.Locale.ROOT)).resolve(queueId + ".eml");
    }
}
