package io.isoworker.isolate;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

import io.isoworker.api.Prelude;
import io.isoworker.api.host.HostBridge;

/**
 * The one GraalJS {@link Engine} of the process, and the recipe for a sandboxed context. Every context shares the
 * engine, so parsed and compiled code (the prelude's above all) is shared between them.
 *
 * <p>The sandbox is GraalJS community edition's {@link SandboxPolicy#CONSTRAINED}: no host class lookup (so no
 * {@code Java} global), only {@link HostAccess.Export}-annotated host members visible, no {@code load}/{@code print},
 * no stdout/stderr of the process, and a file system that holds only the worker's own modules.
 */
public final class IsolateEngine implements AutoCloseable {

    /** Host objects expose only {@link HostAccess.Export} members; ByteBuffers read as buffers (request bodies). */
    private static final HostAccess HOST_ACCESS = HostAccess.newBuilder(HostAccess.CONSTRAINED)
            .allowBufferAccess(true)
            .build();

    private final Engine engine;
    private final Source prelude;

    public IsolateEngine() {
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .logHandler(new Slf4jLogHandler())
                .build();
        this.prelude = Source.newBuilder("js", Prelude.source(), Prelude.SOURCE_NAME).cached(true).buildLiteral();
    }

    /** True when the optimizing compiler is on; false when GraalJS only interprets (much slower). */
    public boolean optimizing() {
        return !"Interpreted".equalsIgnoreCase(engine.getImplementationName());
    }

    public String implementationName() {
        return engine.getImplementationName();
    }

    public String version() {
        return engine.getVersion();
    }

    /**
     * Builds a sandboxed context and evaluates the prelude in it: what pre-warming one context costs. Callable from
     * any thread. The pool calls it; it is public for the benchmarks that measure that cost.
     */
    public BlankContext newBlankContext() {
        long start = System.nanoTime();
        ModuleFileSystem fs = new ModuleFileSystem();
        Context context = Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .in(InputStream.nullInputStream())
                .allowHostAccess(HOST_ACCESS)
                .allowIO(IOAccess.newBuilder().fileSystem(fs).build())
                .timeZone(ZoneOffset.UTC)
                .option("js.esm-eval-returns-exports", "true")
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.graal-builtin", "false")
                .option("js.console", "false")
                .build();
        long built = System.nanoTime();
        try {
            HostBridge host = new HostBridge();
            var internals = context.eval(prelude).execute(host);
            return new BlankContext(context, fs, host, internals, built - start, System.nanoTime() - built);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    @Override
    public void close() {
        engine.close(true);
    }
}
