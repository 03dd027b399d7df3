package org.careweave.processors.secondary;

import java.time.LocalDate;
import java.util.Locale;

/** How much of a birth date the secondary-use stream keeps: the exact date is a direct identifier in practice. */
public enum BirthPrecision {
    /** 1985. */
    YEAR,
    /** 1985-03: more useful for children's health, more identifying. */
    MONTH;

    public static BirthPrecision parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "year" -> YEAR;
            case "month" -> MONTH;
            default -> throw new IllegalArgumentException("expected year or month");
        };
    }

    /** The birth period as published: YYYY or YYYY-MM. */
    public String reduce(LocalDate birthDate) {
        return switch (this) {
            case YEAR -> String.format(Locale.ROOT, "%04d", birthDate.getYear());
            case MONTH -> String.format(Locale.ROOT, "%04d-%02d", birthDate.getYear(), birthDate.getMonthValue());
        };
    }
}
