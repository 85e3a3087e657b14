package io.isoworker.api;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The kinds of module a worker upload may contain, named by the part content types Cloudflare uses. */
public enum ModuleType {
    /** An ECMAScript module. */
    ES_MODULE("application/javascript+module"),
    /** A classic script: the main module of a service-worker script, otherwise a CommonJS module. */
    SCRIPT("application/javascript"),
    /** A text module: its default export is the file's text. */
    TEXT("text/plain"),
    /** A data module: its default export is an ArrayBuffer of the file's bytes. */
    DATA("application/octet-stream"),
    /** A JSON module: its default export is the parsed value. */
    JSON("application/json");

    /** Top-level {@code import}/{@code export} statements: the mark of an ES module. */
    private static final Pattern MODULE_SYNTAX = Pattern.compile(
            "(?m)^[ \\t]*(export[ \\t]+(default|\\{|\\*|const|let|var|function|async|class)|import[ \\t]*[\\w{*'\"])");

    private final String contentType;

    ModuleType(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The type for a part's content type (parameters such as {@code charset} are ignored). */
    public static Optional<ModuleType> ofContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (bare.equals("text/javascript") || bare.equals("application/x-javascript")) {
            bare = SCRIPT.contentType;
        }
        if (bare.equals("text/javascript+module")) {
            bare = ES_MODULE.contentType;
        }
        for (ModuleType t : values()) {
            if (t.contentType.equals(bare)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The type of a lone JavaScript file whose kind nobody stated: an ES module when it has top-level
     * {@code import}/{@code export} statements, otherwise a service-worker script.
     */
    public static ModuleType ofScriptSource(String source) {
        return MODULE_SYNTAX.matcher(source).find() ? ES_MODULE : SCRIPT;
    }

    /** The type a file name suggests, for parts and files that carry no content type. */
    public static ModuleType ofFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".mjs") || lower.endsWith(".js")) {
            return ES_MODULE;
        }
        if (lower.endsWith(".cjs")) {
            return SCRIPT;
        }
        if (lower.endsWith(".json")) {
            return JSON;
        }
        if (lower.endsWith(".txt") || lower.endsWith(".html") || lower.endsWith(".css") || lower.endsWith(".md")) {
            return TEXT;
        }
        return DATA;
    }
}
