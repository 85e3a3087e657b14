package io.isoworker.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.isoworker.api.Binding;

/** The wrangler configuration as {@code isoworker dev} reads it: TOML, JSON and JSONC, environments, bad files. */
class WranglerConfigTest {

    private static final String TOML = """
            name = "shop"
            main = "src/index.js"
            compatibility_date = "2026-11-01"
            compatibility_flags = ["nodejs_compat"]
            workers_dev = true
            colour = "blue"
            routes = ["shop.example.com/*", { pattern = "api.example.com/*", zone_name = "example.com" }]

            [vars]
            GREETING = "hello"
            LIMITS = { max = 3 }

            [[kv_namespaces]]
            binding = "CACHE"
            id = "aaaa"

            [[kv_namespaces]]
            binding = "LOCAL"

            [triggers]
            crons = ["*/5 * * * *"]

            [limits]
            cpu_ms = 200

            [env.staging]
            vars = { GREETING = "hi from staging" }
            kv_namespaces = [{ binding = "CACHE", id = "bbbb" }]

            [env.production]
            name = "shop-live"
            main = "src/prod.js"
            [env.production.limits]
            cpu_ms = 30
            """;

    @Test
    void readsTheTopLevelOfATomlFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("wrangler.toml"), TOML);
        WranglerConfig c = WranglerConfig.read(dir, null);
        assertEquals("shop", c.name());
        assertEquals("src/index.js", c.main());
        assertEquals("2026-11-01", c.compatibilityDate());
        assertEquals(List.of("nodejs_compat"), c.compatibilityFlags());
        assertEquals(List.of(new Binding.PlainText("GREETING", "hello"), new Binding.Json("LIMITS", "{\"max\":3}")),
                c.vars());
        assertEquals(List.of(new Binding.KvNamespace("CACHE", "aaaa"), new Binding.KvNamespace("LOCAL", "LOCAL")),
                c.kvNamespaces());
        assertEquals(List.of("*/5 * * * *"), c.crons());
        assertEquals(200, c.cpuMs());
        assertEquals(List.of("shop.example.com/*", "api.example.com/*"), c.routes());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("unknown key \"colour\"")), c.warnings().toString());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("\"workers_dev\" is not supported")),
                c.warnings().toString());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("compatibility_flags")), c.warnings().toString());
    }

    @Test
    void anEnvironmentInheritsSomeKeysAndNotOthers(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("wrangler.toml"), TOML);
        WranglerConfig staging = WranglerConfig.read(dir, "staging");
        assertEquals("shop-staging", staging.name());
        assertEquals("src/index.js", staging.main());
        assertEquals("2026-11-01", staging.compatibilityDate());
        assertEquals(List.of("*/5 * * * *"), staging.crons());
        assertEquals(200, staging.cpuMs());
        assertEquals(List.of(new Binding.PlainText("GREETING", "hi from staging")), staging.vars());
        assertEquals(List.of(new Binding.KvNamespace("CACHE", "bbbb")), staging.kvNamespaces());

        WranglerConfig production = WranglerConfig.read(dir, "production");
        assertEquals("shop-live", production.name());
        assertEquals("src/prod.js", production.main());
        assertEquals(30, production.cpuMs());
        assertEquals(List.of(), production.vars(), "vars are not inherited");
        assertEquals(List.of(), production.kvNamespaces(), "kv_namespaces are not inherited");
        assertTrue(production.warnings().stream().anyMatch(w -> w.contains("\"vars\" is set at the top level but "
                + "not in env.production")), production.warnings().toString());
    }

    @Test
    void anUnknownEnvironmentIsAnErrorThatListsTheKnownOnes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("wrangler.toml"), TOML);
        IOException e = assertThrows(IOException.class, () -> WranglerConfig.read(dir, "qa"));
        assertTrue(e.getMessage().contains("no environment 'qa'") && e.getMessage().contains("staging, production"),
                e.getMessage());
    }

    @Test
    void readsJsoncWithCommentsAndTrailingCommas(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("wrangler.jsonc"), """
                {
                  // the worker
                  "name": "api",
                  "main": "src/worker.js", /* entry */
                  "vars": { "MODE": "json", "N": 2, },
                  "kv_namespaces": [ { "binding": "KV", "id": "cccc" }, ],
                  "env": { "dev": { "vars": { "MODE": "dev" } } },
                }
                """);
        WranglerConfig c = WranglerConfig.read(dir, null);
        assertEquals("api", c.name());
        assertEquals("src/worker.js", c.main());
        assertEquals(List.of(new Binding.PlainText("MODE", "json"), new Binding.Json("N", "2")), c.vars());
        assertEquals(List.of(new Binding.KvNamespace("KV", "cccc")), c.kvNamespaces());
        assertEquals(List.of(new Binding.PlainText("MODE", "dev")), WranglerConfig.read(dir, "dev").vars());
        assertEquals("api-dev", WranglerConfig.read(dir, "dev").name());
    }

    @Test
    void jsonComesBeforeTomlAsInWranglerWithAWarning(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("wrangler.json"), "{\"name\": \"from-json\"}");
        Files.writeString(dir.resolve("wrangler.toml"), "name = \"from-toml\"");
        WranglerConfig c = WranglerConfig.read(dir, null);
        assertEquals("from-json", c.name());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("wrangler.toml")), c.warnings().toString());
    }

    @Test
    void noFileIsNoConfiguration(@TempDir Path dir) throws IOException {
        WranglerConfig c = WranglerConfig.read(dir, null);
        assertNull(c.file());
        assertEquals(List.of(), c.bindings());
        assertThrows(IOException.class, () -> WranglerConfig.read(dir, "staging"));
    }

    @Test
    void brokenFilesGetAnErrorNamingTheFileAndWhere(@TempDir Path dir) throws IOException {
        assertError(dir, "wrangler.toml", "name = \"x\"\n[vars\nA = 1\n", "wrangler.toml is not valid TOML (line 2");
        assertError(dir, "wrangler.jsonc", "{ \"name\": \"x\", \"vars\": { \"A\": 1 }\n", "wrangler.jsonc is not a "
                + "valid JSON object");
        assertError(dir, "wrangler.toml", "name = 3\n", "wrangler.toml: name must be a string, not 3");
        assertError(dir, "wrangler.toml", "compatibility_date = \"yesterday\"\n", "compatibility_date must be a date");
        assertError(dir, "wrangler.toml", "kv_namespaces = \"KV\"\n", "kv_namespaces must be an array of tables");
        assertError(dir, "wrangler.toml", "[[kv_namespaces]]\nid = \"x\"\n", "needs a binding name");
        assertError(dir, "wrangler.toml", "[limits]\ncpu_ms = -5\n", "limits.cpu_ms must be a whole number");
        assertError(dir, "wrangler.toml", "[triggers]\ncrons = \"* * * * *\"\n", "crons must be an array of "
                + "strings");
        assertError(dir, "wrangler.toml", "[triggers]\ncrons = [\"*/5 * * *\"]\n", "wrangler.toml: triggers.crons: a "
                + "cron schedule has five fields");
        assertError(dir, "wrangler.toml", "[triggers]\ncrons = [\"61 * * * *\"]\n", "minute field '61' goes "
                + "outside 0-59");
        assertError(dir, "wrangler.json", "[1, 2]", "wrangler.json is not a valid JSON object");
        assertError(dir, "wrangler.json", "", "wrangler.json is empty");
    }

    private static void assertError(Path dir, String file, String text, String expected) throws IOException {
        for (String name : WranglerConfig.FILE_NAMES) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.writeString(dir.resolve(file), text);
        IOException e = assertThrows(IOException.class, () -> WranglerConfig.read(dir, null), file + ": " + text);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void devVarsAreSecretsInDotenvSyntax(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".dev.vars"), """
                # local secrets
                API_KEY=abc123
                export TOKEN = "line one\\nline two"
                RAW='no $expansion \\n here'
                EMPTY=
                SPACED = some value # a comment
                """);
        assertEquals(List.of(new Binding.SecretText("API_KEY", "abc123"),
                new Binding.SecretText("TOKEN", "line one\nline two"),
                new Binding.SecretText("RAW", "no $expansion \\n here"), new Binding.SecretText("EMPTY", ""),
                new Binding.SecretText("SPACED", "some value")), DevVars.read(dir, null));
        Files.writeString(dir.resolve(".dev.vars.staging"), "API_KEY=staging-key\n");
        assertEquals(List.of(new Binding.SecretText("API_KEY", "staging-key")), DevVars.read(dir, "staging"));
        assertEquals(5, DevVars.read(dir, "other").size(), ".dev.vars when there is no .dev.vars.other");
        Files.writeString(dir.resolve(".dev.vars"), "NOT A LINE\n");
        IOException e = assertThrows(IOException.class, () -> DevVars.read(dir, null));
        assertTrue(e.getMessage().contains(".dev.vars line 1"), e.getMessage());
        Files.writeString(dir.resolve(".dev.vars"), "A=\"never closed\n");
        e = assertThrows(IOException.class, () -> DevVars.read(dir, null));
        assertTrue(e.getMessage().contains("never closes"), e.getMessage());
    }
}
