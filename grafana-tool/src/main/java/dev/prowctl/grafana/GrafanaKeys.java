package dev.prowctl.grafana;

import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;

/**
 * Creates an API credential the way the server version supports: a service-account token on 9+ (find-or-create
 * the service account by name, then a token; a taken token name gets a fresh suffix), a legacy API key on 8.x. An
 * existing service account is reused only when it has the role asked for.
 */
public final class GrafanaKeys {

    /** The roles Grafana accepts for keys and service accounts. */
    public enum Role { Admin, Editor, Viewer }

    /** The service account asked for exists with another role: no token was made (a usage error, not Grafana's). */
    public static final class RoleMismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String existingRole;

        RoleMismatch(String name, String existingRole, Role requested) {
            super("service account '" + name + "' already exists with role " + existingRole + ", not "
                    + requested.name() + "; nothing was created");
            this.existingRole = existingRole;
        }

        public String existingRole() {
            return existingRole;
        }
    }

    private final GrafanaClient client;

    public GrafanaKeys(GrafanaClient client) {
        this.client = client;
    }

    /**
     * Creates a key and returns it (Grafana shows it only once).
     *
     * @param secondsToLive 0 for no expiry
     */
    public String create(String name, Role role, long secondsToLive) {
        GrafanaVersion version = client.version();
        if (version.hasServiceAccounts()) {
            long accountId = findOrCreateServiceAccount(name, role);
            return createToken(accountId, name, secondsToLive);
        }
        return createLegacyKey(name, role, secondsToLive);
    }

    private long findOrCreateServiceAccount(String name, Role role) {
        HttpUrl search = client.api("serviceaccounts", "search").addQueryParameter("query", name)
                .addQueryParameter("perpage", "100").build();
        GrafanaClient.Reply found = client.send("GET", search, null, false);
        if (found.status() == 404) {
            throw client.unsupported("service accounts (GET api/serviceaccounts/search → 404)",
                    "enable them or use a Grafana with service accounts (9.1 or later)");
        }
        if (!found.ok()) {
            throw client.failure("GET", search, found);
        }
        for (JsonNode account : found.body().path("serviceAccounts")) {
            if (name.equals(Json.text(account, "name"))) {
                // Reusing it blindly could hand out a token with more rights than asked for (an Admin account).
                String existingRole = Json.text(account, "role");
                if (!role.name().equalsIgnoreCase(existingRole)) {
                    throw new RoleMismatch(name, existingRole.isEmpty() ? "unknown" : existingRole, role);
                }
                return account.path("id").asLong();
            }
        }
        ObjectNode body = Json.object().put("name", name).put("role", role.name()).put("isDisabled", false);
        JsonNode created = client.post(client.api("serviceaccounts").build(), body);
        return created.path("id").asLong();
    }

    private String createToken(long accountId, String name, long secondsToLive) {
        HttpUrl url = client.api("serviceaccounts", Long.toString(accountId), "tokens").build();
        Set<String> taken = new HashSet<>();
        JsonNode existing = client.getOrNull(url);
        if (existing != null) {
            existing.forEach(t -> taken.add(Json.text(t, "name")));
        }
        String tokenName = name;
        for (int n = 2; taken.contains(tokenName); n++) {
            tokenName = name + "-" + n;
        }
        for (int attempt = 0; ; attempt++) {
            ObjectNode body = Json.object().put("name", tokenName);
            if (secondsToLive > 0) {
                body.put("secondsToLive", secondsToLive);
            }
            GrafanaClient.Reply reply = client.send("POST", url, body, false);
            if (reply.status() == 409 && attempt < 20) {
                // Taken meanwhile (or not listed): try the next free suffix.
                taken.add(tokenName);
                for (int n = 2; taken.contains(tokenName); n++) {
                    tokenName = name + "-" + n;
                }
                continue;
            }
            if (!reply.ok()) {
                throw client.failure("POST", url, reply);
            }
            return key(reply.body(), "POST " + client.path(url));
        }
    }

    private String createLegacyKey(String name, Role role, long secondsToLive) {
        HttpUrl url = client.api("auth", "keys").build();
        GrafanaClient.Reply reply;
        int n = 1;
        do {
            // As for tokens: a key name already taken gets the next free suffix.
            ObjectNode body = Json.object().put("name", n == 1 ? name : name + "-" + n).put("role", role.name());
            if (secondsToLive > 0) {
                body.put("secondsToLive", secondsToLive);
            }
            reply = client.send("POST", url, body, false);
            n++;
        } while (reply.status() == 409 && n <= 20);
        if (reply.status() == 404 || reply.status() == 410) {
            throw client.unsupported("legacy API keys (POST api/auth/keys → " + reply.status() + ")",
                    "use a service account token (Grafana 9 and later)");
        }
        if (!reply.ok()) {
            throw client.failure("POST", url, reply);
        }
        return key(reply.body(), "POST " + client.path(url));
    }

    private static String key(JsonNode body, String what) {
        String key = Json.text(body, "key");
        if (key.isEmpty()) {
            throw new GrafanaException(GrafanaException.Problem.SERVER_ERROR, 200, what + " answered without a key");
        }
        return key;
    }
}
