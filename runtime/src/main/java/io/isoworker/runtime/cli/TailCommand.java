package io.isoworker.runtime.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code isoworker tail SCRIPT}: a running script's requests and cron runs, live, with their console output and
 * exceptions, as {@code wrangler tail} shows them. It starts a tail through the admin API (the filters wrangler
 * sends), reads the tail's WebSocket ({@code trace-v1} events) until the server closes it or the command is stopped,
 * and then deletes the tail.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Streams a script's requests, cron runs, console output and exceptions from a server.")
final class TailCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AdminClient admin;

    @Parameters(index = "0", paramLabel = "SCRIPT", description = "the script to tail")
    String script;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "pretty",
            description = "pretty (one line per event, then its logs) or json (each event as the server sent it)")
    String format;

    @Option(names = "--status", paramLabel = "STATUS", split = ",",
            description = "only events that ended so: ok, error, canceled (repeatable)")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--method", paramLabel = "METHOD", split = ",",
            description = "only requests with this method (repeatable)")
    List<String> methods = new ArrayList<>();

    @Option(names = "--header", paramLabel = "NAME[:VALUE]",
            description = "only requests with this header (whose value contains VALUE)")
    String header;

    @Option(names = "--ip", paramLabel = "IP", split = ",",
            description = "only requests from this client address; 'self' is this machine's (repeatable)")
    List<String> ips = new ArrayList<>();

    @Option(names = "--search", paramLabel = "TEXT",
            description = "only events whose console output, exceptions or URL contain TEXT")
    String search;

    @Option(names = "--sampling-rate", paramLabel = "RATE",
            description = "the share of events to receive, from 0 to 1")
    Double samplingRate;

    @Option(names = "--version-id", paramLabel = "ID", description = "only events of this version")
    String versionId;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("pretty") && !format.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be pretty or json");
        }
        JsonObject body = new JsonObject().put("filters", filters());
        AdminClient.Answer created = admin.send("POST", "/v1/scripts/" + AdminClient.segment(script) + "/tails",
                body.encode().getBytes(StandardCharsets.UTF_8), "application/json");
        if (!created.ok()) {
            err.println("isoworker tail: cannot start a tail of " + script + ": " + created.error());
            return 1;
        }
        JsonObject tail = created.json();
        String id = tail.getString("id");
        String url = tail.getString("url");
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        Thread cleanup = new Thread(() -> deleteQuietly(id), "isoworker-tail-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            WebSocket socket;
            try {
                socket = http.newWebSocketBuilder().subprotocols("trace-v1")
                        .buildAsync(URI.create(url), new Listener(out, err, closed)).get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                err.println("isoworker tail: cannot connect to " + url + ": " + e.getCause().getMessage());
                deleteQuietly(id);
                return 1;
            }
            socket.sendText("{\"debug\":false}", true);
            err.println("Connected to " + script + ", waiting for logs... (Ctrl-C to stop)");
            err.flush();
            int status = closed.get();
            deleteQuietly(id);
            return status;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs
            }
        }
    }

    private JsonArray filters() {
        JsonArray filters = new JsonArray();
        if (samplingRate != null) {
            if (samplingRate < 0 || samplingRate > 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sampling-rate must be from 0 to 1");
            }
            filters.add(new JsonObject().put("sampling_rate", samplingRate));
        }
        if (!statuses.isEmpty()) {
            Set<String> outcomes = new LinkedHashSet<>();
            for (String s : statuses) {
                switch (s) {
                    case "ok" -> outcomes.add("ok");
                    case "error" -> outcomes.addAll(List.of("exception", "exceededCpu", "exceededMemory", "unknown"));
                    case "canceled" -> outcomes.add("canceled");
                    default -> throw new CommandLine.ParameterException(spec.commandLine(),
                            "--status must be ok, error or canceled, not '" + s + "'");
                }
            }
            filters.add(new JsonObject().put("outcome", new JsonArray(List.copyOf(outcomes))));
        }
        if (!methods.isEmpty()) {
            filters.add(new JsonObject().put("method", new JsonArray(
                    methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList())));
        }
        if (header != null) {
            int colon = header.indexOf(':');
            JsonObject h = new JsonObject().put("key", colon < 0 ? header.strip() : header.substring(0, colon).strip());
            if (colon >= 0) {
                h.put("query", header.substring(colon + 1).strip());
            }
            filters.add(new JsonObject().put("header", h));
        }
        if (!ips.isEmpty()) {
            filters.add(new JsonObject().put("client_ip", new JsonArray(List.copyOf(ips))));
        }
        if (search != null) {
            filters.add(new JsonObject().put("query", search));
        }
        if (versionId != null) {
            filters.add(new JsonObject().put("scriptVersion", versionId));
        }
        return filters;
    }

    private void deleteQuietly(String id) {
        try {
            admin.send("DELETE", "/v1/scripts/" + AdminClient.segment(script) + "/tails/" + AdminClient.segment(id),
                    null, null);
        } catch (Exception e) {
            // the tail ends with its socket anyway
        }
    }

    /** Prints each event; completes {@code closed} with the exit status when the socket ends. */
    private final class Listener implements WebSocket.Listener {
        private final PrintWriter out;
        private final PrintWriter err;
        private final CompletableFuture<Integer> closed;
        private final StringBuilder partial = new StringBuilder();

        Listener(PrintWriter out, PrintWriter err, CompletableFuture<Integer> closed) {
            this.out = out;
            this.err = err;
            this.closed = closed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                if (format.equals("json")) {
                    out.println(message);
                } else {
                    printPretty(out, message);
                }
                out.flush();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            err.println("Tail of " + script + " closed by the server" + (reason == null || reason.isEmpty() ? ""
                    : ": " + reason));
            err.flush();
            closed.complete(0);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            err.println("isoworker tail: the connection failed: " + error.getMessage());
            err.flush();
            closed.complete(1);
        }
    }

    /** wrangler's pretty format: {@code GET https://x/y - Ok @ time}, then each log line and exception indented. */
    static void printPretty(PrintWriter out, String message) {
        JsonObject event;
        try {
            event = new JsonObject(message);
        } catch (DecodeException e) {
            out.println(message);
            return;
        }
        String outcome = event.getString("outcome", "unknown");
        String when = TIME.format(Instant.ofEpochMilli(event.getLong("eventTimestamp", 0L)));
        JsonObject e = event.getJsonObject("event", new JsonObject());
        String pretty = switch (outcome) {
            case "ok" -> "Ok";
            case "exception" -> "Exception Thrown";
            case "exceededCpu" -> "Exceeded CPU Limit";
            case "exceededMemory" -> "Exceeded Memory Limit";
            case "canceled" -> "Canceled";
            default -> outcome;
        };
        if (e.getJsonObject("request") != null) {
            JsonObject request = e.getJsonObject("request");
            out.println(request.getString("method") + " " + request.getString("url") + " - " + pretty + " @ " + when);
        } else if (e.getValue("cron") != null) {
            out.println("\"" + e.getString("cron") + "\" @ " + when + " - " + pretty);
        } else {
            out.println(pretty + " @ " + when);
        }
        for (Object l : event.getJsonArray("logs", new JsonArray())) {
            if (l instanceof JsonObject log) {
                List<String> parts = new ArrayList<>();
                for (Object m : log.getJsonArray("message", new JsonArray())) {
                    parts.add(String.valueOf(m));
                }
                out.println("  (" + log.getString("level", "log") + ") " + String.join(" ", parts));
            }
        }
        for (Object x : event.getJsonArray("exceptions", new JsonArray())) {
            if (x instanceof JsonObject ex) {
                out.println("  ✘ " + ex.getString("name", "Error") + ": " + ex.getString("message", ""));
            }
        }
    }
}
