// What the host calls to load a worker and hand it requests. `internals` is returned to the host and never reaches
// guest code.

const HANDLER_NAMES = ['fetch', 'scheduled', 'queue', 'email', 'tail', 'trace', 'test'];
const NO_HANDLER_MESSAGE = 'No event handlers were registered. This script does nothing.';

class ExecutionContext {
  waitUntil(promise) {
    waitUntilDefault(promise);
  }

  passThroughOnException() {
    // There is no origin behind a self-hosted worker to pass through to: an exception stays a 500.
  }

  get props() {
    return {};
  }
}
defineGlobal('ExecutionContext', ExecutionContext);

// bindingsJson: [{name, type, value}], value being the text, the JSON text for type 'json', or the namespace id for
// type 'kv_namespace'.
function bindingValues(bindingsJson) {
  const values = [];
  for (const b of JSON.parse(bindingsJson)) {
    let value = b.value;
    if (b.type === 'json') {
      value = JSON.parse(b.value);
    } else if (b.type === 'kv_namespace') {
      value = kvNamespaceBinding(b.value);
    }
    values.push([b.name, value]);
  }
  return values;
}

function reportFailure(bridge, error) {
  let message;
  let stack;
  try {
    if (error instanceof Error) {
      message = error.name + ': ' + error.message;
      stack = typeof error.stack === 'string' ? error.stack : message;
    } else {
      message = 'Uncaught ' + inspect(error, 0, [], true);
      stack = message;
    }
  } catch (e) {
    message = 'Uncaught exception (not printable)';
    stack = message;
  }
  bridge.fail(message, stack);
}

async function pumpBody(reader, bridge) {
  try {
    for (;;) {
      if (bridge.clientGone()) {
        reader.cancel(new Error('The client disconnected.')).catch(() => {});
        bridge.end();
        return;
      }
      const { value, done } = await reader.read();
      if (done) {
        bridge.end();
        return;
      }
      const bytes = bufferSourceBytes(value);
      if (bytes === null) {
        throw new TypeError('This ReadableStream did not return bytes.');
      }
      if (bytes.length > 0 && !bridge.write(exactBuffer(bytes))) {
        await new Promise((resolve) => bridge.onDrain(resolve));
      }
    }
  } catch (e) {
    reportFailure(bridge, e);
  }
}

function sendResponse(response, bridge) {
  if (!(response instanceof Response)) {
    throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
  }
  const { status, headers, body, type } = responseInternals(response);
  if (type === 'error') {
    throw new TypeError('Return value from serve handler must not be an error response (like Response.error())');
  }
  const list = headersList(headers);
  const flat = new Array(list.length * 2);
  for (let i = 0; i < list.length; i++) {
    flat[2 * i] = list[i][0];
    flat[2 * i + 1] = list[i][1];
  }
  if (body === null) {
    bridge.start(status, flat, 0);
    bridge.end();
    return;
  }
  if (bodyUsed(body)) {
    throw new TypeError(BODY_USED_MESSAGE);
  }
  if (body.stream === null) {
    const bytes = body.bytes;
    body.used = true;
    body.bytes = null;
    bridge.start(status, flat, bytes.length);
    if (bytes.length > 0) {
      bridge.write(exactBuffer(bytes));
    }
    bridge.end();
    return;
  }
  const reader = body.stream.getReader();
  body.used = true;
  // a FixedLengthStream's readable side knows its length; other streams are sent chunked
  bridge.start(status, flat, readableStreamRecord(body.stream).expectedLength);
  pumpBody(reader, bridge);
}

const internals = {
  fireTimer,

  // Module syntax: `exports` is the main module's namespace object.
  moduleWorker(exports, bindingsJson) {
    const target = exports.default;
    if (target === undefined || target === null || (typeof target !== 'object' && typeof target !== 'function')
        || !HANDLER_NAMES.some((n) => typeof target[n] === 'function')) {
      throw new TypeError(NO_HANDLER_MESSAGE);
    }
    const env = {};
    for (const [name, value] of bindingValues(bindingsJson)) {
      env[name] = value;
    }
    return { module: true, target, env };
  },

  // Service-worker syntax: bindings are globals, defined before the script runs.
  defineBindingGlobals(bindingsJson) {
    for (const [name, value] of bindingValues(bindingsJson)) {
      defineGlobal(name, value);
    }
  },

  // Service-worker syntax, after the script ran: it must have registered a listener.
  serviceWorker() {
    if (!HANDLER_NAMES.some((n) => eventHasListeners(globalThis, n))) {
      throw new TypeError(NO_HANDLER_MESSAGE);
    }
    return { module: false, target: null, env: null };
  },

  hasHandler(worker, name) {
    return worker.module ? typeof worker.target[name] === 'function' : eventHasListeners(globalThis, name);
  },

  dispatchFetch(worker, head, bridge) {
    currentInvocation = new Invocation(head);
    let result;
    try {
      const request = requestFromHost(head);
      if (worker.module) {
        const fetch = worker.target.fetch;
        if (typeof fetch !== 'function') {
          throw new TypeError("Handler does not export a fetch() function.");
        }
        result = fetch.call(worker.target, request, worker.env, new ExecutionContext());
      } else {
        if (!eventHasListeners(globalThis, 'fetch')) {
          throw new TypeError('No fetch event listener was registered.');
        }
        const [responded, response] = dispatchFetchEvent(request);
        if (!responded) {
          throw new TypeError('The script will never generate a response: no fetch listener called respondWith().');
        }
        result = response;
      }
      if (result instanceof Response) {
        sendResponse(result, bridge);
        return;
      }
    } catch (e) {
      reportFailure(bridge, e);
      return;
    }
    Promise.resolve(result).then((r) => sendResponse(r, bridge)).catch((e) => reportFailure(bridge, e));
  },

  // A cron trigger's run: the handler's promise (module syntax) or the event's waitUntil() promises (service-worker
  // syntax) settle, then the host is told with an empty 200 (or a failure).
  dispatchScheduled(worker, cron, scheduledTime, bridge) {
    currentInvocation = new Invocation(null);
    let result;
    try {
      if (worker.module) {
        const scheduled = worker.target.scheduled;
        if (typeof scheduled !== 'function') {
          throw new TypeError('Handler does not export a scheduled() function.');
        }
        result = scheduled.call(worker.target, new ScheduledController(INTERNAL, cron, scheduledTime), worker.env,
          new ExecutionContext());
      } else {
        if (!eventHasListeners(globalThis, 'scheduled')) {
          throw new TypeError('No scheduled event listener was registered.');
        }
        result = dispatchScheduledEvent(cron, scheduledTime);
      }
    } catch (e) {
      reportFailure(bridge, e);
      return;
    }
    Promise.resolve(result).then(() => {
      bridge.start(200, [], 0);
      bridge.end();
    }).catch((e) => reportFailure(bridge, e));
  },
};
