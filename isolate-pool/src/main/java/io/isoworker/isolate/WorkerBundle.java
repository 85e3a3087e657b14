package io.isoworker.isolate;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.graalvm.polyglot.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.Binding;
import io.isoworker.api.ModuleType;
import io.isoworker.api.WorkerModule;

/**
 * One immutable version of a worker script: its modules, which one is the entry point, and its bindings. Everything
 * an isolate needs to load it.
 *
 * <p>The main module's {@link Source} is shared by every context that serves this version, so the engine parses it
 * once and shares its code. The engine keeps that parsed code for as long as the {@code Source} object is reachable,
 * and for a bundled app it is many times the source text (a 1 MiB bundle: ~17-20 MiB). So the bundle holds its
 * {@code Source} only weakly: the contexts that evaluated it hold it (see {@link BlankContext#load}), and a version
 * with no live isolate, deployed but idle or evicted, keeps only its modules' bytes. Its next load makes the
 * {@code Source} again and the engine parses it again. An upload's validation parses a {@link #validationSource()
 * source of its own} that the engine does not cache, so validating leaves nothing behind.
 *
 * <p>A bundled version carries the source maps of its bundled modules ({@link #sourceMaps()}, as uploaded), which the
 * host uses to {@linkplain #mapStack map the stacks it logs} back to the author's files. They are decoded on first
 * use; the guest never sees them (its {@code err.stack} stays as the engine made it, as on Workers).
 */
