package dev.prowctl.stack;

import static dev.prowctl.stack.StackException.Reason.INVALID_SETTING;
import static dev.prowctl.stack.StackException.Reason.MISSING_TOOL;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;


/**
 * The compose file's settings as compose itself resolves them: the environment first, then the {@code .env} file
 * next to the compose file. Only the Grafana address and credentials matter here (never printed: only where they
 * come from).
 */
public final class StackSettings {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    private final HostEnvironment host;
    private final Map<String, String> dotEnv;
    private final Path dotEnvFile;

    private StackSettings(HostEnvironment host, Path dotEnvFile, Map<String, String> dotEnv) {
        this.host = host;
        this.dotEnvFile = dotEnvFile;
        this.dotEnv = dotEnv;
    }

    public static StackSettings load(HostEnvironment host, Path composeFile) {
        Path dotEnvFile = composeFile.toAbsolutePath().getParent().resolve(".env");
        Map<String, String> values = new LinkedHashMap<>();
        if (Files.isRegularFile(dotEnvFile)) {
            try {
                for (String line : Files.readAllLines(dotEnvFile, StandardCharsets.UTF_8)) {
                    String trimmed = line.strip();
                    int eq = trimmed.indexOf('=');
                    if (trimmed.startsWith("#") || eq <= 0) {
                        continue;
                    }
                    values.put(trimmed.substring(0, eq).strip(), unquote(trimmed.substring(eq + 1).strip()));
                }
            } catch (IOException e) {
                throw new StackException(MISSING_TOOL, "cannot read " + dotEnvFile + ": " + e.getMessage(), e);
            }
        }
        return new StackSettings(host, dotEnvFile, values);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private Optional<String> value(String name) {
        return host.variable(name).or(() -> Optional.ofNullable(dotEnv.get(name)).filter(v -> !v.isBlank()));
    }

    private String source(String name) {
        return host.variable(name).isPresent() ? "the environment" : dotEnvFile.toString();
    }

    /** The URL Grafana answers on from this machine. */
    public String grafanaUrl() {
        String bind = value("GRAFANA_BIND").orElse("127.0.0.1");
        String hostName = bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : bind;
        return "http://" + hostName + ":" + value("GRAFANA_PORT").orElse("3000");
    }

    /** Where the admin user and password come from, without revealing the password. */
    public String credentialsHint() {
        String user = value("GRAFANA_ADMIN_USER").orElse("admin");
        if (value("GRAFANA_ADMIN_PASSWORD").isPresent()) {
            return "user " + user + ", password from GRAFANA_ADMIN_PASSWORD in " + source("GRAFANA_ADMIN_PASSWORD");
        }
        return "user " + user + ", password 'admin' (the localhost-only default; set GRAFANA_ADMIN_PASSWORD in the"
                + " environment or " + dotEnvFile + " to change it)";
    }

    /** Refuses the default admin password when Grafana would listen beyond this machine. */
    public void checkExposure() {
        String bind = value("GRAFANA_BIND").orElse("127.0.0.1");
        String password = value("GRAFANA_ADMIN_PASSWORD").orElse("admin");
        if (!LOOPBACK.contains(bind) && password.equals("admin")) {
            throw new StackException(INVALID_SETTING, "GRAFANA_BIND=" + bind + " makes Grafana reachable from other"
                    + " machines: set GRAFANA_ADMIN_PASSWORD (environment or " + dotEnvFile
                    + ") to something other than the default first");
        }
    }
}
