package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The admin token and secret bindings stay secret: never in a log line (at any level, from any logger, the server's
 * start included), never in an answer; a wrong token is refused; the scheme is case-insensitive.
 */
class AdminSecretsTest {

    private static final String SECRET = "s3cr3t-binding-value-4f2a9c";

    @Test
    void theTokenAndSecretsAreNeverLoggedNorReturned() throws Exception {
        List<String> answers = new ArrayList<>();
        String logged;
        try (AllLogs logs = new AllLogs(); TestServer s = TestServer.start()) {
            // wrong tokens: a prefix of the right one, the right one with more, another scheme
            for (String auth : new String[] {"Bearer " + TestServer.TOKEN.substring(0, 12),
                    "Bearer " + TestServer.TOKEN + "0", "Basic " + TestServer.TOKEN, TestServer.TOKEN}) {
                HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts")))
                        .header("authorization", auth).GET());
                assertEquals(401, r.statusCode(), auth);
                answers.add(r.body());
            }
            for (String scheme : new String[] {"bearer ", "BEARER ", "Bearer  "}) {
                HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.admin("/v1/scripts")))
                        .header("authorization", scheme + TestServer.TOKEN).GET());
                assertEquals(200, r.statusCode(), "scheme '" + scheme + "': " + r.body());
            }

            TestServer.Multipart upload = new TestServer.Multipart()
                    .metadata(new JsonObject().put("main_module", "worker.js").put("bindings", new JsonArray()
                            .add(new JsonObject().put("type", "secret_text").put("name", "API_KEY").put("text", SECRET))
                            .add(new JsonObject().put("type", "plain_text").put("name", "PLAIN").put("text", "visible"))))
                    .module("worker.js", "application/javascript+module",
                            "export default { fetch(request, env) { return new Response(String(env.API_KEY.length)); } };");
            HttpResponse<String> put = s.uploadMultipart("secretive", upload);
            assertEquals(200, put.statusCode(), put.body());
            answers.add(put.body());
            HttpResponse<String> served = s.get("secretive.localhost", "/");
            assertEquals(String.valueOf(SECRET.length()), served.body(), "the worker sees its secret");
            for (String path : new String[] {"/v1/scripts", "/v1/scripts/secretive", "/v1/scripts/secretive/versions"}) {
                HttpResponse<String> r = s.adminGet(path);
                assertEquals(200, r.statusCode(), r.body());
                answers.add(r.body());
            }
            JsonObject shown = new JsonObject(s.adminGet("/v1/scripts/secretive").body());
            JsonObject secretBinding = shown.getJsonArray("bindings").getJsonObject(0);
            assertEquals("secret_text", secretBinding.getString("type"));
            assertFalse(secretBinding.containsKey("text"), shown.encode());
            assertEquals("visible", shown.getJsonArray("bindings").getJsonObject(1).getString("text"));

            // a failing upload and a deletion log too
            answers.add(s.upload("secretive", "application/javascript+module", "export default {").body());
            answers.add(s.adminDelete("/v1/scripts/secretive").body());
            logged = logs.text();
        }
        assertTrue(logged.contains("script secretive"), "the capture saw the server's log lines:\n" + logged);
        assertFalse(logged.contains(TestServer.TOKEN), "the admin token was logged");
        assertFalse(logged.contains(TestServer.TOKEN.substring(0, 12)), "part of a token was logged");
        assertFalse(logged.contains(SECRET), "a secret binding was logged");
        for (String answer : answers) {
            assertFalse(answer.contains(TestServer.TOKEN.substring(0, 12)), answer);
            assertFalse(answer.contains(SECRET), answer);
        }
    }

    /** Every event from every logger at every level, instead of the console, while open. */
    static final class AllLogs implements AutoCloseable {
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final Level previous = root.getLevel();
        private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
        private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
        private final java.util.Map<String, Level> ownLevels = new java.util.HashMap<>();
        private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                events.add(event);
            }
        };

        AllLogs() {
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
                detached.add(it.next());
            }
            detached.forEach(root::detachAppender);
            appender.start();
            root.addAppender(appender);
            root.setLevel(Level.ALL);
            // loggers configured with their own level (io.netty, io.vertx) log everything too while this is open
            for (String name : new String[] {"io.netty", "io.vertx"}) {
                Logger logger = (Logger) LoggerFactory.getLogger(name);
                if (logger.getLevel() != null) {
                    ownLevels.put(name, logger.getLevel());
                }
                logger.setLevel(null);
            }
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            for (ILoggingEvent e : events) {
                sb.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ')
                        .append(e.getFormattedMessage()).append('\n');
                if (e.getThrowableProxy() != null) {
                    sb.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
                }
            }
            return sb.toString();
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            detached.forEach(root::addAppender);
            root.setLevel(previous);
            ownLevels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
        }
    }
}
