package io.isoworker.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The hostile tenant's client in {@link NeighbourLatency}: one keep-alive HTTP/1.1 connection to a loopback port that
 * sends a request and reads the response's body without keeping it, up to a byte cap. A body longer than the cap
 * (a response that never ends) is abandoned by closing the connection, as a client that has had enough does; the next
 * request opens a new connection. Not thread-safe.
 */
final class AttackClient implements AutoCloseable {

    /**
     * What one exchange gave: the status, the body bytes read, whether the body was read to its end, whether the
     * server broke the connection off before the body's end, and the printable start of the body.
     */
    record Outcome(int status, long bodyBytes, boolean complete, boolean cut, String firstLine) {
    }

    private final int port;
    private final byte[] scratch = new byte[64 * 1024];
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    AttackClient(int port) {
        this.port = port;
    }

    /**
     * Sends {@code request} and reads the response, its body up to {@code maxBody} bytes. {@code stop} is checked
     * between reads: when it turns true the connection is closed and the exchange ends with an {@link IOException}.
     */
    Outcome exchange(byte[] request, long maxBody, BooleanSupplier stop) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return readResponse(maxBody, stop);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(60_000);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        out = s.getOutputStream();
    }

    private Outcome readResponse(long maxBody, BooleanSupplier stop) throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine, 9, 12, 10);
        boolean keepAlive = statusLine.charAt(7) == '1';
        long contentLength = -1;
        boolean chunked = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon).trim();
            String value = colon < 0 ? "" : line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (name.equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.contains("chunked");
            } else if (name.equalsIgnoreCase("connection") && value.contains("close")) {
                keepAlive = false;
            }
        }
        Body body = new Body(maxBody, stop);
        try {
            return readBody(body, status, chunked, contentLength, keepAlive);
        } catch (IOException e) {
            if (stop.getAsBoolean()) {
                throw e;
            }
            close();
            return new Outcome(status, body.bytes, false, true, body.firstLine.toString());
        }
    }

    private Outcome readBody(Body body, int status, boolean chunked, long contentLength, boolean keepAlive)
            throws IOException {
        if (chunked) {
            while (!body.full()) {
                String sizeLine = readLine();
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers: ignored
                    }
                    return body.outcome(status, true, keepAlive);
                }
                body.read(size);
                if (!body.full()) {
                    readLine();
                }
            }
            return body.outcome(status, false, false);
        }
        if (contentLength >= 0) {
            body.read(contentLength);
            return body.outcome(status, body.bytes == contentLength, keepAlive && body.bytes == contentLength);
        }
        body.read(Long.MAX_VALUE);
        return body.outcome(status, !body.full(), false);
    }

    /** The body of one response, counted and thrown away (its first line kept, for the report). */
    private final class Body {
        private final long max;
        private final BooleanSupplier stop;
        private final StringBuilder firstLine = new StringBuilder();
        private boolean firstLineEnded;
        long bytes;

        Body(long max, BooleanSupplier stop) {
            this.max = max;
            this.stop = stop;
        }

        boolean full() {
            return bytes >= max;
        }

        /** Reads {@code length} bytes (to the end of the stream for {@link Long#MAX_VALUE}), at most the cap. */
        void read(long length) throws IOException {
            long want = Math.min(length, max - bytes);
            while (want > 0) {
                if (stop.getAsBoolean()) {
                    throw new IOException("stopped at the end of the phase");
                }
                int n = in.read(scratch, 0, (int) Math.min(want, scratch.length));
                if (n < 0) {
                    if (length == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("connection closed after " + bytes + " body bytes");
                }
                keepFirstLine(n);
                bytes += n;
                want -= n;
            }
        }

        /** Keeps the printable start of the body's first line (at most 80 characters). */
        private void keepFirstLine(int n) {
            for (int i = 0; i < n && !firstLineEnded; i++) {
                char c = (char) (scratch[i] & 0xff);
                if (c < ' ' || c > '~' || firstLine.length() == 80) {
                    firstLineEnded = true;
                } else {
                    firstLine.append(c);
                }
            }
        }

        Outcome outcome(int status, boolean complete, boolean keepAlive) {
            if (!keepAlive || !complete) {
                close();
            }
            return new Outcome(status, bytes, complete, false, firstLine.toString());
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a response head");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() > 16 * 1024) {
                throw new IOException("response line longer than 16 KiB");
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
