package dev.prowctl.grafana.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import okhttp3.HttpUrl;

/**
 * Checks requests and responses of the fake Grafana against Grafana's published OpenAPI spec (Swagger 2.0 of
 * 11.4.0, {@code ../shared/grafana-openapi/}) with Atlassian's swagger-request-validator.
 *
 * <p>Documented exceptions ({@link #EXCEPTIONS}): endpoints prowctl uses that the published {@code api-merged.json}
 * does not contain, with the reason. None of the operations that the 11.4 → 13.0 diff adds is used by prowctl.
 * Security checks are off: the spec's global security wrongly covers {@code /api/health} (no auth in Grafana),
 * and the fake itself checks credentials the way Grafana does.
 *
 * <p>Corrections of the published file, all about how it was generated rather than about Grafana:
 * <ul>
 *   <li>free-form objects (an object schema without properties, like an alert query's {@code model}, "the raw
 *   JSON query ... as well as custom properties") accept any property; the validator would otherwise close them;</li>
 *   <li>a mute timing's {@code time_intervals} items are {@code TimeIntervalItem} (weekdays, times, ...): two Go
 *   types named TimeInterval collided in the generator, which kept the wrong one;</li>
 *   <li>enum values are trimmed: the generator split "alertmanager, dingding, ..." on commas, so the contact point
 *   {@code type} enum lists " webhook" and " slack" with a leading space, which no Grafana sends;</li>
 *   <li>extra properties in <em>responses</em> are allowed: the validator treats every object schema as closed, but
 *   Grafana documents only part of what it returns ({@code slug} of {@code POST /api/dashboards/db}, the
 *   {@code version}/{@code provenance} of mute timings, the free-form {@code model} of alert queries). Extra
 *   properties in <em>requests</em> stay errors, so prowctl sends only documented fields.</li>
 * </ul>
 */
public final class SpecContract {

    /** One endpoint not in the 11.4 spec, and why prowctl may call it anyway. */
    public record Exception(String method, Pattern path, boolean grafana8Only, String reason) {
        Exception(String method, Pattern path, String reason) {
            this(method, path, false, reason);
        }
    }

    public static final List<Exception> EXCEPTIONS = List.of(
            new Exception("GET", Pattern.compile("/api/alerts"),
                    "legacy dashboard alerting (8.x, removed in 11): never part of api-merged.json"),
            new Exception("GET", Pattern.compile("/api/alerts/[^/]+"),
                    "legacy dashboard alerting (8.x, removed in 11): never part of api-merged.json"),
            new Exception("(GET|POST)", Pattern.compile("/api/alert-notifications"),
                    "legacy notification channels (8.x, removed in 11): never part of api-merged.json"),
            new Exception("(GET|PUT)", Pattern.compile("/api/alert-notifications/uid/[^/]+"),
                    "legacy notification channels (8.x, removed in 11): never part of api-merged.json"),
            new Exception("POST", Pattern.compile("/api/auth/keys"), true,
                    "legacy API key creation as 8.x served it: the 11.4 spec documents only its removal (410)"),
            new Exception("GET", Pattern.compile("/api/frontend/settings"),
                    "asked only when /api/health hides the version (hide_version): documented in Grafana's "
                            + "'Other HTTP API' page, not in api-merged.json (grafana-openapi/README.md)"),
            new Exception("GET", Pattern.compile("/api/alertmanager/grafana/api/v2/alerts"),
                    "ngalert Alertmanager route: Grafana does not merge it into api-merged.json "
                            + "(grafana-openapi/README.md, 'What the spec does NOT contain')"));

    private static OpenApiInteractionValidator validator;

    private SpecContract() {
    }

    /** The documented exception for an endpoint, or null when the spec must describe it. */
    public static Exception exceptionFor(String method, String apiPath, boolean grafana8) {
        for (Exception e : EXCEPTIONS) {
            if (method.matches(e.method()) && e.path().matcher(apiPath).matches() && (grafana8 || !e.grafana8Only())) {
                return e;
            }
        }
        return null;
    }

    /** Loads the spec once per JVM (it is 650 kB). */
    public static synchronized OpenApiInteractionValidator validator(Path spec) {
        if (validator == null) {
            try {
                JsonNode root = new ObjectMapper().readTree(spec.toFile());
                trimEnums(root);
                openFreeFormObjects(root);
                ((ObjectNode) root.at("/definitions/MuteTimeInterval/properties/time_intervals/items"))
                        .put("$ref", "#/definitions/TimeIntervalItem");
                validator = OpenApiInteractionValidator
                        .createForInlineApiSpecification(root.toString())
                        .withLevelResolver(LevelResolver.create()
                                .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                                .withLevel("validation.response.body.schema.additionalProperties",
                                        ValidationReport.Level.IGNORE)
                                .build())
                        .build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return validator;
    }

    private static void openFreeFormObjects(JsonNode node) {
        if (node.isObject() && "object".equals(node.path("type").asText()) && !node.has("properties")
                && !node.has("additionalProperties") && !node.has("$ref")) {
            ((ObjectNode) node).put("additionalProperties", true);
        }
        node.forEach(SpecContract::openFreeFormObjects);
    }

    private static void trimEnums(JsonNode node) {
        if (node.isObject()) {
            JsonNode values = node.get("enum");
            if (values != null && values.isArray()) {
                ArrayNode trimmed = ((ArrayNode) values).arrayNode();
                values.forEach(v -> {
                    if (v.isTextual()) {
                        trimmed.add(v.asText().strip());
                    } else {
                        trimmed.add(v);
                    }
                });
                ((ObjectNode) node).set("enum", trimmed);
            }
        }
        node.forEach(SpecContract::trimEnums);
    }

    /**
     * Checks one exchange; returns the violations (empty when it conforms).
     *
     * @param apiPath        the path from Grafana's root ("/api/folders"), i.e. without any sub-path
     * @param checkResponse  false when the fake answered "no such route in this version": the request is still
     *                       checked, but the spec's responses describe the route, not its absence
     */
    public static List<String> check(OpenApiInteractionValidator v, String method, String apiPath, HttpUrl url,
                                     Map<String, String> headers, String requestBody, int status,
                                     String responseBody, boolean checkResponse) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, apiPath);
        for (String name : url.queryParameterNames()) {
            request.withQueryParam(name, url.queryParameterValues(name));
        }
        headers.forEach(request::withHeader);
        if (requestBody != null && !requestBody.isEmpty()) {
            request.withBody(requestBody);
        }
        ValidationReport report;
        if (checkResponse) {
            SimpleResponse.Builder response = SimpleResponse.Builder.status(status).withContentType("application/json");
            if (responseBody != null && !responseBody.isEmpty()) {
                response.withBody(responseBody);
            }
            report = v.validate(request.build(), response.build());
        } else {
            report = v.validateRequest(request.build());
        }
        List<String> violations = new ArrayList<>();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                violations.add(method + " " + apiPath + " → " + status + ": " + m.getKey() + ": " + m.getMessage()
                        + (m.getNestedMessages().isEmpty() ? "" : " " + m.getNestedMessages().stream()
                        .map(ValidationReport.Message::getMessage).toList()));
            }
        }
        return violations;
    }
}
