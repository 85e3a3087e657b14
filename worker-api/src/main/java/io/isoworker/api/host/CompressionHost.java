package io.isoworker.api.host;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * CompressionStream and DecompressionStream on {@code java.util.zip}: {@code deflate} is zlib (RFC 1950),
 * {@code deflate-raw} is raw deflate (RFC 1951), and {@code gzip} is one RFC 1952 member whose header and trailer
 * are written and checked here around raw deflate. The prelude calls a session once per chunk.
 */
public final class CompressionHost {

    /** Largest output one call may produce; more is refused rather than buffered on the host's heap. */
    static final int MAX_OUTPUT_PER_CALL = 128 << 20;

    private static final int GZIP_HEADER_MIN = 10;
    private static final int GZIP_TRAILER = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private CompressionHost() {
    }

    static Session open(String format, boolean compress) {
        boolean gzip = format.equals("gzip");
        boolean raw = gzip || format.equals("deflate-raw");
        return compress ? new Compressor(raw, gzip) : new Decompressor(raw, gzip);
    }

    /**
     * One compression or decompression. {@link #push} and {@link #finish} return the output so far, or
     * {@code null} when the input is corrupt; {@link #error} then says why, and the session is closed.
     */
    public abstract static sealed class Session permits Compressor, Decompressor {
        final byte[] buf = new byte[16 * 1024];
        ByteArrayOutputStream out;
        String error;

        /** @param buffer an ArrayBuffer holding the chunk at {@code offset}, {@code length} bytes */
        @HostAccess.Export
        public ByteBuffer push(Value buffer, int offset, int length) {
            if (error != null) {
                return null;
            }
            byte[] in = new byte[length];
            buffer.readBuffer(offset, in, 0, length);
            out = new ByteArrayOutputStream(Math.max(64, length));
            try {
                consume(in);
                return ByteBuffer.wrap(out.toByteArray());
            } catch (DataFormatException e) {
                return fail(e.getMessage());
            } finally {
                out = null;
            }
        }

        /** Ends the input. */
        @HostAccess.Export
        public ByteBuffer finish() {
            if (error != null) {
                return null;
            }
            out = new ByteArrayOutputStream(64);
            try {
                end();
                return ByteBuffer.wrap(out.toByteArray());
            } catch (DataFormatException e) {
                return fail(e.getMessage());
            } finally {
                out = null;
                close();
            }
        }

        @HostAccess.Export
        public String error() {
            return error;
        }

        /** Frees the native zlib state; the session is unusable afterwards. */
        @HostAccess.Export
        public void close() {
            release();
        }

        abstract void release();

        abstract void consume(byte[] in) throws DataFormatException;

        abstract void end() throws DataFormatException;

        private ByteBuffer fail(String message) {
            error = message;
            close();
            return null;
        }

        void emit(byte[] bytes, int off, int len) throws DataFormatException {
            if (out.size() + len > MAX_OUTPUT_PER_CALL) {
                throw new DataFormatException("a single chunk decompresses to more than " + MAX_OUTPUT_PER_CALL
                        + " bytes");
            }
            out.write(bytes, off, len);
        }
    }

    static final class Compressor extends Session {
        private final Deflater deflater;
        private final boolean gzip;
        private final CRC32 crc = new CRC32();
        private long size;
        private boolean headerWritten;

        Compressor(boolean raw, boolean gzip) {
            this.deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
            this.gzip = gzip;
        }

        private void header() throws DataFormatException {
            if (gzip && !headerWritten) {
                headerWritten = true;
                // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown)
                emit(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, 0, GZIP_HEADER_MIN);
            }
        }

        @Override
        void consume(byte[] in) throws DataFormatException {
            header();
            if (in.length == 0) {
                return;
            }
            crc.update(in);
            size += in.length;
            deflater.setInput(in);
            while (!deflater.needsInput()) {
                int n = deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
                emit(buf, 0, n);
            }
        }

