package io.isoworker.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One module of a worker: its name (a relative path such as {@code index.js} or {@code lib/util.js}), its type and
 * its bytes. The content array is never changed after construction.
 */
public record WorkerModule(String name, ModuleType type, byte[] content) {

    public WorkerModule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
    }

    public static WorkerModule of(String name, ModuleType type, String text) {
        return new WorkerModule(name, type, text.getBytes(StandardCharsets.UTF_8));
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    public boolean isJavaScript() {
        return type == ModuleType.ES_MODULE || type == ModuleType.SCRIPT;
    }

    @Override
    public String toString() {
        return "WorkerModule[" + name + ", " + type + ", " + content.length + " bytes]";
    }
}
