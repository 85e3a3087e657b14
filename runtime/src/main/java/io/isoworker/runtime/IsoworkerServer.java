package io.isoworker.runtime;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.isolate.IsolatePool;
import io.isoworker.kv.KvSettings;
import io.isoworker.kv.KvStore;
import io.isoworker.runtime.admin.AdminApi;
import io.isoworker.runtime.config.ServerConfig;
import io.isoworker.runtime.cron.CronSchedule;
import io.isoworker.runtime.cron.CronTriggers;
import io.isoworker.runtime.cron.DevRoutes;
import io.isoworker.runtime.fetch.FetchSettings;
import io.isoworker.runtime.fetch.VertxOutboundHttp;
import io.isoworker.runtime.scripts.ScriptRegistry;
import io.isoworker.runtime.scripts.ScriptStore;
import io.isoworker.runtime.scripts.ScriptVersion;
import io.isoworker.runtime.traffic.EdgeSettings;
import io.isoworker.runtime.traffic.ListenerSettings;
import io.isoworker.runtime.traffic.ScriptConcurrency;
import io.isoworker.runtime.observe.TailSessions;
import io.isoworker.runtime.observe.Telemetry;
import io.isoworker.runtime.observe.WorkerMetrics;
import io.isoworker.runtime.traffic.ScriptRouter;
import io.isoworker.runtime.traffic.TrafficHandler;
import io.isoworker.runtime.traffic.BodyLimits;
import io.isoworker.runtime.traffic.LimitCooloff;
import io.isoworker.runtime.traffic.TrafficVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * A running isoworker: the isolate pool, the deployed scripts, one traffic listener per event loop, and (in serve
 * mode) the admin API on its own listener. The engine is warmed up before any listener opens.
 */
