package io.isoworker.runtime.observe;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * A Logback appender for the access log: writes to the standard error like {@code ConsoleAppender}, but gathers
 * lines and writes them in one system call when 32 KiB have gathered or every {@link #FLUSH_MILLIS} ms, instead of
 * one call per line. At tens of thousands of requests a second a call per line costs a sizeable part of a core (see
 * docs/benchmarks.md). Only whole lines are written, so they never interleave mid-line with other loggers' lines.
 */
public final class BatchedStderrAppender extends OutputStreamAppender<ILoggingEvent> {

    /** The longest a line waits before it is written. */
    static final long FLUSH_MILLIS = 100;
    private static final int BATCH = 32 * 1024;

    private ScheduledExecutorService flusher;

    @Override
    public void start() {
        setOutputStream(new Batch(new FileOutputStream(FileDescriptor.err)));
        setImmediateFlush(false);
        super.start();
        flusher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("isoworker-access-log").unstarted(r));
        flusher.scheduleWithFixedDelay(this::flushNow, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        flushNow();
        super.stop();
    }

    private void flushNow() {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            addError("could not write the access log", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    /** Gathers whole encoded lines (the appender writes one event at a time under its lock). */
    private static final class Batch extends OutputStream {
        private final OutputStream target;
        private final byte[] buffer = new byte[BATCH];
        private int length;

        Batch(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (length + count > buffer.length) {
                flush();
                if (count > buffer.length) {
                    target.write(bytes, offset, count);
                    return;
                }
            }
            System.arraycopy(bytes, offset, buffer, length, count);
            length += count;
        }

        @Override
        public void flush() throws IOException {
            if (length > 0) {
                target.write(buffer, 0, length);
                length = 0;
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
