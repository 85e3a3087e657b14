package io.isoworker.runtime.observe;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.http.InvocationSummary;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/**
 * Live tails: who is watching which script, and the WebSockets their events go to. A tail is made through the admin
 * API ({@code POST /v1/scripts/NAME/tails}); its id, 128 random bits, is the credential of its socket
 * ({@code /v1/tail/ID}), since {@code wrangler tail} sends no token there. A tail ends when its socket closes, when it
 * is deleted, or when it expires ({@link #LIFETIME}) with no socket or after it.
 *
 * <p>Events are encoded once per event and written to each matching socket; a socket whose write queue is full
 * misses events (counted) rather than slowing the worker down.
 */
public final class TailSessions {

    private static final Logger LOG = LoggerFactory.getLogger(TailSessions.class);

    /** How long a tail lasts (Cloudflare's expire after some hours as well). */
    public static final Duration LIFETIME = Duration.ofHours(6);
    /** A tail whose socket did not connect within this time is dropped. */
    static final Duration CONNECT_WITHIN = Duration.ofMinutes(5);
    /** The most tails one script may have at once. */
    public static final int MAX_PER_SCRIPT = 10;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One tail. */
    public static final class Tail {
        private final String id;
        private final String script;
        private final TailFilter filter;
        private final long createdAtMillis;
        private final long expiresAtMillis;
        private volatile ServerWebSocket socket;
        private final AtomicLong dropped = new AtomicLong();

        Tail(String id, String script, TailFilter filter, long createdAtMillis) {
            this.id = id;
            this.script = script;
            this.filter = filter;
            this.createdAtMillis = createdAtMillis;
            this.expiresAtMillis = createdAtMillis + LIFETIME.toMillis();
        }

        public String id() {
            return id;
        }

        public String script() {
            return script;
        }

        public long expiresAtMillis() {
            return expiresAtMillis;
        }

        public boolean connected() {
            return socket != null;
        }

        void send(String json) {
            ServerWebSocket ws = socket;
            if (ws == null) {
                return;
            }
            if (ws.writeQueueFull()) {
                dropped.incrementAndGet();
                return;
            }
            ws.writeTextMessage(json);
        }
    }

    private final Map<String, Tail> byId = new ConcurrentHashMap<>();
    private final Map<String, List<Tail>> byScript = new ConcurrentHashMap<>();
    private final Vertx vertx;

    /** @param vertx for the timers that end tails */
    public TailSessions(Vertx vertx) {
        this.vertx = vertx;
        vertx.setPeriodic(CONNECT_WITHIN.toMillis(), t -> expireOld(System.currentTimeMillis()));
    }

    /**
     * Starts a tail of {@code script}.
     *
     * @throws IllegalStateException when the script has {@link #MAX_PER_SCRIPT} tails already
     */
    public Tail create(String script, TailFilter filter) {
        expireOld(System.currentTimeMillis());
        List<Tail> list = byScript.computeIfAbsent(script, k -> new CopyOnWriteArrayList<>());
        if (list.size() >= MAX_PER_SCRIPT) {
            throw new IllegalStateException("Script '" + script + "' has " + MAX_PER_SCRIPT
                    + " tails already; close one first.");
        }
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        Tail tail = new Tail(Base64.getUrlEncoder().withoutPadding().encodeToString(bits), script, filter,
                System.currentTimeMillis());
        byId.put(tail.id, tail);
        list.add(tail);
        LOG.info("script {}: tail {} started", script, shortId(tail.id));
        return tail;
    }

    /** The tails of {@code script}. */
    public List<Tail> list(String script) {
        expireOld(System.currentTimeMillis());
        List<Tail> list = byScript.get(script);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Ends a tail; false when {@code script} has no tail with that id. */
    public boolean delete(String script, String id) {
        Tail tail = byId.get(id);
        if (tail == null || !tail.script.equals(script)) {
            return false;
        }
        end(tail, "deleted");
        return true;
    }

    /** Ends every tail of a deleted script. */
    public void forget(String script) {
        for (Tail tail : list(script)) {
            end(tail, "script deleted");
        }
    }

    /** Whether {@link #connect} would take a socket for {@code id} now. */
    public boolean connectable(String id) {
        Tail tail = id == null ? null : byId.get(id);
        return tail != null && System.currentTimeMillis() < tail.expiresAtMillis && tail.socket == null;
    }

    /**
     * Attaches a socket to the tail {@code id}: false (the caller refuses the upgrade) when there is no such tail,
     * it has expired, or it has a socket already.
     */
    public boolean connect(String id, ServerWebSocket socket) {
        Tail tail = id == null ? null : byId.get(id);
        if (tail == null || System.currentTimeMillis() >= tail.expiresAtMillis || tail.socket != null) {
            return false;
        }
        tail.socket = socket;
        socket.closeHandler(v -> end(tail, "socket closed"));
        socket.exceptionHandler(e -> LOG.debug("tail {}: socket error", shortId(tail.id), e));
        // Whatever the client sends ({"debug": false} first) changes nothing here; Vert.x answers pings.
        socket.textMessageHandler(message -> { });
        socket.binaryMessageHandler(message -> { });
        LOG.info("script {}: tail {} connected from {}", tail.script, shortId(tail.id), socket.remoteAddress());
        // the tail's lifetime also bounds its socket
        vertx.setTimer(Math.max(1, tail.expiresAtMillis - System.currentTimeMillis()), t -> end(tail, "expired"));
        return true;
    }

    /** True when someone tails {@code script}: its invocations then collect their console lines. Cheap. */
    public boolean attached(String script) {
        return !byScript.isEmpty() && byScript.containsKey(script);
    }

    /** Sends a request's event to the tails of its script that want it. */
    public void request(String script, String version, TraceEvent.Request request, InvocationSummary s) {
        publish(script, version, request, s, () -> TraceEvent.request(script, version, request, s));
    }

    /** Sends a cron run's event to the tails of its script that want it. */
    public void scheduled(String script, String version, String cron, long scheduledTime, InvocationSummary s) {
        publish(script, version, null, s, () -> TraceEvent.scheduled(script, version, cron, scheduledTime, s));
    }

    private void publish(String script, String version, TraceEvent.Request request, InvocationSummary s,
            Supplier<String> json) {
        List<Tail> list = byScript.get(script);
        if (list == null) {
            return;
        }
        String encoded = null;
        for (Tail tail : list) {
            if (tail.socket != null && tail.filter.matches(request, version, s)) {
                if (encoded == null) {
                    encoded = json.get();
                }
                tail.send(encoded);
            }
        }
    }

    private void expireOld(long now) {
        for (Tail tail : byId.values()) {
            if (now >= tail.expiresAtMillis
                    || (tail.socket == null && now >= tail.createdAtMillis + CONNECT_WITHIN.toMillis())) {
                end(tail, "expired");
            }
        }
    }

    private void end(Tail tail, String why) {
        if (byId.remove(tail.id) == null) {
            return;
        }
        byScript.computeIfPresent(tail.script, (k, list) -> {
            list.remove(tail);
            return list.isEmpty() ? null : list;
        });
        ServerWebSocket ws = tail.socket;
        if (ws != null && !ws.isClosed()) {
            ws.close();
        }
        long dropped = tail.dropped.get();
        LOG.info("script {}: tail {} ended ({}){}", tail.script, shortId(tail.id), why,
                dropped > 0 ? ", " + dropped + " event(s) dropped because the client read too slowly" : "");
    }

    /** Enough of an id to tell tails apart in a log, not enough to use it. */
    private static String shortId(String id) {
        return id.substring(0, 6) + "…";
    }
}
