package org.careweave.processors.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.careweave.events.Address;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.PersonView;
import org.junit.jupiter.api.Test;

/** What decides whether a view is published again: its content, not its version or time. */
class ViewDigestsTest {

    private final ViewDigests digests = new ViewDigests();

    @Test
    void theVersionAndTimeDoNotCount() {
        PersonView view = view("01130000777");
        ByteBuffer digest = digests.of(view);

        PersonView later = view("01130000777");
        later.setVersion(9L);
        later.setUpdatedAt(Instant.parse("2027-01-01T00:00:00Z"));

        assertThat(digests.of(later)).isEqualTo(digest);
        assertThat(digest.remaining()).as("SHA-256").isEqualTo(32);
    }

    @Test
    void anyChangeOfContentCounts() {
        ByteBuffer digest = digests.of(view("01130000777"));

        assertThat(digests.of(view("01130000778"))).isNotEqualTo(digest);
        PersonView moved = view("01130000777");
        moved.getAddress().setPostcode("LS2 9JT");
        assertThat(digests.of(moved)).isNotEqualTo(digest);
        PersonView withoutSex = view("01130000777");
        withoutSex.setSex(null);
        assertThat(digests.of(withoutSex)).isNotEqualTo(digest);
    }

    @Test
    void leavesTheViewAsItWas() {
        PersonView view = view("01130000777");
        digests.of(view);

        assertThat(view.getVersion()).isEqualTo(3L);
        assertThat(view.getUpdatedAt()).isEqualTo(Instant.parse("2026-06-01T10:15:00Z"));
    }

    private static PersonView view(String phone) {
        return PersonView.newBuilder()
                .setPersonId("P-000123")
                .setVersion(3)
                .setIdentifiers(List.of(Identifier.newBuilder().setSystem("RHMX1").setValue("M100001")
                        .setValid(true).build()))
                .setName(HumanName.newBuilder().setFamily("Quixwell").setGiven(List.of("Zephyrine")).build())
                .setBirthDate(LocalDate.of(1984, 7, 23))
                .setSex("F")
                .setAddress(Address.newBuilder().setLines(List.of("17 Juniper Wynd")).setCity("Leeds")
                        .setPostcode("LS1 4AB").build())
                .setPhone(phone)
                .setUpdatedAt(Instant.parse("2026-06-01T10:15:00Z"))
                .build();
    }
}
