package io.isoworker.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.json.JsonObject;

/**
 * The WPT URL data files ({@code wpt/url/resources/}), every case run inside a worker by
 * {@code url-conformance-runner.js}, as the data's README describes. Failing inputs are logged.
 */
class UrlConformanceTest {

    private static final Logger LOG = LoggerFactory.getLogger(UrlConformanceTest.class);

    static TestServer s;
    static String runner;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("cpu-ms", "120000");
        try (InputStream in = UrlConformanceTest.class.getResourceAsStream("url-conformance-runner.js")) {
            runner = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    /** Runs {@code file} with the runner's {@code kind} and records the row; {@code target} is a percentage or "-". */
    private static void run(String file, String kind, String target) throws Exception {
        String name = "url-" + kind;
        String answer = Conformance.runInWorker(s, name, "const KIND = '" + kind + "';\n" + runner,
                Conformance.read(file));
        JsonObject result = new JsonObject(answer);
        int cases = result.getInteger("cases");
        int passed = result.getInteger("passed");
        for (Object failure : result.getJsonArray("failures")) {
            LOG.warn("{} failed: {}", file, failure);
        }
        LOG.info("{}: {} of {} cases passed", file, passed, cases);
        assertTrue(cases > 0, file + ": no cases ran");
        Conformance.record(file, cases, passed, target);
        if (!target.equals("-")) {
            double wanted = Double.parseDouble(target.replace("%", ""));
            assertTrue(100.0 * passed / cases >= wanted, String.format(Locale.ROOT,
                    "%s: %d of %d passed, below the target of %s; failures: %s", file, passed, cases, target,
                    result.getJsonArray("failures")));
        }
    }

    @Test
    void urltestdata() throws Exception {
        run("wpt/url/resources/urltestdata.json", "urltestdata", "99%");
    }

    @Test
    void urltestdataJavascriptOnly() throws Exception {
        run("wpt/url/resources/urltestdata-javascript-only.json", "urltestdata", "99%");
    }

    @Test
    void setters() throws Exception {
        run("wpt/url/resources/setters_tests.json", "setters", "97%");
    }

    @Test
    void toascii() throws Exception {
        run("wpt/url/resources/toascii.json", "toascii", "95%");
    }

    @Test
    void idnaTestV2() throws Exception {
        run("wpt/url/resources/IdnaTestV2.json", "idna", "-");
    }

    @Test
    void idnaTestV2Removed() throws Exception {
        run("wpt/url/resources/IdnaTestV2-removed.json", "idna", "-");
    }

    @Test
    void percentEncoding() throws Exception {
        run("wpt/url/resources/percent-encoding.json", "percent-encoding", "95%");
    }
}
