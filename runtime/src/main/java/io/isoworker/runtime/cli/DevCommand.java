package io.isoworker.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.isoworker.isolate.IsolateSettings;
import io.isoworker.isolate.ScriptLoadException;
import io.isoworker.runtime.IsoworkerServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code isoworker dev [FILE-OR-FOLDER]}: serves one worker on every Host, as {@code wrangler dev} does, with its
 * wrangler configuration, {@code .dev.vars} secrets and local KV namespaces (kept in the project's
 * {@code .isoworker/}), and reloads it when a file of the project changes ({@link DevReloader}).
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Serves one worker on http://127.0.0.1:8787 for any Host, reloading it when a project file "
                + "changes (KV data is kept).",
                "A folder's entry point is main from its wrangler.json, wrangler.jsonc or wrangler.toml, else the "
                + "first of: index.js, index.mjs, src/index.js, src/index.mjs, worker.js, src/worker.js, index.ts, "
                + "src/index.ts, worker.ts, src/worker.ts.",
                "TypeScript, JSX and projects importing npm packages are bundled with esbuild (installed from the npm "
                + "registry on first use; needs Node.js and npm), with source maps for stack traces."})
final class DevCommand implements Callable<Integer> {

    /**
     * dev's isolates: one guest thread, so one isolate holds the worker's module state, as under wrangler dev; a
     * generous CPU limit, as dev runs JavaScript interpreted (it still stops a runaway loop). limits.cpu_ms is for
     * serve. The AOT training run uses the same, so that the cache covers what dev does.
     */
    static final IsolateSettings ISOLATE_SETTINGS = IsolateSettings.DEFAULTS.withPrewarmedContexts(2)
            .withGuestThreads(1, 1).withRequestCpuLimit(Duration.ofSeconds(30));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE-OR-FOLDER", defaultValue = ".",
            description = "the worker's file, or its project folder (default: the current folder)")
    Path path;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8787",
            description = "port to listen on (0: any free port; default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = {"--ip", "--host"}, paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME",
            description = "the [env.NAME] section of the wrangler configuration to use, and .dev.vars.NAME")
    String env;

    @Option(names = "--no-reload", description = "do not watch the project's files")
    boolean noReload;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be a port number, got: "
                    + port);
        }
        DevProject.Loaded project = DevProject.load(path, env);
        for (String warning : project.config().warnings()) {
            err.println("isoworker dev: warning: " + warning);
        }
        if (project.bundle() != null) {
            out.println("isoworker dev: " + project.bundleSummary());
            if (!project.bundle().warnings().isEmpty()) {
                err.println("isoworker dev: esbuild warned:\n" + project.bundle().warnings());
            }
        }
        IsoworkerServer server;
        try {
            server = IsoworkerServer.dev(project.script(), host, port, ISOLATE_SETTINGS,
                    DevProject.stateDirectory(path).resolve("kv"), project.config().cronSchedules(), Clock.systemUTC());
        } catch (ScriptLoadException e) {
            // with the place (mapped back to the author's file for a bundle), as a reload reports it
            err.println("isoworker dev: " + (e.module() == null ? "" : e.module() + (e.line() > 0 ? ":" + e.line()
                    : "") + ": ") + e.getMessage());
            return 1;
        }
        DevReloader reloader = noReload ? null
                : DevReloader.start(path, env, project.script().scriptName(), server, out, err);
        out.println("isoworker dev: serving " + path + " (" + project.script().mainModule() + ", "
                + project.script().format() + (env == null ? "" : ", env " + env) + ") as "
                + project.script().scriptName());
        if (!project.config().crons().isEmpty()) {
            out.println("isoworker dev: cron triggers " + project.config().crons() + " run on schedule (UTC); "
                    + "http://" + host + ":" + server.port() + "/__scheduled?cron=... runs one now");
        }
        out.println("Ready on http://" + host + ":" + server.port() + "/");
        out.flush();
        Main.awaitShutdown(() -> {
            if (reloader != null) {
                reloader.close();
            }
            server.close();
        });
        return 0;
    }
}
