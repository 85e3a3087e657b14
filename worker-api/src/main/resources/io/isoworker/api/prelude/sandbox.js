// Globals a sandboxed worker must never see. The engine is configured not to create most of them; removing them
// again here keeps that true whatever an engine version adds. `console` is replaced by console.js.
for (const name of ['Java', 'Packages', 'Polyglot', 'Graal', 'load', 'loadWithNewGlobal', 'print', 'printErr',
  'quit', 'exit', 'readline', 'readbuffer', 'read', 'process', 'require', 'java', 'javax', 'com', 'org', 'net',
  'edu', 'console', 'arguments']) {
  Reflect.deleteProperty(globalThis, name);
}

// A key only the prelude holds: constructors given it build objects from host data without re-validating.
const INTERNAL = Symbol('isoworker.internal');

// Installs a global the way Web IDL does: writable, configurable, not enumerable.
function defineGlobal(name, value) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

function illegalConstructor() {
  throw new TypeError('Illegal constructor');
}

// Internal state of the prelude's hot-path objects (Request, Response, Headers, URL, URLSearchParams, KV namespaces):
// one record per object, under a registered symbol, instead of private class fields. Every context shares the
// engine's compiled code, and private names, created anew in each context, defeat its property caches: an object
// with 9 private fields took ~1,500 ns to build with 8 contexts, against ~3 ns with a record under a registered
// symbol, which is the same symbol in every context (docs/benchmarks.md). The record is not enumerable by
// Object.keys, for-in or JSON.stringify, and console.log hides it. A worker can still reach it through Symbol.for(),
// as it can patch any prototype: that affects only its own objects, the records hold nothing but its own data (and,
// for Request, the read-only host view of its own incoming request), and the host checks everything it is handed
// (header lists and statuses: GuestHeaders; KV namespace ids: only those bound to the worker). The other classes
// (streams, TextDecoder, Blob, ...) still use private fields.
const INTERNAL_SLOT_PREFIX = 'isoworker.';

function internalSlot(name) {
  return Symbol.for(INTERNAL_SLOT_PREFIX + name);
}

function isInternalSlot(key) {
  if (typeof key !== 'symbol') {
    return false;
  }
  const name = Symbol.keyFor(key);
  return name !== undefined && name.startsWith(INTERNAL_SLOT_PREFIX);
}

// The TypeError for a method or getter called on an object that is not of its class.
function illegalInvocation(className) {
  return new TypeError('Illegal invocation: this is not a ' + className + '.');
}

// The record under `slot`, or a TypeError when `object` is not one of the prelude's objects of that class.
function internalState(object, slot, className) {
  const state = object === null || object === undefined ? undefined : object[slot];
  if (state === undefined) {
    throw illegalInvocation(className);
  }
  return state;
}
