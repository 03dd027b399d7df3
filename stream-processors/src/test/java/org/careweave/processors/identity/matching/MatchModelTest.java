package org.careweave.processors.identity.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MatchModelTest {

    @Test
    void shippedModelLoadsWithEveryComparisonAndThresholds() {
        MatchModel model = MatchModel.defaults();
        assertThat(model.comparisons()).extracting(MatchModel.Comparison::name).containsExactly("givenName",
                "familyName", "birthDate", "sex", "postcode", "addressLine", "city", "identifier");
        assertThat(model.linkThreshold()).isGreaterThan(model.reviewThreshold());
        assertThat(model.blockingRules()).hasSizeGreaterThanOrEqualTo(4);
        for (MatchModel.Comparison c : model.comparisons()) {
            assertThat(c.levels().stream().mapToDouble(MatchModel.Level::m).sum()).as(c.name()).isBetween(0.999,
                    1.001);
            assertThat(c.levels().stream().mapToDouble(MatchModel.Level::u).sum()).as(c.name()).isBetween(0.999,
                    1.001);
        }
    }

    @Test
    void jsonRoundTripGivesTheSameModel() {
        MatchModel model = MatchModel.defaults().withThresholds(12.5, 1.25).withPrior(3.0e-5);
        MatchModel back = MatchModel.fromJson(model.toJson());
        assertThat(back).isEqualTo(model);
        assertThat(back.toJson()).isEqualTo(model.toJson());
    }

    @Test
    void unknownRulesAndFieldsAreRefusedWithTheReason() {
        String json = MatchModel.defaults().toJson();
        assertThatThrownBy(() -> MatchModel.fromJson(json.replace("\"postcodeDistrict\"", "\"postcodeSector\"")))
                .hasMessageContaining("postcodeSector");
        assertThatThrownBy(() -> MatchModel.fromJson(json.replace("\"field\" : \"city\"", "\"field\" : \"town\"")))
                .hasMessageContaining("town");
        assertThatThrownBy(() -> MatchModel.fromJson(json.replace("\"linkThreshold\"", "\"linkThreshhold\"")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void levelWeightIsLog2OfMOverU() {
        MatchModel.Level level = new MatchModel.Level("exact", "exact", null, 0.8, 0.1);
        assertThat(level.weight()).isEqualTo(3.0);
    }
}
