// structuredClone (HTML "structured clone": StructuredSerializeWithTransfer then StructuredDeserializeWithTransfer),
// done in one pass that builds the copy directly. `memory` maps each source object to its copy, which keeps cycles
// and shared references.
//
// This file comes after every other Web API file in Prelude.FILES: it records the prototypes of all platform
// classes defined so far, whose instances are not serializable (DataCloneError). A serializable platform class
// (Blob, File, ...) is added at the end of this file with registerSerializable(cls, clone), where
// clone(value, cloneInner) returns the copy and cloneInner(v) clones a nested value (sharing `memory`).

const CLONE_KINDS = new Map(); // prototype -> kind name, or a serializable platform class's clone function

const CLONE_ECMASCRIPT_GLOBALS = new Set(['Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol',
  'BigInt', 'Date', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError',
  'TypeError', 'URIError', 'SuppressedError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'Promise', 'Proxy', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Iterator', 'AsyncIterator', 'DisposableStack',
  'AsyncDisposableStack']);

// ECMAScript's own constructors (their instances are handled by kind above, or are ordinary objects).
function cloneIsEcmaScriptConstructor(name) {
  return CLONE_ECMASCRIPT_GLOBALS.has(name) || /^(Big)?(Int|Uint|Float)(8|16|32|64)(Clamped)?Array$/.test(name);
}

(function registerCloneKinds() {
  const kinds = [
    [Object.prototype, 'Object'], [Array.prototype, 'Array'], [HostDate.prototype, 'Date'],
    [RegExp.prototype, 'RegExp'], [ArrayBuffer.prototype, 'ArrayBuffer'], [DataView.prototype, 'DataView'],
    [Map.prototype, 'Map'], [Set.prototype, 'Set'], [Error.prototype, 'Error'],
    [Boolean.prototype, 'Boolean'], [Number.prototype, 'Number'], [String.prototype, 'String'],
    [BigInt.prototype, 'BigInt'], [DOMException.prototype, 'DOMException'],
    [Object.getPrototypeOf(Int8Array.prototype), 'TypedArray'],
  ];
  for (const [proto, kind] of kinds) {
    CLONE_KINDS.set(proto, kind);
  }
  // Objects with internal slots that are not serializable.
  const notSerializable = [Symbol.prototype, Function.prototype, Promise.prototype, WeakMap.prototype,
    WeakSet.prototype, WeakRef.prototype, FinalizationRegistry.prototype, SharedArrayBuffer.prototype,
    Object.getPrototypeOf(function* g() {}).prototype, Object.getPrototypeOf(async function* g() {}).prototype,
    Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    Object.getPrototypeOf(new Set()[Symbol.iterator]()), Object.getPrototypeOf(''[Symbol.iterator]()),
    Object.getPrototypeOf(/x/[Symbol.matchAll](''))];
  for (const proto of notSerializable) {
    CLONE_KINDS.set(proto, 'none');
  }
  // Every platform class the prelude has defined so far: its instances are platform objects.
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const desc = Object.getOwnPropertyDescriptor(globalThis, name);
    const value = desc.value;
    if (typeof value === 'function' && /^[A-Z]/.test(name) && value.prototype && !CLONE_KINDS.has(value.prototype)
        && !cloneIsEcmaScriptConstructor(name)) {
      CLONE_KINDS.set(value.prototype, 'none');
    }
  }
  CLONE_KINDS.set(WorkerGlobalScope.prototype, 'none');
})();

function registerSerializable(cls, clone) {
  CLONE_KINDS.set(cls.prototype, clone);
}

const CLONE_ERROR_CONSTRUCTORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
const CLONE_TYPED_ARRAY_TAG = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype),
  Symbol.toStringTag).get;
