package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.careweave.platform.config.SettingsSource;
import org.junit.jupiter.api.Test;

/** The admin token file careweave up names at startup is the one the API reads (benchmarks read it from there). */
class AdminTokenFileTest {

    private static final Path DATA_DIR = Path.of("/var/lib/careweave");

    @Test
    void withoutASettingItIsTheOneCreatedInTheDataDir() {
        assertThat(StoreComponents.adminTokenFile(SettingsSource.of(Map.of()), DATA_DIR))
                .isEqualTo(Path.of("/var/lib/careweave/admin.token"));
        assertThat(StoreComponents.adminTokenFile(SettingsSource.of(Map.of("api.admin.token.file", "")), DATA_DIR))
                .as("empty is not set").isEqualTo(Path.of("/var/lib/careweave/admin.token"));
    }

    @Test
    void aConfiguredFileIsTheOneNamed() {
        SettingsSource settings = SettingsSource.of(Map.of("api.admin.token.file", "/run/secrets/careweave-admin"));

        assertThat(StoreComponents.adminTokenFile(settings, DATA_DIR))
                .isEqualTo(Path.of("/run/secrets/careweave-admin"));
    }
}
