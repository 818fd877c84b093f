package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.prowctl.cli.stack.StartCommandAccess;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** One vocabulary across commands: durations, secrets, --concurrency and the exit-code list are the same everywhere. */
class CliVocabularyTest {

    @TempDir
    Path dir;

    /** Every option of every command, with the command it belongs to. */
    private static List<OptionSpec> allOptions() {
        CommandLine root = TestCommandLine.create(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        List<OptionSpec> options = new ArrayList<>();
        collect(root, options);
        return options;
    }

    private static void collect(CommandLine cmd, List<OptionSpec> options) {
        options.addAll(cmd.getCommandSpec().options());
        cmd.getSubcommands().values().forEach(sub -> collect(sub, options));
    }

    @Test
    void everyDurationOptionReadsTheSameSyntax() {
        List<OptionSpec> durations = allOptions().stream().filter(o -> o.type() == Duration.class).toList();

        assertThat(durations).extracting(OptionSpec::longestName)
                .contains("--timeout", "--deadline", "--request-timeout");
        assertThat(durations).allSatisfy(o -> assertThat(o.converters()).as(o.longestName())
                .singleElement().isInstanceOf(DurationConverter.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"90", "90s", "1m30s", "PT1M30S"})
    void stackStartTimeoutTakesADurationAndPlainSecondsStillWork(String value) {
        assertThat(StartCommandAccess.timeout("--timeout", value)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void stackStartTimeoutDefaultsToThreeMinutesAndRejectsWhatIsNotADuration() {
        assertThat(StartCommandAccess.timeout()).isEqualTo(Duration.ofMinutes(3));
        CliRun run = CliRun.of("stack", "start", "--timeout", "soon");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("'soon' is not a duration");
    }

    @Test
    void everySecretOptionTakesAValueOrAFileAndShowsNoDefault() {
        List<OptionSpec> secrets = allOptions().stream()
                .filter(o -> o.type() == Secret.class || List.of(o.auxiliaryTypes()).contains(Secret.class)).toList();

        assertThat(secrets).extracting(OptionSpec::longestName)
                .contains("--token", "--password", "--influx-token", "--influx-password", "--auth-token",
                        "--basic-auth", "--hmac-secret", "--irc-password", "--grafana-token", "--slack-webhook");
        assertThat(secrets).allSatisfy(o -> {
            assertThat(o.paramLabel()).endsWith("|@FILE");
            assertThat(o.showDefaultValue()).isEqualTo(CommandLine.Help.Visibility.NEVER);
        });
    }

    @Test
    void aSecretIsTheValueOrTheStrippedContentOfItsFileAndNeverPrinted() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "  s3cr#t \"x\"\n");
        Secret.Converter converter = new Secret.Converter();

        assertThat(converter.convert("plain").reveal("--token")).isEqualTo("plain");
        assertThat(converter.convert("@" + file).reveal("--token")).isEqualTo("s3cr#t \"x\"");
        assertThat(converter.convert(" ").reveal("--token")).isNull();
        assertThat(Secret.reveal(null, "--token")).isNull();
        assertThat(converter.convert("@" + file)).hasToString("(secret)");
    }

    @Test
    void anInfluxTokenFromAFileIsUsedAndAnUnreadableOneIsBadInput() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
        CliRun fromFile = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", dir.resolve("absent").toString(),
                "--influx-url", "http://127.0.0.1:1", "--influx-org", "o", "--influx-bucket", "b",
                "--influx-token", "@" + token);
        // the token was accepted: the scrape went on to read its (missing) payload
        assertThat(fromFile.exitCode()).as(fromFile.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(fromFile.err()).contains("no such file: " + dir.resolve("absent")).doesNotContain("t0ken");

        CliRun unreadable = CliRun.of("scrape", "--no-flakes", "--influx-url", "http://127.0.0.1:1",
                "--influx-org", "o", "--influx-bucket", "b", "--influx-token", "@" + dir.resolve("nope"));
        assertThat(unreadable.exitCode()).as(unreadable.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unreadable.err()).startsWith("prowctl scrape: --influx-token: cannot read " + dir.resolve("nope"));
    }

    @Test
    void concurrencyIsOneRuleForScrapeAndGrafana() {
        List<OptionSpec> concurrency = allOptions().stream().filter(o -> o.longestName().equals("--concurrency"))
                .toList();
        // one wording; the default may differ (backfill's is 32, BackfillCommand.Defaults)
        java.util.function.Function<OptionSpec, List<String>> wording = o -> java.util.Arrays.stream(o.description())
                .map(line -> line.replaceAll("default: \\d+", "default: N")).toList();
        assertThat(concurrency).hasSizeGreaterThanOrEqualTo(3).allSatisfy(o -> {
            assertThat(wording.apply(o)).isEqualTo(wording.apply(concurrency.get(0)));
            assertThat(o.converters()).singleElement().isInstanceOf(ConcurrencyOption.Range.class);
        });
        for (String[] args : List.of(new String[] {"scrape", "--concurrency", "0"},
                new String[] {"grafana", "export", "--dir", "x", "--concurrency", "257"},
                new String[] {"grafana", "import", "--dir", "x", "--concurrency", "many"})) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("--concurrency");
        }
    }

    @Test
    void theExitCodeListOfHelpIsTheEnum() {
        CliRun help = CliRun.of("--help");
        for (ExitCodes code : ExitCodes.values()) {
            assertThat(help.out()).contains("%2d   %s".formatted(code.code(), code.help()));
        }
        assertThat(ExitCodes.of(70)).isEqualTo(ExitCodes.INTERNAL);
        assertThat(ExitCodes.of(5)).isEqualTo(ExitCodes.BAD_INPUT);
    }
}
