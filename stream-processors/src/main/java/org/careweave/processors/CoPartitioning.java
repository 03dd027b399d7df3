package org.careweave.processors;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.careweave.schemas.topics.Topics;

/**
 * The topics whose records must meet in the same task, and so must have as many partitions as each other. Kafka
 * Streams checks that only for joins, and careweave's topologies join nothing: routing reads identity.links,
 * observation.events and encounter.events as one stream (a source identifier's link must reach the task that has its
 * events), and the views merge person.golden with routing's output, a repartition topic Kafka Streams creates with as
 * many partitions as routing's inputs (a person's golden record must reach the task that has their results). With
 * different counts, records of one key land in different tasks, and each task silently folds half a person.
 */
final class CoPartitioning {

    private CoPartitioning() {
    }

    /** The topics read together, under the deployment's prefix, in the order a message names them. */
    static List<String> topics(String prefix) {
        return List.of(Topics.IDENTITY_LINKS.name(prefix), Topics.OBSERVATION_EVENTS.name(prefix),
                Topics.ENCOUNTER_EVENTS.name(prefix), Topics.PERSON_GOLDEN.name(prefix));
    }

    /** Why the processors must not start with these partition counts (topic → count); empty when they agree. */
    static Optional<String> mismatch(Map<String, Integer> partitions) {
        if (partitions.values().stream().distinct().count() <= 1) {
            return Optional.empty();
        }
        String counts = partitions.entrySet().stream().map(e -> e.getKey() + " has " + e.getValue())
                .collect(Collectors.joining(", "));
        return Optional.of("The processors read these topics together, so they must have the same number of"
                + " partitions, but " + counts + ": a person's records would be folded in different tasks, making"
                + " wrong views. Give them one count (adding partitions moves keys: replay into a new prefix, see"
                + " docs/replay.md, or recreate the derived topics); see 'Partitions' in docs/operations.md");
    }
}
