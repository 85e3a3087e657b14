package io.isoworker.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/** Collects what a logger logs while a test runs. */
final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level previous;
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    };

    LogCapture(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        previous = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    /** Every message so far, formatted, one per line with its level. */
    String text() {
        StringBuilder sb = new StringBuilder();
        for (ILoggingEvent e : events) {
            sb.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ')
                    .append(e.getFormattedMessage()).append('\n');
        }
        return sb.toString();
    }

    /** Waits up to 10 s for a message containing {@code fragment}. */
    boolean await(String fragment) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (text().contains(fragment)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
    }
}
