package io.isoworker.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders of one comparison run: the checkout (for {@code ./isoworker}), the output folder, the workload modules
 * written there once (the same files for every JS runtime), the logs of the started processes, and scratch space.
 */
record Workspace(Path checkout, Path out, Path workloads, Path logs, Path scratch) {

    static Workspace create(Path checkout, Path out) throws IOException {
        Path workloads = Files.createDirectories(out.resolve("workloads"));
        for (Workload w : Workload.values()) {
            Files.writeString(workloads.resolve(w.fileName()), w.source());
        }
        Files.writeString(workloads.resolve("workerd-kv-store.js"), Workload.resource("workerd-kv-store.js"));
        Path logs = Files.createDirectories(out.resolve("logs"));
        Path scratch = Files.createTempDirectory("isoworker-compare-");
        return new Workspace(checkout, out, workloads, logs, scratch);
    }

    /** The module file of {@code workload}. */
    Path module(Workload workload) {
        return workloads.resolve(workload.fileName());
    }

    /** The log file of one started thing, e.g. {@code workerd-serve}. */
    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    /** A new empty scratch folder. */
    Path newScratchDir(String prefix) throws IOException {
        return Files.createTempDirectory(scratch, prefix);
    }
}
