package io.isoworker.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.isoworker.bench.AdminClient;
import io.isoworker.bench.LoopbackHttpClient;

/**
 * isoworker itself, as users run it: {@code <checkout>/isoworker serve} (GraalJS with its optimizing compiler), the
 * workloads uploaded through the admin API as scripts named after them and routed by {@code Host: NAME.localhost};
 * and {@code isoworker dev DIR} for the dev cold start.
 */
final class IsoworkerPeer extends Peer {

    private static final String TOKEN = "isoworker-compare-admin-token";

    /** The process and the traffic and admin ports of one {@code isoworker serve}. */
    private record Server(Process process, int port, int adminPort) {
    }

    private final Wrk wrk;
    private final int newScriptWarmupSeconds;

    /** {@code wrk} and {@code newScriptWarmupSeconds}: the hello traffic that warms the new-script server. */
    IsoworkerPeer(Wrk wrk, int newScriptWarmupSeconds) {
        this.wrk = wrk;
        this.newScriptWarmupSeconds = newScriptWarmupSeconds;
    }

    @Override
    String name() {
        return "isoworker";
    }

    static String host(String script) {
        return script + ".localhost";
    }

    private Server startServe(Workspace ws, Path dataDir, int port, int adminPort, String logName) throws IOException {
        Path config = ws.scratch().resolve("isoworker-empty-config.json");
        if (!Files.exists(config)) {
            // An explicit, empty config file: an isoworker.json in the working folder must not change the run.
            Files.writeString(config, "{}");
        }
        List<String> command = List.of(ws.checkout().resolve("isoworker").toString(), "serve",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--admin-port", Integer.toString(adminPort),
                "--data-dir", dataDir.toString(), "--admin-token", TOKEN, "--config", config.toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(ws.scratch().toFile());
        return new Server(ChildProcesses.start(pb, ws.log(logName)), port, adminPort);
    }

    /** Starts a serve process on a new data folder and waits until its admin API answers. */
    private Server startReadyServe(Workspace ws, String logName) throws Exception {
        return startReadyServe(ws, ws.newScratchDir("isoworker-data-"), logName);
    }

    /** Starts a serve process on {@code dataDir} and waits until its admin API answers. */
    private Server startReadyServe(Workspace ws, Path dataDir, String logName) throws Exception {
        Server s = startServe(ws, dataDir, freePort(), freePort(), logName);
        whenReady(s.process(), Map.of(), () -> FirstAnswerPoller.await(s.process(), new Target(s.adminPort(), null),
                "/v1/scripts", FirstAnswerPoller.Wanted.ANY_ANSWER, System.nanoTime(), START_TIMEOUT,
                "isoworker serve"));
        return s;
    }

    @Override
    Served serve(List<Workload> workloads, Workspace ws) throws Exception {
        Server s = startReadyServe(ws, "isoworker-serve");
        Map<Workload, Target> targets = new EnumMap<>(Workload.class);
        return whenReady(s.process(), targets, () -> {
            try (AdminClient admin = new AdminClient(s.adminPort(), TOKEN)) {
                for (Workload w : workloads) {
                    if (w == Workload.KV_READ) {
                        String ns = admin.createNamespace("compare");
                        admin.putValue(ns, Workload.KV_KEY, Workload.KV_VALUE);
                        admin.deployWithKv(w.id(), w.source(), "KV", ns);
                    } else {
                        admin.deploy(w.id(), w.source());
                    }
                    targets.put(w, new Target(s.port(), host(w.id())));
                }
            }
        });
    }

    @Override
    List<ColdStart> coldStarts(Workspace ws) {
        List<ColdStart> list = new ArrayList<>();
        list.add(serveProcessStart(ws));
        list.add(devProcessStart(ws));
        list.add(new NewScript(ws));
        return list;
    }

    /** {@code isoworker serve} on a data folder that holds the hello script: process start to its first 200. */
    private ColdStart serveProcessStart(Workspace ws) {
        return new ColdStart() {
            private Path dataDir;

            @Override
            public String what() {
                return "process start (serve) to first answer";
            }

            @Override
            public void prepare() throws Exception {
                dataDir = ws.newScratchDir("isoworker-cold-data-");
                Server s = startReadyServe(ws, dataDir, "isoworker-cold-serve-prepare");
                try (AdminClient admin = new AdminClient(s.adminPort(), TOKEN)) {
                    admin.deploy("hello", Workload.HELLO.source());
                } finally {
                    ChildProcesses.stop(s.process());
                }
            }

            @Override
            public long sampleNanos(int run) throws Exception {
                int port = freePort();
                int adminPort = freePort();
                long start = System.nanoTime();
                Server s = startServe(ws, dataDir, port, adminPort, "isoworker-cold-serve");
                try {
                    return FirstAnswerPoller.await(s.process(), new Target(port, host("hello")), "/",
                            FirstAnswerPoller.Wanted.OK, start, START_TIMEOUT, what());
                } finally {
                    ChildProcesses.stop(s.process());
                }
            }
        };
    }

    /** {@code isoworker dev DIR} on a folder with a wrangler.toml and the hello module: process start to first 200. */
    private ColdStart devProcessStart(Workspace ws) {
        return new ColdStart() {
            private Path project;

            @Override
            public String what() {
                return "process start (dev) to first answer";
            }

            @Override
            public void prepare() throws IOException {
                project = ws.newScratchDir("isoworker-dev-");
                Files.writeString(project.resolve("wrangler.toml"), "name = \"hello\"\nmain = \"worker.js\"\n");
                Files.writeString(project.resolve("worker.js"), Workload.HELLO.source());
                // One start that is not measured: the first dev start after a build makes dev's AOT cache (a training
                // run of several seconds), which no later start repeats.
                try {
                    sampleNanos(-1);
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException("the first, unmeasured dev start failed: " + e.getMessage(), e);
                }
            }

            @Override
            public long sampleNanos(int run) throws Exception {
                int port = freePort();
                List<String> command = List.of(ws.checkout().resolve("isoworker").toString(), "dev",
                        project.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1");
                long start = System.nanoTime();
                Process p = ChildProcesses.start(new ProcessBuilder(command).directory(project.toFile()),
                        ws.log("isoworker-cold-dev"));
                try {
                    return FirstAnswerPoller.await(p, new Target(port, null), "/", FirstAnswerPoller.Wanted.OK,
                            start, START_TIMEOUT, what());
                } finally {
                    ChildProcesses.stop(p);
                }
            }
        };
    }

    /**
     * isoworker's real cold start: on one long-running, warmed serve process, upload a new script (distinct name and
     * source) and GET it; upload start to the answer's last byte, and the GET alone as a second kind.
     */
    private final class NewScript implements ColdStart {
        private final Workspace ws;
        private final List<Long> getNanos = new ArrayList<>();
        private Server server;
        private AdminClient admin;
        private LoopbackHttpClient traffic;

        NewScript(Workspace ws) {
            this.ws = ws;
        }

        @Override
        public String what() {
            return "new script: upload to first answer";
        }

        @Override
        public void prepare() throws Exception {
            server = startReadyServe(ws, "isoworker-cold-new-script");
            admin = new AdminClient(server.adminPort(), TOKEN);
            traffic = new LoopbackHttpClient(server.port());
            admin.deploy("hello", Workload.HELLO.source());
            Target hello = new Target(server.port(), host("hello"));
            PeerComparison.checkAnswer(hello, Workload.HELLO);
            if (newScriptWarmupSeconds > 0) {
                // Warm the JVM as a long-running server is: traffic on an existing script, then a few unmeasured
                // uploads so the admin path is compiled too.
                wrk.run(hello, Workload.HELLO, newScriptWarmupSeconds, ws.log("isoworker-cold-new-script-wrk"));
            }
            for (int i = 0; i < 5; i++) {
                uploadAndGet("warm-" + i);
            }
            getNanos.clear();
        }

        @Override
        public long sampleNanos(int run) throws Exception {
            return uploadAndGet("cold-" + run);
        }

        private long uploadAndGet(String name) throws IOException {
            String source = "export default { fetch() { return new Response('Hello World! " + name + "'); } };";
            byte[] get = LoopbackHttpClient.get(host(name), "/");
            long start = System.nanoTime();
            admin.deploy(name, source);
            long uploaded = System.nanoTime();
            int status = traffic.exchange(get);
            long end = System.nanoTime();
            String body = traffic.bodyText();
            if (status != 200 || !body.equals("Hello World! " + name)) {
                throw new IOException("new script " + name + " answered HTTP " + status + " "
                        + FirstAnswerPoller.abbreviate(body));
            }
            getNanos.add(end - uploaded);
            return end - start;
        }

        @Override
        public Map<String, List<Long>> otherKinds() {
            return Map.of("new script: GET alone (first answer after upload)", getNanos);
        }

        @Override
        public void close() {
            if (traffic != null) {
                traffic.close();
            }
            if (admin != null) {
                admin.close();
            }
            if (server != null) {
                ChildProcesses.stop(server.process());
            }
        }
    }
}
