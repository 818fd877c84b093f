package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IrcTargetTest {

    @Test
    void tlsByDefaultPortAndChannelWithKey() {
        assertThat(IrcTarget.parse("ircs://irc.libera.chat/#ops"))
                .isEqualTo(new IrcTarget(true, "irc.libera.chat", 6697, "#ops", null));
        assertThat(IrcTarget.parse("irc://127.0.0.1:16667/%23ci-alerts?key=s3cret"))
                .isEqualTo(new IrcTarget(false, "127.0.0.1", 16667, "#ci-alerts", "s3cret"));
        assertThat(IrcTarget.parse("irc://host/#ops?key=k"))
                .isEqualTo(new IrcTarget(false, "host", 6667, "#ops", "k"));
        assertThat(IrcTarget.parse("irc://host/ops").channel()).isEqualTo("#ops");
        assertThat(IrcTarget.parse("irc://host/#ops?key=k").toString()).isEqualTo("irc://host:6667/#ops");
    }

    @Test
    void refusesWhatIsNotAnIrcUrl() {
        assertThatThrownBy(() -> IrcTarget.parse("http://host/#ops")).hasMessageContaining("ircs://");
        assertThatThrownBy(() -> IrcTarget.parse("ircs://host/")).hasMessageContaining("no channel");
        assertThatThrownBy(() -> IrcTarget.parse("ircs:///#x")).hasMessageContaining("no host");
    }
}
