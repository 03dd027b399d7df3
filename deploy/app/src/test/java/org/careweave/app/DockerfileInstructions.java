package org.careweave.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Dockerfile read as its instructions, enough to check what the tests need: stages, ENV, EXPOSE, USER,
 * HEALTHCHECK, ENTRYPOINT and CMD. Continuation lines are joined and comments dropped, as Docker does.
 */
record DockerfileInstructions(List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"([^\"]*)\"|(\\S*))");

    static DockerfileInstructions read(Path file) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : DeploymentFiles.read(file).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && logical.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String text = logical.toString().strip();
            logical.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT),
                    text.substring(space + 1).strip()));
        }
        return new DockerfileInstructions(instructions);
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The instructions of the last stage: what the runtime image is made of. */
    DockerfileInstructions finalStage() {
        int lastFrom = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                lastFrom = i;
            }
        }
        return new DockerfileInstructions(instructions.subList(lastFrom, instructions.size()));
    }

    /** Every ENV of this stage, in order. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String arguments : all("ENV")) {
            Matcher pair = ENV_PAIR.matcher(arguments);
            while (pair.find()) {
                env.put(pair.group(1), pair.group(3) != null ? pair.group(3) : pair.group(4));
            }
        }
        return env;
    }

    /** ENTRYPOINT or CMD in exec form (a JSON array), as its words. */
    List<String> execForm(String keyword) {
        List<String> values = all(keyword);
        if (values.isEmpty()) {
            return List.of();
        }
        try {
            JsonNode array = new ObjectMapper().readTree(values.get(values.size() - 1));
            List<String> words = new ArrayList<>();
            array.forEach(word -> words.add(word.asText()));
            return words;
        } catch (Exception e) {
            throw new AssertionError(keyword + " must use the exec form [\"...\"], so that signals reach java", e);
        }
    }
}
