package io.isoworker.isolate;

/**
 * A worker could not be loaded: its code does not parse, its top level threw or ran too long, or it exports no
 * handler. The message is meant for the script's author.
 */
public final class ScriptLoadException extends Exception {

    /** What went wrong. */
    public enum Kind {
        SYNTAX_ERROR,
        EVALUATION_ERROR,
        NO_HANDLER,
        STARTUP_LIMIT_EXCEEDED
    }

    private final Kind kind;
    private final String module;
    private final int line;

    public ScriptLoadException(Kind kind, String message, String module, int line) {
        super(message);
        this.kind = kind;
        this.module = module;
        this.line = line;
    }

    public Kind kind() {
        return kind;
    }

    /** The module the error is in, or null when unknown. */
    public String module() {
        return module;
    }

    /** The 1-based line of the error, or 0 when unknown. */
    public int line() {
        return line;
    }
}
