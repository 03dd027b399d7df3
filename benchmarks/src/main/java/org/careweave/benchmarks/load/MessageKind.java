package org.careweave.benchmarks.load;

import java.util.Random;

/**
 * The message types of the load and their share of a realistic feed, in hundredths of a percent: ADT^A08 48%,
 * A31 30%, A04 17%, ORU^R01 4%, A01 1%, and A28 and A40 the rest (taken from A08's share, which the issue rounds
 * to 48%).
 */
public enum MessageKind {
    ADT_A08("ADT^A08^ADT_A01", "A08", 4_760),
    ADT_A31("ADT^A31^ADT_A05", "A31", 3_000),
    ADT_A04("ADT^A04^ADT_A01", "A04", 1_700),
    ORU_R01("ORU^R01^ORU_R01", "R01", 400),
    ADT_A01("ADT^A01^ADT_A01", "A01", 100),
    ADT_A28("ADT^A28^ADT_A05", "A28", 30),
    ADT_A40("ADT^A40^ADT_A39", "A40", 10);

    private static final int TOTAL = 10_000;
    private static final MessageKind[] BY_DRAW = new MessageKind[TOTAL];

    static {
        int next = 0;
        for (MessageKind kind : values()) {
            for (int i = 0; i < kind.weight; i++) {
                BY_DRAW[next++] = kind;
            }
        }
        if (next != TOTAL) {
            throw new IllegalStateException("message mix weights add up to " + next + ", not " + TOTAL);
        }
    }

    private final String msh9;
    private final String trigger;
    private final int weight;

    MessageKind(String msh9, String trigger, int weight) {
        this.msh9 = msh9;
        this.trigger = trigger;
        this.weight = weight;
    }

    public String msh9() {
        return msh9;
    }

    public String trigger() {
        return trigger;
    }

    /** Share of the mix, 0–1. */
    public double share() {
        return weight / (double) TOTAL;
    }

    public static MessageKind draw(Random random) {
        return BY_DRAW[random.nextInt(TOTAL)];
    }
}
