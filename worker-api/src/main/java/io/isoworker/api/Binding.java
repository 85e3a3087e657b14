package io.isoworker.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A binding: a named value a worker finds in {@code env} (module syntax) or as a global (service-worker syntax).
 * The {@link #type()} strings are Cloudflare's upload-metadata types.
 */
public sealed interface Binding permits Binding.PlainText, Binding.SecretText, Binding.Json, Binding.KvNamespace {

    /** Binding names become JavaScript identifiers (globals in service-worker scripts). */
    Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]{0,127}");

    String name();

    /** Cloudflare's metadata type: {@code plain_text}, {@code secret_text}, {@code json} or {@code kv_namespace}. */
    String type();

    /** True when the value must never be shown back (secrets). */
    default boolean secret() {
        return false;
    }

    /** A plain string variable ({@code [vars]} in wrangler.toml). */
    record PlainText(String name, String text) implements Binding {
        public PlainText {
            checkName(name);
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "plain_text";
        }
    }

    /** A secret string: readable by the script, never returned by the admin API. */
    record SecretText(String name, String text) implements Binding {
        public SecretText {
            checkName(name);
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "secret_text";
        }

        @Override
        public boolean secret() {
            return true;
        }

        @Override
        public String toString() {
            return "SecretText[name=" + name + ", text=<redacted>]";
        }
    }

    /** A JSON value, given to the script already parsed. {@code json} is its JSON text. */
    record Json(String name, String json) implements Binding {
        public Json {
            checkName(name);
            Objects.requireNonNull(json, "json");
        }

        @Override
        public String type() {
            return "json";
        }
    }

    /** A KV namespace: the script sees a {@code KVNamespace} object. */
    record KvNamespace(String name, String namespaceId) implements Binding {
        public KvNamespace {
            checkName(name);
            Objects.requireNonNull(namespaceId, "namespaceId");
        }

        @Override
        public String type() {
            return "kv_namespace";
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("binding name must be a JavaScript identifier: " + name);
        }
    }
}
