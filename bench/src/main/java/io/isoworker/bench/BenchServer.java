package io.isoworker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.isolate.IsolatePool;
import io.isoworker.runtime.IsoworkerServer;
import io.isoworker.runtime.config.ServerConfig;

/**
 * A real isoworker server started in the benchmark's JVM, as {@code isoworker serve} starts it: traffic and admin
 * listeners on free loopback ports, one event loop unless a flag says otherwise, scripts kept in a temporary data
 * folder that {@link #close} deletes. Scripts are uploaded through the admin HTTP API, like a user would.
 */
final class BenchServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BenchServer.class);

    /** The admin token of every benchmark server (they listen on loopback only). */
    static final String ADMIN_TOKEN = "isoworker-bench-admin-token";

    /** Set this system property to {@code true} to benchmark with GraalJS interpreted (numbers not comparable). */
    static final String ALLOW_INTERPRETED = "isoworker.bench.allowInterpreted";

    private final Path tempDir;
    private final ServerConfig config;
    private final IsoworkerServer server;
    private final AdminClient admin;

    private BenchServer(Path tempDir, ServerConfig config, IsoworkerServer server, AdminClient admin) {
        this.tempDir = tempDir;
        this.config = config;
        this.server = server;
        this.admin = admin;
    }

    /**
     * Starts a server with {@code prewarmedContexts} blank contexts kept ready. Fails when GraalJS runs without its
     * optimizing compiler, unless the system property {@value #ALLOW_INTERPRETED} is {@code true}.
     */
    static BenchServer start(int prewarmedContexts) throws Exception {
        return start(Map.of("prewarmed-contexts", Integer.toString(prewarmedContexts)));
    }

    /**
     * Starts a server with the benchmark's flags (loopback, free ports, one event loop, a temporary data folder) and
     * {@code extraFlags} (server flag names without the dashes) over them, e.g. {@code "event-loops", "0"} for one
     * event loop per core. Fails when GraalJS runs interpreted, as {@link #start(int)} does.
     */
    static BenchServer start(Map<String, String> extraFlags) throws Exception {
        Path dir = Files.createTempDirectory("isoworker-bench-");
        IsoworkerServer server = null;
        try {
            // An explicit, empty config file: an isoworker.json in the working folder must not change the benchmark.
            Path configFile = dir.resolve("bench-config.json");
            Files.writeString(configFile, "{}");
            Path dataDir = dir.resolve("data");
            Map<String, List<String>> flags = new java.util.HashMap<>(Map.of(
                    "config", List.of(configFile.toString()),
                    "host", List.of("127.0.0.1"),
                    "port", List.of("0"),
                    "admin-port", List.of("0"),
                    "data-dir", List.of(dataDir.toString()),
                    "event-loops", List.of("1"),
                    "admin-token", List.of(ADMIN_TOKEN)));
            // -Disoworker.bench.NAME=VALUE (through BENCH_JVM_OPTS) sets the server's setting NAME, for A/B runs.
            for (String name : List.of("memory-mb", "guest-threads", "guest-threads-per-script", "event-loops")) {
                String value = System.getProperty("isoworker.bench." + name);
                if (value != null) {
                    flags.put(name, List.of(value));
                }
            }
            extraFlags.forEach((name, value) -> flags.put(name, List.of(value)));
            ServerConfig config = ServerConfig.load(flags, Map.of());
            server = IsoworkerServer.serve(config);
            IsolatePool isolates = server.isolates();
            LOG.info("benchmark server: GraalJS engine '{}' {} (optimizing compiler: {}), JVM {} {}, traffic port {}, "
                    + "admin port {}, {} event loop(s), {} pre-warmed contexts", isolates.engine().implementationName(),
                    isolates.engine().version(), isolates.engine().optimizing(), System.getProperty("java.vm.name"),
                    System.getProperty("java.runtime.version"), server.port(), server.adminPort(), config.eventLoops(),
                    config.isolates().prewarmedContexts());
            if (!isolates.engine().optimizing() && !Boolean.getBoolean(ALLOW_INTERPRETED)) {
                throw new IllegalStateException("GraalJS runs interpreted ('" + isolates.engine().implementationName()
                        + "'): run the benchmarks with bench/run or bench/neighbours, which pass the JVMCI flags and "
                        + "runtime/target/jit "
                        + "(or set -D" + ALLOW_INTERPRETED + "=true to measure the interpreter on purpose)");
            }
            AdminClient admin = new AdminClient(server.adminPort(), ADMIN_TOKEN);
            return new BenchServer(dir, config, server, admin);
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
            }
            BenchFiles.deleteTree(dir);
            throw e;
        }
    }

    /** The settings the server was started with. */
    ServerConfig config() {
        return config;
    }

    IsoworkerServer server() {
        return server;
    }

    IsolatePool isolates() {
        return server.isolates();
    }

    /** A new keep-alive connection to the traffic listener. */
    LoopbackHttpClient connect() throws IOException {
        return new LoopbackHttpClient(server.port());
    }

    /** The Host header that routes to script {@code name} (base domain {@code localhost}). */
    static String host(String name) {
        return name + ".localhost";
    }

    /**
     * Uploads {@code source} as the new active version of script {@code name} (module syntax), through the admin API.
     *
     * @return the new version's id
     */
    String deploy(String name, String source) throws IOException {
        return admin.deploy(name, source);
    }

    /** Creates a KV namespace through the admin API; its id. */
    String createNamespace(String title) throws IOException {
        return admin.createNamespace(title);
    }

    /** Writes one KV value through the admin API. */
    void putValue(String namespaceId, String key, String value) throws IOException {
        admin.putValue(namespaceId, key, value);
    }

    /** Uploads a module-syntax script with one KV binding {@code binding} to namespace {@code namespaceId}. */
    String deployWithKv(String name, String source, String binding, String namespaceId) throws IOException {
        return admin.deployWithKv(name, source, binding, namespaceId);
    }

    @Override
    public void close() {
        admin.close();
        try {
            server.close();
        } finally {
            BenchFiles.deleteTree(tempDir);
        }
    }
}
