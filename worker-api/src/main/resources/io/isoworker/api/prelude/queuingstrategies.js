// Shared machinery of the Streams Standard (promises, queues, strategies) and the two queuing strategies.

function streamNoop() {}

// Makes a class's members enumerable and gives it a toStringTag, as Web IDL interfaces have.
function streamsDefineInterface(cls, name) {
  for (const target of [cls.prototype, cls]) {
    for (const key of Reflect.ownKeys(target)) {
      if (typeof key === 'symbol' || key === 'constructor' || key === 'prototype' || key === 'length' || key === 'name') {
        continue;
      }
      const desc = Reflect.getOwnPropertyDescriptor(target, key);
      desc.enumerable = true;
      Object.defineProperty(target, key, desc);
    }
  }
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
}

// A new promise resolved with `value`, as Web IDL has it (a thenable is adopted, never returned as is).
function promiseResolvedWith(value) {
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    return new Promise((resolve) => resolve(value));
  }
  return Promise.resolve(value);
}

function markPromiseHandled(promise) {
  promise.then(undefined, streamNoop);
}

// Calls an underlying source's or sink's method and always returns a promise.
function promiseCall(fn, thisArg, args) {
  try {
    return promiseResolvedWith(Reflect.apply(fn, thisArg, args));
  } catch (e) {
    return Promise.reject(e);
  }
}

// A promise with its resolve and reject functions, which settle it once.
class StreamDeferred {
  constructor() {
    this.pending = true;
    this.promise = new Promise((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
  }

  resolve(value) {
    if (this.pending) {
      this.pending = false;
      this.resolveFn(value);
    }
  }

  reject(reason) {
    if (this.pending) {
      this.pending = false;
      this.rejectFn(reason);
    }
  }
}

function streamRejectedDeferred(reason) {
  const d = new StreamDeferred();
  d.reject(reason);
  markPromiseHandled(d.promise);
  return d;
}

function streamResolvedDeferred() {
  const d = new StreamDeferred();
  d.resolve(undefined);
  return d;
}

function streamMicrotask(fn) {
  Promise.resolve().then(fn);
}

// A FIFO queue with O(1) shift.
class StreamQueue {
  constructor() {
    this.items = [];
    this.head = 0;
  }

  get length() {
    return this.items.length - this.head;
  }

  push(item) {
    this.items.push(item);
  }

  peek() {
    return this.items[this.head];
  }

  shift() {
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear() {
    this.items = [];
    this.head = 0;
  }
}

// Queue-with-sizes operations on a controller record holding `queue` and `queueTotalSize`.
function queueEnqueueValueWithSize(c, value, size) {
  if (typeof size !== 'number' || !(size >= 0) || size === Infinity) {
    throw new RangeError('The return value of a queuing strategy size function must be a finite, non-NaN, non-negative number.');
  }
  c.queue.push({ value, size });
  c.queueTotalSize += size;
}

function queueDequeueValue(c) {
  const pair = c.queue.shift();
  c.queueTotalSize -= pair.size;
  if (c.queueTotalSize < 0) {
    c.queueTotalSize = 0;
  }
  return pair.value;
}

function queueReset(c) {
  c.queue.clear();
  c.queueTotalSize = 0;
}

// A QueuingStrategy dictionary, read in Web IDL's order.
function strategyFromInit(strategy, what) {
  if (strategy === undefined || strategy === null) {
    return { highWaterMark: undefined, size: undefined };
  }
  if (typeof strategy !== 'object' && typeof strategy !== 'function') {
    throw new TypeError(what + ': the queuing strategy must be an object.');
  }
  let highWaterMark = strategy.highWaterMark;
  if (highWaterMark !== undefined) {
    highWaterMark = Number(highWaterMark);
  }
  const size = strategy.size;
  if (size !== undefined && typeof size !== 'function') {
    throw new TypeError(what + ': the queuing strategy size must be a function.');
  }
  return { highWaterMark, size };
}

function extractHighWaterMark(strategy, defaultHwm) {
  if (strategy.highWaterMark === undefined) {
    return defaultHwm;
  }
  const hwm = strategy.highWaterMark;
  if (Number.isNaN(hwm) || hwm < 0) {
    throw new RangeError('Invalid highWaterMark: it must be a non-negative number.');
  }
  return hwm;
}

function streamSizeOne() {
  return 1;
}

function extractSizeAlgorithm(strategy) {
  const size = strategy.size;
  if (size === undefined) {
    return streamSizeOne;
  }
  return (chunk) => Number(size(chunk));
}

// Reads a dictionary member that must be a function (or absent).
function streamCallbackMember(dict, name, what) {
  const value = dict[name];
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(what + ': ' + name + ' must be a function.');
  }
  return value;
}

function queuingStrategyInit(init, what) {
  if (init === undefined || init === null || (typeof init !== 'object' && typeof init !== 'function')) {
    throw new TypeError("Failed to construct '" + what + "': 1 argument required, but only 0 present.");
  }
  const hwm = init.highWaterMark;
  if (hwm === undefined) {
    throw new TypeError("Failed to construct '" + what + "': required member highWaterMark is undefined.");
  }
  return Number(hwm);
}

// The size functions are shared by all instances, as the standard has them.
const byteLengthSize = { size(chunk) { return chunk.byteLength; } }.size;
const countSize = { size() { return 1; } }.size;

class ByteLengthQueuingStrategy {
  #highWaterMark;

  constructor(init) {
    this.#highWaterMark = queuingStrategyInit(init, 'ByteLengthQueuingStrategy');
  }

  get highWaterMark() { return this.#highWaterMark; }

  get size() {
    this.#highWaterMark; // brand check
    return byteLengthSize;
  }
}

class CountQueuingStrategy {
  #highWaterMark;

  constructor(init) {
    this.#highWaterMark = queuingStrategyInit(init, 'CountQueuingStrategy');
  }

  get highWaterMark() { return this.#highWaterMark; }

  get size() {
    this.#highWaterMark; // brand check
    return countSize;
  }
}
defineGlobal('ByteLengthQueuingStrategy', ByteLengthQueuingStrategy);
defineGlobal('CountQueuingStrategy', CountQueuingStrategy);
streamsDefineInterface(ByteLengthQueuingStrategy, 'ByteLengthQueuingStrategy');
streamsDefineInterface(CountQueuingStrategy, 'CountQueuingStrategy');
