package dev.prowctl.scraper.flake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRuns;

/** Test fixtures of this package and a builder of realistic {@link ProwRun}s. */
final class Fixtures {
    private Fixtures() {
    }

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A finished run; {@code logUrl} is its spyglass URL. */
    static ProwRun run(String id, String job, ProwRun.JobType type, boolean rehearsal, String state, String target,
                       String logUrl, Instant end) {
        ProwRuns run = ProwRuns.periodic(id, job).type(type).rehearsal(rehearsal).state(state)
                .prowjobName("uuid-" + id).between(end.minusSeconds(3600), end)
                .refs("openshift", "oadp-operator", "master")
                .target(target).clusterProfile("aws").variant("4.10").cluster("build02")
                .logUrl(logUrl).prowjobUrl("https://prow.ci.openshift.org/prowjob?prowjob=uuid-" + id);
        if (type == ProwRun.JobType.PRESUBMIT) {
            run.pull(842, "https://github.com/openshift/oadp-operator/pull/842", null);
        }
        return run.build();
    }
}
