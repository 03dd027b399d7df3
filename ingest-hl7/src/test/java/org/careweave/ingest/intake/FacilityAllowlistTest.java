package org.careweave.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FacilityAllowlistTest {

    private static final List<String> LINES = List.of(
            "# Which client certificates may send for which facilities",
            "",
            "CN=engine.trust-a.example, O=Example Trust A, C=GB = RHMX1, RHMX2",
            "   CN=lims.trust-b.example,O=Example Trust B = RHMX3   ",
            "CN=hub.example = *",
            "CN=engine.trust-a.example, O=Example Trust A, C=GB = RHMX4");

    private final FacilityAllowlist allowlist = FacilityAllowlist.parse(LINES);

    @Test
    void allowsTheListedFacilitiesOfACertificate() {
        String subject = "CN=engine.trust-a.example, O=Example Trust A, C=GB";

        assertThat(allowlist.allows(subject, "RHMX1")).isTrue();
        assertThat(allowlist.allows(subject, "RHMX2")).isTrue();
        assertThat(allowlist.allows(subject, "RHMX3")).isFalse();
        assertThat(allowlist.allows(subject, "")).isFalse();
    }

    @Test
    void linesForTheSameCertificateAddUp() {
        assertThat(allowlist.allows("CN=engine.trust-a.example, O=Example Trust A, C=GB", "RHMX4")).isTrue();
    }

    @Test
    void comparesSubjectsInCanonicalForm() {
        // As an SSL session reports it (RFC 2253, no spaces), and with other case and spacing.
        assertThat(allowlist.allows("CN=engine.trust-a.example,O=Example Trust A,C=GB", "RHMX1")).isTrue();
        assertThat(allowlist.allows("cn=engine.trust-a.example,  o=example trust a, c=gb", "RHMX2")).isTrue();
        assertThat(allowlist.allows("CN=lims.trust-b.example, O=Example Trust B", "RHMX3")).isTrue();
    }

    @Test
    void facilitiesAreExact() {
        String subject = "CN=lims.trust-b.example,O=Example Trust B";

        assertThat(allowlist.allows(subject, "RHMX3")).isTrue();
        assertThat(allowlist.allows(subject, "rhmx3")).isFalse();
        assertThat(allowlist.allows(subject, "RHMX")).isFalse();
    }

    @Test
    void aStarAllowsAnyFacility() {
        assertThat(allowlist.allows("CN=hub.example", "RHMX1")).isTrue();
        assertThat(allowlist.allows("CN=hub.example", "ANYTHING")).isTrue();
    }

    @Test
    void anUnknownCertificateMaySendForNothing() {
        assertThat(allowlist.allows("CN=stranger.example", "RHMX1")).isFalse();
        assertThat(allowlist.allows("CN=engine.trust-a.example", "RHMX1")).as("a different DN").isFalse();
        assertThat(FacilityAllowlist.parse(List.of()).allows("CN=hub.example", "RHMX1")).isFalse();
    }

    @Test
    void refusesALineWithoutFacilities() {
        assertThatThrownBy(() -> FacilityAllowlist.parse(List.of("CN=engine.trust-a.example")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FacilityAllowlist.parse(List.of("CN=engine.trust-a.example=RHMX1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnInvalidSubject() {
        assertThatThrownBy(() -> FacilityAllowlist.parse(List.of("not a distinguished name = RHMX1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("allowlist.txt");
        Files.write(file, LINES);

        FacilityAllowlist loaded = FacilityAllowlist.load(file);

        assertThat(loaded.allows("CN=lims.trust-b.example,O=Example Trust B", "RHMX3")).isTrue();
        assertThat(loaded.allows("CN=lims.trust-b.example,O=Example Trust B", "RHMX1")).isFalse();
    }
}
