package io.isoworker.runtime.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.isoworker.runtime.IsoworkerServer;
import picocli.CommandLine.Command;

/**
 * {@code isoworker aot-training} (hidden): the training run behind {@code dev}'s fast start. The {@code isoworker}
 * launcher runs it once per build and JDK with {@code -XX:AOTCacheOutput} and {@code dev}'s JVM flags; the JVM records
 * the classes this run loads and links (JEP 514) and writes them to an AOT cache when the process exits, and later
 * {@code dev} starts use that cache ({@code ../shared/notes/jvm-startup.md}: about 3x faster to the first answer).
 * So this does what a {@code dev} start does: reads a project with a wrangler.toml, a KV binding and
 * {@code .dev.vars}, starts the dev server, and answers requests that touch the common Web APIs and KV. Then it exits.
 */
@Command(name = "aot-training", hidden = true, mixinStandardHelpOptions = true,
        description = "The training run for dev's AOT cache (run by the isoworker launcher).")
final class AotTrainingCommand implements Callable<Integer> {

    private static final String WORKER = """
            export default {
              async fetch(request, env, ctx) {
                const url = new URL(request.url);
                const n = Number(await env.KV.get('n') ?? 0) + 1;
                await env.KV.put('n', String(n), { metadata: { at: Date.now() } });
                const body = await request.text();
                const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body + n));
                const headers = new Headers({ 'content-type': 'application/json' });
                headers.set('x-count', String(n));
                ctx.waitUntil(Promise.resolve());
                console.log('request', n, url.pathname);
                return new Response(JSON.stringify({
                  path: url.pathname, query: Object.fromEntries(url.searchParams), n,
                  secret: env.SECRET.length, greeting: env.GREETING,
                  digest: btoa(String.fromCharCode(...new Uint8Array(digest))),
                }), { headers });
              },
            };
            """;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("isoworker-aot-training");
        try {
            Files.writeString(dir.resolve("wrangler.toml"), """
                    name = "training"
                    main = "src/index.js"
                    compatibility_date = "2026-01-01"
                    [vars]
                    GREETING = "hello"
                    [[kv_namespaces]]
                    binding = "KV"
                    """);
            Files.writeString(dir.resolve(".dev.vars"), "SECRET=training\n");
            Files.createDirectories(dir.resolve("src"));
            Files.writeString(dir.resolve("src/index.js"), WORKER);
            DevProject.Loaded project = DevProject.load(dir, null);
            IsoworkerServer server = IsoworkerServer.dev(project.script(), "127.0.0.1", 0, DevCommand.ISOLATE_SETTINGS,
                    DevProject.stateDirectory(dir).resolve("kv"));
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/train?i=" + i))
                            .POST(HttpRequest.BodyPublishers.ofString("body " + i)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("training request " + i + " answered " + r.statusCode()
                                + ": " + r.body());
                    }
                }
                // one reload, as a dev session makes
                Files.writeString(dir.resolve("src/index.js"), WORKER.replace("'request'", "'reloaded request'"));
                server.replaceDevScript(DevProject.load(dir, null, project.script().scriptName()).script());
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
            } finally {
                server.close();
            }
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