public final class WorkerBundle {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerBundle.class);

    /** The folder modules appear under in the guest's module file system. */
    static final String MODULE_ROOT = "/worker/";

    /** A frame's location in a module: {@code at f (/worker/index.js:12:9)} or {@code at /worker/index.js:3:1}. */
    private static final Pattern FRAME_LOCATION = Pattern.compile(
            "^(\\s*at (?:.*?\\()?)" + Pattern.quote(MODULE_ROOT) + "([^\\s():]+):(\\d+):(\\d+)");

    private final String scriptName;
    private final String versionId;
    private final String mainModule;
    private final Map<String, WorkerModule> modules;
    private final List<Binding> bindings;
    private final WorkerModule main;
    private final Object sourceLock = new Object();
    private WeakReference<Source> mainSource = new WeakReference<>(null);
    private final long cpuLimitMillis;
    private final Map<String, byte[]> sourceMaps;
    /** Decoded maps by module name; empty where a map does not decode (logged once). */
    private final Map<String, Optional<SourceMap>> decodedMaps = new ConcurrentHashMap<>();

    public WorkerBundle(String scriptName, String versionId, String mainModule, List<WorkerModule> modules,
            List<Binding> bindings) {
        this(scriptName, versionId, mainModule, modules, bindings, 0);
    }

    /**
     * @param cpuLimitMillis the script's own CPU limit per invocation (its upload's {@code limits.cpu_ms}), or 0 for
     *                       the server's default
     */
    public WorkerBundle(String scriptName, String versionId, String mainModule, List<WorkerModule> modules,
            List<Binding> bindings, long cpuLimitMillis) {
        this(scriptName, versionId, mainModule, modules, bindings, cpuLimitMillis, Map.of());
    }

    /**
     * @param cpuLimitMillis the script's own CPU limit per invocation (its upload's {@code limits.cpu_ms}), or 0 for
     *                       the server's default
     * @param sourceMaps     source map JSON (v3) by the name of the module it maps ({@code index.js}), for modules that
     *                       were bundled; the bytes are not changed after construction
     */
    public WorkerBundle(String scriptName, String versionId, String mainModule, List<WorkerModule> modules,
            List<Binding> bindings, long cpuLimitMillis, Map<String, byte[]> sourceMaps) {
        if (cpuLimitMillis < 0) {
            throw new IllegalArgumentException("cpuLimitMillis must be >= 0");
        }
        this.cpuLimitMillis = cpuLimitMillis;
        this.scriptName = Objects.requireNonNull(scriptName, "scriptName");
        this.versionId = Objects.requireNonNull(versionId, "versionId");
        this.mainModule = Objects.requireNonNull(mainModule, "mainModule");
        Map<String, WorkerModule> byName = new LinkedHashMap<>();
        for (WorkerModule m : modules) {
            if (byName.put(m.name(), m) != null) {
                throw new IllegalArgumentException("module appears twice: " + m.name());
            }
        }
        WorkerModule main = byName.get(mainModule);
        if (main == null) {
            throw new IllegalArgumentException("main module not among the modules: " + mainModule);
        }
        if (!main.isJavaScript()) {
            throw new IllegalArgumentException("main module must be JavaScript, not " + main.type().contentType());
        }
        this.modules = Map.copyOf(byName);
        this.bindings = List.copyOf(bindings);
        this.main = main;
        for (String module : sourceMaps.keySet()) {
            if (!byName.containsKey(module)) {
                throw new IllegalArgumentException("a source map for a module the version does not have: " + module);
            }
        }
        this.sourceMaps = Map.copyOf(sourceMaps);
    }

    public String scriptName() {
        return scriptName;
    }

    public String versionId() {
        return versionId;
    }

    public String mainModule() {
        return mainModule;
    }

    public Map<String, WorkerModule> modules() {
        return modules;
    }

    public List<Binding> bindings() {
        return bindings;
    }

    /** The script's own CPU limit per invocation in milliseconds, or 0 when it uses the server's default. */
    public long cpuLimitMillis() {
        return cpuLimitMillis;
    }

    /** The source maps (JSON) by the name of the module each maps; empty for a version that was not bundled. */
    public Map<String, byte[]> sourceMaps() {
        return sourceMaps;
    }

    /**
     * A JavaScript stack as the engine wrote it, for the host's logs: each frame in a module names the author's file,
     * through the module's source map where it has one ({@code at boom (/worker/index.js:12:9)} becomes
     * {@code at boom (src/lib.ts:4:9)}), else the module's own name without the module file system's root
     * ({@code at boom (src/lib.js:2:9)}). Lines that are not frames are left as they are. Null stays null.
     */
    public String mapStack(String stack) {
        if (stack == null || !stack.contains(MODULE_ROOT)) {
            return stack;
        }
        StringBuilder out = new StringBuilder(stack.length());
        int start = 0;
        while (start <= stack.length()) {
            int end = stack.indexOf('\n', start);
            String line = stack.substring(start, end < 0 ? stack.length() : end);
            out.append(mapFrame(line));
            if (end < 0) {
                break;
            }
            out.append('\n');
            start = end + 1;
        }
        return out.toString();
    }

    private String mapFrame(String line) {
        Matcher m = FRAME_LOCATION.matcher(line);
        if (!m.find()) {
            return line;
        }
        int lineNo;
        int column;
        try {
            lineNo = Integer.parseInt(m.group(3));
            column = Integer.parseInt(m.group(4));
        } catch (NumberFormatException e) {
            return line;
        }
        return originalPosition(m.group(2), lineNo, column)
                .map(p -> m.group(1) + p.source() + ":" + p.line() + ":" + p.column() + line.substring(m.end()))
                .orElse(m.group(1) + m.group(2) + ":" + lineNo + ":" + column + line.substring(m.end()));
    }

    /**
     * Where {@code line}:{@code column} (1-based; a column below 1 when unknown) of module {@code module} came from,
     * by the module's source map; empty when it has none or the map does not cover that place.
     */
    public Optional<SourceMap.Position> originalPosition(String module, int line, int column) {
        if (module == null || !sourceMaps.containsKey(module)) {
            return Optional.empty();
        }
        return decodedMaps.computeIfAbsent(module, this::decode).flatMap(map -> map.originalPosition(line, column));
    }

    private Optional<SourceMap> decode(String module) {
        try {
            return Optional.of(SourceMap.parse(new String(sourceMaps.get(module),
                    java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            LOG.warn("script {} (version {}): the source map of {} does not decode, its stacks stay unmapped: {}",
                    scriptName, versionId, module, e.getMessage());
            return Optional.empty();
        }
    }

    /** The ids of the KV namespaces the worker is bound to. */
    public java.util.Set<String> kvNamespaceIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Binding b : bindings) {
            if (b instanceof Binding.KvNamespace kv) {
                ids.add(kv.namespaceId());
            }
        }
        return ids;
    }

    /** True for module syntax ({@code export default}), false for service-worker syntax. */
    public boolean moduleSyntax() {
        return modules.get(mainModule).type() == ModuleType.ES_MODULE;
    }

    /**
     * The main module as a {@link Source}: the one live contexts share while any holds it, else a new one. The caller
     * must keep it reachable for as long as the code evaluated from it is in use.
     */
    Source mainSource() {
        synchronized (sourceLock) {
            Source source = mainSource.get();
            if (source == null) {
                source = buildSource(true);
                mainSource = new WeakReference<>(source);
            }
            return source;
        }
    }

    /** The main module as a {@link Source} the engine does not cache: parsed for one evaluation, then garbage. */
    Source validationSource() {
        return buildSource(false);
    }

    /**
     * The main module as a file-based {@link Source} whose content is given (nothing is read): a path under
     * {@link #MODULE_ROOT}, so that the engine resolves the main module's relative imports against its folder
     * ({@code ./label.js} from {@code src/index.js} is {@code src/label.js}), in the module file system.
     */
    private Source buildSource(boolean cached) {
        try {
            return Source.newBuilder("js", new File(MODULE_ROOT + mainModule))
                    .content(main.text())
                    .name(mainModule)
                    .mimeType(main.type() == ModuleType.ES_MODULE ? "application/javascript+module"
                            : "application/javascript")
                    .cached(cached)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("the main module's source could not be made: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "WorkerBundle[" + scriptName + "@" + versionId + "]";
    }
}
