package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import dev.prowctl.testing.TestEnv;
import picocli.CommandLine;

/**
 * Every command answers --help and --version on stdout with exit 0; the root help lists the exit codes, the others
 * point to it.
 */
class CliHelpTest {

    static Stream<String> commands() {
        CommandLine root = Prowctl.newCommandLine(new Prowctl(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        List<String> names = new ArrayList<>();
        collect(root, "", names);
        return names.stream();
    }

    private static void collect(CommandLine cmd, String prefix, List<String> names) {
        names.add(prefix.trim());
        cmd.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) { // skip aliases
                collect(sub, prefix + " " + name, names);
            }
        });
    }

    @ParameterizedTest(name = "prowctl {0} --help")
    @MethodSource("commands")
    void everyCommandHasHelpWithExitCodes(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Usage: prowctl");
        if (command.isEmpty()) {
            assertThat(run.out()).contains("Exit codes:").contains("  70   internal error");
        } else {
            // the table is shown once, in the root help
            assertThat(run.out()).contains("Exit codes: see 'prowctl --help'.").doesNotContain("  70   ");
        }
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).as("no URL broken across lines")
                .noneMatch(line -> line.matches(".*\\b(?:https?|ircs?):") || line.stripLeading().startsWith("//"));
        Matcher pointer = Pattern.compile("Reference: (\\S+) in the prowctl repository").matcher(run.out());
        assertThat(pointer.find()).as("help points to its reference page: " + run.out()).isTrue();
        assertThat(TestEnv.repoDir().resolve(pointer.group(1))).as("the page it names").isRegularFile();
    }

    @Test
    void aCommandLineBuildsOnlyTheSubcommandItNames() {
        assertThat(Prowctl.subcommandsFor(new String[] {"--verbose", "scrape", "--job", "x"}))
                .containsExactly("scrape");
        assertThat(Prowctl.subcommandsFor(new String[] {"grafana", "export"})).containsExactly("grafana");
        // root help, a typo and completion scripts need the whole tree
        assertThat(Prowctl.subcommandsFor(new String[] {"--help"})).hasSize(8);
        assertThat(Prowctl.subcommandsFor(new String[] {"scrap"})).hasSize(8);
        assertThat(Prowctl.subcommandsFor(new String[] {"generate-completion"})).hasSize(8);
        assertThat(Prowctl.subcommandsFor(new String[] {"help", "scrape"})).hasSize(8);
        assertThat(Prowctl.subcommandsFor(new String[] {"--help", "scrape"})).hasSize(8);
        assertThat(Prowctl.subcommandsFor(new String[] {"-V", "stack"})).hasSize(8);
    }

    @Test
    void rootHelpBeforeACommandStillListsEveryCommand() {
        CliRun run = CliRun.of("--help", "scrape");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("grafana").contains("relay").contains("stack").contains("generate-completion");
    }

    @Test
    void theCompletionScriptCoversEveryCommand() {
        CliRun run = CliRun.of("generate-completion");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("scrape").contains("grafana").contains("relay").contains("stack")
                .contains("--influx-url");
    }

    @Test
    void aMistypedCommandIsAUsageErrorThatSuggestsTheRightOne() {
        CliRun run = CliRun.of("scrap");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("scrape");
    }

    @Test
    void versionNamesTheProjectVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).matches("(?s)prowctl \\d+\\.\\d+\\.\\d+.*");
    }

    @ParameterizedTest(name = "prowctl {0} --version")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"scrape", "grafana export", "relay", "stack start"})
    void everyCommandNamesTheVersion(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--version");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).matches("(?s)prowctl \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpCommandShowsTheRootHelpOrACommandsHelp() {
        CliRun root = CliRun.of("help");
        assertThat(root.exitCode()).as(root.toString()).isEqualTo(ExitCodes.OK);
        assertThat(root.out()).startsWith("Usage: prowctl [").contains("Exit codes:");
        CliRun scrape = CliRun.of("help", "scrape");
        assertThat(scrape.exitCode()).as(scrape.toString()).isEqualTo(ExitCodes.OK);
        assertThat(scrape.out()).startsWith("Usage: prowctl scrape");
    }

    @Test
    void urlsInHelpStayWholeToBeCopied() {
        assertThat(CliRun.of("scrape", "--help").out())
                .contains("https://gcsweb-ci.apps.ci.l2s4.p1.openshiftapps.com/gcs/")
                .contains("https://storage.googleapis.com");
        assertThat(CliRun.of("relay", "--help").out())
                .contains("ircs://host[:6697]/#channel").contains("irc://host[:6667]/#channel").contains("?key=KEY");
        assertThat(UnbrokenUrlsHelp.restore(UnbrokenUrlsHelp.protect("see https://a.b/c?d=e#f, or x.y: z")))
                .isEqualTo("see https://a.b/c?d=e#f, or x.y: z");
    }

    @Test
    void unknownOptionIsAUsageErrorOnStderr() {
        CliRun run = CliRun.of("--no-such-option");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Unknown option").contains("See 'prowctl --help'");
    }

    @Test
    void completionScriptIsGenerated() {
        CliRun run = CliRun.of("generate-completion");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("complete -F").contains("scrape").contains("grafana");
    }

    @ParameterizedTest(name = "prowctl {0} without a subcommand")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "grafana", "stack"})
    void groupWithoutSubcommandIsAUsageError(String group) {
        CliRun run = group.isEmpty() ? CliRun.of() : CliRun.of(group);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Missing required subcommand").contains("--help");
        assertThat(run.out()).isEmpty();
    }
}
