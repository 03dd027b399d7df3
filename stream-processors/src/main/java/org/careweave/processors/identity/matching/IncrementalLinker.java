package org.careweave.processors.identity.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Links records into persons as they arrive, in memory: each record is compared with the records that share a
 * blocking key with it and joins the person of the best-scoring candidate the matcher would link; otherwise it
 * starts a new person. Candidates the matcher would send to review are recorded as review pairs. The same records
 * in the same order always give the same persons (ids are sequential from 0), so a run can be replayed.
 * Not thread-safe: one linker per stream of records.
 */
public final class IncrementalLinker {

    /** What happened to one record. matchedRecord is -1 when it started a new person. */
    public record Decision(int record, int person, MatchOutcome outcome, int matchedRecord, double score) {
    }

    /** A pair the matcher scored between the review and link thresholds, or a guarded one. */
    public record ReviewPair(int record, int candidate, double score) {
    }

    private final Matcher matcher;
    private final int maxCandidatesPerKey;
    private final List<PreparedDemographics> records = new ArrayList<>();
    private final Map<String, IntList> blocks = new HashMap<>();
    private final List<ReviewPair> reviews = new ArrayList<>();
    private int[] personOf = new int[1024];
    private int[] seenStamp = new int[1024];
    private int persons;
    private long comparisons;

    public IncrementalLinker(Matcher matcher) {
        this(matcher, 1_000);
    }

    /**
     * @param maxCandidatesPerKey only the most recent records under one key are compared, so that a key that
     *                            turns out to be common (a default date of birth) cannot make linking quadratic
     */
    public IncrementalLinker(Matcher matcher, int maxCandidatesPerKey) {
        this.matcher = matcher;
        this.maxCandidatesPerKey = maxCandidatesPerKey;
    }

    public Decision add(Demographics demographics) {
        return add(matcher.prepare(demographics));
    }

    public Decision add(PreparedDemographics record) {
        int index = records.size();
        grow(index + 1);
        // A stamp per arriving record marks candidates already scored through another key, without a set.
        int stamp = index + 1;
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        int bestReview = -1;
        double bestReviewScore = Double.NEGATIVE_INFINITY;
        List<IntList> mine = new ArrayList<>();
        for (String key : matcher.blockingKeys(record)) {
            IntList block = blocks.computeIfAbsent(key, k -> new IntList());
            mine.add(block);
            int from = Math.max(0, block.size - maxCandidatesPerKey);
            for (int k = from; k < block.size; k++) {
                int candidate = block.values[k];
                if (seenStamp[candidate] == stamp) {
                    continue;
                }
                seenStamp[candidate] = stamp;
                comparisons++;
                long vector = matcher.comparisonVector(record, records.get(candidate));
                double score = matcher.score(vector);
                MatchOutcome outcome = matcher.outcome(vector, score);
                if (outcome == MatchOutcome.LINK) {
                    if (score > bestScore || (score == bestScore && candidate < best)) {
                        best = candidate;
                        bestScore = score;
                    }
                } else if (outcome == MatchOutcome.REVIEW) {
                    if (score > bestReviewScore || (score == bestReviewScore && candidate < bestReview)) {
                        bestReview = candidate;
                        bestReviewScore = score;
                    }
                }
            }
        }
        records.add(record);
        for (IntList block : mine) {
            block.add(index);
        }
        if (best >= 0) {
            personOf[index] = personOf[best];
            return new Decision(index, personOf[index], MatchOutcome.LINK, best, bestScore);
        }
        personOf[index] = persons++;
        if (bestReview >= 0) {
            reviews.add(new ReviewPair(index, bestReview, bestReviewScore));
            return new Decision(index, personOf[index], MatchOutcome.REVIEW, bestReview, bestReviewScore);
        }
        return new Decision(index, personOf[index], MatchOutcome.NO_LINK, -1, Double.NaN);
    }

    /** The explained comparison of two records already added (for example, of a decision's pair). */
    public MatchResult explain(int record, int other) {
        return matcher.compare(records.get(record), records.get(other));
    }

    public int size() {
        return records.size();
    }

    /** Candidate pairs scored so far. */
    public long comparisons() {
        return comparisons;
    }

    public int personCount() {
        return persons;
    }

    public int personOf(int record) {
        if (record < 0 || record >= records.size()) {
            throw new IndexOutOfBoundsException(record);
        }
        return personOf[record];
    }

    public List<ReviewPair> reviewPairs() {
        return List.copyOf(reviews);
    }

    private void grow(int size) {
        if (size > personOf.length) {
            int capacity = Math.max(size, personOf.length * 2);
            personOf = Arrays.copyOf(personOf, capacity);
            seenStamp = Arrays.copyOf(seenStamp, capacity);
        }
    }

    /** A growable int array: blocks hold record indexes without boxing. */
    private static final class IntList {
        int[] values = new int[4];
        int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }
    }
}
