package dev.prowctl.stack;

import static dev.prowctl.stack.StackException.Reason.BAD_OUTPUT;
import static dev.prowctl.stack.StackException.Reason.FAILED;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The compose file as compose itself resolves it ({@code compose config}): {@code .env} with its quotes,
 * {@code export} and comments, the environment and the {@code ${VAR:-default}}s, all read by compose and not
 * guessed here. Its output holds resolved secrets: it is never printed, not even in an error.
 */
public final class ComposeConfig {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();

    /** Where a service's container port is published on the host; {@code hostIp} empty = every interface. */
    public record Published(String hostIp, String port) {
        public boolean loopbackOnly() {
            return hostIp.startsWith("127.") || hostIp.equals("::1") || hostIp.equals("localhost");
        }

        /** The address as a user types it: IPv6 in brackets, every interface as itself. */
        public String address() {
            String host = hostIp.isEmpty() ? "0.0.0.0" : hostIp.contains(":") ? "[" + hostIp + "]" : hostIp;
            return host + ":" + port;
        }
    }

    private final JsonNode root;
    private final JsonNode services;
    private final boolean v1;

    ComposeConfig(JsonNode root) {
        this(root, false);
    }

    ComposeConfig(JsonNode root, boolean v1) {
        this.root = root;
        this.services = root.path("services");
        this.v1 = v1;
    }

    /** Runs {@code compose config} for the project; exit 4 when compose fails, 5 when it prints nonsense. */
    public static ComposeConfig read(Compose compose, ProcessRunner runner) {
        List<String> command = compose.configCommand();
        ProcessRunner.Result result = runner.capture(command);
        if (!result.ok()) {
            String reason = Stack.lastLine(result.err());
            throw new StackException(FAILED, Compose.display(command) + " failed with exit code " + result.exitCode()
                    + (reason.isEmpty() ? "" : ": " + reason));
        }
        try {
            JsonNode root = (compose.v1() ? YAML : JSON).readTree(result.out());
            if (root == null || !root.path("services").isObject()) {
                throw new IOException("no services");
            }
            return new ComposeConfig(root, compose.v1());
        } catch (IOException e) {
            throw new StackException(BAD_OUTPUT, Compose.display(command) + " did not print a compose configuration ("
                    + (compose.v1() ? "YAML" : "JSON") + " with services)", e);
        }
    }

    /**
     * Whether compose runs {@code service}: it is in the file and, when it has profiles, one of them is active.
     * Compose v2 prints only the services of the active profiles (from the environment or .env); docker-compose
     * 1.29 prints all, so there the profiles are those of {@code COMPOSE_PROFILES} in {@code environment}.
     */
    public boolean runs(String service, java.util.Optional<String> composeProfiles) {
        JsonNode node = services.path(service);
        if (!node.isObject()) {
            return false;
        }
        if (!v1 || node.path("profiles").isEmpty()) {
            return true;
        }
        List<String> active = composeProfiles.map(p -> List.of(p.split(","))).orElse(List.of()).stream()
                .map(String::strip).toList();
        for (JsonNode profile : node.path("profiles")) {
            if (active.contains(profile.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The file a top-level secret is read from, as compose resolved it (an absolute path). */
    public Optional<String> secretFile(String secret) {
        JsonNode file = root.path("secrets").path(secret).path("file");
        return file.isTextual() && !file.asText().isBlank() ? Optional.of(file.asText()) : Optional.empty();
    }

    /** The host side of every published port of {@code service}, in the order the file lists them. */
    public List<Published> published(String service) {
        List<Published> ports = new ArrayList<>();
        for (JsonNode port : services.path(service).path("ports")) {
            if (port.isObject()) {
                // long syntax (what v2 always prints): host_ip absent = every interface
                ports.add(new Published(port.path("host_ip").asText(""), port.path("published").asText("")));
            } else {
                ports.add(shortSyntax(port.asText()));
            }
        }
        return ports;
    }

    /** A service's environment variable; empty when unset or blank. */
    public Optional<String> environment(String service, String name) {
        JsonNode environment = services.path(service).path("environment");
        if (environment.isArray()) {
            // list syntax NAME=VALUE (docker-compose 1.x prints maps, but accept both)
            for (JsonNode entry : environment) {
                String text = entry.asText();
                if (text.startsWith(name + "=")) {
                    return Optional.of(text.substring(name.length() + 1)).filter(v -> !v.isBlank());
                }
            }
            return Optional.empty();
        }
        JsonNode value = environment.path(name);
        return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()).filter(v -> !v.isBlank())
                : Optional.empty();
    }

    /** {@code [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]}, HOST_IP possibly an IPv6 address in brackets. */
    static Published shortSyntax(String spec) {
        String mapping = spec.contains("/") ? spec.substring(0, spec.indexOf('/')) : spec;
        int lastColon = mapping.lastIndexOf(':');
        if (lastColon < 0) {
            return new Published("", "");
        }
        String hostPart = mapping.substring(0, lastColon);
        int portColon = hostPart.lastIndexOf(':');
        if (portColon < 0 || hostPart.endsWith("]")) {
            return new Published("", hostPart);
        }
        String hostIp = hostPart.substring(0, portColon);
        if (hostIp.startsWith("[") && hostIp.endsWith("]")) {
            hostIp = hostIp.substring(1, hostIp.length() - 1);
        }
        return new Published(hostIp, hostPart.substring(portColon + 1));
    }
}
