package org.careweave.benchmarks.memory;

import java.util.ArrayList;
import java.util.List;

import org.careweave.benchmarks.common.ProcessCpu;

/** Peak and current resident memory of one process, from /proc/<pid>/status. */
public record ProcessMemory(long pid, String command, long peakRssMib, long rssMib) {

    static ProcessMemory of(ProcessHandle process) {
        String command = process.info().command().orElse("?");
        String args = process.info().arguments().map(a -> String.join(" ", a)).filter(a -> !a.isBlank())
                .orElseGet(() -> cmdline(process.pid()));
        return new ProcessMemory(process.pid(), describe(command, args),
                ProcessCpu.peakRssKib(process.pid()) / 1024, ProcessCpu.rssKib(process.pid()) / 1024);
    }

    /**
     * The process and all its descendants (the registry JVM), and the PostgreSQL server working on the data dir with
     * its workers: pg_ctl starts the server as a daemon, so it is not a descendant.
     */
    static List<ProcessMemory> tree(ProcessHandle root, String dataDir) {
        List<ProcessMemory> out = new ArrayList<>();
        out.add(of(root));
        root.descendants().forEach(p -> out.add(of(p)));
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dataDir)).orElse(false))
                .filter(p -> out.stream().noneMatch(m -> m.pid() == p.pid()))
                .forEach(server -> {
                    out.add(of(server));
                    server.descendants().forEach(p -> out.add(of(p)));
                });
        return out;
    }

    /** PostgreSQL's workers rewrite their command line ("postgres: checkpointer"), which ProcessHandle misses. */
    private static String cmdline(long pid) {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(pid),
                    "cmdline")), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    private static String describe(String command, String args) {
        if (command.endsWith("postgres")) {
            return args.contains("-D") ? "postgres (server)" : "postgres (" + args.replace("postgres: ", "") + ")";
        }
        if (args.contains("apicurio")) {
            return "schema registry (Apicurio, child JVM)";
        }
        if (args.contains("careweave.jar") || args.contains("careweave-memory-")) {
            return "careweave (java -jar careweave.jar up)";
        }
        return command.substring(command.lastIndexOf('/') + 1);
    }
}
