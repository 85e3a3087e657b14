package io.isoworker.runtime.bundle;

import java.io.IOException;

/**
 * Bundling failed: esbuild reported errors (the message holds them, with their {@code file:line:column}), it could not
 * be installed or run, or Node.js and npm are missing. The message is meant for the script's author.
 */
public final class BundleException extends IOException {

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
