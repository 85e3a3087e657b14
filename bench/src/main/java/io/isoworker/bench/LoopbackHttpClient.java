package io.isoworker.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal blocking HTTP/1.1 client for the benchmarks: one keep-alive connection to a loopback port, one request in
 * flight, the whole response read (a {@code Content-Length}, chunked, or read-to-close body). It does as little as
 * possible between writing the request and reading the last byte of the response, so that the measured time is the
 * server's plus the loopback round trip. No TLS, no redirects, no pooling. Not thread-safe: one per benchmark thread.
 */
public final class LoopbackHttpClient implements AutoCloseable {

    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final int port;
    private final byte[] buf = new byte[16 * 1024];
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int pos;
    private int limit;
    private byte[] body = new byte[4096];
    private int bodyLength;
    private int status;

    public LoopbackHttpClient(int port) throws IOException {
        this.port = port;
        connect();
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(30_000);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = 0;
        limit = 0;
    }

    /** A prepared {@code GET path} request for {@code host}. */
    public static byte[] get(String host, String path) {
        return request("GET", host, path, Map.of(), null);
    }

    /** A prepared request; a body (may be null) gets a {@code Content-Length}. */
    public static byte[] request(String method, String host, String path, Map<String, String> headers,
            byte[] content) {
        StringBuilder head = new StringBuilder(128)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (content != null) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (content == null || content.length == 0) {
            return headBytes;
        }
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + content.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }

    /**
     * Writes a prepared request and reads the whole response.
     *
     * @return the response's status code
     */
    public int exchange(byte[] request) throws IOException {
        boolean reused = socket != null;
        if (!reused) {
            connect();
        }
        boolean keepAlive;
        try {
            out.write(request);
            out.flush();
            keepAlive = readResponse();
        } catch (java.io.EOFException | java.net.SocketException e) {
            if (!reused) {
                throw e;
            }
            // The server closed the idle keep-alive connection (header-timeout-ms) as this request went out: once
            // more on a fresh connection, as HTTP clients do.
            closeSocket();
            connect();
            out.write(request);
            out.flush();
            keepAlive = readResponse();
        }
        if (!keepAlive) {
            closeSocket();
        }
        return status;
    }

    /** The status code of the last response. */
    public int status() {
        return status;
    }

    /** The length of the last response's body. */
    int bodyLength() {
        return bodyLength;
    }

    /** The last response's body as UTF-8 text. */
    public String bodyText() {
        return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }

    /** Reads the status line, the headers and the body; returns false when the connection must be closed. */
    private boolean readResponse() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        status = Integer.parseInt(statusLine, 9, 12, 10);
        boolean keepAlive = statusLine.charAt(7) == '1';
        long contentLength = -1;
        boolean chunked = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            } else if (name.equalsIgnoreCase("connection")) {
                String v = value.toLowerCase(Locale.ROOT);
                if (v.contains("close")) {
                    keepAlive = false;
                } else if (v.contains("keep-alive")) {
                    keepAlive = true;
                }
            }
        }
        bodyLength = 0;
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return keepAlive;
        }
        if (chunked) {
            while (true) {
                String sizeLine = readLine();
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers: ignored
                    }
                    return keepAlive;
                }
                readBody(size);
                if (!readLine().isEmpty()) {
                    throw new IOException("missing CRLF after a chunk");
                }
            }
        }
        if (contentLength >= 0) {
            readBody(contentLength);
            return keepAlive;
        }
        readBodyToEnd();
        return false;
    }

    /** A header line without its CRLF (ISO-8859-1). */
    private String readLine() throws IOException {
        int start = pos;
        int scan = pos;
        while (true) {
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    pos = i + 1;
                    return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                }
            }
            scan = limit;
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, limit - start);
                scan -= start;
                limit -= start;
                start = 0;
            }
            if (limit == buf.length) {
                throw new IOException("response header line longer than " + buf.length + " bytes");
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                throw new EOFException("connection closed in the middle of a response head");
            }
            limit += n;
        }
    }

    private void readBody(long length) throws IOException {
        if (bodyLength + length > MAX_BODY) {
            throw new IOException("response body larger than " + MAX_BODY + " bytes");
        }
        int need = (int) length;
        ensureBodyCapacity(bodyLength + need);
        int buffered = Math.min(need, limit - pos);
        System.arraycopy(buf, pos, body, bodyLength, buffered);
        pos += buffered;
        bodyLength += buffered;
        need -= buffered;
        while (need > 0) {
            int n = in.read(body, bodyLength, need);
            if (n < 0) {
                throw new EOFException("connection closed in the middle of a response body");
            }
            bodyLength += n;
            need -= n;
        }
    }

    private void readBodyToEnd() throws IOException {
        int buffered = limit - pos;
        ensureBodyCapacity(buffered);
        System.arraycopy(buf, pos, body, 0, buffered);
        bodyLength = buffered;
        pos = limit;
        while (true) {
            ensureBodyCapacity(bodyLength + 4096);
            int n = in.read(body, bodyLength, body.length - bodyLength);
            if (n < 0) {
                return;
            }
            bodyLength += n;
            if (bodyLength > MAX_BODY) {
                throw new IOException("response body larger than " + MAX_BODY + " bytes");
            }
        }
    }

    private void ensureBodyCapacity(int capacity) {
        if (body.length < capacity) {
            body = Arrays.copyOf(body, Math.max(capacity, body.length * 2));
        }
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    @Override
    public void close() {
        closeSocket();
    }
}
