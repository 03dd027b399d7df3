package org.careweave.benchmarks.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of a careweave process's {@code GET /metrics} (Prometheus text format), read as series with their
 * labels. Enough of the format for careweave's own output: one sample per line, no timestamps, no escaped quotes in
 * label values.
 */
public record PrometheusScrape(List<Sample> samples) {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static PrometheusScrape fetch(HttpClient http, String baseUrl, String bearerToken)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                .header("Authorization", "Bearer " + bearerToken).timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /metrics answered " + response.statusCode());
        }
        return parse(response.body());
    }

    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0 && brace < space) {
                String inside = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String pair : inside.split(",(?=[a-zA-Z_]+=\")")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                    }
                }
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new PrometheusScrape(samples);
    }

    /** The sum of a series over all its label sets whose labels include {@code match} (NaN if none). */
    public double sum(String name, Map<String, String> match) {
        double total = 0;
        boolean seen = false;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().entrySet().containsAll(match.entrySet())) {
                total += sample.value();
                seen = true;
            }
        }
        return seen ? total : Double.NaN;
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    /** The largest value of a series over its label sets (NaN if none). */
    public double max(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).max()
                .orElse(Double.NaN);
    }

    /** A histogram's cumulative bucket counts by upper bound (seconds), summed over its other labels. */
    public TreeMap<Double, Double> buckets(String histogram) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Sample sample : samples) {
            if (sample.name().equals(histogram + "_bucket")) {
                String le = sample.labels().get("le");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.merge(bound, sample.value(), Double::sum);
            }
        }
        return buckets;
    }

    /**
     * The upper bound of the bucket holding quantile {@code q} of what was observed between two scrapes of a
     * histogram, as Prometheus' histogram_quantile would place it before interpolation (NaN if nothing was observed).
     */
    public static double quantileBetween(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double q) {
        double total = after.lastEntry() == null ? 0
                : after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= q * total) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
