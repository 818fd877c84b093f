package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LegacyFlagsTest {

    @Test
    void originalInvocationBecomesScrape() {
        assertThat(LegacyFlags.translate(new String[] {"-print_for_human", "-url_to_scrape",
                "https://prow.ci.openshift.org/?job=*oadp*"}))
                .containsExactly("scrape", "--output=human", "--url", "https://prow.ci.openshift.org/?job=*oadp*");
    }

    @Test
    void equalsFormAndDoubleDashAreRenamedInsideScrape() {
        assertThat(LegacyFlags.translate(new String[] {"scrape", "--url_to_scrape=https://deck/?job=x"}))
                .containsExactly("scrape", "--url=https://deck/?job=x");
    }

    @Test
    void otherCommandsAreLeftAlone() {
        assertThat(LegacyFlags.translate(new String[] {"grafana", "export", "-print_for_human"}))
                .containsExactly("grafana", "export", "-print_for_human");
    }

    @Test
    void rootOptionsMayComeFirst() {
        assertThat(LegacyFlags.translate(new String[] {"--verbose", "-url_to_scrape", "https://deck/"}))
                .containsExactly("--verbose", "scrape", "--url", "https://deck/");
        assertThat(LegacyFlags.translate(new String[] {"--verbose", "scrape", "-print_for_human"}))
                .containsExactly("--verbose", "scrape", "--output=human");
        assertThat(LegacyFlags.translate(new String[] {"--verbose"})).containsExactly("--verbose");
    }
}
