package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.prowctl.testing.TestEnv;

/**
 * The README's offline quick start runs as shown, without network, and prints what the README says it prints; the
 * README stays under the handbook's 15 KiB.
 */
class ReadmeQuickStartTest {

    private static final String OFFLINE = "bin/prowctl scrape --prowjobs-file examples/prowjobs.sample.json";

    @Test
    void theOfflineCommandPrintsTheLinesTheReadmeShows() throws IOException {
        String readme = Files.readString(TestEnv.repoDir().resolve("README.md"));
        List<String> lines = readme.lines().toList();
        int command = indexOf(lines, 0, OFFLINE);
        int online = indexOf(lines, 0, "./mvnw -B -DskipTests package && bin/prowctl scrape --url");
        assertThat(command).as("the offline command comes right after the online one").isEqualTo(online + 2);
        int shownStart = indexOf(lines, command, "```text") + 1;
        int shownEnd = indexOf(lines, shownStart, "```");
        List<String> shown = lines.subList(shownStart, shownEnd);
        assertThat(shown).hasSizeGreaterThan(3);

        String[] args = lines.get(command).substring("bin/prowctl ".length()).split(" ");
        args = Arrays.stream(args).map(a -> a.startsWith("examples/")
                ? TestEnv.repoDir().resolve(a).toString() : a).toArray(String[]::new);
        CliRun run = CliRun.of(args);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines().toList().subList(0, shown.size())).isEqualTo(shown);
        assertThat(run.err()).as("nothing to warn about").isEmpty();
        assertThat(readme.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(15_360);
    }

    private static int indexOf(List<String> lines, int from, String prefix) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("README.md has no line starting with " + prefix);
    }
}
