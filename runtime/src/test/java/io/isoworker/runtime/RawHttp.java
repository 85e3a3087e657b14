package io.isoworker.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.x on a plain socket, for requests no well-behaved client would send, and for reading the answers raw. */
final class RawHttp {

    private RawHttp() {
    }

    /** What came back on a connection: a response, the server closing, or nothing before the read timeout. */
    record Answer(int status, String head, byte[] body, boolean closed, boolean timedOut) {

        static final Answer CLOSED = new Answer(-1, "", new byte[0], true, false);
        static final Answer TIMED_OUT = new Answer(-1, "", new byte[0], false, true);

        boolean responded() {
            return status > 0;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            if (timedOut) {
                return "no answer before the read timeout";
            }
            if (!responded()) {
                return "connection closed without a response";
            }
            String text = bodyText();
            return status + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    static Socket connect(int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Writes, ignoring a server that closed first (it may refuse a request before reading all of it). */
    static boolean write(Socket socket, byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads one response (head and body, framed by Content-Length or chunked, else up to the close). A response to a
     * HEAD request, a 1xx, 204 or 304 has no body: pass {@code noBody}.
     */
    static Answer read(InputStream in, boolean noBody) throws IOException {
        while (true) {
            String head;
            try {
                head = readHead(in);
            } catch (SocketTimeoutException e) {
                return Answer.TIMED_OUT;
            }
            if (head == null) {
                return Answer.CLOSED;
            }
            int status = status(head);
            if (status >= 100 && status < 200 && status != 101) {
                continue; // an interim response: the real one follows
            }
            if (noBody || status < 200 || status == 204 || status == 304) {
                return new Answer(status, head, new byte[0], false, false);
            }
            try {
                byte[] body = readBody(in, head);
                return new Answer(status, head, body, false, false);
            } catch (SocketTimeoutException e) {
                return new Answer(status, head, new byte[0], false, true);
            }
        }
    }

    private static final java.util.regex.Pattern STATUS_LINE = java.util.regex.Pattern.compile(
            "[!-~]{1,16}/\\d{1,3}\\.\\d{1,3} (\\d{3})( .*)?");

    /**
     * The status of a response head, whatever version its status line claims; 0 when its first line is not a status
     * line.
     */
    static int status(String head) {
        int end = head.indexOf("\r\n");
        java.util.regex.Matcher m = STATUS_LINE.matcher(end < 0 ? head : head.substring(0, end));
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The head up to its blank line, or null when the connection closed before one began. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                if (out.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a response head: "
                        + out.toString(StandardCharsets.ISO_8859_1));
            }
            out.write(b);
            last4 = (last4 << 8) | b;
            if (out.size() > 256 * 1024) {
                throw new IOException("response head too long");
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readBody(InputStream in, String head) throws IOException {
        String te = header(head, "transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    return out.toByteArray();
                }
                out.write(in.readNBytes(size));
                readLine(in);
            }
        }
        String length = header(head, "content-length");
        if (length != null) {
            int n = Integer.parseInt(length.trim());
            byte[] body = in.readNBytes(n);
            if (body.length < n) {
                throw new IOException("response body cut short: " + body.length + " of " + n + " bytes");
            }
            return body;
        }
        return in.readAllBytes();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                out.write(b);
            }
        }
        if (b < 0) {
            throw new IOException("connection closed inside a chunked body");
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until the server closes, or the read timeout passes (then false). Discards what it reads. */
    static boolean closedByServer(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
