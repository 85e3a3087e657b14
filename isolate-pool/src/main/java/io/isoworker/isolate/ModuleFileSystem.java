package io.isoworker.isolate;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;

import io.isoworker.api.WorkerModule;

/**
 * The only file system a guest context has: the modules of the worker loaded into it, read-only, under
 * {@code /worker/}. Text, data, JSON and CommonJS modules are served as small ES modules whose default export is the
 * value, so {@code import text from './page.html'} works as on Workers. Everything else does not exist.
 *
 * <p>A pre-warmed context is built before its worker is known, so the bundle is {@linkplain #mount mounted} later.
 */
final class ModuleFileSystem implements org.graalvm.polyglot.io.FileSystem {

    private static final Path ROOT = Path.of(WorkerBundle.MODULE_ROOT);

    private volatile Map<String, WorkerModule> modules = Map.of();

    void mount(WorkerBundle bundle) {
        this.modules = bundle.modules();
    }

    private WorkerModule lookup(Path path) throws NoSuchFileException {
        Path absolute = toAbsolutePath(path).normalize();
        if (absolute.startsWith(ROOT)) {
            WorkerModule m = modules.get(ROOT.relativize(absolute).toString());
            if (m != null) {
                return m;
            }
        }
        throw new NoSuchFileException(path.toString());
    }

    @Override
    public Path parsePath(URI uri) {
        if (!"file".equals(uri.getScheme())) {
            throw new UnsupportedOperationException("Only modules of the worker itself can be imported: " + uri);
        }
        return Path.of(uri.getPath());
    }

    @Override
    public Path parsePath(String path) {
        return Path.of(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        lookup(path);
        if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
            throw new AccessDeniedException(path.toString());
        }
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        throw new AccessDeniedException(dir.toString());
    }

    @Override
    public void delete(Path path) throws IOException {
        throw new AccessDeniedException(path.toString());
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        if (options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)) {
            throw new AccessDeniedException(path.toString());
        }
        return new ReadOnlyChannel(moduleSource(lookup(path)));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        throw new AccessDeniedException(dir.toString());
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : ROOT.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) {
        return toAbsolutePath(path).normalize();
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        throw new AccessDeniedException(path.toString());
    }

    /** The JavaScript source the engine reads for a module. */
    static byte[] moduleSource(WorkerModule m) {
        String js = switch (m.type()) {
            case ES_MODULE -> null;
            case TEXT -> "export default " + io.isoworker.api.JsonText.quote(m.text()) + ";\n";
            case JSON -> "export default JSON.parse(" + io.isoworker.api.JsonText.quote(m.text()) + ");\n";
            case DATA -> dataModule(m.content());
            case SCRIPT -> "const module = { exports: {} };\n(function (module, exports) {" + m.text()
                    + "\n}).call(module.exports, module, module.exports);\nexport default module.exports;\n";
        };
        return js == null ? m.content() : js.getBytes(StandardCharsets.UTF_8);
    }

    private static String dataModule(byte[] content) {
        StringBuilder sb = new StringBuilder(content.length * 4 + 64);
        sb.append("export default new Uint8Array([");
        for (int i = 0; i < content.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(content[i] & 0xff);
        }
        return sb.append("]).buffer;\n").toString();
    }

    private static final class ReadOnlyChannel implements SeekableByteChannel {
        private final byte[] data;
        private int position;
        private boolean open = true;

        ReadOnlyChannel(byte[] data) {
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(dst.remaining(), data.length - position);
            dst.put(data, position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = (int) Math.min(newPosition, data.length);
            return this;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
