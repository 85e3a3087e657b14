package io.isoworker.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vertx-plain}: {@link VertxPlainServer} in its own JVM (this JDK 25, plain flags, the bench classpath).
 * Serves hello and json-api on one port; no KV.
 */
final class VertxPlainPeer extends Peer {

    @Override
    String name() {
        return "vertx-plain";
    }

    @Override
    String unsupported(Workload workload) {
        return workload == Workload.KV_READ ? "skipped: a plain HTTP server has no KV" : null;
    }

    @Override
    String loadNote() {
        return "Java, no JS: one verticle per core";
    }

    private static Process start(Workspace ws, int port, String logName) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Dlogback.configurationFile=isoworker-bench-logback.xml",
                "-cp", System.getProperty("java.class.path"), VertxPlainServer.class.getName(),
                "--port", Integer.toString(port));
        return ChildProcesses.start(command, ws.log(logName));
    }

    @Override
    Served serve(List<Workload> workloads, Workspace ws) throws Exception {
        int port = freePort();
        Process p = start(ws, port, "vertx-plain");
        Map<Workload, Target> targets = new EnumMap<>(Workload.class);
        workloads.forEach(w -> targets.put(w, new Target(port, null)));
        return whenReady(p, targets, () -> FirstAnswerPoller.await(p, new Target(port, null), "/",
                FirstAnswerPoller.Wanted.OK, System.nanoTime(), START_TIMEOUT, "vertx-plain"));
    }

    @Override
    List<ColdStart> coldStarts(Workspace ws) {
        return List.of(processStart("process start to first answer",
                (port, run) -> start(ws, port, "vertx-plain-cold")));
    }
}