public final class IsoworkerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IsoworkerServer.class);

    static {
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    }

    /** A cron run's wall-clock limit in dev: Workers' 15 minutes. */
    private static final java.time.Duration DEV_CRON_TIMEOUT = java.time.Duration.ofMinutes(15);

    private final Vertx vertx;
    private final IsolatePool isolates;
    private final ScriptRegistry scripts;
    private final int port;
    private final int adminPort;
    private final AdminToken token;
    private final KvStore kv;
    /** The cron triggers (serve: the schedules set through the admin API; dev: the project's). */
    private CronTriggers cron;

    private IsoworkerServer(Vertx vertx, IsolatePool isolates, ScriptRegistry scripts, KvStore kv, int port,
            int adminPort, AdminToken token) {
        this.vertx = vertx;
        this.kv = kv;
        this.isolates = isolates;
        this.scripts = scripts;
        this.port = port;
        this.adminPort = adminPort;
        this.token = token;
    }

    /** Starts the multi-tenant server ({@code isoworker serve}). */
    public static IsoworkerServer serve(ServerConfig config) throws Exception {
        Files.createDirectories(config.dataDir());
        ownerOnly(config.dataDir());
        AdminToken token = AdminToken.resolve(config.adminToken(), config.dataDir());
        ScriptRegistry scripts = new ScriptRegistry(new ScriptStore(config.dataDir()));
        scripts.load();
        ScriptRouter router = ScriptRouter.of(config.routes(), config.baseDomain());
        KvStore kv = KvStore.open(config.kv());
        WorkerMetrics metrics = new WorkerMetrics();
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(config.eventLoops())
                        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
                .build();
        VertxOutboundHttp outbound = new VertxOutboundHttp(vertx, config.fetch());
        IsolatePool isolates = new IsolatePool(config.isolates(), outbound, kv);
        if (!isolates.engine().optimizing()) {
            LOG.warn("**************************************************************************************");
            LOG.warn("GraalJS runs WITHOUT its optimizing compiler ({}): JavaScript is interpreted and several",
                    isolates.engine().implementationName());
            LOG.warn("times slower. Start with ./isoworker serve (it passes the JVMCI flags and target/jit).");
            LOG.warn("**************************************************************************************");
        }
        try {
            // With the optimizing compiler, enough runs for the JIT to start on the hot paths; interpreted (tests), a
            // couple for the host classes and the prelude's first-use work.
            isolates.warmUp(isolates.engine().optimizing() ? 20 : 2);
            metrics.watchIsolates(isolates::liveIsolatesPerScript);
            Telemetry telemetry = new Telemetry(metrics, new TailSessions(vertx));
            int port = startTraffic(vertx, config.host(), config.port(), config.eventLoops(), router, scripts, isolates,
                    new BodyLimits(config.maxRequestBody(), config.maxResponseBody()), config.edge(),
                    new ScriptConcurrency(config.maxConcurrentRequests()), config.listeners(), telemetry, null);
            CronTriggers triggers = new CronTriggers(isolates, scripts::activeBundle, scripts::allSchedules,
                    Clock.systemUTC(), telemetry, config.cronTimeout());
            AdminApi admin = new AdminApi(vertx, scripts, isolates, kv, token.value(), config.maxScriptSize(),
                    telemetry);
            // the tail socket: wrangler offers trace-v1 and wants it echoed, and masks its first frame not
            HttpServer adminServer = config.listeners().createServer(vertx, new HttpServerOptions()
                    .setWebSocketSubProtocols(List.of("trace-v1")).setAcceptUnmaskedFrames(true));
            adminServer.requestHandler(admin.router());
            int adminPort = adminServer.listen(config.adminPort(), config.adminHost())
                    .await(30, TimeUnit.SECONDS).actualPort();
            outbound.egress().ownListeners(java.util.Set.copyOf(List.of(port, adminPort)));
            LOG.info("isoworker serving {} script(s): traffic on {}:{}, admin API on {}:{}, data in {}",
                    scripts.list().size(), config.host(), port, config.adminHost(), adminPort,
                    config.dataDir().toAbsolutePath());
            IsoworkerServer server = new IsoworkerServer(vertx, isolates, scripts, kv, port, adminPort, token);
            server.cron = triggers.start();
            return server;
        } catch (Exception e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            isolates.close();
            kv.close();
            throw e;
        }
    }

    /**
     * Serves one script on every Host, with no admin API ({@code isoworker dev}). Its KV bindings get local
     * namespaces in {@code kvDirectory}, made on first use and kept across restarts.
     */
    public static IsoworkerServer dev(ScriptVersion script, String host, int port,
            io.isoworker.isolate.IsolateSettings settings, java.nio.file.Path kvDirectory) throws Exception {
        return dev(script, host, port, settings, kvDirectory, List.of(), Clock.systemUTC());
    }

    /**
     * {@link #dev(ScriptVersion, String, int, io.isoworker.isolate.IsolateSettings, java.nio.file.Path)} with the
     * script's cron triggers, run on {@code clock}'s minutes; {@code /__scheduled?cron=...} fires one by hand.
     */
    public static IsoworkerServer dev(ScriptVersion script, String host, int port,
            io.isoworker.isolate.IsolateSettings settings, java.nio.file.Path kvDirectory, List<CronSchedule> crons,
            Clock clock) throws Exception {
        ScriptRegistry scripts = new ScriptRegistry(null);
        KvStore kv = KvStore.open(KvSettings.defaults(kvDirectory));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        IsolatePool isolates = new IsolatePool(settings, new VertxOutboundHttp(vertx, FetchSettings.dev()), kv);
        try {
            for (String id : script.bundle().kvNamespaceIds()) {
                kv.namespaceOrCreate(id).get(30, TimeUnit.SECONDS);
            }
            isolates.validate(script.bundle());
            scripts.putEphemeral(script);
            Telemetry telemetry = new Telemetry(null, null);
            scripts.setSchedules(script.scriptName(), crons);
            CronTriggers triggers = new CronTriggers(isolates, scripts::activeBundle, scripts::allSchedules, clock,
                    telemetry, DEV_CRON_TIMEOUT);
            int bound;
            try {
                bound = startTraffic(vertx, host, port, 1, ScriptRouter.single(script.scriptName()), scripts,
                        isolates, new BodyLimits(100L * 1024 * 1024, 0), EdgeSettings.DEFAULT,
                        new ScriptConcurrency(0), ListenerSettings.DEFAULT, telemetry,
                        new DevRoutes(triggers, script.scriptName(), clock));
            } catch (Exception e) {
                triggers.close();
                throw e;
            }
            IsoworkerServer server = new IsoworkerServer(vertx, isolates, scripts, kv, bound, -1, null);
            server.cron = triggers.start();
            return server;
        } catch (Exception e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            isolates.close();
            kv.close();
            throw e;
        }
    }

    /**
     * {@code isoworker dev}'s reload: validates {@code next} (a new version of the script being served, under the
     * same name) and makes it the one served; isolates of the previous version finish their requests and close. KV
     * namespaces are the same store, so their data stays. When {@code next} does not load, nothing changes.
     * Blocks for up to the startup limit: do not call on an event loop.
     */
    public void replaceDevScript(ScriptVersion next) throws Exception {
        replaceDevScript(next, scripts.schedules(next.scriptName()));
    }

    /** {@link #replaceDevScript(ScriptVersion)}, with the new version's cron triggers. */
    public void replaceDevScript(ScriptVersion next, List<CronSchedule> crons) throws Exception {
        ScriptVersion previous = scripts.get(next.scriptName()).map(ScriptRegistry.Script::active)
                .orElseThrow(() -> new IllegalArgumentException("dev serves no script named " + next.scriptName()));
        for (String id : next.bundle().kvNamespaceIds()) {
            kv.namespaceOrCreate(id).get(30, TimeUnit.SECONDS);
        }
        isolates.validate(next.bundle());
        scripts.putEphemeral(next);
        isolates.retireVersion(previous.id());
        scripts.setSchedules(next.scriptName(), crons);
    }

    /** The cron triggers. */
    public CronTriggers cronTriggers() {
        return cron;
    }

    /** @param devRoutes dev's own paths ({@code /__scheduled}), tried before the worker; null for serve */
    private static int startTraffic(Vertx vertx, String host, int port, int loops, ScriptRouter router,
            ScriptRegistry scripts, IsolatePool isolates, BodyLimits bodies, EdgeSettings edge,
            ScriptConcurrency concurrency, ListenerSettings listener, Telemetry telemetry, DevRoutes devRoutes)
            throws Exception {
        LimitCooloff cooloff = new LimitCooloff();
        TrafficVerticle.HandlerFactory handlers = context -> {
            TrafficHandler worker = new TrafficHandler(router, scripts, isolates, bodies, edge, concurrency, cooloff,
                    telemetry, context);
            return devRoutes == null ? worker : req -> {
                if (!devRoutes.handle(req)) {
                    worker.handle(req);
                }
            };
        };
        List<TrafficVerticle> verticles = new CopyOnWriteArrayList<>();
        // One instance per event loop; instances listening on the same host and port share one socket. For "any free
        // port", Vert.x shares a random port among servers asking for the same negative port.
        int requested = port == 0 ? -1 : port;
        vertx.deployVerticle(() -> {
            TrafficVerticle v = new TrafficVerticle(host, requested, handlers, listener);
            verticles.add(v);
            return v;
        }, new DeploymentOptions().setInstances(loops)).await(30, TimeUnit.SECONDS);
        int bound = verticles.get(0).actualPort();
        for (TrafficVerticle v : verticles) {
            if (v.actualPort() != bound) {
                throw new IllegalStateException("traffic listeners bound different ports: " + bound + ", " + v.actualPort());
            }
        }
        return bound;
    }

    /** The data directory holds secrets: rwx------ where the file system has POSIX modes. */
    private static void ownerOnly(java.nio.file.Path dir) {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException | java.io.IOException e) {
            LOG.warn("could not restrict {} to its owner: {}", dir, e.toString());
        }
    }

    /** The traffic port actually bound. */
    public int port() {
        return port;
    }

    /** The admin port actually bound, or -1 in dev mode. */
    public int adminPort() {
        return adminPort;
    }

    public AdminToken adminToken() {
        return token;
    }

    public IsolatePool isolates() {
        return isolates;
    }

    public KvStore kv() {
        return kv;
    }

    public ScriptRegistry scripts() {
        return scripts;
    }

    @Override
    public void close() {
        if (cron != null) {
            cron.close();
        }
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing Vert.x", e);
        }
        isolates.close();
        kv.close();
    }
}
