// TransformStream (WHATWG Streams Standard), and Workers' byte-only IdentityTransformStream and FixedLengthStream.

class TransformStreamRecord {
  constructor() {
    this.readable = null; // ReadableStreamRecord
    this.writable = null; // WritableStreamRecord
    this.backpressure = undefined;
    this.backpressureChange = null; // StreamDeferred
    this.controller = null;
  }
}

class TransformControllerRecord {
  constructor() {
    this.stream = null;
    this.transformAlgorithm = null;
    this.flushAlgorithm = null;
    this.cancelAlgorithm = null;
    this.finish = null; // StreamDeferred
    this.obj = null;
  }
}

function initializeTransformStream(t, startPromise, writableHwm, writableSize, readableHwm, readableSize) {
  const start = () => startPromise;
  t.writable = createWritableStream(start, (chunk) => tsSinkWrite(t, chunk), () => tsSinkClose(t),
    (reason) => tsSinkAbort(t, reason), writableHwm, writableSize);
  t.readable = createReadableStream(start, () => tsSourcePull(t), (reason) => tsSourceCancel(t, reason),
    readableHwm, readableSize);
  t.backpressure = undefined;
  t.backpressureChange = null;
  tsSetBackpressure(t, true);
}

function tsError(t, e) {
  rdcError(t.readable.controller, e);
  tsErrorWritableAndUnblockWrite(t, e);
}

function tsErrorWritableAndUnblockWrite(t, e) {
  tscClearAlgorithms(t.controller);
  wscErrorIfNeeded(t.writable.controller, e);
  tsUnblockWrite(t);
}

function tsUnblockWrite(t) {
  if (t.backpressure) {
    tsSetBackpressure(t, false);
  }
}

function tsSetBackpressure(t, backpressure) {
  if (t.backpressureChange !== null) {
    t.backpressureChange.resolve(undefined);
  }
  t.backpressureChange = new StreamDeferred();
  t.backpressure = backpressure;
}

function tscClearAlgorithms(c) {
  c.transformAlgorithm = null;
  c.flushAlgorithm = null;
  c.cancelAlgorithm = null;
}

function tscEnqueue(c, chunk) {
  const t = c.stream;
  const rc = t.readable.controller;
  if (!rdcCanCloseOrEnqueue(rc)) {
    throw new TypeError('Readable side is not in a state that permits enqueue');
  }
  try {
    rdcEnqueue(rc, chunk);
  } catch (e) {
    tsErrorWritableAndUnblockWrite(t, e);
    throw t.readable.storedError;
  }
  const backpressure = !rdcShouldCallPull(rc);
  if (backpressure !== t.backpressure) {
    tsSetBackpressure(t, true);
  }
}

function tscTerminate(c) {
  const t = c.stream;
  rdcClose(t.readable.controller);
  tsErrorWritableAndUnblockWrite(t, new TypeError('TransformStream terminated'));
}

function tscPerformTransform(c, chunk) {
  return c.transformAlgorithm(chunk).then(undefined, (r) => {
    tsError(c.stream, r);
    throw r;
  });
}

function tsSinkWrite(t, chunk) {
  const c = t.controller;
  if (t.backpressure) {
    return t.backpressureChange.promise.then(() => {
      const w = t.writable;
      if (w.state === 'erroring') {
        throw w.storedError;
      }
      return tscPerformTransform(c, chunk);
    });
  }
  return tscPerformTransform(c, chunk);
}

function tsSinkAbort(t, reason) {
  const c = t.controller;
  if (c.finish !== null) {
    return c.finish.promise;
  }
  const readable = t.readable;
  c.finish = new StreamDeferred();
  const cancelPromise = c.cancelAlgorithm(reason);
  tscClearAlgorithms(c);
  cancelPromise.then(() => {
    if (readable.state === 'errored') {
      c.finish.reject(readable.storedError);
    } else {
      rdcError(readable.controller, reason);
      c.finish.resolve(undefined);
    }
  }, (r) => {
    rdcError(readable.controller, r);
    c.finish.reject(r);
  });
  return c.finish.promise;
}

function tsSinkClose(t) {
  const c = t.controller;
  if (c.finish !== null) {
    return c.finish.promise;
  }
  const readable = t.readable;
  c.finish = new StreamDeferred();
  const flushPromise = c.flushAlgorithm();
  tscClearAlgorithms(c);
  flushPromise.then(() => {
    if (readable.state === 'errored') {
      c.finish.reject(readable.storedError);
    } else {
      rdcClose(readable.controller);
      c.finish.resolve(undefined);
    }
  }, (r) => {
    rdcError(readable.controller, r);
    c.finish.reject(r);
  });
  return c.finish.promise;
}

