package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import dev.prowctl.testing.TestEnv;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * telegraf/telegraf.conf and telegraf.d/*.conf: the exec inputs Telegraf runs in the stack are real prowctl
 * invocations that fit Prow's 24 h retention and the scrape deadline.
 */
class TelegrafConfigTest {

    private static final TomlMapper TOML = new TomlMapper();
    private static final Path TELEGRAF = TestEnv.repoDir().resolve("telegraf");

    private record ExecInput(JsonNode config, String command) {
    }

    private static List<ExecInput> execInputs() throws IOException {
        List<ExecInput> inputs = new ArrayList<>();
        try (var files = java.nio.file.Files.list(TELEGRAF.resolve("telegraf.d"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".conf")).sorted().toList()) {
                for (JsonNode exec : TOML.readTree(file.toFile()).at("/inputs/exec")) {
                    exec.path("commands").forEach(command -> inputs.add(new ExecInput(exec, command.asText())));
                }
            }
        }
        return inputs;
    }

    /** Splits a command the way Telegraf does (go-shellquote): quotes group, backslash escapes. */
    static List<String> shellSplit(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < command.length() && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < command.length()) {
                word.append(command.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        assertThat(quote).as("unterminated quote in " + command).isEqualTo((char) 0);
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static String option(List<String> args, String name) {
        int index = args.indexOf(name);
        return index >= 0 && index + 1 < args.size() ? args.get(index + 1) : null;
    }

    private static Duration telegrafDuration(String text) {
        return Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
    }

    @Test
    void shellSplitHandlesQuotesLikeTelegraf() {
        assertThat(shellSplit("prowctl scrape --url 'https://x/?a=1&job=*oadp*' --x \"a \\\"b\\\"\" c\\ d"))
                .containsExactly("prowctl", "scrape", "--url", "https://x/?a=1&job=*oadp*", "--x", "a \"b\"", "c d");
    }

    @Test
    void execInputsScrapeProwIntoInfluxWithinTheirTimeout() throws IOException {
        List<ExecInput> inputs = execInputs();
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(3);
        assertThat(inputs).extracting(input -> option(shellSplit(input.command()), "--url"))
                .anyMatch(url -> url.contains("type=periodic") && url.contains("oadp"))
                .anyMatch(url -> url.contains("type=presubmit") && url.contains("oadp"))
                .anyMatch(url -> url.contains("pelorus"));
        for (ExecInput input : inputs) {
            List<String> args = shellSplit(input.command());
            assertThat(args.subList(0, 2)).as(input.command()).containsExactly("prowctl", "scrape");
            assertThat(option(args, "--url")).as(input.command()).startsWith("https://prow.ci.openshift.org/?");
            assertThat(option(args, "-o")).as("influx is the default output").isIn(null, "influx");
            assertThat(input.config().path("data_format").asText()).isEqualTo("influx");
            // exit 1 (some runs unreadable) still carries the runs that were read; errors go to Telegraf's log
            assertThat(input.config().path("ignore_error").asBoolean()).isTrue();
            assertThat(input.config().path("log_stderr").asBoolean()).isTrue();
            // Prow keeps about 24 h of runs: scrape often enough to see each one
            Duration interval = telegrafDuration(input.config().path("interval").asText());
            assertThat(interval).isBetween(Duration.ofMinutes(5), Duration.ofHours(6));
            // the scrape's own deadline ends before Telegraf kills it
            Duration timeout = telegrafDuration(input.config().path("timeout").asText());
            Duration deadline = telegrafDuration(option(args, "--deadline"));
            assertThat(timeout).isGreaterThanOrEqualTo(deadline.plusSeconds(30)).isLessThan(interval);
            assertThat(option(args, "--state-dir")).as("on the prowctl-state volume").startsWith("/var/lib/prowctl/");
        }
    }

    /**
     * Every exec command parses with the real {@code prowctl} command line and lands on {@code scrape}.
     * (Needs the scrape options from the scrape branch: it fails against the placeholder ScrapeCommand.)
     */
    @Test
    void everyExecCommandIsAValidProwctlScrapeInvocation() throws IOException {
        for (ExecInput input : execInputs()) {
            List<String> words = shellSplit(input.command());
            assertThat(words.get(0)).isEqualTo("prowctl");
            CommandLine cli = Prowctl.newCommandLine(new Prowctl(), new PrintWriter(new StringWriter()),
                    new PrintWriter(new StringWriter()));
            ParseResult parsed = cli.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
            assertThat(parsed.subcommand()).as(input.command()).isNotNull();
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("scrape");
            assertThat(parsed.subcommand().unmatched()).as(input.command()).isEmpty();
        }
    }

    @Test
    void telegrafWritesToTheStacksInfluxDbAndCollectsNoHostMetrics() throws IOException {
        JsonNode conf = TOML.readTree(TELEGRAF.resolve("telegraf.conf").toFile());
        assertThat(conf.at("/outputs/influxdb/0/urls/0").asText()).isEqualTo("${INFLUX_URL}");
        assertThat(conf.at("/outputs/influxdb/0/database").asText()).isEqualTo("${INFLUX_DB}");
        assertThat(conf.has("inputs")).as("no cpu/disk/... inputs by default").isFalse();
        assertThat(conf.at("/agent/omit_hostname").asBoolean()).isTrue();
        // the scrape's sub-second offsets keep same-second runs apart; rounding to seconds would merge them
        assertThat(conf.at("/agent/precision").asText()).isEqualTo("1ns");
    }
}
