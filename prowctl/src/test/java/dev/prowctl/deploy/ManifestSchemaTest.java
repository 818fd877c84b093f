package dev.prowctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every object {@code kubectl kustomize} renders validates against its schema (kubernetes-models,
 * @kubernetes-models/prometheus-operator, and the project's Route schema), unknown fields included; and the
 * validator does fail on what it must catch, so a green run means something.
 */
class ManifestSchemaTest {

    private record Result(String name, String validator, List<String> problems) {
    }

    private static List<Result> results(Manifests.Run run) throws Exception {
        assertThat(run.exitCode()).as("validate.mjs stderr: %s", run.err()).isIn(0, 1);
        List<Result> results = new ArrayList<>();
        for (JsonNode result : Manifests.JSON.readTree(run.out()).path("results")) {
            List<String> problems = new ArrayList<>();
            result.path("problems").forEach(p -> problems.add(p.asText()));
            results.add(new Result(result.path("name").asText(), result.path("validator").asText(), problems));
        }
        return results;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void everyRenderedObjectMatchesItsSchema(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        Manifests.Run run = Manifests.validate(objects);
        List<Result> results = results(run);
        assertThat(results).hasSize(objects.size());
        assertThat(results).allSatisfy(r -> {
            assertThat(r.validator()).as(r.name()).isNotEqualTo("none");
            assertThat(r.problems()).as(r.name()).isEmpty();
        });
        assertThat(run.exitCode()).isZero();
        assertThat(results).extracting(Result::validator).contains("kubernetes-models",
                "@kubernetes-models/prometheus-operator");
    }

    /** The mistakes the check exists for, each in a copy of a rendered object: every one must be reported. */
    @Test
    void refusesUnknownFieldsWrongTypesAndUnknownKinds() throws Exception {
        List<JsonNode> objects = Manifests.render("openshift");
        ObjectNode deployment = (ObjectNode) Manifests.ofKind(objects, "Deployment").get(0).deepCopy();
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        // a misspelt field, which the API server would drop without a word
        ((ObjectNode) container.path("securityContext")).put("readOnlyRootFileSystem", true);
        ObjectNode cronJob = (ObjectNode) Manifests.ofKind(objects, "CronJob").get(0).deepCopy();
        ((ObjectNode) cronJob.path("spec")).put("concurrencyPolicy", 3);
        ObjectNode rule = (ObjectNode) Manifests.ofKind(objects, "PrometheusRule").get(0).deepCopy();
        ((ObjectNode) rule.at("/spec/groups/0")).put("evaluation_interval", "1m");
        ObjectNode route = (ObjectNode) Manifests.ofKind(objects, "Route").get(0).deepCopy();
        ((ObjectNode) route.at("/spec/tls")).put("termination", "edgy");
        ((ObjectNode) route.path("spec")).put("hostname", "x.example.com");
        ObjectNode unknownKind = Manifests.JSON.createObjectNode().put("apiVersion", "example.com/v1")
                .put("kind", "Widget");
        unknownKind.putObject("metadata").put("name", "w");

        Manifests.Run run = Manifests.validate(List.of(deployment, cronJob, rule, route, unknownKind));

        assertThat(run.exitCode()).isEqualTo(1);
        List<Result> results = results(run);
        assertThat(results.get(0).problems())
                .containsExactly("/spec/template/spec/containers/0/securityContext/readOnlyRootFileSystem: unknown field");
        assertThat(String.join("\n", results.get(1).problems())).contains("concurrencyPolicy");
        assertThat(results.get(2).problems()).containsExactly("/spec/groups/0/evaluation_interval: unknown field");
        assertThat(results.get(3).problems()).anyMatch(p -> p.startsWith("/spec/tls/termination"))
                .contains("/spec/hostname: unknown field");
        assertThat(results.get(4).problems()).containsExactly("no schema for example.com/v1 Widget");
    }
}
