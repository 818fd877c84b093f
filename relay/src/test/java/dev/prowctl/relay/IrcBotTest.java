package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class IrcBotTest {

    @Test
    void addressedOnlyWithNickThenColonOrComma() {
        assertThat(IrcBot.addressedTo("prowbot", "prowbot: alerts db")).isEqualTo("alerts db");
        assertThat(IrcBot.addressedTo("prowbot", "ProwBot, alerts")).isEqualTo("alerts");
        assertThat(IrcBot.addressedTo("prowbot", "prowbotx: alerts")).isNull();
        assertThat(IrcBot.addressedTo("prowbot", "hello prowbot: alerts")).isNull();
    }

    @Test
    void withoutGrafanaSaysSoAndOtherCommandsAreNotUnderstood() {
        IrcBot bot = new IrcBot(null);
        assertThat(bot.answer("alerts")).containsExactly(IrcBot.NO_GRAFANA);
        assertThat(bot.answer("deploy prod")).containsExactly("Not understood: deploy prod");
        assertThat(bot.answer("")).containsExactly("Not understood: ");
    }

    @Test
    void passesTheWordsAndLimitsLongAnswers() {
        List<List<String>> asked = new ArrayList<>();
        IrcBot bot = new IrcBot(words -> {
            asked.add(words);
            return IntStream.range(0, 25).mapToObj(i -> "alert " + i).toList();
        });
        List<String> answer = bot.answer("ALERTS e2e  aws");
        assertThat(asked).containsExactly(List.of("e2e", "aws"));
        assertThat(answer).hasSize(IrcBot.MAX_ALERT_LINES + 1).endsWith("... and 5 more firing alerts");
    }

    @Test
    void grafanaErrorsAreSaidNotThrown() {
        IrcBot bot = new IrcBot(words -> {
            throw new IOException("HTTP 401 from Grafana");
        });
        assertThat(bot.answer("alerts")).containsExactly("Could not get alerts from Grafana: HTTP 401 from Grafana");
        assertThat(new IrcBot(words -> List.of()).answer("alerts x")).containsExactly("No alerts");
    }
}
