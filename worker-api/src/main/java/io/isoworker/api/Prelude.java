package io.isoworker.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JavaScript prelude every context evaluates before any worker script: the Web APIs and the dispatcher.
 *
 * <p>The prelude is one file per Web API under {@code io/isoworker/api/prelude/}, joined into a single function
 * expression {@code (function (host) { ... return internals; })}. Evaluating it yields that function; calling it
 * with a {@link io.isoworker.api.host.HostBridge} installs the globals and returns the internal object the host
 * uses to load and dispatch to workers. Guest code can reach neither the host bridge nor the internals.
 */
public final class Prelude {

    /** The files, in evaluation order. */
    static final List<String> FILES = List.of(
            "sandbox.js",
            "domexception.js",
            "encoding.js",
            "base64.js",
            "url.js",
            "urlsearchparams.js",
            "urlpattern.js",
            "console.js",
            "invocation.js",
            "timers.js",
            "clocks.js",
            "navigator.js",
            "eventtarget.js",
            "abort.js",
            "headers.js",
            "mimetype.js",
            "queuingstrategies.js",
            "readablestream.js",
            "writablestream.js",
            "transformstream.js",
            "textcodecstreams.js",
            "compression.js",
            "blob.js",
            "formdata.js",
            "body.js",
            "request.js",
            "response.js",
            "crypto.js",
            "subtle.js",
            "dataurl.js",
            "fetch.js",
            "kv.js",
            "events.js",
            "scheduled.js",
            "structuredclone.js",
            "dispatch.js");

    /** The name the prelude source carries in stack traces. */
    public static final String SOURCE_NAME = "isoworker:prelude";

    private static final String TEXT = load();

    private Prelude() {
    }

    /** The prelude's source text: a function expression taking the host bridge. */
    public static String source() {
        return TEXT;
    }

    private static String load() {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("(function (host) {\n'use strict';\n");
        for (String file : FILES) {
            String path = "prelude/" + file;
            try (InputStream in = Prelude.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("prelude file missing from the jar: " + path);
                }
                sb.append("// ---- ").append(file).append('\n');
                sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        sb.append("return internals;\n})");
        return sb.toString();
    }
}
