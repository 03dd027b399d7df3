package org.careweave.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.UnresolvedUnionException;
import org.junit.jupiter.api.Test;

class AvroFailuresTest {

    @Test
    void withholdsMessagesThatQuoteTheValue() {
        Schema union = Schema.createUnion(List.of(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.INT)));
        UnresolvedUnionException quotesValue = new UnresolvedUnionException(union, "9990000018");
        assertThat(quotesValue.getMessage()).contains("9990000018");

        Throwable safe = AvroFailures.withoutContent(quotesValue);

        assertThat(safe.getMessage()).doesNotContain("9990000018").contains("UnresolvedUnionException");
        assertThat(safe.getStackTrace()).isEqualTo(quotesValue.getStackTrace());
        assertThat(AvroFailures.describe(quotesValue)).doesNotContain("9990000018");
    }

    @Test
    void keepsMessagesThatNameOnlyFields() {
        NullPointerException npe = new NullPointerException("null value for (non-nullable) string at PatientEvent.trigger");

        assertThat(AvroFailures.withoutContent(npe)).isSameAs(npe);
        assertThat(AvroFailures.describe(npe)).contains("PatientEvent.trigger");
    }
}
