package org.careweave.benchmarks.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Writes one benchmark's result as {@code <name>-<date>.json} (raw figures) and {@code .md} (the table). */
public final class ResultFiles {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {
    }

    public static void write(Path dir, String name, String date, Object raw, String markdown) throws IOException {
        Files.createDirectories(dir);
        Path md = dir.resolve(name + "-" + date + ".md");
        Path json = dir.resolve(name + "-" + date + ".json");
        Files.writeString(json, JSON.writeValueAsString(raw) + "\n");
        Files.writeString(md, markdown);
        System.out.print(markdown);
        System.out.println("Wrote " + md + " and " + json);
    }
}
