package io.isoworker.runtime.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.isoworker.isolate.IsolateSettings;
import io.isoworker.runtime.IsoworkerServer;
import io.isoworker.runtime.config.ServerConfig;
import io.isoworker.runtime.scripts.ScriptVersion;

/**
 * The {@code isoworker} command line. This is the one place that writes to the terminal: what the user must see
 * (where the server listens, a newly generated admin token, usage errors). Everything else goes through the logger.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs a command. Returns an exit status; a server command blocks until the process is stopped. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        try {
            return switch (command) {
                case "dev" -> dev(rest, out, err);
                case "serve" -> serve(rest, out, err);
                default -> {
                    err.println("isoworker: unknown command '" + command + "'");
                    usage(err);
                    yield 2;
                }
            };
        } catch (ServerConfig.ConfigException | UsageException e) {
            err.println("isoworker " + command + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("isoworker " + command + ": " + e.getMessage());
            return 1;
        }
    }

    private static int dev(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        parse(args, flags, positional);
        if (flags.containsKey("help")) {
            out.println("Usage: isoworker dev [FILE-OR-FOLDER] [--port 8787] [--host 127.0.0.1]");
            out.println("Serves one worker on every Host. A folder's entry point is the first of "
                    + String.join(", ", DevProject.ENTRY_POINTS) + ".");
            return 0;
        }
        for (String k : flags.keySet()) {
            if (!k.equals("port") && !k.equals("host")) {
                throw new UsageException("unknown option --" + k + " (dev takes --port and --host)");
            }
        }
        if (positional.size() > 1) {
            throw new UsageException("dev serves one worker; got " + positional);
        }
        Path path = Path.of(positional.isEmpty() ? "." : positional.get(0));
        int port = intFlag(flags, "port", 8787);
        String host = flags.containsKey("host") ? last(flags.get("host")) : "127.0.0.1";
        ScriptVersion script = DevProject.load(path);
        // One guest thread, so one isolate holds the worker's module state, as under wrangler dev; a generous CPU
        // limit, as dev runs JavaScript interpreted (it still stops a runaway loop).
        IsolateSettings settings = IsolateSettings.DEFAULTS.withPrewarmedContexts(2).withGuestThreads(1, 1)
                .withRequestCpuLimit(Duration.ofSeconds(30));
        IsoworkerServer server = IsoworkerServer.dev(script, host, port, settings,
                DevProject.stateDirectory(path).resolve("kv"));
        out.println("isoworker dev: serving " + path + " (" + script.mainModule() + ", " + script.format() + ")");
        out.println("Ready on http://" + host + ":" + server.port() + "/");
        out.flush();
        awaitShutdown(server);
        return 0;
    }

    private static int serve(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        parse(args, flags, positional);
        if (flags.containsKey("help")) {
            out.println("Usage: isoworker serve [--NAME VALUE ...]");
            out.println("Each setting is also read from the environment (ISOWORKER_NAME) and the JSON config file.");
            ServerConfig.SETTINGS.forEach((name, d) -> out.printf("  --%-22s %s (default: %s)%n", name, d[1],
                    d[0].isEmpty() ? "none" : d[0]));
            return 0;
        }
        if (!positional.isEmpty()) {
            throw new UsageException("serve takes no arguments besides options; got " + positional);
        }
        ServerConfig config = ServerConfig.load(flags, System.getenv());
        IsoworkerServer server = IsoworkerServer.serve(config);
        if (server.adminToken().generated()) {
            out.println("Generated the admin API token (stored in " + server.adminToken().file()
                    + ", readable by you only; shown only now):");
            out.println("  " + server.adminToken().value());
        }
        out.println("isoworker serve: traffic on http://" + config.host() + ":" + server.port()
                + "/, admin API on http://" + config.adminHost() + ":" + server.adminPort() + "/v1/");
        out.flush();
        awaitShutdown(server);
        return 0;
    }

    private static void awaitShutdown(IsoworkerServer server) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "isoworker-shutdown"));
        stopped.await();
    }

    /** {@code --name value}, {@code --name=value}; a flag followed by another flag or nothing means "true". */
    static void parse(List<String> args, Map<String, List<String>> flags, List<String> positional) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                } else {
                    value = "true";
                }
                flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                positional.add(a);
            }
        }
    }

    private static int intFlag(Map<String, List<String>> flags, String name, int fallback) {
        if (!flags.containsKey(name)) {
            return fallback;
        }
        String v = last(flags.get(name));
        try {
            int n = Integer.parseInt(v);
            if (n < 0 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a port number, got: " + v);
        }
    }

    private static String last(List<String> values) {
        return values.get(values.size() - 1);
    }

    private static void usage(PrintStream s) {
        s.println("Usage: isoworker COMMAND [OPTIONS]");
        s.println();
        s.println("Commands:");
        s.println("  dev [FILE-OR-FOLDER]   serve one worker on http://127.0.0.1:8787 for any Host (fast start)");
        s.println("  serve                  run the multi-tenant server with its admin API");
        s.println("  help                   show this text; COMMAND --help shows a command's options");
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
