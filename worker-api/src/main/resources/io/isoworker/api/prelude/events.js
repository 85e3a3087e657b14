// The service-worker syntax: the global scope's `fetch` event (addEventListener('fetch', ...)), ExtendableEvent and
// FetchEvent. The global scope's EventTarget is in eventtarget.js.

let extendableEventTrusted; // (event) -> true for events the runtime made (only those may waitUntil())

class ExtendableEvent extends Event {
  #trustedWaitUntil = null;

  static {
    extendableEventTrusted = (event, waitUntil) => {
      event.#trustedWaitUntil = waitUntil;
      trustedEvent(event);
    };
  }

  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'ExtendableEvent': 1 argument required, but only 0 present.");
    }
    super(type, eventInitDict);
  }

  waitUntil(promise) {
    if (this.#trustedWaitUntil === null) {
      throw new DOMException('waitUntil() can only be called on trusted event.', 'InvalidStateError');
    }
    this.#trustedWaitUntil(promise);
  }
}
defineInterfaceTag(ExtendableEvent, 'ExtendableEvent');

let fetchEventResponse;

class FetchEvent extends ExtendableEvent {
  #request;
  #response = null;
  #responded = false;

  static {
    fetchEventResponse = (event) => (event.#responded ? [true, event.#response] : [false, null]);
  }

  constructor(type, eventInitDict) {
    if (arguments.length < 2) {
      throw new TypeError("Failed to construct 'FetchEvent': 2 arguments required, but only " + arguments.length
        + ' present.');
    }
    const init = eventDictionary(eventInitDict, 'FetchEvent');
    if (!(init.request instanceof Request)) {
      throw new TypeError("Failed to construct 'FetchEvent': required member request is undefined.");
    }
    super(type, init);
    this.#request = init.request;
  }

  get request() { return this.#request; }

  respondWith(response) {
    if (this.#responded) {
      throw new DOMException('respondWith() has already been called.', 'InvalidStateError');
    }
    this.#responded = true;
    this.#response = response;
  }

  passThroughOnException() {}
}
defineInterfaceTag(FetchEvent, 'FetchEvent');
defineGlobal('ExtendableEvent', ExtendableEvent);
defineGlobal('FetchEvent', FetchEvent);

function fetchEventWaitUntil(promise) {
  waitUntilDefault(promise);
}

// The runtime's fetch event for the service-worker syntax: dispatched at the global scope; a listener that throws
// fails the request (as on Workers). Returns [responded, response].
function dispatchFetchEvent(request) {
  const event = new FetchEvent('fetch', { request });
  extendableEventTrusted(event, fetchEventWaitUntil);
  eventDispatch(globalScopeTarget, globalThis, event, true);
  return fetchEventResponse(event);
}

// ctx.waitUntil / event.waitUntil: the response goes out at once; the isolate stays open until the promise settles,
// for at most the server's wait-until-timeout-ms (30 s). Then a warning is logged, the work no longer holds the isolate open, and once the
// response is over the host cancels what the invocation still has pending (its timers, fetches and I/O callbacks).
function waitUntilDefault(promise) {
  requireHandlerScope();
  let settled = false;
  host.backgroundStarted();
  const finish = () => {
    if (!settled) {
      settled = true;
      timerClear(deadline);
      host.backgroundEnded();
    }
  };
  const limit = host.waitUntilLimitMillis();
  const deadline = timerSet(() => {
    if (!settled) {
      console.warn('waitUntil() work did not finish within ' + limit / 1000 + ' s and was cancelled.');
      finish();
      host.backgroundAbandoned();
    }
  }, limit, [], -1);
  Promise.resolve(promise).then(finish, (e) => {
    console.error('Uncaught (in waitUntil)', e);
    finish();
  });
}