function tsSourcePull(t) {
  tsSetBackpressure(t, false);
  return t.backpressureChange.promise;
}

function tsSourceCancel(t, reason) {
  const c = t.controller;
  if (c.finish !== null) {
    return c.finish.promise;
  }
  const writable = t.writable;
  c.finish = new StreamDeferred();
  const cancelPromise = c.cancelAlgorithm(reason);
  tscClearAlgorithms(c);
  cancelPromise.then(() => {
    if (writable.state === 'errored') {
      c.finish.reject(writable.storedError);
    } else {
      wscErrorIfNeeded(writable.controller, reason);
      tsUnblockWrite(t);
      c.finish.resolve(undefined);
    }
  }, (r) => {
    wscErrorIfNeeded(writable.controller, r);
    tsUnblockWrite(t);
    c.finish.reject(r);
  });
  return c.finish.promise;
}

class TransformStreamDefaultController {
  #c;

  constructor(key, record) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this.#c = record;
    record.obj = this;
  }

  get desiredSize() {
    return rdcDesiredSize(this.#c.stream.readable.controller);
  }

  enqueue(chunk = undefined) {
    tscEnqueue(this.#c, chunk);
  }

  error(reason = undefined) {
    tsError(this.#c.stream, reason);
  }

  terminate() {
    tscTerminate(this.#c);
  }
}

// Prelude code builds transforms (compression) with plain functions: transform(chunk, c), flush(c), cancel(reason).
function setUpTransformController(t, c, transform, flush, cancel) {
  c.stream = t;
  t.controller = c;
  c.transformAlgorithm = transform;
  c.flushAlgorithm = flush;
  c.cancelAlgorithm = cancel;
}

class TransformStream {
  #t;

  constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
    if (transformer === INTERNAL) {
      // a subclass built its own record (IdentityTransformStream, CompressionStream, ...)
      this.#t = writableStrategy;
      return;
    }
    const what = "Failed to construct 'TransformStream'";
    if (transformer !== undefined && transformer !== null
        && typeof transformer !== 'object' && typeof transformer !== 'function') {
      throw new TypeError(what + ": The provided value is not of type 'Transformer'.");
    }
    const writableDict = strategyFromInit(writableStrategy, what);
    const readableDict = strategyFromInit(readableStrategy, what);
    const tr = transformer === undefined || transformer === null ? {} : transformer;
    const cancel = streamCallbackMember(tr, 'cancel', what);
    const flush = streamCallbackMember(tr, 'flush', what);
    const readableType = tr.readableType;
    const start = streamCallbackMember(tr, 'start', what);
    const transform = streamCallbackMember(tr, 'transform', what);
    const writableType = tr.writableType;
    if (readableType !== undefined) {
      throw new RangeError('Invalid readableType specified');
    }
    if (writableType !== undefined) {
      throw new RangeError('Invalid writableType specified');
    }
    const readableHwm = extractHighWaterMark(readableDict, 0);
    const readableSize = extractSizeAlgorithm(readableDict);
    const writableHwm = extractHighWaterMark(writableDict, 1);
    const writableSize = extractSizeAlgorithm(writableDict);
    const t = new TransformStreamRecord();
    this.#t = t;
    const startPromise = new StreamDeferred();
    initializeTransformStream(t, startPromise.promise, writableHwm, writableSize, readableHwm, readableSize);
    const c = new TransformControllerRecord();
    const controller = new TransformStreamDefaultController(INTERNAL, c);
    setUpTransformController(t, c,
      transform === undefined
        ? (chunk) => {
          try {
            tscEnqueue(c, chunk);
            return Promise.resolve(undefined);
          } catch (e) {
            return Promise.reject(e);
          }
        }
        : (chunk) => promiseCall(transform, tr, [chunk, controller]),
      flush === undefined ? resolvedUndefinedAlgorithm : () => promiseCall(flush, tr, [controller]),
      cancel === undefined ? resolvedUndefinedAlgorithm : (reason) => promiseCall(cancel, tr, [reason]));
    if (start !== undefined) {
      startPromise.resolve(Reflect.apply(start, tr, [controller]));
    } else {
      startPromise.resolve(undefined);
    }
  }

  get readable() {
    return this.#t.readable.obj;
  }

  get writable() {
    return this.#t.writable.obj;
  }
}

// A transform stream record whose algorithms are prelude functions over bytes:
// transform(bytes: Uint8Array, enqueue) and flush(enqueue), each returning nothing or throwing.
function byteTransformRecord(transform, flush, cancel) {
  const t = new TransformStreamRecord();
  initializeTransformStream(t, Promise.resolve(undefined), 1, streamSizeOne, 0, streamSizeOne);
  const c = new TransformControllerRecord();
  const enqueue = (bytes) => tscEnqueue(c, bytes);
  setUpTransformController(t, c,
    (chunk) => {
      try {
        transform(chunk, enqueue);
        return Promise.resolve(undefined);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    () => {
      try {
        flush(enqueue);
        return Promise.resolve(undefined);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    (reason) => {
      try {
        cancel(reason);
        return Promise.resolve(undefined);
      } catch (e) {
        return Promise.reject(e);
      }
    });
  return t;
}

const NOT_BYTES_ON_WRITABLE = 'This TransformStream is being used as a byte stream, but received an object of '
  + 'non-ArrayBuffer/ArrayBufferView type on its writable side.';

// Workers' identity transform: the readable side is a byte stream (BYOB reads work); a write resolves once the
// reader has taken its bytes. `expectedLength` is -1, or a FixedLengthStream's length.
function identityTransformRecord(expectedLength) {
  const t = new TransformStreamRecord();
  let written = 0;
  let waitingWrite = null; // StreamDeferred of a write whose bytes still sit in the readable's queue
  const releaseWrite = () => {
    const w = waitingWrite;
    if (w !== null) {
      waitingWrite = null;
      w.resolve(undefined);
    }
  };
  let readable;
  let writable;
  const failWrite = (reason) => {
    const w = waitingWrite;
    if (w !== null) {
      waitingWrite = null;
      w.reject(reason);
    }
  };
  readable = createReadableByteStream(() => undefined,
    () => {
      releaseWrite();
      return Promise.resolve(undefined);
    },
    (reason) => {
      wscErrorIfNeeded(writable.controller, reason);
      failWrite(reason);
      return Promise.resolve(undefined);
    }, 0);
  writable = createWritableStream(() => undefined,
    (chunk) => {
      const bytes = bufferSourceBytes(chunk);
      if (bytes === null) {
        return Promise.reject(new TypeError(NOT_BYTES_ON_WRITABLE));
      }
      written += bytes.byteLength;
      if (expectedLength >= 0 && written > expectedLength) {
        const e = new TypeError('Attempt to write too many bytes through a FixedLengthStream.');
        rbcError(readable.controller, e);
        return Promise.reject(e);
      }
      if (bytes.byteLength === 0) {
        return Promise.resolve(undefined);
      }
      const rc = readable.controller;
      if (readable.state !== 'readable' || rc.closeRequested) {
        return Promise.reject(readable.state === 'errored' ? readable.storedError : new TypeError('The readable side was canceled.'));
      }
      rbcEnqueue(rc, bytes.slice());
      if (rc.queueTotalSize === 0) {
        return Promise.resolve(undefined);
      }
      waitingWrite = new StreamDeferred();
      return waitingWrite.promise;
    },
    () => {
      if (expectedLength >= 0 && written < expectedLength) {
        const e = new TypeError('FixedLengthStream did not see all expected bytes before close().');
        rbcError(readable.controller, e);
        return Promise.reject(e);
      }
      rbcCloseAndRespond(readable.controller);
      return Promise.resolve(undefined);
    },
    (reason) => {
      rbcError(readable.controller, reason);
      return Promise.resolve(undefined);
    }, 1);
  readable.expectedLength = expectedLength;
  t.readable = readable;
  t.writable = writable;
  return t;
}

class IdentityTransformStream extends TransformStream {
  // Prelude subclasses pass INTERNAL and their own record; guest code cannot.
  constructor(options = undefined, key = undefined, record = undefined) {
    super(INTERNAL, key === INTERNAL ? record : identityTransformRecord(-1));
  }
}

class FixedLengthStream extends IdentityTransformStream {
  constructor(expectedLength, options = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'FixedLengthStream': 1 argument required, but only 0 present.");
    }
    const n = enforceRangeUnsigned(expectedLength, 'FixedLengthStream', 'expectedLength');
    super(options, INTERNAL, identityTransformRecord(n));
  }
}

defineGlobal('TransformStream', TransformStream);
defineGlobal('TransformStreamDefaultController', TransformStreamDefaultController);
defineGlobal('IdentityTransformStream', IdentityTransformStream);
defineGlobal('FixedLengthStream', FixedLengthStream);
streamsDefineInterface(TransformStreamDefaultController, 'TransformStreamDefaultController');
streamsDefineInterface(TransformStream, 'TransformStream');
streamsDefineInterface(IdentityTransformStream, 'IdentityTransformStream');
streamsDefineInterface(FixedLengthStream, 'FixedLengthStream');
