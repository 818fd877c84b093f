package dev.prowctl.scraper.prow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeckUrlTest {

    @ParameterizedTest
    @CsvSource({
            "'https://prow.ci.openshift.org/?job=*oadp*', https://prow.ci.openshift.org/",
            "https://prow.ci.openshift.org, https://prow.ci.openshift.org/",
            "'https://prow.k8s.io/index.html?type=periodic#x', https://prow.k8s.io/",
            "https://example.com/deck/, https://example.com/deck/",
            "https://example.com/deck, https://example.com/deck/",
            "http://127.0.0.1:8080/prowjobs.js, http://127.0.0.1:8080/",
    })
    void derivesTheDeckBase(String page, String base) {
        assertThat(DeckUrl.parse(page).base().toString()).isEqualTo(base);
    }

    @ParameterizedTest
    @CsvSource({
            "'https://prow.ci.openshift.org/?job=*oadp*', 'https://prow.ci.openshift.org/prowjobs.js?omit=annotations,decoration_config'",
            "https://example.com/deck/, 'https://example.com/deck/prowjobs.js?omit=annotations,decoration_config'",
    })
    void asksForEverythingButAnnotationsAndDecorationConfig(String page, String prowjobs) {
        assertThat(DeckUrl.parse(page).prowjobsUrl().toString()).isEqualTo(prowjobs);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://prow.ci.openshift.org/?job=*oadp*&type=periodic&state=failure&repo=openshift/oadp-operator&pull=12&author=bob&cluster=build02"
                    + "|*oadp*|periodic|failure|openshift/oadp-operator|12|bob|build02",
    })
    void readsEveryDeckFilter(String page, String job, String type, String state, String repo, String pull,
                              String author, String cluster) {
        assertThat(DeckUrl.parse(page).filter())
                .isEqualTo(new JobFilter(job, type, state, repo, pull, author, cluster));
    }

    @ParameterizedTest
    @CsvSource({"prow.ci.openshift.org", "ftp://example.com/", "not a url"})
    void rejectsWhatIsNotAnHttpUrl(String page) {
        assertThatThrownBy(() -> DeckUrl.parse(page)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an http(s) URL");
    }

    @org.junit.jupiter.api.Test
    void buildsProwJobYamlLinks() {
        assertThat(DeckUrl.parse("https://prow.ci.openshift.org/?job=x").prowjobPage("e0e42da9-d1e6"))
                .isEqualTo("https://prow.ci.openshift.org/prowjob?prowjob=e0e42da9-d1e6");
    }

    @ParameterizedTest
    @CsvSource({"https://ci:hunter2@prow.example/?job=*", "https://hunter2@prow.example/", "ftp://ci:hunter2@x/"})
    void refusesCredentialsAndNeverEchoesThem(String page) {
        // deck takes none, and prowjob_url links (stored in InfluxDB) are built from the base
        assertThatThrownBy(() -> DeckUrl.parse(page)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("***@").hasMessageNotContaining("hunter2");
    }
}
