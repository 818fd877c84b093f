package dev.prowctl.cli;

import java.time.Duration;

import dev.prowctl.http.Redaction;
import dev.prowctl.scraper.influx.InfluxTarget;
import dev.prowctl.scraper.influx.InfluxWriter;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.pipeline.InfluxSink;
import dev.prowctl.scraper.pipeline.RunSink;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where {@code scrape} writes when it writes to InfluxDB instead of printing. The URL must be given on the command
 * line (an {@code INFLUX_URL} in Telegraf's environment must not silently turn printing into writing); the database,
 * org, bucket and credentials may come from the environment.
 */
public final class InfluxOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--influx-url", paramLabel = "URL",
            description = "Write to this InfluxDB instead of printing, e.g. http://localhost:8086. A user and "
                    + "password in it (http://USER:PASSWORD@host:8086) are used as the 1.x credentials.")
    String url;

    @Option(names = "--influx-db", paramLabel = "DB", defaultValue = "${env:INFLUX_DB}",
            description = "InfluxDB 1.x database (env INFLUX_DB).")
    String database;

    @Option(names = "--influx-rp", paramLabel = "RP", defaultValue = "${env:INFLUX_RP}",
            description = "InfluxDB 1.x retention policy (env INFLUX_RP; default: the database's default).")
    String retentionPolicy;

    @Option(names = "--influx-user", paramLabel = "USER", defaultValue = "${env:INFLUX_USER}",
            description = "InfluxDB 1.x user (env INFLUX_USER).")
    String user;

    @Option(names = "--influx-password", paramLabel = "PASSWORD|@FILE", defaultValue = "${env:INFLUX_PASSWORD}",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            description = "InfluxDB 1.x password, or @FILE to read it from FILE (env INFLUX_PASSWORD; prefer the "
                    + "variable or a file: arguments show in ps).")
    Secret password;

    @Option(names = "--influx-org", paramLabel = "ORG", defaultValue = "${env:INFLUX_ORG}",
            description = "InfluxDB 2.x/3.x organisation (env INFLUX_ORG).")
    String org;

    @Option(names = "--influx-bucket", paramLabel = "BUCKET", defaultValue = "${env:INFLUX_BUCKET}",
            description = "InfluxDB 2.x/3.x bucket (env INFLUX_BUCKET).")
    String bucket;

    @Option(names = "--influx-token", paramLabel = "TOKEN|@FILE", defaultValue = "${env:INFLUX_TOKEN}",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            description = "InfluxDB 2.x/3.x API token, or @FILE to read it from FILE (env INFLUX_TOKEN; prefer the "
                    + "variable or a file: arguments show in ps).")
    Secret token;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "5000",
            description = "Lines per write request (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** True when scrape should write to InfluxDB. */
    public boolean enabled() {
        return url != null;
    }

    /** The write target, or a usage error naming what is missing or contradictory. */
    public InfluxTarget target() {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw usage("--influx-url is not an http(s) URL: " + Redaction.url(url));
        }
        if (parsed.encodedQuery() != null || parsed.encodedFragment() != null) {
            // u=/p= there would be credentials sent but never shown or checked; db= would clash with --influx-db
            // not echoed: 1.x's u=/p= are not among the parameters Redaction knows
            throw usage("--influx-url takes no query or fragment: give the database and credentials with the"
                    + " --influx-* options");
        }
        UrlUser inUrl = new UrlUser(parsed.username(), parsed.password());
        HttpUrl base = parsed.newBuilder().username("").password("").build();
        if (batchSize < 1) {
            throw usage("--batch-size must be at least 1");
        }
        String token = Secret.reveal(this.token, "--influx-token");
        String password = Secret.reveal(this.password, "--influx-password");
        boolean v2 = present(org) || present(bucket) || present(token);
        if (v2 && present(database) && (given("--influx-db") || given("--influx-bucket"))) {
            throw usage("give either --influx-db (InfluxDB 1.x) or --influx-org/--influx-bucket/--influx-token "
                    + "(InfluxDB 2.x/3.x), not both");
        }
        if (v2 && !given("--influx-db")) {
            if (inUrl.present()) {
                throw usage("--influx-url carries a user or password (" + Redaction.url(url) + "), which InfluxDB"
                        + " 2.x/3.x's /api/v2/write does not take: remove it and use --influx-token");
            }
            if (!present(org) || !present(bucket) || !present(token)) {
                throw usage("InfluxDB 2.x/3.x needs --influx-org, --influx-bucket and --influx-token "
                        + "(or INFLUX_ORG, INFLUX_BUCKET, INFLUX_TOKEN)");
            }
            return new InfluxTarget.V2(base, org, bucket, token);
        }
        if (!present(database)) {
            throw usage("--influx-url needs --influx-db (InfluxDB 1.x) or --influx-org, --influx-bucket and "
                    + "--influx-token (InfluxDB 2.x/3.x)");
        }
        if (inUrl.present()) {
            return new InfluxTarget.V1(base, database, present(retentionPolicy) ? retentionPolicy : null,
                    inUrl.user(), userInfoPassword(inUrl, password));
        }
        if (present(password) && !present(user)) {
            throw usage("--influx-password needs --influx-user");
        }
        return new InfluxTarget.V1(base, database, present(retentionPolicy) ? retentionPolicy : null,
                present(user) ? user : null, password);
    }

    /** User and password given in {@code --influx-url} ({@code http://user:password@host:8086}), decoded. */
    private record UrlUser(String user, String password) {
        boolean present() {
            return !user.isEmpty() || !password.isEmpty();
        }
    }

    /**
     * The password of a 1.x user given in the URL: used as basic auth like {@code --influx-user/--influx-password},
     * the URL's password or else {@code --influx-password}; giving the user or the password twice is refused.
     */
    private String userInfoPassword(UrlUser inUrl, String optionPassword) {
        String shown = Redaction.url(url);
        if (inUrl.user().isEmpty()) {
            throw usage("--influx-url has a password but no user (" + shown + "): give http://USER:PASSWORD@host");
        }
        if (present(user)) {
            throw usage("--influx-url names a user (" + shown + ") and so does --influx-user (or INFLUX_USER):"
                    + " give the user once");
        }
        if (!inUrl.password().isEmpty() && present(optionPassword)) {
            throw usage("--influx-url has a password (" + shown + ") and so does --influx-password (or"
                    + " INFLUX_PASSWORD): give it once");
        }
        return inUrl.password().isEmpty() ? optionPassword : inUrl.password();
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * The sink that writes to {@code target} in batches of {@code --batch-size}, with {@code timeout} as the longest
     * silence allowed from InfluxDB; 5xx answers are tried three times in all.
     */
    public RunSink sink(InfluxTarget target, OkHttpClient http, Duration timeout, LineProtocol encoder) {
        OkHttpClient client = http.newBuilder().connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout)
                .build();
        return new InfluxSink(new InfluxWriter(client, target, batchSize, 3, Duration.ofMillis(500)), target, encoder);
    }

    /** Rejects InfluxDB options typed on the command line without {@code --influx-url} (they would do nothing). */
    public void checkUnusedOptions() {
        if (enabled()) {
            return;
        }
        for (String name : new String[] {"--influx-db", "--influx-rp", "--influx-user", "--influx-password",
                "--influx-org", "--influx-bucket", "--influx-token", "--batch-size"}) {
            if (given(name)) {
                throw usage(name + " needs --influx-url");
            }
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
