package io.isoworker.api.host;

import org.graalvm.polyglot.HostAccess;

/**
 * A Web Crypto failure the prelude turns into a {@code DOMException} of {@link #errorName()} (for example
 * {@code DataError} or {@code OperationError}).
 */
public final class CryptoException extends RuntimeException {

    private final String errorName;

    CryptoException(String errorName, String message) {
        super(message, null, false, false);
        this.errorName = errorName;
    }

    static CryptoException dataError(String message) {
        return new CryptoException("DataError", message);
    }

    static CryptoException operationError(String message) {
        return new CryptoException("OperationError", message);
    }

    static CryptoException notSupported(String message) {
        return new CryptoException("NotSupportedError", message);
    }

    @HostAccess.Export
    public String errorName() {
        return errorName;
    }

    @HostAccess.Export
    public String errorMessage() {
        return getMessage();
    }
}
