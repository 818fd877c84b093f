package dev.prowctl.cli.grafana;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.FiringAlert;
import dev.prowctl.grafana.GrafanaAlerts;
import dev.prowctl.grafana.Json;
import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code prowctl grafana alerts}: the firing alerts, as the original IRC "alerts" command listed them. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"List firing alerts whose name or message contains every FILTER word (case-insensitive).",
                "Grafana 9+: unified alerting (its Alertmanager); 8.x: legacy /api/alerts."})
public final class AlertsCommand implements Runnable {

    /** Output formats: the words of every command's --output; {@code text} is the old name of {@code human}. */
    enum Format { HUMAN, JSON, TEXT }

    @Spec
    CommandSpec spec;

    @Mixin
    GrafanaConnection connection;

    @Parameters(paramLabel = "FILTER", arity = "0..*", description = "Words to look for in name or message.")
    List<String> words = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "human",
            description = "human (one line per alert; text is an alias) or json (an array). "
                    + "Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public void run() {
        List<FiringAlert> alerts = new GrafanaAlerts(connection.client()).firing(words);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.JSON) {
            ArrayNode array = Json.array();
            for (FiringAlert a : alerts) {
                ObjectNode o = array.addObject().put("name", a.name()).put("state", a.state())
                        .put("message", a.message()).put("url", a.url()).put("since", a.since());
                ObjectNode labels = o.putObject("labels");
                a.labels().forEach(labels::put);
            }
            out.print(new String(Json.canonicalBytes(array), java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        for (FiringAlert a : alerts) {
            String line = "[" + a.state() + "] " + a.name() + (a.message().isEmpty() ? "" : ": " + a.message())
                    + (a.url().isEmpty() ? "" : " " + a.url());
            // one line per alert, even for multi-line messages; nothing from Grafana may drive the terminal
            out.println(TerminalText.oneLine(Redaction.text(line.replaceAll("\\s*\\R\\s*", " "))));
        }
        if (alerts.isEmpty()) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": no firing alerts"
                    + (words.isEmpty() ? "" : " matching " + String.join(" ", words)));
        }
    }
}
