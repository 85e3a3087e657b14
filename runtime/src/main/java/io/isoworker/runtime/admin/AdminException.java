package io.isoworker.runtime.admin;

import io.vertx.core.json.JsonObject;

/** A bad admin request: the status and a JSON error body naming the problem. */
final class AdminException extends Exception {

    private final int status;
    private final JsonObject details;

    AdminException(int status, String message) {
        this(status, message, new JsonObject());
    }

    AdminException(int status, String message, JsonObject details) {
        super(message, null, false, false);
        this.status = status;
        this.details = details;
    }

    int status() {
        return status;
    }

    JsonObject body() {
        return new JsonObject().put("error", getMessage()).mergeIn(details);
    }
}