const CLONE_TYPED_ARRAYS = {};
for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) {
  if (typeof globalThis[name] === 'function') {
    CLONE_TYPED_ARRAYS[name] = globalThis[name];
  }
}
const CLONE_DATE_GET_TIME = HostDate.prototype.getTime;
const CLONE_MAP_FOR_EACH = Map.prototype.forEach;
const CLONE_SET_FOR_EACH = Set.prototype.forEach;
const CLONE_MAP_SET = Map.prototype.set;
const CLONE_SET_ADD = Set.prototype.add;
const CLONE_ARRAY_BUFFER_SLICE = ArrayBuffer.prototype.slice;
const CLONE_ARRAY_BUFFER_BYTE_LENGTH = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
const CLONE_ARRAY_BUFFER_DETACHED = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached').get;
const CLONE_ARRAY_BUFFER_RESIZABLE = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable').get;
const CLONE_ARRAY_BUFFER_MAX_LENGTH = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'maxByteLength').get;
const CLONE_ARRAY_BUFFER_TRANSFER = ArrayBuffer.prototype.transfer;
const CLONE_VIEW_BUFFER = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), 'buffer').get;
const CLONE_VIEW_OFFSET = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), 'byteOffset').get;
const CLONE_VIEW_LENGTH = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), 'length').get;
const CLONE_DATA_VIEW_BUFFER = Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer').get;
const CLONE_DATA_VIEW_OFFSET = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get;
const CLONE_DATA_VIEW_LENGTH = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get;
const CLONE_REGEXP_SOURCE = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get;
const CLONE_REGEXP_FLAGS = Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get;

function dataCloneError(value) {
  let what;
  if (typeof value === 'symbol') {
    what = value.toString();
  } else if (typeof value === 'function') {
    what = Function.prototype.toString.call(value);
  } else {
    const ctor = value.constructor;
    what = '#<' + (typeof ctor === 'function' && ctor.name ? ctor.name : 'Object') + '>';
  }
  return new DOMException(what + ' could not be cloned.', 'DataCloneError');
}

function cloneKind(value) {
  for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
    const kind = CLONE_KINDS.get(p);
    if (kind !== undefined) {
      return kind;
    }
  }
  return 'Object';
}

function cloneValue(value, memory) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    if (typeof value === 'symbol') {
      throw dataCloneError(value);
    }
    return value;
  }
  const seen = memory.get(value);
  if (seen !== undefined) {
    return seen;
  }
  if (typeof value === 'function') {
    throw dataCloneError(value);
  }
  if (Array.isArray(value)) {
    return cloneArray(value, memory);
  }
  const kind = cloneKind(value);
  if (typeof kind === 'function') {
    const copy = kind(value, (v) => cloneValue(v, memory));
    memory.set(value, copy);
    return copy;
  }
  switch (kind) {
    case 'Object': return clonePlainObject(value, memory);
    case 'Array': return clonePlainObject(value, memory);
    case 'Date': return cloneRemember(memory, value, new HostDate(Reflect.apply(CLONE_DATE_GET_TIME, value, [])));
    case 'RegExp':
      return cloneRemember(memory, value,
        new RegExp(Reflect.apply(CLONE_REGEXP_SOURCE, value, []), Reflect.apply(CLONE_REGEXP_FLAGS, value, [])));
    case 'ArrayBuffer': return cloneRemember(memory, value, cloneArrayBuffer(value));
    case 'TypedArray': return cloneTypedArray(value, memory);
    case 'DataView': return cloneDataView(value, memory);
    case 'Map': return cloneMap(value, memory);
    case 'Set': return cloneSet(value, memory);
    case 'Error': return cloneError(value, memory);
    case 'DOMException': return cloneDomException(value, memory);
    // Wrapper objects keep only their primitive value.
    case 'Boolean': return cloneRemember(memory, value, new Boolean(Boolean.prototype.valueOf.call(value)));
    case 'Number': return cloneRemember(memory, value, new Number(Number.prototype.valueOf.call(value)));
    case 'String': return cloneRemember(memory, value, new String(String.prototype.valueOf.call(value)));
    case 'BigInt': return cloneRemember(memory, value, Object(BigInt.prototype.valueOf.call(value)));
    default: throw dataCloneError(value);
  }
}

