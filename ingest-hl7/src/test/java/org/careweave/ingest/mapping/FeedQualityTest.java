package org.careweave.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.Map;

import org.careweave.events.PatientEvent;
import org.careweave.events.RawMessage;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class FeedQualityTest {

    private final RawMessageMapper mapper = new RawMessageMapper(ZoneId.of("Europe/London"), Map.of());

    private PatientEvent patient(String pid) {
        String message = "MSH|^~\\&|PAS|RXQ01|CW|CW|20240715093000||ADT^A04^ADT_A01|DQ-" + pid.hashCode()
                + "|P|2.5\rEVN|A04\r" + pid + "\rPV1|1|O\r";
        RawMessage raw = RawMessageMapperTest.raw(message);
        return mapper.map(raw, RawMessageMapperTest.ref(raw)).patients().get(0).event();
    }

    @Test
    void aRecordWithAGoodNhsNumberAndItsDemographicsIsComplete() {
        PatientEvent p = patient("PID|1||9990000018^^^NHS^NH~DQ1^^^RXQ01^MR||Testdata^Quinn||19800214|F|||"
                + "1 Example Way^^Leeds^^LS1 1AA");

        assertThat(FeedQuality.nhsNumber(p)).isEqualTo(FeedQuality.NhsNumber.VALID);
        assertThat(FeedQuality.missing(p)).isEmpty();
    }

    @Test
    void aMistypedNhsNumberIsInvalidNotAbsent() {
        // 9990000017: the check digit should be 8.
        PatientEvent p = patient("PID|1||9990000017^^^NHS^NH~DQ2^^^RXQ01^MR||Testdata^Quinn||19800214|F|||"
                + "1 Example Way^^Leeds^^LS1 1AA");

        assertThat(FeedQuality.nhsNumber(p)).isEqualTo(FeedQuality.NhsNumber.INVALID);
    }

    @Test
    void aRecordWithoutNhsNumberBirthDateOrPostcodeSaysSo() {
        PatientEvent p = patient("PID|1||DQ3^^^RXQ01^MR||Testdata^Unknown||||U|||1 Example Way^^Leeds");

        assertThat(FeedQuality.nhsNumber(p)).isEqualTo(FeedQuality.NhsNumber.ABSENT);
        assertThat(FeedQuality.missing(p)).containsExactly(FeedQuality.Field.BIRTH_DATE, FeedQuality.Field.POSTCODE);
    }

    @Test
    void countsAreKeptByFacilityWithoutValues() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        FeedQuality quality = new FeedQuality(metrics);

        quality.count(patient("PID|1||9990000018^^^NHS^NH~DQ1^^^RXQ01^MR||Testdata^Quinn||19800214|F|||"
                + "1 Example Way^^Leeds^^LS1 1AA"));
        quality.count(patient("PID|1||DQ3^^^RXQ01^MR||Testdata^Unknown||||U"));
        quality.count(patient("PID|1||DQ4^^^RXQ01^MR||Testdata^Unknown||19700101|U"));

        assertThat(metrics.counter("careweave.mapping.patients", "facility", "RXQ01", "nhs_number", "valid").count())
                .isEqualTo(1.0);
        assertThat(metrics.counter("careweave.mapping.patients", "facility", "RXQ01", "nhs_number", "absent").count())
                .isEqualTo(2.0);
        assertThat(metrics.counter("careweave.mapping.patients.incomplete", "facility", "RXQ01", "field",
                "postcode").count()).isEqualTo(2.0);
        assertThat(metrics.counter("careweave.mapping.patients.incomplete", "facility", "RXQ01", "field",
                "birth_date").count()).isEqualTo(1.0);
        assertThat(metrics.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags().toString())
                .doesNotContain("9990000018").doesNotContain("Testdata"));
    }
}
