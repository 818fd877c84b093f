package dev.prowctl.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fake {@code docker} and {@code docker-compose} executables (bash scripts) in a directory that is the whole PATH
 * of the {@link HostEnvironment} it hands out. Each call appends {@code "PROGRAM ARGS..."} to a log; answers are
 * played back from rules matched, in order, against the argument string (shell glob, {@code *} = anything).
 * A rule with several answers gives them one per call, repeating the last.
 */
public final class FakeDocker {

    /** A canned answer: stdout, stderr, exit code. */
    public record Answer(String out, String err, int exitCode) {
        public static Answer ok(String out) {
            return new Answer(out, "", 0);
        }

        public static Answer fail(int exitCode, String err) {
            return new Answer("", err, exitCode);
        }
    }

    /** A rule answers from {@code answers}, or, with {@code exec}, runs that real program with the same arguments. */
    private record Rule(String program, String glob, List<Answer> answers, Path exec) {
    }

    /** {@code docker compose config --format json} of the stack with nothing set: Grafana on 127.0.0.1, admin/admin. */
    public static final String DEFAULT_CONFIG_JSON = """
            {"name":"prowctl","services":{"grafana":{"environment":{"GF_SECURITY_ADMIN_PASSWORD":"admin",\
            "GF_SECURITY_ADMIN_USER":"admin"},"image":"grafana/grafana-oss:12.2.1","ports":[{"mode":"ingress",\
            "host_ip":"127.0.0.1","target":3000,"published":"3000","protocol":"tcp"}]}}}
            """;

    /** The same as docker-compose 1.29 prints it (YAML, ports in short syntax). */
    public static final String DEFAULT_CONFIG_YAML = """
            services:
              grafana:
                environment:
                  GF_SECURITY_ADMIN_PASSWORD: admin
                  GF_SECURITY_ADMIN_USER: admin
                image: grafana/grafana-oss:12.2.1
                ports:
                - 127.0.0.1:3000:3000/tcp
            version: '3.9'
            """;

    private final Path bin;
    private final Path log;
    private final List<Rule> rules = new ArrayList<>();
    private boolean docker = true;
    private boolean composeV1;

    public FakeDocker(Path dir) throws IOException {
        this.bin = Files.createDirectories(dir.resolve("fake-bin"));
        this.log = dir.resolve("docker-calls.log");
    }

    /** docker with the compose v2 plugin. */
    public static FakeDocker v2(Path dir) throws IOException {
        return new FakeDocker(dir).on("docker", "compose version", Answer.ok("Docker Compose version v2.29.7\n"));
    }

    /** docker without the plugin, plus a docker-compose 1.29 executable. */
    public static FakeDocker v1Only(Path dir) throws IOException {
        FakeDocker fake = new FakeDocker(dir).withoutComposePlugin();
        fake.composeV1 = true;
        return fake;
    }

    public FakeDocker withoutComposePlugin() {
        return on("docker", "compose*", Answer.fail(1, "docker: 'compose' is not a docker command.\n"));
    }

    public FakeDocker withoutDocker() {
        docker = false;
        return this;
    }

    /** Answers calls of {@code program} ("docker", "docker-compose" or "*" for both) whose arguments match. */
    public FakeDocker on(String program, String glob, Answer... answers) {
        rules.add(new Rule(program, glob, List.of(answers), null));
        return this;
    }

    /** Runs the real {@code executable} for calls of {@code program} whose arguments match (still logged). */
    public FakeDocker passThrough(String program, String glob, Path executable) {
        rules.add(new Rule(program, glob, List.of(), executable));
        return this;
    }

    /** Writes the scripts and returns an environment whose PATH holds only them. */
    public HostEnvironment install(Path workingDir) throws IOException {
        if (docker) {
            write("docker");
        }
        if (composeV1) {
            write("docker-compose");
        }
        return new HostEnvironment(Map.of("PATH", bin.toString(), "HOME", workingDir.toString()), workingDir,
                Duration.ofMillis(20));
    }

    /** Every call so far, as "PROGRAM ARG ARG...". */
    public List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    private void write(String program) throws IOException {
        StringBuilder script = new StringBuilder("#!/bin/bash\n")
                .append("printf '%s\\n' \"").append(program).append(" $*\" >> ").append(quote(log.toString()))
                .append("\ncase \"$*\" in\n");
        int index = 0;
        // after the test's own rules: compose config answers as for a stack with nothing set
        List<Rule> all = new ArrayList<>(rules);
        all.add(new Rule("docker", "compose * config --format json", List.of(Answer.ok(DEFAULT_CONFIG_JSON)), null));
        all.add(new Rule("docker-compose", "* config", List.of(Answer.ok(DEFAULT_CONFIG_YAML)), null));
        for (Rule rule : all) {
            index++;
            if (!rule.program().equals(program) && !rule.program().equals("*")) {
                continue;
            }
            script.append("  ").append(pattern(rule.glob())).append(")\n");
            if (rule.exec() != null) {
                script.append("    exec ").append(quote(rule.exec().toString())).append(" \"$@\";;\n");
                continue;
            }
            Path counter = bin.resolve(program + "-rule-" + index + ".count");
            script.append("    n=0; [[ -f ").append(quote(counter.toString())).append(" ]] && read -r n < ")
                    .append(quote(counter.toString())).append("\n")
                    .append("    echo $((n + 1)) > ").append(quote(counter.toString())).append("\n")
                    .append("    case $n in\n");
            for (int i = 0; i < rule.answers().size(); i++) {
                Answer answer = rule.answers().get(i);
                script.append("      ").append(i == rule.answers().size() - 1 ? "*" : String.valueOf(i)).append(")")
                        .append(" printf '%s' ").append(quote(answer.out()))
                        .append("; printf '%s' ").append(quote(answer.err())).append(" >&2")
                        .append("; exit ").append(answer.exitCode()).append(";;\n");
            }
            script.append("    esac;;\n");
        }
        script.append("esac\nexit 0\n");
        Path file = bin.resolve(program);
        Files.writeString(file, script.toString(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A glob whose literal parts are single-quoted, so spaces and braces match literally. */
    private static String pattern(String glob) {
        List<String> parts = new ArrayList<>();
        for (String literal : glob.split("\\*", -1)) {
            parts.add(literal.isEmpty() ? "" : quote(literal));
        }
        return String.join("*", parts);
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
