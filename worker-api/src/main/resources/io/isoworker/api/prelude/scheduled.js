// Cron triggers: the `controller` of `scheduled(controller, env, ctx)` (module syntax) and the `scheduled` event
// (service-worker syntax), as on Workers: `cron` (the schedule that fired, as written), `scheduledTime` (when it was
// due, in ms since the epoch) and `noRetry()`. Only the runtime makes them (dispatch.js).

class ScheduledController {
  #cron;
  #scheduledTime;

  constructor(key, cron, scheduledTime) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this.#cron = cron;
    this.#scheduledTime = scheduledTime;
  }

  get cron() { return this.#cron; }

  get scheduledTime() { return this.#scheduledTime; }

  // A failed run is not retried here in any case.
  noRetry() {}
}
defineInterfaceTag(ScheduledController, 'ScheduledController');
defineGlobal('ScheduledController', ScheduledController);

let scheduledEventPromises;

class ScheduledEvent extends ExtendableEvent {
  #cron;
  #scheduledTime;
  #promises = [];

  static {
    scheduledEventPromises = (event) => event.#promises;
  }

  constructor(key, cron, scheduledTime) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    super('scheduled');
    this.#cron = cron;
    this.#scheduledTime = scheduledTime;
  }

  get cron() { return this.#cron; }

  get scheduledTime() { return this.#scheduledTime; }

  noRetry() {}
}
defineInterfaceTag(ScheduledEvent, 'ScheduledEvent');
defineGlobal('ScheduledEvent', ScheduledEvent);

// The service-worker syntax's scheduled event: dispatched at the global scope; the run is over when every promise
// handed to event.waitUntil() has settled, and failed if one of them rejected (or a listener threw).
function dispatchScheduledEvent(cron, scheduledTime) {
  const event = new ScheduledEvent(INTERNAL, cron, scheduledTime);
  extendableEventTrusted(event, (promise) => scheduledEventPromises(event).push(Promise.resolve(promise)));
  eventDispatch(globalScopeTarget, globalThis, event, true);
  return Promise.all(scheduledEventPromises(event));
}
