package org.careweave.benchmarks.febrl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.careweave.benchmarks.common.Options;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.ModelEstimator;

/**
 * FEBRL4 as the benchmarks that send it through careweave use it: dataset4a from facility FEBRLA, then dataset4b
 * from FEBRLB, each record with the facility's own counter as local id (rec_id is kept aside only to score).
 */
record Febrl4(List<FebrlRecord> a, List<FebrlRecord> b) {

    static final String FACILITY_A = "FEBRLA";
    static final String FACILITY_B = "FEBRLB";

    /** {@code --data DIR}, by default the shared copy next to the project. */
    static Path dataDir(Options options) {
        return Path.of(options.text("data", Files.isDirectory(Path.of("../shared/benchmarks/febrl"))
                ? "../shared/benchmarks/febrl" : "/work/shared/benchmarks/febrl"));
    }

    static Febrl4 read(Path data) throws IOException {
        return new Febrl4(FebrlCsv.read(data.resolve("dataset4a.csv")), FebrlCsv.read(data.resolve("dataset4b.csv")));
    }

    /** Every record, dataset4a first: record i's index is its place in the order sent. */
    List<FebrlRecord> all() {
        List<FebrlRecord> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The identity model estimated by EM on the records' demographics, without labels, as an operator would. */
    MatchModel estimatedModel() {
        return new ModelEstimator(MatchModel.defaults(), ModelEstimator.Options.defaults())
                .estimate(all().stream().map(r -> r.demographics(false)).toList()).model();
    }

    boolean inB(int index) {
        return index >= a.size();
    }

    /** The source identifier (facility|local id) record {@code index} was sent with. */
    String identifier(int index) {
        return inB(index) ? FACILITY_B + "|" + (index - a.size() + 1) : FACILITY_A + "|" + (index + 1);
    }

    /**
     * Each record's person as numbers, from the person ids careweave linked source identifiers to; a record without
     * a link is a person of its own.
     */
    int[] persons(Map<String, String> personByIdentifier) {
        int n = a.size() + b.size();
        int[] person = new int[n];
        Map<String, Integer> personIds = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            String personId = personByIdentifier.get(identifier(i));
            person[i] = personIds.computeIfAbsent(personId == null ? "unlinked-" + i : personId,
                    k -> personIds.size());
        }
        return person;
    }

    /** Pairs of records across the two files placed in one person, scored against FEBRL's true pairs. */
    PairScore score(int[] person) {
        List<FebrlRecord> all = all();
        int[] entity = new int[all.size()];
        boolean[] fromB = new boolean[all.size()];
        for (int i = 0; i < all.size(); i++) {
            entity[i] = all.get(i).entity();
            fromB[i] = inB(i);
        }
        return PairScore.of(person, entity, fromB, true);
    }
}
