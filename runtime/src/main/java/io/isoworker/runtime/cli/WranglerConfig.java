package io.isoworker.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.isoworker.api.Binding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * The parts of a project's {@code wrangler.toml} (or {@code wrangler.json}) that {@code isoworker dev} uses so far:
 * {@code [vars]} and {@code [[kv_namespaces]]} (binding, id). A KV binding without an id uses its binding name as the
 * id of its local namespace, as wrangler's local mode does.
 */
record WranglerConfig(List<Binding> bindings) {

    private static final Logger LOG = LoggerFactory.getLogger(WranglerConfig.class);

    static final WranglerConfig NONE = new WranglerConfig(List.of());

    /** Reads the config in {@code dir}, if there is one. */
    static WranglerConfig read(Path dir) throws IOException {
        Path toml = dir.resolve("wrangler.toml");
        Path json = dir.resolve("wrangler.json");
        JsonObject config;
        if (Files.isRegularFile(toml)) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = new TomlMapper().readValue(toml.toFile(), Map.class);
                config = new JsonObject(map);
            } catch (JacksonException e) {
                throw new IOException(toml + " is not valid TOML: " + e.getOriginalMessage());
            }
        } else if (Files.isRegularFile(json)) {
            try {
                config = new JsonObject(Files.readString(json));
            } catch (RuntimeException e) {
                throw new IOException(json + " is not a JSON object: " + e.getMessage());
            }
        } else {
            return NONE;
        }
        return new WranglerConfig(bindings(config, toml.getFileName().toString()));
    }

    private static List<Binding> bindings(JsonObject config, String file) throws IOException {
        List<Binding> out = new ArrayList<>();
        JsonObject vars = config.getValue("vars") instanceof JsonObject v ? v : new JsonObject();
        for (String name : vars.fieldNames()) {
            Object value = vars.getValue(name);
            out.add(value instanceof String text ? new Binding.PlainText(name, text)
                    : new Binding.Json(name, io.vertx.core.json.Json.encode(value)));
        }
        Object kv = config.getValue("kv_namespaces");
        if (kv != null && !(kv instanceof JsonArray)) {
            throw new IOException(file + ": kv_namespaces must be an array of tables");
        }
        for (Object o : kv == null ? new JsonArray() : (JsonArray) kv) {
            if (!(o instanceof JsonObject entry) || !(entry.getValue("binding") instanceof String binding)) {
                throw new IOException(file + ": each kv_namespaces entry needs a binding name");
            }
            Object id = entry.getValue("id");
            if (id != null && !(id instanceof String)) {
                throw new IOException(file + ": the id of KV binding " + binding + " must be a string");
            }
            try {
                out.add(new Binding.KvNamespace(binding, id == null ? binding : (String) id));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage());
            }
        }
        LOG.debug("{}: {} binding(s)", file, out.size());
        return out;
    }
}
