package dev.prowctl.scraper.flake;

import java.util.Optional;
import java.util.regex.Pattern;

import dev.prowctl.scraper.prow.ProwRun;

/**
 * The classification rules, in one place (the README's "Flake classification" section states them too).
 *
 * <p>Which runs are looked at: finished runs in state {@code failure} that have a ci-operator target and whose job
 * name contains {@code e2e} or the word {@code unit} (at the start or after {@code -}, {@code _} or {@code .}, so
 * that {@code community} does not count). Every other run keeps its state and gets no {@code flake_reason}, as in
 * the original tool, and costs no request.
 *
 * <p>The test step's directory is {@code artifacts/<target>/<step>/} with {@code <step>} = {@code e2e} for e2e jobs,
 * {@code unit-periodic} for periodic unit jobs and {@code unit} for other unit jobs.
 *
 * <p>The verdict ({@link #decide}): when {@code junit_operator.xml} names a failed step it decides (an
 * infrastructure step → flake, anything else → failure; reason {@code failed-step:<step>}, plus
 * {@code ;listing-disagrees} when the listing says the opposite). Without a junit verdict the listing decides: no
 * {@code build-log.txt} in the test step's directory → flake {@code no-build-log:<step>}, else failure
 * {@code build-log:<step>}. An unreadable junit file adds {@code ;junit-unreadable}. {@link RunLookup} calls this
 * only once the run's own artifacts were found: a run of which nothing is found is undecided, never a flake.
 */
public final class FlakeRules {

    private static final Pattern UNIT_WORD = Pattern.compile("(?:^|[-_.])unit");

    private FlakeRules() {
    }

    /** A classifier's decision for one failed run. */
    public record Verdict(boolean flake, String reason) {
    }

    /** True for the runs the classifier looks up (see the class comment). */
    public static boolean isCandidate(ProwRun run) {
        return "failure".equals(run.state()) && testStepDir(run).isPresent();
    }

    /**
     * The name of the test step's directory under {@code artifacts/<target>/}, or empty when the run has no target
     * or its job name matches neither e2e nor unit.
     */
    public static Optional<String> testStepDir(ProwRun run) {
        if (run.target() == null || run.target().isBlank()) {
            return Optional.empty();
        }
        String job = run.job();
        if (job.contains("e2e")) {
            return Optional.of("e2e");
        }
        if (UNIT_WORD.matcher(job).find()) {
            return Optional.of(run.type() == ProwRun.JobType.PERIODIC ? "unit-periodic" : "unit");
        }
        return Optional.empty();
    }

    /**
     * Combines the two signals.
     *
     * @param step            the test step's directory name ({@link #testStepDir})
     * @param buildLogPresent the listing of {@code artifacts/<target>/<step>/} holds {@code build-log.txt}
     * @param junit           the failed step named by {@code junit_operator.xml}, empty when the file is absent,
     *                        unreadable or names no failed step
     * @param junitUnreadable the file exists but could not be parsed
     */
    public static Verdict decide(String step, boolean buildLogPresent, Optional<JunitOperatorReport.FailedStep> junit,
                                 boolean junitUnreadable) {
        boolean listingSaysFlake = !buildLogPresent;
        String suffix = junitUnreadable ? ";junit-unreadable" : "";
        if (junit.isPresent()) {
            JunitOperatorReport.FailedStep failed = junit.get();
            String reason = "failed-step:" + failed.name();
            if (failed.infrastructure() != listingSaysFlake) {
                reason += ";listing-disagrees";
            }
            return new Verdict(failed.infrastructure(), reason + suffix);
        }
        return listingSaysFlake
                ? new Verdict(true, "no-build-log:" + step + suffix)
                : new Verdict(false, "build-log:" + step + suffix);
    }
}
