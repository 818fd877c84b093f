package dev.prowctl.cli;

import dev.prowctl.scraper.influx.InfluxTarget;
import okhttp3.HttpUrl;
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
            description = "Write to this InfluxDB instead of printing, e.g. http://localhost:8086.")
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

    @Option(names = "--influx-password", paramLabel = "PASSWORD", defaultValue = "${env:INFLUX_PASSWORD}",
            description = "InfluxDB 1.x password (env INFLUX_PASSWORD; prefer the variable: arguments show in ps).")
    String password;

    @Option(names = "--influx-org", paramLabel = "ORG", defaultValue = "${env:INFLUX_ORG}",
            description = "InfluxDB 2.x/3.x organisation (env INFLUX_ORG).")
    String org;

    @Option(names = "--influx-bucket", paramLabel = "BUCKET", defaultValue = "${env:INFLUX_BUCKET}",
            description = "InfluxDB 2.x/3.x bucket (env INFLUX_BUCKET).")
    String bucket;

    @Option(names = "--influx-token", paramLabel = "TOKEN", defaultValue = "${env:INFLUX_TOKEN}",
            description = "InfluxDB 2.x/3.x API token (env INFLUX_TOKEN; prefer the variable: arguments show in ps).")
    String token;

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
            throw usage("--influx-url is not an http(s) URL: " + url);
        }
        if (batchSize < 1) {
            throw usage("--batch-size must be at least 1");
        }
        boolean v2 = present(org) || present(bucket) || present(token);
        if (v2 && present(database) && (given("--influx-db") || given("--influx-bucket"))) {
            throw usage("give either --influx-db (InfluxDB 1.x) or --influx-org/--influx-bucket/--influx-token "
                    + "(InfluxDB 2.x/3.x), not both");
        }
        if (v2 && !given("--influx-db")) {
            if (!present(org) || !present(bucket) || !present(token)) {
                throw usage("InfluxDB 2.x/3.x needs --influx-org, --influx-bucket and --influx-token "
                        + "(or INFLUX_ORG, INFLUX_BUCKET, INFLUX_TOKEN)");
            }
            return new InfluxTarget.V2(parsed, org, bucket, token);
        }
        if (!present(database)) {
            throw usage("--influx-url needs --influx-db (InfluxDB 1.x) or --influx-org, --influx-bucket and "
                    + "--influx-token (InfluxDB 2.x/3.x)");
        }
        if (present(password) && !present(user)) {
            throw usage("--influx-password needs --influx-user");
        }
        return new InfluxTarget.V1(parsed, database, present(retentionPolicy) ? retentionPolicy : null,
                present(user) ? user : null, password);
    }

    public int batchSize() {
        return batchSize;
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
