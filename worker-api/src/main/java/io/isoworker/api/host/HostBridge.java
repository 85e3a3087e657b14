package io.isoworker.api.host;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
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

    /** UTS #46 domain to ASCII for the URL parser. */
    @HostAccess.Export
    public final IdnaHost idna = IdnaHost.INSTANCE;

    private Logger console = UNBOUND;
    private String scriptName = "-";

    public void bindScript(String name) {
        this.scriptName = name;
        this.console = LoggerFactory.getLogger(CONSOLE_LOGGER_PREFIX + name);
    }

    public String scriptName() {
        return scriptName;
    }

    /** @param level one of {@code debug}, {@code info}, {@code warn}, {@code error} */
    @HostAccess.Export
    public void log(String level, String message) {
        switch (level) {
            case "error" -> console.error(message);
            case "warn" -> console.warn(message);
            case "debug" -> console.debug(message);
            default -> console.info(message);
        }
    }

    @HostAccess.Export
    public ByteBuffer utf8Encode(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes an ArrayBuffer as UTF-8, replacing malformed sequences with U+FFFD. */
    @HostAccess.Export
    public String utf8Decode(Value buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.readBuffer(offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