        @Override
        void end() throws DataFormatException {
            header();
            deflater.finish();
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                emit(buf, 0, n);
            }
            if (gzip) {
                int c = (int) crc.getValue();
                int s = (int) size;
                emit(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                        (byte) s, (byte) (s >> 8), (byte) (s >> 16), (byte) (s >> 24)}, 0, GZIP_TRAILER);
            }
        }

        @Override
        void release() {
            deflater.end();
        }
    }

    static final class Decompressor extends Session {
        private enum Stage { HEADER, BODY, TRAILER, DONE }

        private final Inflater inflater;
        private final boolean gzip;
        private final CRC32 crc = new CRC32();
        private long size;
        private Stage stage;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(); // header or trailer bytes so far

        Decompressor(boolean raw, boolean gzip) {
            this.inflater = new Inflater(raw);
            this.gzip = gzip;
            this.stage = gzip ? Stage.HEADER : Stage.BODY;
        }

        @Override
        void consume(byte[] in) throws DataFormatException {
            int off = 0;
            while (off < in.length) {
                off = switch (stage) {
                    case HEADER -> header(in, off);
                    case BODY -> body(in, off);
                    case TRAILER -> trailer(in, off);
                    case DONE -> throw new DataFormatException("Trailing junk after the end of the compressed data");
                };
            }
        }

        /** Collects header bytes; returns the offset after what it used. */
        private int header(byte[] in, int off) throws DataFormatException {
            pending.write(in, off, in.length - off);
            byte[] h = pending.toByteArray();
            int length = gzipHeaderLength(h);
            if (length < 0) {
                return in.length;
            }
            pending.reset();
            stage = Stage.BODY;
            // the bytes after the header were part of `in`
            return in.length - (h.length - length);
        }

        private int body(byte[] in, int off) throws DataFormatException {
            inflater.setInput(in, off, in.length - off);
            for (;;) {
                int n = inflater.inflate(buf);
                if (n > 0) {
                    if (gzip) {
                        crc.update(buf, 0, n);
                        size += n;
                    }
                    emit(buf, 0, n);
                }
                if (inflater.finished()) {
                    stage = gzip ? Stage.TRAILER : Stage.DONE;
                    return in.length - inflater.getRemaining();
                }
                if (inflater.needsDictionary()) {
                    throw new DataFormatException("The compressed data needs a preset dictionary");
                }
                if (n == 0 && inflater.needsInput()) {
                    return in.length;
                }
            }
        }

        private int trailer(byte[] in, int off) throws DataFormatException {
            int take = Math.min(GZIP_TRAILER - pending.size(), in.length - off);
            pending.write(in, off, take);
            if (pending.size() == GZIP_TRAILER) {
                byte[] t = pending.toByteArray();
                long expectedCrc = le32(t, 0);
                long expectedSize = le32(t, 4);
                if (expectedCrc != crc.getValue()) {
                    throw new DataFormatException("The gzip trailer's CRC-32 does not match the data");
                }
                if (expectedSize != (size & 0xffffffffL)) {
                    throw new DataFormatException("The gzip trailer's size does not match the data");
                }
                stage = Stage.DONE;
            }
            return off + take;
        }

        @Override
        void end() throws DataFormatException {
            if (stage != Stage.DONE) {
                throw new DataFormatException("The compressed data ended before the end of the stream");
            }
        }

        @Override
        void release() {
            inflater.end();
        }

        private static long le32(byte[] b, int at) {
            return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
        }

        /** The length of a complete gzip member header at the start of {@code h}, or -1 if more is needed. */
        static int gzipHeaderLength(byte[] h) throws DataFormatException {
            if (h.length >= 1 && (h[0] & 0xff) != 0x1f || h.length >= 2 && (h[1] & 0xff) != 0x8b) {
                throw new DataFormatException("Not gzip data: wrong magic bytes");
            }
            if (h.length >= 3 && h[2] != 8) {
                throw new DataFormatException("Unknown gzip compression method " + h[2]);
            }
            if (h.length < GZIP_HEADER_MIN) {
                return -1;
            }
            int flags = h[3] & 0xff;
            if ((flags & 0xe0) != 0) {
                throw new DataFormatException("Reserved gzip header flags are set");
            }
            int at = GZIP_HEADER_MIN;
            if ((flags & FEXTRA) != 0) {
                if (h.length < at + 2) {
                    return -1;
                }
                at += 2 + ((h[at] & 0xff) | (h[at + 1] & 0xff) << 8);
            }
            for (int flag : new int[] {FNAME, FCOMMENT}) {
                if ((flags & flag) != 0) {
                    while (at < h.length && h[at] != 0) {
                        at++;
                    }
                    if (at >= h.length) {
                        return -1;
                    }
                    at++;
                }
            }
            if ((flags & FHCRC) != 0) {
                at += 2;
            }
            return at <= h.length ? at : -1;
        }
    }
}
