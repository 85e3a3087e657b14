// Event, CustomEvent and EventTarget (DOM Standard). Targets here have no parents, so an event only reaches its own
// target: eventPhase is AT_TARGET while it is dispatched and NONE otherwise, and composedPath() is [target].
//
// Prelude code fires events with `fireEvent(target, event)` (trusted) and builds trusted events with
// `trustedEvent(event)`.

const EVENT_PHASES = { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 };

// Reads a Web IDL dictionary argument: undefined and null are an empty dictionary, other non-objects a TypeError.
function eventDictionary(value, what) {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw new TypeError("Failed to construct '" + what + "': The provided value is not of type '" + what + "Init'.");
  }
  return value;
}

let eventRecord; // (event) -> its internal state; throws a TypeError for anything but an Event

class Event {
  #s;

  static {
    eventRecord = (event) => event.#s;
  }

  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
    }
    const init = eventDictionary(eventInitDict, 'Event');
    this.#s = {
      type: String(type),
      bubbles: Boolean(init.bubbles),
      cancelable: Boolean(init.cancelable),
      composed: Boolean(init.composed),
      trusted: false,
      timeStamp: host.now(),
      target: null,
      currentTarget: null,
      phase: 0,
      dispatching: false,
      canceled: false,
      stopPropagation: false,
      stopImmediate: false,
      inPassiveListener: false,
    };
  }

  get type() { return this.#s.type; }
  get target() { return this.#s.target; }
  get srcElement() { return this.#s.target; }
  get currentTarget() { return this.#s.currentTarget; }
  get eventPhase() { return this.#s.phase; }
  get bubbles() { return this.#s.bubbles; }
  get cancelable() { return this.#s.cancelable; }
  get composed() { return this.#s.composed; }
  get defaultPrevented() { return this.#s.canceled; }
  get isTrusted() { return this.#s.trusted; }
  get timeStamp() { return this.#s.timeStamp; }

  get returnValue() { return !this.#s.canceled; }

  set returnValue(value) {
    if (!value) {
      eventCancel(this.#s);
    }
  }

  get cancelBubble() { return this.#s.stopPropagation; }

  set cancelBubble(value) {
    if (value) {
      this.#s.stopPropagation = true;
    }
  }

  composedPath() {
    const s = this.#s;
    return s.dispatching && s.currentTarget !== null ? [s.currentTarget] : [];
  }

  stopPropagation() {
    this.#s.stopPropagation = true;
  }

  stopImmediatePropagation() {
    this.#s.stopPropagation = true;
    this.#s.stopImmediate = true;
  }

  preventDefault() {
    eventCancel(this.#s);
  }
}

function eventCancel(s) {
  if (s.cancelable && !s.inPassiveListener) {
    s.canceled = true;
  }
}

function trustedEvent(event) {
  eventRecord(event).trusted = true;
  return event;
}

function defineEventConstants(target) {
  for (const [name, value] of Object.entries(EVENT_PHASES)) {
    Object.defineProperty(target, name, { value, enumerable: true, writable: false, configurable: false });
  }
}
defineEventConstants(Event);
defineEventConstants(Event.prototype);

function defineInterfaceTag(cls, tag) {
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: tag, configurable: true });
}
defineInterfaceTag(Event, 'Event');

class CustomEvent extends Event {
  #detail;

  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'CustomEvent': 1 argument required, but only 0 present.");
    }
    const init = eventDictionary(eventInitDict, 'CustomEvent');
    super(type, init);
    this.#detail = init.detail === undefined ? null : init.detail;
  }

  get detail() { return this.#detail; }
}
defineInterfaceTag(CustomEvent, 'CustomEvent');

// A listener: { callback, capture, passive, once, removed, signal, onAbort }.
function eventListenerOptions(options) {
  if (typeof options === 'boolean') {
    return { capture: options, once: false, passive: false, signal: null };
  }
  if (options === undefined || options === null || (typeof options !== 'object' && typeof options !== 'function')) {
    return { capture: Boolean(options), once: false, passive: false, signal: null };
  }
  const capture = Boolean(options.capture);
  const once = Boolean(options.once);
  const passive = Boolean(options.passive);
  let signal = options.signal;
  if (signal === undefined) {
    signal = null;
  } else if (!isAbortSignal(signal)) {
    throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': "
      + "Failed to read the 'signal' property from 'AddEventListenerOptions': Failed to convert value to 'AbortSignal'.");
  }
  return { capture, once, passive, signal };
}

function eventCaptureOption(options) {
  if (options !== null && (typeof options === 'object' || typeof options === 'function')) {
    return Boolean(options.capture);
  }
  return Boolean(options);
}

function checkListenerCallback(callback, method) {
  if (callback !== null && typeof callback !== 'object' && typeof callback !== 'function') {
    throw new TypeError("Failed to execute '" + method + "' on 'EventTarget': "
      + "The callback provided as parameter 2 is not an object.");
  }
}

let eventTargetOf;      // (value) -> the EventTarget whose listeners `value` uses (the global scope maps to one)
let eventTargetListeners; // (target, type) -> the listener array for `type`, or undefined

class EventTarget {
  #listeners = null; // Map: type -> [listener]

  static {
    eventTargetOf = (value) => {
      if (value !== null && typeof value === 'object' && #listeners in value) {
        return value;
      }
      if (value === undefined || value === null || value === globalThis) {
        return globalScopeTarget;
      }
      throw new TypeError('Illegal invocation');
    };
    eventTargetListeners = (target, type) => (target.#listeners === null ? undefined : target.#listeners.get(type));
  }

  addEventListener(type, callback, options = undefined) {
    const target = eventTargetOf(this);
    if (arguments.length < 2) {
      throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': 2 arguments required, but only "
        + arguments.length + ' present.');
    }
    type = String(type);
    checkListenerCallback(callback, 'addEventListener');
    const { capture, once, passive, signal } = eventListenerOptions(options);
    if (callback === null || (signal !== null && signalAborted(signal))) {
      return;
    }
    if (target.#listeners === null) {
      target.#listeners = new Map();
    }
    let list = target.#listeners.get(type);
    if (list === undefined) {
      list = [];
      target.#listeners.set(type, list);
    }
    for (const l of list) {
      if (l.callback === callback && l.capture === capture) {
        return;
      }
    }
    const listener = { callback, capture, passive, once, removed: false, signal, onAbort: null };
    list.push(listener);
    if (signal !== null) {
      listener.onAbort = () => eventRemoveListener(target, type, listener);
      followSignal(signal, listener.onAbort);
    }
  }

  removeEventListener(type, callback, options = undefined) {
    const target = eventTargetOf(this);
    if (arguments.length < 2) {
      throw new TypeError("Failed to execute 'removeEventListener' on 'EventTarget': 2 arguments required, but only "
        + arguments.length + ' present.');
    }
    type = String(type);
    checkListenerCallback(callback, 'removeEventListener');
    const capture = eventCaptureOption(options);
    const list = eventTargetListeners(target, type);
    if (list === undefined) {
      return;
    }
    for (const l of list) {
      if (l.callback === callback && l.capture === capture) {
        eventRemoveListener(target, type, l);
        return;
      }
    }
  }

  dispatchEvent(event) {
    const target = eventTargetOf(this);
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': 1 argument required, but only 0 present.");
    }
    if (!(event instanceof Event)) {
      throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
    }
    const s = eventRecord(event);
    if (s.dispatching) {
      throw new DOMException("Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.",
        'InvalidStateError');
    }
    s.trusted = false;
    return eventDispatch(target, target === globalScopeTarget ? globalThis : target, event, false);
  }
}
defineInterfaceTag(EventTarget, 'EventTarget');

function eventRemoveListener(target, type, listener) {
  listener.removed = true;
  const list = eventTargetListeners(target, type);
  if (list !== undefined) {
    const i = list.indexOf(listener);
    if (i >= 0) {
      list.splice(i, 1);
    }
  }
  if (listener.signal !== null && listener.onAbort !== null) {
    removeSignalAlgorithm(listener.signal, listener.onAbort);
    listener.onAbort = null;
  }
}

// True when `target` (an EventTarget, or globalThis) has a listener for `type`.
function eventHasListeners(target, type) {
  const list = eventTargetListeners(eventTargetOf(target), type);
  return list !== undefined && list.length > 0;
}

// Fires a trusted event at `target`, as the platform does. Returns false if a listener cancelled it.
function fireEvent(target, event) {
  trustedEvent(event);
  const t = eventTargetOf(target);
  return eventDispatch(t, t === globalScopeTarget ? globalThis : t, event, false);
}

// Dispatches `event` at `target` (`publicTarget` is what listeners see: globalThis for the global scope).
// Listener exceptions are reported and dispatch goes on, unless `rethrow` (the runtime's own events, such as fetch,
// fail when a listener throws).
function eventDispatch(target, publicTarget, event, rethrow) {
  const s = eventRecord(event);
  s.dispatching = true;
  s.target = publicTarget;
  s.currentTarget = publicTarget;
  s.phase = EVENT_PHASES.AT_TARGET;
  try {
    const list = eventTargetListeners(target, s.type);
    if (list !== undefined && list.length > 0) {
      const listeners = list.slice();
      // At the target, capturing listeners run first, then the others (DOM "dispatch" steps).
      if (!s.stopPropagation) {
        eventInvoke(target, publicTarget, event, s, listeners, true, rethrow);
      }
      if (!s.stopPropagation) {
        eventInvoke(target, publicTarget, event, s, listeners, false, rethrow);
      }
    }
  } finally {
    s.phase = EVENT_PHASES.NONE;
    s.currentTarget = null;
    s.dispatching = false;
    s.stopPropagation = false;
    s.stopImmediate = false;
  }
  return !s.canceled;
}

function eventInvoke(target, publicTarget, event, s, listeners, capture, rethrow) {
  for (const listener of listeners) {
    if (listener.removed || listener.capture !== capture) {
      continue;
    }
    if (listener.once) {
      eventRemoveListener(target, s.type, listener);
    }
    s.inPassiveListener = listener.passive;
    try {
      eventCallListener(listener.callback, publicTarget, event);
    } catch (e) {
      if (rethrow) {
        throw e;
      }
      reportUncaught(e);
    } finally {
      s.inPassiveListener = false;
    }
    if (s.stopImmediate) {
      return;
    }
  }
}

function eventCallListener(callback, thisValue, event) {
  if (typeof callback === 'function') {
    Reflect.apply(callback, thisValue, [event]);
    return;
  }
  const handleEvent = callback.handleEvent;
  if (typeof handleEvent !== 'function') {
    throw new TypeError("The provided event listener object does not have a callable 'handleEvent' member.");
  }
  Reflect.apply(handleEvent, callback, [event]);
}

// An event handler IDL attribute such as `onabort`: the first non-null value adds a listener at that point in the
// list; later values replace the handler in place; null removes it.
function eventHandlerAttribute(cls, type) {
  const handlers = new WeakMap(); // target -> { value, listener }
  Object.defineProperty(cls.prototype, 'on' + type, {
    get() {
      eventTargetOf(this);
      const h = handlers.get(this);
      return h === undefined ? null : h.value;
    },
    set(value) {
      const target = eventTargetOf(this);
      const handler = typeof value === 'function' || (value !== null && typeof value === 'object') ? value : null;
      let h = handlers.get(this);
      if (handler === null) {
        if (h !== undefined) {
          target.removeEventListener(type, h.listener);
          handlers.delete(this);
        }
        return;
      }
      if (h === undefined) {
        h = { value: handler, listener: null };
        const self = this;
        h.listener = function (event) {
          const current = handlers.get(self);
          if (current !== undefined && typeof current.value === 'function') {
            const result = Reflect.apply(current.value, event.currentTarget, [event]);
            if (result === false) {
              event.preventDefault();
            }
          }
        };
        handlers.set(this, h);
        target.addEventListener(type, h.listener);
      } else {
        h.value = handler;
      }
    },
    enumerable: true,
    configurable: true,
  });
}

defineGlobal('Event', Event);
defineGlobal('CustomEvent', CustomEvent);
defineGlobal('EventTarget', EventTarget);

// The global scope is an EventTarget (a ServiceWorkerGlobalScope on Workers): globalThis inherits
// WorkerGlobalScope.prototype -> EventTarget.prototype, and the global addEventListener() registers on the
// listener list kept for it.
const globalScopeTarget = new EventTarget();

class WorkerGlobalScope extends EventTarget {
  constructor(key) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    super();
  }
}
defineInterfaceTag(WorkerGlobalScope, 'WorkerGlobalScope');
const serviceWorkerGlobalScopePrototype = Object.create(WorkerGlobalScope.prototype, {
  [Symbol.toStringTag]: { value: 'ServiceWorkerGlobalScope', configurable: true },
});
Object.setPrototypeOf(globalThis, serviceWorkerGlobalScopePrototype);
Reflect.deleteProperty(globalThis, Symbol.toStringTag); // GraalJS's own 'global' tag
defineGlobal('WorkerGlobalScope', WorkerGlobalScope);
defineGlobal('self', globalThis);
