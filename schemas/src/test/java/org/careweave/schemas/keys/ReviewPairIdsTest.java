package org.careweave.schemas.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReviewPairIdsTest {

    @Test
    void the_same_pair_whichever_identifier_comes_first() {
        assertThat(ReviewPairIds.of("RHMX1|L300", "B86001|GP300", "PROBABILISTIC_UNCERTAIN"))
                .isEqualTo(ReviewPairIds.of("B86001|GP300", "RHMX1|L300", "PROBABILISTIC_UNCERTAIN"));
    }

    @Test
    void the_reason_makes_another_pair() {
        assertThat(ReviewPairIds.separation("RHMX1|L300", "B86001|GP300"))
                .isNotEqualTo(ReviewPairIds.of("RHMX1|L300", "B86001|GP300", "PROBABILISTIC_UNCERTAIN"));
    }

    @Test
    void ids_stay_what_earlier_releases_published() {
        // identity.review and identity.decisions are kept for ever, keyed by these ids: the derivation must not move.
        // Value: SHA-256 of "B86001|GP300\0RHMX1|L300\0SEPARATE", first 24 hex digits, worked out outside careweave.
        assertThat(ReviewPairIds.separation("RHMX1|L300", "B86001|GP300"))
                .isEqualTo("pair-" + EXPECTED_SEPARATION_DIGEST_PREFIX);
        assertThat(ReviewPairIds.of("a", "b", "r")).matches("pair-[0-9a-f]{24}");
    }

    private static final String EXPECTED_SEPARATION_DIGEST_PREFIX = "4c68b681ab24567f433d9b2f";
}
