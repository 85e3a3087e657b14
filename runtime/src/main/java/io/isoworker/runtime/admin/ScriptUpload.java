package io.isoworker.runtime.admin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.isoworker.api.Binding;
import io.isoworker.api.ModuleType;
import io.isoworker.api.WorkerModule;
import io.isoworker.isolate.SourceMap;
import io.isoworker.runtime.scripts.ScriptNames;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Parses a script upload in one of Cloudflare's two shapes: a single script as the body, or {@code multipart/form-data}
 * with a {@code metadata} JSON part and one part per module. A multipart upload may also carry source maps, as wrangler
 * sends them: parts of type {@code application/source-map} named after the module they map plus {@code .map}
 * ({@code index.js.map} for {@code index.js}; else the map's {@code file} names the module).
 *
 * @param mainModule        the entry module's name
 * @param modules           all modules
 * @param bindings          the bindings from the metadata
 * @param compatibilityDate the metadata's compatibility date, or null
 * @param cpuLimitMillis    the metadata's {@code limits.cpu_ms}, or 0 when it has none
 * @param sourceMaps        the source maps (JSON) by the name of the module each maps
 */
record ScriptUpload(String mainModule, List<WorkerModule> modules, List<Binding> bindings, String compatibilityDate,
        long cpuLimitMillis, Map<String, byte[]> sourceMaps) {

    static final String SINGLE_SCRIPT_NAME = "worker.js";

    /** The part content type of a source map, as wrangler uploads it. */
    static final String SOURCE_MAP_TYPE = "application/source-map";

    static ScriptUpload parse(String contentType, byte[] body) throws AdminException {
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
        if (MultipartBody.is(ct)) {
            return parseMultipart(contentType, body);
        }
        if (ct.startsWith("application/json")) {
            throw new AdminException(400, "An upload is either the script itself (application/javascript or "
                    + "application/javascript+module) or multipart/form-data with a metadata part; got application/json.");
        }
        if (body.length == 0) {
            throw new AdminException(400, "The script is empty.");
        }
        String text = decodeUtf8(body, SINGLE_SCRIPT_NAME);
        ModuleType type = ct.startsWith("application/javascript+module") || ct.startsWith("text/javascript+module")
                ? ModuleType.ES_MODULE : ModuleType.ofScriptSource(text);
        return new ScriptUpload(SINGLE_SCRIPT_NAME, List.of(new WorkerModule(SINGLE_SCRIPT_NAME, type, body)),
                List.of(), null, 0, Map.of());
    }

    private static ScriptUpload parseMultipart(String contentType, byte[] body) throws AdminException {
        String metadataText = null;
        Map<String, WorkerModule> modules = new LinkedHashMap<>();
        Map<String, byte[]> mapParts = new LinkedHashMap<>();
        for (MultipartBody.Part part : MultipartBody.parse(contentType, body)) {
            String name = part.name();
            if (name.equals("metadata")) {
                metadataText = part.text();
                continue;
            }
            if (part.contentType() != null && part.contentType().split(";", 2)[0].trim()
                    .equalsIgnoreCase(SOURCE_MAP_TYPE)) {
                if (mapParts.put(name, part.content()) != null) {
                    throw new AdminException(400, "The source map '" + name + "' appears twice.");
                }
                continue;
            }
            ModuleType type = !part.file() || part.contentType() == null
                    ? ModuleType.ofFileName(name)
                    : ModuleType.ofContentType(part.contentType()).orElseThrow(() -> new AdminException(400,
                            "Module '" + name + "' has an unsupported content type: " + part.contentType()));
            addModule(modules, new WorkerModule(name, type, part.content()));
        }
        if (metadataText == null) {
            throw new AdminException(400, "A multipart upload needs a 'metadata' part.");
        }
        JsonObject metadata;
        try {
            metadata = new JsonObject(metadataText);
        } catch (DecodeException | ClassCastException e) {
            throw new AdminException(400, "The metadata part is not a JSON object: " + e.getMessage());
        }
        if (modules.isEmpty()) {
            throw new AdminException(400, "The upload has no modules.");
        }
        String main = stringField(metadata, "main_module");
        String bodyPart = stringField(metadata, "body_part");
        List<WorkerModule> list = new ArrayList<>(modules.values());
        if (main == null && bodyPart != null) {
            // Service-worker syntax, Cloudflare's older shape: body_part names the script's part.
            WorkerModule script = modules.get(bodyPart);
            if (script == null) {
                throw new AdminException(400, "body_part names a part the upload does not have: " + bodyPart);
            }
            list.set(list.indexOf(script), new WorkerModule(script.name(), ModuleType.SCRIPT, script.content()));
            main = bodyPart;
        } else if (main == null) {
            if (modules.size() != 1) {
                throw new AdminException(400, "The metadata has no main_module and the upload has several modules.");
            }
            main = list.get(0).name();
        }
        WorkerModule mainModule = modules.get(main);
        if (mainModule == null) {
            throw new AdminException(400, "main_module names a module the upload does not have: " + main,
                    new JsonObject().put("modules", new JsonArray(List.copyOf(modules.keySet()))));
        }
        if (!mainModule.isJavaScript()) {
            throw new AdminException(400, "The main module '" + main + "' is not JavaScript (its type is "
                    + mainModule.type().contentType() + ").");
        }
        for (WorkerModule m : list) {
            if (m.isJavaScript()) {
                decodeUtf8(m.content(), m.name());
            }
        }
        return new ScriptUpload(main, List.copyOf(list), bindings(metadata),
                stringField(metadata, "compatibility_date"), cpuLimit(metadata), sourceMaps(mapParts, modules));
    }

    /** Each source map part, checked, by the JavaScript module it maps. */
    private static Map<String, byte[]> sourceMaps(Map<String, byte[]> parts, Map<String, WorkerModule> modules)
            throws AdminException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            String name = part.getKey();
            String text = decodeUtf8(part.getValue(), name);
            try {
                SourceMap.parse(text);
            } catch (IllegalArgumentException e) {
                throw new AdminException(400, "The source map '" + name + "' is not a valid source map: "
                        + e.getMessage());
            }
            String module = name.endsWith(".map") ? name.substring(0, name.length() - ".map".length()) : null;
            if (module == null || !modules.containsKey(module)) {
                try {
                    module = new JsonObject(text).getValue("file") instanceof String file ? file : null;
                } catch (DecodeException | ClassCastException e) {
                    module = null;
                }
            }
            WorkerModule mapped = module == null ? null : modules.get(module);
            if (mapped == null || !mapped.isJavaScript()) {
                throw new AdminException(400, "The source map '" + name + "' maps no JavaScript module of the upload "
                        + "(name it after its module plus .map, as in index.js.map).");
            }
            if (out.put(module, part.getValue()) != null) {
                throw new AdminException(400, "The module '" + module + "' has two source maps.");
            }
        }
        return out;
    }

    private static void addModule(Map<String, WorkerModule> modules, WorkerModule m) throws AdminException {
        String problem = ScriptNames.moduleNameProblem(m.name());
        if (problem != null) {
            throw new AdminException(400, "Invalid module name: " + problem);
        }
        if (modules.put(m.name(), m) != null) {
            throw new AdminException(400, "The module '" + m.name() + "' appears twice.");
        }
    }

    private static String stringField(JsonObject o, String key) throws AdminException {
        Object v = o.getValue(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new AdminException(400, "metadata." + key + " must be a string.");
        }
        return s;
    }

    /** {@code "limits": {"cpu_ms": N}}, as wrangler sends {@code [limits]}; 0 when absent. */
    private static long cpuLimit(JsonObject metadata) throws AdminException {
        Object raw = metadata.getValue("limits");
        if (raw == null) {
            return 0;
        }
        if (!(raw instanceof JsonObject limits)) {
            throw new AdminException(400, "metadata.limits must be an object.");
        }
        for (String key : limits.fieldNames()) {
            if (!key.equals("cpu_ms")) {
                throw new AdminException(400, "metadata.limits." + key + " is not supported (only cpu_ms is).");
            }
        }
        Object cpu = limits.getValue("cpu_ms");
        if (cpu == null) {
            return 0;
        }
        if (!(cpu instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.longValue() < 1) {
            throw new AdminException(400, "metadata.limits.cpu_ms must be a whole number of milliseconds, at least 1.");
        }
        return n.longValue();
    }

    private static List<Binding> bindings(JsonObject metadata) throws AdminException {
        Object raw = metadata.getValue("bindings");
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof JsonArray array)) {
            throw new AdminException(400, "metadata.bindings must be an array.");
        }
        List<Binding> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Object o : array) {
            if (!(o instanceof JsonObject b)) {
                throw new AdminException(400, "Each binding must be an object.");
            }
            String type = stringField(b, "type");
            String name = stringField(b, "name");
            if (type == null || name == null) {
                throw new AdminException(400, "Each binding needs a type and a name.");
            }
            if (!Binding.NAME.matcher(name).matches()) {
                throw new AdminException(400, "Binding name '" + name + "' is not a valid JavaScript identifier.");
            }
            if (!names.add(name)) {
                throw new AdminException(400, "Binding name '" + name + "' is used twice.");
            }
            out.add(switch (type) {
                case "plain_text" -> new Binding.PlainText(name, requiredText(b, name));
                case "secret_text" -> new Binding.SecretText(name, requiredText(b, name));
                case "json" -> {
                    if (!b.containsKey("json")) {
                        throw new AdminException(400, "Binding '" + name + "' of type json needs a 'json' field.");
                    }
                    Object json = b.getValue("json");
                    yield new Binding.Json(name, json == null ? "null" : io.vertx.core.json.Json.encode(json));
                }
                case "kv_namespace" -> {
                    String id = stringField(b, "namespace_id");
                    if (id == null || id.isEmpty()) {
                        throw new AdminException(400, "Binding '" + name + "' of type kv_namespace needs a 'namespace_id'.");
                    }
                    yield new Binding.KvNamespace(name, id);
                }
                default -> throw new AdminException(400, "Binding '" + name + "' has an unsupported type: " + type);
            });
        }
        return out;
    }

    private static String requiredText(JsonObject b, String name) throws AdminException {
        String text = stringField(b, "text");
        if (text == null) {
            throw new AdminException(400, "Binding '" + name + "' needs a 'text' string.");
        }
        return text;
    }

    private static String decodeUtf8(byte[] bytes, String module) throws AdminException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AdminException(400, "Module '" + module + "' is not valid UTF-8.");
        }
    }
}
