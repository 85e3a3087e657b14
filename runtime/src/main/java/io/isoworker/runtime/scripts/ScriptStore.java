package io.isoworker.runtime.scripts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.Binding;
import io.isoworker.api.ModuleType;
import io.isoworker.api.WorkerModule;
import io.isoworker.isolate.WorkerBundle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Scripts on disk, under {@code DATA/scripts/NAME/}: {@code versions/ID/version.json} with the metadata and
 * bindings, {@code versions/ID/modules/N} with each module's bytes, {@code versions/ID/maps/N} with each source map
 * of a bundled version (listed in {@code version.json}'s {@code source_maps} by the module each maps), {@code active}
 * naming the active version, and
 * {@code schedules.json} its cron schedules (a JSON array of strings; absent: none).
 * Each write goes to a temporary file or folder that is synced and then atomically renamed, so a crash leaves either
 * the old state or the new one. Files are readable by the owner only: they hold secrets.
 */
public final class ScriptStore {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptStore.class);

    private final Path root;

    public ScriptStore(Path dataDir) {
        this.root = dataDir.resolve("scripts");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
    }

    /** Writes a new version (not yet active). */
    public void saveVersion(ScriptVersion v) throws IOException {
        Path versions = root.resolve(v.scriptName()).resolve("versions");
        Files.createDirectories(versions);
        Path tmp = versions.resolve(".tmp-" + v.id());
        Files.createDirectories(tmp.resolve("modules"));
        JsonArray modules = new JsonArray();
        int i = 0;
        for (WorkerModule m : v.modules()) {
            String file = Integer.toString(i++);
            writeSynced(tmp.resolve("modules").resolve(file), m.content());
            modules.add(new JsonObject().put("name", m.name()).put("type", m.type().contentType()).put("file", file));
        }
        JsonArray maps = new JsonArray();
        if (!v.sourceMaps().isEmpty()) {
            Files.createDirectories(tmp.resolve("maps"));
            int j = 0;
            for (var map : new java.util.TreeMap<>(v.sourceMaps()).entrySet()) {
                String file = Integer.toString(j++);
                writeSynced(tmp.resolve("maps").resolve(file), map.getValue());
                maps.add(new JsonObject().put("module", map.getKey()).put("file", file));
            }
        }
        JsonArray bindings = new JsonArray();
        for (Binding b : v.bindings()) {
            JsonObject j = new JsonObject().put("name", b.name()).put("type", b.type());
            switch (b) {
                case Binding.PlainText t -> j.put("text", t.text());
                case Binding.SecretText t -> j.put("text", t.text());
                case Binding.Json t -> j.put("json", t.json());
                case Binding.KvNamespace k -> j.put("namespace_id", k.namespaceId());
            }
            bindings.add(j);
        }
        JsonObject meta = new JsonObject()
                .put("id", v.id())
                .put("hash", v.hash())
                .put("size", v.size())
                .put("created_on", v.createdOn().toString())
                .put("compatibility_date", v.compatibilityDate())
                .put("main_module", v.mainModule())
                .put("modules", modules)
                .put("bindings", bindings);
        if (!maps.isEmpty()) {
            meta.put("source_maps", maps);
        }
        if (v.cpuLimitMillis() > 0) {
            meta.put("limits", new JsonObject().put("cpu_ms", v.cpuLimitMillis()));
        }
        writeSynced(tmp.resolve("version.json"), meta.encode().getBytes(StandardCharsets.UTF_8));
        move(tmp, versions.resolve(v.id()));
    }

    /** Makes {@code versionId} the active version of {@code name}. */
    public void setActive(String name, String versionId) throws IOException {
        Path dir = root.resolve(name);
        Path tmp = dir.resolve(".active.tmp");
        writeSynced(tmp, versionId.getBytes(StandardCharsets.UTF_8));
        move(tmp, dir.resolve("active"));
    }

    /** Stores {@code name}'s cron schedules (as written; an empty list: none). */
    public void setSchedules(String name, List<String> crons) throws IOException {
        Path dir = root.resolve(name);
        Path tmp = dir.resolve(".schedules.tmp");
        io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
        crons.forEach(list::add);
        writeSynced(tmp, list.encode().getBytes(StandardCharsets.UTF_8));
        move(tmp, dir.resolve("schedules.json"));
    }

    /** Removes a script and all its versions. */
    public void delete(String name) throws IOException {
        Path dir = root.resolve(name);
        if (!Files.exists(dir)) {
            return;
        }
        Path trash = root.resolve(".deleted-" + name + "-" + UUID.randomUUID());
        move(dir, trash);
        deleteTree(trash);
    }

    /** Every stored script with its versions (oldest first) and active version id. */
    public List<StoredScript> loadAll() throws IOException {
        List<StoredScript> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".deleted-")) {
                    deleteTree(dir);
                    continue;
                }
                if (!ScriptNames.validScriptName(name) || !Files.isDirectory(dir)) {
                    continue;
                }
                Optional<StoredScript> s = loadScript(name, dir);
                s.ifPresent(out::add);
            }
        }
        return out;
    }

    /** A script as stored, with its cron schedules (as written). */
    public record StoredScript(String name, List<ScriptVersion> versions, String activeVersionId,
            List<String> schedules) {
    }

    private Optional<StoredScript> loadScript(String name, Path dir) throws IOException {
        Path activeFile = dir.resolve("active");
        if (!Files.exists(activeFile)) {
            return Optional.empty();
        }
        String active = Files.readString(activeFile, StandardCharsets.UTF_8).trim();
        List<ScriptVersion> versions = new ArrayList<>();
        Path versionsDir = dir.resolve("versions");
        try (Stream<Path> vs = Files.list(versionsDir)) {
            for (Path v : vs.toList()) {
                if (v.getFileName().toString().startsWith(".tmp-")) {
                    deleteTree(v);
                    continue;
                }
                try {
                    versions.add(loadVersion(name, v));
                } catch (IOException | RuntimeException e) {
                    LOG.error("script {}: cannot read stored version {}: {}", name, v.getFileName(), e.toString());
                }
            }
        }
        versions.sort(Comparator.comparing(ScriptVersion::createdOn));
        if (versions.stream().noneMatch(v -> v.id().equals(active))) {
            LOG.error("script {}: its active version {} is missing; the script is not loaded", name, active);
            return Optional.empty();
        }
        List<String> schedules = new ArrayList<>();
        Path schedulesFile = dir.resolve("schedules.json");
        if (Files.exists(schedulesFile)) {
            try {
                for (Object o : new io.vertx.core.json.JsonArray(Files.readString(schedulesFile,
                        StandardCharsets.UTF_8))) {
                    schedules.add((String) o);
                }
            } catch (RuntimeException e) {
                LOG.error("script {}: cannot read its stored cron schedules: {}", name, e.toString());
            }
        }
        return Optional.of(new StoredScript(name, versions, active, List.copyOf(schedules)));
    }

    private static ScriptVersion loadVersion(String name, Path dir) throws IOException {
        JsonObject meta = new JsonObject(Files.readString(dir.resolve("version.json"), StandardCharsets.UTF_8));
        List<WorkerModule> modules = new ArrayList<>();
        for (Object o : meta.getJsonArray("modules")) {
            JsonObject m = (JsonObject) o;
            ModuleType type = ModuleType.ofContentType(m.getString("type"))
                    .orElseThrow(() -> new IOException("unknown module type " + m.getString("type")));
            modules.add(new WorkerModule(m.getString("name"), type,
                    Files.readAllBytes(dir.resolve("modules").resolve(m.getString("file")))));
        }
        List<Binding> bindings = new ArrayList<>();
        for (Object o : meta.getJsonArray("bindings")) {
            JsonObject b = (JsonObject) o;
            String n = b.getString("name");
            bindings.add(switch (b.getString("type")) {
                case "plain_text" -> new Binding.PlainText(n, b.getString("text"));
                case "secret_text" -> new Binding.SecretText(n, b.getString("text"));
                case "json" -> new Binding.Json(n, b.getString("json"));
                case "kv_namespace" -> new Binding.KvNamespace(n, b.getString("namespace_id"));
                default -> throw new IOException("unknown binding type " + b.getString("type"));
            });
        }
        java.util.Map<String, byte[]> maps = new java.util.LinkedHashMap<>();
        for (Object o : meta.getJsonArray("source_maps", new JsonArray())) {
            JsonObject m = (JsonObject) o;
            maps.put(m.getString("module"), Files.readAllBytes(dir.resolve("maps").resolve(m.getString("file"))));
        }
        String id = meta.getString("id");
        JsonObject limits = meta.getJsonObject("limits", new JsonObject());
        WorkerBundle bundle = new WorkerBundle(name, id, meta.getString("main_module"), modules, bindings,
                limits.getLong("cpu_ms", 0L), maps);
        return new ScriptVersion(id, meta.getString("hash"), meta.getLong("size"),
                Instant.parse(meta.getString("created_on")), meta.getString("compatibility_date"), bundle);
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        ownerOnly(file, false);
    }

    /** Restricts a file (rw-------) or folder (rwx------) to its owner, where the file system has POSIX modes. */
    static void ownerOnly(Path path, boolean directory) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing more to do
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(to.getParent());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a folder; the rename itself is still atomic
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (FileSystemException e) {
                    LOG.warn("cannot delete {}: {}", p, e.getMessage());
                }
            }
        }
    }
}
