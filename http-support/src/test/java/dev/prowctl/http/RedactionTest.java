package dev.prowctl.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://u:p4ss@influx:8086/write?db=prow | http://***@influx:8086/write?db=prow",
            "https://user@prow.example/?job=x | https://***@prow.example/?job=x",
            "https://gcs.example/o?alt=json&access_token=s3cr3t&prefix=a | https://gcs.example/o?alt=json&access_token=***&prefix=a",
            "https://g.example/api?API-KEY=abc&Token=t | https://g.example/api?API-KEY=***&Token=***",
            "https://hooks.slack.com/services/T0/B0/XXXX | https://hooks.slack.com/services/***",
            "https://chat.example/hooks/abcdef | https://chat.example/hooks/***",
            "https://discord.com/api/webhooks/123/tok | https://discord.com/api/webhooks/***",
            "https://prow.ci.openshift.org/?job=*oadp*&type=periodic | https://prow.ci.openshift.org/?job=*oadp*&type=periodic",
            "http://127.0.0.1:8086 | http://127.0.0.1:8086",
            "https://x.example/p#frag | https://x.example/p#***",
    })
    void aUrlKeepsWhereItPointsAndLosesItsSecrets(String url, String redacted) {
        assertThat(Redaction.url(url)).isEqualTo(redacted);
    }

    @Test
    void everyUrlInAMessageIsRedactedAndTheRestKept() {
        String message = "could not reach InfluxDB http://admin:hunter2@db:8086/write?u=a&p=x&password=hunter2: "
                + "refused; deck https://prow.example/?job=a works (see 'https://hooks.slack.com/services/T/B/sec')";

        String redacted = Redaction.text(message);

        assertThat(redacted).doesNotContain("hunter2").doesNotContain("sec'")
                .contains("http://***@db:8086/write?u=a&p=***&password=***: refused")
                .contains("https://prow.example/?job=a works")
                .contains("'https://hooks.slack.com/services/***'");
    }

    @Test
    void textWithoutUrlsAndNullPassUnchanged() {
        assertThat(Redaction.text("no url here: a@b")).isEqualTo("no url here: a@b");
        assertThat(Redaction.text(null)).isNull();
        assertThat(Redaction.url("not a url")).isEqualTo("not a url");
    }
}
