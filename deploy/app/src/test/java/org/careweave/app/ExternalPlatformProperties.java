package org.careweave.app;

import java.util.LinkedHashMap;
import java.util.Map;

import org.careweave.platform.Platform;

/**
 * Points commands that read their settings from the process (as {@code careweave opt-out load} does) at the test's
 * platform and topic prefix through system properties, and takes them away again. Test classes run one at a time.
 */
final class ExternalPlatformProperties implements AutoCloseable {

    private final Map<String, String> set = new LinkedHashMap<>();

    ExternalPlatformProperties(Platform platform, String topicPrefix) {
        set.put("careweave.platform", "external");
        set.put("careweave.kafka.bootstrap.servers", platform.bootstrapServers());
        set.put("careweave.schema.registry.url", platform.schemaRegistryUrl());
        set.put("careweave.jdbc.url", platform.jdbcUrl());
        set.put("careweave.jdbc.user", platform.jdbcUser());
        set.put("careweave.topic.prefix", topicPrefix);
        set.put("careweave.topic.partitions", "3");
        set.forEach(System::setProperty);
    }

    @Override
    public void close() {
        set.keySet().forEach(System::clearProperty);
    }
}
