package dev.prowctl.scraper.output;

import java.io.IOException;
import java.io.StringWriter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.prowctl.scraper.prow.ProwRun;

/**
 * One JSON object per line, keys always present and in this order: {@code id, job, type, rehearsal, state,
 * state_int, start_time, end_time, duration, org, repo, base_ref, pull_request, pull_request_url, target,
 * cluster_profile, variant, log_url, prowjob_url, artifacts_url, flake_reason} ({@code null} where absent).
 */
public final class JsonLines implements RunEncoder {

    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public void write(ProwRun run, Appendable out) throws IOException {
        out.append(line(run)).append('\n');
    }

    /** One object, without its LF (the generator escapes control characters, so it never spans lines). */
    public String line(ProwRun run) throws IOException {
        StringWriter buffer = new StringWriter(768);
        try (JsonGenerator json = FACTORY.createGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("id", run.id());
            json.writeStringField("job", run.job());
            json.writeStringField("type", run.type().prowName());
            json.writeBooleanField("rehearsal", run.rehearsal());
            json.writeStringField("state", run.state());
            json.writeNumberField("state_int", run.stateInt());
            json.writeStringField("start_time", run.startTime().toString());
            json.writeStringField("end_time", run.endTime().toString());
            json.writeNumberField("duration", run.durationSeconds());
            json.writeStringField("org", run.org());
            json.writeStringField("repo", run.repo());
            json.writeStringField("base_ref", run.baseRef());
            if (run.pullRequest() == null) {
                json.writeNullField("pull_request");
            } else {
                json.writeNumberField("pull_request", run.pullRequest());
            }
            json.writeStringField("pull_request_url", run.pullRequestUrl());
            json.writeStringField("target", run.target());
            json.writeStringField("cluster_profile", run.clusterProfile());
            json.writeStringField("variant", run.variant());
            json.writeStringField("log_url", run.logUrl());
            json.writeStringField("prowjob_url", run.prowjobUrl());
            json.writeStringField("artifacts_url", run.artifactsUrl());
            json.writeStringField("flake_reason", run.flakeReason());
            json.writeEndObject();
        }
        return buffer.toString();
    }
}
