package dev.prowctl.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real {@code influxd} (Debian package {@code influxdb}, 1.6.x) on 127.0.0.1 with all state in a temporary
 * directory. Start it once per test class, create a database per test, {@link #close()} stops it by its PID.
 */
public final class InfluxServer implements AutoCloseable {

    /**
     * One influxd for a test class: {@code @ExtendWith(InfluxServer.PerClass.class)} starts it before the class (a
     * missing influxd skips or fails the class through the one skip rule), passes it to a {@code @BeforeAll} or test
     * method parameter of type {@code InfluxServer}, and JUnit closes it after the class (it is an AutoCloseable
     * value in the class's store).
     */
    public static final class PerClass implements BeforeAllCallback, ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PerClass.class);

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            context.getStore(NAMESPACE).put(InfluxServer.class, InfluxServer.start());
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == InfluxServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getStore(NAMESPACE).get(InfluxServer.class, InfluxServer.class);
        }
    }

    private final Process process;
    private final Path dir;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private InfluxServer(Process process, Path dir, int httpPort) {
        this.process = process;
        this.dir = dir;
        this.httpPort = httpPort;
    }

    /** Starts influxd and waits until {@code /ping} answers 204 (skips or fails when influxd is not installed). */
    public static InfluxServer start() throws IOException, InterruptedException {
        Path influxd = TestEnv.requireBinary("influxd", "influxdb");
        Path dir = Files.createTempDirectory("prowctl-influxd");
        int httpPort = TestEnv.freePort();
        int rpcPort = TestEnv.freePort();
        String config = """
                reporting-enabled = false
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  index-version = "inmem"
                  query-log-enabled = false
                [monitor]
                  store-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                  pprof-enabled = false
                [continuous_queries]
                  enabled = false
                """.formatted(rpcPort, dir, dir, dir, httpPort);
        Path configFile = dir.resolve("influxdb.conf");
        Files.writeString(configFile, config);
        Process process = new ProcessBuilder(influxd.toString(), "run", "-config", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("influxd.log").toFile())
                .start();
        InfluxServer server = new InfluxServer(process, dir, httpPort);
        try {
            Readiness.await("influxd", process, dir.resolve("influxd.log"), Duration.ofSeconds(20),
                    Readiness.answers(server.url() + "/ping", 204));
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Creates a database and returns its name. */
    public String createDatabase(String name) throws IOException, InterruptedException {
        query(null, "CREATE DATABASE \"" + name + "\"");
        return name;
    }

    /**
     * Runs an InfluxQL statement (POST /query, epoch=ns) and returns the raw JSON answer. Throws when the
     * HTTP status is not 200 or the answer holds an {@code "error"}.
     */
    public String query(String database, String influxql) throws IOException, InterruptedException {
        StringBuilder uri = new StringBuilder(url()).append("/query?epoch=ns&q=")
                .append(URLEncoder.encode(influxql, StandardCharsets.UTF_8));
        if (database != null) {
            uri.append("&db=").append(URLEncoder.encode(database, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(uri.toString())).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || response.body().contains("\"error\"")) {
            throw new IOException("query failed (" + response.statusCode() + "): " + influxql + " -> " + response.body());
        }
        return response.body();
    }

    /** Writes line protocol with POST /write and returns the HTTP status (204 when every line was accepted). */
    public HttpResponse<String> write(String database, String lines) throws IOException, InterruptedException {
        URI uri = URI.create(url() + "/write?precision=ns&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(lines)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Stops influxd by its PID and deletes its data. */
    @Override
    public void close() {
        TestEnv.stop(process);
        TestEnv.deleteTree(dir);
    }
}
