package dev.prowctl.scraper.output;

import java.io.IOException;

import dev.prowctl.http.TerminalText;
import dev.prowctl.scraper.prow.ProwRun;

/**
 * A readable block per run, shaped like the original tool's {@code -print_for_human} output ({@code {id:...}
 * then one {@code key:value} per line, then {@code }}), with the links and details it lacked. Absent values are
 * left out; line breaks inside values are shown as spaces so a block stays one key per line. This output is meant
 * for a terminal, and every value comes from the payload: control characters and escape sequences are removed
 * ({@link TerminalText}), so that a job name cannot retitle or clear the terminal.
 */
public final class HumanText implements RunEncoder {

    @Override
    public void write(ProwRun run, Appendable out) throws IOException {
        StringBuilder block = new StringBuilder(1024);
        block.append("{id:").append(run.id()).append('\n');
        line(block, "name", run.job());
        line(block, "type", run.type().prowName() + (run.rehearsal() ? " (rehearsal)" : ""));
        line(block, "state", run.state());
        line(block, "state_int", String.valueOf(run.stateInt()));
        line(block, "flake_reason", run.flakeReason());
        line(block, "start_time", run.startTime().toString());
        line(block, "end_time", run.endTime().toString());
        line(block, "duration", formatDuration(run.durationSeconds()));
        if (run.org() != null || run.repo() != null) {
            line(block, "repo", run.org() + "/" + run.repo() + (run.baseRef() == null ? "" : " @ " + run.baseRef()));
        }
        line(block, "pull_request", run.pullRequestUrl() != null ? run.pullRequestUrl()
                : run.pullRequest() == null ? null : String.valueOf(run.pullRequest()));
        line(block, "target", run.target());
        line(block, "cluster_profile", run.clusterProfile());
        line(block, "variant", run.variant());
        line(block, "cluster", run.cluster());
        line(block, "log_url", run.logUrl());
        line(block, "log_yaml", run.prowjobUrl());
        line(block, "log_artifacts", run.artifactsUrl());
        block.append("}\n");
        out.append(block);
    }

    private static void line(StringBuilder block, String key, String value) {
        if (value != null && !value.isEmpty()) {
            block.append(key).append(':').append(TerminalText.oneLine(value.replaceAll("[\\r\\n]+", " ")))
                    .append('\n');
        }
    }

    static String formatDuration(long seconds) {
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        String text = h > 0 ? "%dh%02dm%02ds".formatted(h, m, s) : m > 0 ? "%dm%02ds".formatted(m, s) : s + "s";
        return text + " (" + seconds + " s)";
    }
}
