package org.careweave.benchmarks.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.careweave.events.PersonView;
import org.junit.jupiter.api.Test;

class ViewLatencyBenchmarkTest {

    @Test
    void readsTheMarkerFromTheViewsPhone() {
        assertThat(ViewLatencyBenchmark.marker(view("07700 900123 #4711"))).isEqualTo(4711);
        assertThat(ViewLatencyBenchmark.marker(view("07700 900123"))).isEqualTo(-1);
        assertThat(ViewLatencyBenchmark.marker(view(null))).isEqualTo(-1);
        assertThat(ViewLatencyBenchmark.marker(null)).isEqualTo(-1);
    }

    private static PersonView view(String phone) {
        return PersonView.newBuilder().setPersonId("p").setVersion(1).setPhone(phone).setUpdatedAt(Instant.now())
                .build();
    }
}
