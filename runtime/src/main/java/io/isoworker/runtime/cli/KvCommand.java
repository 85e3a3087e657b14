package io.isoworker.runtime.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code isoworker kv namespace create|list|delete} and {@code isoworker kv key put|get|delete|list}: KV on a running
 * server, through its KV admin API ({@code /v1/kv}, Cloudflare's shape), with wrangler's command and option names
 * ({@code --namespace-id}, {@code --ttl}, {@code --expiration}, {@code --metadata}, {@code --path}, {@code --prefix}).
 */
@Command(name = "kv", mixinStandardHelpOptions = true, description = "Manage KV namespaces and keys on a server.",
        subcommands = {KvCommand.Namespace.class, KvCommand.Key.class})
final class KvCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Prints the refusal and returns the exit status 1, or returns 0 when the answer is a success. */
    private static int refused(AdminClient.Answer a, String what, PrintWriter err) {
        if (a.ok()) {
            return 0;
        }
        err.println("isoworker kv: " + what + " failed: " + a.error());
        return 1;
    }

    /** A command on one namespace of a server: the server's options and {@code --namespace-id}. */
    abstract static class OnNamespace implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        AdminClient admin;
        @Option(names = "--namespace-id", required = true, paramLabel = "ID", description = "the namespace")
        String id;
    }

    private static String namespacePath(String id) {
        return "/v1/kv/namespaces/" + AdminClient.segment(id);
    }

    @Command(name = "namespace", mixinStandardHelpOptions = true, description = "Create, list and delete namespaces.",
            subcommands = {Namespace.Create.class, Namespace.List.class, Namespace.Delete.class})
    static final class Namespace implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a namespace; prints its id.")
        static final class Create implements Callable<Integer> {
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Mixin
            AdminClient admin;
            @Parameters(index = "0", paramLabel = "TITLE", description = "the namespace's title")
            String title;

            @Override
            public Integer call() throws Exception {
                AdminClient.Answer a = admin.send("POST", "/v1/kv/namespaces",
                        new JsonObject().put("title", title).encode().getBytes(StandardCharsets.UTF_8),
                        "application/json");
                int status = refused(a, "creating namespace " + title, spec.commandLine().getErr());
                if (status == 0) {
                    String id = a.json().getJsonObject("result").getString("id");
                    PrintWriter out = spec.commandLine().getOut();
                    out.println("Created KV namespace \"" + title + "\" with id " + id);
                    out.println("Bind it in wrangler.toml:");
                    out.println("[[kv_namespaces]]");
                    out.println("binding = \"" + title.replaceAll("[^A-Za-z0-9_]", "_").toUpperCase() + "\"");
                    out.println("id = \"" + id + "\"");
                }
                return status;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the namespaces as JSON.")
        static final class List implements Callable<Integer> {
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Mixin
            AdminClient admin;

            @Override
            public Integer call() throws Exception {
                JsonArray all = new JsonArray();
                for (int page = 1; ; page++) {
                    AdminClient.Answer a = admin.get("/v1/kv/namespaces?per_page=100&page=" + page);
                    int status = refused(a, "listing namespaces", spec.commandLine().getErr());
                    if (status != 0) {
                        return status;
                    }
                    JsonArray result = a.json().getJsonArray("result", new JsonArray());
                    all.addAll(result);
                    JsonObject info = a.json().getJsonObject("result_info");
                    if (result.isEmpty() || info == null || info.getInteger("total_pages", page) <= page) {
                        break;
                    }
                }
                spec.commandLine().getOut().println(all.encodePrettily());
                return 0;
            }
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a namespace and its keys.")
        static final class Delete extends OnNamespace {

            @Override
            public Integer call() throws Exception {
                AdminClient.Answer a = admin.send("DELETE", namespacePath(id), null, null);
                int status = refused(a, "deleting namespace " + id, spec.commandLine().getErr());
                if (status == 0) {
                    spec.commandLine().getOut().println("Deleted KV namespace " + id);
                }
                return status;
            }
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true, description = "Put, get, delete and list keys.",
            subcommands = {Key.Put.class, Key.Get.class, Key.Delete.class, Key.List.class})
    static final class Key implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }

        @Command(name = "put", mixinStandardHelpOptions = true,
                description = "Writes a value (the argument, or a file's bytes with --path).")
        static final class Put extends OnNamespace {
            @Parameters(index = "0", paramLabel = "KEY", description = "the key")
            String key;
            @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "the value, as text")
            String value;
            @Option(names = "--path", paramLabel = "FILE", description = "read the value from this file instead")
            Path file;
            @Option(names = "--ttl", paramLabel = "SECONDS", description = "expire this many seconds from now (60 or more)")
            Long ttl;
            @Option(names = "--expiration", paramLabel = "EPOCH-SECONDS", description = "expire at this time")
            Long expiration;
            @Option(names = "--metadata", paramLabel = "JSON", description = "metadata to store with the value")
            String metadata;

            @Override
            public Integer call() throws Exception {
                if ((value == null) == (file == null)) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "give the value as an argument or with --path FILE (one of the two)");
                }
                byte[] bytes = file != null ? Files.readAllBytes(file) : value.getBytes(StandardCharsets.UTF_8);
                StringBuilder query = new StringBuilder();
                if (ttl != null) {
                    query.append(query.isEmpty() ? '?' : '&').append("expiration_ttl=").append(ttl);
                }
                if (expiration != null) {
                    query.append(query.isEmpty() ? '?' : '&').append("expiration=").append(expiration);
                }
                String path = namespacePath(id) + "/values/" + AdminClient.segment(key) + query;
                AdminClient.Answer a;
                if (metadata == null) {
                    a = admin.send("PUT", path, bytes, "application/octet-stream");
                } else {
                    try {
                        new JsonObject(metadata);
                    } catch (DecodeException | ClassCastException e) {
                        throw new CommandLine.ParameterException(spec.commandLine(),
                                "--metadata must be a JSON object, got: " + metadata);
                    }
                    String boundary = "isoworker-kv-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
                    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"value\"\r\n"
                            + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    body.writeBytes(bytes);
                    body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                            + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n--" + boundary + "--\r\n")
                            .getBytes(StandardCharsets.UTF_8));
                    a = admin.send("PUT", path, body.toByteArray(), "multipart/form-data; boundary=" + boundary);
                }
                int status = refused(a, "writing " + key, spec.commandLine().getErr());
                if (status == 0) {
                    spec.commandLine().getOut().println("Wrote " + bytes.length + " bytes to " + key);
                }
                return status;
            }
        }

        @Command(name = "get", mixinStandardHelpOptions = true, description = "Prints a key's value as stored.")
        static final class Get extends OnNamespace {
            @Parameters(index = "0", paramLabel = "KEY", description = "the key")
            String key;

            @Override
            public Integer call() throws Exception {
                AdminClient.Answer a = admin.get(namespacePath(id) + "/values/" + AdminClient.segment(key));
                int status = refused(a, "reading " + key, spec.commandLine().getErr());
                if (status == 0) {
                    // the value's bytes as they are (it may not be text)
                    spec.commandLine().getOut().flush();
                    java.io.PrintStream raw = ((Main) spec.root().userObject()).rawOut;
                    raw.write(a.body());
                    raw.flush();
                }
                return status;
            }
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a key.")
        static final class Delete extends OnNamespace {
            @Parameters(index = "0", paramLabel = "KEY", description = "the key")
            String key;

            @Override
            public Integer call() throws Exception {
                AdminClient.Answer a = admin.send("DELETE", namespacePath(id) + "/values/" + AdminClient.segment(key),
                        null, null);
                int status = refused(a, "deleting " + key, spec.commandLine().getErr());
                if (status == 0) {
                    spec.commandLine().getOut().println("Deleted " + key);
                }
                return status;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true,
                description = "Lists keys (name, expiration, metadata) as JSON, all pages.")
        static final class List extends OnNamespace {
            @Option(names = "--prefix", paramLabel = "PREFIX", description = "only keys that start with this")
            String prefix;

            @Override
            public Integer call() throws Exception {
                JsonArray all = new JsonArray();
                String cursor = "";
                do {
                    String path = namespacePath(id) + "/keys?limit=1000"
                            + (prefix == null ? "" : "&prefix=" + AdminClient.segment(prefix))
                            + (cursor.isEmpty() ? "" : "&cursor=" + AdminClient.segment(cursor));
                    AdminClient.Answer a = admin.get(path);
                    int status = refused(a, "listing keys", spec.commandLine().getErr());
                    if (status != 0) {
                        return status;
                    }
                    all.addAll(a.json().getJsonArray("result", new JsonArray()));
                    JsonObject info = a.json().getJsonObject("result_info");
                    cursor = info == null ? "" : info.getString("cursor", "");
                } while (!cursor.isEmpty());
                spec.commandLine().getOut().println(all.encodePrettily());
                return 0;
            }
        }
    }
}
