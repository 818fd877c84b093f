package dev.prowctl.scraper.prow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.prowctl.testing.TestEnv;

class ProwJobReaderTest {

    private static List<ProwJob> parse(String payload, List<ProwJob> into) throws IOException {
        ProwJobReader.read(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), "test", into::add);
        return into;
    }

    @Test
    void readsTheSharedPayloadWithPodSpecs() throws IOException {
        List<ProwJob> jobs = Fixtures.read(Fixtures.shared("prowjobs.json"));
        assertThat(jobs).hasSize(7);
        ProwJob first = jobs.get(0);
        assertThat(first.job()).isEqualTo("pull-ci-konveyor-pelorus-master-4.9-e2e-openshift");
        assertThat(first.args()).contains("--target=e2e-openshift");
        assertThat(first.refs().pulls()).singleElement()
                .satisfies(p -> assertThat(p.number()).isEqualTo(453));
        assertThat(first.labels()).containsEntry("ci-operator.openshift.io/cloud-cluster-profile", "aws");
        // the periodic has no refs, only extra_refs
        ProwJob periodic = jobs.stream().filter(j -> j.type().equals("periodic")).findFirst().orElseThrow();
        assertThat(periodic.refs()).isNull();
        assertThat(periodic.mainRefs().repo()).isEqualTo("oadp-operator");
    }

    @Test
    void readsTheVarFormWithStubbedPodSpecs() throws IOException {
        List<ProwJob> jobs = Fixtures.read(Fixtures.shared("prowjobs_var_omit.js"));
        assertThat(jobs).hasSize(7);
        assertThat(jobs).allSatisfy(j -> assertThat(j.args()).isEmpty());
        assertThat(jobs).extracting(ProwJob::buildId).doesNotContainNull();
    }

    @Test
    void readsARealCaptureWithItemsInUnusualKeyOrder() throws IOException {
        List<ProwJob> jobs = Fixtures.read(Fixtures.shared("assisted_valid_prow_response.json"));
        assertThat(jobs).singleElement().satisfies(j -> {
            assertThat(j.job()).isEqualTo("pull-ci-openshift-assisted-service-master-edge-e2e-metal-assisted");
            assertThat(j.state()).isEqualTo("failure");
            assertThat(j.refs().org()).isEqualTo("openshift");
        });
    }

    @Test
    void countsItemsWithWrongShapesAndKeepsTheOthers() throws IOException {
        List<ProwJob> jobs = new ArrayList<>();
        ProwJobReader.Summary summary;
        try (var in = Files.newInputStream(Fixtures.resource(Fixtures.CASES))) {
            summary = ProwJobReader.read(in, "cases", jobs::add);
        }
        assertThat(summary.items()).isEqualTo(16);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(summary.firstProblem()).contains("item 13").contains("not an object");
        assertThat(jobs).hasSize(15);
    }

    @Test
    void keepsOnlyTheFirstContainersTargetAndSkipsHugeEnvValues() throws IOException {
        String big = "x".repeat(200_000);
        String payload = """
                {"items":[{"spec":{"job":"j","type":"periodic","pod_spec":{"containers":[
                 {"env":[{"name":"CONFIG_SPEC","value":"%s"}],"args":["--a","--target=first","--variant=v1"]},
                 {"args":["--target=second"]}]}}}]}""".formatted(big);
        ProwJob job = parse(payload, new ArrayList<>()).get(0);
        assertThat(job.args()).containsExactly("--target=first", "--variant=v1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"var allBuilds = %s;", "  var allBuilds=%s;\n", "\uFEFF%s", "\n\n%s\n", "let x =\n%s ;"})
    void acceptsJsonAndJavaScriptForms(String form) throws IOException {
        String payload = form.formatted("{\"items\":[{\"spec\":{\"job\":\"a\"}},{\"spec\":{\"job\":\"b\"}}]}");
        assertThat(parse(payload, new ArrayList<>())).extracting(ProwJob::job).containsExactly("a", "b");
    }

    @Test
    void recognisesAnHtmlPage() {
        assertThatThrownBy(() -> parse("\n<!DOCTYPE html><html><body>Prow</body></html>", new ArrayList<>()))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.problem()).isEqualTo(PayloadException.Problem.HTML))
                .hasMessageContaining("HTML page, not prowjobs.js: is the URL a deck?");
    }

    @Test
    void reportsATruncatedPayloadWithTheCountOfCompleteItems() throws IOException {
        byte[] full = Fixtures.bytes(Fixtures.shared("prowjobs.json"));
        String cut = new String(full, 0, full.length * 2 / 3, StandardCharsets.UTF_8);
        List<ProwJob> seen = new ArrayList<>();
        assertThatThrownBy(() -> parse(cut, seen))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.problem()).isEqualTo(PayloadException.Problem.TRUNCATED))
                .hasMessageContaining("truncated");
        assertThat(seen).hasSizeLessThan(7);
    }

    @Test
    void reportsAnEmptyBody() {
        assertThatThrownBy(() -> parse("", new ArrayList<>())).isInstanceOf(PayloadException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void reportsMalformedJson() {
        assertThatThrownBy(() -> parse("{\"items\":[{\"spec\":{\"job\":\"a\"}} {\"spec\":1}]}", new ArrayList<>()))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.problem()).isEqualTo(PayloadException.Problem.MALFORMED))
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void reportsDecksEmptyObjectAnswer() {
        assertThatThrownBy(() -> parse("{}", new ArrayList<>())).isInstanceOf(PayloadException.class)
                .hasMessageContaining("no \"items\" list");
    }

    @Test
    void rejectsTextThatIsNotJavaScriptBeforeTheJson() {
        assertThatThrownBy(() -> parse("Service Unavailable {\"items\":[]}", new ArrayList<>()))
                .isInstanceOf(PayloadException.class).hasMessageContaining("unexpected text before the JSON");
    }

    @Test
    void readsGzipCompressedFiles(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("prowjobs.json.gz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(Fixtures.bytes(Fixtures.resource(Fixtures.CASES)));
        }
        Files.write(gz, bytes.toByteArray());
        RunCollector collector = Fixtures.collect(gz, JobFilter.ANY);
        assertThat(collector.runs()).hasSize(11);
    }

    /** {@code --prowjobs-file /dev/stdin} or {@code <(zcat f.gz)}: a pipe, read once as a stream. */
    @ParameterizedTest(name = "gzip: {0}")
    @ValueSource(booleans = {false, true})
    void readsAPayloadFromAPipe(boolean gzip, @TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("prowjobs.fifo");
        Path mkfifo = TestEnv.requireBinary("mkfifo", "coreutils");
        assertThat(new ProcessBuilder(mkfifo.toString(), fifo.toString()).start().waitFor()).isZero();
        byte[] payload = Fixtures.bytes(Fixtures.resource(Fixtures.CASES));
        Thread writer = new Thread(() -> {
            try (java.io.OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(fifo))
                    : Files.newOutputStream(fifo)) {
                out.write(payload);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        RunCollector collector = Fixtures.collect(fifo, JobFilter.ANY);
        writer.join(10_000);
        assertThat(collector.runs()).hasSize(11);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "{\"spec\":{\"job\":{\"x\":1}}}|spec.job is not a string",
            "{\"metadata\":{\"labels\":[1]},\"spec\":{\"job\":\"j\"}}|metadata.labels is not an object",
            "{\"spec\":{\"job\":\"j\",\"refs\":\"openshift/x\"}}|spec.refs is not an object",
            "{\"spec\":{\"job\":\"j\",\"extra_refs\":{}}}|spec.extra_refs is not a list",
            "{\"spec\":{\"job\":\"j\"},\"status\":[]}|status is not an object",
            "{\"spec\":{\"type\":\"periodic\"}}|no spec.job",
            "[1,2]|not a JSON object",
    })
    void skipsAnItemWithAWrongShapeAndReadsTheNext(String bad, String problem) throws IOException {
        List<ProwJob> jobs = new ArrayList<>();
        ProwJobReader.Summary summary = ProwJobReader.read(new ByteArrayInputStream(
                ("{\"items\":[" + bad + ",{\"spec\":{\"job\":\"good\",\"refs\":null}}]}")
                        .getBytes(StandardCharsets.UTF_8)), "test", jobs::add);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(summary.firstProblem()).isEqualTo("item 1: " + problem);
        assertThat(jobs).extracting(ProwJob::job).containsExactly("good");
    }

    @Test
    void keepsOnlyTheLabelsScrapeUsesAndReadsScalarsAsText() throws IOException {
        ProwJob job = parse("""
                {"items":[{"metadata":{"name":"n","labels":{"a":"b","ci.openshift.io/rehearse":"27052",
                 "ci-operator.openshift.io/variant":"4.9"}},"spec":{"job":"j","refs":{"org":"o","repo":"r",
                 "pulls":[{"number":12,"author":"me"},{"number":"x"}]}},"status":{"build_id":123,"state":null}}]}""",
                new ArrayList<>()).get(0);
        assertThat(job.labels()).containsOnlyKeys("ci.openshift.io/rehearse", "ci-operator.openshift.io/variant");
        assertThat(job.buildId()).isEqualTo("123");
        assertThat(job.state()).isNull();
        assertThat(job.refs().pulls()).extracting(ProwJob.Pull::number).containsExactly(12, null);
    }
}
