package io.isoworker.isolate;

import java.time.Duration;
import java.util.List;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

import io.isoworker.api.Binding;
import io.isoworker.api.JsonText;
import io.isoworker.api.host.HostBridge;

/**
 * A sandboxed context with the prelude evaluated and no worker in it yet: what the pre-warmed pool holds. Loading a
 * worker ({@link #load}) is the only work left on a cold start. Outside this package it can only be closed.
 */
public final class BlankContext implements AutoCloseable {

    final Context context;
    final ModuleFileSystem fileSystem;
    final HostBridge host;
    final Value internals;
    /** How long building the sandboxed Context took. */
    final long creationNanos;
    /** How long evaluating the prelude in it took. */
    final long preludeNanos;
    /** Set by the pre-warmed pool when it hands this context out: it was built off the request path. */
    boolean prewarmed;
    /**
     * The worker's main module as evaluated here, held for as long as this context lives: the bundle holds it only
     * weakly, and the engine keeps the parsed code only while it is reachable (see {@link WorkerBundle}).
     */
    private org.graalvm.polyglot.Source loadedSource;

    BlankContext(Context context, ModuleFileSystem fileSystem, HostBridge host, Value internals, long creationNanos,
            long preludeNanos) {
        this.context = context;
        this.fileSystem = fileSystem;
        this.host = host;
        this.internals = internals;
        this.creationNanos = creationNanos;
        this.preludeNanos = preludeNanos;
    }

    /**
     * Evaluates the worker's main module (and what it imports) under the startup CPU limit, and checks that it
     * registers a handler. Runs on the calling thread. On failure the context is closed.
     *
     * @param validation true for an upload's check in a throw-away context: the main module is parsed from a source
     *                   the engine does not cache (see {@link WorkerBundle})
     * @return the prelude's descriptor of the loaded worker
     */
    Value load(WorkerBundle bundle, Watchdog watchdog, Duration startupLimit, boolean validation)
            throws ScriptLoadException {
        host.bindScript(bundle.scriptName());
        host.advanceClock();
        fileSystem.mount(bundle);
        String bindings = bindingsJson(bundle.bindings());
        Watchdog.Slot slot = watchdog.slot();
        var cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        slot.arm(startupLimit.toNanos(), () -> {
            cancelled.set(true);
            context.close(true);
        });
        try {
            loadedSource = validation ? bundle.validationSource() : bundle.mainSource();
            if (bundle.moduleSyntax()) {
                Value exports = context.eval(loadedSource);
                return internals.invokeMember("moduleWorker", exports, bindings);
            }
            internals.invokeMember("defineBindingGlobals", bindings);
            context.eval(loadedSource);
            return internals.invokeMember("serviceWorker");
        } catch (PolyglotException e) {
            closeQuietly();
            if (e.isCancelled() || cancelled.get()) {
                throw new ScriptLoadException(ScriptLoadException.Kind.STARTUP_LIMIT_EXCEEDED,
                        "Script startup exceeded CPU time limit (" + startupLimit.toMillis() + " ms).", null, 0);
            }
            throw toLoadException(e, bundle);
        } catch (IllegalStateException e) {
            closeQuietly();
            if (cancelled.get()) {
                throw new ScriptLoadException(ScriptLoadException.Kind.STARTUP_LIMIT_EXCEEDED,
                        "Script startup exceeded CPU time limit (" + startupLimit.toMillis() + " ms).", null, 0);
            }
            throw e;
        } finally {
            slot.disarm();
        }
    }

    /**
     * The load error for {@code e}, at its first guest location; in a bundled module with a source map, at the place
     * in the author's file that it maps to ({@code src/index.ts}, line 12).
     */
    private static ScriptLoadException toLoadException(PolyglotException e, WorkerBundle bundle) {
        SourceSection at = e.getSourceLocation();
        if (at == null) {
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                if (frame.isGuestFrame() && frame.getSourceLocation() != null) {
                    at = frame.getSourceLocation();
                    break;
                }
            }
        }
        String module = at == null ? null : moduleName(at.getSource());
        int line = at == null ? 0 : at.getStartLine();
        if (at != null && line > 0) {
            var original = bundle.originalPosition(module, line, at.hasColumns() ? at.getStartColumn() : 0);
            if (original.isPresent()) {
                module = original.get().source();
                line = original.get().line();
            }
        }
        String message = e.getMessage();
        if (e.isSyntaxError()) {
            return new ScriptLoadException(ScriptLoadException.Kind.SYNTAX_ERROR, message, module, line);
        }
        if (message != null && message.contains("No event handlers were registered")) {
            return new ScriptLoadException(ScriptLoadException.Kind.NO_HANDLER, message, null, 0);
        }
        return new ScriptLoadException(ScriptLoadException.Kind.EVALUATION_ERROR, message, module, line);
    }

    /** A module's name as uploaded ({@code lib/util.js}), whatever specifier imported it. */
    private static String moduleName(org.graalvm.polyglot.Source source) {
        String path = source.getPath();
        if (path != null && path.startsWith(WorkerBundle.MODULE_ROOT)) {
            return path.substring(WorkerBundle.MODULE_ROOT.length());
        }
        if (source.getURI() != null && "file".equals(source.getURI().getScheme())
                && source.getURI().getPath().startsWith(WorkerBundle.MODULE_ROOT)) {
            return source.getURI().getPath().substring(WorkerBundle.MODULE_ROOT.length());
        }
        return source.getName();
    }

    @Override
    public void close() {
        closeQuietly();
    }

    void closeQuietly() {
        loadedSource = null;
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // a cancelled context rethrows on close; it is closed all the same
        }
    }

    static String bindingsJson(List<Binding> bindings) {
        StringBuilder sb = new StringBuilder("[");
        for (Binding b : bindings) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            String value = switch (b) {
                case Binding.PlainText t -> t.text();
                case Binding.SecretText t -> t.text();
                case Binding.Json j -> j.json();
                case Binding.KvNamespace k -> k.namespaceId();
            };
            sb.append("{\"name\":").append(JsonText.quote(b.name()))
                    .append(",\"type\":").append(JsonText.quote(b.type()))
                    .append(",\"value\":").append(JsonText.quote(value)).append('}');
        }
        return sb.append(']').toString();
    }
}
