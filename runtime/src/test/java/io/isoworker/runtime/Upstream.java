package io.isoworker.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.vertx.core.json.JsonObject;

/**
 * An origin server on loopback for fetch tests (JDK HttpServer). Endpoints:
 * <ul>
 * <li>{@code /echo}: JSON of the method, body, headers and whether the body came chunked.</li>
 * <li>{@code /bytes?n=N}: N bytes (byte i is i % 251), chunked, in 64 KiB writes.</li>
 * <li>{@code /gate?n=N}: like bytes, but after the first half it waits until {@code /release} is called.</li>
 * <li>{@code /redirect?status=S&to=URL}: status S with that Location.</li>
 * <li>{@code /loop?n=K}: a 302 to {@code /loop?n=K+1}, forever.</li>
 * <li>{@code /gzip}, {@code /deflate}: an encoded text body.</li>
 * <li>{@code /stall}: the head and one chunk, then nothing for 20 s.</li>
 * <li>{@code /slow}: no answer for 20 s.</li>
 * </ul>
 */
final class Upstream implements AutoCloseable {

    static final String ENCODED_TEXT = "hello encoded world ".repeat(200);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Semaphore gate = new Semaphore(0);
    /** How many /bytes and /gate answers the client broke off. */
    final java.util.concurrent.atomic.AtomicInteger brokenOff = new java.util.concurrent.atomic.AtomicInteger();

    Upstream() throws IOException {
        this("127.0.0.1");
    }

    Upstream(String address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> q = query(ex.getRequestURI());
            switch (path) {
                case "/echo" -> echo(ex);
                case "/bytes", "/gate" -> {
                    try {
                        bytes(ex, Integer.parseInt(q.get("n")), path.equals("/gate"));
                    } catch (IOException e) {
                        brokenOff.incrementAndGet();
                        throw e;
                    }
                }
                case "/release" -> {
                    gate.release();
                    send(ex, 200, "released");
                }
                case "/redirect" -> {
                    ex.getRequestBody().readAllBytes();
                    ex.getResponseHeaders().add("location", q.get("to"));
                    ex.sendResponseHeaders(Integer.parseInt(q.get("status")), -1);
                }
                case "/loop" -> {
                    int n = Integer.parseInt(q.getOrDefault("n", "0"));
                    ex.getResponseHeaders().add("location", "/loop?n=" + (n + 1));
                    ex.sendResponseHeaders(302, -1);
                }
                case "/gzip", "/deflate" -> encoded(ex, path.equals("/gzip"));
                case "/stall" -> {
                    ex.sendResponseHeaders(200, 0);
                    ex.getResponseBody().write("first".getBytes(StandardCharsets.UTF_8));
                    ex.getResponseBody().flush();
                    sleep(20_000);
                }
                case "/slow" -> sleep(20_000);
                default -> send(ex, 404, "no such endpoint");
            }
        } catch (IOException e) {
            // the client went away (abort, timeout): nothing to answer
        }
    }

    private static void echo(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        JsonObject headers = new JsonObject();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(", ", v)));
        JsonObject out = new JsonObject()
                .put("method", ex.getRequestMethod())
                .put("body", new String(body, StandardCharsets.UTF_8))
                .put("length", body.length)
                .put("sum", sum(body))
                .put("chunked", "chunked".equalsIgnoreCase(ex.getRequestHeaders().getFirst("transfer-encoding")))
                .put("headers", headers);
        ex.getResponseHeaders().add("content-type", "application/json");
        ex.getResponseHeaders().add("set-cookie", "a=1");
        ex.getResponseHeaders().add("set-cookie", "b=2");
        send(ex, 200, out.encode());
    }

    static long sum(byte[] bytes) {
        long s = 0;
        for (byte b : bytes) {
            s = (s * 31 + (b & 0xff)) % 1_000_000_007L;
        }
        return s;
    }

    private void bytes(HttpExchange ex, int n, boolean gated) throws IOException {
        ex.getResponseHeaders().add("content-type", "application/octet-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        byte[] chunk = new byte[64 * 1024];
        int sent = 0;
        boolean waited = false;
        while (sent < n) {
            int len = Math.min(chunk.length, n - sent);
            for (int i = 0; i < len; i++) {
                chunk[i] = (byte) ((sent + i) % 251);
            }
            out.write(chunk, 0, len);
            sent += len;
            if (gated && !waited && sent >= n / 2) {
                out.flush();
                waited = true;
                try {
                    if (!gate.tryAcquire(20, TimeUnit.SECONDS)) {
                        return; // never released: the client must have buffered the whole body
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        out.close();
    }

    private static void encoded(HttpExchange ex, boolean gzip) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream z = gzip ? new GZIPOutputStream(buf) : new DeflaterOutputStream(buf)) {
            z.write(ENCODED_TEXT.getBytes(StandardCharsets.UTF_8));
        }
        ex.getResponseHeaders().add("content-encoding", gzip ? "gzip" : "deflate");
        ex.getResponseHeaders().add("content-type", "text/plain");
        ex.sendResponseHeaders(200, buf.size());
        ex.getResponseBody().write(buf.toByteArray());
    }

    private static void send(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** A port with nothing listening on it. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A loopback server that accepts connections and never answers. */
    static final class Silent implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new ArrayList<>();
        private final Thread acceptor;

        Silent() throws IOException {
            socket = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                        InputStream in = s.getInputStream();
                        Thread.ofPlatform().daemon().start(() -> {
                            try {
                                in.transferTo(OutputStream.nullOutputStream());
                            } catch (IOException ignored) {
                                // closed
                            }
                        });
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
}
