package dev.prowctl.grafana;


/**
 * How prowctl authenticates to Grafana. {@link #describe()} names the kind of credential for error messages;
 * no method ever returns or prints the secret itself except {@link #authorizationHeader()}.
 */
public sealed interface Credentials {

    /** The value of the {@code Authorization} header, or null when no credential is configured. */
    String authorizationHeader();

    /** What kind of credential this is, without its value: "an API token", "basic auth as user 'admin'". */
    String describe();

    /** A service-account token or legacy API key, sent as a bearer token. */
    record Token(String token) implements Credentials {
        @Override
        public String authorizationHeader() {
            return "Bearer " + token;
        }

        @Override
        public String describe() {
            return "a token (service-account token or API key)";
        }

        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    /** A Grafana user name and password, sent as HTTP basic auth. */
    record Basic(String user, String password) implements Credentials {
        @Override
        public String authorizationHeader() {
            return okhttp3.Credentials.basic(user, password == null ? "" : password);
        }

        @Override
        public String describe() {
            return "basic auth as user '" + user + "'";
        }

        @Override
        public String toString() {
            return "Basic[" + user + ", ***]";
        }
    }

    /** No credential: only anonymous access (and /api/health) will work. */
    record None() implements Credentials {
        @Override
        public String authorizationHeader() {
            return null;
        }

        @Override
        public String describe() {
            return "no credentials (anonymous)";
        }
    }
}
