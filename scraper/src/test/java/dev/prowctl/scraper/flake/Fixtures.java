package dev.prowctl.scraper.flake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.prowctl.scraper.prow.ProwRun;

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
        Integer pull = type == ProwRun.JobType.PRESUBMIT ? 842 : null;
        return new ProwRun(id, "uuid-" + id, job, type, rehearsal, state, end.minusSeconds(3600), end,
                "openshift", "oadp-operator", "master", pull,
                pull == null ? null : "https://github.com/openshift/oadp-operator/pull/842", null, target, "aws",
                "4.10", "build02", logUrl, "https://prow.ci.openshift.org/prowjob?prowjob=uuid-" + id, null, null);
    }
}
