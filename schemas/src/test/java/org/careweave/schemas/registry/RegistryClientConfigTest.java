package org.careweave.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

    @Test
    void readsCommaSeparatedUrlsAndAppliesConfluentDefaults() {
        RegistryClientConfig config = RegistryClientConfig.fromConfigs(Map.of(
                "schema.registry.url", " http://a:8081/apis/ccompat/v7/ , https://b.example:443"));

        assertThat(config.urls()).containsExactly(
                URI.create("http://a:8081/apis/ccompat/v7"), URI.create("https://b.example:443"));
        assertThat(config.basicAuthUserInfo()).isEmpty();
        assertThat(config.authorizationHeader()).isEmpty();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.latestCacheTtl()).as("-1 = never expires").isEmpty();
    }

    @Test
    void acceptsAListValueAsKafkaConfigDefParsesIt() {
        RegistryClientConfig config = RegistryClientConfig.fromConfigs(Map.of(
                "schema.registry.url", List.of("http://a:1", "http://b:2")));

        assertThat(config.urls()).containsExactly(URI.create("http://a:1"), URI.create("http://b:2"));
    }

    @Test
    void readsTimeoutsAndLatestCacheTtl() {
        RegistryClientConfig config = RegistryClientConfig.fromConfigs(Map.of(
                "schema.registry.url", "http://a:1",
                "http.connect.timeout.ms", 1500,
                "http.read.timeout.ms", "2500",
                "latest.cache.ttl.sec", "30"));

        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.latestCacheTtl()).contains(Duration.ofSeconds(30));
    }

    @Test
    void userInfoSourceGivesABasicAuthorizationHeader() {
        RegistryClientConfig config = RegistryClientConfig.fromConfigs(Map.of(
                "schema.registry.url", "http://a:1",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", new Password("careweave:s3cret")));

        assertThat(config.authorizationHeader()).contains("Basic Y2FyZXdlYXZlOnMzY3JldA==");
    }

    @Test
    void urlSourceTakesCredentialsFromTheUrlAndKeepsThemOutOfTheUrlsUsed() {
        RegistryClientConfig config = RegistryClientConfig.fromConfigs(Map.of(
                "schema.registry.url", "http://careweave:s3cret@a:1/apis/ccompat/v7"));

        assertThat(config.urls()).containsExactly(URI.create("http://a:1/apis/ccompat/v7"));
        assertThat(config.basicAuthUserInfo()).contains("careweave:s3cret");
        assertThat(config.toString()).doesNotContain("s3cret").contains("basicAuth=configured");
    }

    @Test
    void userInfoSourceWithoutUserInfoIsRefused() {
        assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of(
                "schema.registry.url", "http://a:1", "basic.auth.credentials.source", "USER_INFO")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void userInfoWithoutColonIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of(
                "schema.registry.url", "http://a:1",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "onlyasecret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("user:password")
                .hasMessageNotContaining("onlyasecret");
    }

    @Test
    void unsupportedCredentialsSourceIsRefused() {
        assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of(
                "schema.registry.url", "http://a:1", "basic.auth.credentials.source", "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SASL_INHERIT");
    }

    @Test
    void missingOrMalformedUrlsAreRefused() {
        assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of("schema.registry.url", " , ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of("schema.registry.url", "mock://scope")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http(s)");
    }

    @Test
    void nonNumericTimeoutIsRefused() {
        assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of(
                "schema.registry.url", "http://a:1", "http.read.timeout.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.read.timeout.ms");
    }
}