function cloneRemember(memory, value, copy) {
  memory.set(value, copy);
  return copy;
}

// Own enumerable string-keyed properties, read with [[Get]] (getters run) and defined as data properties.
function cloneProperties(value, copy, memory, keys) {
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) {
      continue; // a getter removed it
    }
    const v = cloneValue(value[key], memory);
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: v, writable: true, enumerable: true, configurable: true });
    } else {
      copy[key] = v;
    }
  }
}

function clonePlainObject(value, memory) {
  const copy = {};
  memory.set(value, copy);
  cloneProperties(value, copy, memory, Object.keys(value));
  return copy;
}

function cloneArray(value, memory) {
  const length = value.length;
  const copy = new Array(length);
  memory.set(value, copy);
  const keys = Object.keys(value);
  if (keys.length === length) {
    for (let i = 0; i < length; i++) {
      if (Object.prototype.hasOwnProperty.call(value, i)) {
        copy[i] = cloneValue(value[i], memory);
      }
    }
  } else {
    cloneProperties(value, copy, memory, keys); // sparse, or extra non-index properties
  }
  return copy;
}

function cloneArrayBuffer(buffer) {
  if (Reflect.apply(CLONE_ARRAY_BUFFER_DETACHED, buffer, [])) {
    throw new DOMException('An ArrayBuffer is detached and could not be cloned.', 'DataCloneError');
  }
  if (!Reflect.apply(CLONE_ARRAY_BUFFER_RESIZABLE, buffer, [])) {
    return Reflect.apply(CLONE_ARRAY_BUFFER_SLICE, buffer, [0]);
  }
  const length = Reflect.apply(CLONE_ARRAY_BUFFER_BYTE_LENGTH, buffer, []);
  const copy = new ArrayBuffer(length, { maxByteLength: Reflect.apply(CLONE_ARRAY_BUFFER_MAX_LENGTH, buffer, []) });
  new Uint8Array(copy).set(new Uint8Array(buffer));
  return copy;
}

function cloneTypedArray(view, memory) {
  const name = Reflect.apply(CLONE_TYPED_ARRAY_TAG, view, []);
  const buffer = cloneValue(Reflect.apply(CLONE_VIEW_BUFFER, view, []), memory);
  const offset = Reflect.apply(CLONE_VIEW_OFFSET, view, []);
  const copy = new CLONE_TYPED_ARRAYS[name](buffer, offset, Reflect.apply(CLONE_VIEW_LENGTH, view, []));
  memory.set(view, copy);
  return copy;
}

function cloneDataView(view, memory) {
  const buffer = cloneValue(Reflect.apply(CLONE_DATA_VIEW_BUFFER, view, []), memory);
  const copy = new DataView(buffer, Reflect.apply(CLONE_DATA_VIEW_OFFSET, view, []),
    Reflect.apply(CLONE_DATA_VIEW_LENGTH, view, []));
  memory.set(view, copy);
  return copy;
}

function cloneMap(map, memory) {
  const copy = new Map();
  memory.set(map, copy);
  const entries = [];
  Reflect.apply(CLONE_MAP_FOR_EACH, map, [(v, k) => { entries.push(k, v); }]);
  for (let i = 0; i < entries.length; i += 2) {
    Reflect.apply(CLONE_MAP_SET, copy, [cloneValue(entries[i], memory), cloneValue(entries[i + 1], memory)]);
  }
  return copy;
}

function cloneSet(set, memory) {
  const copy = new Set();
  memory.set(set, copy);
  const values = [];
  Reflect.apply(CLONE_SET_FOR_EACH, set, [(v) => { values.push(v); }]);
  for (const v of values) {
    Reflect.apply(CLONE_SET_ADD, copy, [cloneValue(v, memory)]);
  }
  return copy;
}

