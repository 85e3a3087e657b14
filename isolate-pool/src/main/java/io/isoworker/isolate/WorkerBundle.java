package io.isoworker.isolate;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.graalvm.polyglot.Source;

import io.isoworker.api.Binding;
import io.isoworker.api.ModuleType;
import io.isoworker.api.WorkerModule;

/**
 * One immutable version of a worker script: its modules, which one is the entry point, and its bindings. Everything
 * an isolate needs to load it. The main module's parsed {@link Source} is made once and shared by every context that
 * loads this version, so the engine can share its code.
 */
public final class WorkerBundle {

    /** The folder modules appear under in the guest's module file system. */
    static final String MODULE_ROOT = "/worker/";

    private final String scriptName;
    private final String versionId;
    private final String mainModule;
    private final Map<String, WorkerModule> modules;
    private final List<Binding> bindings;
    private final Source mainSource;
    private final long cpuLimitMillis;

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
        this.mainSource = Source.newBuilder("js", main.text(), mainModule)
                .uri(URI.create("file://" + MODULE_ROOT + mainModule))
                .mimeType(main.type() == ModuleType.ES_MODULE ? "application/javascript+module" : "application/javascript")
                .cached(true)
                .buildLiteral();
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

    Source mainSource() {
        return mainSource;
    }

    @Override
    public String toString() {
        return "WorkerBundle[" + scriptName + "@" + versionId + "]";
    }
}
