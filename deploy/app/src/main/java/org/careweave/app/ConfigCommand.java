package org.careweave.app;

import java.util.concurrent.Callable;

import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.Setting;

import picocli.CommandLine.Command;

/** {@code careweave config}: every configuration key, its environment variable, default and meaning. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the configuration reference (keys, environment variables, defaults).")
final class ConfigCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.print(ConfigurationReference.markdown());
        return 0;
    }

    /** The configuration reference as a markdown table; docs/configuration.md is checked against it. */
    public static final class ConfigurationReference {
        private ConfigurationReference() {
        }

        /** Every setting careweave reads, in reference order; deployment files are validated against this list. */
        public static java.util.List<Setting<?>> all() {
            java.util.List<Setting<?>> all = new java.util.ArrayList<>(PlatformConfig.settings());
            all.addAll(org.careweave.ingest.IngestConfig.settings());
            all.addAll(org.careweave.ingest.batch.IntakeConfig.settings());
            all.addAll(org.careweave.ingest.mapping.MappingConfig.settings());
            all.addAll(org.careweave.processors.ProcessorsConfig.settings());
            all.addAll(org.careweave.store.views.SinkConfig.settings());
            all.addAll(org.careweave.store.api.ApiConfig.settings());
            return java.util.List.copyOf(all);
        }

        public static String markdown() {
            StringBuilder b = new StringBuilder();
            b.append("| key | environment variable | default | meaning |\n");
            b.append("|---|---|---|---|\n");
            for (Setting<?> s : all()) {
                b.append("| `").append(s.key()).append("` | `").append(s.environmentVariable()).append("` | ")
                        .append(s.defaultValue() == null ? "(required)"
                                : s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`")
                        .append(" | ").append(s.description()).append(" |\n");
            }
            return b.toString();
        }
    }
}
