package dev.prowctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * deploy/image/Containerfile, checked the way hadolint would for what matters here (no container engine and no
 * hadolint on this machine, so the image is never built in CI): exact base tags, one build stage that both images
 * copy from, a non-root runtime that needs no shell, OCI labels, no HEALTHCHECK. Each rule also fails on a
 * broken copy of the file.
 */
class ContainerfileLintTest {

    private static final String FILE = "deploy/image/Containerfile";
    private static final String RUNTIME_BASE = "registry.access.redhat.com/ubi9/openjdk-17-runtime";
    /** x.y.z with an optional build suffix (17.0.17_10-jdk), or Red Hat's version-release (1.24-3.1787219885). */
    private static final Pattern EXACT_TAG = Pattern.compile("\\d+\\.\\d+\\.\\d+([_-][A-Za-z0-9_.-]+)?|\\d+\\.\\d+-\\d+\\.\\d+");

    record Instruction(String keyword, String args) {
    }

    record Stage(String base, String name, List<Instruction> instructions) {
    }

    /** Instructions with continuation lines joined and comments dropped, grouped by stage. */
    static List<Stage> stages(String text) {
        List<Stage> stages = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String trimmed = raw.strip();
            if (line.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (!line.isEmpty() && trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (trimmed.endsWith("\\")) {
                line.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            line.append(trimmed);
            String[] parts = line.toString().split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            line.setLength(0);
            if (instruction.keyword().equals("FROM")) {
                String[] from = instruction.args().split("\\s+");
                String name = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
                stages.add(new Stage(from[0], name, new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).instructions().add(instruction);
            } else if (!instruction.keyword().equals("ARG")) {
                stages.add(new Stage("", null, new ArrayList<>(List.of(instruction))));
            }
        }
        return stages;
    }

    /** Every rule this file must keep; an empty list means it passes. */
    static List<String> problems(String text) {
        List<String> problems = new ArrayList<>();
        List<Stage> stages = stages(text);
        Map<String, Stage> byName = new LinkedHashMap<>();
        for (Stage stage : stages) {
            if (stage.name() != null) {
                byName.put(stage.name(), stage);
            }
            if (!byName.containsKey(stage.base()) || byName.get(stage.base()) == stage) {
                pinned("FROM " + stage.base(), stage.base(), problems);
            }
            for (Instruction instruction : stage.instructions()) {
                if (instruction.keyword().equals("HEALTHCHECK")) {
                    problems.add("HEALTHCHECK in stage " + stage.name() + ": Kubernetes probes check health instead");
                }
                Matcher from = Pattern.compile("--from=(\\S+)").matcher(instruction.args());
                if (instruction.keyword().equals("COPY") && from.find() && !byName.containsKey(from.group(1))) {
                    pinned("COPY --from=" + from.group(1), from.group(1), problems);
                }
            }
        }
        List<Stage> builds = stages.stream().filter(s -> s.instructions().stream()
                .anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("./mvnw"))).toList();
        if (builds.size() != 1 || !"build".equals(builds.get(0).name())) {
            problems.add("exactly one stage, named build, must run ./mvnw; found " + builds.size());
        }
        for (String target : List.of("telegraf", "prowctl")) {
            Stage stage = byName.get(target);
            if (stage == null || stage.instructions().stream().noneMatch(i -> i.keyword().equals("COPY")
                    && (i.args().startsWith("--from=build ") || i.args().contains(" --from=build ")))) {
                problems.add("stage " + target + " must copy the jar from the build stage");
            }
        }
        Stage runtime = stages.isEmpty() ? null : stages.get(stages.size() - 1);
        if (runtime == null || !"prowctl".equals(runtime.name()) || !runtime.base().startsWith(RUNTIME_BASE + ":")) {
            problems.add("the last stage (the default target) must be prowctl FROM " + RUNTIME_BASE + ":<tag>");
            return problems;
        }
        runtimeRules(runtime, problems);
        return problems;
    }

    private static void pinned(String where, String image, List<String> problems) {
        int colon = image.lastIndexOf(':');
        String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "";
        if (image.contains("@")) {
            return; // a digest is pinned too
        }
        if (tag.isEmpty() || tag.equalsIgnoreCase("latest") || !EXACT_TAG.matcher(tag).matches()) {
            problems.add(where + ": not an exact tag");
        }
    }

    private static void runtimeRules(Stage runtime, List<String> problems) {
        List<Instruction> users = runtime.instructions().stream().filter(i -> i.keyword().equals("USER")).toList();
        String user = users.isEmpty() ? "" : users.get(users.size() - 1).args().split(":")[0];
        if (!user.matches("\\d+") || user.equals("0")) {
            problems.add("the runtime must end as a numeric non-root USER (runAsNonRoot checks it), not '" + user + "'");
        }
        List<Instruction> entrypoints = runtime.instructions().stream()
                .filter(i -> i.keyword().equals("ENTRYPOINT")).toList();
        if (entrypoints.size() != 1) {
            problems.add("the runtime needs one ENTRYPOINT");
        } else {
            try {
                JsonNode exec = Manifests.JSON.readTree(entrypoints.get(0).args());
                if (!exec.isArray() || !exec.path(0).asText().equals("java") || !exec.toString().contains("\"-jar\"")) {
                    problems.add("ENTRYPOINT must be exec form [\"java\", ..., \"-jar\", JAR]: no shell at run time");
                } else {
                    String jar = exec.path(exec.size() - 1).asText();
                    if (runtime.instructions().stream().noneMatch(i -> i.keyword().equals("COPY")
                            && i.args().contains("--from=build") && i.args().endsWith(" " + jar))) {
                        problems.add("the entrypoint's jar " + jar + " is not copied from the build stage");
                    }
                }
            } catch (IOException e) {
                problems.add("ENTRYPOINT must be exec form [\"java\", ..., \"-jar\", JAR]: no shell at run time");
            }
        }
        String labels = String.join(" ", runtime.instructions().stream().filter(i -> i.keyword().equals("LABEL"))
                .map(Instruction::args).toList());
        for (String label : List.of("title", "description", "version", "licenses")) {
            if (!labels.contains("org.opencontainers.image." + label + "=")) {
                problems.add("OCI label org.opencontainers.image." + label + " missing");
            }
        }
        String version = runtime.instructions().stream().filter(i -> i.keyword().equals("ARG")
                && i.args().startsWith("PROWCTL_VERSION=")).map(i -> i.args().substring("PROWCTL_VERSION=".length()))
                .findFirst().orElse("");
        if (!version.equals(Manifests.projectVersion())) {
            problems.add("ARG PROWCTL_VERSION (the version label) is '" + version + "', not the project's "
                    + Manifests.projectVersion());
        }
        // any UID OpenShift assigns is in group 0: the state directory must belong to group 0
        boolean stateForGroup0 = runtime.instructions().stream().anyMatch(i -> i.keyword().equals("RUN")
                && i.args().contains("chown 185:0 /var/lib/prowctl") && i.args().contains("chmod 0775 /var/lib/prowctl"));
        boolean stateDirSet = runtime.instructions().stream().anyMatch(i -> i.keyword().equals("ENV")
                && i.args().contains("PROWCTL_STATE_DIR=/var/lib/prowctl"));
        if (!stateForGroup0 || !stateDirSet) {
            problems.add("the state directory /var/lib/prowctl must be group 0's and PROWCTL_STATE_DIR");
        }
    }

    private static String containerfile() throws IOException {
        return Files.readString(Manifests.REPO.resolve(FILE));
    }

    @Test
    void theContainerfilePassesEveryRule() throws IOException {
        assertThat(problems(containerfile())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a moving base            | FROM telegraf:1.38.4 AS telegraf                | FROM telegraf:latest AS telegraf             | FROM telegraf:latest: not an exact tag
            no tag                   | FROM telegraf:1.38.4 AS telegraf                | FROM telegraf AS telegraf                    | FROM telegraf: not an exact tag
            a minor tag              | openjdk-17-runtime:1.24-3.1787219885 AS prowctl | openjdk-17-runtime:1.24 AS prowctl           | not an exact tag
            a moving copy source     | COPY --from=eclipse-temurin:17.0.17_10-jre      | COPY --from=eclipse-temurin:17-jre           | COPY --from=eclipse-temurin:17-jre: not an exact tag
            root                     | \\nUSER 185\\n                                | \\nUSER 0\\n                               | numeric non-root USER
            a user name              | \\nUSER 185\\n                                | \\nUSER jboss\\n                           | numeric non-root USER
            a shell entrypoint       | ENTRYPOINT ["java",                             | ENTRYPOINT sh -c "java                       | exec form
            a health check           | EXPOSE 9095 9096                                | HEALTHCHECK CMD curl -f localhost:9096/healthz | HEALTHCHECK
            a second build           | FROM telegraf:1.38.4 AS telegraf                | FROM telegraf:1.38.4 AS telegraf\\nRUN ./mvnw package | exactly one stage
            its own jar              | COPY --from=build /prowctl.jar /opt/prowctl/prowctl.jar | COPY prowctl/target/prowctl.jar /opt/prowctl/prowctl.jar | stage telegraf must copy the jar
            another version          | ARG PROWCTL_VERSION=                            | ARG PROWCTL_VERSION=9                        | not the project's
            no licence label         | org.opencontainers.image.licenses=              | org.opencontainers.image.license=            | licenses missing
            root's state dir         | chown 185:0 /var/lib/prowctl                    | chown 185:185 /var/lib/prowctl               | group 0's
            a private state dir      | chmod 0775 /var/lib/prowctl                     | chmod 0755 /var/lib/prowctl                  | group 0's
            """)
    void eachRuleFailsOnABrokenCopy(String what, String from, String to, String problem) throws IOException {
        String text = containerfile();
        String search = from.replace("\\n", "\n");
        assertThat(text).as(what).contains(search);
        List<String> problems = problems(text.replaceFirst(Pattern.quote(search),
                Matcher.quoteReplacement(to.replace("\\n", "\n"))));
        assertThat(problems).as(what).anyMatch(p -> p.contains(problem));
    }

    /** Compose builds the Telegraf image from the same file's telegraf target: there is no second Dockerfile. */
    @Test
    void composeBuildsTheTelegrafTargetOfTheSameFile() throws IOException {
        JsonNode services = Manifests.YAML.readTree(Manifests.REPO.resolve("docker-compose.yml").toFile()).path("services");
        for (String service : List.of("telegraf", "relay")) {
            assertThat(services.at("/" + service + "/build/dockerfile").asText()).as(service).isEqualTo(FILE);
            assertThat(services.at("/" + service + "/build/target").asText()).as(service).isEqualTo("telegraf");
        }
        assertThat(Manifests.REPO.resolve("telegraf/Dockerfile")).doesNotExist();
        // in this order: the classic builder runs every stage up to --target, so compose never builds prowctl's
        assertThat(stages(containerfile())).extracting(Stage::name).containsExactly("build", "telegraf", "prowctl");
    }
}
