package io.isoworker.runtime.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;

import io.isoworker.api.Binding;
import io.isoworker.api.WorkerModule;
import io.isoworker.runtime.scripts.ScriptVersion;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code isoworker deploy [FOLDER]}: uploads a project to a running server through the admin API, as
 * {@code wrangler deploy} does to Cloudflare: its modules, and from its wrangler configuration the name, the
 * compatibility date, the {@code vars} and KV bindings and {@code limits.cpu_ms}, in Cloudflare's multipart shape
 * ({@code PUT /v1/scripts/NAME}), then its cron schedules ({@code PUT /v1/scripts/NAME/schedules}) when it has
 * any. {@code .dev.vars} is for {@code dev} only and is not uploaded, as with wrangler. A project that needs bundling
 * (TypeScript, npm imports: see {@link io.isoworker.runtime.bundle.Bundler}) is bundled first, and the bundle's source
 * map goes with it as a part of type {@code application/source-map} named {@code MODULE.map}, as wrangler uploads
 * it, so that the server maps the stacks it logs back to the project's files.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Uploads a project (its modules, vars, KV bindings and limits from its wrangler configuration) "
                + "to a running isoworker server as a new version, and makes it active.")
final class DeployCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AdminClient admin;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE-OR-FOLDER", defaultValue = ".",
            description = "the worker's file, or its project folder (default: the current folder)")
    Path path;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME",
            description = "the [env.NAME] section of the wrangler configuration to deploy")
    String env;

    @Option(names = "--name", paramLabel = "NAME", description = "the script's name (default: the configuration's)")
    String name;

    @Option(names = "--dry-run", description = "read and check the project, show what would be uploaded, upload nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DevProject.Loaded project = DevProject.load(path, env, name, false);
        for (String warning : project.config().warnings()) {
            err.println("isoworker deploy: warning: " + warning);
        }
        ScriptVersion script = project.script();
        if (project.bundle() != null) {
            out.println("isoworker deploy: " + project.bundleSummary());
            if (!project.bundle().warnings().isEmpty()) {
                err.println("isoworker deploy: esbuild warned:\n" + project.bundle().warnings());
            }
        }
        JsonObject metadata = metadata(script, project.config());
        if (dryRun) {
            out.println("isoworker deploy: would upload " + script.scriptName() + " to " + admin.baseUrl() + ": "
                    + script.bundle().modules().size() + " module(s)"
                    + (script.sourceMaps().isEmpty() ? "" : ", " + script.sourceMaps().size() + " source map(s)")
                    + ", metadata " + metadata.encode());
            return 0;
        }
        String boundary = "isoworker-deploy-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        byte[] body = multipart(boundary, metadata, script);
        AdminClient.Answer answer = admin.send("PUT", "/v1/scripts/" + AdminClient.segment(script.scriptName()), body,
                "multipart/form-data; boundary=" + boundary);
        if (!answer.ok()) {
            err.println("isoworker deploy: the server refused " + script.scriptName() + ": " + answer.error());
            return 1;
        }
        JsonObject result = answer.json();
        out.println("Deployed " + script.scriptName() + " (" + script.bundle().modules().size() + " module(s), "
                + body.length + " bytes): version " + (result == null ? "?" : result.getString("version_id")));
        if (!project.config().crons().isEmpty()) {
            JsonArray schedules = new JsonArray();
            project.config().crons().forEach(c -> schedules.add(new JsonObject().put("cron", c)));
            AdminClient.Answer set = admin.send("PUT", "/v1/scripts/" + AdminClient.segment(script.scriptName())
                    + "/schedules", schedules.encode().getBytes(StandardCharsets.UTF_8), "application/json");
            if (!set.ok()) {
                err.println("isoworker deploy: the server refused the cron schedules " + project.config().crons()
                        + ": " + set.error());
                return 1;
            }
            out.println("Cron triggers: " + String.join(", ", project.config().crons()));
        }
        return 0;
    }

    /** Cloudflare's upload metadata: main module (or body part), compatibility date, bindings, limits. */
    static JsonObject metadata(ScriptVersion script, WranglerConfig config) {
        JsonObject metadata = new JsonObject();
        if (script.bundle().moduleSyntax()) {
            metadata.put("main_module", script.mainModule());
        } else {
            metadata.put("body_part", script.mainModule());
        }
        if (script.compatibilityDate() != null) {
            metadata.put("compatibility_date", script.compatibilityDate());
        }
        JsonArray bindings = new JsonArray();
        for (Binding b : script.bundle().bindings()) {
            bindings.add(switch (b) {
                case Binding.PlainText t -> new JsonObject().put("type", "plain_text").put("name", t.name())
                        .put("text", t.text());
                case Binding.SecretText t -> new JsonObject().put("type", "secret_text").put("name", t.name())
                        .put("text", t.text());
                case Binding.Json j -> new JsonObject().put("type", "json").put("name", j.name())
                        .put("json", Json.decodeValue(j.json()));
                case Binding.KvNamespace kv -> new JsonObject().put("type", "kv_namespace").put("name", kv.name())
                        .put("namespace_id", kv.namespaceId());
            });
        }
        metadata.put("bindings", bindings);
        if (config.cpuMs() > 0) {
            metadata.put("limits", new JsonObject().put("cpu_ms", config.cpuMs()));
        }
        return metadata;
    }

    private static byte[] multipart(String boundary, JsonObject metadata, ScriptVersion script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part(out, boundary, "metadata", null, "application/json", metadata.encode().getBytes(StandardCharsets.UTF_8));
        for (WorkerModule m : script.bundle().modules().values()) {
            part(out, boundary, m.name(), m.name(), m.type().contentType(), m.content());
        }
        for (var map : script.sourceMaps().entrySet()) {
            part(out, boundary, map.getKey() + ".map", map.getKey() + ".map", "application/source-map", map.getValue());
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void part(ByteArrayOutputStream out, String boundary, String name, String filename,
            String contentType, byte[] content) {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(quoted(name)).append('"');
        if (filename != null) {
            head.append("; filename=\"").append(quoted(filename)).append('"');
        }
        head.append("\r\nContent-Type: ").append(contentType).append("\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "%22");
    }
}
