package dev.prowctl.stack;

import static dev.prowctl.stack.StackException.Reason.INVALID_SETTING;
import static dev.prowctl.stack.StackException.Reason.MISSING_TOOL;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;


/**
 * docker compose for one project: every command it builds carries {@code -p PROJECT -f FILE}, so nothing it runs
 * can address another project's containers, networks, volumes or images.
 */
public final class Compose {

    private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final Path docker;
    private final List<String> composePrefix;
    private final String project;
    private final Path file;

    Compose(Path docker, List<String> composePrefix, String project, Path file) {
        this.docker = docker;
        this.composePrefix = List.copyOf(composePrefix);
        this.project = project;
        this.file = file;
    }

    /**
     * Finds docker and compose: the v2 plugin ({@code docker compose version} succeeds), else the v1
     * {@code docker-compose} on PATH. Fails with exit 8 naming what is missing.
     */
    public static Compose detect(HostEnvironment host, ProcessRunner runner, String project, Path file) {
        if (!PROJECT_NAME.matcher(project).matches()) {
            throw new StackException(INVALID_SETTING, "invalid project name '" + project
                    + "': use lowercase letters, digits, '-' and '_', starting with a letter or digit");
        }
        Path docker = host.findExecutable("docker").orElseThrow(() -> new StackException(MISSING_TOOL,
                "docker is not installed (not found on PATH): install Docker Engine with the compose plugin,"
                        + " see https://docs.docker.com/engine/install/"));
        if (runner.capture(List.of(docker.toString(), "compose", "version")).ok()) {
            return new Compose(docker, List.of(docker.toString(), "compose"), project, file);
        }
        Path v1 = host.findExecutable("docker-compose").orElseThrow(() -> new StackException(MISSING_TOOL,
                "docker compose is not installed: `docker compose version` failed and docker-compose is not on PATH;"
                        + " install the docker-compose-plugin package (or docker-compose 1.29)"));
        return new Compose(docker, List.of(v1.toString()), project, file);
    }

    public String project() {
        return project;
    }

    public Path file() {
        return file;
    }

    /** {@code compose -p PROJECT -f FILE ARGS...}. */
    public List<String> command(String... args) {
        List<String> command = new ArrayList<>(composePrefix);
        command.addAll(List.of("-p", project, "-f", file.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** docker-compose 1.x (its own executable) rather than the {@code docker compose} v2 plugin. */
    public boolean v1() {
        return composePrefix.size() == 1;
    }

    /**
     * {@code compose config}: the file as compose will run it, with {@code .env}, the environment and the
     * defaults resolved. JSON from v2; docker-compose 1.x has no {@code --format} and prints YAML.
     */
    public List<String> configCommand() {
        return v1() ? command("config") : command("config", "--format", "json");
    }

    /** {@code docker ARGS...}: used only for {@code inspect} of this project's container ids. */
    public List<String> docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add(docker.toString());
        command.addAll(List.of(args));
        return command;
    }

    /** A command as a user would type it: program names without their directory, arguments shell-quoted. */
    public static String display(List<String> command) {
        List<String> words = new ArrayList<>();
        words.add(Path.of(command.get(0)).getFileName().toString());
        words.addAll(command.subList(1, command.size()));
        return words.stream().map(Compose::shellQuote).collect(Collectors.joining(" "));
    }

    private static String shellQuote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
