package org.careweave.app;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.careweave.events.IdentityReview;
import org.careweave.events.ReviewVerdict;
import org.careweave.review.ReviewQueue;
import org.careweave.schemas.topics.TopicProvisioner;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code careweave review}: the identity review queue. */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = "The identity review queue: pairs of records identity could not decide on alone.",
        subcommands = {ReviewCommand.ListReviews.class, ReviewCommand.Decide.class, ReviewCommand.Separate.class,
                ReviewCommand.Link.class})
final class ReviewCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Who decides and why, kept with every decision. */
    static final class Decider {
        @Option(names = "--by", required = true, description = "Who decides (a name or role), kept with the"
                + " decision.")
        String decidedBy;

        @Option(names = "--note", description = "Why, kept with the decision; no patient data.")
        String note;
    }

    /**
     * Runs {@code work} on the deployment's review queue and returns its exit status; when Kafka or the registry
     * fails, says so and returns 2 (nothing done).
     */
    static int onQueue(CommandSpec spec, String command, Function<ReviewQueue, Integer> work) {
        return PlatformConnection.run(spec, command, (platform, config) -> {
            // A decisions topic auto-created by the first send would have the broker's partitions, not one.
            TopicProvisioner.ensureTopics(platform.kafka().clientConfig(), config.topicPrefix(),
                    config.topicPartitions(), config.topicReplicationFactor());
            return work.apply(new ReviewQueue(platform, config.topicPrefix()));
        });
    }

    /** {@code careweave review list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"The open review pairs, oldest first: pair id, reason, score, the two records'"
                    + " identifiers (system|value) and persons. Names and other demographics are not printed:"
                    + " look the persons up through the API.",
                    "Exit status: 0 listed, 2 not readable."})
    static final class ListReviews implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--all", description = "Closed (decided) pairs too.")
        boolean all;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return onQueue(spec, "careweave review list", queue -> {
                List<IdentityReview> reviews = all ? queue.reviews() : queue.open();
                for (IdentityReview r : reviews) {
                    out.printf("%s  %s%s  %s  %s (%s)  %s (%s)  raised %s%n", r.getPairId(),
                            r.getOpen() ? "" : "closed ", r.getReason(),
                            r.getScore() == null ? "-" : String.format("%.1f", r.getScore()),
                            r.getLeftIdentifier(), r.getLeftPersonId(), r.getRightIdentifier(),
                            r.getRightPersonId(), r.getRaisedAt());
                }
                out.printf("careweave review list: %d %s%n", reviews.size(), all ? "pairs" : "open pairs");
                return 0;
            });
        }
    }

    /** {@code careweave review separate RECORD --from OTHER --by NAME}. */
    @Command(name = "separate", mixinStandardHelpOptions = true,
            description = {"Undo a false link: RECORD and OTHER (system|value) are on one person but are different"
                    + " patients. Identity moves RECORD to a person of its own, with its results and encounters, and"
                    + " keeps the two apart from then on. Refused (the processors' log says why) when RECORD shares"
                    + " an NHS number or another identifier with a record that stays: correct those at the source.",
                    "Exit status: 0 sent, 2 not sent."})
    static final class Separate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RECORD", description = "The record to move, as system|value (e.g. B86001|GP300).")
        String record;

        @Option(names = "--from", required = true, description = "A record that stays, as system|value.")
        String other;

        @Mixin
        Decider decider;

        @Override
        public Integer call() {
            return onQueue(spec, "careweave review separate: not sent", queue -> {
                String pairId = queue.separate(record, other, decider.decidedBy, decider.note, Instant.now())
                        .getPairId();
                spec.commandLine().getOut().printf("careweave review separate: %s sent; identity moves the record"
                        + " to a person of its own and publishes the pair closed%n", pairId);
                return 0;
            });
        }
    }

    /** {@code careweave review link RECORD --with OTHER --by NAME}. */
    @Command(name = "link", mixinStandardHelpOptions = true,
            description = {"Mend a missed link: RECORD and OTHER (system|value) are on different persons but are one"
                    + " patient, and no review named them. Identity merges the two persons, the younger into the"
                    + " older, with their results and encounters. Refused (the processors' log says why) when the"
                    + " persons hold different NHS numbers: correct those at the source.",
                    "Exit status: 0 sent, 2 not sent."})
    static final class Link implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RECORD", description = "A record of one person, as system|value (e.g. B86001|GP400).")
        String record;

        @Option(names = "--with", required = true, description = "A record of the other person, as system|value.")
        String other;

        @Mixin
        Decider decider;

        @Override
        public Integer call() {
            return onQueue(spec, "careweave review link: not sent", queue -> {
                String pairId = queue.link(record, other, decider.decidedBy, decider.note, Instant.now()).getPairId();
                spec.commandLine().getOut().printf("careweave review link: %s sent; identity merges the two persons"
                        + " and publishes the pair closed%n", pairId);
                return 0;
            });
        }
    }

    /** {@code careweave review decide PAIR (--same-person | --different-persons) --by NAME}. */
    @Command(name = "decide", mixinStandardHelpOptions = true,
            description = {"Decide an open review pair. --same-person: identity links the two records' persons"
                    + " (never when they hold different NHS numbers). --different-persons: identity keeps the two"
                    + " records apart from then on, and separates them if they have been linked since. The decision is"
                    + " kept in identity.decisions with who made it; the review is then published closed. A decision"
                    + " identity refuses leaves the review open, and the processors' log says why.",
                    "Exit status: 0 sent, 1 no such open pair, 2 not sent."})
    static final class Decide implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PAIR", description = "The pair id, as `careweave review list` shows it.")
        String pairId;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Verdict verdict;

        static final class Verdict {
            @Option(names = "--same-person", required = true, description = "The two records are one patient.")
            boolean samePerson;

            @Option(names = "--different-persons", required = true,
                    description = "The two records are different patients.")
            boolean differentPersons;
        }

        @Mixin
        Decider decider;

        @Override
        public Integer call() {
            return onQueue(spec, "careweave review decide: not sent", queue -> {
                Optional<IdentityReview> review = queue.review(pairId).filter(IdentityReview::getOpen);
                if (review.isEmpty()) {
                    spec.commandLine().getErr().println("careweave review decide: no open review pair " + pairId
                            + " (careweave review list shows them)");
                    return 1;
                }
                ReviewVerdict chosen = verdict.samePerson ? ReviewVerdict.SAME_PERSON
                        : ReviewVerdict.DIFFERENT_PERSONS;
                queue.decide(review.get(), chosen, decider.decidedBy, decider.note, Instant.now());
                spec.commandLine().getOut().printf("careweave review decide: %s %s sent; identity applies it and"
                        + " publishes the review closed%n", pairId, chosen);
                return 0;
            });
        }
    }
}
