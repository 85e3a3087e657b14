// The service-worker syntax: addEventListener('fetch', ...) and FetchEvent.

const eventListeners = new Map(); // type -> [listener]

function addEventListener(type, listener) {
  type = String(type);
  if (typeof listener !== 'function' && !(listener && typeof listener.handleEvent === 'function')) {
    return;
  }
  let list = eventListeners.get(type);
  if (!list) {
    list = [];
    eventListeners.set(type, list);
  }
  if (!list.includes(listener)) {
    list.push(listener);
  }
}

function removeEventListener(type, listener) {
  const list = eventListeners.get(String(type));
  if (list) {
    const i = list.indexOf(listener);
    if (i >= 0) {
      list.splice(i, 1);
    }
  }
}

defineGlobal('addEventListener', addEventListener);
defineGlobal('removeEventListener', removeEventListener);

class ExtendableEvent {
  #type;
  #waitUntil;

  constructor(type, waitUntil = (p) => { waitUntilDefault(p); }) {
    this.#type = String(type);
    this.#waitUntil = waitUntil;
  }

  get type() { return this.#type; }

  waitUntil(promise) {
    this.#waitUntil(promise);
  }
}

let fetchEventResponse;

class FetchEvent extends ExtendableEvent {
  #request;
  #response = null;
  #responded = false;

  static {
    fetchEventResponse = (event) => (event.#responded ? [true, event.#response] : [false, null]);
  }

  constructor(type, init) {
    if (!init || !(init.request instanceof Request)) {
      throw new TypeError("Failed to construct 'FetchEvent': required member request is undefined.");
    }
    super(type, init.waitUntil);
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
defineGlobal('ExtendableEvent', ExtendableEvent);
defineGlobal('FetchEvent', FetchEvent);

const WAIT_UNTIL_LIMIT_MS = 30000;

// ctx.waitUntil / event.waitUntil: the response goes out at once; the isolate stays open until the promise settles,
// for at most WAIT_UNTIL_LIMIT_MS, after which the work no longer holds it open and a warning is logged.
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
  const deadline = timerSet(() => {
    if (!settled) {
      console.warn('waitUntil() work did not finish within ' + WAIT_UNTIL_LIMIT_MS / 1000 + ' s and was abandoned.');
      finish();
    }
  }, WAIT_UNTIL_LIMIT_MS, [], -1);
  Promise.resolve(promise).then(finish, (e) => {
    console.error('Uncaught (in waitUntil)', e);
    finish();
  });
}
