package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.careweave.platform.config.SettingsSource;
import org.careweave.store.views.SinkConfig;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    @Test
    void listensOnLoopbackPort8080ByDefault() {
        ApiConfig config = ApiConfig.defaults();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.tokensFile()).isEmpty();
        assertThat(config.adminTokenFile()).isEmpty();
    }

    @Test
    void settingsAreReadWithTheirKeys() {
        ApiConfig config = ApiConfig.from(SettingsSource.of(Map.of("api.port", "9090", "api.tokens.file",
                "/etc/careweave/tokens")));
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.tokensFile()).contains(Path.of("/etc/careweave/tokens"));
        assertThat(ApiConfig.PORT.environmentVariable()).isEqualTo("CAREWEAVE_API_PORT");
        assertThat(ApiConfig.TOKENS_FILE.environmentVariable()).isEqualTo("CAREWEAVE_API_TOKENS_FILE");
    }

    @Test
    void sinkSettingsAreUnderSink() {
        assertThat(SinkConfig.settings()).allSatisfy(s -> assertThat(s.key()).startsWith("sink."));
        assertThat(ApiConfig.settings()).allSatisfy(s -> assertThat(s.key()).startsWith("api."));
        assertThat(SinkConfig.defaults().pollRecords()).isEqualTo(500);
    }
}
