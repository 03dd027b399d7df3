package org.careweave.processors.identity.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ModelEstimatorTest {

    private static final ModelEstimator.Options FAST = new ModelEstimator.Options(100_000, 7L, 200, 1e-6, 1_000,
            2.0, 2);

    private static List<Demographics> records() {
        InventedPeople generator = new InventedPeople(11L);
        List<Demographics> people = generator.people(400);
        List<Demographics> records = new ArrayList<>(people);
        for (int i = 0; i < people.size(); i += 2) {
            records.add(generator.noisyCopy(people.get(i)));
        }
        return records;
    }

    @Test
    void emConvergesAndAgreementLevelsAreMoreLikelyAmongMatches() {
        ModelEstimator.Estimate estimate = new ModelEstimator(MatchModel.defaults(), FAST).estimate(records());

        assertThat(estimate.sessions()).isNotEmpty().allSatisfy(s -> assertThat(s.iterations()).isLessThan(200));
        MatchModel model = estimate.model();
        for (String comparison : List.of("givenName", "familyName", "birthDate", "postcode", "addressLine")) {
            MatchModel.Level exact = model.comparisons().stream().filter(c -> c.name().equals(comparison))
                    .findFirst().orElseThrow().levels().get(0);
            assertThat(exact.m()).as(comparison + " exact m").isGreaterThan(exact.u());
            assertThat(exact.weight()).as(comparison + " exact weight").isPositive();
        }
        // 200 true pairs among 600 records: the prior should be of the order of 200 / (600 * 599 / 2).
        assertThat(model.priorMatchProbability()).isBetween(0.0005, 0.003);
        assertThat(estimate.expectedMatches()).isBetween(150.0, 260.0);
    }

    @Test
    void estimatedModelSeparatesMatchesFromNonMatches() {
        List<Demographics> records = records();
        Matcher matcher = new Matcher(new ModelEstimator(MatchModel.defaults(), FAST).estimate(records).model());
        assertThat(matcher.compare(records.get(0), records.get(400)).outcome()).isEqualTo(MatchOutcome.LINK);
        assertThat(matcher.compare(records.get(0), records.get(1)).outcome()).isEqualTo(MatchOutcome.NO_LINK);
    }

    @Test
    void estimationIsDeterministic() {
        List<Demographics> records = records();
        MatchModel first = new ModelEstimator(MatchModel.defaults(), FAST).estimate(records).model();
        MatchModel second = new ModelEstimator(MatchModel.defaults(), FAST).estimate(records).model();
        assertThat(first.toJson()).isEqualTo(second.toJson());
    }

    @Test
    void thresholdsGuardsAndBlockingAreKeptFromTheStartModel() {
        MatchModel start = MatchModel.defaults().withThresholds(9, 1);
        MatchModel estimated = MatchModel.estimate(records().subList(0, 300), start);
        assertThat(estimated.linkThreshold()).isEqualTo(9);
        assertThat(estimated.guards()).isEqualTo(start.guards());
        assertThat(estimated.blockingRules()).isEqualTo(start.blockingRules());
    }
}
