package org.careweave.benchmarks.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

    private static final String TEXT = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1048576.0
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4194304.0
            process_files_open_files 133.0
            careweave_ingest_ack_latency_seconds_bucket{le="0.001"} 10.0
            careweave_ingest_ack_latency_seconds_bucket{le="0.01"} 90.0
            careweave_ingest_ack_latency_seconds_bucket{le="0.1"} 100.0
            careweave_ingest_ack_latency_seconds_bucket{le="+Inf"} 100.0
            careweave_consumer_lag{group="a,b",topic="x"} 5.0
            careweave_consumer_lag{group="c",topic="y"} 7.0
            """;

    @Test
    void sumsSeriesOverTheirLabelsAndFiltersByLabel() {
        PrometheusScrape scrape = PrometheusScrape.parse(TEXT);
        assertThat(scrape.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isEqualTo(3145728.0);
        assertThat(scrape.sum("jvm_memory_used_bytes")).isEqualTo(7340032.0);
        assertThat(scrape.sum("process_files_open_files")).isEqualTo(133.0);
        assertThat(scrape.sum("careweave_consumer_lag")).isEqualTo(12.0);
        assertThat(scrape.max("careweave_consumer_lag")).isEqualTo(7.0);
        assertThat(scrape.sum("no_such_series")).isNaN();
        // A comma inside a quoted label value does not split the label.
        assertThat(scrape.sum("careweave_consumer_lag", Map.of("group", "a,b"))).isEqualTo(5.0);
    }

    @Test
    void placesAQuantileOfWhatWasObservedBetweenTwoScrapesInItsBucket() {
        TreeMap<Double, Double> before = PrometheusScrape.parse(TEXT).buckets("careweave_ingest_ack_latency_seconds");
        TreeMap<Double, Double> after = PrometheusScrape.parse(TEXT.replace("{le=\"0.1\"} 100.0", "{le=\"0.1\"} 200.0")
                .replace("{le=\"+Inf\"} 100.0", "{le=\"+Inf\"} 200.0")).buckets("careweave_ingest_ack_latency_seconds");
        // The hundred observed in between were all between 10 and 100 ms.
        assertThat(PrometheusScrape.quantileBetween(before, after, 0.5)).isEqualTo(0.1);
        assertThat(PrometheusScrape.quantileBetween(new TreeMap<>(), before, 0.5)).isEqualTo(0.01);
        assertThat(PrometheusScrape.quantileBetween(new TreeMap<>(), before, 0.05)).isEqualTo(0.001);
        assertThat(PrometheusScrape.quantileBetween(before, before, 0.99)).isNaN();
    }
}
