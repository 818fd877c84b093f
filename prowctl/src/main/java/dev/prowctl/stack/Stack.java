package dev.prowctl.stack;

import static dev.prowctl.stack.StackException.Reason.BAD_OUTPUT;
import static dev.prowctl.stack.StackException.Reason.FAILED;
import static dev.prowctl.stack.StackException.Reason.INTERRUPTED;
import static dev.prowctl.stack.StackException.Reason.UNREACHABLE;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;


/**
 * Drives the compose project: up, down, ps, logs and the wait for health. With {@code dryRun} the commands that
 * change something are printed to {@code out} instead of being run.
 */
public final class Stack {

    /** The services {@code start} always waits for; both have a health check in docker-compose.yml. */
    public static final List<String> HEALTH_CHECKED = List.of("influxdb", "grafana");

    private static final Set<String> DEAD = Set.of("exited", "dead", "removing");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Compose compose;
    private final ProcessRunner runner;
    private final HostEnvironment host;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean dryRun;
    private StackSettings settings;

    public Stack(Compose compose, ProcessRunner runner, HostEnvironment host, PrintWriter out, PrintWriter err,
            boolean dryRun) {
        this.compose = compose;
        this.runner = runner;
        this.host = host;
        this.out = out;
        this.err = err;
        this.dryRun = dryRun;
    }

    public Compose compose() {
        return compose;
    }

    public HostEnvironment host() {
        return host;
    }

    /**
     * Grafana's address and credentials as {@code compose config} resolves them (read-only, also in a dry run);
     * asked of compose once per command.
     */
    public StackSettings settings() {
        if (settings == null) {
            settings = new StackSettings(host, ComposeConfig.read(compose, runner), compose.file());
        }
        return settings;
    }

    /** {@code compose up -d [--build]}: creates the volumes and network, builds Telegraf if needed, starts all. */
    public void up(boolean build) {
        List<String> args = new ArrayList<>(List.of("up", "-d"));
        if (build) {
            args.add("--build");
        }
        change(compose.command(args.toArray(String[]::new)));
    }

    /** {@code compose down --remove-orphans [--volumes] [--rmi local]}: this project's resources only. */
    public void down(boolean volumes, boolean images) {
        List<String> args = new ArrayList<>(List.of("down", "--remove-orphans"));
        if (volumes) {
            args.add("--volumes");
        }
        if (images) {
            // "local" = images without a custom tag, i.e. those compose built for this project (telegraf).
            args.addAll(List.of("--rmi", "local"));
        }
        change(compose.command(args.toArray(String[]::new)));
    }

    /** {@code compose ps -a}: services, state, health and ports, on stdout; stopped ones too. */
    public void status() {
        show(compose.command("ps", "-a"));
    }

    /** {@code compose logs [-f] [SERVICE]}, on stdout. */
    public void logs(String service, boolean follow, Integer tail) {
        List<String> args = new ArrayList<>(List.of("logs"));
        if (follow) {
            args.add("-f");
        }
        if (tail != null) {
            args.add("--tail=" + tail);
        }
        if (service != null) {
            args.add(service);
        }
        show(compose.command(args.toArray(String[]::new)));
    }

    /**
     * Polls the health of {@link #HEALTH_CHECKED} until all are healthy, printing each change on stderr. Fails
     * when a container stops (exit 4) or the timeout passes (exit 3).
     */
    public void awaitHealthy(Duration timeout) {
        awaitHealthy(timeout, HEALTH_CHECKED);
    }

