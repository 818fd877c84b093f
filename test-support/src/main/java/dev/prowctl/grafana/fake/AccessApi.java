package dev.prowctl.grafana.fake;

import static dev.prowctl.grafana.fake.Reply.error;
import static dev.prowctl.grafana.fake.Reply.ok;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.fake.FakeGrafana.Line;
import dev.prowctl.grafana.fake.Routes.Access;

/** Service accounts and their tokens (9+), and the legacy API keys (created on 8.4, 410 on 11.6, gone on 12). */
final class AccessApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Line line;
    private final Ids ids;
    private final Map<Long, ObjectNode> serviceAccounts = new LinkedHashMap<>();
    private final Map<Long, List<ObjectNode>> tokens = new HashMap<>();
    private final List<ObjectNode> apiKeys = new ArrayList<>();

    AccessApi(Line line, Ids ids) {
        this.line = line;
        this.ids = ids;
    }

    void addServiceAccount(String name, String role) {
        long id = ids.next();
        serviceAccounts.put(id, F.objectNode().put("id", id).put("name", name).put("login", "sa-" + name)
                .put("orgId", 1).put("role", role).put("isDisabled", false).put("tokens", 0));
    }

    void addToken(long serviceAccountId, String name) {
        tokens.computeIfAbsent(serviceAccountId, k -> new ArrayList<>())
                .add(F.objectNode().put("id", ids.next()).put("name", name).put("hasExpired", false));
    }

    Collection<ObjectNode> serviceAccounts() {
        return List.copyOf(serviceAccounts.values());
    }

    List<ObjectNode> tokens(long serviceAccountId) {
        return List.copyOf(tokens.getOrDefault(serviceAccountId, List.of()));
    }

    List<ObjectNode> apiKeys() {
        return List.copyOf(apiKeys);
    }

    void register(Routes routes) {
        routes.add("GET", "/api/serviceaccounts/search", Line::modern, Access.ADMIN, this::searchServiceAccounts);
        routes.add("POST", "/api/serviceaccounts", Line::modern, Access.ADMIN, c -> {
            long id = ids.next();
            ObjectNode sa = F.objectNode().put("id", id).put("name", c.body().path("name").asText())
                    .put("login", "sa-" + c.body().path("name").asText()).put("orgId", 1)
                    .put("role", c.body().path("role").asText("Viewer")).put("isDisabled", false).put("tokens", 0);
            serviceAccounts.put(id, sa);
            return new Reply(201, sa.deepCopy());
        });
        routes.add("GET", "/api/serviceaccounts/(\\d+)/tokens", Line::modern, Access.ADMIN, c -> {
            ArrayNode out = F.arrayNode();
            tokens.getOrDefault(Long.parseLong(c.param(1)), List.of()).forEach(t -> out.add(t.deepCopy()));
            return ok(out);
        });
        routes.add("POST", "/api/serviceaccounts/(\\d+)/tokens", Line::modern, Access.ADMIN, this::createToken);
        routes.add("GET", "/api/auth/keys", Line::hasApiKeys, Access.ADMIN, c -> {
            ArrayNode out = F.arrayNode();
            apiKeys.forEach(k -> out.add(F.objectNode().put("id", k.path("id").asLong())
                    .put("name", k.path("name").asText()).put("role", k.path("role").asText())));
            return ok(out);
        });
        routes.add("POST", "/api/auth/keys", Line::hasApiKeys, Access.ADMIN, this::createApiKey);
    }

    private Reply searchServiceAccounts(Call c) {
        String q = c.query("query").toLowerCase(Locale.ROOT);
        ArrayNode list = F.arrayNode();
        serviceAccounts.values().stream()
                .filter(sa -> sa.path("name").asText().toLowerCase(Locale.ROOT).contains(q))
                .forEach(sa -> list.add(sa.deepCopy()));
        ObjectNode out = F.objectNode().put("totalCount", list.size()).put("page", 1).put("perPage", 100);
        out.set("serviceAccounts", list);
        return ok(out);
    }

    private Reply createToken(Call c) {
        long said = Long.parseLong(c.param(1));
        if (!serviceAccounts.containsKey(said)) {
            return error(404, "service account not found");
        }
        String name = c.body().path("name").asText();
        List<ObjectNode> list = tokens.computeIfAbsent(said, k -> new ArrayList<>());
        if (list.stream().anyMatch(t -> t.path("name").asText().equals(name))) {
            return error(409, "service account token with given name already exists in the organization");
        }
        long id = ids.next();
        list.add(F.objectNode().put("id", id).put("name", name).put("hasExpired", false));
        serviceAccounts.get(said).put("tokens", list.size());
        return ok(F.objectNode().put("id", id).put("name", name).put("key", "glsa_" + name + "_" + id));
    }

    private Reply createApiKey(Call c) {
        if (!line.createsApiKeys()) {
            return error(410, "this endpoint has been removed, please use POST /api/serviceaccounts and "
                    + "POST /api/serviceaccounts/{id}/tokens instead");
        }
        String name = c.body().path("name").asText();
        if (apiKeys.stream().anyMatch(k -> k.path("name").asText().equals(name))) {
            return error(409, "API Key Organization ID And Name Must Be Unique");
        }
        long id = ids.next();
        apiKeys.add(F.objectNode().put("id", id).put("name", name).put("role", c.body().path("role").asText()));
        return ok(F.objectNode().put("id", id).put("name", name).put("key", "eyJrIjoi" + id));
    }
}
