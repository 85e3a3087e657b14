// AbortController and AbortSignal (DOM Standard), with AbortSignal.abort, .timeout and .any (dependent signals).
//
// Prelude code that reacts to a signal (fetch, pipeTo) uses:
//   isAbortSignal(value), signalAborted(signal), signalReason(signal),
//   followSignal(signal, algorithm)         runs algorithm() once when the signal aborts (not if already aborted);
//   removeSignalAlgorithm(signal, algorithm) stops that, e.g. when the operation finished first.
// Abort algorithms run before the `abort` event is fired, in the order they were added.

let abortSignalState; // (signal) -> its internal state; throws a TypeError for anything but an AbortSignal
let isAbortSignal;

function abortErrorReason() {
  return new DOMException('The operation was aborted', 'AbortError');
}

class AbortSignal extends EventTarget {
  #s;

  static {
    abortSignalState = (signal) => signal.#s;
    isAbortSignal = (value) => value !== null && typeof value === 'object' && #s in value;
  }

  constructor(key) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    super();
    // sources: the signals a dependent signal follows; dependents: the dependent signals that follow this one
    this.#s = { aborted: false, reason: undefined, algorithms: null, dependent: false, sources: null, dependents: null };
  }

  static abort(reason = undefined) {
    const signal = new AbortSignal(INTERNAL);
    signal.#s.aborted = true;
    signal.#s.reason = reason === undefined ? abortErrorReason() : reason;
    return signal;
  }

  static timeout(milliseconds) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': 1 argument required, but only 0 present.");
    }
    const ms = abortTimeoutMillis(milliseconds);
    const signal = new AbortSignal(INTERNAL);
    timerSet(() => {
      signalAbort(signal, new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, ms, [], -1);
    return signal;
  }

  static any(signals) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'any' on 'AbortSignal': 1 argument required, but only 0 present.");
    }
    if (signals === null || (typeof signals !== 'object' && typeof signals !== 'function')
        || typeof signals[Symbol.iterator] !== 'function') {
      throw new TypeError("Failed to execute 'any' on 'AbortSignal': The provided value cannot be converted to a sequence.");
    }
    const list = [];
    for (const s of signals) {
      if (!isAbortSignal(s)) {
        throw new TypeError("Failed to execute 'any' on 'AbortSignal': Failed to convert value to 'AbortSignal'.");
      }
      list.push(s);
    }
    return createDependentSignal(list);
  }

  get aborted() { return this.#s.aborted; }

  get reason() { return this.#s.reason; }

  throwIfAborted() {
    if (this.#s.aborted) {
      throw this.#s.reason;
    }
  }
}
defineInterfaceTag(AbortSignal, 'AbortSignal');
eventHandlerAttribute(AbortSignal, 'abort');

// Web IDL [EnforceRange] unsigned long long.
function abortTimeoutMillis(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': Value is not a finite number.");
  }
  const ms = Math.trunc(n);
  if (ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
    throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': Value is outside the 'unsigned long long' "
      + 'value range.');
  }
  return Math.min(ms, 2147483647);
}

function signalAborted(signal) {
  return abortSignalState(signal).aborted;
}

function signalReason(signal) {
  return abortSignalState(signal).reason;
}

function followSignal(signal, algorithm) {
  const s = abortSignalState(signal);
  if (s.aborted) {
    return;
  }
  if (s.algorithms === null) {
    s.algorithms = new Set();
  }
  s.algorithms.add(algorithm);
}

function removeSignalAlgorithm(signal, algorithm) {
  const s = abortSignalState(signal);
  if (s.algorithms !== null) {
    s.algorithms.delete(algorithm);
  }
}

// DOM "signal abort".
function signalAbort(signal, reason) {
  const s = abortSignalState(signal);
  if (s.aborted) {
    return;
  }
  s.aborted = true;
  s.reason = reason === undefined ? abortErrorReason() : reason;
  const toAbort = [];
  if (s.dependents !== null) {
    for (const dependent of s.dependents) {
      const d = abortSignalState(dependent);
      if (!d.aborted) {
        d.aborted = true;
        d.reason = s.reason;
        toAbort.push(dependent);
      }
    }
    s.dependents = null;
  }
  runAbortSteps(signal);
  for (const dependent of toAbort) {
    runAbortSteps(dependent);
  }
}

function runAbortSteps(signal) {
  const s = abortSignalState(signal);
  const algorithms = s.algorithms;
  s.algorithms = null;
  if (s.sources !== null) {
    for (const source of s.sources) {
      const src = abortSignalState(source);
      if (src.dependents !== null) {
        src.dependents.delete(signal);
      }
    }
    s.sources = null;
  }
  if (algorithms !== null) {
    for (const algorithm of algorithms) {
      try {
        algorithm();
      } catch (e) {
        reportUncaught(e);
      }
    }
  }
  if (eventHasListeners(signal, 'abort')) {
    fireEvent(signal, new Event('abort'));
  }
}

// DOM "create a dependent abort signal". A source keeps its dependents until it aborts (as Workers does, the
// references are strong).
function createDependentSignal(signals) {
  const result = new AbortSignal(INTERNAL);
  const r = abortSignalState(result);
  for (const signal of signals) {
    const s = abortSignalState(signal);
    if (s.aborted) {
      r.aborted = true;
      r.reason = s.reason;
      return result;
    }
  }
  r.dependent = true;
  r.sources = new Set();
  for (const signal of signals) {
    const s = abortSignalState(signal);
    if (!s.dependent) {
      abortAddDependent(r, signal, result);
    } else if (s.sources !== null) {
      for (const source of s.sources) {
        abortAddDependent(r, source, result);
      }
    }
  }
  return result;
}

function abortAddDependent(r, source, result) {
  r.sources.add(source);
  const src = abortSignalState(source);
  if (src.dependents === null) {
    src.dependents = new Set();
  }
  src.dependents.add(result);
}

class AbortController {
  #signal = new AbortSignal(INTERNAL);

  get signal() { return this.#signal; }

  abort(reason = undefined) {
    signalAbort(this.#signal, reason);
  }
}
defineInterfaceTag(AbortController, 'AbortController');

defineGlobal('AbortSignal', AbortSignal);
defineGlobal('AbortController', AbortController);
