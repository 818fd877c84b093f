package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import dev.prowctl.testing.TestEnv;

/**
 * The Telegraf image is pinned to one exact version, and every key of telegraf/*.conf is one that version
 * documents: an unknown key stops Telegraf at start-up ("plugin inputs.exec: line N: configuration specified the
 * fields [...], but they were not used"), so a config newer than the image leaves the stack without data.
 */
class TelegrafVersionTest {

    private static final Path REPO = TestEnv.repoDir();
    private static final TomlMapper TOML = new TomlMapper();

    /** The image deploy/image/Containerfile's telegraf target must use; the key sets below are this version's. */
    private static final String PINNED = "1.38.4";

    /**
     * {@code [agent]}: docs/CONFIGURATION.md, "Agent configuration" (telegraf v1.38; logformat and
     * structured_log_message_key since 1.32, buffer_strategy and buffer_directory since 1.33).
     */
    private static final Set<String> AGENT = Set.of("interval", "round_interval", "metric_batch_size",
            "metric_buffer_limit", "collection_jitter", "collection_offset", "flush_interval", "flush_jitter",
            "precision", "debug", "quiet", "logformat", "structured_log_message_key", "logfile",
            "logfile_rotation_interval", "logfile_rotation_max_size", "logfile_rotation_max_archives",
            "log_with_timezone", "hostname", "omit_hostname", "snmp_translator", "statefile",
            "always_include_local_tags", "always_include_global_tags", "skip_processors_after_aggregators",
            "buffer_strategy", "buffer_directory");

    /** Every input: docs/CONFIGURATION.md "Input configuration" and "Metric filtering". */
    private static final Set<String> INPUT_COMMON = Set.of("alias", "interval", "precision", "collection_jitter",
            "collection_offset", "name_override", "name_prefix", "name_suffix", "tags", "log_level", "namepass",
            "namedrop", "tagpass", "tagdrop", "metricpass", "fieldinclude", "fieldexclude", "fieldpass", "fielddrop",
            "taginclude", "tagexclude", "startup_error_behavior");

    /**
     * {@code [[inputs.exec]]}: plugins/inputs/exec/sample.conf plus the influx parser's data_format;
     * {@code log_stderr} was added in v1.38.1 (CHANGELOG, "#18513 inputs.exec Log stderr messages").
     */
    private static final Set<String> EXEC = Set.of("commands", "command", "environment", "timeout", "name_suffix",
            "ignore_error", "log_stderr", "data_format", "influx_parser_type", "influx_timestamp_precision");

    /** Every output: docs/CONFIGURATION.md "Output configuration" and "Metric filtering". */
    private static final Set<String> OUTPUT_COMMON = Set.of("alias", "flush_interval", "flush_jitter",
            "metric_batch_size", "metric_buffer_limit", "name_override", "name_prefix", "name_suffix", "namepass",
            "namedrop", "tagpass", "tagdrop", "metricpass", "fieldinclude", "fieldexclude", "taginclude",
            "tagexclude");

    /** {@code [[outputs.influxdb]]}: plugins/outputs/influxdb/sample.conf. */
    private static final Set<String> INFLUXDB = Set.of("urls", "local_address", "database", "database_tag",
            "exclude_database_tag", "skip_database_creation", "retention_policy", "retention_policy_tag",
            "exclude_retention_policy_tag", "write_consistency", "timeout", "username", "password", "user_agent",
            "udp_payload", "tls_ca", "tls_cert", "tls_key", "insecure_skip_verify", "http_proxy", "http_headers",
            "content_encoding", "influx_uint_support", "influx_omit_timestamp");

    /** Keys documented only from a given version on: the pinned image must be at least that. */
    private static final Map<String, String> SINCE = Map.of("inputs.exec.log_stderr", "1.38.1");

    private static final Map<String, Set<String>> PLUGIN_KEYS = Map.of("agent", AGENT, "inputs.exec",
            union(INPUT_COMMON, EXEC), "outputs.influxdb", union(OUTPUT_COMMON, INFLUXDB));

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static List<Path> configFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(REPO.resolve("telegraf/telegraf.conf")));
        try (Stream<Path> dropIns = Files.list(REPO.resolve("telegraf/telegraf.d"))) {
            dropIns.filter(file -> file.toString().endsWith(".conf")).sorted().forEach(files::add);
        }
        return files;
    }

    /** Every "section.key" of a Telegraf config: agent keys and the keys of each [[inputs.X]]/[[outputs.X]]. */
    private static List<String> keys(JsonNode config) {
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> sections = config.fields(); sections.hasNext();) {
            Map.Entry<String, JsonNode> section = sections.next();
            if (section.getKey().equals("agent")) {
                section.getValue().fieldNames().forEachRemaining(key -> keys.add("agent." + key));
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> plugins = section.getValue().fields(); plugins.hasNext();) {
                Map.Entry<String, JsonNode> plugin = plugins.next();
                for (JsonNode instance : plugin.getValue()) {
                    String prefix = section.getKey() + "." + plugin.getKey() + ".";
                    instance.fieldNames().forEachRemaining(key -> keys.add(prefix + key));
                }
            }
        }
        return keys;
    }

    static String pinnedTelegraf() throws IOException {
        Matcher from = Pattern.compile("(?m)^FROM telegraf:(\\S+)").matcher(
                Files.readString(REPO.resolve("deploy/image/Containerfile")));
        assertThat(from.find()).as("deploy/image/Containerfile builds FROM telegraf:...").isTrue();
        return from.group(1);
    }

    @Test
    void theTelegrafImageIsPinnedToTheVersionWhoseKeysAreChecked() throws IOException {
        assertThat(pinnedTelegraf()).as("an exact x.y.z, not a moving 1.38 or latest").matches("\\d+\\.\\d+\\.\\d+")
                .isEqualTo(PINNED);
    }

    @Test
    void everyConfigKeyIsDocumentedForThePinnedVersion() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Path file : configFiles()) {
            for (String key : keys(TOML.readTree(file.toFile()))) {
                String plugin = key.substring(0, key.lastIndexOf('.'));
                String name = key.substring(key.lastIndexOf('.') + 1);
                assertThat(PLUGIN_KEYS).as(file.getFileName() + ": plugin " + plugin + " has no documented key set here")
                        .containsKey(plugin);
                assertThat(PLUGIN_KEYS.get(plugin)).as(file.getFileName() + ": " + key + " is not a Telegraf "
                        + PINNED + " setting").contains(name);
                if (SINCE.containsKey(key)) {
                    assertThat(VERSION.compare(PINNED, SINCE.get(key))).as(key + " needs Telegraf " + SINCE.get(key))
                            .isGreaterThanOrEqualTo(0);
                }
                checked.add(key);
            }
        }
        assertThat(checked).contains("agent.precision", "inputs.exec.log_stderr", "outputs.influxdb.urls");
    }

    @Test
    void aKeyTelegrafDoesNotKnowIsCaught() {
        // guards the check above: a misspelt key is not in the set
        assertThat(PLUGIN_KEYS.get("inputs.exec")).doesNotContain("log_stdout", "deadline");
        assertThat(VERSION.compare("1.38.0", SINCE.get("inputs.exec.log_stderr"))).isNegative();
        assertThat(VERSION.compare("1.40.1", "1.38.10")).isPositive();
    }

    private static final Comparator<String> VERSION = Comparator.comparing((String v) -> part(v, 0))
            .thenComparing(v -> part(v, 1)).thenComparing(v -> part(v, 2));

    private static int part(String version, int index) {
        return Integer.parseInt(version.split("\\.")[index]);
    }
}
