package dev.prowctl.grafana;

import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;

import dev.prowctl.http.TerminalText;

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

    /**
     * A created credential: the key (shown once) and what was created in Grafana, named so that it can be found and
     * deleted ("token 'ci' (id 12) of service account 'ci' (id 5)").
     */
    public record Created(String key, String what) {
        @Override
        public String toString() {
            return what; // never the key
        }
    }

    /** The service account a token goes to, and whether this run created it. */
    private record Account(long id, String name, boolean created) {
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
        return createKey(name, role, secondsToLive).key();
    }

    /**
     * Creates a key and says what was created. Writes are sent once (the client retries only reads), so a lost
     * answer never leaves a second token behind.
     *
     * @param secondsToLive 0 for no expiry
     */
    public Created createKey(String name, Role role, long secondsToLive) {
        GrafanaVersion version = client.version();
        if (version.hasServiceAccounts()) {
            Account account = findOrCreateServiceAccount(name, role);
            if (account != null) {
                return createToken(account, name, secondsToLive);
            }
            // 9.0 has service accounts only behind a feature toggle (404 without it), and still has API keys.
            if (!version.hasLegacyApiKeyCreation()) {
                throw client.unsupported("service accounts (GET api/serviceaccounts/search → 404)",
                        "enable them or use a Grafana with service accounts (9.1 or later)");
            }
        }
        return createLegacyKey(name, role, secondsToLive);
    }

    /** The service account named {@code name}, created when missing; null when this Grafana has none (404). */
    private Account findOrCreateServiceAccount(String name, Role role) {
        HttpUrl search = client.api("serviceaccounts", "search").addQueryParameter("query", name)
                .addQueryParameter("perpage", "100").build();
        GrafanaClient.Reply found = client.send("GET", search, null, false);
        if (found.status() == 404) {
            return null;
        }
        if (!found.ok()) {
            throw client.failure("GET", search, found);
        }
        for (JsonNode account : found.body().path("serviceAccounts")) {
            if (name.equals(Json.text(account, "name"))) {
                // Reusing it blindly could hand out a token with more rights than asked for (an Admin account).
                String existingRole = Json.text(account, "role");
                if (!role.name().equalsIgnoreCase(existingRole)) {
                    throw new RoleMismatch(name, existingRole.isEmpty() ? "unknown"
                            : TerminalText.oneLine(existingRole), role);
                }
                return new Account(account.path("id").asLong(), name, false);
            }
        }
        ObjectNode body = Json.object().put("name", name).put("role", role.name()).put("isDisabled", false);
        JsonNode created = client.post(client.api("serviceaccounts").build(), body);
        return new Account(created.path("id").asLong(), name, true);
    }

    private Created createToken(Account account, String name, long secondsToLive) {
        HttpUrl url = client.api("serviceaccounts", Long.toString(account.id()), "tokens").build();
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
            return new Created(key(reply.body(), "POST " + client.path(url)), "token '"
                    + TerminalText.oneLine(tokenName) + "' (id " + reply.body().path("id").asLong()
                    + ") of service account '" + TerminalText.oneLine(account.name()) + "' (id " + account.id()
                    + (account.created() ? ", created now" : "") + ")");
        }
    }

    private Created createLegacyKey(String name, Role role, long secondsToLive) {
        HttpUrl url = client.api("auth", "keys").build();
        GrafanaClient.Reply reply;
        String keyName;
        int n = 1;
        do {
            // As for tokens: a key name already taken gets the next free suffix.
            keyName = n == 1 ? name : name + "-" + n;
            ObjectNode body = Json.object().put("name", keyName).put("role", role.name());
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
        return new Created(key(reply.body(), "POST " + client.path(url)), "API key '" + TerminalText.oneLine(keyName)
                + "' (id " + reply.body().path("id").asLong() + ")");
    }

    private static String key(JsonNode body, String what) {
        String key = Json.text(body, "key");
        if (key.isEmpty()) {
            throw new GrafanaException(GrafanaException.Problem.SERVER_ERROR, 200, what + " answered without a key");
        }
        return key;
    }
}
