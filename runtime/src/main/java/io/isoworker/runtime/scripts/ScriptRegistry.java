package io.isoworker.runtime.scripts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.isolate.WorkerBundle;
import io.isoworker.runtime.cron.CronSchedule;

/**
 * The deployed scripts: for each name its versions and the active one. Reads are lock-free (the request path asks
 * for the active bundle on every request); writes are serialized and reach the {@link ScriptStore} before they are
 * visible. It also holds each script's cron schedules, which the {@link io.isoworker.runtime.cron.CronTriggers} read.
 */
public final class ScriptRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptRegistry.class);

    /** A deployed script. {@code versions} is oldest first. */
    public record Script(String name, ScriptVersion active, List<ScriptVersion> versions) {
    }

    private final ScriptStore store;
    private final ConcurrentHashMap<String, Script> scripts = new ConcurrentHashMap<>();
    /** Cron schedules by script, parsed; the cron triggers read them from here. */
    private final ConcurrentHashMap<String, List<CronSchedule>> schedules = new ConcurrentHashMap<>();

    public ScriptRegistry(ScriptStore store) {
        this.store = store;
    }

    /** Loads what the store holds (at start-up). */
    public void load() throws IOException {
        for (ScriptStore.StoredScript s : store.loadAll()) {
            ScriptVersion active = s.versions().stream().filter(v -> v.id().equals(s.activeVersionId())).findFirst()
                    .orElseThrow();
            scripts.put(s.name(), new Script(s.name(), active, List.copyOf(s.versions())));
            List<CronSchedule> parsed = new java.util.ArrayList<>();
            for (String c : s.schedules()) {
                try {
                    parsed.add(CronSchedule.parse(c));
                } catch (IllegalArgumentException e) {
                    LOG.error("script {}: stored cron schedule '{}' is not valid, not run: {}", s.name(), c,
                            e.getMessage());
                }
            }
            if (!parsed.isEmpty()) {
                schedules.put(s.name(), List.copyOf(parsed));
            }
        }
    }

    /** {@code name}'s cron schedules (none: an empty list). */
    public List<CronSchedule> schedules(String name) {
        return schedules.getOrDefault(name, List.of());
    }

    /** Every script's cron schedules, by name (scripts without any left out). */
    public java.util.Map<String, List<CronSchedule>> allSchedules() {
        return java.util.Map.copyOf(schedules);
    }

    /**
     * Stores and sets {@code name}'s cron schedules (an empty list removes them).
     *
     * @return false when no such script is deployed
     */
    public synchronized boolean setSchedules(String name, List<CronSchedule> crons) throws IOException {
        if (!scripts.containsKey(name)) {
            return false;
        }
        if (store != null) {
            store.setSchedules(name, crons.stream().map(CronSchedule::text).toList());
        }
        if (crons.isEmpty()) {
            schedules.remove(name);
        } else {
            schedules.put(name, List.copyOf(crons));
        }
        return true;
    }

    /** The active bundle of {@code name}, or null when no such script is deployed. */
    public WorkerBundle activeBundle(String name) {
        Script s = scripts.get(name);
        return s == null ? null : s.active().bundle();
    }

    public Optional<Script> get(String name) {
        return Optional.ofNullable(scripts.get(name));
    }

    /** Every script, by name. */
    public List<Script> list() {
        List<Script> all = new ArrayList<>(scripts.values());
        all.sort(Comparator.comparing(Script::name));
        return all;
    }

    /**
     * Stores {@code version} and makes it the active version of its script (creating the script if new).
     *
     * @return the version that was active before, if any
     */
    public synchronized Optional<ScriptVersion> publish(ScriptVersion version) throws IOException {
        String name = version.scriptName();
        store.saveVersion(version);
        store.setActive(name, version.id());
        Script old = scripts.get(name);
        List<ScriptVersion> versions = new ArrayList<>(old == null ? List.of() : old.versions());
        versions.add(version);
        scripts.put(name, new Script(name, version, List.copyOf(versions)));
        return old == null ? Optional.empty() : Optional.of(old.active());
    }

    /** Removes a script with all its versions. Returns the removed script, if it existed. */
    public synchronized Optional<Script> delete(String name) throws IOException {
        Script old = scripts.get(name);
        if (old == null) {
            return Optional.empty();
        }
        store.delete(name);
        scripts.remove(name);
        schedules.remove(name);
        return Optional.of(old);
    }

    /** Puts a script in memory only, without storing it (dev mode). */
    public void putEphemeral(ScriptVersion version) {
        scripts.put(version.scriptName(), new Script(version.scriptName(), version, List.of(version)));
    }
}
