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
