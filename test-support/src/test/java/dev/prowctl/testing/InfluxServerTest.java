package dev.prowctl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real influxd the integration tests rely on starts, stores a point and answers queries. */
class InfluxServerTest {

    private static InfluxServer influx;

    @BeforeAll
    static void start() throws Exception {
        influx = InfluxServer.start();
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void writesAndQueriesBack() throws Exception {
        String db = influx.createDatabase("smoke");
        assertThat(influx.write(db, "m,t=a v=1i 1000000000\n").statusCode()).isEqualTo(204);
        assertThat(influx.query(db, "SELECT \"v\" FROM \"m\"")).contains("[1000000000,1]");
    }
}
