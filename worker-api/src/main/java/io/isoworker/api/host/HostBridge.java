package io.isoworker.api.host;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.HostAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host services the prelude needs for every context: console output and UTF-8 conversion. The prelude keeps
 * this object in a closure; guest code never sees it. A pre-warmed context gets its script name when a script is
 * loaded into it ({@link #bindScript}).
 */
public final class HostBridge {

    /** Console output of script {@code NAME} goes to the logger {@code worker.NAME}. */
    public static final String CONSOLE_LOGGER_PREFIX = "worker.";

    private static final Logger UNBOUND = LoggerFactory.getLogger(CONSOLE_LOGGER_PREFIX + "-");

    /** TextDecoder and UTF-8 decoding (prelude {@code encoding.js}). */
    @HostAccess.Export
    public final TextCodecHost text = TextCodecHost.INSTANCE;

    /** The Web Crypto primitives (prelude crypto.js). */
    @HostAccess.Export
    public final CryptoHost crypto = new CryptoHost();

    /** UTS #46 domain to ASCII for the URL parser. */
    @HostAccess.Export
    public final IdnaHost idna = IdnaHost.INSTANCE;

    private Logger console = UNBOUND;
    private String scriptName = "-";
    private IsolateServices services;
    private double clockMillis = System.currentTimeMillis();
    private final StreamsHost streams = new StreamsHost(this);
    private final FetchHost fetch = new FetchHost(this);
    private final KvHost kv = new KvHost(this);

    public void bindScript(String name) {
        this.scriptName = name;
        this.console = LoggerFactory.getLogger(CONSOLE_LOGGER_PREFIX + name);
    }

    /** Gives the context its isolate's services, once its worker has been evaluated. */
    public void bind(IsolateServices isolate) {
        this.services = isolate;
    }

    /** The isolate's services, or {@code null} while the worker's top level is being evaluated. */
    public IsolateServices services() {
        return services;
    }

    /**
     * Sets the guest's clock to the current time. Called on each entry into the guest: while guest code runs
     * synchronously, {@code Date.now()} and {@code performance.now()} do not advance, as on Workers.
     */
    public void advanceClock() {
        clockMillis = System.currentTimeMillis();
    }

    /** The guest's clock, in milliseconds since the epoch; it moves only between entries into the guest. */
    @HostAccess.Export
    public double now() {
        return clockMillis;
    }

    /** True once timers, I/O and waitUntil may be used (inside a handler, not in the global scope). */
    @HostAccess.Export
    public boolean inHandlerScope() {
        return services != null;
    }

    @HostAccess.Export
    public void setTimer(int id, double delayMillis) {
        services.setTimer(id, (long) Math.max(0, delayMillis));
    }

    @HostAccess.Export
    public void clearTimer(int id) {
        services.clearTimer(id);
    }

    @HostAccess.Export
    public void backgroundStarted() {
        services.backgroundStarted();
    }

    @HostAccess.Export
    public void backgroundEnded() {
        services.backgroundEnded();
    }

    @HostAccess.Export
    public void backgroundAbandoned() {
        services.backgroundAbandoned();
    }

    @HostAccess.Export
    public double waitUntilLimitMillis() {
        return services.waitUntilLimitMillis();
    }

    /** Compression and streamed request bodies. */
    @HostAccess.Export
    public StreamsHost streams() {
        return streams;
    }

    /** Outbound {@code fetch()}: the prelude's fetch.js calls this object. */
    @HostAccess.Export
    public FetchHost fetch() {
        return fetch;
    }

    /** KV namespaces: the prelude's kv.js calls this object. */
    @HostAccess.Export
    public KvHost kv() {
        return kv;
    }

    public String scriptName() {
        return scriptName;
    }

    /** @param level one of {@code debug}, {@code info}, {@code log}, {@code warn}, {@code error} */
    @HostAccess.Export
    public void log(String level, String message) {
        switch (level) {
            case "error" -> console.error(message);
            case "warn" -> console.warn(message);
            case "debug" -> console.debug(message);
            default -> console.info(message);
        }
        if (services != null) {
            services.consoleLine(level, message);
        }
    }

    /** Counts a subrequest or KV operation for the invocation running now (none in the global scope). */
    void used(IsolateServices.Use use) {
        if (services != null) {
            services.used(use);
        }
    }

    @HostAccess.Export
    public ByteBuffer utf8Encode(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
