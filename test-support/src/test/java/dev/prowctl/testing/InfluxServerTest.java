package dev.prowctl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real influxd the integration tests rely on starts, stores a point and answers queries. */
@ExtendWith(InfluxServer.PerClass.class)
class InfluxServerTest {

    private static InfluxServer influx;

    @BeforeAll
    static void start(InfluxServer server) throws Exception {
        influx = server;
    }

    @Test
    void writesAndQueriesBack() throws Exception {
        String db = influx.createDatabase("smoke");
        assertThat(influx.write(db, "m,t=a v=1i 1000000000\n").statusCode()).isEqualTo(204);
        assertThat(influx.query(db, "SELECT \"v\" FROM \"m\"")).contains("[1000000000,1]");
    }
}
