package io.isoworker.kv;

/**
 * A request the store refuses, as KV's storage service answers it: an HTTP status and a message (Cloudflare puts the
 * message into the status text). The binding shows it as {@code KV <OP> failed: <status> <message>}; the admin API
 * answers with the status and the message.
 */
public final class KvException extends Exception {

    private final int status;

    public KvException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
