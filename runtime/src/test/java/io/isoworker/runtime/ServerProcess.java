package io.isoworker.runtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code isoworker serve} as a child process (the test JVM's own java and class path), for tests that kill the
 * server or need JVM options of their own, such as a small heap. Its output is kept for assertions.
 */
final class ServerProcess implements AutoCloseable {

    static final String TOKEN = "child-test-token-0123456789";
    private static final Pattern LISTENING = Pattern.compile("traffic on http://[^:]+:(\\d+)/, admin API on http://[^:]+:(\\d+)/");

    final Process process;
    final int port;
    final int adminPort;
    private final StringBuffer output;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ServerProcess(Process process, int port, int adminPort, StringBuffer output) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.output = output;
    }

    /**
     * Starts a server on {@code data} with the JVM options {@code jvm} and the server flags {@code flags} (pairs such
     * as "--cpu-ms", "1000", after the defaults), and waits until it listens.
     */
    static ServerProcess start(Path data, List<String> jvm, String... flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dpolyglot.engine.WarnInterpreterOnly=false"));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.isoworker.runtime.cli.Main", "serve",
                "--host", "127.0.0.1", "--port", "0", "--admin-port", "0", "--data-dir", data.toString(),
                "--admin-token", TOKEN, "--prewarmed-contexts", "1"));
        command.addAll(List.of(flags));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuffer seen = new StringBuffer();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        String more;
                        while ((more = out.readLine()) != null) {
                            seen.append(more).append('\n');
                        }
                    } catch (java.io.IOException ignored) {
                        // the process died
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new ServerProcess(p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), seen);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the server never said where it listens: " + seen);
    }

    /** Everything the server printed so far. */
    String output() {
        return output.toString();
    }

    HttpResponse<String> admin(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            r.header("content-type", contentType);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads one ES module as script {@code name}. */
    HttpResponse<String> deploy(String name, String source) throws Exception {
        TestServer.Multipart upload = new TestServer.Multipart()
                .metadata(new io.vertx.core.json.JsonObject().put("main_module", "worker.js"))
                .module("worker.js", "application/javascript+module", source);
        return admin("PUT", "/v1/scripts/" + name, upload.contentType(), upload.bytes());
    }

    HttpResponse<String> get(String host, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("host", host)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        http.close();
    }
}
