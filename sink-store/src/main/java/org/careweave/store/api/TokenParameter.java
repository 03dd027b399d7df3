package org.careweave.store.api;

import java.util.Optional;

/**
 * A FHIR token search parameter: {@code system|value} (that system), {@code |value} (no system) or {@code value}
 * (any system).
 *
 * @param system empty when any system matches; present and empty ("") when the value must have no system
 */
public record TokenParameter(Optional<String> system, String value) {

    public static TokenParameter parse(String name, String text) {
        if (text == null || text.isBlank()) {
            throw new ApiProblem(Problem.badRequest("Parameter '" + name + "' is required, as system|value."));
        }
        int bar = text.indexOf('|');
        if (bar < 0) {
            return new TokenParameter(Optional.empty(), text.strip());
        }
        if (text.indexOf('|', bar + 1) >= 0) {
            throw new ApiProblem(Problem.badRequest("Parameter '" + name + "' has more than one '|'; expected"
                    + " system|value."));
        }
        String value = text.substring(bar + 1).strip();
        if (value.isEmpty()) {
            throw new ApiProblem(Problem.badRequest("Parameter '" + name + "' has no value after '|'."));
        }
        return new TokenParameter(Optional.of(text.substring(0, bar).strip()), value);
    }

    /** Identifiers always have a system in careweave, and a bare number could belong to any organisation. */
    public static TokenParameter parseWithSystem(String name, String text) {
        TokenParameter token = parse(name, text);
        if (token.system().isEmpty() || token.system().get().isEmpty()) {
            throw new ApiProblem(Problem.badRequest("Parameter '" + name + "' needs a system: system|value, e.g."
                    + " https://fhir.nhs.uk/Id/nhs-number|9990000018."));
        }
        return token;
    }

    /** The system to look rules up by: null when any or none was asked for. */
    public String systemOrNull() {
        return system.filter(s -> !s.isEmpty()).orElse(null);
    }
}
