package org.careweave.processors.identity.matching;

import java.util.List;

/** A guard from the model as bit masks over each condition's comparison levels. */
final class CompiledGuard {

    final String name;
    final MatchOutcome atMost;
    private final int[] allComparisons;
    private final int[] allMasks;
    private final int[] anyComparisons;
    private final int[] anyMasks;

    CompiledGuard(MatchModel.Guard spec, List<CompiledComparison> comparisons) {
        this.name = spec.name();
        this.atMost = spec.atMost();
        allComparisons = new int[spec.allOf().size()];
        allMasks = new int[spec.allOf().size()];
        compile(spec, spec.allOf(), comparisons, allComparisons, allMasks);
        anyComparisons = new int[spec.anyOf().size()];
        anyMasks = new int[spec.anyOf().size()];
        compile(spec, spec.anyOf(), comparisons, anyComparisons, anyMasks);
    }

    boolean holds(long vector) {
        for (int i = 0; i < allComparisons.length; i++) {
            if ((allMasks[i] & (1 << ComparisonVector.level(vector, allComparisons[i]))) == 0) {
                return false;
            }
        }
        if (anyComparisons.length == 0) {
            return true;
        }
        for (int i = 0; i < anyComparisons.length; i++) {
            if ((anyMasks[i] & (1 << ComparisonVector.level(vector, anyComparisons[i]))) != 0) {
                return true;
            }
        }
        return false;
    }

    private static void compile(MatchModel.Guard spec, List<MatchModel.Condition> conditions,
                                List<CompiledComparison> comparisons, int[] indexes, int[] masks) {
        for (int c = 0; c < conditions.size(); c++) {
            MatchModel.Condition condition = conditions.get(c);
            int index = indexOf(comparisons, condition.comparison(), spec.name());
            int mask = 0;
            CompiledComparison comparison = comparisons.get(index);
            for (String level : condition.levels()) {
                mask |= 1 << levelIndex(comparison, level, spec.name());
            }
            indexes[c] = index;
            masks[c] = mask;
        }
    }

    private static int indexOf(List<CompiledComparison> comparisons, String name, String guard) {
        for (int i = 0; i < comparisons.size(); i++) {
            if (comparisons.get(i).name.equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Guard '" + guard + "' names unknown comparison '" + name + "'");
    }

    private static int levelIndex(CompiledComparison comparison, String level, String guard) {
        if (ComparisonVector.MISSING_LEVEL.equals(level)) {
            return ComparisonVector.MISSING;
        }
        for (int i = 0; i < comparison.levelCount(); i++) {
            if (comparison.levelNames[i].equals(level)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Guard '" + guard + "' names unknown level '" + level + "' of "
                + comparison.name);
    }
}
