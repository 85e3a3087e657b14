package io.isoworker.runtime.scripts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.isoworker.api.Binding;
import io.isoworker.api.WorkerModule;
import io.isoworker.isolate.WorkerBundle;

/**
 * One immutable uploaded version of a script.
 *
 * @param id                version id (a UUID)
 * @param hash              SHA-256 of the code (module names, types and bytes, the main module, and the source maps
 *                          when there are any), hex
 * @param size              total bytes of the modules
 * @param createdOn         upload time
 * @param compatibilityDate the upload's compatibility date, or null
 * @param bundle            the modules and bindings, ready to load
 */
public record ScriptVersion(String id, String hash, long size, Instant createdOn, String compatibilityDate,
        WorkerBundle bundle) {

    /** A new version with a fresh id, the current time, and the hash and size of its modules. */
    public static ScriptVersion create(String scriptName, String mainModule, List<WorkerModule> modules,
            List<Binding> bindings, String compatibilityDate) {
        return create(scriptName, mainModule, modules, bindings, compatibilityDate, 0);
    }

    /** @param cpuLimitMillis the upload's {@code limits.cpu_ms}, or 0 for the server's default */
    public static ScriptVersion create(String scriptName, String mainModule, List<WorkerModule> modules,
            List<Binding> bindings, String compatibilityDate, long cpuLimitMillis) {
        return create(scriptName, mainModule, modules, bindings, compatibilityDate, cpuLimitMillis, Map.of());
    }

    /**
     * @param cpuLimitMillis the upload's {@code limits.cpu_ms}, or 0 for the server's default
     * @param sourceMaps     source maps (JSON) by the name of the bundled module each maps (see
     *                       {@link WorkerBundle#sourceMaps()})
     */
    public static ScriptVersion create(String scriptName, String mainModule, List<WorkerModule> modules,
            List<Binding> bindings, String compatibilityDate, long cpuLimitMillis, Map<String, byte[]> sourceMaps) {
        String id = UUID.randomUUID().toString();
        WorkerBundle bundle = new WorkerBundle(scriptName, id, mainModule, modules, bindings, cpuLimitMillis,
                sourceMaps);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        sha.update(mainModule.getBytes(StandardCharsets.UTF_8));
        for (WorkerModule m : modules) {
            sha.update((byte) 0);
            sha.update(m.name().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(m.type().contentType().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(m.content());
            size += m.content().length;
        }
        for (Map.Entry<String, byte[]> map : new TreeMap<>(sourceMaps).entrySet()) {
            sha.update((byte) 1);
            sha.update(map.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(map.getValue());
        }
        return new ScriptVersion(id, HexFormat.of().formatHex(sha.digest()), size,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), compatibilityDate, bundle);
    }

    public String scriptName() {
        return bundle.scriptName();
    }

    public String mainModule() {
        return bundle.mainModule();
    }

    /** The script's {@code limits.cpu_ms}, or 0 when it set none. */
    public long cpuLimitMillis() {
        return bundle.cpuLimitMillis();
    }

    public List<Binding> bindings() {
        return bundle.bindings();
    }

    public List<WorkerModule> modules() {
        return List.copyOf(bundle.modules().values());
    }

    /** The source maps (JSON) by the name of the module each maps; empty unless the version was bundled. */
    public Map<String, byte[]> sourceMaps() {
        return bundle.sourceMaps();
    }

    /** "modules" for module syntax, "service-worker" otherwise. */
    public String format() {
        return bundle.moduleSyntax() ? "modules" : "service-worker";
    }
}
