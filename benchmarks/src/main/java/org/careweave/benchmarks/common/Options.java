package org.careweave.benchmarks.common;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of a benchmark runner: {@code --name value} pairs and bare {@code --flag}s. Every runner
 * takes {@code --out DIR} (default benchmarks/results) and {@code --date yyyy-mm-dd} (default today), which name
 * its result files.
 */
public final class Options {

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** @param flags names that take no value */
    public static Options parse(String[] args, Set<String> flags) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (flags.contains(name)) {
                out.put(name, "true");
            } else if (i + 1 < args.length) {
                out.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return new Options(out);
    }

    public String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name).replace("_", "")) : fallback;
    }

    public long number(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name).replace("_", "")) : fallback;
    }

    public Duration seconds(String name, double fallback) {
        double s = values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
        return Duration.ofMillis(Math.round(s * 1000));
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /** A comma-separated list of integers, e.g. {@code --connections 1,16,64,256}. */
    public List<Integer> integers(String name, List<Integer> fallback) {
        if (!values.containsKey(name)) {
            return fallback;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : values.get(name).split(",")) {
            out.add(Integer.parseInt(part.strip()));
        }
        return out;
    }

    public Path out() {
        return Path.of(text("out", "benchmarks/results"));
    }

    public String date() {
        return text("date", LocalDate.now().toString());
    }
}
