package io.isoworker.runtime.traffic;

/**
 * Size limits on the bodies that pass the traffic listener.
 *
 * @param request  the largest request body a worker receives, in bytes: more gets a 413
 * @param response the largest response body a worker may send, in bytes, 0 for no limit: past it the response is
 *                 aborted
 */
public record BodyLimits(long request, long response) {

    public BodyLimits {
        if (request < 0 || response < 0) {
            throw new IllegalArgumentException("body limits must be >= 0");
        }
    }
}
