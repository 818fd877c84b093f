package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import dev.prowctl.testing.TestEnv;

class GcswebListingTest {

    @Test
    void parsesTheRealOpenShiftListing() throws IOException {
        String html = Files.readString(TestEnv.sharedFile("fixtures/prow/gcsweb_listing_openshift_2023.html"));
        String pageUrl = "https://gcsweb-ci.apps.ci.l2s4.p1.openshiftapps.com/gcs/origin-ci-test/pr-logs/pull/"
                + "openstack-k8s-operators_ci-framework/437/pull-ci-openstack-k8s-operators-ci-framework-main-ansible-test/"
                + "1689624623181729792/";

        GcswebListing listing = GcswebListing.parse(html, pageUrl);

        assertThat(listing.entries()).containsExactly(
                new GcswebListing.Entry("artifacts/", "-", "-"),
                new GcswebListing.Entry("build-log.txt", "1627", "Thu, 10 Aug 2023 13:14:15 UTC"));
        assertThat(listing.entries().get(0).directory()).isTrue();
        assertThat(listing.hasFile("build-log.txt")).isTrue();
        assertThat(listing.hasFile("artifacts/")).isTrue();
        assertThat(listing.hasFile("finished.json")).isFalse();
        assertThat(listing.nextPageUrl()).isNull();
    }

    @Test
    void followsTheNextButtonRelativeToThePage() {
        String html = """
                <html><body><ul class="resource-grid">
                <li class="pure-g grid-row"><div class="pure-u-2-5"><a href="/gcs/b/x/"><img src="/icons/back.png"> ..</a></div>
                <div class="pure-u-1-5">-</div><div class="pure-u-2-5">-</div></li>
                <li class="pure-g grid-row"><div class="pure-u-2-5"><a href="/gcs/b/x/a.txt"><img src="/icons/file.png"> a.txt</a></div>
                <div class="pure-u-1-5">12</div><div class="pure-u-2-5">Fri, 27 Nov 2026 10:00:00 UTC</div></li>
                </ul>
                <a href="?marker=x/a.txt" class="pure-button next-button">Next page</a>
                </body></html>""";

        GcswebListing listing = GcswebListing.parse(html, "https://gcsweb.example/gcs/b/x/");

        assertThat(listing.entries()).extracting(GcswebListing.Entry::name).containsExactly("a.txt");
        assertThat(listing.nextPageUrl()).isEqualTo("https://gcsweb.example/gcs/b/x/?marker=x/a.txt");
    }

    @Test
    void anEmptyDirectoryHasNoEntries() {
        GcswebListing listing = GcswebListing.parse("<ul class=\"resource-grid\"><li class=\"pure-g\">"
                + "<div class=\"pure-u-2-5 grid-head\">Name</div></li></ul>", "https://g.example/gcs/b/");
        assertThat(listing.entries()).isEmpty();
    }

    @Test
    void aPageThatIsNotAListingIsRejectedWithItsTitle() {
        assertThatThrownBy(() -> GcswebListing.parse("<html><head><title>Log in</title></head><body>"
                + "<form></form></body></html>", "https://g.example/gcs/b/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a gcsweb directory listing")
                .hasMessageContaining("Log in");
    }
}
