package org.careweave.benchmarks.common;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went, from a flight recording's {@code jdk.ExecutionSample} events (async-profiler is not available
 * here): the hottest leaf frames (self time), self time by component, and the careweave methods most often on the
 * stack (inclusive: the code paths that the time is spent under). Same data as
 * {@code jfr print --events jdk.ExecutionSample}, summarised.
 */
public record JfrProfile(long samples, Map<String, Double> selfShareByComponent, List<Entry> topSelf,
                         List<Entry> topInclusive) {

    /** A method and its share of all samples. */
    public record Entry(String method, long samples, double share) {
    }

    private static final Map<String, String> COMPONENTS = componentPrefixes();

    public static JfrProfile read(Path recording, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> byComponent = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            String leaf = name(frames.get(0));
            self.merge(leaf, 1L, Long::sum);
            byComponent.merge(component(frames.get(0).getMethod().getType().getName()), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                if (!frame.getMethod().getType().getName().startsWith("org.careweave.")) {
                    continue;
                }
                String method = name(frame);
                if (seen.add(method)) {
                    inclusive.merge(method, 1L, Long::sum);
                }
            }
        }
        long total = Math.max(1, samples);
        Map<String, Double> shares = new LinkedHashMap<>();
        byComponent.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> shares.put(e.getKey(), Stats.round(e.getValue() / (double) total, 3)));
        return new JfrProfile(samples, shares, top(self, total, top), top(inclusive, total, top));
    }

    public String markdown(String title) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s: %,d execution samples.%n%n", title, samples));
        s.append("Self time by component: ");
        selfShareByComponent.forEach((k, v) -> s.append(String.format(Locale.ROOT, "%s %.0f%%, ", k, v * 100)));
        s.setLength(s.length() - 2);
        s.append(".\n\n| hottest frames (self) | share | | careweave code on the stack (inclusive) | share |\n"
                + "|---|---:|---|---|---:|\n");
        for (int i = 0; i < Math.max(topSelf.size(), topInclusive.size()); i++) {
            Entry a = i < topSelf.size() ? topSelf.get(i) : null;
            Entry b = i < topInclusive.size() ? topInclusive.get(i) : null;
            s.append(String.format(Locale.ROOT, "| %s | %s | | %s | %s |%n", a == null ? "" : "`" + a.method() + "`",
                    a == null ? "" : String.format(Locale.ROOT, "%.1f%%", a.share() * 100),
                    b == null ? "" : "`" + b.method() + "`",
                    b == null ? "" : String.format(Locale.ROOT, "%.1f%%", b.share() * 100)));
        }
        return s.toString();
    }

    private static List<Entry> top(Map<String, Long> counts, long total, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                .limit(n)
                .map(e -> new Entry(e.getKey(), e.getValue(), Stats.round(e.getValue() / (double) total, 4)))
                .toList();
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    private static String component(String className) {
        return COMPONENTS.entrySet().stream()
                .filter(e -> className.startsWith(e.getKey()))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue)
                .orElse("other");
    }

    private static Map<String, String> componentPrefixes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("org.careweave.ingest.validation", "careweave validation");
        m.put("org.careweave.ingest.hl7", "careweave validation");
        m.put("org.careweave.ingest.mapping", "careweave mapping");
        m.put("org.careweave.ingest", "careweave ingest");
        m.put("org.careweave.processors", "careweave processors");
        m.put("org.careweave.schemas", "careweave serde");
        m.put("org.careweave", "careweave other");
        m.put("ca.uhn.hl7v2", "HAPI");
        m.put("org.apache.avro", "Avro");
        m.put("org.apache.kafka.streams", "Kafka Streams");
        m.put("org.rocksdb", "RocksDB");
        m.put("org.apache.kafka", "Kafka client");
        m.put("kafka.", "Kafka broker");
        m.put("io.netty", "Netty");
        m.put("io.micrometer", "Micrometer");
        m.put("org.apache.camel", "Camel");
        m.put("net.jpountz", "LZ4");
        m.put("com.fasterxml.jackson", "Jackson");
        m.put("java.", "JDK");
        m.put("javax.", "JDK");
        m.put("jdk.", "JDK");
        m.put("sun.", "JDK");
        m.put("org.slf4j", "logging");
        m.put("ch.qos.logback", "logging");
        return m;
    }
}
