// Timers (HTML's timer initialization steps, as Workers has them), queueMicrotask and reportError.
//
// The host keeps one scheduled task per pending timer and calls internals.fireTimer(id) on the isolate's own
// thread when it is due. As on Workers, timers cannot be set in the global scope, only inside a handler.

const GLOBAL_SCOPE_MESSAGE = 'Disallowed operation called within global scope. Asynchronous I/O (ex: fetch() or '
  + 'connect()), setting a timeout, and generating random values are not allowed within global scope. To fix this '
  + 'error, perform this operation within a handler. https://developers.cloudflare.com/workers/runtime-apis/handlers/';

// Throws unless the caller runs inside a handler (timers, I/O and randomness are not allowed in the global scope).
function requireHandlerScope() {
  if (!host.inHandlerScope()) {
    throw new Error(GLOBAL_SCOPE_MESSAGE);
  }
}

// An uncaught error of a callback nothing awaits (a timer, a microtask, an event listener): logged, never fatal.
function reportUncaught(error) {
  console.error('Uncaught', error);
}

const pendingTimers = new Map(); // id -> { callback, args, interval (ms, or -1 for a one-shot timer), invocation }
let lastTimerId = 0;

function timerDelay(delay) {
  const ms = Number(delay);
  return ms > 0 && ms < 2147483648 ? Math.floor(ms) : 0;
}

// Sets a timer; `interval` is -1 for a one-shot timer. Prelude code calls this rather than the global.
function timerSet(callback, delay, args, interval) {
  if (typeof callback !== 'function') {
    throw new TypeError("Failed to execute 'setTimeout': parameter 1 is not of type 'Function'.");
  }
  requireHandlerScope();
  const id = ++lastTimerId;
  pendingTimers.set(id, { callback, args, interval, invocation: currentInvocation });
  host.setTimer(id, delay);
  return id;
}

function timerClear(id) {
  const n = Number(id);
  if (pendingTimers.delete(n)) {
    host.clearTimer(n);
  }
}

function fireTimer(id) {
  const timer = pendingTimers.get(id);
  if (timer === undefined) {
    return;
  }
  if (timer.interval < 0) {
    pendingTimers.delete(id);
  } else {
    host.setTimer(id, timer.interval);
  }
  currentInvocation = timer.invocation;
  try {
    Reflect.apply(timer.callback, globalThis, timer.args);
  } catch (e) {
    reportUncaught(e);
  }
}

defineGlobal('setTimeout', function setTimeout(callback, delay = 0, ...args) {
  return timerSet(callback, timerDelay(delay), args, -1);
});
defineGlobal('setInterval', function setInterval(callback, delay = 0, ...args) {
  const ms = Math.max(1, timerDelay(delay));
  return timerSet(callback, ms, args, ms);
});
defineGlobal('clearTimeout', function clearTimeout(id) {
  timerClear(id);
});
defineGlobal('clearInterval', function clearInterval(id) {
  timerClear(id);
});

defineGlobal('queueMicrotask', function queueMicrotask(callback) {
  if (typeof callback !== 'function') {
    throw new TypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.");
  }
  Promise.resolve().then(() => {
    try {
      callback();
    } catch (e) {
      reportUncaught(e);
    }
  });
});

defineGlobal('reportError', function reportError(error) {
  reportUncaught(error);
});
