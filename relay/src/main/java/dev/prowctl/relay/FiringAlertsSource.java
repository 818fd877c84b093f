package dev.prowctl.relay;

import java.io.IOException;
import java.util.List;

/** Where the IRC bot's {@code alerts [words...]} command gets the firing alerts (Grafana, through its client). */
public interface FiringAlertsSource {

    /**
     * One ready-to-say line per firing alert whose name or labels contain all {@code words} (case-insensitive); all
     * firing alerts when {@code words} is empty. Empty when none fire.
     */
    List<String> firing(List<String> words) throws IOException;
}