// name (one of the standard error names, else "Error"), message when it is an own data property, and, as V8 does,
// the stack and the cause.
function cloneError(error, memory) {
  const name = error.name;
  const ctor = Object.prototype.hasOwnProperty.call(CLONE_ERROR_CONSTRUCTORS, name) ? CLONE_ERROR_CONSTRUCTORS[name] : Error;
  const messageDesc = Object.getOwnPropertyDescriptor(error, 'message');
  const copy = messageDesc !== undefined && 'value' in messageDesc ? new ctor(String(messageDesc.value)) : new ctor();
  memory.set(error, copy);
  cloneErrorExtras(error, copy, memory);
  return copy;
}

function cloneErrorExtras(error, copy, memory) {
  const stack = error.stack;
  if (typeof stack === 'string') {
    Object.defineProperty(copy, 'stack', { value: stack, writable: true, configurable: true });
  }
  const causeDesc = Object.getOwnPropertyDescriptor(error, 'cause');
  if (causeDesc !== undefined && 'value' in causeDesc) {
    Object.defineProperty(copy, 'cause',
      { value: cloneValue(causeDesc.value, memory), writable: true, configurable: true });
  }
}

function cloneDomException(error, memory) {
  const copy = new DOMException(error.message, error.name);
  memory.set(error, copy);
  cloneErrorExtras(error, copy, memory);
  return copy;
}

function cloneIsArrayBuffer(value) {
  try {
    Reflect.apply(CLONE_ARRAY_BUFFER_BYTE_LENGTH, value, []);
    return true;
  } catch (e) {
    return false;
  }
}

function structuredCloneWithTransfer(value, transfer) {
  const memory = new Map();
  const seen = new Set();
  for (let i = 0; i < transfer.length; i++) {
    const item = transfer[i];
    if (!cloneIsArrayBuffer(item)) {
      throw new DOMException('Value not transferable', 'DataCloneError');
    }
    if (seen.has(item)) {
      throw new DOMException('ArrayBuffer at index ' + i + ' is a duplicate of an earlier ArrayBuffer. '
        + 'Duplicate ArrayBuffers cannot be transferred.', 'DataCloneError');
    }
    seen.add(item);
  }
  // A transferred buffer is copied like any other during the pass (so nothing is detached if the pass fails) and
  // only detached afterwards.
  const copy = cloneValue(value, memory);
  for (const item of transfer) {
    if (Reflect.apply(CLONE_ARRAY_BUFFER_DETACHED, item, [])) {
      throw new DOMException('An ArrayBuffer is detached and could not be cloned.', 'DataCloneError');
    }
  }
  for (const item of transfer) {
    Reflect.apply(CLONE_ARRAY_BUFFER_TRANSFER, item, [0]);
  }
  return copy;
}

function structuredCloneTransferList(options) {
  if (options === undefined || options === null) {
    return [];
  }
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw new TypeError("Failed to execute 'structuredClone': The provided value is not of type 'StructuredSerializeOptions'.");
  }
  const transfer = options.transfer;
  if (transfer === undefined) {
    return [];
  }
  if (transfer === null || typeof transfer !== 'object' || typeof transfer[Symbol.iterator] !== 'function') {
    throw new TypeError("Failed to execute 'structuredClone': Failed to read the 'transfer' property from "
      + "'StructuredSerializeOptions': The provided value cannot be converted to a sequence.");
  }
  const list = [];
  for (const item of transfer) {
    if (item === null || (typeof item !== 'object' && typeof item !== 'function')) {
      throw new TypeError("Failed to execute 'structuredClone': Failed to read the 'transfer' property from "
        + "'StructuredSerializeOptions': Failed to convert value to 'object'.");
    }
    list.push(item);
  }
  return list;
}

defineGlobal('structuredClone', function structuredClone(value, options = undefined) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
  }
  const transfer = structuredCloneTransferList(options);
  return transfer.length === 0 ? cloneValue(value, new Map()) : structuredCloneWithTransfer(value, transfer);
});