    /** As {@link #awaitHealthy(Duration)} for {@code services}, each with a health check. */
    public void awaitHealthy(Duration timeout, List<String> services) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Map<String, String> last = new LinkedHashMap<>();
        err.println("Waiting up to " + timeout.toSeconds() + " s for " + and(services) + " to be healthy...");
        err.flush();
        while (true) {
            boolean allHealthy = true;
            for (String service : services) {
                String state = state(service);
                if (!state.equals(last.put(service, state))) {
                    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                    err.println("  " + service + ": " + state + " (" + seconds + " s)");
                    err.flush();
                }
                if (DEAD.contains(state)) {
                    throw new StackException(FAILED, service + " stopped (" + state
                            + "); see `prowctl stack logs " + service + "`");
                }
                allHealthy &= state.equals("healthy");
            }
            if (allHealthy) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new StackException(UNREACHABLE, "the stack did not become healthy within "
                        + timeout.toSeconds() + " s (" + describe(last) + "); see `prowctl stack status` and"
                        + " `prowctl stack logs SERVICE`");
            }
            sleep(host.pollInterval());
        }
    }

    /**
     * One service's state: {@code not created}, a container state, or its health status when it has one.
     * {@code ps -a}: compose v2 lists only running containers otherwise, and an exited one would read as missing.
     */
    String state(String service) {
        ProcessRunner.Result ps = runner.capture(compose.command("ps", "-a", "-q", service));
        if (!ps.ok()) {
            throw composeFailed(compose.command("ps", "-a", "-q", service), ps);
        }
        String id = ps.out().strip().lines().findFirst().orElse("");
        if (id.isEmpty()) {
            return "not created";
        }
        ProcessRunner.Result inspect = runner.capture(compose.docker("inspect", "--format", "{{json .State}}", id));
        if (!inspect.ok()) {
            return "not inspectable (" + firstLine(inspect.err()) + ")";
        }
        try {
            JsonNode state = JSON.readTree(inspect.out());
            JsonNode health = state.path("Health").path("Status");
            String status = state.path("Status").asText("unknown");
            if (!status.equals("running")) {
                return status;
            }
            return health.isTextual() ? health.asText() : status;
        } catch (java.io.IOException e) {
            throw new StackException(BAD_OUTPUT, "docker inspect printed something that is not JSON: "
                    + firstLine(inspect.out()), e);
        }
    }

    /**
     * Asks the Docker daemon for its version first, so a stopped daemon is one clear line (exit 3) instead of
     * whatever compose prints (docker-compose 1.29 prints a Python traceback).
     */
    private void requireDaemon() {
        List<String> version = compose.docker("version", "--format", "{{.Server.Version}}");
        ProcessRunner.Result result = runner.capture(version);
        if (!result.ok()) {
            String reason = firstLine(result.err());
            throw new StackException(UNREACHABLE, "the Docker daemon is not running or not reachable"
                    + (reason.isEmpty() ? "" : ": " + reason));
        }
    }

    private void change(List<String> command) {
        if (dryRun) {
            out.println(Compose.display(command));
            out.flush();
            return;
        }
        requireDaemon();
        err.println("+ " + Compose.display(command));
        err.flush();
        // compose's stdout is progress, not data: it goes to our stderr like its stderr does.
        ProcessRunner.Result result = runner.stream(command, err, err);
        if (!result.ok()) {
            throw composeFailed(command, result);
        }
    }

    private void show(List<String> command) {
        requireDaemon();
        ProcessRunner.Result result = runner.stream(command, out, err);
        if (!result.ok()) {
            throw composeFailed(command, result);
        }
    }

    private static StackException composeFailed(List<String> command, ProcessRunner.Result result) {
        String text = result.err();
        if (text.contains("Cannot connect to the Docker daemon") || text.contains("docker daemon is not running")
                || text.contains("Couldn't connect to Docker daemon")) {
            return new StackException(UNREACHABLE, "the Docker daemon is not running or not reachable ("
                    + Compose.display(command) + " failed)");
        }
        return new StackException(FAILED, Compose.display(command) + " failed with exit code "
                + result.exitCode() + (text.isBlank() ? "" : ": " + lastLine(text)));
    }

    /** "a and b", "a, b and c". */
    private static String and(List<String> words) {
        if (words.size() < 2) {
            return String.join("", words);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }

    private static String describe(Map<String, String> states) {
        List<String> parts = new ArrayList<>();
        states.forEach((service, state) -> parts.add(service + " " + state));
        return String.join(", ", parts);
    }

    /** docker's own words for a message: no credentials of a URL, no escape sequences (one shared defence). */
    private static String firstLine(String text) {
        return printable(text.strip().lines().findFirst().orElse(""));
    }

    static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : printable(lines.get(lines.size() - 1));
    }

    private static String printable(String line) {
        return TerminalText.oneLine(Redaction.text(line));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException(INTERRUPTED, "interrupted while waiting for the stack", e);
        }
    }
}
