package dev.prowctl.exporter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds deck payloads ({@code prowjobs.js} JSON) of finished runs for the exporter's tests. */
final class Payloads {

    /** One finished run. */
    record Run(String name, String job, String type, String state, Instant start, Instant end) {
    }

    private final List<Run> runs = new ArrayList<>();

    Payloads add(String name, String job, String state, Instant end) {
        runs.add(new Run(name, job, "periodic", state, end.minusSeconds(600), end));
        return this;
    }

    Payloads add(Run run) {
        runs.add(run);
        return this;
    }

    List<Run> runs() {
        return List.copyOf(runs);
    }

    String json() {
        StringBuilder out = new StringBuilder("{\"items\":[");
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            out.append(i == 0 ? "" : ",")
                    .append("{\"kind\":\"ProwJob\",\"metadata\":{\"name\":\"").append(run.name()).append("\"},")
                    .append("\"spec\":{\"type\":\"").append(run.type()).append("\",\"job\":\"").append(run.job())
                    .append("\",\"extra_refs\":[{\"org\":\"openshift\",\"repo\":\"oadp-operator\",")
                    .append("\"base_ref\":\"master\"}],")
                    .append("\"pod_spec\":{\"containers\":[{\"args\":[\"--target=e2e-aws\"]}]}},")
                    .append("\"status\":{\"state\":\"").append(run.state()).append("\",\"startTime\":\"")
                    .append(run.start()).append("\",\"completionTime\":\"").append(run.end())
                    .append("\",\"build_id\":\"").append(1000 + i)
                    .append("\",\"url\":\"https://prow.example.org/view/gs/test-platform-results/logs/")
                    .append(run.job()).append('/').append(1000 + i).append("\"}}");
        }
        return out.append("]}").toString();
    }

    Path writeTo(Path file) throws IOException {
        Files.writeString(file, json(), StandardCharsets.UTF_8);
        return file;
    }
}
