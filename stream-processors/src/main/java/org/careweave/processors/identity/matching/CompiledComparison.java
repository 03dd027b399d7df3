package org.careweave.processors.identity.matching;

import java.util.List;

/** A comparison from the model, resolved to its field, rules and weights. Immutable. */
final class CompiledComparison {

    final String name;
    final Field field;
    final String[] levelNames;
    private final LevelRule[] rules;
    private final double[] thresholds;
    final double[] weights;

    CompiledComparison(MatchModel.Comparison spec) {
        this.name = spec.name();
        this.field = Field.named(spec.field());
        List<MatchModel.Level> levels = spec.levels();
        int n = levels.size();
        levelNames = new String[n];
        rules = new LevelRule[n];
        thresholds = new double[n];
        weights = new double[n];
        for (int i = 0; i < n; i++) {
            MatchModel.Level level = levels.get(i);
            LevelRule rule = LevelRule.named(level.rule());
            if (!rule.appliesTo(field)) {
                throw new IllegalArgumentException("Rule '" + level.rule() + "' cannot compare " + spec.field()
                        + " (comparison " + name + ")");
            }
            if (rule.needsThreshold() && level.threshold() == null) {
                throw new IllegalArgumentException("Level " + name + "." + level.name() + " needs a threshold");
            }
            levelNames[i] = level.name();
            rules[i] = rule;
            thresholds[i] = level.threshold() == null ? Double.NaN : level.threshold();
            weights[i] = level.weight();
        }
    }

    int levelCount() {
        return levelNames.length;
    }

    String levelName(int level) {
        return level == ComparisonVector.MISSING ? ComparisonVector.MISSING_LEVEL : levelNames[level];
    }

    double weight(int level) {
        return level == ComparisonVector.MISSING ? 0.0 : weights[level];
    }

    /** Whether a level says the two values are one (the same, or nicknames of one name), not a close spelling. */
    boolean isOneName(int level) {
        return level != ComparisonVector.MISSING
                && (rules[level] == LevelRule.EXACT || rules[level] == LevelRule.NICKNAME);
    }

    /** The first level whose rule holds, or {@link ComparisonVector#MISSING}. */
    int level(PreparedDemographics a, PreparedDemographics b) {
        String x = a.text(field);
        String y = b.text(field);
        if (x == null || y == null) {
            return ComparisonVector.MISSING;
        }
        // Similarities are computed at most once per pair, however many levels test them.
        double jaroWinkler = Double.NaN;
        double dice = Double.NaN;
        for (int i = 0; i < rules.length; i++) {
            boolean holds = switch (rules[i]) {
                case EXACT -> x.equals(y);
                case NICKNAME -> Nicknames.areOneName(a.nicknameGroups, a.nicknameHeads, b.nicknameGroups,
                        b.nicknameHeads);
                case NAME_PART -> Text.isPartOf(a.nameParts(field), b.nameParts(field));
                case JARO_WINKLER -> {
                    if (Double.isNaN(jaroWinkler)) {
                        jaroWinkler = JaroWinkler.similarity(x, y);
                    }
                    yield jaroWinkler >= thresholds[i];
                }
                case SWAPPED_NAMES -> swapped(a, b, thresholds[i]);
                case INITIAL -> (x.length() == 1 || y.length() == 1) && x.charAt(0) == y.charAt(0);
                case DAY_MONTH_SWAPPED -> a.year == b.year && a.month == b.day && a.day == b.month;
                case ONE_EDIT -> EditDistance.withinOneEdit(x, y);
                case SAME_YEAR -> a.year == b.year;
                case YEARS_APART -> Math.abs(a.year - b.year) >= thresholds[i];
                case POSTCODE_DISTRICT -> a.postcodeDistrict != null && a.postcodeDistrict.equals(b.postcodeDistrict);
                case BIGRAM_DICE -> {
                    if (Double.isNaN(dice)) {
                        dice = Bigrams.dice(a.bigrams(field), b.bigrams(field));
                    }
                    yield dice >= thresholds[i];
                }
                case SAME_HOUSE_NUMBER -> {
                    if (a.houseNumber == null || !a.houseNumber.equals(b.houseNumber)) {
                        yield false;
                    }
                    if (Double.isNaN(dice)) {
                        dice = Bigrams.dice(a.bigrams(field), b.bigrams(field));
                    }
                    yield dice >= thresholds[i];
                }
                case ELSE -> true;
            };
            if (holds) {
                return i;
            }
        }
        return rules.length - 1;
    }

    private static boolean swapped(PreparedDemographics a, PreparedDemographics b, double threshold) {
        String givenA = a.text(Field.GIVEN_NAME);
        String familyA = a.text(Field.FAMILY_NAME);
        String givenB = b.text(Field.GIVEN_NAME);
        String familyB = b.text(Field.FAMILY_NAME);
        if (givenA == null || familyA == null || givenB == null || familyB == null) {
            return false;
        }
        return JaroWinkler.similarity(givenA, familyB) >= threshold
                && JaroWinkler.similarity(familyA, givenB) >= threshold;
    }
}
