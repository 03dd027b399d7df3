package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careweave.processors.results.Observations.loinc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Adding one version to a person's results regroups only what it touches, with the same outcome as regrouping all. */
class ResultGroupsTest {

    private static final String PERSON = "cwp-test-groups";
    private static final List<String> CODES = List.of("4548-4", "2823-3", "2951-2");
    private static final List<String> COLLECTED = List.of("2026-02-10T09:30:00Z", "2026-02-11T09:30:00Z");

    @Test
    void addingAVersionGivesTheGroupsOfGroupingEveryVersionAgain() {
        Random random = new Random(20_261_126L);
        int merges = 0;
        for (int round = 0; round < 30; round++) {
            List<ResultVersion> versions = new ArrayList<>();
            Set<String> messageKeys = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                ResultVersion version = ResultVersion.of(randomObservation(random), LocalCodes.defaults());
                if (!messageKeys.add(version.messageKey())) {
                    continue;
                }
                List<ResultVersion> before = new PersonResults(PERSON, versions).versions();
                List<ResultVersion> after = new PersonResults(PERSON, append(before, version)).versions();

                ResultGroups.Added added = ResultGroups.adding(PERSON, before, version, after);

                // A list of another identity, so that nothing remembered is used: grouped from scratch.
                Map<String, List<ResultVersion>> expected =
                        ResultGroups.of(PERSON, Collections.unmodifiableList(new ArrayList<>(after)));
                assertThat(added.groups()).isEqualTo(expected);
                assertThat(added.groups().get(added.resultId())).contains(version);
                assertThat(ResultGroups.of(PERSON, before).keySet()).containsAll(added.joined());
                if (added.joined().size() > 1) {
                    merges++;
                }
                versions = after;
            }
            assertNoResultHoldsTwoResultsOfOneLaboratory(ResultGroups.of(PERSON, versions));
            // the same versions in another order are grouped the same
            List<ResultVersion> shuffled = new ArrayList<>(versions);
            Collections.shuffle(shuffled, random);
            assertThat(ResultGroups.of(PERSON, Collections.unmodifiableList(shuffled)))
                    .isEqualTo(ResultGroups.of(PERSON, versions));
        }
        // The random reports share orders, codes and values often enough that results merge as versions arrive.
        assertThat(merges).isGreaterThan(10);
    }

    /**
     * Two orders (or two sub-ids) of one laboratory that say the same thing are two results: random reports from two
     * facilities with five orders each, two sub-ids and few values, so such pairs and copies bridging them abound.
     */
    @Test
    void resultsOfOneLaboratoryThatSayTheSameAreNeverJoined() {
        Random random = new Random(20_260_301L);
        int refused = 0;
        for (int round = 0; round < 30; round++) {
            List<ResultVersion> versions = new ArrayList<>();
            Set<String> messageKeys = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                org.careweave.events.ObservationEvent event = randomObservation(random);
                event.setSubId(random.nextBoolean() ? "1" : "2");
                ResultVersion version = ResultVersion.of(event, LocalCodes.defaults());
                if (!messageKeys.add(version.messageKey())) {
                    continue;
                }
                List<ResultVersion> before = new PersonResults(PERSON, versions).versions();
                List<ResultVersion> after = new PersonResults(PERSON, append(before, version)).versions();
                ResultGroups.Added added = ResultGroups.adding(PERSON, before, version, after);
                assertThat(added.groups())
                        .isEqualTo(ResultGroups.of(PERSON, Collections.unmodifiableList(new ArrayList<>(after))));
                if (added.regrouped()) {
                    refused++;
                }
                versions = after;
            }
            Map<String, List<ResultVersion>> groups = ResultGroups.of(PERSON, versions);
            assertNoResultHoldsTwoResultsOfOneLaboratory(groups);
            for (int shuffle = 0; shuffle < 5; shuffle++) {
                List<ResultVersion> shuffled = new ArrayList<>(versions);
                Collections.shuffle(shuffled, random);
                assertThat(ResultGroups.of(PERSON, Collections.unmodifiableList(shuffled))).isEqualTo(groups);
            }
        }
        assertThat(refused).as("versions whose content matched a distinct result of their laboratory")
                .isGreaterThan(10);
    }

    private static void assertNoResultHoldsTwoResultsOfOneLaboratory(Map<String, List<ResultVersion>> groups) {
        groups.values().forEach(group -> {
            for (ResultVersion a : group) {
                for (ResultVersion b : group) {
                    assertThat(ResultKeys.distinctResults(a, b)).as("%s with %s", a.versionKey(), b.versionKey())
                            .isFalse();
                }
            }
        });
    }

    /** One OBX from a small space of facilities, orders, codes, values and times, so that keys collide often. */
    private static org.careweave.events.ObservationEvent randomObservation(Random random) {
        String facility = random.nextBoolean() ? "RHMX1" : "B86001";
        Observations o = Observations.at(facility).patient("L" + random.nextInt(2)).nhs("9990000018")
                .code(loinc(CODES.get(random.nextInt(CODES.size()))))
                .numeric(Integer.toString(4 + random.nextInt(3)), "mmol/L")
                .collected(COLLECTED.get(random.nextInt(COLLECTED.size())))
                .status(List.of("P", "F", "C").get(random.nextInt(3)))
                .received(Instant.parse("2026-02-12T00:00:00Z").plusSeconds(random.nextInt(100_000)).toString())
                .setId(1 + random.nextInt(2));
        if (random.nextInt(4) > 0) {
            o.filler(facility + "-F" + random.nextInt(5));
        }
        return o.event();
    }

    private static List<ResultVersion> append(List<ResultVersion> list, ResultVersion version) {
        List<ResultVersion> copy = new ArrayList<>(list);
        copy.add(version);
        return copy;
    }
}
