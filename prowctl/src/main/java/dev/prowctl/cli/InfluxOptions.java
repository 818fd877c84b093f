package dev.prowctl.cli;

import java.time.Duration;

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
            throw usage("--influx-url is not an http(s) URL: " + url);
        }
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
