package dev.prowctl.stack;

import static dev.prowctl.stack.StackException.Reason.INVALID_SETTING;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Grafana's address and credentials as compose will really run them, taken from {@code compose config} (never
 * printed: only where the password comes from). No {@code .env} parsing of our own: compose's reading of quotes,
 * {@code export} and comments is the one that counts.
 */
public final class StackSettings {

    static final String GRAFANA = "grafana";
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

    /** The URL Grafana answers on from this machine. */
    public String grafanaUrl() {
        List<ComposeConfig.Published> ports = config.published(GRAFANA);
        if (ports.isEmpty() || ports.get(0).port().isEmpty()) {
            return "http://localhost:3000";
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
