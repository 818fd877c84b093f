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

/** Every command answers --help on stdout with exit 0 and lists the exit codes. */
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
        assertThat(run.out()).contains("Usage: prowctl").contains("Exit codes:").contains("70");
        assertThat(run.err()).isEmpty();
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
        assertThat(Prowctl.subcommandsFor(new String[] {"--help"})).hasSize(6);
        assertThat(Prowctl.subcommandsFor(new String[] {"scrap"})).hasSize(6);
        assertThat(Prowctl.subcommandsFor(new String[] {"generate-completion"})).hasSize(6);
        assertThat(Prowctl.subcommandsFor(new String[] {"--help", "scrape"})).hasSize(6);
        assertThat(Prowctl.subcommandsFor(new String[] {"-V", "stack"})).hasSize(6);
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
