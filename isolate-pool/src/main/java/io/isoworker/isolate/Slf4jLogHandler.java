package io.isoworker.isolate;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the engine's own log (Truffle and GraalJS warnings) to SLF4J instead of the process's stderr. */
final class Slf4jLogHandler extends Handler {

    private static final Logger LOG = LoggerFactory.getLogger("isoworker.engine");

    @Override
    public void publish(LogRecord record) {
        String message = "[" + record.getLoggerName() + "] " + record.getMessage();
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            LOG.error(message, record.getThrown());
        } else if (level >= Level.WARNING.intValue()) {
            LOG.warn(message, record.getThrown());
        } else if (level >= Level.INFO.intValue()) {
            LOG.info(message, record.getThrown());
        } else {
            LOG.debug(message, record.getThrown());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
