package io.isoworker.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code deno} (npm package {@code deno}): {@code deno serve --port P --host 127.0.0.1 FILE}, the same module file as
 * the other JS runtimes. One process per workload (deno serve serves one module); no KV.
 */
final class DenoPeer extends Peer {

    private final Path binary;

    DenoPeer(Path binary) {
        this.binary = binary;
    }

    @Override
    String name() {
        return "deno";
    }

    @Override
    String unsupported(Workload workload) {
        return workload == Workload.KV_READ ? "skipped: Deno has no Workers KV binding" : null;
    }

    @Override
    String loadNote() {
        return "deno serve without --parallel (one JS thread)";
    }

    @Override
    boolean processPerWorkload() {
        return true;
    }

    private Process start(Workspace ws, Path module, int port, String logName) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "serve", "--port", Integer.toString(port),
                "--host", "127.0.0.1", module.toString()).directory(ws.workloads().toFile());
        pb.environment().put("DENO_NO_UPDATE_CHECK", "1");
        pb.environment().put("NO_COLOR", "1");
        return ChildProcesses.start(pb, ws.log(logName));
    }

    @Override
    Served serve(List<Workload> workloads, Workspace ws) throws Exception {
        if (workloads.size() != 1) {
            throw new IllegalArgumentException("deno serves one workload per process");
        }
        Workload w = workloads.getFirst();
        int port = freePort();
        Process p = start(ws, ws.module(w), port, "deno-" + w.id());
        Target target = new Target(port, null);
        return whenReady(p, Map.of(w, target), () -> FirstAnswerPoller.await(p, target, w.path(),
                FirstAnswerPoller.Wanted.ANY_ANSWER, System.nanoTime(), START_TIMEOUT, "deno"));
    }

    @Override
    List<ColdStart> coldStarts(Workspace ws) {
        return List.of(processStart("process start to first answer",
                (port, run) -> start(ws, ws.module(Workload.HELLO), port, "deno-cold")));
    }
}
