package dev.prowctl.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code relay}'s chat outputs: Slack-format incoming webhooks, and the log on stderr. */
final class RelayChatOptions {

    @Option(names = "--slack-webhook", paramLabel = "URL|@FILE",
            showDefaultValue = Visibility.NEVER, converter = Secret.Converter.class,
            description = "Chat incoming-webhook URL in Slack format (Slack, Mattermost, Rocket.Chat); repeatable."
                    + " The URL is a secret: @FILE reads URLs from a file (one a line), and the environment"
                    + " variable PROWCTL_RELAY_SLACK_WEBHOOKS adds space-separated ones.")
    List<Secret> slackWebhooks = new ArrayList<>();

    @Option(names = "--log-alerts", description = "Also write each relayed message as a line on stderr"
            + " (the only output when neither --irc nor --slack-webhook is given).")
    boolean logAlerts;

    /** The chat webhook URLs from the options (inline or @FILE) and PROWCTL_RELAY_SLACK_WEBHOOKS. */
    List<String> webhookUrls() {
        List<String> urls = new ArrayList<>();
        for (Secret value : slackWebhooks) {
            String urlsText = Secret.reveal(value, "--slack-webhook");
            if (urlsText != null) {
                urlsText.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(urls::add);
            }
        }
        String fromEnv = System.getenv("PROWCTL_RELAY_SLACK_WEBHOOKS");
        if (fromEnv != null) {
            for (String url : fromEnv.strip().split("\\s+")) {
                if (!url.isEmpty()) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }
}
