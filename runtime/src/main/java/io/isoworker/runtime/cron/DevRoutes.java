package io.isoworker.runtime.cron;

import java.time.Clock;
import java.time.Instant;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code isoworker dev}'s own path, tried before the worker, as wrangler dev has it:
 * {@code /__scheduled?cron=CRON[&time=MS]} runs the worker's scheduled handler once, by hand, with that schedule
 * ({@code * * * * *} when none is given) and that scheduled time (now when none is given), and answers {@code 200 Ran
 * scheduled event} or the failure.
 */
public final class DevRoutes {

    private final CronTriggers triggers;
    private final String script;
    private final Clock clock;

    public DevRoutes(CronTriggers triggers, String script, Clock clock) {
        this.triggers = triggers;
        this.script = script;
        this.clock = clock;
    }

    /** Answers {@code req} and returns true when it is one of dev's paths; false leaves it to the worker. */
    public boolean handle(HttpServerRequest req) {
        if (!"/__scheduled".equals(req.path())) {
            return false;
        }
        String cron = req.getParam("cron");
        if (cron == null || cron.isBlank()) {
            cron = "* * * * *";
        }
        Instant time = clock.instant();
        String t = req.getParam("time");
        if (t != null) {
            try {
                time = Instant.ofEpochMilli(Long.parseLong(t));
            } catch (NumberFormatException e) {
                answer(req, 400, "time must be milliseconds since the epoch, got: " + t + "\n");
                return true;
            }
        }
        Context context = Vertx.currentContext();
        String schedule = cron;
        triggers.fire(script, cron, time).thenAccept(outcome -> context.runOnContext(v -> {
            switch (outcome) {
                case OK -> answer(req, 200, "Ran scheduled event\n");
                case FAILED -> answer(req, 500, "The scheduled event failed (cron '" + schedule + "'): see the log\n");
                case SKIPPED -> answer(req, 409, "Not run: the previous scheduled run is still going\n");
            }
        }));
        return true;
    }

    private static void answer(HttpServerRequest req, int status, String text) {
        if (!req.response().ended()) {
            req.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(text);
        }
    }
}
