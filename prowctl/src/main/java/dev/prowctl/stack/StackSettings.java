package dev.prowctl.stack;

import static dev.prowctl.stack.StackException.Reason.INVALID_SETTING;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grafana's address and credentials as compose will really run them, taken from {@code compose config} (never
 * printed: only where the password comes from). No {@code .env} parsing of our own: compose's reading of quotes,
 * {@code export} and comments is the one that counts.
 */
public final class StackSettings {

    static final String GRAFANA = "grafana";
    /** The services of the compose profile "prometheus" that have a health check (docs/prometheus.md). */
    public static final List<String> PROMETHEUS_SERVICES = List.of("exporter", "prometheus", "alertmanager");
    static final String RELAY_TOKEN_SECRET = "relay-token";
    private static final String DEFAULT_PASSWORD = "admin";

    private final HostEnvironment host;
    private final ComposeConfig config;
    private final Path dotEnvFile;

    StackSettings(HostEnvironment host, ComposeConfig config, Path composeFile) {
        this.host = host;
        this.config = config;
        this.dotEnvFile = composeFile.toAbsolutePath().getParent().resolve(".env");
    }

    ComposeConfig config() {
        return config;
    }

    /** Whether compose runs the Prometheus path (the profile "prometheus" is active). */
    public boolean prometheusProfile() {
        return config.runs("prometheus", host.variable("COMPOSE_PROFILES"));
    }

    /** The services {@code start} waits to be healthy: InfluxDB and Grafana, and the profile's when it is on. */
    public List<String> healthChecked() {
        List<String> services = new ArrayList<>(Stack.HEALTH_CHECKED);
        if (prometheusProfile()) {
            services.addAll(PROMETHEUS_SERVICES);
        }
        return services;
    }

    /**
     * With the Prometheus profile on, Alertmanager sends the relay the token of the {@value #RELAY_TOKEN_SECRET}
     * secret file and the relay accepts {@code PROWCTL_RELAY_AUTH_TOKEN}: the file must exist, hold a token, and
     * hold the relay's. Otherwise every alert would be refused with 401 after the stack looked healthy. Neither
     * token is ever printed.
     */
    public void checkRelayToken() {
        if (!prometheusProfile()) {
            return;
        }
        Optional<String> file = config.secretFile(RELAY_TOKEN_SECRET);
        if (file.isEmpty()) {
            throw new StackException(INVALID_SETTING, "the compose file gives Alertmanager no secret "
                    + RELAY_TOKEN_SECRET + " file (the relay's bearer token)");
        }
        String fromFile;
        try {
            fromFile = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new StackException(INVALID_SETTING, "the profile prometheus needs the relay's bearer token in "
                    + file.get() + " (PROWCTL_RELAY_TOKEN_FILE), for Alertmanager: cannot read it ("
                    + e.getClass().getSimpleName() + "); write the same secret as PROWCTL_RELAY_AUTH_TOKEN there");
        }
        if (fromFile.isEmpty()) {
            throw new StackException(INVALID_SETTING, file.get() + " (PROWCTL_RELAY_TOKEN_FILE) is empty: write the"
                    + " relay's bearer token there, the same secret as PROWCTL_RELAY_AUTH_TOKEN");
        }
        Optional<String> relay = config.environment(AlertingStatus.RELAY, "PROWCTL_RELAY_AUTH_TOKEN");
        if (relay.isEmpty()) {
            throw new StackException(INVALID_SETTING, "the profile prometheus runs the relay, which needs"
                    + " PROWCTL_RELAY_AUTH_TOKEN: set it to the token in " + file.get());
        }
        if (!sameSecret(relay.get().strip(), fromFile)) {
            throw new StackException(INVALID_SETTING, "PROWCTL_RELAY_AUTH_TOKEN differs from the token in "
                    + file.get() + " (PROWCTL_RELAY_TOKEN_FILE): the relay would refuse every alert Alertmanager"
                    + " sends; give both the same secret");
        }
    }

    /** Compares without an early exit on the first differing character (secrets). */
    private static boolean sameSecret(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The URL Grafana answers on from this machine. */
    public String grafanaUrl() {
        return hostUrl(GRAFANA, 3000);
    }

    /** The URL a service answers on from this machine: its first published port, else localhost:{@code port}. */
    public String hostUrl(String service, int defaultPort) {
        List<ComposeConfig.Published> ports = config.published(service);
        if (ports.isEmpty() || ports.get(0).port().isEmpty()) {
            return "http://localhost:" + defaultPort;
        }
        ComposeConfig.Published port = ports.get(0);
        String hostIp = port.hostIp();
        String hostName = hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::") ? "localhost"
                : hostIp.contains(":") ? "[" + hostIp + "]" : hostIp;
        return "http://" + hostName + ":" + port.port();
    }

    /** Where the admin user and password come from, without revealing the password. */
    public String credentialsHint() {
        String user = config.environment(GRAFANA, "GF_SECURITY_ADMIN_USER").orElse("admin");
        if (!defaultPassword()) {
            String source = host.variable("GRAFANA_ADMIN_PASSWORD").isPresent() ? "the environment"
                    : dotEnvFile.toString();
            return "user " + user + ", password from GRAFANA_ADMIN_PASSWORD in " + source;
        }
        return "user " + user + ", password 'admin' (the localhost-only default; set GRAFANA_ADMIN_PASSWORD in the"
                + " environment or " + dotEnvFile + " to change it)";
    }

    /** Refuses the default admin password when compose would publish Grafana beyond this machine. */
    public void checkExposure() {
        Optional<ComposeConfig.Published> exposed = config.published(GRAFANA).stream()
                .filter(port -> !port.loopbackOnly()).findFirst();
        if (exposed.isPresent() && defaultPassword()) {
            throw new StackException(INVALID_SETTING, "compose would publish Grafana on " + exposed.get().address()
                    + ", which makes Grafana reachable from other machines, with the default admin password: set"
                    + " GRAFANA_ADMIN_PASSWORD (environment or " + dotEnvFile + ") to something else first, or"
                    + " GRAFANA_BIND=127.0.0.1");
        }
    }

    /** Grafana's own default is admin too: an unset, blank or "admin" password is the default one. */
    private boolean defaultPassword() {
        if (config.environment(GRAFANA, "GF_SECURITY_ADMIN_PASSWORD__FILE").isPresent()) {
            return false;
        }
        return config.environment(GRAFANA, "GF_SECURITY_ADMIN_PASSWORD").orElse(DEFAULT_PASSWORD)
                .equals(DEFAULT_PASSWORD);
    }
}
