package dev.prowctl.grafana.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** What a route answers: a status and a JSON body (null: no body). */
record Reply(int status, JsonNode body) {

    static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    /** Grafana's error shape: {@code {"message": ...}}. */
    static Reply error(int status, String message) {
        return new Reply(status, JsonNodeFactory.instance.objectNode().put("message", message));
    }
}
