package org.careweave.platform;

import java.util.function.Consumer;

/** Opens the platform a configuration asks for. */
public final class Platforms {

    private Platforms() {
    }

    public static Platform open(PlatformConfig config, Consumer<String> progress) {
        return switch (config.kind()) {
            case EMBEDDED -> EmbeddedPlatform.start(config, progress);
            case EXTERNAL -> new ExternalPlatform(config.external());
            case TESTCONTAINERS -> TestcontainersPlatform.start(progress);
        };
    }
}
