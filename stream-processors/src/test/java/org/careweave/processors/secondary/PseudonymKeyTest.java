package org.careweave.processors.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.careweave.platform.config.SettingsSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void ensureGeneratesAKeyReadableByItsOwnerOnlyAndKeepsIt() throws Exception {
        PseudonymKey first = PseudonymKey.ensure(dataDir);
        PseudonymKey second = PseudonymKey.ensure(dataDir);

        Path file = dataDir.resolve("pseudonym.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.text()).hasSizeGreaterThanOrEqualTo(PseudonymKey.MIN_LENGTH).isEqualTo(second.text());
        assertThat(PseudonymKey.ensure(Files.createDirectories(dataDir.resolve("other"))).text())
                .isNotEqualTo(first.text());
    }

    @Test
    void ensureRestrictsAKeyFileOthersCouldRead() throws Exception {
        Path file = dataDir.resolve("pseudonym.key");
        Files.writeString(file, "an-existing-key-0123456789-0123456789\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(PseudonymKey.ensure(dataDir).text()).isEqualTo("an-existing-key-0123456789-0123456789");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void anEmptyOrShortKeyIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> PseudonymKey.of("")).hasMessageContaining("CAREWEAVE_SECONDARY_PSEUDONYM_KEY");
        assertThatThrownBy(() -> PseudonymKey.of("short-secret-value"))
                .hasMessageContaining("at least 32 characters")
                .hasMessageNotContaining("short-secret-value");
        assertThat(PseudonymKey.of("x".repeat(32)).toString()).doesNotContain("x");
    }

    @Test
    void configurationRefusesToStartWithoutAKey() {
        assertThatThrownBy(() -> SecondaryConfig.from(SettingsSource.of(Map.of())))
                .hasMessageContaining("CAREWEAVE_SECONDARY_PSEUDONYM_KEY");
        assertThatThrownBy(() -> SecondaryConfig.from(SettingsSource.of(Map.of(
                "secondary.pseudonym.key", "too-short-a-secret"))))
                .hasMessageNotContaining("too-short-a-secret");

        SecondaryConfig config = SecondaryConfig.from(SettingsSource.of(Map.of(
                "secondary.pseudonym.key", "k".repeat(40), "secondary.birth.precision", "month")));
        assertThat(config.birthPrecision()).isEqualTo(BirthPrecision.MONTH);
        assertThat(config.toString()).doesNotContain("kkkk");
    }
}
