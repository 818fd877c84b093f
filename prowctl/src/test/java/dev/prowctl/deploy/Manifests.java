package dev.prowctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.prowctl.testing.TestEnv;

/**
 * The real tools the deployment tests run: {@code kubectl kustomize} (renders an overlay), {@code node} with the
 * pinned validator packages of deploy/validate (installed by .ci/run into a cache, never into the checkout), and
 * {@code bash deploy/kubernetes/generate.sh}. A missing tool goes through the one skip rule (TestEnv.missing).
 */
final class Manifests {

    static final Path REPO = TestEnv.repoDir();
    static final Path KUSTOMIZE = REPO.resolve("deploy/kubernetes");
    static final List<String> OVERLAYS = List.of("kubernetes", "openshift");
    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("\"kustomizeVersion\":\\s*\"v(\\d+)\\.");

    private Manifests() {
    }

    record Run(int exitCode, String out, String err) {
    }

    /** Runs a command with a bounded wait; stdin may be null. */
    static Run run(List<String> command, Path dir, String stdin, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                TestEnv.stop(process);
                throw new AssertionError(command + " did not finish within 120 s");
            }
            return new Run(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where .ci/run installs deploy/validate's packages (and a kubectl when the machine has none). */
    static Path toolsDir() {
        String configured = System.getenv("PROWCTL_DEPLOY_TOOLS");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("prowctl-ci/deploy");
    }

    private static Path kubectl;

    /** kubectl from PATH, else the one .ci/run unpacked; it must embed kustomize 4 or later (components). */
    static synchronized Path kubectl() {
        if (kubectl == null) {
            kubectl = findKubectl();
        }
        return kubectl;
    }

    private static Path findKubectl() {
        Path fallback = toolsDir().resolve("bin/kubectl");
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate) && kustomizeMajor(candidate) >= 4) {
                return candidate;
            }
        }
        if (Files.isExecutable(fallback) && kustomizeMajor(fallback) >= 4) {
            return fallback;
        }
        TestEnv.missing("no kubectl with kustomize 4 or later on PATH or in " + fallback
                + " (Debian's kubernetes-client 1.20 is too old): run .ci/run, which unpacks one");
        throw new AssertionError("unreachable");
    }

    private static int kustomizeMajor(Path kubectl) {
        Run run = run(List.of(kubectl.toString(), "version", "--client", "-o", "json"), REPO, null, Map.of());
        Matcher matcher = KUSTOMIZE_VERSION.matcher(run.out());
        return run.exitCode() == 0 && matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    /** {@code kubectl kustomize DIR}, which must succeed. */
    static String renderText(Path dir) {
        Run run = run(List.of(kubectl().toString(), "kustomize", dir.toString()), REPO, null, Map.of());
        assertThat(run.exitCode()).as("kubectl kustomize %s: %s", dir, run.err()).isZero();
        return run.out();
    }

    /** The objects of an overlay as kubectl kustomize renders them. */
    static List<JsonNode> render(String overlay) {
        return parse(renderText(KUSTOMIZE.resolve("overlays").resolve(overlay)));
    }

    static List<JsonNode> parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    static String name(JsonNode object) {
        return object.path("kind").asText() + "/" + object.at("/metadata/name").asText();
    }

    /** The project version, from the parent pom. */
    static String projectVersion() {
        try {
            Matcher matcher = Pattern.compile("<artifactId>prowctl-parent</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(Files.readString(REPO.resolve("pom.xml")));
            assertThat(matcher.find()).as("pom.xml names the parent's version").isTrue();
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * deploy/validate/validate.mjs over the objects, with node_modules from the tools dir: a throwaway directory
     * holds a copy of the script and a link to the packages, so node resolves them and nothing is written into
     * the checkout or the cache.
     */
    static Run validate(List<JsonNode> objects) {
        Path node = TestEnv.requireBinary("node", "nodejs");
        Path modules = toolsDir().resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("kubernetes-models"))
                || !Files.isDirectory(modules.resolve("@kubernetes-models/prometheus-operator"))) {
            TestEnv.missing("the validator packages are not in " + modules + ": run .ci/run, or `npm ci` in a copy"
                    + " of deploy/validate's package.json, package-lock.json and .npmrc there");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("prowctl-validate-");
            Files.createSymbolicLink(dir.resolve("node_modules"), modules);
            for (String file : List.of("validate.mjs", "route-v1.schema.json", "package.json")) {
                Files.copy(REPO.resolve("deploy/validate").resolve(file), dir.resolve(file));
            }
            return run(List.of(node.toString(), dir.resolve("validate.mjs").toString()), dir,
                    JSON.writeValueAsString(objects), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                TestEnv.deleteTree(dir);
            }
        }
    }
}
